#ifndef PERFGO_SEQ_H
#define PERFGO_SEQ_H

/*
 * stats/seq.c: adaptive repetitions (`perfgo compare -count auto`), a
 * group-sequential design.  Pure numerics on libc and libm, like the rest
 * of stats/ (stats.h); the Monte Carlo check is tests/unit/test_stats_seq.c.
 *
 * Measure nmin repetitions per side, look, and add `step` per side per
 * look until every pair is decided or `cap` is reached: looks at nmin,
 * nmin + step, ..., and cap (K looks; the last step may be shorter).
 * alpha is spent over the K looks: each interim look (n < cap) tests at
 * alpha * interim / (K - 1), the last (n >= cap) at alpha * (1 - interim)
 * (Haybittle-Peto's shape).  The false-alarm rate over all looks is at
 * most alpha by the union bound (Bonferroni over looks), for any number
 * of looks taken, with exact (discrete) rank tests, and with Holm over a
 * family whose pairs stop at different looks: pass each pair's stage
 * p-value seq_stage_p() = p / w to padj_holm() and compare with alpha.
 * Testing every look at alpha instead (naive peeking) does not control
 * it: 0.19 instead of 0.05 with 14 looks (tests/unit/test_stats_seq.c).
 *
 * The default {10, 5, 30, 0.2}: looks at 10, 15, 20, 25, 30 per side;
 * at alpha 0.05 the interim looks test at 0.0025, the last at 0.04.
 */

#include <stddef.h>

struct seq_design {
	size_t nmin;        /* first look, repetitions per side (>= 2) */
	size_t step;        /* added per side per look (>= 1) */
	size_t cap;         /* last look (>= nmin) */
	double interim;     /* share of alpha for the interim looks together, [0, 1) */
};

#define SEQ_DESIGN_INIT { 10, 5, 30, 0.2 }

/* 0, or STATS_EINVAL (stats.h) when the design is out of range. */
int seq_check(const struct seq_design *d);
/* The number of looks K; 0 for an invalid design. */
size_t seq_looks(const struct seq_design *d);
/* Repetitions per side at look k (0-based); 0 when k >= K. */
size_t seq_look_n(const struct seq_design *d, size_t k);
/*
 * The share of alpha of a test on n values per side: 1 - interim at
 * n >= cap (the last look), interim / (K - 1) below (an interim look).
 * 1 when the design has one look; NaN for an invalid design.
 */
double seq_weight(const struct seq_design *d, size_t n);
/* min(1, p / seq_weight(d, n)); NaN stays NaN. */
double seq_stage_p(const struct seq_design *d, size_t n, double p);

#endif
