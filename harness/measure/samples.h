#ifndef PERFGO_SAMPLES_H
#define PERFGO_SAMPLES_H

/*
 * The samples of one repetition of one leaf, as a backend builds them
 * before measure.c stores them in one transaction.
 */

#include <stdint.h>

#include "store/store.h"

struct gb_result;

/* Owns the metric names its rows point to. */
struct rep_samples {
	struct sample_row *rows;
	char **names;
	size_t nr, alloc;
};

/* Append one sample; `metric` is copied, `unit` is not: it must outlive rs. */
void rep_samples_add(struct rep_samples *rs, int64_t bench_id, int rep, uint64_t iters,
		     const char *metric, const char *unit, double value, double running,
		     unsigned flags);
/*
 * Go's own metrics from its result line (ns/op, B/op, allocs/op, MB/s,
 * custom units), flagged SAMPLE_GO; custom units point into `go`.  They
 * lead every report, so backends add them first.
 */
void rep_samples_add_go(struct rep_samples *rs, int64_t bench_id, int rep,
			const struct gb_result *go);
/* The sample of `metric` already in this repetition, or NULL. */
const struct sample_row *rep_samples_find(const struct rep_samples *rs, const char *metric);
void rep_samples_release(struct rep_samples *rs);

#endif
