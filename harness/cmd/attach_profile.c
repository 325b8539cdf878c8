/*
 * perfgo attach profile: in the perf pod,
 *
 *     perf record -q -o /tmp/<perf pod>-profile.data -e EVENT --call-graph fp
 *         (-p <pids> | -a) -- sleep <seconds>
 *     perf script -i <that> -F comm,tid,pid,time,period,event,ip,sym,dso --show-mmap-events
 *
 * (the fields test profile's converter reads, collect/perf_script.h), the
 * script's stdout brought back through kubectl exec and turned into one
 * pprof file and one flame graph as `perfgo test profile` does.  EVENT is
 * -e, else cycles where the node has a PMU, else cpu-clock.  In pod mode
 * every target PID's executable is copied out (attach_copy_exe(), kept by
 * content under binaries/) and the mapping perf named by the path it has in
 * the target's mount namespace is symbolized from it (files, lines,
 * inlining) and renamed to the kept copy, so that `go tool pprof` needs
 * neither the pod nor the path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/attach.h"
#include "collect/perf_script.h"
#include "profile/flame.h"
#include "profile/pprof.h"
#include "profile/pprof_top.h"
#include "profile/symbolize.h"
#include "session/runrec.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/sha256.h"
#include "util/usage.h"
#include "util/banned.h"

/* kubectl exec's capture stops at 64 MiB (util/proc.c): a script that long is refused. */
#define SCRIPT_CAP (64u << 20)

static int record_and_script(struct attach *a, const char *event, const char *data,
			     struct buf *text)
{
	struct strvec argv = STRVEC_INIT;
	char *pids = attach_pid_list(a);
	int ret;

	strvec_pushl(&argv, "perf", "record", "-q", "-o", data, "-e", event, "--call-graph", "fp",
		     NULL);
	if (a->o->pod)
		strvec_pushl(&argv, "-p", pids, NULL);
	else
		strvec_push(&argv, "-a");
	strvec_pushl(&argv, "--", "sleep", NULL);
	strvec_pushf(&argv, "%d", a->o->duration);
	note("profiling %s (%s) for %d s", a->target, event, a->o->duration);
	ret = perfpod_exec(&a->pod, &argv, NULL, "perf record");
	strvec_clear(&argv);
	strvec_pushl(&argv, "env", "LC_ALL=C", "perf", "script", "-i", data, "-F",
		     PERFSCRIPT_FIELDS, "--show-mmap-events", NULL);
	if (!ret)
		ret = perfpod_exec(&a->pod, &argv, text, "perf script");
	if (!ret && text->len >= SCRIPT_CAP)
		ret = error_code(PG_EENV, "perf script of the profile of %s is over %u MiB: "
				 "shorten -d", a->target, SCRIPT_CAP >> 20);
	strvec_clear(&argv);
	if (ret != PG_EINTR) {
		strvec_pushl(&argv, "rm", "-f", data, NULL);
		kube_exec(&a->k, a->pod.ns, a->pod.name, PERFPOD_CONTAINER, &argv, 0, NULL, NULL);
	}
	strvec_clear(&argv);
	free(pids);
	return ret;
}

/* Each target PID's executable: copied, kept, and its mapping symbolized from it. */
static int symbolize_targets(struct attach *a, struct workspace *ws, const char *run_id,
			     struct profile *p, const struct pscript *ps)
{
	const char *tmp = getenv("TMPDIR");
	uint32_t main_map = 0;
	int ret = 0;

	for (size_t i = 0; i < a->t.nr && !ret; i++) {
		for (size_t j = 0; j < a->t.c[i].npids && !ret; j++) {
			struct buf link = BUF_INIT, path = BUF_INIT;
			const struct pscript_map *m;
			struct elf_info ei = { 0 };

			ret = attach_copy_exe(a, ws, run_id, (int)a->t.c[i].pids[j], a->t.c[i].name,
					      &link, &path);
			m = !ret && path.len ? pscript_find_map(ps, link.buf) : NULL;
			if (m && !p->maps[m->id - 1].symbolized) {
				int r = elf_read_info(path.buf, &ei);

				if (!r)
					r = symbolize_map(p, m->id, path.buf, &ei, tmp && *tmp ? tmp : "/tmp");
				if (r == PG_EINTR)
					ret = r;
				else if (r)
					warning("'%s' keeps perf's symbols only", link.buf);
				free(p->maps[m->id - 1].file);
				p->maps[m->id - 1].file = xstrdup(strstr(path.buf, "binaries/"));
				if (ei.build_id && !p->maps[m->id - 1].build_id)
					p->maps[m->id - 1].build_id = xstrdup(ei.build_id);
				if (!main_map)
					main_map = m->id;
			}
			elf_info_release(&ei);
			buf_release(&link);
			buf_release(&path);
		}
	}
	if (main_map)
		profile_main_map(p, main_map);
	return ret;
}

/* runs/<id>/<target>.pb.gz and .flame.html, artifacts; their top functions to `out`. */
static int write_profile(struct workspace *ws, const struct runrec *rr, struct profile *p,
			 const struct attach *a, uint64_t samples, struct buf *out)
{
	struct buf name = BUF_INIT, path = BUF_INIT, rel = BUF_INIT, title = BUF_INIT;
	char hex[SHA256_HEX_SIZE];
	uint64_t size;
	int ret;

	for (const char *s = a->target; *s; s++)
		buf_addch(&name, (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			  (*s >= '0' && *s <= '9') || *s == '-' || *s == '.' ? *s : '_');
	buf_addf(&path, "%s/%s.pb.gz", rr->dir, name.buf);
	ret = pprof_write(p, path.buf);
	if (!ret && !sha256_file(path.buf, hex, &size)) {
		buf_addf(&rel, "runs/%s/%s.pb.gz", rr->ri.id, name.buf);
		ret = store_add_artifact(ws->st, rr->ri.id, "pprof", rel.buf, size, hex);
	}
	if (!ret) {
		buf_addf(out, "profile %s\n", path.buf);
		ret = pprof_top(path.buf, 10, out);
	}
	buf_reset(&path);
	buf_addf(&path, "%s/%s.flame.html", rr->dir, name.buf);
	buf_addf(&title, "%s: %s, %llu samples", a->target, p->event, (unsigned long long)samples);
	if (!ret)
		ret = flame_write(p, title.buf, path.buf);
	if (!ret && !sha256_file(path.buf, hex, &size)) {
		buf_reset(&rel);
		buf_addf(&rel, "runs/%s/%s.flame.html", rr->ri.id, name.buf);
		ret = store_add_artifact(ws->st, rr->ri.id, "flamegraph", rel.buf, size, hex);
		buf_addf(out, "flame graph %s\n", path.buf);
	}
	buf_release(&name);
	buf_release(&path);
	buf_release(&rel);
	buf_release(&title);
	return ret;
}

static void feed(struct pscript *ps, const struct buf *text)
{
	const char *s = text->buf ? text->buf : "", *end = s + text->len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);

		pscript_line(ps, s, len);
		s += len + 1;
	}
	pscript_finish(ps);
}

int attach_profile(struct attach *a, const struct ctx *ctx)
{
	struct workspace ws;
	struct fingerprint fp;
	struct runrec rr;
	struct runrec_args ra = { 0 };
	struct profile p;
	struct pscript ps;
	struct buf data = BUF_INIT, text = BUF_INIT, out = BUF_INIT;
	const char *event;
	char *cfg = NULL;
	int ret;

	memset(&ws, 0, sizeof(ws));
	memset(&fp, 0, sizeof(fp));
	runrec_init(&rr);
	profile_init(&p);
	pscript_init(&ps, &p);
	buf_addf(&data, "/tmp/%s-profile.data", a->pod.name);
	ret = perfpod_probe(&a->pod, a->node, a->o->image, &fp);
	if (!ret)
		ret = workspace_open_user(&ws);
	if (!ret)
		ret = store_fingerprint(ws.st, &fp, &ra.fingerprint_id);
	if (ret)
		goto out;
	event = a->o->events.nr ? a->o->events.v[0] : fp.pmu ? "cycles" : "cpu-clock";
	cfg = attach_config_json(a, "attach profile");
	ra.command = "attach profile";
	ra.packages = a->target;
	ra.config_json = cfg;
	ret = runrec_begin(&rr, &ws, ctx, &ra);
	if (!ret)
		ret = store_add_event(ws.st, rr.ri.id, event, EVENT_COUNTED);
	p.time_ns = clock_wall_ns();
	if (!ret)
		ret = record_and_script(a, event, data.buf, &text);
	if (!ret) {
		feed(&ps, &text);
		if (!ps.samples)
			ret = error_code(PG_EENV, "no samples in the profile of %s: is it busy? "
					 "(raise -d)", a->target);
	}
	if (!ret && a->o->pod)
		ret = symbolize_targets(a, &ws, rr.ri.id, &p, &ps);
	if (!ret) {
		p.event = xstrdup(event);
		p.benchmark = xstrdup(a->target);
		p.duration_ns = (int64_t)a->o->duration * 1000000000;
		ret = write_profile(&ws, &rr, &p, a, ps.samples, &out);
	}
	if (!ret)
		fwrite(out.buf, 1, out.len, stdout);
	ret = runrec_finish(&rr, &ws, ret) ? (ret ? ret : PG_EENV) : ret;
	if (ret == PG_EINTR)
		note("interrupted: run %.8s recorded as interrupted", rr.ri.id);
out:
	fingerprint_release(&fp);
	runrec_release(&rr);
	workspace_close(&ws);
	pscript_release(&ps);
	profile_release(&p);
	buf_release(&data);
	buf_release(&text);
	buf_release(&out);
	free(cfg);
	return ret;
}
