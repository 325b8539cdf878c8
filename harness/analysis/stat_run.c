/* A measured run, grouped and summarised for its reports; see stat_run.h. */
#include <stdlib.h>
#include <string.h>

#include "analysis/stat_run.h"
#include "util/buf.h"
#include "util/banned.h"

int stat_metric_better(const char *metric)
{
	if (!strcmp(metric, "IPC") || starts_with(metric, "IPC:") || ends_with(metric, "/s"))
		return 1;
	return -1;
}

void stat_run_release(struct stat_run *r)
{
	free(r->events);
	free(r->goconf);
	free(r->samples);
	free(r->failures);
	memset(r, 0, sizeof(*r));
}

/* The newest series of f's (package, benchmark, metric): reps follow each other. */
static struct stat_series *find_series(struct stat_series_list *l, const struct stat_sample *f)
{
	for (size_t i = l->nr; i-- > 0;) {
		struct stat_series *s = &l->s[i];

		if (!strcmp(s->package, f->package) && !strcmp(s->bench, f->bench) &&
		    !strcmp(s->metric, f->metric))
			return s;
	}
	return NULL;
}

void stat_run_group(const struct stat_run *r, struct stat_series_list *l)
{
	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i < r->nsamples; i++) {
		const struct stat_sample *f = &r->samples[i];
		struct stat_series *s = find_series(l, f);

		if (!s) {
			ALLOC_GROW(l->s, l->nr + 1, l->alloc);
			s = &l->s[l->nr++];
			memset(s, 0, sizeof(*s));
			s->package = f->package;
			s->bench = f->bench;
			s->metric = f->metric;
			s->unit = f->unit;
			s->running = 1.0;
			s->flags = f->flags;
		}
		s->values = xrealloc(s->values, (s->nvalues + 1) * sizeof(double));
		s->values[s->nvalues++] = f->value;
		if (f->iterations > s->iterations)
			s->iterations = f->iterations;
		if (f->flags & STAT_SAMPLE_MULTIPLEXED)
			s->multiplexed = 1;
		if (f->running < s->running)
			s->running = f->running;
	}
	for (size_t i = 0; i < l->nr; i++)
		l->s[i].has_summary = !summary_compute(&l->s[i].sum, l->s[i].values,
						       l->s[i].nvalues, 0.95);
}

void stat_series_list_release(struct stat_series_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->s[i].values);
	free(l->s);
	memset(l, 0, sizeof(*l));
}
