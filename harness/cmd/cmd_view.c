/*
 * perfgo view [0|-N|<id-prefix>] [--format text|json|gobench]
 *
 * One stored run: a header (command, status, commit, runner), the result
 * table read from the database (the same report `test stat` printed), for
 * a profile run the top functions of each benchmark's pprof, the run's
 * stdout and stderr, and its artifacts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/io.h"
#include "cli/cli.h"
#include "util/runfmt.h"
#include "profile/pprof_top.h"
#include "stat_report.h"
#include "store/store_series.h"
#include "util/usage.h"
#include "session/workspace.h"
#include "util/banned.h"

static const char view_usage[] =
	"usage: perfgo view [0|-<n>|<id-prefix>] [--format text|json|gobench]\n"
	"\n"
	"Show a stored run: 0 is the newest (the default), -1 the one before it, or\n"
	"name a run by a prefix of its id (see 'perfgo list').\n";

static void header(struct buf *out, const struct run_row *r, const struct run_extras *x)
{
	buf_addf(out, "run:       %s\n", r->id);
	buf_addf(out, "command:   perfgo %s\n", r->command ? r->command : "?");
	buf_addf(out, "argv:      %s\n", r->argv_json ? r->argv_json : "?");
	if (r->status == RUN_RUNNING)
		buf_addstr(out, "status:    incomplete (still running, or killed before it finished)\n");
	else
		buf_addf(out, "status:    %s (exit %d)\n", run_status_name(r->status), r->exit_code);
	buf_addstr(out, "started:   ");
	fmt_time(out, r->started_ns);
	if (r->status != RUN_RUNNING) {
		buf_addstr(out, "  (");
		fmt_duration(out, r->finished_ns - r->started_ns);
		buf_addch(out, ')');
	}
	buf_addf(out, "\nworkdir:   %s\n", r->workdir ? r->workdir : "?");
	buf_addf(out, "packages:  %s\n", r->packages ? r->packages : "-");
	if (r->commit)
		buf_addf(out, "commit:    %s%s%s%s%s\n", r->commit, r->branch ? " (" : "",
			 r->branch ? r->branch : "", r->branch ? ")" : "", r->dirty ? " +dirty" : "");
	if (x->has_fp) {
		const struct fingerprint *fp = &x->fp;

		/* The simulation's tool version is valgrind's (backend_callgrind.h). */
		int sim = fp->perf_version && starts_with(fp->perf_version, "valgrind");

		buf_addf(out, "runner:    %s, %s, %d cores, Linux %s, %s %s, %s %s/%s, "
			 "GOMAXPROCS %d, perf_event_paranoid %d, %s\n",
			 fp->host ? fp->host : "?", fp->cpu_model ? fp->cpu_model : "?", fp->cores,
			 fp->kernel ? fp->kernel : "?", sim ? "counters: sim," : "perf",
			 fp->perf_version ? fp->perf_version : "?",
			 fp->go_version ? fp->go_version : "?", fp->goos ? fp->goos : "?",
			 fp->goarch ? fp->goarch : "?", fp->gomaxprocs, fp->paranoid,
			 fp->pmu ? "hardware PMU" : "no hardware PMU");
	}
	buf_addch(out, '\n');
}

/* Print a stored text artifact whole, under a heading. */
static void show_artifact(struct buf *out, const char *dir, const struct artifact_row *a)
{
	struct buf path = BUF_INIT, body = BUF_INIT;

	buf_addf(&path, "%s/%s", dir, a->path);
	buf_addf(out, "--- %s (%s, %llu bytes) ---\n", a->kind, a->path,
		 (unsigned long long)a->size);
	if (buf_read_file(&body, path.buf, 0) < 0)
		buf_addstr(out, "(missing)\n");
	else
		buf_add(out, body.buf, body.len);
	if (body.len && body.buf[body.len - 1] != '\n')
		buf_addch(out, '\n');
	buf_release(&path);
	buf_release(&body);
}

static const struct artifact_row *find_artifact(const struct run_extras *x, const char *kind)
{
	for (size_t i = 0; i < x->nartifacts; i++)
		if (!strcmp(x->artifacts[i].kind, kind))
			return &x->artifacts[i];
	return NULL;
}

/* A profile run: the top functions of each benchmark's pprof. */
static void show_profiles(struct buf *out, const struct workspace *ws, const struct run_extras *x)
{
	for (size_t i = 0; i < x->nartifacts; i++) {
		struct buf path = BUF_INIT;

		if (strcmp(x->artifacts[i].kind, "pprof"))
			continue;
		buf_addf(&path, "%s/%s", ws->dir, x->artifacts[i].path);
		buf_addf(out, "profile %s\n", path.buf);
		if (pprof_top(path.buf, 10, out))
			buf_addstr(out, "  (unreadable)\n");
		buf_addch(out, '\n');
		buf_release(&path);
	}
}

static void list_artifacts(struct buf *out, const struct workspace *ws, const struct run_extras *x)
{
	buf_addstr(out, "artifacts:\n");
	for (size_t i = 0; i < x->nartifacts; i++)
		buf_addf(out, "  %-14s %s/%s  %llu bytes  sha256 %.16s\n", x->artifacts[i].kind,
			 ws->dir, x->artifacts[i].path, (unsigned long long)x->artifacts[i].size,
			 x->artifacts[i].sha256 ? x->artifacts[i].sha256 : "?");
	if (!x->nartifacts)
		buf_addstr(out, "  (none)\n");
}

/* The JSON report a run kept as artifact `a` (NULL: it did not finish), verbatim. */
static int copy_json_report(struct buf *out, const char *dir, const struct artifact_row *a,
			    const char *what, const char *id)
{
	struct buf path = BUF_INIT;
	int ret = 0;

	if (!a)
		return error_code(PG_ENOTFOUND, "%s %.8s has no JSON report (it did not finish)",
				  what, id);
	buf_addf(&path, "%s/%s", dir, a->path);
	if (buf_read_file(out, path.buf, 0) < 0)
		ret = error_code(PG_EENV, "cannot read '%s': %s", path.buf, strerror(errno));
	buf_release(&path);
	return ret;
}

/*
 * A comparison run: the report it printed, kept as artifacts (the same
 * bytes as --json and the terminal text), and the two runs it compared.
 */
static int view_comparison(struct buf *out, struct workspace *ws, const struct run_row *r,
			   const struct run_extras *x, const char *base, const char *head,
			   const char *format)
{
	const struct artifact_row *a;

	if (!strcmp(format, "gobench"))
		return error_code(PG_EUSAGE, "run %.8s is a comparison: its samples are in runs "
				  "%.8s (base) and %.8s (head)", r->id, base, head);
	a = find_artifact(x, !strcmp(format, "json") ? "report-json" : "report-text");
	if (!strcmp(format, "json"))
		return copy_json_report(out, ws->dir, a, "comparison", r->id);
	header(out, r, x);
	buf_addf(out, "compared:  base run %s, head run %s\n\n", base, head);
	if (a)
		show_artifact(out, ws->dir, a);
	else
		buf_addstr(out, "(no report: the comparison did not finish)\n");
	list_artifacts(out, ws, x);
	return 0;
}

/*
 * A cache-to-cache run (perfgo test c2c, attach c2c): the report it printed, kept as
 * artifacts (text and JSON, the same bytes), then its artifacts.
 */
static int view_c2c(struct buf *out, struct workspace *ws, const struct run_row *r,
		    const struct run_extras *x, const char *format)
{
	const struct artifact_row *a;

	if (!strcmp(format, "gobench"))
		return error_code(PG_EUSAGE, "run %.8s is a cache-to-cache analysis: use --format "
				  "text or json", r->id);
	a = find_artifact(x, !strcmp(format, "json") ? "report-json" : "report-text");
	if (!strcmp(format, "json"))
		return copy_json_report(out, ws->dir, a, "run", r->id);
	header(out, r, x);
	if (a)
		show_artifact(out, ws->dir, a);
	else
		buf_addstr(out, "(no report: the run did not finish)\n");
	list_artifacts(out, ws, x);
	return 0;
}

static int view_run(struct workspace *ws, const char *sel, const char *format)
{
	struct run_row r = { 0 };
	struct run_list cand = RUN_LIST_INIT;
	struct sample_list sl = SAMPLE_LIST_INIT;
	struct run_extras x = { 0 };
	struct stat_run rep = STAT_RUN_INIT;
	struct buf out = BUF_INIT;
	char base[33], head[33];
	int ret = store_find_run(ws->st, sel, &r, &cand);

	if (ret == PG_EAMBIGUOUS) {
		error("run id '%s' is ambiguous; candidates:", sel);
		for (size_t i = 0; i < cand.nr; i++) {
			struct buf t = BUF_INIT;

			fmt_time(&t, cand.rows[i].started_ns);
			fprintf(stderr, "  %s  %s  %s\n", cand.rows[i].id, t.buf,
				cand.rows[i].command ? cand.rows[i].command : "");
			buf_release(&t);
		}
		goto out;
	}
	if (ret == PG_ENOTFOUND) {
		error("no run '%s' in '%s'", sel, ws->dir);
		goto out;
	}
	if (ret == PG_EUSAGE) {
		error("'%s' is not a run: use 0, -<n> or a hex id prefix", sel);
		goto out;
	}
	if (!ret)
		ret = store_run_samples(ws->st, r.id, &sl);
	if (!ret)
		ret = store_run_extras(ws->st, &r, &x);
	if (ret)
		goto out;
	stat_run_from_store(&rep, &r, &sl, &x);
	if (!store_get_comparison(ws->st, r.id, base, head)) {
		ret = view_comparison(&out, ws, &r, &x, base, head, format);
		if (ret)
			goto out;
	} else if (r.command && (!strcmp(r.command, "test c2c") ||
				 !strcmp(r.command, "attach c2c"))) {
		ret = view_c2c(&out, ws, &r, &x, format);
		if (ret)
			goto out;
	} else if (!strcmp(format, "json")) {
		stat_report_json(&out, &rep);
	} else if (!strcmp(format, "gobench")) {
		stat_report_gobench(&out, &rep);
	} else {
		header(&out, &r, &x);
		if (sl.nr)
			stat_report_text(&out, &rep);
		show_profiles(&out, ws, &x);
		for (size_t i = 0; i < x.nartifacts; i++)
			if (!strcmp(x.artifacts[i].kind, "stdout") || !strcmp(x.artifacts[i].kind, "stderr"))
				show_artifact(&out, ws->dir, &x.artifacts[i]);
		list_artifacts(&out, ws, &x);
	}
	fwrite(out.buf, 1, out.len, stdout);
out:
	run_row_release(&r);
	run_list_release(&cand);
	sample_list_release(&sl);
	run_extras_release(&x);
	stat_run_release(&rep);
	buf_release(&out);
	return ret;
}

int cmd_view(int argc, const char **argv, struct ctx *ctx)
{
	const char *format = "text";
	struct opt opts[] = {
		OPT_STR_("format", 0, &format, "<fmt>", "text, json or gobench"),
		OPT_END_()
	};
	struct strvec rest = STRVEC_INIT;
	struct workspace ws;
	const char *sel = "0";
	int ret, i;

	(void)ctx;
	memset(&ws, 0, sizeof(ws));
	/* "-1" is a selector, not an option: take it out before parsing. */
	for (i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1] >= '0' && argv[i][1] <= '9')
			break;
	if (i < argc) {
		sel = argv[i];
		for (int j = i; j + 1 < argc; j++)
			argv[j] = argv[j + 1];
		argc--;
	}
	ret = cli_parse("view", view_usage, opts, argc - 1, argv + 1, 0, &rest);
	if (ret) {
		ret = ret > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (rest.nr > 1 || (rest.nr && strcmp(sel, "0")))
		ret = error_code(PG_EUSAGE, "view takes one run, not '%s'", rest.v[rest.nr - 1]);
	else if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "gobench"))
		ret = error_code(PG_EUSAGE, "unknown format '%s': use text, json or gobench", format);
	if (ret) {
		cli_hint("view");
		ret = EXIT_USAGE;
		goto out;
	}
	if (rest.nr)
		sel = rest.v[0];
	ret = workspace_open(&ws, 0);
	if (ret == PG_ENOTFOUND) {
		error("no runs recorded in '%s' yet", ws.dir);
		ret = EXIT_USAGE;
		goto out;
	}
	if (!ret)
		ret = view_run(&ws, sel, format);
	ret = pg_err_exit_code(ret);
out:
	workspace_close(&ws);
	strvec_clear(&rest);
	return ret;
}
