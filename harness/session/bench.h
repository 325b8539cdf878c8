#ifndef PERFGO_BENCH_H
#define PERFGO_BENCH_H

/*
 * The pieces `test stat`, `run` and `compare` share: recording a run
 * (row, artifact directory, final status), choosing the events a runner
 * can count, and measuring one source tree's packages (list, build, stage,
 * plan, then every repetition) into a run.
 */

#include "cli/cli.h"
#include "gobuild/gotool.h"
#include "measure/measure.h"
#include "runner/runner.h"
#include "cli/testargs.h"
#include "session/workspace.h"

/* A run being recorded: its row, and runs/<id>/ with stdout, stderr and perf CSV. */
struct runrec {
	struct run_info ri;
	char *dir;
	int out_fd, err_fd, csv_fd;
	char *argv_json;
};

struct runrec_args {
	const char *command;        /* "test stat", "run", "compare", ... */
	const char *packages;       /* as given; replaced once resolved */
	const char *commit, *branch;
	int dirty;
	int64_t fingerprint_id;
	const char *config_json;
	int perf_csv;               /* open runs/<id>/perf-stat.csv too */
};

/* Write the 'running' row, create runs/<id>/ and open the artifact files. */
int runrec_begin(struct runrec *rr, struct workspace *ws, const struct ctx *ctx,
		 const struct runrec_args *a);
/*
 * Record the artifacts (size, sha256; empty files are dropped) and the
 * final status from `err` (0 ok, PG_EINTR interrupted, else failed).
 * Returns the exit code for `err` (DESIGN §7).
 */
int runrec_finish(struct runrec *rr, struct workspace *ws, int err);
/* The same with the exit code given: a comparison that found a regression. */
int runrec_finish_exit(struct runrec *rr, struct workspace *ws, int err, int exit_code);
void runrec_release(struct runrec *rr);

/*
 * The measurement configuration of `run` and `compare` as canonical JSON:
 * two measurements are interchangeable (reuse, skip) only when these
 * strings are equal, the commit is the same and the runners share a
 * fingerprint class.
 */
char *bench_config_json(const struct testargs *ta, const struct strvec *events, int detail);

/*
 * `run` and `compare` take "[-- <pkg>... [go test flags]]": parse those
 * words with the `test` grammar, packages defaulting to "./...".
 */
int parse_bench_args(const struct strvec *words, struct testargs *ta);

/*
 * Before anything is recorded: go in PATH, and (with `perf_here`: perf
 * runs on this machine) perf usable.  A remote runner's perf is checked
 * once connected.  0, or PG_EENV with the fix.
 */
int bench_preflight(int perf_here);

/* The exit code for an internal error code; PG_EINTR gives 128+signal. */
int exit_code_for(int err);

/*
 * The events to count: `requested` (-e, split perf's way) or the default
 * set (with the cache detail events when `detail` != 0; with -e only when
 * detail == 1), probed on the runner.  What does not count is dropped with
 * one warning and every event is recorded in the run with its state.
 * *pmu_out says whether a hardware event counted.
 */
int bench_events(struct runner *r, struct store *st, const char *run_id,
		 const struct strvec *requested, int detail, int *pmu_out,
		 struct strvec *counted);

/*
 * Set fp->pmu: does a hardware event (instructions) count on the runner?
 * Part of the fingerprint, so probed before the fingerprint is stored.
 */
int bench_probe_pmu(struct runner *r, struct fingerprint *fp);

/* One source tree's benchmarks. */
struct bench_tree {
	const char *dir;            /* where package arguments resolve; NULL: cwd */
	const char *root;           /* the private checkout dir is in; NULL: the user's tree */
	const char *tag;            /* names its binaries in the scratch dir */
	struct gopkg_list pkgs;
	struct pkg_plan *plans;     /* one per package */
	size_t nleaves;
};

void measure_opts_init(struct measure_opts *mo, const struct testargs *ta,
		       const struct strvec *events, int gomaxprocs);
void measure_ctx_init(struct measure_ctx *mc, struct runner *r, struct store *st,
		      const struct runrec *rr);

/*
 * List the packages (recording them in the run), build each test binary,
 * stage it on the runner and plan its benchmarks.  A build failure is
 * PG_ECODE (go's output shown).
 */
int bench_tree_prepare(struct bench_tree *bt, struct measure_ctx *mc,
		       const struct measure_opts *mo, const struct testargs *ta,
		       const char *store_dir);
/* Measure every planned leaf, every repetition. */
int bench_tree_measure(struct bench_tree *bt, struct measure_ctx *mc,
		       const struct measure_opts *mo);
void bench_tree_release(struct bench_tree *bt);

/* Find a leaf by package import path, name and procs; NULL if absent. */
struct leaf *bench_tree_find(struct bench_tree *bt, const char *pkg, const char *name,
			     int procs, struct pkg_plan **plan_out);

#endif
