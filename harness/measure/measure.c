/* The measurement protocol; see measure.h for the method. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "collect/gobench.h"
#include "measure/measure.h"
#include "util/io.h"
#include "util/parse.h"
#include "collect/perf_stat.h"
#include "session/progress.h"
#include "util/usage.h"
#include "util/banned.h"

/* Output of one job kept in memory for diagnostics. */
#define TAIL_CAP (64u << 10)

void pkg_plan_release(struct pkg_plan *pl)
{
	for (size_t i = 0; i < pl->nr; i++)
		free(pl->leaves[i].name);
	free(pl->leaves);
	free(pl->bin);
	free(pl->dir);
	memset(pl, 0, sizeof(*pl));
}

static int append_fd(int fd, const char *s, size_t len)
{
	if (fd >= 0 && write_all(fd, s, len))
		return error("cannot write an artifact: %s", strerror(errno));
	return 0;
}

/* A "# perfgo: ..." header before each job in every artifact stream. */
static int mark_job(struct measure_ctx *mc, const char *what)
{
	struct buf b = BUF_INIT;
	int ret;

	buf_addf(&b, "# perfgo: %s\n", what);
	ret = append_fd(mc->out_fd, b.buf, b.len);
	if (!ret)
		ret = append_fd(mc->err_fd, b.buf, b.len);
	if (!ret)
		ret = append_fd(mc->csv_fd, b.buf, b.len);
	buf_release(&b);
	return ret;
}

/* The -test.cpu values in effect; the runner's GOMAXPROCS when not given. */
static int cpu_list(const struct measure_opts *mo, int *procs, size_t max, size_t *nr)
{
	const char *s = mo->cpu;

	*nr = 0;
	if (!s) {
		procs[(*nr)++] = mo->gomaxprocs > 0 ? mo->gomaxprocs : 1;
		return 0;
	}
	while (*s) {
		char word[32];
		size_t len = strcspn(s, ",");

		if (!len || len >= sizeof(word) || *nr >= max)
			return error_code(PG_EUSAGE, "bad '-cpu' list '%s'", mo->cpu);
		memcpy(word, s, len);
		word[len] = '\0';
		if (parse_int(word, &procs[*nr]) || procs[*nr] < 1)
			return error_code(PG_EUSAGE, "bad '-cpu' list '%s'", mo->cpu);
		(*nr)++;
		s += len + (s[len] == ',');
	}
	return 0;
}

/* Parse a result line, splitting the -P suffix only for a P in use. */
static int parse_result(const char *line, size_t len, const int *procs, size_t nprocs,
			struct gb_result *r)
{
	if (gb_parse_result(line, len, 0, r))
		return PG_EPARSE;
	for (size_t i = 0; i < nprocs; i++)
		if (procs[i] == r->procs)
			return 0;
	/* "-2" belonged to the name: Go prints no suffix for GOMAXPROCS 1. */
	gb_result_release(r);
	return gb_parse_result(line, len, INT_MAX, r);
}

struct job_state {
	struct measure_ctx *mc;
	const char *leaf;          /* NULL during discovery */
	const int *procs;
	size_t nprocs;
	int control;
	int enabled, disabled;
	int late;                  /* perf was gone before the enable arrived */
	int saw_pass, saw_fail;
	char *failed;              /* first "--- FAIL" benchmark */
	char *started;             /* the last benchmark that announced itself */
	struct gb_result result;   /* the leaf's result line */
	int have_result;
	struct pkg_plan *plan;     /* discovery: leaves go here */
	struct buf tail;           /* the job's stdout, capped */
	int ret;
};

static int add_leaf(struct pkg_plan *pl, const struct gb_result *r)
{
	for (size_t i = 0; i < pl->nr; i++)
		if (pl->leaves[i].procs == r->procs && !strcmp(pl->leaves[i].name, r->base))
			return 0;
	ALLOC_GROW(pl->leaves, pl->nr + 1, pl->alloc);
	pl->leaves[pl->nr].name = xstrdup(r->base);
	pl->leaves[pl->nr].procs = r->procs;
	pl->leaves[pl->nr].iters = r->iters;
	pl->nr++;
	return 0;
}

static int on_line(struct runner_job *job, const char *line, size_t len)
{
	struct job_state *js = job->data;
	struct gb_result r;
	char *name = NULL;
	int ret = 0;

	if (js->tail.len < TAIL_CAP) {
		buf_add(&js->tail, line, len);
		buf_addch(&js->tail, '\n');
	}
	switch (gb_classify_line(line, len, &name)) {
	case GB_START:
		free(js->started);
		js->started = xstrdup(name);
		if (js->control && !js->enabled && js->leaf && !strcmp(name, js->leaf)) {
			ret = runner_job_control(job, "enable");
			/* Judged once the job is over: a crash explains it better. */
			if (ret > 0) {
				js->late = 1;
				ret = 0;
			}
			js->enabled = 1;
		}
		break;
	case GB_RESULT:
		if (parse_result(line, len, js->procs, js->nprocs, &r))
			break;
		if (js->plan) {
			add_leaf(js->plan, &r);
		} else if (js->leaf && !strcmp(r.base, js->leaf) && !js->have_result) {
			js->result = r;
			js->have_result = 1;
			memset(&r, 0, sizeof(r));
			if (js->control && js->enabled && !js->disabled) {
				/* perf gone already: the workload exited, counting stopped with it. */
				ret = runner_job_control(job, "disable");
				if (ret > 0)
					ret = 0;
				js->disabled = 1;
			}
		}
		gb_result_release(&r);
		break;
	case GB_BENCH_FAIL:
		js->saw_fail = 1;
		if (!js->failed) {
			js->failed = name;
			name = NULL;
		}
		break;
	case GB_PASS:
		js->saw_pass = 1;
		break;
	case GB_FAIL:
		js->saw_fail = 1;
		break;
	default:
		break;
	}
	free(name);
	return ret;
}

static void job_state_init(struct job_state *js, struct measure_ctx *mc,
			   const int *procs, size_t nprocs)
{
	memset(js, 0, sizeof(*js));
	js->mc = mc;
	js->procs = procs;
	js->nprocs = nprocs;
	buf_init(&js->tail);
}

static void job_state_release(struct job_state *js)
{
	free(js->failed);
	free(js->started);
	if (js->have_result)
		gb_result_release(&js->result);
	buf_release(&js->tail);
}

/*
 * Show the end of a failed job's stdout and stderr: that is where Go says
 * why (a --- FAIL with its log lines, a panic and its stack, a bad flag).
 */
static void show_tail(const struct buf *tail, size_t max_lines)
{
	const char *s = tail->buf;
	size_t lines = 0, i = tail->len;

	while (i > 0 && lines <= max_lines)
		if (tail->buf[--i] == '\n')
			lines++;
	if (lines > max_lines)
		s = tail->buf + i + 1;
	fputs(s, stderr);
	if (tail->len && tail->buf[tail->len - 1] != '\n')
		fputc('\n', stderr);
}

/* The line perf prints when the workload died by a signal ("x.test: Killed"). */
static void signal_line(const char *err, struct buf *out)
{
	static const char *const words[] = { "Killed", "Terminated", "Segmentation fault",
		"Aborted", "Bus error", "Illegal instruction", "Floating point exception",
		"Interrupt", "Hangup", "Quit", "Trace/breakpoint trap" };

	for (const char *l = err; *l; ) {
		size_t len = strcspn(l, "\n");

		for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
			size_t wl = strlen(words[i]);

			if (len >= wl + 2 && !memcmp(l + len - wl, words[i], wl) &&
			    l[len - wl - 1] == ' ' && l[len - wl - 2] == ':') {
				buf_add(out, words[i], wl);
				return;
			}
		}
		l += len + (l[len] == '\n');
	}
}

/*
 * Run one job; stderr goes to a scratch file that is then appended to the
 * stderr artifact.  Decides success from exit status *and* output: perf
 * exits 0 when its workload dies by a signal.
 */
static int run_job(struct measure_ctx *mc, struct runner_job *job, struct job_state *js,
		   const char *pkg, const char *what)
{
	struct buf errpath = BUF_INIT, err = BUF_INIT, sig = BUF_INIT;
	int errfd, ret;

	buf_addf(&errpath, "%s/job.err", mc->runner->local_scratch);
	errfd = open(errpath.buf, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (errfd < 0) {
		ret = error("cannot create '%s': %s", errpath.buf, strerror(errno));
		goto out;
	}
	job->stderr_fd = errfd;
	job->stdout_fd = mc->out_fd;
	job->on_line = on_line;
	job->data = js;
	ret = mc->runner->ops->exec(mc->runner, job);
	close(errfd);
	buf_read_file(&err, errpath.buf, 1 << 20);
	if (append_fd(mc->err_fd, err.buf, err.len) && !ret)
		ret = PG_EENV;
	if (ret)
		goto out;
	if (job->status == 255 && strstr(err.buf, "Workload failed"))
		ret = error_code(PG_EENV, "perf could not start the test binary of '%s'", pkg);
	else if (js->saw_fail || job->status || !js->saw_pass) {
		show_tail(&js->tail, 20);
		show_tail(&err, 40);
		/* Name the benchmark: the one that failed, else the last one started. */
		if (js->failed) {
			ret = error_code(PG_ECODE, "benchmark '%s' failed in '%s'", js->failed, pkg);
		} else {
			struct buf who = BUF_INIT;

			if (js->started && !js->leaf)
				buf_addf(&who, "benchmark '%s'", js->started);
			else
				buf_addstr(&who, what);
			signal_line(err.buf, &sig);
			if (!sig.len && job->status > 128)
				buf_addstr(&sig, strsignal(job->status - 128));
			if (sig.len)
				ret = error_code(PG_ECODE, "%s in '%s' died: %s", who.buf, pkg, sig.buf);
			else if (job->status)
				ret = error_code(PG_ECODE, "%s failed in '%s' (exit %d)", who.buf, pkg,
						 job->status);
			else
				ret = error_code(PG_ECODE, "%s in '%s' died before printing PASS",
						 who.buf, pkg);
			buf_release(&who);
		}
	}
out:
	buf_release(&errpath);
	buf_release(&err);
	buf_release(&sig);
	return ret;
}

static void push_test_flags(struct runner_job *job, const struct measure_opts *mo)
{
	strvec_pushv(&job->argv, mo->extra->v);
	if (mo->args->nr) {
		strvec_push(&job->argv, "-args");
		strvec_pushv(&job->argv, mo->args->v);
	}
}

int measure_plan(struct measure_ctx *mc, const struct measure_opts *mo,
		 struct pkg_plan *pl)
{
	struct runner_job job;
	struct job_state js;
	struct buf what = BUF_INIT;
	int procs[64];
	size_t nprocs;
	uint64_t fixed = 0;
	int ret;

	ret = cpu_list(mo, procs, ARRAY_SIZE(procs), &nprocs);
	if (ret)
		return ret;
	if (mo->benchtime && ends_with(mo->benchtime, "x")) {
		char num[32];
		size_t len = strlen(mo->benchtime) - 1;

		if (len >= sizeof(num))
			return error_code(PG_EUSAGE, "bad '-benchtime' '%s'", mo->benchtime);
		memcpy(num, mo->benchtime, len);
		num[len] = '\0';
		if (parse_u64(num, &fixed) || !fixed)
			return error_code(PG_EUSAGE, "bad '-benchtime' '%s': need a positive count",
					  mo->benchtime);
	}
	runner_job_init(&job);
	job_state_init(&js, mc, procs, nprocs);
	js.plan = pl;
	strvec_push(&job.argv, pl->bin);
	strvec_pushl(&job.argv, "-test.run=^$", "-test.v", "-test.benchmem", NULL);
	strvec_pushf(&job.argv, "-test.bench=%s", mo->bench ? mo->bench : ".");
	/* With a fixed count, discovery only needs one iteration of each. */
	strvec_pushf(&job.argv, "-test.benchtime=%s",
		     fixed ? "1x" : mo->benchtime ? mo->benchtime : "1s");
	if (mo->cpu)
		strvec_pushf(&job.argv, "-test.cpu=%s", mo->cpu);
	push_test_flags(&job, mo);
	strvec_push(&job.env, "LC_ALL=C");
	job.dir = pl->dir;
	buf_addf(&what, "discovery of '%s'", pl->pkg->import_path);
	ret = mark_job(mc, what.buf);
	if (!ret) {
		progress_update(mc, what.buf);
		ret = run_job(mc, &job, &js, pl->pkg->import_path, "benchmark discovery");
	}
	if (!ret && fixed)
		for (size_t i = 0; i < pl->nr; i++)
			pl->leaves[i].iters = fixed;
	job_state_release(&js);
	runner_job_release(&job);
	buf_release(&what);
	return ret;
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

/* perf stat's --control option for the runner's channel. */
static char *perf_control_word(const struct runner_chan *ch)
{
	struct buf b = BUF_INIT;

	if (ch->fds)
		buf_addf(&b, "--control=fd:%d,%d", ch->cmd_fd, ch->reply_fd);
	else
		buf_addf(&b, "--control=fifo:%s,%s", ch->cmd_path, ch->reply_path);
	return buf_detach(&b);
}

/* One process of a repetition: counts in `res`, Go's result in js->result. */
static int measure_once(struct measure_ctx *mc, const struct measure_opts *mo,
			const struct pkg_plan *pl, const struct leaf *lf, uint64_t n,
			struct job_state *js, struct ps_result *res)
{
	struct runner_job job;
	struct buf re = BUF_INIT, csvpath = BUF_INIT, csv = BUF_INIT, what = BUF_INIT;
	struct buf localcsv = BUF_INIT;
	int ret;

	runner_job_init(&job);
	gb_bench_regexp(&re, lf->name);
	/* perf writes on the runner; the file is read here after a fetch. */
	buf_addf(&csvpath, "%s/job.csv", mc->runner->scratch);
	buf_addf(&localcsv, "%s/job.csv", mc->runner->local_scratch);
	strvec_pushl(&job.argv, "perf", "stat", "-x,", "-o", csvpath.buf, "-D", "-1", NULL);
	for (size_t i = 0; i < mo->events->nr; i++)
		strvec_pushl(&job.argv, "-e", mo->events->v[i], NULL);
	strvec_pushl(&job.argv, "--", pl->bin, "-test.run=^$", "-test.count=1",
		     "-test.benchmem", "-test.v", NULL);
	strvec_pushf(&job.argv, "-test.bench=%s", re.buf);
	strvec_pushf(&job.argv, "-test.benchtime=%llux", (unsigned long long)n);
	strvec_pushf(&job.argv, "-test.cpu=%d", lf->procs);
	push_test_flags(&job, mo);
	strvec_push(&job.env, "LC_ALL=C");
	job.dir = pl->dir;
	job.control_word = perf_control_word;
	job.control_at = 2;      /* after "perf", "stat" */
	job.control_peer = "perf";
	js->leaf = lf->name;
	js->control = 1;

	buf_addf(&what, "%s %s-%d N=%llu", pl->pkg->import_path, lf->name, lf->procs,
		 (unsigned long long)n);
	ret = mark_job(mc, what.buf);
	if (ret)
		goto out;
	unlink(localcsv.buf);
	buf_reset(&what);
	buf_addf(&what, "benchmark '%s'", lf->name);
	ret = run_job(mc, &job, js, pl->pkg->import_path, what.buf);
	if (ret)
		goto out;
	if (js->late) {
		ret = error_code(PG_EENV, "benchmark '%s' was over before perf's counters could "
				 "be enabled: raise -benchtime", lf->name);
		goto out;
	}
	if (!js->enabled) {
		ret = error_code(PG_EENV, "'%s' never announced benchmark '%s' (-test.v): "
				 "counters cannot be limited to the benchmark", pl->pkg->import_path,
				 lf->name);
		goto out;
	}
	if (!js->have_result) {
		ret = error_code(PG_ECODE, "benchmark '%s' in '%s' printed no result",
				 lf->name, pl->pkg->import_path);
		goto out;
	}
	ret = mc->runner->ops->fetch(mc->runner, csvpath.buf, localcsv.buf);
	if (ret == PG_EINTR || ret == PG_EENV)
		goto out;      /* interrupted, or the connection failed (reported) */
	if (ret || buf_read_file(&csv, localcsv.buf, 1 << 20) < 0) {
		ret = error_code(PG_EENV, "perf wrote no counts for '%s'", lf->name);
		goto out;
	}
	ret = append_fd(mc->csv_fd, csv.buf, csv.len);
	if (!ret)
		ret = ps_parse_csv(csv.buf, csv.len, ',', "perf stat output", res);
	if (ret == PG_EPARSE)
		ret = PG_EENV;
	if (!ret && never_counted(res))
		ret = error_code(PG_EENV, "benchmark '%s' was over before perf's counters could be "
				 "enabled: raise -benchtime", lf->name);
out:
	runner_job_release(&job);
	buf_release(&re);
	buf_release(&csvpath);
	buf_release(&localcsv);
	buf_release(&csv);
	buf_release(&what);
	return ret;
}


static void rep_add(struct rep_samples *rs, int64_t bench_id, int rep, uint64_t iters,
		    const char *metric, const char *unit, double value, double running,
		    unsigned flags)
{
	ALLOC_GROW(rs->rows, rs->nr + 1, rs->alloc);
	rs->names = xrealloc(rs->names, rs->alloc * sizeof(*rs->names));
	rs->names[rs->nr] = xstrdup(metric);
	rs->rows[rs->nr] = (struct sample_row){ bench_id, rs->names[rs->nr], unit, rep,
		iters, value, running, flags };
	rs->nr++;
}

void rep_samples_release(struct rep_samples *rs)
{
	for (size_t i = 0; i < rs->nr; i++)
		free(rs->names[i]);
	free(rs->names);
	free(rs->rows);
	memset(rs, 0, sizeof(*rs));
}

static const char *go_unit(const char *unit)
{
	if (!strcmp(unit, "ns/op"))
		return "ns";
	if (!strcmp(unit, "B/op"))
		return "B";
	if (!strcmp(unit, "allocs/op"))
		return "count";
	return unit;
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

static void add_go_metrics(struct rep_samples *rs, int64_t bench_id, int rep,
			   const struct gb_result *gr)
{
	for (size_t i = 0; i < gr->nvalues; i++)
		rep_add(rs, bench_id, rep, gr->iters, gr->values[i].unit,
			go_unit(gr->values[i].unit), gr->values[i].value, 1.0, SAMPLE_GO);
}

/* The sample of `metric` already in this repetition, or NULL. */
static const struct sample_row *rep_find(const struct rep_samples *rs, const char *metric)
{
	for (size_t i = 0; i < rs->nr; i++)
		if (!strcmp(rs->rows[i].metric, metric))
			return &rs->rows[i];
	return NULL;
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
			a = rep_find(rs, num.buf);
			b = rep_find(rs, den.buf);
			if (a && b && b->value > 0) {
				double running = a->running < b->running ? a->running : b->running;

				rep_add(rs, bench_id, rep, iters, name.buf, d[i].unit,
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
		rep_add(rs, bench_id, rep, n_hi, metric.buf, is_time ? "ns" : "count", per_op,
			running, running < 1.0 ? SAMPLE_MULTIPLEXED : 0);
		buf_release(&metric);
	}
}

void rep_samples_compute(struct rep_samples *rs, int64_t bench_id, int rep,
			 const struct gb_result *go, const struct ps_result *lo, uint64_t n_lo,
			 const struct ps_result *hi, uint64_t n_hi)
{
	/* Go's own metrics first: they lead every report. */
	add_go_metrics(rs, bench_id, rep, go);
	counters_per_op(rs, bench_id, rep, lo, n_lo, hi, n_hi);
	add_derived(rs, bench_id, rep, n_hi);
}

int measure_rep(struct measure_ctx *mc, const struct measure_opts *mo,
		const struct pkg_plan *pl, const struct leaf *lf, int64_t bench_id, int rep)
{
	struct ps_result lo = PS_RESULT_INIT, hi = PS_RESULT_INIT;
	struct job_state js_lo, js_hi;
	struct rep_samples rs = { 0 };
	uint64_t n_hi = lf->iters, n_lo = lf->iters > 1 ? lf->iters / 2 : lf->iters;
	int ret;

	job_state_init(&js_lo, mc, &lf->procs, 1);
	job_state_init(&js_hi, mc, &lf->procs, 1);
	ret = measure_once(mc, mo, pl, lf, n_lo, &js_lo, &lo);
	if (!ret && n_hi != n_lo)
		ret = measure_once(mc, mo, pl, lf, n_hi, &js_hi, &hi);
	if (ret)
		goto out;
	if (n_hi == n_lo)
		rep_samples_compute(&rs, bench_id, rep, &js_lo.result, &lo, n_lo, &lo, n_hi);
	else
		rep_samples_compute(&rs, bench_id, rep, &js_hi.result, &lo, n_lo, &hi, n_hi);
	if (!rep)
		warn_short_loop(&rs, lf, n_hi - n_lo);
	ret = store_add_samples(mc->st, mc->run_id, rs.rows, rs.nr);
out:
	ps_result_release(&lo);
	ps_result_release(&hi);
	job_state_release(&js_lo);
	job_state_release(&js_hi);
	rep_samples_release(&rs);
	return ret;
}

int measure_run(struct measure_ctx *mc, const struct measure_opts *mo,
		const struct pkg_plan *pl)
{
	for (size_t i = 0; i < pl->nr; i++) {
		const struct leaf *lf = &pl->leaves[i];
		struct buf name = BUF_INIT;
		int64_t bench_id;
		int ret;

		/* The stored name carries the -P suffix when Go would print one. */
		buf_addstr(&name, lf->name);
		if (lf->procs != 1)
			buf_addf(&name, "-%d", lf->procs);
		ret = store_benchmark_id(mc->st, pl->pkg->import_path, name.buf, &bench_id);
		for (int rep = 0; !ret && rep < mo->count; rep++) {
			struct buf what = BUF_INIT;

			buf_addf(&what, "%s rep %d/%d", name.buf, rep + 1, mo->count);
			progress_update(mc, what.buf);
			buf_release(&what);
			ret = measure_rep(mc, mo, pl, lf, bench_id, rep);
			mc->jobs_done++;
		}
		buf_release(&name);
		if (ret)
			return ret;
	}
	return 0;
}
