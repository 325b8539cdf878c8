/* A measured run in Go benchmark format; see stat_report.h. */
#include <string.h>

#include "stat_report.h"
#include "escape.h"
#include "util/strvec.h"
#include "util/banned.h"

/*
 * "# key: value": a line the Go benchmark format says readers ignore (it
 * starts with '#'), so perfgo's facts travel with the numbers without
 * becoming configuration that splits benchstat's tables.
 */
static void comment(struct buf *out, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	buf_addf(out, "# %s: ", key);
	text_sanitize(out, value);
	buf_addch(out, '\n');
}

static void header(struct buf *out, const struct stat_run *r)
{
	if (r->has_info) {
		const struct stat_run_info *in = &r->info;

		comment(out, "perfgo-run", in->id);
		comment(out, "perfgo-command", in->command);
		if (in->commit) {
			struct buf c = BUF_INIT;

			buf_addf(&c, "%s%s", in->commit, in->dirty ? "-dirty" : "");
			comment(out, "commit", c.buf);
			buf_release(&c);
		}
		comment(out, "branch", in->branch);
	}
	if (r->has_runner) {
		comment(out, "perfgo-host", r->runner.host);
		comment(out, "perfgo-cpu-model", r->runner.cpu_model);
		comment(out, "perfgo-kernel", r->runner.kernel);
		comment(out, "perfgo-perf", r->runner.perf_version);
		comment(out, "perfgo-go", r->runner.go_version);
	}
	/* Metrics the backend could not count: absent below, and why. */
	for (size_t i = 0; i < r->nfailures; i++) {
		const struct stat_failure *f = &r->failures[i];
		struct buf v = BUF_INIT;

		buf_addf(&v, "%s.%s %s: %s", f->package, f->bench, f->metrics, f->reason);
		comment(out, "perfgo-not-counted", v.buf);
		buf_release(&v);
	}
}

/*
 * The configuration block before a package's results: the "key: value"
 * lines its test binary printed, verbatim and in order (goos, goarch, pkg,
 * cpu), so that a `go test -bench` file from the same machine has the same
 * keys.  Runs recorded before perfgo kept them get goos and goarch from
 * the runner (the same `go env` values) and pkg; cpu is then unknown.
 */
static void package_config(struct buf *out, const struct stat_run *r, const char *pkg)
{
	int any = 0;

	for (size_t i = 0; i < r->ngoconf; i++) {
		const struct stat_go_config *g = &r->goconf[i];

		if (strcmp(g->package, pkg))
			continue;
		buf_addf(out, "%s: %s\n", g->key, g->value);
		any = 1;
	}
	if (any)
		return;
	if (r->has_runner && r->runner.goos)
		buf_addf(out, "goos: %s\n", r->runner.goos);
	if (r->has_runner && r->runner.goarch)
		buf_addf(out, "goarch: %s\n", r->runner.goarch);
	buf_addf(out, "pkg: %s\n", pkg);
}

void stat_report_gobench(struct buf *out, const struct stat_run *r)
{
	const char *pkg = NULL;
	struct strvec units = STRVEC_INIT;

	header(out, r);
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
			package_config(out, r, f->package);
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
