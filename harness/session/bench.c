/* Shared pieces of the measuring commands; see bench.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session/bench.h"
#include "escape.h"
#include "measure/perf.h"
#include "collect/perf_stat.h"
#include "util/proc.h"
#include "session/progress.h"
#include "util/sha256.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/clock.h"
#include "util/banned.h"

static void json_list(struct buf *b, const char *key, const struct strvec *v)
{
	buf_addf(b, ",\"%s\":[", key);
	for (size_t i = 0; i < v->nr; i++) {
		if (i)
			buf_addch(b, ',');
		json_quote(b, v->v[i]);
	}
	buf_addch(b, ']');
}

static void json_str(struct buf *b, const char *key, const char *v)
{
	buf_addf(b, ",\"%s\":", key);
	json_quote(b, v ? v : "");
}

char *bench_config_json(const struct testargs *ta, const struct strvec *events, int detail)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "{\"count\":%d", ta->count ? ta->count : 1);
	json_str(&b, "bench", ta->bench ? ta->bench : ".");
	json_str(&b, "benchtime", ta->benchtime);
	json_str(&b, "cpu", ta->cpu);
	buf_addf(&b, ",\"detail\":%d", detail);
	json_list(&b, "events", events);
	json_list(&b, "packages", &ta->packages);
	json_list(&b, "build_flags", &ta->build);
	json_list(&b, "test_flags", &ta->extra);
	json_list(&b, "args", &ta->args);
	buf_addch(&b, '}');
	return buf_detach(&b);
}

int exit_code_for(int err)
{
	if (err == PG_EINTR)
		return EXIT_SIGNAL + (sig_pending() ? sig_pending() : 2);
	return pg_err_exit_code(err);
}

static int open_artifact(const char *run_dir, const char *name)
{
	struct buf p = BUF_INIT;
	int fd;

	buf_addf(&p, "%s/%s", run_dir, name);
	fd = open(p.buf, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		error("cannot create '%s': %s", p.buf, strerror(errno));
	buf_release(&p);
	return fd;
}

int runrec_begin(struct runrec *rr, struct workspace *ws, const struct ctx *ctx,
		 const struct runrec_args *a)
{
	struct buf b = BUF_INIT;
	int ret;

	memset(rr, 0, sizeof(*rr));
	rr->out_fd = rr->err_fd = rr->csv_fd = -1;
	rr->argv_json = cli_argv_json(ctx);
	rr->ri.command = a->command;
	rr->ri.argv_json = rr->argv_json;
	rr->ri.workdir = ws->workdir;
	rr->ri.packages = a->packages;
	rr->ri.commit = a->commit;
	rr->ri.branch = a->branch;
	rr->ri.dirty = a->dirty;
	rr->ri.fingerprint_id = a->fingerprint_id;
	rr->ri.config_json = a->config_json;
	ret = store_run_begin(ws->st, &rr->ri);
	if (ret)
		return ret;
	buf_addf(&b, "%s/runs/%s", ws->dir, rr->ri.id);
	rr->dir = buf_detach(&b);
	ret = mkdir_p(rr->dir, 0755);
	if (ret)
		return ret;
	rr->out_fd = open_artifact(rr->dir, "stdout.txt");
	rr->err_fd = open_artifact(rr->dir, "stderr.txt");
	if (a->perf_csv)
		rr->csv_fd = open_artifact(rr->dir, "perf-stat.csv");
	if (rr->out_fd < 0 || rr->err_fd < 0 || (a->perf_csv && rr->csv_fd < 0))
		return PG_EENV;
	return 0;
}

static void record_artifacts(struct runrec *rr, struct workspace *ws)
{
	static const char *const files[][2] = {
		{ "stdout", "stdout.txt" }, { "stderr", "stderr.txt" },
		{ "perf-stat-csv", "perf-stat.csv" },
		{ "report-text", "report.txt" }, { "report-markdown", "report.md" },
		{ "report-json", "report.json" }, { "report-junit", "junit.xml" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		struct buf path = BUF_INIT, rel = BUF_INIT;
		char hex[65];
		uint64_t size;

		buf_addf(&path, "%s/%s", rr->dir, files[i][1]);
		buf_addf(&rel, "runs/%s/%s", rr->ri.id, files[i][1]);
		if (!access(path.buf, F_OK) && !sha256_file(path.buf, hex, &size)) {
			if (size)
				store_add_artifact(ws->st, rr->ri.id, files[i][0], rel.buf, size, hex);
			else
				unlink(path.buf);
		}
		buf_release(&path);
		buf_release(&rel);
	}
}

int runrec_finish(struct runrec *rr, struct workspace *ws, int err)
{
	return runrec_finish_exit(rr, ws, err, exit_code_for(err));
}

int runrec_finish_exit(struct runrec *rr, struct workspace *ws, int err, int code)
{
	enum run_status st = err == PG_EINTR ? RUN_INTERRUPTED : err ? RUN_FAILED : RUN_OK;

	if (!rr->ri.id[0])
		return code;
	if (rr->dir)
		record_artifacts(rr, ws);
	if (store_run_finish(ws->st, rr->ri.id, st, code, 0) && !err)
		code = EXIT_ENV;
	return code;
}

void runrec_release(struct runrec *rr)
{
	if (rr->out_fd >= 0)
		close(rr->out_fd);
	if (rr->err_fd >= 0)
		close(rr->err_fd);
	if (rr->csv_fd >= 0)
		close(rr->csv_fd);
	free(rr->dir);
	free(rr->argv_json);
	memset(rr, 0, sizeof(*rr));
	rr->out_fd = rr->err_fd = rr->csv_fd = -1;
}

/* Once per invocation: run and compare probe every run they record. */
static void warn_dropped(const struct perf_probe *pp)
{
	static int warned;
	struct buf list = BUF_INIT;

	if (warned)
		return;

	for (size_t i = 0; i < pp->unsupported.nr; i++)
		buf_addf(&list, "%s%s", i ? ", " : "", pp->unsupported.v[i]);
	for (size_t i = 0; i < pp->not_counted.nr; i++)
		buf_addf(&list, "%s%s", list.len ? ", " : "", pp->not_counted.v[i]);
	if (list.len) {
		warning("events not counted on this runner, dropped: %s%s", list.buf,
			pp->pmu ? "" : " (no hardware PMU: only software events count here)");
		warned = 1;
	}
	buf_release(&list);
}

int bench_events(struct runner *r, struct store *st, const char *run_id,
		 const struct strvec *requested, int detail, int *pmu_out,
		 struct strvec *counted)
{
	struct strvec wanted = STRVEC_INIT;
	struct perf_probe pp;
	int ret = 0;

	perf_probe_init(&pp);
	if (requested->nr) {
		for (size_t i = 0; i < requested->nr && !ret; i++)
			ret = ps_split_events(requested->v[i], &wanted);
		if (detail == 1)
			perf_default_events(&wanted, 1);
	} else {
		perf_default_events(&wanted, detail != 0);
	}
	if (!ret)
		ret = perf_probe_events(r, &wanted, &pp);
	if (ret)
		goto out;
	*pmu_out = pp.pmu;
	for (size_t i = 0; i < pp.counted.nr; i++)
		store_add_event(st, run_id, pp.counted.v[i], EVENT_COUNTED);
	for (size_t i = 0; i < pp.unsupported.nr; i++)
		store_add_event(st, run_id, pp.unsupported.v[i], EVENT_UNSUPPORTED);
	for (size_t i = 0; i < pp.not_counted.nr; i++)
		store_add_event(st, run_id, pp.not_counted.v[i], EVENT_NOT_COUNTED);
	warn_dropped(&pp);
	if (!pp.counted.nr) {
		ret = error_code(PG_EENV, "none of the requested events counts on this runner");
		goto out;
	}
	strvec_pushv(counted, pp.counted.v);
out:
	perf_probe_release(&pp);
	strvec_clear(&wanted);
	return ret;
}

int bench_probe_pmu(struct runner *r, struct fingerprint *fp)
{
	struct strvec ev = STRVEC_INIT;
	struct perf_probe pp;
	int ret;

	perf_probe_init(&pp);
	strvec_push(&ev, "instructions");
	ret = perf_probe_events(r, &ev, &pp);
	if (!ret)
		fp->pmu = pp.pmu;
	perf_probe_release(&pp);
	strvec_clear(&ev);
	return ret;
}

int bench_preflight(int perf_here)
{
	char *go;

	if (perf_here) {
		int ret = perf_preflight();

		if (ret)
			return ret;
	}
	go = proc_which("go");
	if (!go)
		return error_code(PG_EENV, "'go' not found in PATH: install Go "
				  "(Debian: 'apt-get install golang-go')");
	free(go);
	return 0;
}

void measure_opts_init(struct measure_opts *mo, const struct testargs *ta,
		       const struct strvec *events, int gomaxprocs)
{
	memset(mo, 0, sizeof(*mo));
	mo->events = events;
	mo->count = ta->count ? ta->count : 1;
	mo->bench = ta->bench;
	mo->benchtime = ta->benchtime;
	mo->cpu = ta->cpu;
	mo->extra = &ta->extra;
	mo->args = &ta->args;
	mo->gomaxprocs = gomaxprocs;
}

void measure_ctx_init(struct measure_ctx *mc, struct runner *r, struct store *st,
		      const struct runrec *rr)
{
	memset(mc, 0, sizeof(*mc));
	mc->runner = r;
	mc->st = st;
	mc->run_id = rr->ri.id;
	mc->out_fd = rr->out_fd;
	mc->err_fd = rr->err_fd;
	mc->csv_fd = rr->csv_fd;
	mc->started_ns = clock_mono_ns();
	mc->tty = isatty(2);
}

int bench_tree_prepare(struct bench_tree *bt, struct measure_ctx *mc,
		       const struct measure_opts *mo, const struct testargs *ta,
		       const char *store_dir)
{
	struct buf names = BUF_INIT;
	int ret;

	ret = gotool_list(bt->dir, bt->root, &ta->packages, &ta->build, store_dir, &bt->pkgs);
	if (ret)
		return ret;
	for (size_t i = 0; i < bt->pkgs.nr; i++)
		buf_addf(&names, "%s%s", i ? " " : "", bt->pkgs.pkgs[i].import_path);
	ret = store_run_set_packages(mc->st, mc->run_id, names.buf);
	buf_release(&names);
	if (ret)
		return ret;
	bt->plans = xcalloc(bt->pkgs.nr, sizeof(*bt->plans));
	for (size_t i = 0; i < bt->pkgs.nr && !ret; i++) {
		struct pkg_plan *pl = &bt->plans[i];
		struct buf bin = BUF_INIT;

		pl->pkg = &bt->pkgs.pkgs[i];
		buf_addf(&bin, "%s/%s%zu.test", mc->runner->local_scratch, bt->tag ? bt->tag : "", i);
		progress_update(mc, pl->pkg->import_path);
		ret = gotool_build(bt->dir, bt->root, pl->pkg, &ta->build, &mc->runner->build_env, store_dir,
				   bin.buf);
		if (!ret)
			ret = mc->runner->ops->stage(mc->runner, bin.buf, pl->pkg->dir,
						     &pl->bin, &pl->dir);
		if (!ret)
			ret = measure_plan(mc, mo, pl);
		if (!ret && !pl->nr && bt->pkgs.nr > 1)
			verbose("no benchmark matches in '%s'", pl->pkg->import_path);
		bt->nleaves += pl->nr;
		buf_release(&bin);
	}
	return ret;
}

int bench_tree_measure(struct bench_tree *bt, struct measure_ctx *mc,
		       const struct measure_opts *mo)
{
	int ret = 0;

	for (size_t i = 0; i < bt->pkgs.nr && !ret; i++)
		ret = measure_run(mc, mo, &bt->plans[i]);
	return ret;
}

void bench_tree_release(struct bench_tree *bt)
{
	for (size_t i = 0; bt->plans && i < bt->pkgs.nr; i++)
		pkg_plan_release(&bt->plans[i]);
	free(bt->plans);
	gopkg_list_release(&bt->pkgs);
	bt->plans = NULL;
	bt->nleaves = 0;
}

struct leaf *bench_tree_find(struct bench_tree *bt, const char *pkg, const char *name,
			     int procs, struct pkg_plan **plan_out)
{
	for (size_t i = 0; i < bt->pkgs.nr; i++) {
		struct pkg_plan *pl = &bt->plans[i];

		if (strcmp(pl->pkg->import_path, pkg))
			continue;
		for (size_t j = 0; j < pl->nr; j++)
			if (pl->leaves[j].procs == procs && !strcmp(pl->leaves[j].name, name)) {
				if (plan_out)
					*plan_out = pl;
				return &pl->leaves[j];
			}
	}
	return NULL;
}

/* run and compare take "[-- <pkg>... [flags]]"; packages default to ./... */
int parse_bench_args(const struct strvec *words, struct testargs *ta)
{
	struct strvec argv = STRVEC_INIT;
	int ret;

	if (!words->nr || words->v[0][0] == '-')
		strvec_push(&argv, "./...");
	strvec_pushv(&argv, words->v);
	ret = testargs_parse(ta, (int)argv.nr, argv.v);
	strvec_clear(&argv);
	return ret;
}
