/* Reports of a measured run; see stat_report.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "stat_report.h"
#include "stats.h"
#include "util/strvec.h"
#include "util/banned.h"

/* A run of consecutive samples with the same package, benchmark and metric. */
struct series {
	size_t first, nr;          /* rows in the sample list, not contiguous */
	const char *package, *bench, *metric, *unit;
	double *values;
	size_t nvalues;
	uint64_t iterations;
	int multiplexed;
	double running;
	unsigned flags;
};

struct grouping {
	struct series *s;
	size_t nr, alloc;
};

static struct series *find_series(struct grouping *g, const struct sample_full *f)
{
	for (size_t i = g->nr; i-- > 0; ) {
		struct series *s = &g->s[i];

		if (!strcmp(s->package, f->package) && !strcmp(s->bench, f->bench) &&
		    !strcmp(s->metric, f->metric))
			return s;
	}
	return NULL;
}

static void group(const struct sample_list *l, struct grouping *g)
{
	memset(g, 0, sizeof(*g));
	for (size_t i = 0; i < l->nr; i++) {
		const struct sample_full *f = &l->rows[i];
		struct series *s = find_series(g, f);

		if (!s) {
			ALLOC_GROW(g->s, g->nr + 1, g->alloc);
			s = &g->s[g->nr++];
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
		if (f->flags & SAMPLE_MULTIPLEXED)
			s->multiplexed = 1;
		if (f->running < s->running)
			s->running = f->running;
	}
}

static void grouping_release(struct grouping *g)
{
	for (size_t i = 0; i < g->nr; i++)
		free(g->s[i].values);
	free(g->s);
	memset(g, 0, sizeof(*g));
}

void fmt_value(struct buf *out, double v)
{
	double a = fabs(v);

	if (!isfinite(v))
		buf_addstr(out, "-");
	else if (v == 0)
		buf_addstr(out, "0");
	else if (a >= 1e9 || a < 1e-3)
		buf_addf(out, "%.4g", v);
	else if (a >= 1000)
		buf_addf(out, "%.0f", v);
	else if (a >= 100)
		buf_addf(out, "%.1f", v);
	else if (a >= 10)
		buf_addf(out, "%.2f", v);
	else
		buf_addf(out, "%.4f", v);
}

static void pad_to(struct buf *out, size_t line_start, size_t col)
{
	size_t len = out->len - line_start;

	buf_addchars(out, ' ', len < col ? col - len : 1);
}

static void unsupported_list(struct buf *out, const struct run_extras *x, int pmu)
{
	size_t n = 0;

	if (!x)
		return;
	for (size_t i = 0; i < x->nevents; i++) {
		if (x->events[i].state == EVENT_COUNTED)
			continue;
		buf_addstr(out, n++ ? ", " : "not counted here: ");
		buf_addstr(out, x->events[i].event);
		if (x->events[i].state == EVENT_NOT_COUNTED)
			buf_addstr(out, " (not counted)");
	}
	if (n)
		buf_addf(out, "%s\n", pmu ? "" : " (no hardware PMU on this runner)");
}

void stat_report_text(struct buf *out, const struct stat_report *r)
{
	struct grouping g;
	const char *pkg = NULL, *bench = NULL;
	int any_mux = 0;

	group(r->samples, &g);
	for (size_t i = 0; i < g.nr; i++) {
		struct series *s = &g.s[i];
		struct summary sum;
		size_t ls;

		if (!pkg || strcmp(pkg, s->package)) {
			buf_addf(out, "%spkg: %s\n", pkg ? "\n" : "", s->package);
			pkg = s->package;
			bench = NULL;
		}
		if (!bench || strcmp(bench, s->bench)) {
			buf_addf(out, "\n%s  (N=%llu, %zu rep%s)\n", s->bench,
				 (unsigned long long)s->iterations, s->nvalues,
				 s->nvalues == 1 ? "" : "s");
			ls = out->len;
			buf_addstr(out, "  metric");
			pad_to(out, ls, 26);
			buf_addstr(out, "median");
			pad_to(out, ls, 40);
			buf_addstr(out, "spread");
			pad_to(out, ls, 50);
			buf_addstr(out, "min");
			pad_to(out, ls, 64);
			buf_addstr(out, "max\n");
			bench = s->bench;
		}
		if (summary_compute(&sum, s->values, s->nvalues, 0.95))
			continue;
		ls = out->len;
		buf_addf(out, "  %s", s->metric);
		pad_to(out, ls, 26);
		fmt_value(out, sum.median);
		if (s->multiplexed) {
			buf_addstr(out, " M");
			any_mux = 1;
		}
		pad_to(out, ls, 40);
		if (sum.n > 1 && sum.median != 0) {
			buf_addf(out, "±%.1f%%", 100.0 * sum.mad / fabs(sum.median));
			ls++;	/* '±' is two bytes but one column */
		} else {
			buf_addstr(out, "-");
		}
		pad_to(out, ls, 50);
		fmt_value(out, sum.min);
		pad_to(out, ls, 64);
		fmt_value(out, sum.max);
		buf_addch(out, '\n');
	}
	if (!g.nr)
		buf_addstr(out, "no samples\n");
	buf_addch(out, '\n');
	if (any_mux)
		buf_addstr(out, "M: perf multiplexed this counter (ran < 100% of the time; scaled)\n");
	buf_addstr(out, "median and min/max over repetitions; spread: MAD as % of the median;\n"
		   "counters per op exclude process start-up (see README, 'per-op counters')\n");
	unsupported_list(out, r->extras, r->extras && r->extras->has_fp ? r->extras->fp.pmu : 0);
	grouping_release(&g);
}

static void json_kv_str(struct buf *out, const char *key, const char *v, int comma)
{
	json_quote(out, key);
	buf_addch(out, ':');
	if (v)
		json_quote(out, v);
	else
		buf_addstr(out, "null");
	if (comma)
		buf_addch(out, ',');
}

static void json_run(struct buf *out, const struct run_row *run)
{
	buf_addstr(out, "\"run\":{");
	json_kv_str(out, "id", run->id, 1);
	json_kv_str(out, "status", run_status_name(run->status), 1);
	buf_addf(out, "\"exit_code\":%d,\"started_ns\":%lld,\"finished_ns\":%lld,",
		 run->exit_code, (long long)run->started_ns, (long long)run->finished_ns);
	json_kv_str(out, "command", run->command, 1);
	json_kv_str(out, "workdir", run->workdir, 1);
	json_kv_str(out, "packages", run->packages, 1);
	json_kv_str(out, "commit", run->commit, 1);
	json_kv_str(out, "branch", run->branch, 1);
	buf_addf(out, "\"dirty\":%s},", run->dirty ? "true" : "false");
}

static void json_fp(struct buf *out, const struct fingerprint *fp)
{
	buf_addstr(out, "\"fingerprint\":{");
	json_kv_str(out, "host", fp->host, 1);
	json_kv_str(out, "cpu_model", fp->cpu_model, 1);
	buf_addf(out, "\"cores\":%d,", fp->cores);
	json_kv_str(out, "kernel", fp->kernel, 1);
	json_kv_str(out, "perf_version", fp->perf_version, 1);
	json_kv_str(out, "go_version", fp->go_version, 1);
	json_kv_str(out, "goos", fp->goos, 1);
	json_kv_str(out, "goarch", fp->goarch, 1);
	json_kv_str(out, "goamd64", fp->goamd64, 1);
	buf_addf(out, "\"gomaxprocs\":%d,\"perf_event_paranoid\":%d,\"pmu\":%s},",
		 fp->gomaxprocs, fp->paranoid, fp->pmu ? "true" : "false");
}

void stat_report_json(struct buf *out, const struct stat_report *r)
{
	struct grouping g;
	const char *bench = NULL, *pkg = NULL;

	group(r->samples, &g);
	buf_addch(out, '{');
	if (r->run)
		json_run(out, r->run);
	if (r->extras && r->extras->has_fp)
		json_fp(out, &r->extras->fp);
	buf_addstr(out, "\"events\":[");
	for (size_t i = 0; r->extras && i < r->extras->nevents; i++) {
		static const char *const st[] = { "counted", "unsupported", "not_counted" };

		buf_addstr(out, i ? ",{" : "{");
		json_kv_str(out, "event", r->extras->events[i].event, 1);
		json_kv_str(out, "state", st[r->extras->events[i].state], 0);
		buf_addch(out, '}');
	}
	buf_addstr(out, "],\"benchmarks\":[");
	for (size_t i = 0; i < g.nr; i++) {
		struct series *s = &g.s[i];
		struct summary sum;

		if (!bench || strcmp(bench, s->bench) || strcmp(pkg, s->package)) {
			if (bench)
				buf_addstr(out, "]},");
			buf_addch(out, '{');
			json_kv_str(out, "package", s->package, 1);
			json_kv_str(out, "name", s->bench, 1);
			buf_addf(out, "\"iterations\":%llu,\"metrics\":[",
				 (unsigned long long)s->iterations);
			bench = s->bench;
			pkg = s->package;
		} else {
			buf_addch(out, ',');
		}
		buf_addch(out, '{');
		json_kv_str(out, "metric", s->metric, 1);
		json_kv_str(out, "unit", s->unit, 1);
		buf_addf(out, "\"source\":\"%s\",\"multiplexed\":%s,\"running\":",
			 s->flags & SAMPLE_GO ? "go" : s->flags & SAMPLE_DERIVED ? "derived" : "perf",
			 s->multiplexed ? "true" : "false");
		json_number(out, s->running);
		if (!summary_compute(&sum, s->values, s->nvalues, 0.95)) {
			buf_addf(out, ",\"n\":%zu,\"median\":", sum.n);
			json_number(out, sum.median);
			buf_addstr(out, ",\"mad\":");
			json_number(out, sum.mad);
			buf_addstr(out, ",\"min\":");
			json_number(out, sum.min);
			buf_addstr(out, ",\"max\":");
			json_number(out, sum.max);
			buf_addstr(out, ",\"ci95\":");
			if (sum.ci_ok) {
				buf_addch(out, '[');
				json_number(out, sum.ci_lo);
				buf_addch(out, ',');
				json_number(out, sum.ci_hi);
				buf_addch(out, ']');
			} else {
				buf_addstr(out, "null");
			}
		}
		buf_addstr(out, ",\"samples\":[");
		for (size_t k = 0; k < s->nvalues; k++) {
			if (k)
				buf_addch(out, ',');
			json_number(out, s->values[k]);
		}
		buf_addstr(out, "]}");
	}
	if (bench)
		buf_addstr(out, "]}");
	buf_addstr(out, "]}\n");
	grouping_release(&g);
}

/* Go's convention for the direction of a unit; ours for counters. */
static const char *better_of(const char *metric)
{
	if (!strcmp(metric, "IPC") || starts_with(metric, "IPC:") || ends_with(metric, "/s"))
		return "higher";
	return "lower";
}

void stat_report_gobench(struct buf *out, const struct stat_report *r)
{
	const struct sample_list *l = r->samples;
	const char *pkg = NULL;
	struct strvec units = STRVEC_INIT;

	if (r->extras && r->extras->has_fp) {
		const struct fingerprint *fp = &r->extras->fp;

		if (fp->goos)
			buf_addf(out, "goos: %s\n", fp->goos);
		if (fp->goarch)
			buf_addf(out, "goarch: %s\n", fp->goarch);
		if (fp->cpu_model)
			buf_addf(out, "cpu: %s\n", fp->cpu_model);
	}
	if (r->run && r->run->commit)
		buf_addf(out, "commit: %s%s\n", r->run->commit, r->run->dirty ? "-dirty" : "");
	/* Unit metadata first: it applies to the results that follow. */
	for (size_t i = 0; i < l->nr; i++) {
		const char *m = l->rows[i].metric;

		if (l->rows[i].flags & SAMPLE_GO || strvec_find(&units, m) >= 0)
			continue;
		strvec_push(&units, m);
		buf_addf(out, "Unit %s better=%s\n", m, better_of(m));
	}
	/* One line per (benchmark, repetition), in stored order. */
	for (size_t i = 0; i < l->nr; ) {
		const struct sample_full *f = &l->rows[i];
		size_t j;

		if (!pkg || strcmp(pkg, f->package)) {
			buf_addf(out, "pkg: %s\n", f->package);
			pkg = f->package;
		}
		buf_addf(out, "%s\t%llu", f->bench, (unsigned long long)f->iterations);
		for (j = i; j < l->nr; j++) {
			const struct sample_full *g = &l->rows[j];

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
