#ifndef PERFGO_COMPARE_GATE_H
#define PERFGO_COMPARE_GATE_H

/*
 * `perfgo compare` as a gate on revisions: resolve and measure both sides
 * (compare_commits.c), compare the stored samples with the statistics of
 * file comparisons, optionally confirm the regressions in a second round,
 * record the comparison run with its reports, and decide the exit code.
 */

#include "cli/cli.h"
#include "compare_report.h"
#include "junit.h"
#include "util/strvec.h"

/* Every option of `perfgo compare`, as given. */
struct compare_args {
	const char *alpha, *confidence, *filter, *fail_on, *format;
	struct strvec thresholds, metrics;
	const char *markdown, *junit, *json;    /* report files, or NULL */
	/* revisions only */
	const char *remote;
	int keep, reuse, confirm;
	int detail;                             /* -1: default */
	struct strvec events;
};

/*
 * Write the report in a->format to standard output and to the files of
 * --markdown/--junit/--json; with `artifact_dir`, every format into it
 * too (report.txt, report.md, report.json, junit.xml).  0, or PG_EENV
 * when a file cannot be written (reported).
 */
int compare_emit(const struct compare_args *a, const struct compare_report *rep,
		 const struct junit_meta *meta, const char *artifact_dir);

/*
 * Compare revisions `revs` (0, 1 or 2 words) measuring `bench_words`
 * (packages and go test flags after "--").  Returns the exit code.
 */
int compare_commits(const struct compare_args *a, const struct compare_opts *o,
		    const struct strvec *revs, const struct strvec *bench_words,
		    struct ctx *ctx);

#endif
