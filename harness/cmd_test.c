/*
 * perfgo test [default|stat] [<options>] [--] <pkg>... [go test flags]
 *
 * Builds each package's test binary with `go test -c` and runs it in the
 * package directory, as `go test` would (`default`), or measures each of
 * its benchmarks under perf stat with the protocol of measure.h (`stat`).
 * Every invocation is recorded in the store, from a 'running' row written
 * before any work to its final status and exit code.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "escape.h"
#include "gotool.h"
#include "measure.h"
#include "perf.h"
#include "perf_stat.h"
#include "proc.h"
#include "progress.h"
#include "runner.h"
#include "sha256.h"
#include "sig.h"
#include "stat_report.h"
#include "testargs.h"
#include "usage.h"
#include "workspace.h"
#include "banned.h"

static const char test_usage[] =
	"usage: perfgo test [default|stat] [<options>] [--] <pkg>... [go test flags]\n"
	"\n"
	"  default   build the tests and run them as 'go test' would (the default mode)\n"
	"  stat      run every benchmark under 'perf stat', one process per benchmark and\n"
	"            repetition, with a fixed iteration count; report Go's metrics, every\n"
	"            counter per op (start-up excluded) and derived ratios\n"
	"\n"
	"<pkg> is '.', './sub', '../x', an import path or a './...' pattern.  go test flags\n"
	"follow the packages: build flags (-tags, -race, -gcflags, ...) go to 'go test -c',\n"
	"test flags (-bench, -benchtime, -count, -cpu, ...) to the test binary.  In 'stat'\n"
	"mode -bench defaults to '.', -count N means N repetitions as separate processes,\n"
	"and -benchtime=Nx fixes the iteration count (else it is calibrated, default 1s).\n";

struct test_opts {
	int stat;
	struct strvec events;
	int detail;               /* -1: not given */
	const char *format;
};

static int report_run(struct workspace *ws, const char *run_id, const char *format)
{
	struct run_row row = { 0 };
	struct sample_list sl = SAMPLE_LIST_INIT;
	struct run_extras x = { 0 };
	struct stat_report r;
	struct buf out = BUF_INIT;
	int ret;

	ret = store_find_run(ws->st, run_id, &row, NULL);
	if (!ret)
		ret = store_run_samples(ws->st, run_id, &sl);
	if (!ret)
		ret = store_run_extras(ws->st, &row, &x);
	if (ret)
		goto out;
	r.run = &row;
	r.samples = &sl;
	r.extras = &x;
	if (!strcmp(format, "json"))
		stat_report_json(&out, &r);
	else if (!strcmp(format, "gobench"))
		stat_report_gobench(&out, &r);
	else
		stat_report_text(&out, &r);
	fwrite(out.buf, 1, out.len, stdout);
out:
	run_row_release(&row);
	sample_list_release(&sl);
	run_extras_release(&x);
	buf_release(&out);
	return ret;
}

/* The configuration a run was made with; the events as the user asked for them. */
static char *config_json(const struct test_opts *to, const struct testargs *ta)
{
	struct buf b = BUF_INIT;

	buf_addstr(&b, "{\"mode\":");
	json_quote(&b, to->stat ? "stat" : "default");
	buf_addf(&b, ",\"count\":%d,\"bench\":", ta->count ? ta->count : 1);
	json_quote(&b, ta->bench ? ta->bench : (to->stat ? "." : ""));
	buf_addstr(&b, ",\"benchtime\":");
	json_quote(&b, ta->benchtime ? ta->benchtime : "");
	buf_addf(&b, ",\"detail\":%s,\"events\":[", to->detail != 0 ? "true" : "false");
	for (size_t i = 0; i < to->events.nr; i++) {
		if (i)
			buf_addch(&b, ',');
		json_quote(&b, to->events.v[i]);
	}
	buf_addstr(&b, "],\"build_flags\":[");
	for (size_t i = 0; i < ta->build.nr; i++) {
		if (i)
			buf_addch(&b, ',');
		json_quote(&b, ta->build.v[i]);
	}
	buf_addstr(&b, "]}");
	return buf_detach(&b);
}

/* Open an artifact file under runs/<id>/ for appending. */
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

/* Record the non-empty artifacts with size and hash; drop empty files. */
static void record_artifacts(struct workspace *ws, const char *run_id, const char *run_dir)
{
	static const char *const files[][2] = {
		{ "stdout", "stdout.txt" }, { "stderr", "stderr.txt" },
		{ "perf-stat-csv", "perf-stat.csv" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		struct buf path = BUF_INIT, rel = BUF_INIT;
		char hex[65];
		uint64_t size;

		buf_addf(&path, "%s/%s", run_dir, files[i][1]);
		buf_addf(&rel, "runs/%s/%s", run_id, files[i][1]);
		if (!access(path.buf, F_OK) && !sha256_file(path.buf, hex, &size)) {
			if (size)
				store_add_artifact(ws->st, run_id, files[i][0], rel.buf, size, hex);
			else
				unlink(path.buf);
		}
		buf_release(&path);
		buf_release(&rel);
	}
}

/* Map an internal error to the exit code (DESIGN §7). */
static int exit_for(int err)
{
	if (err == PG_EINTR)
		return EXIT_SIGNAL + (sig_pending() ? sig_pending() : 2);
	return pg_err_exit_code(err);
}

struct session {
	struct workspace ws;
	struct runner runner;
	int runner_open;
	struct run_info ri;
	char *run_dir;
	int out_fd, err_fd, csv_fd;
	struct gopkg_list pkgs;
};

static int print_line(struct runner_job *job, const char *line, size_t len)
{
	(void)job;
	fwrite(line, 1, len, stdout);
	fputc('\n', stdout);
	fflush(stdout);
	return 0;
}

/* `default` mode: run each package's tests with the user's flags. */
static int run_default(struct session *s, const struct testargs *ta)
{
	int failed = 0;

	for (size_t i = 0; i < s->pkgs.nr; i++) {
		const struct gopkg *pkg = &s->pkgs.pkgs[i];
		struct runner_job job;
		struct buf bin = BUF_INIT;
		char *rbin = NULL, *rdir = NULL;
		int ret;

		buf_addf(&bin, "%s/%zu.test", s->runner.scratch, i);
		ret = gotool_build(NULL, pkg, &ta->build, NULL, s->ws.dir, bin.buf);
		if (!ret)
			ret = s->runner.ops->stage(&s->runner, bin.buf, pkg->dir, &rbin, &rdir);
		if (ret) {
			buf_release(&bin);
			if (ret == PG_ECODE) {
				failed = 1;
				continue;
			}
			return ret;
		}
		runner_job_init(&job);
		strvec_push(&job.argv, rbin);
		strvec_pushv(&job.argv, ta->test.v);
		if (ta->args.nr) {
			strvec_push(&job.argv, "-args");
			strvec_pushv(&job.argv, ta->args.v);
		}
		job.dir = rdir;
		/* Output streams to the terminal and into the run's stdout artifact. */
		job.stdout_fd = s->out_fd;
		job.stderr_fd = -1;
		job.on_line = print_line;
		ret = s->runner.ops->exec(&s->runner, &job);
		if (!ret && job.status) {
			failed = 1;
			error("tests of '%s' failed (exit %d)", pkg->import_path, job.status);
		}
		runner_job_release(&job);
		free(rbin);
		free(rdir);
		buf_release(&bin);
		if (ret)
			return ret;
	}
	return failed ? PG_ECODE : 0;
}

/* The event list: -e as given, else the default set; probed on the runner. */
static int choose_events(struct session *s, struct test_opts *to, struct strvec *counted,
			 struct fingerprint *fp)
{
	struct strvec wanted = STRVEC_INIT;
	struct perf_probe pp;
	int ret = 0;

	perf_probe_init(&pp);
	if (to->events.nr) {
		for (size_t i = 0; i < to->events.nr && !ret; i++)
			ret = ps_split_events(to->events.v[i], &wanted);
		if (to->detail == 1)
			perf_default_events(&wanted, 1);
	} else {
		perf_default_events(&wanted, to->detail != 0);
	}
	if (!ret)
		ret = perf_probe_events(&s->runner, &wanted, &pp);
	if (ret)
		goto out;
	fp->pmu = pp.pmu;
	for (size_t i = 0; i < pp.counted.nr; i++)
		store_add_event(s->ws.st, s->ri.id, pp.counted.v[i], EVENT_COUNTED);
	for (size_t i = 0; i < pp.unsupported.nr; i++)
		store_add_event(s->ws.st, s->ri.id, pp.unsupported.v[i], EVENT_UNSUPPORTED);
	for (size_t i = 0; i < pp.not_counted.nr; i++)
		store_add_event(s->ws.st, s->ri.id, pp.not_counted.v[i], EVENT_NOT_COUNTED);
	if (pp.unsupported.nr || pp.not_counted.nr) {
		struct buf list = BUF_INIT;

		for (size_t i = 0; i < pp.unsupported.nr; i++)
			buf_addf(&list, "%s%s", i ? ", " : "", pp.unsupported.v[i]);
		for (size_t i = 0; i < pp.not_counted.nr; i++)
			buf_addf(&list, "%s%s", list.len ? ", " : "", pp.not_counted.v[i]);
		warning("events not counted on this runner, dropped: %s%s", list.buf,
			pp.pmu ? "" : " (no hardware PMU: only software events count here)");
		buf_release(&list);
	}
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

static int run_stat(struct session *s, const struct testargs *ta,
		    const struct strvec *events, const struct fingerprint *fp)
{
	struct measure_ctx mc = { 0 };
	struct measure_opts mo = { 0 };
	struct pkg_plan *plans = xcalloc(s->pkgs.nr, sizeof(*plans));
	size_t nleaves = 0;
	int ret = 0;

	mc.runner = &s->runner;
	mc.st = s->ws.st;
	mc.run_id = s->ri.id;
	mc.out_fd = s->out_fd;
	mc.err_fd = s->err_fd;
	mc.csv_fd = s->csv_fd;
	mc.started_ns = mono_ns();
	mc.tty = isatty(2);
	mo.events = events;
	mo.count = ta->count ? ta->count : 1;
	mo.bench = ta->bench;
	mo.benchtime = ta->benchtime;
	mo.cpu = ta->cpu;
	mo.extra = &ta->extra;
	mo.args = &ta->args;
	mo.gomaxprocs = fp->gomaxprocs;

	/* Plan everything first so that the progress line can give an ETA. */
	for (size_t i = 0; i < s->pkgs.nr && !ret; i++) {
		struct buf bin = BUF_INIT;

		plans[i].pkg = &s->pkgs.pkgs[i];
		buf_addf(&bin, "%s/%zu.test", s->runner.scratch, i);
		progress_update(&mc, s->pkgs.pkgs[i].import_path);
		ret = gotool_build(NULL, plans[i].pkg, &ta->build, NULL, s->ws.dir, bin.buf);
		if (!ret)
			ret = s->runner.ops->stage(&s->runner, bin.buf, plans[i].pkg->dir,
						   &plans[i].bin, &plans[i].dir);
		if (!ret)
			ret = measure_plan(&mc, &mo, &plans[i]);
		if (!ret && !plans[i].nr && s->pkgs.nr > 1)
			verbose("no benchmark matches in '%s'", plans[i].pkg->import_path);
		nleaves += plans[i].nr;
		buf_release(&bin);
	}
	if (!ret && !nleaves)
		ret = error_code(PG_EUSAGE, "no benchmark matches '-bench=%s' in %s",
				 ta->bench ? ta->bench : ".",
				 s->pkgs.nr == 1 ? s->pkgs.pkgs[0].import_path : "these packages");
	mc.jobs_total = nleaves * (size_t)mo.count;
	for (size_t i = 0; i < s->pkgs.nr && !ret; i++)
		ret = measure_run(&mc, &mo, &plans[i]);
	progress_done(&mc);
	for (size_t i = 0; i < s->pkgs.nr; i++)
		pkg_plan_release(&plans[i]);
	free(plans);
	return ret;
}

static void join_packages(const struct gopkg_list *l, struct buf *out)
{
	for (size_t i = 0; i < l->nr; i++)
		buf_addf(out, "%s%s", i ? " " : "", l->pkgs[i].import_path);
}

static int test_session(struct session *s, struct test_opts *to, struct testargs *ta,
			struct ctx *ctx)
{
	struct fingerprint fp = { 0 };
	struct strvec events = STRVEC_INIT;
	struct buf b = BUF_INIT;
	char *argv_json = NULL, *cfg = NULL;
	int64_t fp_id = 0;
	int ret, status;

	if (to->stat) {
		ret = perf_preflight();
		if (ret)
			return ret;
	}
	{
		char *go = proc_which("go");

		if (!go)
			return error_code(PG_EENV, "'go' not found in PATH: install Go "
					  "(Debian: 'apt-get install golang-go')");
		free(go);
	}
	ret = workspace_open(&s->ws, 1);
	if (ret)
		return ret;
	ret = runner_local_open(&s->runner);
	if (ret)
		return ret;
	s->runner_open = 1;
	ret = s->runner.ops->probe(&s->runner, &fp);
	if (!ret && to->stat)
		ret = store_fingerprint(s->ws.st, &fp, &fp_id);
	if (ret)
		goto out;

	argv_json = cli_argv_json(ctx);
	cfg = config_json(to, ta);
	s->ri.command = to->stat ? "test stat" : "test default";
	s->ri.argv_json = argv_json;
	s->ri.workdir = s->ws.workdir;
	for (size_t i = 0; i < ta->packages.nr; i++)
		buf_addf(&b, "%s%s", i ? " " : "", ta->packages.v[i]);
	s->ri.packages = b.buf;
	s->ri.commit = s->ws.git.commit;
	s->ri.branch = s->ws.git.branch;
	s->ri.dirty = s->ws.git.dirty;
	s->ri.fingerprint_id = fp_id;
	s->ri.config_json = cfg;
	s->ri.started_ns = now_ns();
	ret = store_run_begin(s->ws.st, &s->ri);
	if (ret)
		goto out;
	buf_reset(&b);
	buf_addf(&b, "%s/runs/%s", s->ws.dir, s->ri.id);
	s->run_dir = buf_detach(&b);
	ret = mkdir_p(s->run_dir, 0755);
	if (ret)
		goto finish;
	s->out_fd = open_artifact(s->run_dir, "stdout.txt");
	s->err_fd = open_artifact(s->run_dir, "stderr.txt");
	s->csv_fd = to->stat ? open_artifact(s->run_dir, "perf-stat.csv") : -1;
	if (s->out_fd < 0 || s->err_fd < 0 || (to->stat && s->csv_fd < 0)) {
		ret = PG_EENV;
		goto finish;
	}

	if (to->stat)
		ret = choose_events(s, to, &events, &fp);
	if (!ret)
		ret = gotool_list(NULL, &ta->packages, &ta->build, s->ws.dir, &s->pkgs);
	if (!ret) {
		join_packages(&s->pkgs, &b);
		ret = store_run_set_packages(s->ws.st, s->ri.id, b.buf);
	}
	if (!ret && to->stat)
		ret = run_stat(s, ta, &events, &fp);
	else if (!ret)
		ret = run_default(s, ta);

finish:
	status = exit_for(ret);
	if (s->run_dir)
		record_artifacts(&s->ws, s->ri.id, s->run_dir);
	if (store_run_finish(s->ws.st, s->ri.id,
			     ret == PG_EINTR ? RUN_INTERRUPTED : ret ? RUN_FAILED : RUN_OK,
			     status, now_ns()) && !ret)
		ret = PG_EENV;
	if (to->stat && ret != PG_EINTR && ret != PG_EUSAGE) {
		/* Whatever was measured is shown, even when a later benchmark failed. */
		int r2 = report_run(&s->ws, s->ri.id, to->format);

		if (r2 && !ret)
			ret = r2;
	}
	if (ret == PG_EINTR)
		note("interrupted: run %.8s recorded as interrupted", s->ri.id);
out:
	fingerprint_release(&fp);
	strvec_clear(&events);
	buf_release(&b);
	free(argv_json);
	free(cfg);
	return ret;
}

static void session_release(struct session *s)
{
	if (s->out_fd >= 0)
		close(s->out_fd);
	if (s->err_fd >= 0)
		close(s->err_fd);
	if (s->csv_fd >= 0)
		close(s->csv_fd);
	if (s->runner_open)
		runner_close(&s->runner);
	gopkg_list_release(&s->pkgs);
	free(s->run_dir);
	workspace_close(&s->ws);
}

int cmd_test(int argc, const char **argv, struct ctx *ctx)
{
	struct test_opts to = { 0, STRVEC_INIT, -1, "text" };
	struct opt opts[] = {
		OPT_LIST_("event", 'e', &to.events, "<event>",
			  "perf event(s) to count, perf syntax; repeatable (stat)"),
		OPT_BOOL_("detail", 0, &to.detail,
			  "count L1-dcache and LLC events too (stat; default on, --no-detail)"),
		OPT_STR_("format", 0, &to.format, "<fmt>", "text, json or gobench (stat)"),
		OPT_END_()
	};
	struct strvec rest = STRVEC_INIT;
	struct testargs ta;
	struct session s;
	int ret, i = 1;

	memset(&s, 0, sizeof(s));
	s.out_fd = s.err_fd = s.csv_fd = -1;
	testargs_init(&ta);
	if (argc > 1 && (!strcmp(argv[1], "stat") || !strcmp(argv[1], "default"))) {
		to.stat = !strcmp(argv[1], "stat");
		i = 2;
	}
	ret = cli_parse("test", test_usage, opts, argc - i, argv + i,
			OPTS_STOP_AT_NON_OPTION, &rest);
	if (ret) {
		ret = ret > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (strcmp(to.format, "text") && strcmp(to.format, "json") && strcmp(to.format, "gobench")) {
		error("unknown format '%s': use text, json or gobench", to.format);
		ret = EXIT_USAGE;
		goto out;
	}
	if (!to.stat && (to.events.nr || to.detail >= 0 || strcmp(to.format, "text"))) {
		error("'--event', '--detail' and '--format' need 'perfgo test stat'");
		ret = EXIT_USAGE;
		goto out;
	}
	if (testargs_parse(&ta, (int)rest.nr, rest.v)) {
		cli_hint("test");
		ret = EXIT_USAGE;
		goto out;
	}
	ret = exit_for(test_session(&s, &to, &ta, ctx));
out:
	session_release(&s);
	testargs_release(&ta);
	strvec_clear(&rest);
	strvec_clear(&to.events);
	return ret;
}
