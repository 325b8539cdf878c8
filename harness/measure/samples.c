/* One repetition's samples; see samples.h. */
#include <stdlib.h>
#include <string.h>

#include "collect/gobench.h"
#include "measure/samples.h"
#include "util/usage.h"
#include "util/banned.h"

void rep_samples_add(struct rep_samples *rs, int64_t bench_id, int rep, uint64_t iters,
		     const char *metric, const char *unit, double value, double running,
		     unsigned flags)
{
	ALLOC_GROW(rs->rows, rs->nr + 1, rs->alloc);
	rs->names = xrealloc(rs->names, rs->alloc * sizeof(*rs->names));
	rs->names[rs->nr] = xstrdup(metric);
	rs->rows[rs->nr] = (struct sample_row){ bench_id, rs->names[rs->nr], unit, rep,
		iters, value, running, flags };
	rs->nr++;
}

void rep_samples_release(struct rep_samples *rs)
{
	for (size_t i = 0; i < rs->nr; i++)
		free(rs->names[i]);
	free(rs->names);
	free(rs->rows);
	memset(rs, 0, sizeof(*rs));
}

static const char *go_unit(const char *unit)
{
	if (!strcmp(unit, "ns/op"))
		return "ns";
	if (!strcmp(unit, "B/op"))
		return "B";
	if (!strcmp(unit, "allocs/op"))
		return "count";
	return unit;
}

void rep_samples_add_go(struct rep_samples *rs, int64_t bench_id, int rep,
			const struct gb_result *go)
{
	for (size_t i = 0; i < go->nvalues; i++)
		rep_samples_add(rs, bench_id, rep, go->iters, go->values[i].unit,
				go_unit(go->values[i].unit), go->values[i].value, 1.0, SAMPLE_GO);
}

const struct sample_row *rep_samples_find(const struct rep_samples *rs, const char *metric)
{
	for (size_t i = 0; i < rs->nr; i++)
		if (!strcmp(rs->rows[i].metric, metric))
			return &rs->rows[i];
	return NULL;
}
