#ifndef PERFGO_PERF_H
#define PERFGO_PERF_H

/*
 * Driving perf: the preflight check, the default event set, and the
 * probe that tells which events count on a runner.
 */

#include "runner/runner.h"
#include "util/strvec.h"

/*
 * perf's default set (DESIGN §4): the hardware counters, with the cache
 * level detail (L1-dcache, LLC) when `detail`, and the software events.
 */
void perf_default_events(struct strvec *out, int detail);

/* The software events perfgo always adds so that every machine counts something. */
int perf_event_is_software(const char *event);

/*
 * perf present and usable here?  Returns 0, or PG_EENV with a one-line fix:
 * perf not installed, or perf_event_paranoid too strict for this user.
 */
int perf_preflight(void);

/*
 * perf on the runner `r`, after its probe: fill fp->perf_version and
 * fp->paranoid (-99: unknown) from runner queries (`perf --version`, the
 * paranoid level).  With `check` (perf is about to measure there), also
 * ask the runner's system (uname -s) and user (id -u) and fail with
 * PG_EENV and a one-line fix, in this order: not Linux, perf not
 * installed, perf_event_paranoid too strict for that user; the messages
 * name r->dest, or speak of this machine as perf_preflight() does.
 * Returns 0, PG_EENV or PG_EINTR.
 */
int perf_check_runner(struct runner *r, struct fingerprint *fp, int check);

struct perf_probe {
	struct strvec counted;       /* requested elements that count */
	struct strvec unsupported;   /* "<not supported>" here */
	struct strvec not_counted;   /* "<not counted>" (e.g. no free counter) */
	int pmu;                     /* a hardware event counted */
};

void perf_probe_init(struct perf_probe *pp);
void perf_probe_release(struct perf_probe *pp);

/*
 * Run `perf stat -x, -o FILE -e ... -- true` on the runner once and sort
 * the requested events by what perf printed for them.  An event perf
 * rejects (syntax error, unknown PMU) is PG_EUSAGE with perf's reason.
 */
int perf_probe_events(struct runner *r, const struct strvec *events,
		      struct perf_probe *out);

#endif
