#ifndef PERFGO_HISTORY_REPORT_H
#define PERFGO_HISTORY_REPORT_H

/*
 * Renderers of benchmark histories (analysis/trend.h), one file per
 * format: history_text.c, history_json.c, history_csv.c, history_svg.c,
 * history_html.c.  Each appends to a buffer it is handed and opens
 * nothing.  `last` > 0 shows only the last `last` points of each series
 * (the decisions were made over all of them).
 */

#include "analysis/trend.h"
#include "util/buf.h"

void history_text(struct buf *out, const struct trend *t, size_t nt, size_t last);
void history_json(struct buf *out, const struct trend *t, size_t nt, size_t last);
void history_csv(struct buf *out, const struct trend *t, size_t nt, size_t last);

/*
 * One chart of one trend as a standalone SVG document (XML declaration
 * first when `standalone`; without it, an <svg> element to inline in
 * HTML): a line per runner class through the medians, the CI of each
 * median as a whisker, change points as dashed verticals labelled with
 * their size and p-value, points outside their prediction interval as
 * hollow rings.  With `commit_url` ("...%s..." replaced by the full sha)
 * each change point links to its commit; otherwise to "#c-<sha>".
 */
void history_svg(struct buf *out, const struct trend *t, size_t last, int standalone,
		 const char *commit_url);

/* One stored run as the report's runs list shows it (strings borrowed). */
struct history_page_run {
	const char *id, *when, *status, *command, *commit, *subject;
};

/*
 * `perfgo report --html`: one self-contained page (no network: the charts
 * are inline SVG, the one script inline) with a chart per trend, change
 * points listed and linked to the commits table (anchors "c-<sha>"), the
 * latest comparison's text report (NULL: none), and the runs list.
 */
struct history_page {
	const struct trend *t;
	size_t nt;
	const char *generated;             /* when, shown in the header */
	const char *comparison_id;         /* the latest comparison run, or NULL */
	const char *comparison_text;
	const struct history_page_run *runs;
	size_t nruns;
};
void history_html(struct buf *out, const struct history_page *pg, size_t last);

/* A short label of a change: "+201.3% p=2.1e-06". */
void history_change_label(struct buf *out, const struct trend_point *p);
/* The first index shown of a series of n points. */
size_t history_first_shown(size_t n, size_t last);

#endif
