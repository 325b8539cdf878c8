/* A measured run in Go benchmark format; see stat_report.h. */
#include <string.h>

#include "stat_report.h"
#include "util/strvec.h"
#include "util/banned.h"

void stat_report_gobench(struct buf *out, const struct stat_run *r)
{
	const char *pkg = NULL;
	struct strvec units = STRVEC_INIT;

	if (r->has_runner) {
		const struct stat_runner *fp = &r->runner;

		if (fp->goos)
			buf_addf(out, "goos: %s\n", fp->goos);
		if (fp->goarch)
			buf_addf(out, "goarch: %s\n", fp->goarch);
		if (fp->cpu_model)
			buf_addf(out, "cpu: %s\n", fp->cpu_model);
	}
	if (r->has_info && r->info.commit)
		buf_addf(out, "commit: %s%s\n", r->info.commit, r->info.dirty ? "-dirty" : "");
	/* Unit metadata first: it applies to the results that follow. */
	for (size_t i = 0; i < r->nsamples; i++) {
		const char *m = r->samples[i].metric;

		if (r->samples[i].flags & STAT_SAMPLE_GO || strvec_find(&units, m) >= 0)
			continue;
		strvec_push(&units, m);
		buf_addf(out, "Unit %s better=%s\n", m,
			 stat_metric_better(m) > 0 ? "higher" : "lower");
	}
	/* One line per (benchmark, repetition), in stored order. */
	for (size_t i = 0; i < r->nsamples; ) {
		const struct stat_sample *f = &r->samples[i];
		size_t j;

		if (!pkg || strcmp(pkg, f->package)) {
			buf_addf(out, "pkg: %s\n", f->package);
			pkg = f->package;
		}
		buf_addf(out, "%s\t%llu", f->bench, (unsigned long long)f->iterations);
		for (j = i; j < r->nsamples; j++) {
			const struct stat_sample *g = &r->samples[j];

			if (strcmp(g->package, f->package) || strcmp(g->bench, f->bench) ||
			    g->rep != f->rep)
				break;
			buf_addf(out, "\t%.10g %s", g->value, g->metric);
		}
		buf_addch(out, '\n');
		i = j > i ? j : i + 1;
	}
	strvec_clear(&units);
}
