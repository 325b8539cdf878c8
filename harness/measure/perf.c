/* Driving perf; see perf.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/io.h"
#include "measure/perf.h"
#include "collect/perf_stat.h"
#include "util/parse.h"
#include "util/proc.h"
#include "util/usage.h"
#include "util/banned.h"

#define PARANOID "/proc/sys/kernel/perf_event_paranoid"

static const char *const hw_events[] = {
	"instructions", "cycles", "branches", "branch-misses",
	"cache-references", "cache-misses",
};
static const char *const detail_events[] = {
	"L1-dcache-loads", "L1-dcache-load-misses", "LLC-loads", "LLC-load-misses",
};
static const char *const sw_events[] = {
	"task-clock", "context-switches", "cpu-migrations", "page-faults",
};

void perf_default_events(struct strvec *out, int detail)
{
	for (size_t i = 0; i < ARRAY_SIZE(hw_events); i++)
		strvec_push(out, hw_events[i]);
	if (detail)
		for (size_t i = 0; i < ARRAY_SIZE(detail_events); i++)
			strvec_push(out, detail_events[i]);
	for (size_t i = 0; i < ARRAY_SIZE(sw_events); i++)
		strvec_push(out, sw_events[i]);
}

int perf_event_is_software(const char *event)
{
	static const char *const sw[] = {
		"task-clock", "cpu-clock", "context-switches", "cs", "cpu-migrations",
		"migrations", "page-faults", "faults", "minor-faults", "major-faults",
		"alignment-faults", "emulation-faults", "duration_time", "user_time",
		"system_time",
	};
	size_t len = strcspn(event, ":");

	for (size_t i = 0; i < ARRAY_SIZE(sw); i++)
		if (strlen(sw[i]) == len && !strncmp(sw[i], event, len))
			return 1;
	return 0;
}

/* "perf version 6.1.187" -> "6.1.187"; NULL when empty. */
static char *parse_version(const char *out)
{
	size_t len;

	skip_prefix(out, "perf version ", &out);
	len = strcspn(out, "\n");
	while (len && (out[len - 1] == ' ' || out[len - 1] == '\r'))
		len--;
	return len ? xstrndup(out, len) : NULL;
}

/* An integer on the first line of `s`, or `dflt`. */
static int first_int(const char *s, int dflt)
{
	char *line = xstrndup(s, strcspn(s, "\n"));
	int v;

	if (parse_int(line, &v))
		v = dflt;
	free(line);
	return v;
}

/*
 * Can perf count on the runner `dest` (NULL: this machine)?  `os` is its
 * uname -s (NULL: unknown), `uid` the user jobs run as.  The fix names the
 * machine it is for.
 */
static int usable(const char *dest, const char *os, int have_perf, int paranoid, int uid)
{
	if (dest && (!os || strcmp(os, "Linux")))
		return error_code(PG_EENV, "perf needs Linux; '%s' runs '%s'", dest,
				  os ? os : "an unknown system");
	if (!have_perf && dest)
		return error_code(PG_EENV, "'perf' not found on '%s': install it there "
				  "(Debian: 'apt-get install linux-perf')", dest);
	if (!have_perf)
		return error_code(PG_EENV, "'perf' not found in PATH: install it "
				  "(Debian: 'apt-get install linux-perf')");
	/* Above 2 (a Debian addition) perf_event_open refuses unprivileged users. */
	if (paranoid > 2 && uid != 0 && dest)
		return error_code(PG_EENV, "perf_event_paranoid is %d on '%s': run "
				  "'sysctl kernel.perf_event_paranoid=2' there", paranoid, dest);
	if (paranoid > 2 && uid != 0)
		return error_code(PG_EENV, "perf_event_paranoid is %d: run "
				  "'sysctl kernel.perf_event_paranoid=2' or use --remote-host",
				  paranoid);
	return 0;
}

int perf_preflight(void)
{
	char *perf = proc_which("perf");
	struct buf b = BUF_INIT;
	int paranoid = -99;

	free(perf);
	if (buf_read_file(&b, PARANOID, 4096) >= 0)
		paranoid = first_int(b.buf, -99);
	buf_release(&b);
	return usable(NULL, "Linux", perf != NULL, paranoid, (int)geteuid());
}

/* runner query: its stdout, or NULL when it failed; PG_EINTR/PG_EENV in *ret. */
static char *query(struct runner *r, const char *const *argv, int *ret)
{
	struct buf out = BUF_INIT;
	int code = r->ops->query(r, argv, &out);

	if (code < 0)
		*ret = code;
	if (code) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out);
}

int perf_check_runner(struct runner *r, struct fingerprint *fp, int check)
{
	static const char *const version[] = { "perf", "--version", NULL };
	static const char *const paranoid[] = { "cat", PARANOID, NULL };
	static const char *const os[] = { "uname", "-s", NULL };
	static const char *const uid[] = { "id", "-u", NULL };
	char *v = NULL, *p = NULL, *o = NULL, *u = NULL;
	int ret = 0;

	v = query(r, version, &ret);
	if (!ret)
		p = query(r, paranoid, &ret);
	if (ret)
		goto out;
	fp->perf_version = v ? parse_version(v) : NULL;
	fp->paranoid = p ? first_int(p, -99) : -99;
	if (!check)
		goto out;
	o = query(r, os, &ret);
	if (!ret)
		u = query(r, uid, &ret);
	if (o)
		o[strcspn(o, "\n")] = '\0';
	if (!ret)
		ret = usable(r->dest, o && *o ? o : NULL, v && *v, fp->paranoid,
			     u ? first_int(u, -1) : -1);
out:
	free(v);
	free(p);
	free(o);
	free(u);
	return ret;
}

void perf_probe_init(struct perf_probe *pp)
{
	memset(pp, 0, sizeof(*pp));
	strvec_init(&pp->counted);
	strvec_init(&pp->unsupported);
	strvec_init(&pp->not_counted);
}

void perf_probe_release(struct perf_probe *pp)
{
	strvec_clear(&pp->counted);
	strvec_clear(&pp->unsupported);
	strvec_clear(&pp->not_counted);
}

/* Does counting this event prove a hardware PMU?  (Software and tracepoint events do not.) */
static int needs_pmu(const char *event)
{
	size_t len = strcspn(event, ":");

	if (strchr(event, '/') || (event[0] == 'r' && len > 1 &&
				   strspn(event + 1, "0123456789abcdefABCDEF") == len - 1))
		return 1;
	for (size_t i = 0; i < ARRAY_SIZE(hw_events); i++)
		if (strlen(hw_events[i]) == len && !strncmp(hw_events[i], event, len))
			return 1;
	for (size_t i = 0; i < ARRAY_SIZE(detail_events); i++)
		if (strlen(detail_events[i]) == len && !strncmp(detail_events[i], event, len))
			return 1;
	return 0;
}

/* Where did perf put one requested element? */
static void classify(struct perf_probe *out, const struct ps_result *res, const char *ev)
{
	struct strvec members = STRVEC_INIT;
	int counted = 0, unsupported = 0;

	ps_event_members(ev, &members);
	for (size_t i = 0; i < members.nr; i++) {
		const struct ps_counter *c = ps_find(res, members.v[i]);

		if (!c || c->status == PS_NOT_SUPPORTED)
			unsupported++;
		else if (c->status == PS_COUNTED)
			counted++;
	}
	if (counted && !unsupported) {
		strvec_push(&out->counted, ev);
		out->pmu |= needs_pmu(members.v[0]);
	} else if (unsupported) {
		strvec_push(&out->unsupported, ev);
	} else {
		strvec_push(&out->not_counted, ev);
	}
	strvec_clear(&members);
}

int perf_probe_events(struct runner *r, const struct strvec *events,
		      struct perf_probe *out)
{
	struct runner_job job;
	struct buf csv = BUF_INIT, err = BUF_INIT, path = BUF_INIT, errpath = BUF_INIT;
	struct buf localpath = BUF_INIT;
	struct ps_result res = PS_RESULT_INIT;
	int errfd = -1, ret;

	runner_job_init(&job);
	/* perf writes on the runner; stderr and the fetched CSV are local. */
	buf_addf(&path, "%s/probe.csv", r->scratch);
	buf_addf(&localpath, "%s/probe.csv", r->local_scratch);
	buf_addf(&errpath, "%s/probe.err", r->local_scratch);
	errfd = open(errpath.buf, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (errfd < 0) {
		ret = error("cannot create '%s': %s", errpath.buf, strerror(errno));
		goto out;
	}
	strvec_pushl(&job.argv, "perf", "stat", "-x,", "-o", path.buf, NULL);
	for (size_t i = 0; i < events->nr; i++)
		strvec_pushl(&job.argv, "-e", events->v[i], NULL);
	strvec_pushl(&job.argv, "--", "true", NULL);
	strvec_push(&job.env, "LC_ALL=C");
	job.stderr_fd = errfd;
	ret = r->ops->exec(r, &job);
	if (ret)
		goto out;
	buf_read_file(&err, errpath.buf, 1 << 16);
	if (job.status) {
		/* perf explains a rejected event over several lines; the first two say which and why. */
		const char *s = err.buf;
		size_t l1 = strcspn(s, "\n");
		const char *s2 = s[l1] ? s + l1 + 1 : s + l1;
		size_t l2 = strcspn(s2, "\n");

		while (l2 && (s2[0] == ' ' || s2[0] == '\t'))
			s2++, l2--;
		if (strstr(err.buf, "event syntax error") || strstr(err.buf, "Cannot find PMU") ||
		    strstr(err.buf, "unknown tracepoint"))
			ret = error_code(PG_EUSAGE, "perf rejects the event list: %.*s %.*s",
					 (int)l1, s, (int)l2, s2);
		else
			ret = error_code(PG_EENV, "perf stat failed (exit %d): %.*s",
					 job.status, (int)l1, s);
		goto out;
	}
	ret = r->ops->fetch(r, path.buf, localpath.buf);
	if (ret == PG_EINTR || ret == PG_EENV)
		goto out;      /* interrupted, or the connection failed (reported) */
	if (ret || buf_read_file(&csv, localpath.buf, 1 << 20) < 0) {
		ret = error_code(PG_EENV, "perf wrote no counts to '%s'", path.buf);
		goto out;
	}
	ret = ps_parse_csv(csv.buf, csv.len, ',', path.buf, &res);
	if (ret)
		goto out;
	for (size_t i = 0; i < events->nr; i++)
		classify(out, &res, events->v[i]);
out:
	if (errfd >= 0)
		close(errfd);
	ps_result_release(&res);
	runner_job_release(&job);
	buf_release(&csv);
	buf_release(&err);
	buf_release(&path);
	buf_release(&localpath);
	buf_release(&errpath);
	return ret;
}
