/*
 * perfgo report --html <dir> [<bench-regex>] [--metric <m>] [--since <rev|date>] [-n <count>]
 *
 * A static site in <dir> (index.html, self-contained: inline SVG charts,
 * one inline script, no network) with a trend chart per benchmark and
 * metric of the history (as `perfgo history` selects it, every metric by
 * default), change points annotated and linked to the commits, the latest
 * comparison's report, and the runs list.  Reads the store only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "cli/cli.h"
#include "cmd/history_load.h"
#include "history_report.h"
#include "session/workspace.h"
#include "util/io.h"
#include "util/runfmt.h"
#include "util/usage.h"
#include "util/banned.h"

/* Runs the page lists, newest first. */
#define REPORT_RUNS 50

static const char report_usage[] =
	"usage: perfgo report --html <dir> [<bench-regex>] [--metric <m>] [--since <rev|date>]\n"
	"                     [-n <count>]\n"
	"\n"
	"Write a self-contained static site to <dir>/index.html (no network: inline SVG and\n"
	"script): a trend chart per benchmark and metric of the history 'perfgo run' stored\n"
	"(every metric unless --metric), change points annotated and linked to their commits,\n"
	"the latest comparison, and the last 50 runs.\n";

/* The latest comparison's saved text report (compare writes report.txt in its run). */
static void latest_comparison(struct workspace *ws, const struct run_list *l,
			      const char **id, struct buf *text)
{
	for (size_t i = 0; i < l->nr; i++) {
		struct buf path = BUF_INIT;
		int ok;

		if (strcmp(l->rows[i].command, "compare") || l->rows[i].status != RUN_OK)
			continue;
		buf_addf(&path, "%s/runs/%s/report.txt", ws->dir, l->rows[i].id);
		ok = !buf_read_file(text, path.buf, 1 << 20);
		buf_release(&path);
		if (ok) {
			*id = l->rows[i].id;
			return;
		}
		buf_reset(text);
	}
}

static int write_site(struct workspace *ws, const char *dir, const struct history_set *h,
		      size_t last)
{
	struct run_list l = RUN_LIST_INIT;
	struct history_page pg = { 0 };
	struct history_page_run *runs = NULL;
	struct buf out = BUF_INIT, cmp = BUF_INIT, path = BUF_INIT, *when = NULL;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int ret;

	ret = store_list_runs(ws->st, NULL, REPORT_RUNS, &l);
	if (ret)
		return ret;
	runs = xcalloc(l.nr ? l.nr : 1, sizeof(*runs));
	when = xcalloc(l.nr ? l.nr : 1, sizeof(*when));
	for (size_t i = 0; i < l.nr; i++) {
		buf_init(&when[i]);
		fmt_time(&when[i], l.rows[i].started_ns);
		runs[i].id = l.rows[i].id;
		runs[i].when = when[i].buf;
		runs[i].status = run_status_name(l.rows[i].status);
		runs[i].command = l.rows[i].command;
		runs[i].commit = l.rows[i].commit;
	}
	latest_comparison(ws, &l, &pg.comparison_id, &cmp);
	pg.comparison_text = cmp.len ? cmp.buf : NULL;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M UTC", &tm);
	pg.generated = stamp;
	pg.t = h->t;
	pg.nt = h->nt;
	pg.runs = runs;
	pg.nruns = l.nr;
	history_html(&out, &pg, last);
	ret = mkdir_p(dir, 0755);
	buf_addf(&path, "%s/index.html", dir);
	if (!ret)
		ret = buf_write_file(&out, path.buf);
	if (!ret)
		printf("%s\n", path.buf);
	for (size_t i = 0; i < l.nr; i++)
		buf_release(&when[i]);
	free(when);
	free(runs);
	run_list_release(&l);
	buf_release(&out);
	buf_release(&cmp);
	buf_release(&path);
	return ret;
}

int cmd_report(int argc, const char **argv, struct ctx *ctx)
{
	struct strvec metrics = STRVEC_INIT, rest = STRVEC_INIT;
	const char *html = NULL, *since = NULL;
	int last = 0;
	struct opt opts[] = {
		OPT_STR_("html", 0, &html, "<dir>", "write the static site to this directory"),
		OPT_LIST_("metric", 0, &metrics, "<m>", "metric to chart (default: all); repeatable"),
		OPT_STR_("since", 0, &since, "<rev|date>", "start at this revision or date (YYYY-MM-DD)"),
		OPT_INT_(NULL, 'n', &last, "<count>", "chart the last <count> commits of each series"),
		OPT_END_()
	};
	struct history_query q = { 0 };
	struct history_view v;
	int ret;

	(void)ctx;
	memset(&v, 0, sizeof(v));
	ret = cli_parse("report", report_usage, opts, argc - 1, argv + 1, 0, &rest);
	if (ret) {
		ret = ret > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (!html)
		ret = error_code(PG_EUSAGE, "say where the site goes: 'perfgo report --html <dir>'");
	else if (rest.nr > 1)
		ret = error_code(PG_EUSAGE, "unexpected argument '%s': give one benchmark regex",
				 rest.v[1]);
	else if (last < 0)
		ret = error_code(PG_EUSAGE, "'-n' needs a count of 0 or more");
	if (ret) {
		cli_hint("report");
		ret = EXIT_USAGE;
		goto out;
	}
	q.bench_regex = rest.nr ? rest.v[0] : NULL;
	q.metrics = &metrics;
	q.since = since;
	ret = history_view_open(&v, &q);
	if (!ret && v.empty) {
		error("nothing recorded in '%s' yet: 'perfgo run <commits>' measures a history",
		      v.ws.dir);
		ret = EXIT_USAGE;
		goto out;
	}
	if (!ret && !v.h.nt)
		note("no history matches: the site has no charts");
	if (!ret)
		ret = write_site(&v.ws, html, &v.h, (size_t)last);
	ret = ret ? pg_err_exit_code(ret) : EXIT_OK;
out:
	history_view_release(&v);
	strvec_clear(&metrics);
	strvec_clear(&rest);
	return ret;
}
