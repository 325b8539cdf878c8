#ifndef PERFGO_COMPARE_INTERNAL_H
#define PERFGO_COMPARE_INTERNAL_H

/*
 * Shared by the files of the comparison: building (compare_build.c) and
 * deciding (compare_decide.c).
 */

#include "analysis/compare.h"

/*
 * Holm over every comparable pair of the block (its family), then per row
 * the MDE at the level Holm's first step demands, the verdict, the counts
 * per verdict, and per table the geomean row.
 */
void compare_block_decide(struct compare_block *b, const struct compare_opts *o);
/* The counts per verdict and the regressed benchmarks, from the rows' verdicts. */
void compare_block_tally(struct compare_block *b);
void compare_block_release(struct compare_block *b);

#endif
