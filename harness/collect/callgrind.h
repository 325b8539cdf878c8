#ifndef PERFGO_CALLGRIND_H
#define PERFGO_CALLGRIND_H

/*
 * The totals of a callgrind run (valgrind --tool=callgrind): the event
 * names of its "events:" line and one count per event.
 *
 * Accepted, in any order (blank lines, comments and the per-function cost
 * lines of the out file are skipped):
 *
 *   events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw [Bc Bcm Bi Bim]
 *   summary: 852458 108816 10033 ...        (out file header)
 *   totals: 852458 108816 10033 ...         (out file, end of each part)
 *   ==PID== Events    : Ir Dr ...           (callgrind's log on stderr)
 *   ==PID== Collected : 852458 108816 ...
 *
 * Callgrind omits trailing zero counts, so a line may hold fewer numbers
 * than there are events (the rest are 0), never more.  The counts are the
 * sum of the "totals:" lines (one per part) when there are any, else the
 * last "summary:", else the last "Collected :".  "creator: callgrind-X"
 * gives the version.
 *
 * Ownership: a struct cg_result owns its strings.
 */

#include <stddef.h>
#include <stdint.h>

#define CG_MAX_EVENTS 32

struct cg_result {
	size_t nr;                       /* events */
	char *event[CG_MAX_EVENTS];
	uint64_t count[CG_MAX_EVENTS];
	char *creator;                   /* "callgrind-3.19.0", or NULL */
};

#define CG_RESULT_INIT { 0, { NULL }, { 0 }, NULL, }

/*
 * Parse callgrind output `s` (`len` bytes, not NUL-terminated).  Returns
 * 0, or PG_EPARSE (reported, naming `name` and the line) when there is no
 * events line, no counts, a malformed or overflowing number, more numbers
 * than events, a repeated or empty event list, or more than CG_MAX_EVENTS
 * events.
 */
int cg_parse(const char *s, size_t len, const char *name, struct cg_result *r);

/* Set *out to the count of `event`; 0, or -1 when the run has no such event. */
int cg_count(const struct cg_result *r, const char *event, uint64_t *out);

void cg_result_release(struct cg_result *r);

#endif
