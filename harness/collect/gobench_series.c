/* A Go benchmark file as a series set; see gobench_series.h. */
#include <string.h>

#include "collect/gobench_series.h"
#include "util/banned.h"

/* Does every result of f have key = value? */
static int shared_by_all(const struct gb_file *f, const char *key, const char *value)
{
	for (size_t i = 0; i < f->nr; i++) {
		const char *v = gb_config_get(f, &f->results[i], key);

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

void gb_file_series(const struct gb_file *f, const char *label, struct series_set *out)
{
	series_set_set_label(out, label);
	out->default_better = gb_unit_default_better;
	for (size_t i = 0; i < f->nr; i++) {
		const struct gb_result *r = &f->results[i];
		const char *pkg = gb_config_get(f, r, "pkg");

		if (!pkg)
			pkg = "";
		series_set_add_bench(out, pkg, r->name);
		for (size_t j = 0; j < r->nvalues; j++)
			series_set_add_sample(out, pkg, r->name, r->values[j].unit,
					      r->values[j].value);
	}
	shared_config(f, out);
	for (size_t i = 0; i < f->nunits; i++)
		series_set_set_unit(out, f->units[i].unit, f->units[i].better,
				    f->units[i].assume_exact);
}
