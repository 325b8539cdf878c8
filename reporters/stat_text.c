/* A measured run as text tables; see stat_report.h. */
#include <math.h>
#include <string.h>

#include "stat_report.h"
#include "util/banned.h"

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

static void unsupported_list(struct buf *out, const struct stat_run *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nevents; i++) {
		if (r->events[i].state == STAT_EVENT_COUNTED)
			continue;
		buf_addstr(out, n++ ? ", " : "not counted here: ");
		buf_addstr(out, r->events[i].event);
		if (r->events[i].state == STAT_EVENT_NOT_COUNTED)
			buf_addstr(out, " (not counted)");
	}
	if (n)
		buf_addf(out, "%s\n", r->has_runner && r->runner.pmu ? "" :
			 " (no hardware PMU on this runner)");
}

/* "  not counted: instructions:sim/op and 8 more metrics: valgrind: ..." under its benchmark. */
static void failures_of(struct buf *out, const struct stat_run *r, const char *pkg,
			const char *bench)
{
	for (size_t i = 0; bench && i < r->nfailures; i++) {
		const struct stat_failure *f = &r->failures[i];
		size_t first = strcspn(f->metrics, " "), more = 0;

		if (strcmp(f->package, pkg) || strcmp(f->bench, bench))
			continue;
		for (const char *p = f->metrics; *p; p++)
			more += *p == ' ';
		buf_addf(out, "  not counted: %.*s", (int)first, f->metrics);
		if (more)
			buf_addf(out, " and %zu more metric%s", more, more == 1 ? "" : "s");
		buf_addf(out, ": %s\n", f->reason);
	}
}

void stat_report_text(struct buf *out, const struct stat_run *r)
{
	struct stat_series_list g;
	const char *pkg = NULL, *bench = NULL;
	/* attach: counts per second of windows of a running process, not per op. */
	int attach = r->has_info && r->info.command && !strncmp(r->info.command, "attach", 6);
	int any_mux = 0;

	stat_run_group(r, &g);
	for (size_t i = 0; i < g.nr; i++) {
		struct stat_series *s = &g.s[i];
		const struct summary *sum = &s->sum;
		size_t ls;

		if (bench && (strcmp(pkg, s->package) || strcmp(bench, s->bench)))
			failures_of(out, r, pkg, bench);
		if (!pkg || strcmp(pkg, s->package)) {
			buf_addf(out, "%s%s: %s\n", pkg ? "\n" : "", attach ? "target" : "pkg",
				 s->package);
			pkg = s->package;
			bench = NULL;
		}
		if (!bench || strcmp(bench, s->bench)) {
			if (attach)
				buf_addf(out, "\n%s  (%zu window%s)\n", s->bench, s->nvalues,
					 s->nvalues == 1 ? "" : "s");
			else
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
		if (!s->has_summary)
			continue;
		ls = out->len;
		buf_addf(out, "  %s", s->metric);
		pad_to(out, ls, 26);
		fmt_value(out, sum->median);
		if (s->multiplexed) {
			buf_addstr(out, " M");
			any_mux = 1;
		}
		pad_to(out, ls, 40);
		if (sum->n > 1 && sum->median != 0) {
			buf_addf(out, "±%.1f%%", 100.0 * sum->mad / fabs(sum->median));
			ls++;	/* '±' is two bytes but one column */
		} else {
			buf_addstr(out, "-");
		}
		pad_to(out, ls, 50);
		fmt_value(out, sum->min);
		pad_to(out, ls, 64);
		fmt_value(out, sum->max);
		buf_addch(out, '\n');
	}
	failures_of(out, r, pkg, bench);
	if (!g.nr)
		buf_addstr(out, "no samples\n");
	buf_addch(out, '\n');
	if (any_mux)
		buf_addstr(out, "M: perf multiplexed this counter (ran < 100% of the time; scaled)\n");
	if (attach)
		buf_addstr(out, "counts per second of each window; median and min/max over windows;\n"
			   "spread: MAD as % of the median\n");
	else
		buf_addstr(out, "median and min/max over repetitions; spread: MAD as % of the median;\n"
			   "counters per op exclude process start-up (see README, 'per-op counters')\n");
	unsupported_list(out, r);
	/* Say where the counters came from when it was not perf, and how many iterations ran simulated. */
	{
		uint64_t s_max = 0;

		for (size_t i = 0; i < r->nsamples; i++)
			if (r->samples[i].flags & STAT_SAMPLE_SIM && r->samples[i].iterations > s_max)
				s_max = r->samples[i].iterations;
		if (s_max)
			buf_addf(out, "counters: sim (%s), GOMAXPROCS=1, simulated with S/2 and S "
				 "iterations (S up to %llu); Go's metrics from a plain run of N\n",
				 r->has_runner && r->runner.perf_version ? r->runner.perf_version :
				 "callgrind", (unsigned long long)s_max);
	}
	stat_series_list_release(&g);
}
