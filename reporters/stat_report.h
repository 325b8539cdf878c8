#ifndef PERFGO_STAT_REPORT_H
#define PERFGO_STAT_REPORT_H

/*
 * Reports of a measured run (perfgo test stat, perfgo view): the samples
 * as stored, grouped per package and benchmark, summarised per metric over
 * the repetitions.  Pure formatting into a buffer; the same code serves
 * `test stat` right after measuring and `view` later, both reading the
 * database, so what is shown is what is stored.
 *
 *  - text:    a table per benchmark: median, spread (MAD as % of the
 *             median), min, max, n; "M" marks counters perf multiplexed;
 *             events not supported on the runner are listed below.
 *  - json:    every sample and summary; stable field names (README).
 *  - gobench: Go benchmark format, one line per benchmark and repetition
 *             with every metric as a value/unit pair, plus "Unit ...
 *             better=..." lines, so that benchstat reads it unchanged.
 */

#include "util/buf.h"
#include "store/store.h"

struct stat_report {
	const struct run_row *run;          /* may be NULL */
	const struct sample_list *samples;
	const struct run_extras *extras;    /* may be NULL */
};

void stat_report_text(struct buf *out, const struct stat_report *r);
void stat_report_json(struct buf *out, const struct stat_report *r);
void stat_report_gobench(struct buf *out, const struct stat_report *r);

/* Format a number compactly for tables (4 significant digits or more). */
void fmt_value(struct buf *out, double v);

#endif
