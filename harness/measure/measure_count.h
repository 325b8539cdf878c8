#ifndef PERFGO_MEASURE_COUNT_H
#define PERFGO_MEASURE_COUNT_H

/*
 * What the tool counts in a leaf's repetitions (measure.c's measure_rep).
 * Private to measure/.
 */

#include <stdint.h>

struct backend;
struct store;
struct strvec;

/*
 * Whether backend `be` counts in repetition `rep` of the leaf (benchmark
 * `bench_id` of run `run_id`, named `leaf` in the note), into *out
 * (backend.h, count_reps): in each of the first count_reps, then in up to
 * recount_reps more while a metric of the default gate it counted in the
 * earlier ones (the simulation's instructions) does not repeat, which a
 * note says.  0, or the store's error.
 */
int measure_rep_counts(const struct backend *be, struct store *st, const char *run_id,
		       const char *leaf, int64_t bench_id, int rep, int *out);
/*
 * The tool could not count the leaf (BACKEND_ESKIP): record why in run
 * `run_id`, with the metrics it leaves out (the per-op metrics of the
 * backend's `events`), and warn.
 */
int measure_leaf_uncounted(struct store *st, const char *run_id, const struct strvec *events,
			   const char *leaf, int64_t bench_id, const char *why);

#endif
