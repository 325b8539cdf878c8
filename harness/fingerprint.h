#ifndef PERFGO_FINGERPRINT_H
#define PERFGO_FINGERPRINT_H

/*
 * Collecting the runner fingerprint (struct fingerprint in store.h) of
 * this machine: CPU, cores, kernel, perf and Go versions, GOOS/GOARCH/
 * GOAMD64, GOMAXPROCS, perf_event_paranoid, ASLR, governor and SMT where
 * readable.  `pmu` is filled in later by the event probe.  Unreadable
 * facts stay NULL; only a missing `perf` or `go` is an error.
 */

#include "store.h"

int fingerprint_collect_local(struct fingerprint *fp);

/* Read /proc/sys/kernel/perf_event_paranoid; -99 when unreadable. */
int read_perf_paranoid(void);

#endif
