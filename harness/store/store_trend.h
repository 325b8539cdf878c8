#ifndef PERFGO_STORE_TREND_H
#define PERFGO_STORE_TREND_H

/*
 * History queries (`perfgo history`, `perfgo report`, `perfgo run`'s moved
 * benchmarks): the (benchmark, metric) pairs stored, and the samples of one
 * pair over every clean, successful `perfgo run` run with its commit and
 * runner class.  The sample query is served by the samples_history_v index
 * (benchmark_id, metric, run_seq, value); tests/bench/bench_trend.c times both at
 * 10,000 commits and checks the plan.
 */

#include "analysis/trend.h"
#include "store/store.h"

struct trend_key {
	int64_t bench_id;
	char *package, *name, *metric;
};

struct trend_keys {
	struct trend_key *v;
	size_t nr, alloc;
};
#define TREND_KEYS_INIT { NULL, 0, 0 }
void trend_keys_release(struct trend_keys *l);

/*
 * Every (benchmark, metric) with samples, by package, name and metric.
 * `metric` (may be NULL: all) keeps one metric.  Metrics are found by
 * seeking the index once per metric, not by scanning the samples.
 */
int store_trend_keys(struct store *st, const char *metric, struct trend_keys *out);

/*
 * Append the samples of (bench_id, metric) from runs of `perfgo run` that
 * finished ok on a clean commit, in run order, with the commit's time and
 * subject and the runner's fingerprint class ("" without a fingerprint).
 */
int store_trend_samples(struct store *st, int64_t bench_id, const char *metric,
			struct trend_samples *out);

/* SQLite's plan for the sample query, one line per step (EXPLAIN QUERY PLAN). */
int store_trend_plan(struct store *st, char **plan_out);

#endif
