#ifndef PERFGO_MEASURE_DIAG_H
#define PERFGO_MEASURE_DIAG_H

/*
 * Explaining a failed job (measure.c's run_job): the end of its output, the
 * signal a wrapper reported, and the test binary's own verdict on bad
 * arguments.  Private to measure/.
 */

#include <stddef.h>

#include "util/buf.h"
#include "util/strvec.h"

/* Print the last `max_lines` lines of `tail` to stderr. */
void measure_show_tail(const struct buf *tail, size_t max_lines);
/* The signal name a wrapper printed ("x.test: Killed") into `out`, if any. */
void measure_signal_line(const char *err, struct buf *out);
/*
 * The test binary's one-line verdict on its arguments in its stderr `err`:
 * PG_EUSAGE (reported, naming `pkg`; a perfgo option in `own` is named as
 * such), or 0 when it said none.
 */
int measure_flag_diagnosis(const char *err, const char *pkg, const struct strvec *own);

#endif
