/*
 * A measured run as JSON: every sample and summary, stable field names
 * (README); see stat_report.h.  Built as a jansson tree, keys in the order
 * written here, serialized compactly with one newline at the end.
 */
#include <string.h>

#include "stat_report.h"
#include "util/json.h"
#include "util/banned.h"

static json_t *run_info(const struct stat_run_info *in)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_str(in->id));
	json_object_set_new(o, "status", json_str(in->status));
	json_object_set_new(o, "exit_code", json_integer(in->exit_code));
	json_object_set_new(o, "started_ns", json_integer(in->started_ns));
	json_object_set_new(o, "finished_ns", json_integer(in->finished_ns));
	json_object_set_new(o, "command", json_str(in->command));
	json_object_set_new(o, "workdir", json_str(in->workdir));
	json_object_set_new(o, "packages", json_str(in->packages));
	json_object_set_new(o, "commit", json_str(in->commit));
	json_object_set_new(o, "branch", json_str(in->branch));
	json_object_set_new(o, "dirty", json_boolean(in->dirty));
	return o;
}

static json_t *runner(const struct stat_runner *fp)
{
	json_t *o = json_object();

	json_object_set_new(o, "host", json_str(fp->host));
	json_object_set_new(o, "cpu_model", json_str(fp->cpu_model));
	json_object_set_new(o, "cores", json_integer(fp->cores));
	json_object_set_new(o, "kernel", json_str(fp->kernel));
	json_object_set_new(o, "perf_version", json_str(fp->perf_version));
	json_object_set_new(o, "go_version", json_str(fp->go_version));
	json_object_set_new(o, "goos", json_str(fp->goos));
	json_object_set_new(o, "goarch", json_str(fp->goarch));
	json_object_set_new(o, "goamd64", json_str(fp->goamd64));
	json_object_set_new(o, "gomaxprocs", json_integer(fp->gomaxprocs));
	json_object_set_new(o, "perf_event_paranoid", json_integer(fp->paranoid));
	json_object_set_new(o, "pmu", json_boolean(fp->pmu));
	return o;
}

static json_t *events(const struct stat_run *r)
{
	static const char *const st[] = { "counted", "unsupported", "not_counted" };
	json_t *a = json_array();

	for (size_t i = 0; i < r->nevents; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "event", json_str(r->events[i].event));
		json_object_set_new(e, "state", json_string(st[r->events[i].state]));
		json_array_append_new(a, e);
	}
	return a;
}

static const char *source(unsigned flags)
{
	return flags & STAT_SAMPLE_GO ? "go" : flags & STAT_SAMPLE_DERIVED ? "derived" :
	       flags & STAT_SAMPLE_SIM ? "sim" : "perf";
}

static json_t *metric(const struct stat_series *s)
{
	json_t *o = json_object(), *samples = json_array();

	json_object_set_new(o, "metric", json_str(s->metric));
	json_object_set_new(o, "unit", json_str(s->unit));
	json_object_set_new(o, "source", json_string(source(s->flags)));
	json_object_set_new(o, "multiplexed", json_boolean(s->multiplexed));
	json_object_set_new(o, "running", json_num(s->running));
	if (s->has_summary) {
		json_t *ci = json_null();

		json_object_set_new(o, "n", json_integer((json_int_t)s->sum.n));
		json_object_set_new(o, "median", json_num(s->sum.median));
		json_object_set_new(o, "mad", json_num(s->sum.mad));
		json_object_set_new(o, "min", json_num(s->sum.min));
		json_object_set_new(o, "max", json_num(s->sum.max));
		if (s->sum.ci_ok) {
			json_decref(ci);
			ci = json_array();
			json_array_append_new(ci, json_num(s->sum.ci_lo));
			json_array_append_new(ci, json_num(s->sum.ci_hi));
		}
		json_object_set_new(o, "ci95", ci);
	}
	for (size_t k = 0; k < s->nvalues; k++)
		json_array_append_new(samples, json_num(s->values[k]));
	json_object_set_new(o, "samples", samples);
	return o;
}

/* One object per benchmark, its metrics in stored order. */
static json_t *benchmarks(const struct stat_series_list *g)
{
	json_t *a = json_array(), *metrics = NULL;
	const char *bench = NULL, *pkg = NULL;

	for (size_t i = 0; i < g->nr; i++) {
		const struct stat_series *s = &g->s[i];

		if (!bench || strcmp(bench, s->bench) || strcmp(pkg, s->package)) {
			json_t *b = json_object();

			json_object_set_new(b, "package", json_str(s->package));
			json_object_set_new(b, "name", json_str(s->bench));
			json_object_set_new(b, "iterations", json_integer((json_int_t)s->iterations));
			metrics = json_array();
			json_object_set_new(b, "metrics", metrics);
			json_array_append_new(a, b);
			bench = s->bench;
			pkg = s->package;
		}
		json_array_append_new(metrics, metric(s));
	}
	return a;
}

/* The benchmarks whose backend metrics are missing, and why. */
static json_t *failures(const struct stat_run *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nfailures; i++) {
		const struct stat_failure *f = &r->failures[i];
		json_t *o = json_object(), *m = json_array();

		for (const char *p = f->metrics; *p;) {
			size_t len = strcspn(p, " ");

			if (len)
				json_array_append_new(m, json_stringn(p, len));
			p += len + (p[len] == ' ');
		}
		json_object_set_new(o, "package", json_str(f->package));
		json_object_set_new(o, "name", json_str(f->bench));
		json_object_set_new(o, "metrics", m);
		json_object_set_new(o, "reason", json_str(f->reason));
		json_array_append_new(a, o);
	}
	return a;
}

void stat_report_json(struct buf *out, const struct stat_run *r)
{
	struct stat_series_list g;
	json_t *o = json_object();

	stat_run_group(r, &g);
	if (r->has_info)
		json_object_set_new(o, "run", run_info(&r->info));
	if (r->has_runner)
		json_object_set_new(o, "fingerprint", runner(&r->runner));
	json_object_set_new(o, "events", events(r));
	json_object_set_new(o, "benchmarks", benchmarks(&g));
	json_object_set_new(o, "failures", failures(r));
	json_to_buf(out, o, JSON_COMPACT);
	buf_addch(out, '\n');
	json_decref(o);
	stat_series_list_release(&g);
}
