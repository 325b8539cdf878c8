/* A Go benchmark file as a series set; see gobench_series.h. */
#include <stdlib.h>
#include <string.h>

#include "collect/gobench_series.h"
#include "util/usage.h"
#include "util/banned.h"

/* Does every result of f have key = value? */
static int shared_by_all(const struct gb_file *f, const char *key, const char *value)
{
	size_t last = (size_t)-1;

	for (size_t i = 0; i < f->nr; i++) {
		const char *v;

		/* Results after the same configuration line share its answer. */
		if (f->results[i].config == last)
			continue;
		last = f->results[i].config;
		v = gb_config_get(f, &f->results[i], key);

		if (!v || strcmp(v, value))
			return 0;
	}
	return 1;
}

static void shared_config(const struct gb_file *f, struct series_set *out)
{
	const struct gb_config *c;

	if (!f->nr || f->results[0].config >= f->nconfigs)
		return;
	c = &f->configs[f->results[0].config];
	for (size_t k = 0; k < c->nr; k++)
		if (shared_by_all(f, c->kv[k].key, c->kv[k].value))
			series_set_add_config(out, c->kv[k].key, c->kv[k].value);
}

/* Same benchmark, package and units in the same order as the line before? */
static int same_series(const struct gb_result *r, const struct gb_result *prev,
		       const char *pkg, const char *prev_pkg)
{
	if (!prev || r->nvalues != prev->nvalues || strcmp(pkg, prev_pkg) ||
	    strcmp(r->name, prev->name))
		return 0;
	for (size_t j = 0; j < r->nvalues; j++)
		if (strcmp(r->values[j].unit, prev->values[j].unit))
			return 0;
	return 1;
}

void gb_file_series(const struct gb_file *f, const char *label, struct series_set *out)
{
	const struct gb_result *prev = NULL;
	const char *pkg = "", *prev_pkg = "";
	size_t *idx = NULL, idx_alloc = 0, cfg = (size_t)-1;

	series_set_set_label(out, label);
	out->default_better = gb_unit_default_better;
	for (size_t i = 0; i < f->nr; i++) {
		const struct gb_result *r = &f->results[i];

		if (r->config != cfg) {
			cfg = r->config;
			pkg = gb_config_get(f, r, "pkg");
			if (!pkg)
				pkg = "";
		}
		/* `go test -count N` repeats a line N times: append to the same series. */
		if (same_series(r, prev, pkg, prev_pkg)) {
			for (size_t j = 0; j < r->nvalues; j++)
				series_set_append(out, idx[j], r->values[j].value);
			continue;
		}
		series_set_add_bench(out, pkg, r->name);
		ALLOC_GROW(idx, r->nvalues, idx_alloc);
		for (size_t j = 0; j < r->nvalues; j++)
			idx[j] = series_set_add_sample(out, pkg, r->name, r->values[j].unit,
						       r->values[j].value);
		prev = r;
		prev_pkg = pkg;
	}
	free(idx);
	shared_config(f, out);
	for (size_t i = 0; i < f->nunits; i++)
		series_set_set_unit(out, f->units[i].unit, f->units[i].better,
				    f->units[i].assume_exact);
}
