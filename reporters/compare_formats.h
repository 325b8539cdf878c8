#ifndef PERFGO_COMPARE_FORMATS_H
#define PERFGO_COMPARE_FORMATS_H

/*
 * The formats of a comparison report, and the one table that lists them:
 * perfgo compare checks --format against it, renders through it, writes
 * the --markdown/--junit/--json files it names and saves every format
 * under .perfgo/runs/<id>/ with the names it gives.  Adding a format is a
 * renderer and a row.
 *
 * Every renderer is pure: it appends to `out` and reads nothing but the
 * report (and, for JUnit, the meta; the others ignore it).
 */

#include "util/buf.h"
#include "analysis/compare.h"
#include "junit.h"

/*
 * benchstat-like tables, one per unit and NEW set: benchmark, old and new
 * median ± CI half-width (as % of the median; ∞ when too few samples),
 * delta or "~", (p=… n=…), MDE, verdict, note; a geomean row; a summary
 * line per block and a legend.
 */
void compare_report_text(struct buf *out, const struct compare_report *rep);
/*
 * GitHub-flavoured Markdown: per block a one-line summary, a table of the
 * regressions and improvements, the full tables in <details>; then a short
 * note on the method.
 */
void compare_report_markdown(struct buf *out, const struct compare_report *rep);
/* JSON, schema "perfgo.compare/1" (README); exact values, every sample. */
void compare_report_json(struct buf *out, const struct compare_report *rep);

/* Indices into compare_formats[], in its order. */
enum compare_format_id {
	COMPARE_FORMAT_TEXT = 0,
	COMPARE_FORMAT_MARKDOWN,
	COMPARE_FORMAT_JSON,
	COMPARE_FORMAT_JUNIT,
	COMPARE_FORMATS_NR
};

struct compare_format {
	const char *name;             /* --format <name> */
	const char *file_option;      /* --<file_option> <file> writes it too; NULL: none */
	const char *file_help;        /* that option's help line */
	const char *saved_as;         /* its file under .perfgo/runs/<id>/ */
	void (*render)(struct buf *out, const struct compare_report *rep,
		       const struct junit_meta *meta);
};

extern const struct compare_format compare_formats[COMPARE_FORMATS_NR];

/* The format called `name`, or NULL. */
const struct compare_format *compare_format_find(const char *name);
/* The names for a message: "text, markdown, json or junit". */
void compare_format_names(struct buf *out);

#endif
