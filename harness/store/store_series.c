/* Stored runs as the inputs of analysis; see store_series.h. */
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "collect/gobench.h"
#include "store/store_series.h"
#include "util/buf.h"
#include "util/strvec.h"
#include "util/banned.h"

/* A configuration value as a "key: value" line would carry it: trimmed, never empty. */
static void add_config(struct series_set *set, const char *key, const char *value)
{
	struct buf b = BUF_INIT;

	if (!value)
		return;
	while (*value == ' ' || *value == '\t')
		value++;
	buf_addstr(&b, value);
	buf_rtrim(&b);
	if (b.len)
		series_set_add_config(set, key, b.buf);
	buf_release(&b);
}

/*
 * The value `--format gobench` writes for `key` in pkg's block
 * (reporters/stat_gobench.c): the line the test binary printed, or for a
 * run stored before those were kept, goos/goarch from the fingerprint and
 * pkg itself.  NULL: no such line.
 */
static const char *block_value(const struct run_extras *x, const char *pkg, const char *key)
{
	int any = 0;

	for (size_t i = 0; i < x->ngoconf; i++) {
		if (strcmp(x->goconf[i].package, pkg))
			continue;
		if (!strcmp(x->goconf[i].key, key))
			return x->goconf[i].value;
		any = 1;
	}
	if (any)
		return NULL;
	if (!strcmp(key, "pkg"))
		return pkg;
	if (x->has_fp && !strcmp(key, "goos"))
		return x->fp.goos;
	if (x->has_fp && !strcmp(key, "goarch"))
		return x->fp.goarch;
	return NULL;
}

/*
 * The configuration every sample shares, as the run's gobench text read
 * back would give it (gb_file_series()): the keys of the first package's
 * block whose value every package's block has.
 */
static void run_config(struct series_set *set, const struct run_extras *x,
		       const struct sample_list *sl)
{
	static const char *const fallback[] = { "goos", "goarch", "pkg", NULL };
	const char *first;
	struct strvec keys = STRVEC_INIT;

	if (!sl->nr)
		return;
	first = sl->rows[0].package;
	for (size_t i = 0; i < x->ngoconf; i++)
		if (!strcmp(x->goconf[i].package, first) && strvec_find(&keys, x->goconf[i].key) < 0)
			strvec_push(&keys, x->goconf[i].key);
	if (!keys.nr)
		strvec_pushv(&keys, fallback);
	for (size_t k = 0; k < keys.nr; k++) {
		const char *v = block_value(x, first, keys.v[k]);
		int shared = v != NULL;

		for (size_t i = 1; i < sl->nr && shared; i++) {
			const char *w = block_value(x, sl->rows[i].package, keys.v[k]);

			shared = w && !strcmp(v, w);
		}
		if (shared)
			add_config(set, keys.v[k], v);
	}
	strvec_clear(&keys);
}

int store_run_series(struct store *st, const char *run_id, const char *label,
		     struct series_set *out)
{
	struct run_row row = { 0 };
	struct sample_list sl = SAMPLE_LIST_INIT;
	struct run_extras x = { 0 };
	int ret;

	ret = store_find_run(st, run_id, &row, NULL);
	if (!ret)
		ret = store_run_samples(st, run_id, &sl);
	if (!ret)
		ret = store_run_extras(st, &row, &x);
	if (ret)
		goto out;
	series_set_set_label(out, label);
	/* Go's metrics follow Go's convention, as in `view --format gobench`. */
	out->default_better = gb_unit_default_better;
	for (size_t i = 0; i < sl.nr; i++) {
		const struct sample_full *f = &sl.rows[i];

		series_set_add_sample(out, f->package, f->bench, f->metric, f->value);
		/*
		 * The simulation's counts are deterministic but for rare one-off
		 * runtime work (README, --counters sim): their medians are compared
		 * directly (assume=exact)...
		 */
		if (!(f->flags & SAMPLE_GO) && !series_set_unit_meta(out, f->metric)) {
			series_set_set_unit(out, f->metric, stat_metric_better(f->metric),
					    (f->flags & SAMPLE_SIM) != 0);
			/* ...and one whose repetitions differ by more than 0.1 % never gates. */
			if (f->flags & SAMPLE_SIM)
				series_set_set_unit_spread(out, f->metric, COMPARE_SIM_SPREAD);
		}
	}
	/* Benchmarks the backend could not count: their rows say why (compare.h). */
	for (size_t i = 0; i < x.failures.nr; i++) {
		const struct bench_failure *f = &x.failures.rows[i];

		for (const char *p = f->metrics; *p;) {
			size_t len = strcspn(p, " ");

			if (len) {
				char *unit = xstrndup(p, len);

				series_set_add_note(out, f->package, f->bench, unit, f->reason);
				free(unit);
			}
			p += len + (p[len] == ' ');
		}
	}
	run_config(out, &x, &sl);
out:
	run_row_release(&row);
	sample_list_release(&sl);
	run_extras_release(&x);
	return ret;
}

static void from_row(struct stat_run_info *in, const struct run_row *row)
{
	in->id = row->id;
	in->status = run_status_name(row->status);
	in->command = row->command;
	in->workdir = row->workdir;
	in->packages = row->packages;
	in->commit = row->commit;
	in->branch = row->branch;
	in->exit_code = row->exit_code;
	in->dirty = row->dirty;
	in->started_ns = row->started_ns;
	in->finished_ns = row->finished_ns;
}

static void from_fingerprint(struct stat_runner *r, const struct fingerprint *fp)
{
	r->host = fp->host;
	r->cpu_model = fp->cpu_model;
	r->kernel = fp->kernel;
	r->perf_version = fp->perf_version;
	r->go_version = fp->go_version;
	r->goos = fp->goos;
	r->goarch = fp->goarch;
	r->goamd64 = fp->goamd64;
	r->cores = fp->cores;
	r->gomaxprocs = fp->gomaxprocs;
	r->paranoid = fp->paranoid;
	r->pmu = fp->pmu;
}

/* The store's flags and states, named for the reports. */
static unsigned sample_flags(unsigned f)
{
	return (f & SAMPLE_MULTIPLEXED ? STAT_SAMPLE_MULTIPLEXED : 0) |
	       (f & SAMPLE_DERIVED ? STAT_SAMPLE_DERIVED : 0) |
	       (f & SAMPLE_GO ? STAT_SAMPLE_GO : 0) |
	       (f & SAMPLE_SIM ? STAT_SAMPLE_SIM : 0);
}

static enum stat_event_state event_state(enum event_state s)
{
	switch (s) {
	case EVENT_COUNTED:
		return STAT_EVENT_COUNTED;
	case EVENT_UNSUPPORTED:
		return STAT_EVENT_UNSUPPORTED;
	case EVENT_NOT_COUNTED:
		break;
	}
	return STAT_EVENT_NOT_COUNTED;
}

void stat_run_from_store(struct stat_run *out, const struct run_row *row,
			 const struct sample_list *samples, const struct run_extras *x)
{
	memset(out, 0, sizeof(*out));
	if (row) {
		out->has_info = 1;
		from_row(&out->info, row);
	}
	if (x && x->has_fp) {
		out->has_runner = 1;
		from_fingerprint(&out->runner, &x->fp);
	}
	if (x && x->nevents) {
		out->events = xcalloc(x->nevents, sizeof(*out->events));
		for (size_t i = 0; i < x->nevents; i++) {
			out->events[i].event = x->events[i].event;
			out->events[i].state = event_state(x->events[i].state);
		}
		out->nevents = x->nevents;
	}
	if (x && x->ngoconf) {
		out->goconf = xcalloc(x->ngoconf, sizeof(*out->goconf));
		for (size_t i = 0; i < x->ngoconf; i++) {
			out->goconf[i].package = x->goconf[i].package;
			out->goconf[i].key = x->goconf[i].key;
			out->goconf[i].value = x->goconf[i].value;
		}
		out->ngoconf = x->ngoconf;
	}
	if (x && x->failures.nr) {
		out->failures = xcalloc(x->failures.nr, sizeof(*out->failures));
		for (size_t i = 0; i < x->failures.nr; i++) {
			out->failures[i].package = x->failures.rows[i].package;
			out->failures[i].bench = x->failures.rows[i].bench;
			out->failures[i].metrics = x->failures.rows[i].metrics;
			out->failures[i].reason = x->failures.rows[i].reason;
		}
		out->nfailures = x->failures.nr;
	}
	out->samples = xcalloc(samples->nr + 1, sizeof(*out->samples));
	for (size_t i = 0; i < samples->nr; i++) {
		const struct sample_full *f = &samples->rows[i];
		struct stat_sample *s = &out->samples[i];

		s->package = f->package;
		s->bench = f->bench;
		s->metric = f->metric;
		s->unit = f->unit;
		s->rep = f->rep;
		s->iterations = f->iterations;
		s->value = f->value;
		s->running = f->running;
		s->flags = sample_flags(f->flags);
	}
	out->nsamples = samples->nr;
}
