#ifndef PERFGO_FINGERPRINT_H
#define PERFGO_FINGERPRINT_H

/*
 * Collecting the runner fingerprint (struct fingerprint in store.h) of
 * this machine: CPU, cores, kernel, perf and Go versions, GOOS/GOARCH/
 * GOAMD64, GOMAXPROCS, perf_event_paranoid, ASLR, governor and SMT where
 * readable.  `pmu` is filled in later by the event probe.  Unreadable
 * facts stay NULL; only a missing `perf` or `go` is an error.
 */

#include "store/store.h"
#include "util/strvec.h"

int fingerprint_collect_local(struct fingerprint *fp);

/*
 * The pieces the ssh runner reuses for a remote machine's facts:
 * the CPU model from /proc/cpuinfo text ("model name", "Model Name",
 * "Hardware" or "cpu model", in that order), the version from
 * `perf --version` output, and Go's facts (version, GOOS, GOARCH,
 * GOAMD64) of the local toolchain with `env` (e.g. GOOS/GOARCH of the
 * target) applied.  The strings are newly allocated; NULL when absent.
 */
char *fingerprint_cpu_model(const char *cpuinfo);
char *fingerprint_perf_version(const char *out);
void fingerprint_go_facts(struct fingerprint *fp, const struct strvec *env);

/* Read /proc/sys/kernel/perf_event_paranoid; -99 when unreadable. */
int read_perf_paranoid(void);

#endif
