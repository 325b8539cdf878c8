#ifndef PERFGO_MEASURE_CONFIG_H
#define PERFGO_MEASURE_CONFIG_H

/*
 * What a measurement is made with, from the `test` grammar's arguments:
 * the options measure.c works from, and the canonical JSON that says when
 * two measurements are interchangeable.
 */

#include "cli/testargs.h"
#include "gobuild/buildmode.h"
#include "measure/measure.h"
#include "util/strvec.h"

/* `mo` borrows from `ta` and `events`: they must outlive it. */
void measure_opts_init(struct measure_opts *mo, const struct testargs *ta,
		       const struct strvec *events, int gomaxprocs);

/*
 * The measurement configuration of `run` and `compare` as canonical JSON
 * (newly allocated): two measurements are interchangeable (reuse, skip)
 * only when these strings are equal, the commit is the same and the
 * runners share a fingerprint class.  `events` are the -e words as given.
 * A commit built in GOPATH mode (`bm`, NULL or module mode: nothing) adds
 * "build":"gopath" and its "import_path" (and "import_dir" when that is
 * not the top), so it is never taken for a module build of the same
 * commit, nor one import path for another.
 * The go build environment (GOFLAGS, GOEXPERIMENT, GOAMD64, CGO_*, ...)
 * is part of it, under "go_env", when any of it is set.
 */
char *bench_config_json(const struct testargs *ta, const struct strvec *events, int detail,
			const struct buildmode *bm);

/*
 * `json` (a configuration from above, freed) with what counted added when
 * it is the simulation (`be` backend_callgrind): "counters":"sim" and
 * "simulator": the runner's valgrind and the simulated caches (`tool`, the
 * fingerprint's tool version).  perf's configurations are returned as
 * they were, so they stay equal to those stored before.  Newly allocated.
 */
struct backend;
char *config_add_counters(char *json, const struct backend *be, const char *tool);

#endif
