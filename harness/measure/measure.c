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
#include "measure/backend.h"
#include "measure/measure.h"
#include "measure/measure_count.h"
#include "measure/measure_diag.h"
#include "measure/samples.h"
#include "util/clock.h"
#include "util/io.h"
#include "util/parse.h"
#include "util/usage.h"
#include "util/banned.h"

/* Output of one job kept in memory for diagnostics. */
#define TAIL_CAP (64u << 10)
/* measure_once(): the backend's gate opened after the leaf ended (never leaves this file). */
#define GATE_MISSED (-100)

void pkg_plan_release(struct pkg_plan *pl)
{
	for (size_t i = 0; i < pl->nr; i++)
		free(pl->leaves[i].name);
	free(pl->leaves);
	free(pl->bin);
	free(pl->dir);
	free(pl->local_bin);
	memset(pl, 0, sizeof(*pl));
}

static int append_fd(int fd, const char *s, size_t len)
{
	if (fd >= 0 && write_all(fd, s, len)) {
		char proc[64], path[4096];
		ssize_t n;

		/* Name the artifact; a full file system is named with its fix. */
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		n = readlink(proc, path, sizeof(path) - 1);
		path[n > 0 ? n : 0] = '\0';
		return error_write(n > 0 ? path : "an artifact", fd, errno);
	}
	return 0;
}

void measure_ctx_init(struct measure_ctx *mc, const struct backend *be, struct runner *r,
		      struct store *st, const char *run_id)
{
	memset(mc, 0, sizeof(*mc));
	mc->backend = be;
	mc->runner = r;
	mc->st = st;
	mc->run_id = run_id;
	mc->out_fd = mc->err_fd = mc->raw_fd = -1;
	progress_init(&mc->progress);
}

int measure_save_raw(struct measure_ctx *mc, const char *s, size_t len)
{
	return append_fd(mc->raw_fd, s, len);
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
		ret = append_fd(mc->raw_fd, b.buf, b.len);
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

/* What a job's stdout said, for every job. */
struct job_state {
	struct measure_ctx *mc;
	struct backend_job *bj;    /* NULL: not counted (discovery) */
	const char *leaf;          /* NULL during discovery */
	const int *procs;
	size_t nprocs;
	int saw_pass, saw_fail;
	char *failed;              /* first "--- FAIL" benchmark */
	char *started;             /* the last benchmark that announced itself */
	struct gb_result result;   /* the leaf's result line */
	int have_result;
	struct pkg_plan *plan;     /* discovery: leaves go here */
	const struct strvec *own;  /* discovery: flags named like perfgo's options */
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

/*
 * Keep the "key: value" lines the test binary printed before its first
 * benchmark in discovery (goos, goarch, pkg, cpu): `--format gobench`
 * writes them as `go test` does, not perfgo's own idea of the machine.
 */
static int save_go_config(struct job_state *js, const char *line, size_t len)
{
	const char *k, *v;
	size_t klen, vlen;
	char *key, *val;
	int ret;

	if (!gb_parse_config_line(line, len, &k, &klen, &v, &vlen) || !vlen)
		return 0;
	key = xstrndup(k, klen);
	val = xstrndup(v, vlen);
	ret = store_add_go_config(js->mc->st, js->mc->run_id, js->plan->pkg->import_path, key, val);
	free(key);
	free(val);
	return ret;
}

static int on_line(struct runner_job *job, const char *line, size_t len)
{
	struct job_state *js = job->data;
	const struct backend *be = js->mc->backend;
	struct gb_result r;
	char *name = NULL;
	int ret = 0;

	if (js->tail.len < TAIL_CAP) {
		buf_add(&js->tail, line, len);
		buf_addch(&js->tail, '\n');
	}
	switch (gb_classify_line(line, len, &name)) {
	case GB_CONFIG:
		/* The header before the first benchmark, not a benchmark's own output. */
		if (js->plan && !js->plan->nr && !js->started)
			ret = save_go_config(js, line, len);
		break;
	case GB_START:
		free(js->started);
		js->started = xstrdup(name);
		if (js->bj && be->leaf_started && !strcmp(name, js->leaf))
			ret = be->leaf_started(js->bj, job);
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
			if (js->bj && be->leaf_ended)
				ret = be->leaf_ended(js->bj, job);
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
 * Run one job; stderr goes to a scratch file that is then appended to the
 * stderr artifact.  Decides success from exit status *and* output: a tool
 * wrapping the benchmark (perf) may exit 0 when its workload dies by a
 * signal.
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
	if (js->bj && mc->backend->tool_failed)
		ret = mc->backend->tool_failed(js->bj, job->status, err.buf);
	if (ret)
		goto out;
	/* Discovery runs first: a bad flag shows there, before any measurement. */
	if (js->plan && job->status && !js->saw_pass) {
		ret = measure_flag_diagnosis(err.buf, pkg, js->own);
		if (ret)
			goto out;
	}
	if (js->saw_fail || job->status || !js->saw_pass) {
		measure_show_tail(&js->tail, 20);
		measure_show_tail(&err, 40);
		/* Name the benchmark: the one that failed, else the last one started. */
		if (js->failed) {
			ret = error_code(PG_ECODE, "benchmark '%s' failed in '%s'", js->failed, pkg);
		} else {
			struct buf who = BUF_INIT;

			if (js->started && !js->leaf)
				buf_addf(&who, "benchmark '%s'", js->started);
			else
				buf_addstr(&who, what);
			measure_signal_line(err.buf, &sig);
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
	js.own = mo->own;
	strvec_push(&job.argv, pl->bin);
	strvec_pushl(&job.argv, "-test.run=^$", "-test.v", "-test.benchmem", NULL);
	strvec_pushf(&job.argv, "-test.bench=%s", mo->bench ? mo->bench : ".");
	/* With a fixed count, discovery only needs one iteration of each. */
	strvec_pushf(&job.argv, "-test.benchtime=%s",
		     fixed ? "1x" : mo->benchtime ? mo->benchtime : "1s");
	/* The P the leaves are measured with (the simulation's is 1, not the runner's). */
	if (mo->cpu)
		strvec_pushf(&job.argv, "-test.cpu=%s", mo->cpu);
	else
		strvec_pushf(&job.argv, "-test.cpu=%d", procs[0]);
	push_test_flags(&job, mo);
	strvec_push(&job.env, "LC_ALL=C");
	job.dir = pl->dir;
	buf_addf(&what, "discovery of '%s'", pl->pkg->import_path);
	ret = mark_job(mc, what.buf);
	if (!ret) {
		progress_update(&mc->progress, what.buf);
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

/* One process of a repetition: the backend's counts in bj, Go's result in js->result. */
static int measure_once(struct measure_ctx *mc, const struct measure_opts *mo,
			struct backend_job *bj, struct job_state *js)
{
	const struct backend *be = mc->backend;
	const struct pkg_plan *pl = bj->pl;
	const struct leaf *lf = bj->lf;
	struct runner_job job;
	struct buf re = BUF_INIT, what = BUF_INIT;
	int ret;

	runner_job_init(&job);
	ret = be->job_begin(bj, &job);
	if (ret)
		goto out;
	gb_bench_regexp(&re, lf->name);
	strvec_pushl(&job.argv, pl->bin, "-test.run=^$", "-test.count=1",
		     "-test.benchmem", "-test.v", NULL);
	strvec_pushf(&job.argv, "-test.bench=%s", re.buf);
	strvec_pushf(&job.argv, "-test.benchtime=%llux", (unsigned long long)bj->n);
	strvec_pushf(&job.argv, "-test.cpu=%d", lf->procs);
	push_test_flags(&job, mo);
	strvec_push(&job.env, "LC_ALL=C");
	job.dir = pl->dir;
	js->leaf = lf->name;
	js->bj = bj;

	buf_addf(&what, "%s %s-%d N=%llu", pl->pkg->import_path, lf->name, lf->procs,
		 (unsigned long long)bj->n);
	ret = mark_job(mc, what.buf);
	if (ret)
		goto out;
	buf_reset(&what);
	buf_addf(&what, "benchmark '%s'", lf->name);
	bj->elapsed_ns = clock_mono_ns();
	ret = run_job(mc, &job, js, pl->pkg->import_path, what.buf);
	bj->elapsed_ns = clock_mono_ns() - bj->elapsed_ns;
	if (!ret && be->gate_missed && be->gate_missed(bj))
		ret = GATE_MISSED;
	if (ret == PG_ECODE && be->salvage)
		be->salvage(bj);
	if (!ret && be->judge)
		ret = be->judge(bj);
	if (!ret && !js->have_result)
		ret = error_code(PG_ECODE, "benchmark '%s' in '%s' printed no result",
				 lf->name, pl->pkg->import_path);
	if (!ret)
		ret = be->collect(bj);
	if (!ret && be->gate_missed && be->gate_missed(bj))
		ret = GATE_MISSED;
out:
	runner_job_release(&job);
	buf_release(&re);
	buf_release(&what);
	return ret;
}

/* One process, measured again while the backend's gate opened too late. */
static int measure_job(struct measure_ctx *mc, const struct measure_opts *mo,
		       struct backend_job *bj, struct job_state *js)
{
	const struct backend *be = mc->backend;
	int ret;

	for (int attempt = 1; ; attempt++) {
		const char *why = NULL, *fix = "raise -benchtime";

		ret = measure_once(mc, mo, bj, js);
		if (ret != GATE_MISSED)
			return ret;
		if (be->gate_missed_why)
			why = be->gate_missed_why(bj, &fix);
		if (attempt == MEASURE_GATE_ATTEMPTS)
			return error_code(PG_EENV, "benchmark '%s' %s (%d attempts): %s", bj->lf->name,
					  why ? why : "was over before perf's counters could be enabled",
					  attempt, fix);
		/* Discard the job: a busy machine, most likely. */
		warning("benchmark '%s' (N=%llu) %s; measuring it again (%d/%d)", bj->lf->name,
			(unsigned long long)bj->n, why ? why : "ended before its counters were enabled",
			attempt + 1, MEASURE_GATE_ATTEMPTS);
		be->job_release(bj);
		job_state_release(js);
		*bj = (struct backend_job){ mc, mo, bj->pl, bj->lf, bj->n, NULL, bj->point, bj->prev };
		job_state_init(js, mc, &bj->lf->procs, 1);
	}
}

int measure_rep(struct measure_ctx *mc, const struct measure_opts *mo,
		const struct pkg_plan *pl, const struct leaf *lf, int64_t bench_id, int rep)
{
	const struct backend *be = mc->backend;
	struct backend_job bj[BACKEND_MAX_POINTS];
	struct job_state js[BACKEND_MAX_POINTS];
	struct rep_samples rs = { 0 };
	uint64_t n[BACKEND_MAX_POINTS], n2[BACKEND_MAX_POINTS];
	int kind[BACKEND_MAX_POINTS], kind2[BACKEND_MAX_POINTS];
	size_t np, np2, i, keep;
	int failed = 0, count = 1, ret = 0;

	/* A leaf the tool could not count in an earlier repetition: not again. */
	if (be->uncounted_points)
		ret = store_bench_failed(mc->st, mc->run_id, bench_id, &failed);
	if (!ret && !failed)
		ret = measure_rep_counts(be, mc->st, mc->run_id, lf->name, bench_id, rep, &count);
	if (ret)
		return ret;
	np = failed ? be->uncounted_points(lf->iters, 0, n, kind) :
		be->points(lf->iters, count, n, kind);
	for (i = 0; i < np; i++) {
		bj[i] = (struct backend_job){ mc, mo, pl, lf, n[i], NULL, kind[i],
					      i ? &bj[i - 1] : NULL, 0, NULL };
		job_state_init(&js[i], mc, &lf->procs, 1);
	}
	for (i = 0; i < np && !ret; i++) {
		ret = measure_job(mc, mo, &bj[i], &js[i]);
		if (ret != BACKEND_ESKIP)
			continue;
		if (!be->uncounted_points || !bj[i].why)
			BUG("backend '%s' skipped a leaf it cannot skip", be->name);
		ret = measure_leaf_uncounted(mc->st, mc->run_id, mo->events, lf->name, bench_id,
					     bj[i].why);
		if (ret)
			break;
		/* The rest of the repetition without the tool; what already ran stays. */
		np2 = be->uncounted_points(lf->iters, 0, n2, kind2);
		for (keep = 0; keep < i && keep < np2 && kind2[keep] == kind[keep] &&
		     n2[keep] == n[keep]; keep++)
			;
		for (size_t j = keep; j < np; j++) {
			be->job_release(&bj[j]);
			job_state_release(&js[j]);
			free(bj[j].why);
		}
		for (size_t j = keep; j < np2; j++) {
			n[j] = n2[j];
			kind[j] = kind2[j];
			bj[j] = (struct backend_job){ mc, mo, pl, lf, n[j], NULL, kind[j],
						      j ? &bj[j - 1] : NULL, 0, NULL };
			job_state_init(&js[j], mc, &lf->procs, 1);
		}
		np = np2;
		i = keep - 1;    /* the loop's i++ resumes at `keep` (wraps from 0 to 0) */
	}
	if (!ret)
		ret = be->samples(&rs, bench_id, rep, &js[be->go_first ? 0 : np - 1].result, bj, np);
	if (!ret)
		ret = store_add_samples(mc->st, mc->run_id, rs.rows, rs.nr);
	for (i = 0; i < np; i++) {
		be->job_release(&bj[i]);
		job_state_release(&js[i]);
		free(bj[i].why);
	}
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
			progress_update(&mc->progress, what.buf);
			buf_release(&what);
			ret = measure_rep(mc, mo, pl, lf, bench_id, rep);
			mc->progress.done++;
		}
		buf_release(&name);
		if (ret)
			return ret;
	}
	return 0;
}
