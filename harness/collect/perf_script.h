#ifndef PERFGO_PERF_SCRIPT_H
#define PERFGO_PERF_SCRIPT_H

/*
 * A streaming parser of `perf script` text into a profile (profile.h),
 * one line at a time, for the output of
 *
 *     perf script -F comm,tid,pid,time,period,event,ip,sym,dso --show-mmap-events
 *
 * (PERFSCRIPT_FIELDS): executable mmap records, then per sample a header
 *
 *     <comm, may hold spaces> <pid>/<tid> <sec>.<usec>: <period> <event>:
 *
 * and one frame per line, leaf first, indented:
 *
 *     <hex ip> <symbol, may hold spaces> (<dso, may hold spaces and parens>)
 *
 * and a blank line.  perf 6.1 prints a user-space ip relative to its
 * mapping (ip - start + offset) and a kernel ip absolute; both are turned
 * into the runtime address, which with the mapping's (start, limit, offset)
 * is what pprof expects.  A location is a (mapping, address) and starts
 * with perf's symbol as its one line; symbolize.h gives the main binary's
 * locations file names, line numbers and inlined frames.
 *
 * Nothing in the input is fatal: a line that cannot be read is counted in
 * `bad` (a header: its whole sample is skipped; a frame: the frame), a
 * truncated frame keeps its address, and a dso without an mmap record gets
 * a mapping of its own with no address range.  Memory is O(distinct
 * stacks + distinct locations), time O(lines).
 */

#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"

#define PERFSCRIPT_FIELDS "comm,tid,pid,time,period,event,ip,sym,dso"

struct pscript_map {
	char *path;
	size_t len;                /* strlen(path) */
	uint64_t start, limit, pgoff;
	uint32_t id;               /* in the profile */
};

struct pscript {
	struct profile *prof;
	struct pscript_map *maps;
	size_t nmaps, amaps;
	/* The sample being read. */
	int in_sample, skip;
	int64_t pid, tid, period;
	uint32_t *stack;
	size_t nstack, astack;
	/* Statistics. */
	uint64_t lines, bad, samples, first_ns, last_ns;
};

void pscript_init(struct pscript *ps, struct profile *prof);
void pscript_release(struct pscript *ps);

/* One line without its newline. */
void pscript_line(struct pscript *ps, const char *line, size_t len);
/* End of input: the last sample is added even without its blank line. */
void pscript_finish(struct pscript *ps);

/* The mapping perf named `path` (the first one), or NULL. */
const struct pscript_map *pscript_find_map(const struct pscript *ps, const char *path);

#endif
