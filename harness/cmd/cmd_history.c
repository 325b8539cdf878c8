/*
 * perfgo history [<bench-regex>] [--metric M] [--since REV|DATE] [-n N]
 *                [--format text|json|csv] [--svg FILE]
 *
 * Per benchmark and metric, one row per commit in first-parent order with
 * the median, its CI and n, series split by runner class, change points
 * marked with their size and p-value, points outside their prediction
 * interval and moves beyond the learned threshold flagged
 * (analysis/trend.h).  Reads the store only; measures nothing.
 */
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "cli/cli.h"
#include "cmd/history_load.h"
#include "history_report.h"
#include "session/workspace.h"
#include "util/io.h"
#include "util/usage.h"
#include "util/banned.h"

static const char history_usage[] =
	"usage: perfgo history [<bench-regex>] [--metric <m>] [--since <rev>|<date>] [-n <count>]\n"
	"                      [--format text|json|csv] [--svg <file>]\n"
	"\n"
	"Show the history 'perfgo run' stored: per benchmark and metric, one row per commit\n"
	"of HEAD's first-parent chain (median, 95% CI, n), change points with their size and\n"
	"p-value, points outside their prediction interval.  --metric defaults to ns/op\n"
	"('all' for every metric); --since takes a revision on the chain or YYYY-MM-DD;\n"
	"-n shows the last <count> commits.  --svg writes one chart (the selection must be\n"
	"one benchmark and metric).\n";

int cmd_history(int argc, const char **argv, struct ctx *ctx)
{
	struct strvec metrics = STRVEC_INIT, rest = STRVEC_INIT;
	const char *since = NULL, *format = "text", *svg = NULL;
	int last = 0;
	struct opt opts[] = {
		OPT_LIST_("metric", 0, &metrics, "<m>", "metric to show (default ns/op; 'all'); repeatable"),
		OPT_STR_("since", 0, &since, "<rev|date>", "start at this revision or date (YYYY-MM-DD)"),
		OPT_INT_(NULL, 'n', &last, "<count>", "show the last <count> commits of each series"),
		OPT_STR_("format", 0, &format, "<fmt>", "text (default), json or csv"),
		OPT_STR_("svg", 0, &svg, "<file>", "write one benchmark's chart as SVG"),
		OPT_END_()
	};
	struct history_query q = { 0 };
	struct history_view v;
	struct history_set *h = &v.h;
	struct buf out = BUF_INIT;
	int ret;

	(void)ctx;
	memset(&v, 0, sizeof(v));
	ret = cli_parse("history", history_usage, opts, argc - 1, argv + 1, 0, &rest);
	if (ret) {
		ret = ret > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (rest.nr > 1)
		ret = error_code(PG_EUSAGE, "unexpected argument '%s': give one benchmark regex",
				 rest.v[1]);
	else if (last < 0)
		ret = error_code(PG_EUSAGE, "'-n' needs a count of 0 or more");
	else if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "csv"))
		ret = error_code(PG_EUSAGE, "unknown format '%s': use text, json or csv", format);
	if (ret) {
		cli_hint("history");
		ret = EXIT_USAGE;
		goto out;
	}
	if (!metrics.nr)
		strvec_push(&metrics, "ns/op");
	q.bench_regex = rest.nr ? rest.v[0] : NULL;
	q.metrics = &metrics;
	q.since = since;
	ret = history_view_open(&v, &q);
	if (!ret && v.empty) {
		note("no history recorded in '%s' yet: 'perfgo run <commits>' measures it", v.ws.dir);
		ret = EXIT_OK;
		goto out;
	}
	if (ret) {
		if (ret == PG_EUSAGE)
			cli_hint("history");
		ret = pg_err_exit_code(ret);
		goto out;
	}
	if (h->dropped)
		note("%zu sample%s of commits off HEAD's first-parent chain left out", h->dropped,
		     h->dropped == 1 ? "" : "s");
	if (!h->nt && svg) {
		error("no history matches%s%s%s (metric %s): no chart written", q.bench_regex ? " '" : "",
		      q.bench_regex ? q.bench_regex : "", q.bench_regex ? "'" : "", metrics.v[0]);
		ret = EXIT_USAGE;
		goto out;
	}
	if (!h->nt) {
		note("no history matches%s%s%s (metric %s)", q.bench_regex ? " '" : "",
		     q.bench_regex ? q.bench_regex : "", q.bench_regex ? "'" : "", metrics.v[0]);
		ret = EXIT_OK;
		goto out;
	}
	if (svg) {
		if (h->nt > 1) {
			ret = error_code(PG_EUSAGE, "--svg draws one chart, and %zu benchmark/metric "
					 "pairs match: narrow the regex or --metric", h->nt);
			ret = EXIT_USAGE;
			goto out;
		}
		history_svg(&out, &h->t[0], (size_t)last, 1, NULL);
		ret = buf_write_file(&out, svg);
		ret = ret ? pg_err_exit_code(ret) : EXIT_OK;
		if (!ret)
			note("wrote '%s'", svg);
		goto out;
	}
	if (!strcmp(format, "json"))
		history_json(&out, h->t, h->nt, (size_t)last);
	else if (!strcmp(format, "csv"))
		history_csv(&out, h->t, h->nt, (size_t)last);
	else
		history_text(&out, h->t, h->nt, (size_t)last);
	fwrite(out.buf, 1, out.len, stdout);
	ret = EXIT_OK;
out:
	history_view_release(&v);
	strvec_clear(&metrics);
	strvec_clear(&rest);
	buf_release(&out);
	return ret;
}
