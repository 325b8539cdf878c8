/* The perf pod's manifest and state; see perfpod.h. */
#include <string.h>

#include "k8s/perfpod.h"
#include "util/json.h"
#include "util/banned.h"

int perfpod_is_label(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

int perfpod_is_subdomain(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 253)
		return 0;
	for (const char *p = s; *p; ) {
		size_t len = strcspn(p, ".");
		char label[64];

		if (!len || len > 63)
			return 0;
		memcpy(label, p, len);
		label[len] = '\0';
		if (!perfpod_is_label(label))
			return 0;
		p += len;
		if (*p == '.' && !*++p)
			return 0;
	}
	return 1;
}

void perfpod_name(struct buf *out, const char *target, const char *suffix)
{
	size_t room = 63 - strlen("perfgo-") - 1 - strlen(suffix);

	buf_addstr(out, "perfgo-");
	for (const char *s = target; *s && room; s++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			c = '-';
		/* No runs of '-'. */
		if (c == '-' && out->buf[out->len - 1] == '-')
			continue;
		buf_addch(out, c);
		room--;
	}
	while (out->buf[out->len - 1] == '-')
		buf_setlen(out, out->len - 1);
	buf_addf(out, "-%s", suffix);
}

/* Tolerate each taint of the node, whatever its value. */
static json_t *tolerations(const json_t *taints)
{
	json_t *a = json_array();
	size_t i;
	json_t *t;

	json_array_foreach(taints, i, t) {
		const char *key = json_string_value(json_object_get(t, "key"));
		const char *effect = json_string_value(json_object_get(t, "effect"));
		json_t *o = json_object();

		if (key)
			json_object_set_new(o, "key", json_string(key));
		json_object_set_new(o, "operator", json_string("Exists"));
		if (effect)
			json_object_set_new(o, "effect", json_string(effect));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *perfpod_manifest(const struct perfpod_spec *sp, const char *name)
{
	char deadline[32];
	json_t *pod;

	snprintf(deadline, sizeof(deadline), "%d", sp->deadline);
	pod = json_pack("{s:s, s:s, s:{s:s, s:s, s:{s:s, s:s}, s:{s:s}},"
			" s:{s:s, s:b, s:s, s:i, s:b, s:b, s:i,"
			"    s:[{s:s, s:s, s:s, s:[s,s], s:{s:b}, s:{s:{s:s, s:s}}}]}}",
			"apiVersion", "v1", "kind", "Pod",
			"metadata", "name", name, "namespace", sp->ns,
			"labels", PERFPOD_LABEL, PERFPOD_LABEL_VALUE,
			"app.kubernetes.io/name", "perfgo-perf",
			"annotations", "perfgo.dev/target", sp->target,
			"spec", "nodeName", sp->node, "hostPID", 1, "restartPolicy", "Never",
			"activeDeadlineSeconds", sp->deadline, "automountServiceAccountToken", 0,
			"enableServiceLinks", 0, "terminationGracePeriodSeconds", 1,
			"containers", "name", PERFPOD_CONTAINER, "image", sp->image,
			"imagePullPolicy", "IfNotPresent", "command", "sleep", deadline,
			"securityContext", "privileged", 1,
			"resources", "requests", "cpu", "50m", "memory", "64Mi");
	if (!pod)
		BUG("cannot build the perf pod manifest");
	if (sp->taints && json_array_size(sp->taints))
		json_object_set_new(json_object_get(pod, "spec"), "tolerations",
				    tolerations(sp->taints));
	return pod;
}

/* Waiting reasons that will not resolve by waiting longer. */
static const char *const fatal_waiting[] = {
	"ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
	"CreateContainerConfigError", "CreateContainerError", "RunContainerError",
	"CrashLoopBackOff",
};

int perfpod_state(const json_t *pod, struct buf *why, int *running)
{
	const json_t *st = json_object_get(pod, "status");
	const char *phase = json_string_value(json_object_get(st, "phase"));
	json_t *c;
	size_t i;

	*running = 0;
	if (phase && (!strcmp(phase, "Failed") || !strcmp(phase, "Succeeded"))) {
		const char *reason = json_string_value(json_object_get(st, "reason"));
		const char *msg = json_string_value(json_object_get(st, "message"));

		buf_addf(why, "the pod ended (%s%s%s)", phase, reason ? ": " : "",
			 reason ? reason : "");
		if (msg)
			buf_addf(why, ": %s", msg);
		return -1;
	}
	json_array_foreach(json_object_get(st, "conditions"), i, c) {
		const char *type = json_string_value(json_object_get(c, "type"));
		const char *status = json_string_value(json_object_get(c, "status"));
		const char *reason = json_string_value(json_object_get(c, "reason"));
		const char *msg = json_string_value(json_object_get(c, "message"));

		if (type && !strcmp(type, "PodScheduled") && status && !strcmp(status, "False") &&
		    reason && !strcmp(reason, "Unschedulable")) {
			buf_addf(why, "Unschedulable: %s", msg ? msg : "no node fits");
			return -1;
		}
	}
	json_array_foreach(json_object_get(st, "containerStatuses"), i, c) {
		const json_t *state = json_object_get(c, "state");
		const json_t *w = json_object_get(state, "waiting");

		if (json_object_get(state, "running")) {
			*running = 1;
			continue;
		}
		if (w) {
			const char *reason = json_string_value(json_object_get(w, "reason"));
			const char *msg = json_string_value(json_object_get(w, "message"));

			for (size_t j = 0; reason && j < ARRAY_SIZE(fatal_waiting); j++)
				if (!strcmp(reason, fatal_waiting[j])) {
					buf_addf(why, "%s%s%s", reason, msg ? ": " : "", msg ? msg : "");
					return -1;
				}
		}
		if (json_object_get(state, "terminated")) {
			buf_addstr(why, "its container exited");
			return -1;
		}
	}
	return 0;
}
