#ifndef PERFGO_MEASURE_H
#define PERFGO_MEASURE_H

/*
 * The measurement protocol (DESIGN §4) for one package's benchmarks.
 *
 * Plan: one discovery run of the test binary lists the leaf benchmarks and,
 * unless -benchtime=Nx was given, calibrates the iteration count N with Go's
 * own time-based search (default target 1s).  N is then held fixed.
 *
 * Measure: each repetition of a leaf is two processes,
 *
 *     perf stat -x, -o CSV -D -1 --control fd:CTL,ACK -e EVENTS --
 *         pkg.test -test.run=^$ -test.bench=^Leaf$ -test.benchtime=<n>x
 *                  -test.count=1 -test.benchmem -test.v -test.cpu=<P>
 *
 * with n = N/2 and n = N.  perf starts with its counters disabled; perfgo
 * enables them when the binary prints the bare benchmark name (after
 * runtime and package init) and disables them at the result line, so
 * start-up is never counted.  What the gate still holds besides the loop
 * (Go's b.N=1 probe run and setup before b.ResetTimer) is the same in both
 * processes, so the per-op value (C(N) - C(N/2)) / (N - N/2) removes it.
 * Go's own metrics (ns/op, B/op, allocs/op, MB/s, custom units) come from
 * the N process.  Derived metrics (IPC, miss rates) are computed per
 * repetition from the per-op counters.
 */

#include <stdint.h>

#include "gobuild/gotool.h"
#include "runner/runner.h"
#include "store/store.h"
#include "util/strvec.h"

struct leaf {
	char *name;          /* full name without the -P suffix */
	int procs;           /* GOMAXPROCS for -test.cpu */
	uint64_t iters;      /* N */
};

struct pkg_plan {
	const struct gopkg *pkg;
	char *bin, *dir;     /* runner-side paths */
	struct leaf *leaves;
	size_t nr, alloc;
};

struct measure_opts {
	const struct strvec *events;   /* events that count here */
	int count;                     /* repetitions (>= 1) */
	const char *bench;             /* -bench regexp ("." if NULL) */
	const char *benchtime;         /* user's -benchtime or NULL */
	const char *cpu;               /* user's -cpu list or NULL */
	const struct strvec *extra;    /* other test flags, -test.-prefixed */
	const struct strvec *args;     /* after -args */
	int gomaxprocs;                /* of the runner */
};

struct measure_ctx {
	struct runner *runner;
	struct store *st;
	const char *run_id;
	/* Artifact files everything is appended to (stdout, stderr, perf CSV). */
	int out_fd, err_fd, csv_fd;
	/* Progress. */
	size_t jobs_done, jobs_total;
	int64_t started_ns;
	int tty;
};

void pkg_plan_release(struct pkg_plan *pl);

/*
 * Discovery and calibration for one package.  A package without matching
 * benchmarks gets an empty plan (not an error).  Returns 0, PG_ECODE (a
 * benchmark failed or crashed), PG_EINTR or PG_EENV.
 */
int measure_plan(struct measure_ctx *mc, const struct measure_opts *mo,
		 struct pkg_plan *pl);

/*
 * One repetition of one leaf (two processes) into run mc->run_id under
 * benchmark `bench_id`; the samples are committed in one transaction.
 * Callers that interleave several sides (compare) call this directly.
 */
int measure_rep(struct measure_ctx *mc, const struct measure_opts *mo,
		const struct pkg_plan *pl, const struct leaf *lf, int64_t bench_id, int rep);

/* Run every repetition of every leaf in the plan and store the samples. */
int measure_run(struct measure_ctx *mc, const struct measure_opts *mo,
		const struct pkg_plan *pl);

/* The samples of one repetition; owns the metric names its rows point to. */
struct rep_samples {
	struct sample_row *rows;
	char **names;
	size_t nr, alloc;
};

struct gb_result;
struct ps_result;

/*
 * Turn one repetition into samples: Go's metrics from `go`, every counter
 * counted in both processes as (hi - lo) / (n_hi - n_lo) (time events in ns,
 * named "<event>-ns/op"; others "<event>/op"; with n_hi == n_lo the single
 * process's count / n_hi), flagged SAMPLE_MULTIPLEXED when either ran < 100 %,
 * then the derived ratios (IPC, branch-miss-%, cache-miss-%, L1-dcache-miss-%,
 * LLC-miss-%) where both counters exist with the same modifier.
 */
void rep_samples_compute(struct rep_samples *rs, int64_t bench_id, int rep,
			 const struct gb_result *go, const struct ps_result *lo, uint64_t n_lo,
			 const struct ps_result *hi, uint64_t n_hi);
void rep_samples_release(struct rep_samples *rs);

#endif
