/*
 * What the tool counts in a leaf's repetitions (measure.c's measure_rep):
 * whether it counts in this one (backend.h, count_reps and recount_reps),
 * and a leaf it could not count.  Private to measure/.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure/backend.h"
#include "measure/measure_count.h"
#include "stats.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/strvec.h"
#include "util/usage.h"
#include "util/banned.h"

int measure_leaf_uncounted(struct store *st, const char *run_id, const struct strvec *events,
			   const char *leaf, int64_t bench_id, const char *why)
{
	struct buf metrics = BUF_INIT;
	int ret;

	for (size_t i = 0; i < events->nr; i++)
		buf_addf(&metrics, "%s%s/op", i ? " " : "", events->v[i]);
	ret = store_add_bench_failure(st, run_id, bench_id, metrics.buf, why);
	if (!ret)
		warning("benchmark '%s' could not be counted: %s; its %s/op and the other "
			"counts are left out (not comparable), Go's own metrics are still measured",
			leaf, why, events->nr ? events->v[0] : "counted");
	buf_release(&metrics);
	return ret;
}

/* The values of `metric` in the rows of `sl` from row `from` on, into `v`; how many. */
static size_t metric_values(const struct sample_list *sl, size_t from, const char *metric,
			    double *v)
{
	size_t n = 0;

	for (size_t j = from; j < sl->nr; j++)
		if (!strcmp(sl->rows[j].metric, metric))
			v[n++] = sl->rows[j].value;
	return n;
}

int measure_rep_counts(const struct backend *be, struct store *st, const char *run_id,
		       const char *leaf, int64_t bench_id, int rep, int *out)
{
	struct sample_list sl = SAMPLE_LIST_INIT;
	struct metric_policy pol;
	double *v = NULL;
	int ret;

	*out = !be->count_reps || rep < be->count_reps;
	if (*out || rep >= be->count_reps + be->recount_reps)
		return 0;
	ret = store_bench_samples(st, run_id, bench_id, &sl);
	metric_policy_init(&pol);
	if (!ret && sl.nr)
		v = xcalloc(sl.nr, sizeof(*v));
	for (size_t i = 0; !ret && !*out && i < sl.nr; i++) {
		const char *metric = sl.rows[i].metric;
		struct metric_info mi;
		struct summary sum;
		size_t j, n;
		int repeats = 1;

		for (j = 0; j < i && strcmp(sl.rows[j].metric, metric); j++)
			;
		if (j < i || (sl.rows[i].flags & SAMPLE_GO))
			continue;
		metric_lookup(&pol, metric, &mi);
		if (!mi.gate)
			continue;
		n = metric_values(&sl, i, metric, v);
		if (stats_repeats(v, n, be->repeat_limit, &repeats) || repeats)
			continue;
		*out = 1;
		summary_compute(&sum, v, n, 0.95);
		note("%s: %s of its %zu counted repetitions do not repeat (spread %.3g %%, no "
		     "majority within %g %% of the median); repetition %d counts too", leaf,
		     metric, n, sum.median ? 100 * (sum.max - sum.min) / fabs(sum.median) : INFINITY,
		     100 * be->repeat_limit, rep + 1);
	}
	free(v);
	sample_list_release(&sl);
	return ret;
}

