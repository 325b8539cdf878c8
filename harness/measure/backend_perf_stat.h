#ifndef PERFGO_BACKEND_PERF_STAT_H
#define PERFGO_BACKEND_PERF_STAT_H

/*
 * The perf stat backend (backend_perf_stat in backend.h): the gated
 * two-point differential of DESIGN §4.  Each repetition is two processes,
 *
 *     perf stat -x, -o CSV -D -1 --control=<channel> -e EVENTS -- pkg.test ...
 *
 * with n = N/2 and n = N.  perf starts with its counters disabled; they
 * are enabled when the binary prints the bare benchmark name and disabled
 * at its result line (measure/perf_gate.h, shared with perf record and
 * perf c2c record), so start-up is never counted.  What the gate still
 * holds besides the loop (Go's b.N=1 probe run and setup before
 * b.ResetTimer) is the same in both processes, so the per-op value
 * (C(N) - C(N/2)) / (N - N/2) removes it.  Derived metrics (IPC, miss
 * rates) are computed per repetition from the per-op counters.
 */

#include <stdint.h>

struct rep_samples;
struct gb_result;
struct ps_result;

/*
 * One repetition's samples (exposed for tests): Go's metrics from `go`,
 * every counter counted in both processes as (hi - lo) / (n_hi - n_lo)
 * (time events in ns, named "<event>-ns/op"; others "<event>/op"; with
 * n_hi == n_lo the single process's count / n_hi), flagged
 * SAMPLE_MULTIPLEXED when either ran < 100 %, then the derived ratios (IPC,
 * branch-miss-%, cache-miss-%, L1-dcache-miss-%, LLC-miss-%) where both
 * counters exist with the same modifier.
 */
void perf_stat_samples(struct rep_samples *rs, int64_t bench_id, int rep,
		       const struct gb_result *go, const struct ps_result *lo, uint64_t n_lo,
		       const struct ps_result *hi, uint64_t n_hi);

#endif
