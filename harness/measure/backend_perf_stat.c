/*
 * The perf stat backend: the gated two-point differential; see
 * backend_perf_stat.h for the method and backend.h for the operations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/io.h"
#include "collect/gobench.h"
#include "collect/perf_stat.h"
#include "measure/backend.h"
#include "measure/measure.h"
#include "measure/backend_perf_stat.h"
#include "measure/perf.h"
#include "measure/perf_gate.h"
#include "measure/samples.h"
#include "util/usage.h"
#include "util/banned.h"

/* One perf stat process. */
struct ps_job {
	struct buf csv;            /* where perf writes, on the runner */
	struct buf local_csv;      /* where it is fetched to */
	struct perf_gate gate;
	struct ps_result counts;
};

static int ps_preflight(void)
{
	return perf_preflight();
}


/* Does a hardware event (instructions) count on the runner?  Part of the fingerprint. */
static int ps_probe(struct runner *r, struct fingerprint *fp)
{
	struct strvec ev = STRVEC_INIT;
	struct perf_probe pp;
	int ret;

	perf_probe_init(&pp);
	strvec_push(&ev, "instructions");
	ret = perf_probe_events(r, &ev, &pp);
	if (!ret)
		fp->pmu = pp.pmu;
	perf_probe_release(&pp);
	strvec_clear(&ev);
	return ret;
}

/* Once per invocation: run and compare probe every run they record. */
static void warn_dropped(const struct perf_probe *pp)
{
	static int warned;
	struct buf list = BUF_INIT;

	if (warned)
		return;

	for (size_t i = 0; i < pp->unsupported.nr; i++)
		buf_addf(&list, "%s%s", i ? ", " : "", pp->unsupported.v[i]);
	for (size_t i = 0; i < pp->not_counted.nr; i++)
		buf_addf(&list, "%s%s", list.len ? ", " : "", pp->not_counted.v[i]);
	if (list.len) {
		warning("events not counted on this runner, dropped: %s%s", list.buf,
			pp->pmu ? "" : " (no hardware PMU: only software events count here)");
		warned = 1;
	}
	buf_release(&list);
}

/*
 * -e words split perf's way, or the default set (with the cache detail
 * events when `detail` != 0; with -e only when detail == 1).
 */
static int ps_events(struct runner *r, struct store *st, const char *run_id,
		     const struct strvec *requested, int detail, struct strvec *counted)
{
	struct strvec wanted = STRVEC_INIT;
	struct perf_probe pp;
	int ret = 0;

	perf_probe_init(&pp);
	if (requested->nr) {
		for (size_t i = 0; i < requested->nr && !ret; i++)
			ret = ps_split_events(requested->v[i], &wanted);
		if (detail == 1)
			perf_default_events(&wanted, 1);
	} else {
		perf_default_events(&wanted, detail != 0);
	}
	if (!ret)
		ret = perf_probe_events(r, &wanted, &pp);
	if (ret)
		goto out;
	for (size_t i = 0; i < pp.counted.nr; i++)
		store_add_event(st, run_id, pp.counted.v[i], EVENT_COUNTED);
	for (size_t i = 0; i < pp.unsupported.nr; i++)
		store_add_event(st, run_id, pp.unsupported.v[i], EVENT_UNSUPPORTED);
	for (size_t i = 0; i < pp.not_counted.nr; i++)
		store_add_event(st, run_id, pp.not_counted.v[i], EVENT_NOT_COUNTED);
	warn_dropped(&pp);
	if (!pp.counted.nr) {
		ret = error_code(PG_EENV, "none of the requested events counts on this runner");
		goto out;
	}
	strvec_pushv(counted, pp.counted.v);
out:
	perf_probe_release(&pp);
	strvec_clear(&wanted);
	return ret;
}

/* N/2 and N; one process when N is 1. */
static size_t ps_points(uint64_t n, int count, uint64_t out[BACKEND_MAX_POINTS],
			int kind[BACKEND_MAX_POINTS])
{
	(void)count;
	kind[0] = 0;
	kind[1] = 1;
	out[0] = n > 1 ? n / 2 : n;
	out[1] = n;
	return out[0] == out[1] ? 1 : 2;
}

static int ps_job_begin(struct backend_job *bj, struct runner_job *job)
{
	struct runner *r = bj->mc->runner;
	const struct strvec *events = bj->mo->events;
	struct ps_job *pj = xcalloc(1, sizeof(*pj));

	bj->priv = pj;
	buf_init(&pj->csv);
	buf_init(&pj->local_csv);
	/* perf writes on the runner; the file is read here after a fetch. */
	buf_addf(&pj->csv, "%s/job.csv", r->scratch);
	buf_addf(&pj->local_csv, "%s/job.csv", r->local_scratch);
	unlink(pj->local_csv.buf);
	strvec_pushl(&job->argv, "perf", "stat", "-x,", "-o", pj->csv.buf, "-D", "-1", NULL);
	for (size_t i = 0; i < events->nr; i++)
		strvec_pushl(&job->argv, "-e", events->v[i], NULL);
	strvec_push(&job->argv, "--");
	perf_gate_job(job, 2);         /* after "perf stat" */
	return 0;
}

static int ps_leaf_started(struct backend_job *bj, struct runner_job *job)
{
	return perf_gate_open(&((struct ps_job *)bj->priv)->gate, job);
}

static int ps_leaf_ended(struct backend_job *bj, struct runner_job *job)
{
	return perf_gate_close(&((struct ps_job *)bj->priv)->gate, job);
}

static int ps_tool_failed(struct backend_job *bj, int status, const char *err)
{
	if (status == 255 && strstr(err, "Workload failed"))
		return error_code(PG_EENV, "perf could not start the test binary of '%s'",
				  bj->pl->pkg->import_path);
	return 0;
}

static int ps_judge(struct backend_job *bj)
{
	struct ps_job *pj = bj->priv;

	return perf_gate_judge(&pj->gate, "counters", bj->pl->pkg->import_path, bj->lf->name);
}

/*
 * Every counter "<not counted>": perf never had them enabled while the
 * workload ran (the enable came too late), not an event perf lacks.
 */
static int never_counted(const struct ps_result *res)
{
	for (size_t i = 0; i < res->nr; i++)
		if (res->c[i].status != PS_NOT_COUNTED)
			return 0;
	return res->nr > 0;
}

static int ps_collect(struct backend_job *bj)
{
	struct ps_job *pj = bj->priv;
	struct runner *r = bj->mc->runner;
	struct buf csv = BUF_INIT;
	int ret;

	ret = r->ops->fetch(r, pj->csv.buf, pj->local_csv.buf);
	if (ret == PG_EINTR || ret == PG_EENV)
		goto out;      /* interrupted, or the connection failed (reported) */
	if (ret || buf_read_file(&csv, pj->local_csv.buf, 1 << 20) < 0) {
		ret = error_code(PG_EENV, "perf wrote no counts for '%s'", bj->lf->name);
		goto out;
	}
	ret = measure_save_raw(bj->mc, csv.buf, csv.len);
	if (!ret)
		ret = ps_parse_csv(csv.buf, csv.len, ',', "perf stat output", &pj->counts);
	if (ret == PG_EPARSE)
		ret = PG_EENV;
	/* Judged by ps_gate_missed(): measured again, or an error after the last attempt. */
	if (!ret && never_counted(&pj->counts))
		pj->gate.late = 1;
out:
	buf_release(&csv);
	return ret;
}

static int ps_gate_missed(const struct backend_job *bj)
{
	const struct ps_job *pj = bj->priv;

	return pj && pj->gate.late;
}

static void ps_job_release(struct backend_job *bj)
{
	struct ps_job *pj = bj->priv;

	if (!pj)
		return;
	buf_release(&pj->csv);
	buf_release(&pj->local_csv);
	ps_result_release(&pj->counts);
	free(pj);
	bj->priv = NULL;
}

/*
 * The differential subtracts two gated counts; when the iterations between
 * them take only a few milliseconds, scheduling noise (perfgo reacting to
 * the start line) is of the same size as the signal.
 */
static void warn_short_loop(const struct rep_samples *rs, const struct leaf *lf,
			    uint64_t diff_iters)
{
	for (size_t i = 0; i < rs->nr; i++) {
		double ms;

		if (strcmp(rs->rows[i].metric, "ns/op"))
			continue;
		ms = rs->rows[i].value * (double)(diff_iters ? diff_iters : 1) / 1e6;
		if (ms < 20.0)
			warning("'%s': the measured loop difference is only %.2f ms; per-op "
				"counters will be noisy: raise -benchtime (e.g. -benchtime=%llux)",
				lf->name, ms,
				(unsigned long long)(lf->iters * (ms > 0 ? (uint64_t)(100.0 / ms) + 1 : 100)));
		return;
	}
}

static int ps_samples(struct rep_samples *rs, int64_t bench_id, int rep,
		      const struct gb_result *go, const struct backend_job *jobs, size_t njobs)
{
	const struct backend_job *lo = &jobs[0], *hi = &jobs[njobs - 1];
	const struct ps_job *plo = lo->priv, *phi = hi->priv;

	perf_stat_samples(rs, bench_id, rep, go, &plo->counts, lo->n, &phi->counts, hi->n);
	if (!rep)
		warn_short_loop(rs, lo->lf, hi->n - lo->n);
	return 0;
}

/* Derived ratios: numerator/denominator per-op counters with the same modifier. */
static void add_derived(struct rep_samples *rs, int64_t bench_id, int rep, uint64_t iters)
{
	static const struct { const char *name, *num, *den, *unit; double scale; } d[] = {
		{ "IPC", "instructions", "cycles", "ratio", 1.0 },
		{ "branch-miss-%", "branch-misses", "branches", "%", 100.0 },
		{ "cache-miss-%", "cache-misses", "cache-references", "%", 100.0 },
		{ "L1-dcache-miss-%", "L1-dcache-load-misses", "L1-dcache-loads", "%", 100.0 },
		{ "LLC-miss-%", "LLC-load-misses", "LLC-loads", "%", 100.0 },
	};
	static const char *const mods[] = { "", ":u", ":k" };

	for (size_t i = 0; i < ARRAY_SIZE(d); i++) {
		for (size_t m = 0; m < ARRAY_SIZE(mods); m++) {
			struct buf num = BUF_INIT, den = BUF_INIT, name = BUF_INIT;
			const struct sample_row *a, *b;

			buf_addf(&num, "%s%s/op", d[i].num, mods[m]);
			buf_addf(&den, "%s%s/op", d[i].den, mods[m]);
			buf_addf(&name, "%s%s", d[i].name, mods[m]);
			a = rep_samples_find(rs, num.buf);
			b = rep_samples_find(rs, den.buf);
			if (a && b && b->value > 0) {
				double running = a->running < b->running ? a->running : b->running;

				rep_samples_add(rs, bench_id, rep, iters, name.buf, d[i].unit,
						d[i].scale * a->value / b->value, running,
						SAMPLE_DERIVED | (a->flags & SAMPLE_MULTIPLEXED) |
						(b->flags & SAMPLE_MULTIPLEXED));
			}
			buf_release(&num);
			buf_release(&den);
			buf_release(&name);
		}
	}
}

/* Turn two processes' counts into per-op samples. */
static void counters_per_op(struct rep_samples *rs, int64_t bench_id, int rep,
			    const struct ps_result *lo, uint64_t n_lo,
			    const struct ps_result *hi, uint64_t n_hi)
{
	for (size_t i = 0; i < hi->nr; i++) {
		const struct ps_counter *ch = &hi->c[i];
		const struct ps_counter *cl = ps_find(lo, ch->event);
		struct buf metric = BUF_INIT;
		double vh, vl, per_op, running;
		int is_time;

		if (!cl || ch->status != PS_COUNTED || cl->status != PS_COUNTED)
			continue;
		vh = ps_value_base(ch, &is_time);
		vl = ps_value_base(cl, &is_time);
		/* With N = 1 there is no second point: the gated count is all we have. */
		per_op = n_hi > n_lo ? (vh - vl) / (double)(n_hi - n_lo) : vh / (double)n_hi;
		running = (ch->pct_running < cl->pct_running ? ch->pct_running : cl->pct_running) / 100.0;
		buf_addf(&metric, "%s%s/op", ch->event, is_time ? "-ns" : "");
		rep_samples_add(rs, bench_id, rep, n_hi, metric.buf, is_time ? "ns" : "count",
				per_op, running, running < 1.0 ? SAMPLE_MULTIPLEXED : 0);
		buf_release(&metric);
	}
}

void perf_stat_samples(struct rep_samples *rs, int64_t bench_id, int rep,
		       const struct gb_result *go, const struct ps_result *lo, uint64_t n_lo,
		       const struct ps_result *hi, uint64_t n_hi)
{
	/* Go's own metrics first: they lead every report. */
	rep_samples_add_go(rs, bench_id, rep, go);
	counters_per_op(rs, bench_id, rep, lo, n_lo, hi, n_hi);
	add_derived(rs, bench_id, rep, n_hi);
}

const struct backend backend_perf_stat = {
	.name = "perf-stat",
	.artifact = "perf-stat.csv",
	.artifact_kind = "perf-stat-csv",
	.preflight = ps_preflight,
	.check_runner = perf_check_runner,
	.probe = ps_probe,
	.events = ps_events,
	.points = ps_points,
	.job_begin = ps_job_begin,
	.leaf_started = ps_leaf_started,
	.leaf_ended = ps_leaf_ended,
	.tool_failed = ps_tool_failed,
	.judge = ps_judge,
	.gate_missed = ps_gate_missed,
	.collect = ps_collect,
	.job_release = ps_job_release,
	.samples = ps_samples,
};
