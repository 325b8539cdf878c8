#ifndef PERFGO_MEASURE_CONFIG_H
#define PERFGO_MEASURE_CONFIG_H

/*
 * What a measurement is made with, from the `test` grammar's arguments:
 * the options measure.c works from, and the canonical JSON that says when
 * two measurements are interchangeable.
 */

#include "cli/testargs.h"
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
 * The go build environment (GOFLAGS, GOEXPERIMENT, GOAMD64, CGO_*, ...)
 * is part of it, under "go_env", when any of it is set.
 */
char *bench_config_json(const struct testargs *ta, const struct strvec *events, int detail);

#endif
