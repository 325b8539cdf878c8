/* Choosing the containers and processes attach measures; see targets.h. */
#include <stdlib.h>
#include <string.h>

#include "k8s/targets.h"
#include "util/buf.h"
#include "util/parse.h"
#include "util/usage.h"
#include "util/banned.h"

/*
 * For every process, every line of its cgroup file, every ID: print
 * "<id> <pid>" on a match.  The IDs are the script's arguments; the case
 * pattern quotes them, so they match literally.
 */
const char targets_pid_script[] =
	"for f in /proc/[0-9]*/cgroup; do p=${f#/proc/}; p=${p%/cgroup}; "
	"while IFS= read -r l; do for id in \"$@\"; do case $l in *\"$id\"*) "
	"echo \"$id $p\";; esac; done; done <\"$f\" 2>/dev/null; done; exit 0";

static const char *const sidecars[] = {
	"istio-proxy", "istio-init", "linkerd-proxy", "linkerd-init", "envoy",
	"envoy-sidecar", "cloud-sql-proxy", "vault-agent", "datadog-agent",
};

int targets_is_sidecar(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(sidecars); i++)
		if (!strcmp(name, sidecars[i]))
			return 1;
	return 0;
}

char *targets_parse_id(const char *cid)
{
	const char *sep = cid ? strstr(cid, "://") : NULL;
	const char *hex;
	size_t n;

	if (!sep || sep == cid)
		return NULL;
	for (const char *s = cid; s < sep; s++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '-'))
			return NULL;
	hex = sep + 3;
	n = strlen(hex);
	if (n < 12 || n > 128 || strspn(hex, "0123456789abcdef") != n)
		return NULL;
	return xstrdup(hex);
}

void targets_release(struct targets *t)
{
	for (size_t i = 0; i < t->nr; i++) {
		free(t->c[i].name);
		free(t->c[i].id);
		free(t->c[i].pids);
	}
	free(t->c);
	free(t->node);
	memset(t, 0, sizeof(*t));
}

static const json_t *status_of(const json_t *pod, const char *name)
{
	const json_t *c;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(pod, "status"), "containerStatuses"), i, c) {
		const char *n = json_string_value(json_object_get(c, "name"));

		if (n && !strcmp(n, name))
			return c;
	}
	return NULL;
}

static int add(struct targets *t, const json_t *pod, const char *name, const char *podname)
{
	const json_t *st = status_of(pod, name);
	const char *cid;
	char *id;

	if (!st || !json_object_get(json_object_get(st, "state"), "running"))
		return error_code(PG_EENV, "container '%s' of pod '%s' is not running", name, podname);
	cid = json_string_value(json_object_get(st, "containerID"));
	id = targets_parse_id(cid);
	if (!id)
		return error_code(PG_EENV, "container '%s' of pod '%s' has a container ID perfgo does "
				  "not understand", name, podname);
	ALLOC_GROW(t->c, t->nr + 1, t->alloc);
	memset(&t->c[t->nr], 0, sizeof(t->c[t->nr]));
	t->c[t->nr].name = xstrdup(name);
	t->c[t->nr].id = id;
	t->nr++;
	return 0;
}

int targets_from_pod(const json_t *pod, const struct strvec *want, struct targets *t)
{
	const json_t *meta = json_object_get(pod, "metadata");
	const char *podname = json_string_value(json_object_get(meta, "name"));
	const char *node = json_string_value(json_object_get(json_object_get(pod, "spec"), "nodeName"));
	const json_t *ctrs = json_object_get(json_object_get(pod, "spec"), "containers");
	const json_t *c;
	struct buf names = BUF_INIT;
	size_t i;
	int ret = 0;

	podname = podname ? podname : "?";
	if (!node || !*node)
		return error_code(PG_EENV, "pod '%s' is not scheduled on a node yet", podname);
	t->node = xstrdup(node);
	json_array_foreach(ctrs, i, c) {
		const char *n = json_string_value(json_object_get(c, "name"));

		if (n)
			buf_addf(&names, "%s%s", names.len ? ", " : "", n);
	}
	if (want->nr) {
		for (size_t w = 0; w < want->nr && !ret; w++) {
			int found = 0;

			json_array_foreach(ctrs, i, c) {
				const char *n = json_string_value(json_object_get(c, "name"));

				found |= n && !strcmp(n, want->v[w]);
			}
			ret = found ? add(t, pod, want->v[w], podname) :
				error_code(PG_EUSAGE, "pod '%s' has no container '%s' (it has: %s)",
					   podname, want->v[w], names.buf ? names.buf : "none");
		}
	} else {
		json_array_foreach(ctrs, i, c) {
			const char *n = json_string_value(json_object_get(c, "name"));

			if (!n || targets_is_sidecar(n))
				continue;
			ret = add(t, pod, n, podname);
			if (ret)
				break;
		}
		if (!ret && !t->nr)
			ret = error_code(PG_EUSAGE, "pod '%s' has only sidecar containers (%s): name "
					 "one with --container", podname, names.buf ? names.buf : "none");
	}
	buf_release(&names);
	return ret;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

int targets_parse_pids(struct targets *t, const char *out, size_t len)
{
	const char *s = out, *end = out + len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		const char *sp = memchr(s, ' ', n);
		struct target_ctr *c = NULL;
		char num[16];
		int pid;

		if (n) {
			size_t idlen = sp ? (size_t)(sp - s) : 0;
			size_t plen = sp ? n - idlen - 1 : 0;

			for (size_t i = 0; sp && i < t->nr; i++)
				if (strlen(t->c[i].id) == idlen && !memcmp(t->c[i].id, s, idlen))
					c = &t->c[i];
			if (!c || !plen || plen >= sizeof(num))
				return error_code(PG_EPARSE, "unexpected line from the perf pod's process "
						  "search: '%.*s'", (int)(n > 80 ? 80 : n), s);
			memcpy(num, sp + 1, plen);
			num[plen] = '\0';
			if (parse_int(num, &pid) || pid < 1)
				return error_code(PG_EPARSE, "unexpected line from the perf pod's process "
						  "search: '%.*s'", (int)(n > 80 ? 80 : n), s);
			ALLOC_GROW(c->pids, c->npids + 1, c->alloc);
			c->pids[c->npids++] = (pid_t)pid;
		}
		s += n + 1;
	}
	for (size_t i = 0; i < t->nr; i++) {
		struct target_ctr *c = &t->c[i];
		size_t u = 0;

		if (!c->npids)
			return error_code(PG_EENV, "no process of container '%s' (id %.12s) is visible "
					  "from the perf pod", c->name, c->id);
		qsort(c->pids, c->npids, sizeof(*c->pids), cmp_pid);
		for (size_t j = 0; j < c->npids; j++)
			if (!u || c->pids[u - 1] != c->pids[j])
				c->pids[u++] = c->pids[j];
		c->npids = u;
	}
	return 0;
}
