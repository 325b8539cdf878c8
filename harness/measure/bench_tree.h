#ifndef PERFGO_BENCH_TREE_H
#define PERFGO_BENCH_TREE_H

/*
 * Measuring one source tree's packages into a run: list them (recording
 * them in the run), build each test binary, stage it on the runner, plan
 * its benchmarks, then measure every repetition of every leaf.
 */

#include "cli/testargs.h"
#include "gobuild/gotool.h"
#include "measure/measure.h"

struct bench_tree {
	const char *dir;            /* where package arguments resolve; NULL: cwd */
	const char *root;           /* the private checkout dir is in; NULL: the user's tree */
	const char *gopath;         /* GOPATH mode: the checkout's private GOPATH (buildmode.h) */
	const char *tag;            /* names its binaries in the scratch dir */
	struct gopkg_list pkgs;
	struct pkg_plan *plans;     /* one per package */
	size_t nleaves;
};

/*
 * List, build, stage and plan (the progress line names each package).  A
 * build failure is PG_ECODE (go's output shown).  `store_dir` holds the
 * shared build cache.
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
