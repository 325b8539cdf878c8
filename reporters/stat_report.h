#ifndef PERFGO_STAT_REPORT_H
#define PERFGO_STAT_REPORT_H

/*
 * Reports of a measured run (perfgo test stat, perfgo view): the samples
 * as stored, grouped per package and benchmark, summarised per metric over
 * the repetitions (analysis/stat_run.h).  Pure formatting into a buffer;
 * the same code serves `test stat` right after measuring and `view` later,
 * both reading the database, so what is shown is what is stored.
 *
 *  - text:    a table per benchmark: median, spread (MAD as % of the
 *             median), min, max, n; "M" marks counters perf multiplexed;
 *             events not supported on the runner are listed below
 *             (stat_text.c).
 *  - json:    every sample and summary; stable field names (README)
 *             (stat_json.c).
 *  - gobench: Go benchmark format, one line per benchmark and repetition
 *             with every metric as a value/unit pair, plus "Unit ...
 *             better=..." lines, so that benchstat reads it unchanged
 *             (stat_gobench.c).
 */

#include "util/buf.h"
#include "analysis/stat_run.h"

void stat_report_text(struct buf *out, const struct stat_run *r);
void stat_report_json(struct buf *out, const struct stat_run *r);
void stat_report_gobench(struct buf *out, const struct stat_run *r);

/* Format a number compactly for tables (4 significant digits or more). */
void fmt_value(struct buf *out, double v);

#endif
