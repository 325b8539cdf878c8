#ifndef PERFGO_COMPARE_REPORT_H
#define PERFGO_COMPARE_REPORT_H

/*
 * A/B comparison of Go benchmark files (perfgo compare OLD NEW...), as
 * benchstat does it, with perfgo's verdicts (DESIGN §5).
 *
 * compare_build() turns parsed files into a struct compare_report: samples
 * are grouped per (package, benchmark full name with its -N suffix, unit);
 * the same name repeated is repetitions.  Each NEW file is one block,
 * compared with OLD on its own:
 *  - the units compared are those named by opts.metrics, or by default
 *    every unit present in both files (units in one file only are listed
 *    in the block, not compared);
 *  - per (benchmark, unit) with samples on both sides: cmp_pair(); with
 *    `Unit <u> assume=exact` (in either file) the medians are compared
 *    directly instead: p = 0 iff they differ, the CI of the ratio is the
 *    ratio itself, and rows whose values vary are marked (benchstat warns
 *    there too, but compares modes);
 *  - a benchmark on one side only is a row "added"/"removed", and a unit
 *    missing on one side of a benchmark present on both is "only in
 *    old/new"; both are not comparable and never silently dropped; so is
 *    a pair with a negative median on either side (a ratio of medians
 *    means nothing there: per-op counters of very short benchmarks);
 *  - Holm over every comparable pair of every compared unit of the block
 *    (the gate), then verdict_decide() with θ from metric_lookup() (with
 *    the --threshold overrides) and the direction from the files' `Unit
 *    ... better=` metadata, else gb_unit_default_better(), else
 *    metric_lookup();
 *  - the minimum detectable effect at α/m (m = family size: the level
 *    Holm's first step demands) and 80 % power; θ below it is flagged
 *    under-powered;
 *  - a geomean row per unit: geomean of the old and new medians and of
 *    the per-benchmark ratios, over rows with positive medians; never a
 *    gate.
 * Rows keep the order of first appearance in OLD, then the NEW-only ones
 * in NEW's order; units the order of --metric, else of OLD then NEW.
 *
 * Formatting (text, GitHub Markdown, JSON) is pure: into a buffer.  The
 * report borrows names and units from the gb_files and the labels, which
 * must outlive it; the samples it groups it owns.
 */

#include <regex.h>
#include <stddef.h>

#include "util/buf.h"
#include "collect/gobench.h"
#include "stats.h"

enum cmp_presence {
	CMP_BOTH = 0,           /* compared */
	CMP_ADDED,              /* the benchmark is only in new */
	CMP_REMOVED,            /* the benchmark is only in old */
	CMP_ONLY_NEW,           /* benchmark in both, this unit only in new */
	CMP_ONLY_OLD            /* benchmark in both, this unit only in old */
};

struct cmp_row {
	const char *pkg;              /* "" when the file has no "pkg:" */
	const char *name;             /* as printed, with any -N suffix */
	enum cmp_presence presence;
	int has_old, has_new;
	struct summary old, new;      /* valid when has_old / has_new */
	const double *old_v, *new_v;  /* the samples, in file order */
	int comparable;
	const char *why;              /* static reason when not comparable: "added", ... */
	double ratio, lo, hi;         /* median(new) / median(old) and its CI */
	double p, p_adj;              /* raw and Holm-adjusted; NaN if not comparable */
	const char *test;             /* "exact", "exact-ties", "normal", "constant", "assume-exact" */
	int exact;                    /* constant or assume=exact: medians compared directly */
	int exact_varies;             /* assume=exact, yet the values vary */
	double mde;                   /* minimum detectable relative effect */
	int underpowered;             /* θ < mde */
	int unconfirmed;              /* a regression a second round did not repeat */
	enum verdict verdict;
};

struct cmp_table {
	const char *unit;
	struct metric_info mi;        /* class, θ (after --threshold), direction */
	int better_meta;              /* the direction came from Unit metadata */
	int assume_exact;
	struct cmp_row *rows;
	size_t nr;
	size_t ncomparable;
	int has_geomean;
	double gm_old, gm_new, gm_ratio;
	size_t gm_n;                  /* rows the geomean covers */
};

struct cmp_block {
	const char *new_label;
	struct cmp_table *tables;
	size_t ntables;
	size_t family;                /* pairs in the Holm family */
	size_t count[VERDICT_NOT_COMPARABLE + 1];   /* per enum verdict */
	int multi_pkg;                /* names are shown as pkg.Name */
	const char **only_old, **only_new;          /* units not compared */
	size_t nonly_old, nonly_new;
};

struct compare_opts {
	double alpha;                 /* 0.05 */
	double conf;                  /* 0.95: CIs of the medians and of the ratio */
	double power;                 /* 0.8, for the MDE */
	const struct metric_override *over;   /* --threshold; borrowed */
	size_t nover;
	const char *const *metrics;   /* --metric; NULL/0: units present in both */
	size_t nmetrics;
	const regex_t *filter;        /* on full benchmark names; may be NULL */
};

#define COMPARE_OPTS_INIT { 0.05, 0.95, 0.8, NULL, 0, NULL, 0, NULL }

struct compare_input {
	const char *label;            /* shown as the column title: the path */
	const struct gb_file *f;
};

struct cmp_set;

struct compare_report {
	const char *old_label;
	double alpha, conf, power;
	struct cmp_block *blocks;
	size_t nblocks;
	/* Configuration shared by every result of every file (goos, cpu, ...). */
	const char **common_key, **common_value;
	size_t ncommon;
	size_t regressions;           /* over all blocks */
	size_t rows;                  /* over all blocks and tables */
	/* Set by the caller, borrowed; shown by every format when set. */
	const char *runner;           /* where both sides ran, one line */
	const char *const *notes;     /* further lines: how the sides were measured */
	size_t nnotes;
	struct cmp_set *sets;         /* private: grouped samples, per file */
	size_t nsets;
};

#define COMPARE_REPORT_INIT { 0 }

/*
 * Compare old with each of news[0..nnew-1].  Returns 0, or a negative
 * enum stats_err if the options are out of range (nothing is printed).
 * A (benchmark, unit) the statistics reject (a NaN sample) becomes a row
 * that is not comparable, with the reason.  Release the report either way.
 */
int compare_build(struct compare_report *rep, const struct compare_input *old,
		const struct compare_input *news, size_t nnew, const struct compare_opts *o);
void compare_report_release(struct compare_report *rep);

/*
 * benchstat-like tables, one per unit and NEW file: benchmark, old and new
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

/* Value formatting shared by the formats: 4 significant digits, scaled. */
void compare_fmt_value(struct buf *out, const char *unit, double v);

#endif
