#ifndef PERFGO_PROGRESS_H
#define PERFGO_PROGRESS_H

/*
 * A one-line progress display with ETA on stderr, only when stderr is a
 * terminal and perfgo is not quiet.  The estimate is elapsed time per
 * finished job times the jobs left.
 */

#include <stddef.h>
#include <stdint.h>

struct progress {
	size_t done, total;        /* jobs; total 0: no count shown */
	int64_t started_ns;        /* clock_mono_ns() at progress_init() */
	int tty;                   /* stderr is a terminal */
};

/* Start the clock; no jobs counted yet. */
void progress_init(struct progress *p);
/* Redraw the line: "[done+1/total] what  ETA ..." */
void progress_update(const struct progress *p, const char *what);
/* Erase the line before anything else is printed. */
void progress_done(const struct progress *p);

#endif
