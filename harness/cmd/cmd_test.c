/*
 * perfgo test [default|stat|profile] [<options>] [--] <pkg>... [go test flags]
 *
 * Builds each package's test binary with `go test -c` and runs it in the
 * package directory, as `go test` would (`default`), or measures each of
 * its benchmarks under perf stat with the protocol of measure.h (`stat`),
 * or records each under perf record into one pprof file per benchmark
 * (`profile`, measure/backend_perf_record.c).
 * Every invocation is recorded in the store, from a 'running' row written
 * before any work to its final status and exit code.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "cli/cli.h"
#include "cmd/test_c2c.h"
#include "git/gitrepo.h"
#include "git/gitrev.h"
#include "gobuild/gotool.h"
#include "measure/bench_tree.h"
#include "measure/config.h"
#include "runner/runner.h"
#include "session/session.h"
#include "stat_report.h"
#include "cmd/stored_stat.h"
#include "cli/testargs.h"
#include "util/json.h"
#include "util/parse.h"
#include "util/sha256.h"
#include "profile/flame.h"
#include "profile/pprof_top.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/banned.h"

static const char test_usage[] =
	"usage: perfgo test [default|stat|profile|cache-to-cache|c2c] [<options>] [--] <pkg>...\n"
	"                   [go test flags]\n"
	"\n"
	"  default   build the tests and run them as 'go test' would (the default mode)\n"
	"  stat      run every benchmark under 'perf stat', one process per benchmark and\n"
	"            repetition, with a fixed iteration count; report Go's metrics, every\n"
	"            counter per op (start-up excluded) and derived ratios\n"
	"  profile   record every benchmark under 'perf record' (one process each, the\n"
	"            recording limited to the benchmark) into one symbolized pprof file\n"
	"            per benchmark: go tool pprof -top|-list|-lines|-traces <file>\n"
	"  c2c       record every benchmark under 'perf c2c' and say which cache lines\n"
	"            are falsely shared ('perfgo test c2c --help'; alias cache-to-cache)\n"
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
	int profile;              /* stat is set too: the measuring path */
	const char *period, *freq, *call_graph;   /* profile: -c, -F, --call-graph */
	const char *diff_base;    /* profile: a stored run to compare the profiles with */
	struct strvec events;
	int detail;               /* -1: not given */
	const char *format;
	const char *remote;       /* --remote-host, or NULL */
	int keep;
	const char *counters;     /* --counters, or NULL */
};

static int report_run(struct workspace *ws, const char *run_id, const char *format)
{
	struct stored_stat s = STORED_STAT_INIT;
	struct buf out = BUF_INIT;
	int ret = stored_stat_load(ws->st, run_id, &s);

	if (ret)
		goto out;
	/* Nothing measured (a build failure): the error said it all. */
	if (!s.sl.nr && strcmp(format, "json"))
		goto out;
	if (!strcmp(format, "json"))
		stat_report_json(&out, &s.r);
	else if (!strcmp(format, "gobench"))
		stat_report_gobench(&out, &s.r);
	else
		stat_report_text(&out, &s.r);
	fwrite(out.buf, 1, out.len, stdout);
out:
	stored_stat_release(&s);
	buf_release(&out);
	return ret;
}

/* The profiles of a `test profile` run, one path a line (relative to the current directory's view: absolute). */
static int report_profiles(struct workspace *ws, const char *run_id)
{
	struct run_row row = { 0 };
	struct run_extras x = { 0 };
	size_t n = 0;
	int ret;

	ret = store_find_run(ws->st, run_id, &row, NULL);
	if (!ret)
		ret = store_run_extras(ws->st, &row, &x);
	for (size_t i = 0; !ret && i < x.nartifacts; i++) {
		if (strcmp(x.artifacts[i].kind, "pprof"))
			continue;
		printf("%s/%s\n", ws->dir, x.artifacts[i].path);
		n++;
	}
	fflush(stdout);
	if (!ret && n)
		note("%zu profile%s of run %.8s: go tool pprof -top <file>; flame graphs next to "
		     "them (.flame.html); 'perfgo view' shows the top functions", n, n == 1 ? "" : "s",
		     run_id);
	run_row_release(&row);
	run_extras_release(&x);
	return ret;
}

/* The stored run `sel` names (0, -N, an id prefix), for --diff-base; 0 or PG_EUSAGE (reported). */
/*
 * The newest clean 'test profile' run that measured the commit `sel` names:
 * 0, PG_ENOTFOUND (silent) when `sel` is no revision or the commit has none.
 */
static int base_from_rev(struct workspace *ws, const char *sel, struct run_row *row,
			 char sha[41])
{
	struct gitrepo *repo = NULL;
	struct run_list l = RUN_LIST_INIT;
	int ret;

	if (!ws->git.in_repo || gitrepo_open(&repo, ws->top))
		return PG_ENOTFOUND;
	ret = gitrev_lookup(repo, sel, sha);
	gitrepo_close(repo);
	if (!ret)
		ret = store_list_runs(ws->st, NULL, 0, &l);
	if (!ret) {
		ret = PG_ENOTFOUND;
		for (size_t i = 0; i < l.nr && ret == PG_ENOTFOUND; i++) {
			const struct run_row *r = &l.rows[i];

			if (r->status == RUN_OK && !r->dirty && r->commit && !strcmp(r->commit, sha) &&
			    r->command && !strcmp(r->command, "test profile"))
				ret = store_find_run(ws->st, r->id, row, NULL);
		}
	}
	run_list_release(&l);
	return ret;
}

/* --diff-base: a stored 'test profile' run, by id or by the commit it measured. */
static int find_base(struct workspace *ws, const char *sel, struct run_row *row)
{
	char sha[41] = "";
	int ret = store_find_run(ws->st, sel, row, NULL);

	if (ret == PG_ENOTFOUND || ret == PG_EAMBIGUOUS || ret == PG_EUSAGE) {
		int by_rev = base_from_rev(ws, sel, row, sha);

		if (!by_rev)
			return 0;
		if (by_rev != PG_ENOTFOUND)
			return by_rev;
		if (sha[0])
			return error_code(PG_EUSAGE, "'--diff-base %s': commit %.8s has no stored "
					  "'test profile' run from a clean tree: profile it first "
					  "('git checkout %s' and 'perfgo test profile ...')", sel, sha, sel);
		return error_code(PG_EUSAGE, "'--diff-base %s' names no single stored run and no "
				  "commit: give a run id (prefix) from 'perfgo list' or a revision "
				  "that was profiled", sel);
	}
	if (!ret && (!row->command || strcmp(row->command, "test profile"))) {
		error_code(PG_EUSAGE, "'--diff-base %s': run %.8s is not a 'test profile' run", sel, row->id);
		return PG_EUSAGE;
	}
	return ret;
}

/*
 * For each profile of run `run_id` with a profile of the same benchmark in
 * run `base`: <name>.diff.flame.html next to it (flame.h), its path on
 * stdout.  Benchmarks the base lacks are named in a warning.
 */
static int diff_profiles(struct workspace *ws, const char *run_id, const struct run_row *base)
{
	struct run_row row = { 0 };
	struct run_extras x = { 0 }, bx = { 0 };
	int ret;

	ret = store_find_run(ws->st, run_id, &row, NULL);
	if (!ret)
		ret = store_run_extras(ws->st, &row, &x);
	if (!ret)
		ret = store_run_extras(ws->st, base, &bx);
	for (size_t i = 0; !ret && i < x.nartifacts; i++) {
		const char *name = strrchr(x.artifacts[i].path, '/') + 1;
		const struct artifact_row *b = NULL;
		struct profile p, pb;
		struct buf path = BUF_INIT, bpath = BUF_INIT, out = BUF_INIT, title = BUF_INIT;
		char hex[65];
		uint64_t size;

		if (strcmp(x.artifacts[i].kind, "pprof"))
			continue;
		for (size_t k = 0; k < bx.nartifacts && !b; k++)
			if (!strcmp(bx.artifacts[k].kind, "pprof") &&
			    !strcmp(strrchr(bx.artifacts[k].path, '/') + 1, name))
				b = &bx.artifacts[k];
		if (!b) {
			warning("run %.8s has no profile '%s': no difference graph for it", base->id, name);
			continue;
		}
		profile_init(&p);
		profile_init(&pb);
		buf_addf(&path, "%s/%s", ws->dir, x.artifacts[i].path);
		buf_addf(&bpath, "%s/%s", ws->dir, b->path);
		buf_addf(&out, "%.*s.diff.flame.html", (int)(path.len - strlen(".pb.gz")), path.buf);
		ret = pprof_read(path.buf, &p);
		if (!ret)
			ret = pprof_read(bpath.buf, &pb);
		if (!ret) {
			p.benchmark = xstrndup(name, strlen(name) - strlen(".pb.gz"));
			buf_addf(&title, "%s: run %.8s against base run %.8s (red: a larger share, blue: "
				 "a smaller one)", p.benchmark, run_id, base->id);
			ret = flame_diff_write(&p, &pb, title.buf, out.buf);
		}
		if (!ret && !sha256_file(out.buf, hex, &size))
			ret = store_add_artifact(ws->st, run_id, "flamegraph-diff",
						 out.buf + strlen(ws->dir) + 1, size, hex);
		if (!ret) {
			printf("%s\n", out.buf);
			note("go tool pprof -diff_base %s %s", bpath.buf, path.buf);
		}
		profile_release(&p);
		profile_release(&pb);
		buf_release(&path);
		buf_release(&bpath);
		buf_release(&out);
		buf_release(&title);
	}
	fflush(stdout);
	run_row_release(&row);
	run_extras_release(&x);
	run_extras_release(&bx);
	return ret;
}

/* The configuration a run was made with; the events as the user asked for them. */
static char *config_json(const struct test_opts *to, const struct testargs *ta)
{
	json_t *o = json_object();
	struct buf b = BUF_INIT;

	json_object_set_new(o, "mode", json_str(to->profile ? "profile" : to->stat ? "stat" : "default"));
	json_object_set_new(o, "count", json_integer(ta->count ? ta->count : 1));
	json_object_set_new(o, "bench", json_str(ta->bench ? ta->bench : (to->stat ? "." : "")));
	json_object_set_new(o, "benchtime", json_str_or_empty(ta->benchtime));
	json_object_set_new(o, "detail", json_boolean(to->detail != 0));
	json_object_set_new(o, "events", json_strvec(&to->events));
	json_object_set_new(o, "build_flags", json_strvec(&ta->build));
	if (to->profile) {
		json_object_set_new(o, "period", json_str_or_empty(to->period));
		json_object_set_new(o, "freq", json_str_or_empty(to->freq));
		json_object_set_new(o, "call_graph", json_str(to->call_graph ? to->call_graph : "fp"));
	}
	if (!o || json_to_buf(&b, o, JSON_COMPACT))
		BUG("out of memory serializing JSON");
	json_decref(o);
	return buf_detach(&b);
}

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
	struct gopkg_list pkgs = GOPKG_LIST_INIT;
	int failed = 0;
	struct buf names = BUF_INIT;
	int ret;

	ret = gotool_list(NULL, NULL, NULL, &ta->packages, &ta->build, s->ws.dir, &pkgs);
	if (ret)
		goto out;
	for (size_t i = 0; i < pkgs.nr; i++)
		buf_addf(&names, "%s%s", i ? " " : "", pkgs.pkgs[i].import_path);
	ret = store_run_set_packages(s->ws.st, s->rr.ri.id, names.buf);
	for (size_t i = 0; i < pkgs.nr && !ret; i++) {
		const struct gopkg *pkg = &pkgs.pkgs[i];
		struct runner_job job;
		struct buf bin = BUF_INIT;
		char *rbin = NULL, *rdir = NULL;

		buf_addf(&bin, "%s/%zu.test", s->runner.local_scratch, i);
		ret = gotool_build(NULL, NULL, NULL, pkg, &ta->build, &s->runner.build_env, s->ws.dir, bin.buf);
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
out:
	buf_release(&names);
	gopkg_list_release(&pkgs);
	return ret ? ret : failed ? PG_ECODE : 0;
}

static int run_stat(struct session *s, const struct testargs *ta, const struct strvec *events,
		    const struct strvec *backend_args)
{
	struct measure_ctx mc;
	struct measure_opts mo;
	struct bench_tree bt = { 0 };
	int ret;

	runrec_measure_ctx(&s->rr, &s->runner, s->ws.st, &mc);
	measure_opts_init(&mo, ta, events, s->fp.gomaxprocs);
	mo.backend_args = backend_args;
	/* Plan everything first so that the progress line can give an ETA. */
	ret = bench_tree_prepare(&bt, &mc, &mo, ta, s->ws.dir);
	if (!ret && !bt.nleaves)
		ret = error_code(PG_EUSAGE, "no benchmark matches '-bench=%s' in %s",
				 ta->bench ? ta->bench : ".",
				 bt.pkgs.nr == 1 ? bt.pkgs.pkgs[0].import_path : "these packages");
	mc.progress.total = bt.nleaves * (size_t)mo.count;
	if (!ret)
		ret = bench_tree_measure(&bt, &mc, &mo);
	progress_done(&mc.progress);
	bench_tree_release(&bt);
	return ret;
}

static int test_session(struct session *s, struct test_opts *to, struct testargs *ta,
			struct ctx *ctx)
{
	struct session_opts so = { 0 };
	struct strvec events = STRVEC_INIT, bargs = STRVEC_INIT;
	struct runrec_args ra = { 0 };
	struct run_row base = { 0 };
	struct buf pkgs = BUF_INIT;
	char *cfg = NULL;
	int ret;

	so.ctx = ctx;
	so.backend = to->profile ? &backend_perf_record : to->stat ? &backend_perf_stat : NULL;
	so.remote = to->remote;
	so.keep = to->keep;
	ret = counters_parse(to->counters, &so.counters);
	if (!ret)
		ret = session_open(s, &so);
	if (ret)
		return ret;
	if (to->diff_base) {
		ret = find_base(&s->ws, to->diff_base, &base);
		if (ret)
			goto out;
	}

	cfg = config_add_counters(config_json(to, ta), s->backend, s->fp.perf_version);
	for (size_t i = 0; i < ta->packages.nr; i++)
		buf_addf(&pkgs, "%s%s", i ? " " : "", ta->packages.v[i]);
	ra.command = to->profile ? "test profile" : to->stat ? "test stat" : "test default";
	ra.packages = pkgs.buf;
	ra.commit = s->ws.git.commit;
	ra.branch = s->ws.git.branch;
	ra.dirty = s->ws.git.dirty;
	ra.config_json = cfg;
	ra.backend = s->backend;
	ret = session_begin_run(s, &ra);
	if (!s->rr.ri.id[0])
		goto out;
	if (!ret && to->stat)
		ret = s->backend->events(&s->runner, s->ws.st, s->rr.ri.id, &to->events,
					 to->detail, &events);
	if (to->period)
		strvec_pushl(&bargs, "-c", to->period, NULL);
	if (to->freq)
		strvec_pushl(&bargs, "-F", to->freq, NULL);
	if (to->call_graph)
		strvec_pushl(&bargs, "--call-graph", to->call_graph, NULL);
	if (!ret && to->stat)
		ret = run_stat(s, ta, &events, &bargs);
	else if (!ret)
		ret = run_default(s, ta);

	ret = session_end_run(s, ret, exit_code_for(ret));
	if (to->profile && ret != PG_EINTR && ret != PG_EUSAGE) {
		/* The profiles written, even when a later benchmark failed. */
		int r2 = report_profiles(&s->ws, s->rr.ri.id);

		if (!r2 && to->diff_base)
			r2 = diff_profiles(&s->ws, s->rr.ri.id, &base);
		if (r2 && !ret)
			ret = r2;
	} else if (to->stat && ret != PG_EINTR && ret != PG_EUSAGE) {
		/* Whatever was measured is shown, even when a later benchmark failed. */
		int r2 = report_run(&s->ws, s->rr.ri.id, to->format);

		if (r2 && !ret)
			ret = r2;
	}
	if (ret == PG_EINTR)
		note("interrupted: run %.8s recorded as interrupted", s->rr.ri.id);
out:
	run_row_release(&base);
	strvec_clear(&events);
	strvec_clear(&bargs);
	buf_release(&pkgs);
	free(cfg);
	return ret;
}

/* -c, -F and --call-graph: profile only, one of -c and -F, positive numbers, a known mode. */
static int profile_opts_check(const struct test_opts *to)
{
	const char *const nums[2] = { to->period, to->freq };
	uint64_t v;

	if (!to->profile && (to->period || to->freq || to->call_graph || to->diff_base))
		return error("'--count', '--freq', '--call-graph' and '--diff-base' need "
			     "'perfgo test profile'");
	if (to->profile && (to->detail >= 0 || strcmp(to->format, "text")))
		return error("'--detail' and '--format' need 'perfgo test stat'");
	if (to->period && to->freq)
		return error("'--count' and '--freq' exclude each other: sample by period or by frequency");
	for (int k = 0; k < 2; k++)
		if (nums[k] && (parse_u64(nums[k], &v) || !v))
			return error("bad %s '%s': need a positive number", k ? "'--freq'" : "'--count'",
				     nums[k]);
	if (to->call_graph && strcmp(to->call_graph, "fp") && strcmp(to->call_graph, "dwarf") &&
	    strcmp(to->call_graph, "lbr"))
		return error("unknown call graph '%s': use fp, dwarf or lbr", to->call_graph);
	return 0;
}

int cmd_test(int argc, const char **argv, struct ctx *ctx)
{
	struct test_opts to = { 0, 0, NULL, NULL, NULL, NULL, STRVEC_INIT, -1, "text" };
	struct opt opts[] = {
		OPT_LIST_("event", 'e', &to.events, "<event>",
			  "perf event(s) to count (stat; repeatable) or to sample (profile)"),
		OPT_STR_("count", 'c', &to.period, "<period>",
			 "profile: one sample every <period> events"),
		OPT_STR_("freq", 'F', &to.freq, "<hz>", "profile: about <hz> samples a second"),
		OPT_STR_("call-graph", 0, &to.call_graph, "<mode>",
			 "profile: fp (default), dwarf or lbr"),
		OPT_STR_("diff-base", 0, &to.diff_base, "<run|rev>",
			 "profile: difference flame graphs against a stored profile run (or a commit's)"),
		OPT_BOOL_("detail", 0, &to.detail,
			  "count L1-dcache and LLC events too (stat; default on, --no-detail)"),
		OPT_STR_("format", 0, &to.format, "<fmt>", "text, json or gobench (stat)"),
		OPT_STR_("remote-host", 0, &to.remote, "<host>",
			 "build here, run on [user@]host over ssh"),
		OPT_BOOL_("keep", 0, &to.keep, "keep the (remote) scratch directory"),
		OPT_STR_("counters", 0, &to.counters, "<src>",
			 "perf, sim (callgrind) or auto (stat; default auto: perf with a hardware "
			 "PMU, else sim)"),
		OPT_END_()
	};
	struct strvec rest = STRVEC_INIT;
	struct testargs ta;
	struct session s;
	int ret, i = 1;

	if (argc > 1 && (!strcmp(argv[1], "c2c") || !strcmp(argv[1], "cache-to-cache")))
		return test_c2c(argc - 1, argv + 1, ctx);
	session_init(&s);
	testargs_init(&ta);
	if (argc > 1 && (!strcmp(argv[1], "stat") || !strcmp(argv[1], "default") ||
			 !strcmp(argv[1], "profile"))) {
		to.profile = !strcmp(argv[1], "profile");
		to.stat = strcmp(argv[1], "default") != 0;
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
	if (!to.stat && (to.events.nr || to.detail >= 0 || strcmp(to.format, "text") || to.counters)) {
		error("'--event', '--detail', '--format' and '--counters' need 'perfgo test stat'");
		ret = EXIT_USAGE;
		goto out;
	}
	if (profile_opts_check(&to)) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (to.remote && runner_check_dest(to.remote)) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (testargs_parse(&ta, (int)rest.nr, rest.v)) {
		cli_hint("test");
		ret = EXIT_USAGE;
		goto out;
	}
	testargs_own_options(&ta, opts);
	ret = exit_code_for(test_session(&s, &to, &ta, ctx));
out:
	session_close(&s);
	testargs_release(&ta);
	strvec_clear(&rest);
	strvec_clear(&to.events);
	return ret;
}
