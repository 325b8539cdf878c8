#ifndef PERFGO_COMPARE_REVS_H
#define PERFGO_COMPARE_REVS_H

/*
 * `perfgo compare` on revisions, a gate: resolve and measure both sides
 * (compare_sides.c), compare their stored samples (analysis/compare.h, as
 * for files), optionally confirm the regressions in a second round, record
 * the comparison run with its reports, and decide the exit code.
 */

#include "cli/cli.h"
#include "analysis/compare.h"
#include "compare_formats.h"
#include "util/strvec.h"

/* What fails the gate (--fail-on): a gated regression, sample sizes that cannot reach α. */
enum compare_fail {
	COMPARE_FAIL_REGRESSION = 1 << 0,
	COMPARE_FAIL_UNREACHABLE = 1 << 1
};

/* Every option of `perfgo compare`, as given (fail_mask parsed from fail_on). */
struct compare_args {
	const char *alpha, *confidence, *filter, *fail_on, *format;
	struct strvec thresholds, metrics, gates;
	unsigned fail_mask;                     /* enum compare_fail */
	const char *report_file[COMPARE_FORMATS_NR];   /* per format, or NULL */
	const struct opt *opts;       /* compare's option table, for hints */
	/* revisions only */
	const char *remote;
	const char *import_path;                /* --import-path, or NULL */
	int keep, reuse, confirm;
	int detail;                             /* -1: default */
	struct strvec events;
	/* --github, --no-github (-1: when GITHUB_ACTIONS=true), --github-comment, --github-token-env */
	int github, github_comment;
	const char *github_token_env;
	const char *counters;                   /* --counters, or NULL */
	/* -count auto: first look, step and cap (repetitions per side); NULL: default */
	const char *count_min, *count_step, *count_max;
};

/*
 * The exit code a report deserves under --fail-on: EXIT_REGRESSION when
 * it has a gated regression (and mask has COMPARE_FAIL_REGRESSION) or
 * pairs that cannot reach α (COMPARE_FAIL_UNREACHABLE), else EXIT_OK.
 * Says why on stderr when the gate fails on the sample sizes.
 */
int compare_gate_exit(const struct compare_report *rep, unsigned mask);

/*
 * compare_gate.c: PG_EUSAGE (said, with the units there are) when a --gate
 * name matches no unit of the report (compare_gate_unmatched()): a typo
 * there would otherwise leave the gate deciding on less, or nothing.
 */
int compare_check_gate(const struct compare_report *rep, const struct compare_opts *o);

/* compare_rounds.c: -count auto's design from --min-count, --count-step, --max-count. */
struct seq_design;
int compare_count_design(const struct compare_args *a, struct seq_design *d);
/* The span of repetitions each side got over a report's rows (the design fields zero). */
void compare_reps_span(const struct compare_report *rep, struct compare_reps *c);

/*
 * compare_spread.c: when ns/op of benchmarks run with GOMAXPROCS > 1
 * varies between processes by more than 10 % (MAD, 5 or more repetitions),
 * append a note naming them and suggesting -cpu 1 with its cost.
 */
void compare_spread_note(const struct compare_report *rep, struct strvec *notes);

/*
 * Compare revisions `revs` (0, 1 or 2 words) measuring `bench_words`
 * (packages and go test flags after "--").  Returns the exit code.
 */
int compare_revisions(const struct compare_args *a, const struct compare_opts *o,
		      const struct strvec *revs, const struct strvec *bench_words,
		      struct ctx *ctx);

#endif
