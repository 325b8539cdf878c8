#ifndef PERFGO_MEASURE_H
#define PERFGO_MEASURE_H

/*
 * The measurement protocol (DESIGN §4) for one package's benchmarks, with
 * the counting left to a backend (backend.h).
 *
 * Plan: one discovery run of the test binary lists the leaf benchmarks and,
 * unless -benchtime=Nx was given, calibrates the iteration count N with Go's
 * own time-based search (default target 1s).  N is then held fixed.
 *
 * Measure: each repetition of a leaf is one process per point the backend
 * asks for (perf stat: N/2 and N), each
 *
 *     <backend argv> pkg.test -test.run=^$ -test.bench=^Leaf$
 *         -test.benchtime=<n>x -test.count=1 -test.benchmem -test.v
 *         -test.cpu=<P>
 *
 * With -test.v the binary prints the bare benchmark name when the
 * benchmark starts (after runtime and package init) and the result line
 * when it ends; the backend hears both (perf stat enables and disables
 * its counters there, so start-up is never counted).  Go's own metrics
 * (ns/op, B/op, allocs/op, MB/s, custom units) come from the last process.
 * The backend turns the processes' counts into per-op samples.
 */

#include <stdint.h>

#include "gobuild/gotool.h"
#include "measure/progress.h"
#include "runner/runner.h"
#include "store/store.h"
#include "util/strvec.h"

struct backend;

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
	char *local_bin;     /* the test binary on this machine (symbolizing profiles) */
};

struct measure_opts {
	const struct strvec *events;   /* events that count here */
	int count;                     /* repetitions (>= 1) */
	const char *bench;             /* -bench regexp ("." if NULL) */
	const char *benchtime;         /* user's -benchtime or NULL */
	const char *cpu;               /* user's -cpu list or NULL */
	const struct strvec *extra;    /* other test flags, -test.-prefixed */
	const struct strvec *args;     /* after -args */
	const struct strvec *own;      /* of extra, those named like perfgo's options; may be NULL */
	int gomaxprocs;                /* of the runner */
	/* Words for the backend's tool (perf record: -c/-F, --call-graph); may be NULL. */
	const struct strvec *backend_args;
};

/* Where a run's jobs go and how they are counted. */
struct measure_ctx {
	const struct backend *backend;
	struct runner *runner;
	struct store *st;
	const char *run_id;
	const char *run_dir;           /* runs/<id>/ for artifacts, or NULL */
	/* Artifact files every job is appended to (stdout, stderr, the backend's raw output); -1: none. */
	int out_fd, err_fd, raw_fd;
	struct progress progress;
};

/* Everything but the run's directory and artifact files (NULL, -1); the progress clock starts. */
void measure_ctx_init(struct measure_ctx *mc, const struct backend *be, struct runner *r,
		      struct store *st, const char *run_id);

/*
 * Append a job's raw output (perf stat's CSV) to the run's raw artifact,
 * after the "# perfgo: <job>" line measure.c wrote there.  0 or reported.
 */
int measure_save_raw(struct measure_ctx *mc, const char *s, size_t len);

void pkg_plan_release(struct pkg_plan *pl);

/*
 * Discovery and calibration for one package.  A package without matching
 * benchmarks gets an empty plan (not an error).  Returns 0, PG_ECODE (a
 * benchmark failed or crashed), PG_EINTR or PG_EENV.
 */
int measure_plan(struct measure_ctx *mc, const struct measure_opts *mo,
		 struct pkg_plan *pl);

/*
 * One repetition of one leaf (the backend's points, one process each) into
 * run mc->run_id under benchmark `bench_id`; the samples are committed in
 * one transaction.  Callers that interleave several sides (compare) call
 * this directly.  A process whose leaf ended before the backend's gate
 * opened (backend.h gate_missed: a busy machine) is discarded with a
 * warning and run again, up to MEASURE_GATE_ATTEMPTS processes in all;
 * then it is PG_EENV.  A process whose tool could not count the leaf
 * (backend.h BACKEND_ESKIP) is recorded in the store with its reason
 * (store_add_bench_failure()) and warned about once; the repetition, and
 * every later one of that leaf in the run, goes on with the backend's
 * uncounted_points, and 0 is returned.
 */
#define MEASURE_GATE_ATTEMPTS 3

int measure_rep(struct measure_ctx *mc, const struct measure_opts *mo,
		const struct pkg_plan *pl, const struct leaf *lf, int64_t bench_id, int rep);

/* Run every repetition of every leaf in the plan and store the samples. */
int measure_run(struct measure_ctx *mc, const struct measure_opts *mo,
		const struct pkg_plan *pl);

#endif
