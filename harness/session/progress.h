#ifndef PERFGO_PROGRESS_H
#define PERFGO_PROGRESS_H

/*
 * A one-line progress display with ETA on stderr, only when stderr is a
 * terminal and perfgo is not quiet.  The estimate is elapsed time per
 * finished job times the jobs left.
 */

struct measure_ctx;

void progress_update(struct measure_ctx *mc, const char *what);
/* Erase the line before anything else is printed. */
void progress_done(struct measure_ctx *mc);

#endif
