#ifndef PERFGO_COMPARE_CELLS_H
#define PERFGO_COMPARE_CELLS_H

/*
 * The cells every comparison format shows, each appended to `out` as plain
 * text (the format escapes it where it must): text, Markdown and JUnit
 * print the same numbers the same way.
 */

#include "util/buf.h"
#include "analysis/compare.h"

/* A value of `unit`, 4 significant digits, scaled (845.2ns, 1.000KiB, 23.45k). */
void compare_fmt_value(struct buf *out, const char *unit, double v);
/* "845.2ns ± 1%": the median and its CI half-width relative to it (∞: too few samples). */
void cell_center(struct buf *out, const char *unit, const struct summary *s);
/* A ratio as a signed percentage change: "+3.10%", "+∞%", "?". */
void cell_pct(struct buf *out, double ratio);
/* The change, or "~" when it is neither significant nor beyond θ; empty when not comparable. */
void cell_delta(struct buf *out, const struct compare_row *r, double alpha);
/* "(p=0.002 n=10+10)" or "(exact n=10+10)"; empty when not comparable. */
void cell_pn(struct buf *out, const struct compare_row *r);
/* The minimum detectable effect; empty when not comparable. */
void cell_mde(struct buf *out, const struct compare_row *r);
/* Why a row is not comparable: its reason, "not repeatable (spread 0.25 %)". */
void cell_why(struct buf *out, const struct compare_row *r);
/* The verdict, with the reason when not comparable. */
void cell_verdict(struct buf *out, const struct compare_row *r);
/* "under-powered", "values vary", "not confirmed", comma-separated. */
void cell_note(struct buf *out, const struct compare_row *r);
/* The benchmark's name, qualified by its package when the block has several. */
void cell_name(struct buf *out, const struct compare_block *b, const struct compare_row *r);
/* "lower is better, θ 3%" and ", assume=exact". */
void cell_theta(struct buf *out, const struct compare_table *t);
/* "1 regression, 0 improvements, ..." of the gated rows; `md` makes regressions bold. */
void cell_counts(struct buf *out, const struct compare_block *b, int md);
/* The same from counts per enum verdict (the diagnostics' dcount). */
void cell_counts_of(struct buf *out, const size_t *count, int md);
/*
 * The decision: "2 benchmarks regressed: BenchmarkX (ns/op, allocs/op),
 * BenchmarkY (ns/op)" (one finding per benchmark, naming the gated units
 * that regressed), or "no gated regression".  `md`: bold, code spans.
 */
void cell_decision(struct buf *out, const struct compare_block *b, int md);
/* Why the gate cannot reach α at these sample sizes, and what would (b->unreachable > 0). */
void cell_unreachable(struct buf *out, const struct compare_report *rep,
		      const struct compare_block *b);
/* "negligible (...): context-switches/op (4), cpu-migrations/op (4)" (b->nnegligible > 0). */
void cell_negligible(struct buf *out, const struct compare_block *b);
/* "repetitions per side: base 10-15, head 10-15; -count auto ...": rep->reps, one line. */
void cell_reps(struct buf *out, const struct compare_reps *c);
/* Units, comma-separated, escaped like names (units come from files too): for Markdown when md. */
void cell_unit_list(struct buf *out, const char *const *u, size_t n, int md);

#endif
