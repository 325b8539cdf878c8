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

#include "session/bench.h"
#include "util/buf.h"
#include "cli/cli.h"
#include "escape.h"
#include "gobuild/gotool.h"
#include "measure/perf.h"
#include "session/progress.h"
#include "runner/runner.h"
#include "runner/runner_ssh.h"
#include "stat_report.h"
#include "store/store_series.h"
#include "cli/testargs.h"
#include "util/usage.h"
#include "session/workspace.h"
#include "util/banned.h"

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
	"and -benchtime=Nx fixes the iteration count (else it is calibrated, default 1s).\n"
	"With --remote-host the tests are built here for the remote OS and architecture\n"
	"and run there over ssh.\n";

struct test_opts {
	int stat;
	struct strvec events;
	int detail;               /* -1: not given */
	const char *format;
	const char *remote;       /* --remote-host, or NULL */
	int keep;
};

static int report_run(struct workspace *ws, const char *run_id, const char *format)
{
	struct run_row row = { 0 };
	struct sample_list sl = SAMPLE_LIST_INIT;
	struct run_extras x = { 0 };
	struct stat_run r = STAT_RUN_INIT;
	struct buf out = BUF_INIT;
	int ret;

	ret = store_find_run(ws->st, run_id, &row, NULL);
	if (!ret)
		ret = store_run_samples(ws->st, run_id, &sl);
	if (!ret)
		ret = store_run_extras(ws->st, &row, &x);
	if (ret)
		goto out;
	stat_run_from_store(&r, &row, &sl, &x);
	/* Nothing measured (a build failure): the error said it all. */
	if (!sl.nr && strcmp(format, "json"))
		goto out;
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
	stat_run_release(&r);
	buf_release(&out);
	return ret;
}

/* The configuration a run was made with; the events as the user asked for them. */
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

struct session {
	struct workspace ws;
	struct runner runner;
	int runner_open;
	struct runrec rr;
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
	struct buf names = BUF_INIT;
	int ret;

	ret = gotool_list(NULL, NULL, &ta->packages, &ta->build, s->ws.dir, &s->pkgs);
	if (ret)
		return ret;
	for (size_t i = 0; i < s->pkgs.nr; i++)
		buf_addf(&names, "%s%s", i ? " " : "", s->pkgs.pkgs[i].import_path);
	ret = store_run_set_packages(s->ws.st, s->rr.ri.id, names.buf);
	buf_release(&names);
	for (size_t i = 0; i < s->pkgs.nr && !ret; i++) {
		const struct gopkg *pkg = &s->pkgs.pkgs[i];
		struct runner_job job;
		struct buf bin = BUF_INIT;
		char *rbin = NULL, *rdir = NULL;

		buf_addf(&bin, "%s/%zu.test", s->runner.local_scratch, i);
		ret = gotool_build(NULL, NULL, pkg, &ta->build, &s->runner.build_env, s->ws.dir, bin.buf);
		if (!ret)
			ret = s->runner.ops->stage(&s->runner, bin.buf, pkg->dir, &rbin, &rdir);
		buf_release(&bin);
		if (ret == PG_ECODE) {
			/* Like go test: report it and go on with the other packages. */
			failed = 1;
			ret = 0;
			continue;
		}
		if (ret)
			break;
		runner_job_init(&job);
		strvec_push(&job.argv, rbin);
		strvec_pushv(&job.argv, ta->test.v);
		if (ta->args.nr) {
			strvec_push(&job.argv, "-args");
			strvec_pushv(&job.argv, ta->args.v);
		}
		job.dir = rdir;
		/* Output streams to the terminal and into the run's stdout artifact. */
		job.stdout_fd = s->rr.out_fd;
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
	}
	return ret ? ret : failed ? PG_ECODE : 0;
}

static int run_stat(struct session *s, const struct testargs *ta,
		    const struct strvec *events, const struct fingerprint *fp)
{
	struct measure_ctx mc;
	struct measure_opts mo;
	struct bench_tree bt = { 0 };
	int ret;

	measure_ctx_init(&mc, &s->runner, s->ws.st, &s->rr);
	measure_opts_init(&mo, ta, events, fp->gomaxprocs);
	/* Plan everything first so that the progress line can give an ETA. */
	ret = bench_tree_prepare(&bt, &mc, &mo, ta, s->ws.dir);
	if (!ret && !bt.nleaves)
		ret = error_code(PG_EUSAGE, "no benchmark matches '-bench=%s' in %s",
				 ta->bench ? ta->bench : ".",
				 bt.pkgs.nr == 1 ? bt.pkgs.pkgs[0].import_path : "these packages");
	mc.jobs_total = bt.nleaves * (size_t)mo.count;
	if (!ret)
		ret = bench_tree_measure(&bt, &mc, &mo);
	progress_done(&mc);
	bench_tree_release(&bt);
	return ret;
}

static int test_session(struct session *s, struct test_opts *to, struct testargs *ta,
			struct ctx *ctx)
{
	struct fingerprint fp = { 0 };
	struct strvec events = STRVEC_INIT;
	struct runrec_args ra = { 0 };
	struct buf pkgs = BUF_INIT;
	char *cfg = NULL;
	int64_t fp_id = 0;
	int ret, code;

	ret = bench_preflight(to->stat && !to->remote);
	if (ret)
		return ret;
	ret = workspace_open(&s->ws, 1);
	if (!ret)
		ret = runner_open(&s->runner, to->remote, to->keep);
	if (ret)
		return ret;
	s->runner_open = 1;
	ret = s->runner.ops->probe(&s->runner, &fp);
	if (!ret && to->stat)
		ret = perf_check_runner(&s->runner, &fp, to->remote != NULL);
	if (ret)
		goto out;

	cfg = config_json(to, ta);
	for (size_t i = 0; i < ta->packages.nr; i++)
		buf_addf(&pkgs, "%s%s", i ? " " : "", ta->packages.v[i]);
	ra.command = to->stat ? "test stat" : "test default";
	ra.packages = pkgs.buf;
	ra.commit = s->ws.git.commit;
	ra.branch = s->ws.git.branch;
	ra.dirty = s->ws.git.dirty;
	ra.config_json = cfg;
	ra.perf_csv = to->stat;
	if (to->stat) {
		/* The PMU flag is part of the fingerprint: probe before storing it. */
		ret = bench_probe_pmu(&s->runner, &fp);
		if (!ret)
			ret = store_fingerprint(s->ws.st, &fp, &fp_id);
		ra.fingerprint_id = fp_id;
	}
	if (!ret)
		ret = runrec_begin(&s->rr, &s->ws, ctx, &ra);
	if (!s->rr.ri.id[0])
		goto out;
	if (!ret && to->stat)
		ret = bench_events(&s->runner, s->ws.st, s->rr.ri.id, &to->events, to->detail,
				   &fp.pmu, &events);
	if (!ret && to->stat)
		ret = run_stat(s, ta, &events, &fp);
	else if (!ret)
		ret = run_default(s, ta);

	code = runrec_finish(&s->rr, &s->ws, ret);
	if (code == EXIT_ENV && !ret)
		ret = PG_EENV;
	if (to->stat && ret != PG_EINTR && ret != PG_EUSAGE) {
		/* Whatever was measured is shown, even when a later benchmark failed. */
		int r2 = report_run(&s->ws, s->rr.ri.id, to->format);

		if (r2 && !ret)
			ret = r2;
	}
	if (ret == PG_EINTR)
		note("interrupted: run %.8s recorded as interrupted", s->rr.ri.id);
out:
	fingerprint_release(&fp);
	strvec_clear(&events);
	buf_release(&pkgs);
	free(cfg);
	return ret;
}

static void session_release(struct session *s)
{
	runrec_release(&s->rr);
	if (s->runner_open)
		runner_close(&s->runner);
	gopkg_list_release(&s->pkgs);
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
		OPT_STR_("remote-host", 0, &to.remote, "<host>",
			 "build here, run on [user@]host over ssh"),
		OPT_BOOL_("keep", 0, &to.keep, "keep the (remote) scratch directory"),
		OPT_END_()
	};
	struct strvec rest = STRVEC_INIT;
	struct testargs ta;
	struct session s;
	int ret, i = 1;

	memset(&s, 0, sizeof(s));
	s.rr.out_fd = s.rr.err_fd = s.rr.csv_fd = -1;
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
	if (to.remote && ssh_check_host(to.remote)) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (testargs_parse(&ta, (int)rest.nr, rest.v)) {
		cli_hint("test");
		ret = EXIT_USAGE;
		goto out;
	}
	ret = exit_code_for(test_session(&s, &to, &ta, ctx));
out:
	session_release(&s);
	testargs_release(&ta);
	strvec_clear(&rest);
	strvec_clear(&to.events);
	return ret;
}
