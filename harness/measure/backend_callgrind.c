/*
 * The simulation backend: callgrind's counts with the two-point
 * differential, and a plain run for Go's own metrics; see
 * backend_callgrind.h for the method and backend.h for the operations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/callgrind.h"
#include "collect/gobench.h"
#include "measure/backend.h"
#include "measure/backend_callgrind.h"
#include "measure/measure.h"
#include "measure/samples.h"
#include "util/buf.h"
#include "util/io.h"
#include "util/proc.h"
#include "util/strvec.h"
#include "util/usage.h"
#include "util/banned.h"

/* The third process is the plain run. */
#define PLAIN_POINT 2
/* Deeper sub-benchmarks would need 2^depth patterns. */
#define MAX_DEPTH 3

/* One callgrind process. */
struct cg_job {
	struct buf out;            /* where callgrind writes, on the runner */
	struct buf local_out;      /* where it is fetched to */
	struct cg_result counts;
};

static const char install_hint[] = "install valgrind (Debian: 'apt-get install valgrind')";

static int cg_preflight(void)
{
	char *vg = proc_which("valgrind");

	if (!vg)
		return error_code(PG_EENV, "'valgrind' not found in PATH: %s", install_hint);
	free(vg);
	return 0;
}

/*
 * valgrind's version on the runner, with the fixed simulation parameters:
 * the fingerprint's tool version ("valgrind-3.19.0 callgrind I1=...").
 */
static int cg_check_runner(struct runner *r, struct fingerprint *fp, int check)
{
	static const char *const version[] = { "valgrind", "--version", NULL };
	struct buf out = BUF_INIT, v = BUF_INIT;
	int code = r->ops->query(r, version, &out);

	(void)check;
	if (code < 0) {
		buf_release(&out);
		return code;
	}
	if (code || !out.len) {
		buf_release(&out);
		if (r->dest)
			return error_code(PG_EENV, "'valgrind' not found on '%s': %s there",
					  r->dest, install_hint);
		return error_code(PG_EENV, "'valgrind' not found in PATH: %s", install_hint);
	}
	buf_add(&v, out.buf, strcspn(out.buf, "\r\n"));
	buf_addstr(&v, " callgrind " CALLGRIND_GEOMETRY_TEXT " branch-sim");
	free(fp->perf_version);
	fp->perf_version = buf_detach(&v);
	buf_release(&out);
	return 0;
}

/* The simulation runs with one P: the fingerprint says so. */
static int cg_probe(struct runner *r, struct fingerprint *fp)
{
	(void)r;
	fp->gomaxprocs = 1;
	return 0;
}

static const char *const sim_events[] = {
	"instructions:sim", "data-reads:sim", "data-writes:sim", "L1-icache-misses:sim",
	"L1-dcache-read-misses:sim", "L1-dcache-write-misses:sim", "LL-misses:sim",
	"branches:sim", "branch-misses:sim",
};

static int cg_events(struct runner *r, struct store *st, const char *run_id,
		     const struct strvec *requested, int detail, struct strvec *counted)
{
	(void)r;
	(void)detail;
	if (requested->nr)
		return error_code(PG_EUSAGE, "'-e %s' selects perf events: the simulation "
				  "(--counters sim) counts its own; drop -e or use --counters perf",
				  requested->v[0]);
	for (size_t i = 0; i < ARRAY_SIZE(sim_events); i++) {
		int ret = store_add_event(st, run_id, sim_events[i], EVENT_COUNTED);

		if (ret)
			return ret;
		strvec_push(counted, sim_events[i]);
	}
	return 0;
}

/*
 * S/2 and S simulated, then N plain; S = max(2, min(N, 64), N / 50).  The
 * simulated counts are exact, so only the first CG_SIM_REPS repetitions
 * simulate; every repetition has its plain run, so ns/op keeps the
 * repetitions its own test needs.
 */
static size_t cg_points(uint64_t n, int rep, uint64_t out[BACKEND_MAX_POINTS],
			int kind[BACKEND_MAX_POINTS])
{
	uint64_t s = n < 64 ? n : 64;

	if (rep >= CG_SIM_REPS) {
		out[0] = n;
		kind[0] = PLAIN_POINT;
		return 1;
	}
	kind[0] = 0;
	kind[1] = 1;
	kind[PLAIN_POINT] = PLAIN_POINT;

	if (n / 50 > s)
		s = n / 50;
	if (s < 2)
		s = 2;
	out[0] = s / 2;
	out[1] = s;
	out[PLAIN_POINT] = n;
	return 3;
}

/* Go's symbol prefix for an import path (cmd/internal/objabi.PathToPrefix). */
static void symbol_prefix(struct buf *b, const char *path)
{
	const char *slash = strrchr(path, '/');

	for (const char *p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= ' ' || c == '%' || c == '"' || c >= 0x7f ||
		    (c == '.' && (!slash || p > slash)))
			buf_addf(b, "%%%02x", c);
		else
			buf_addch(b, (char)c);
	}
}

/* Append "<prefix>.<top><suffix>" for every "func?"/"func??" combination of `depth` levels. */
static void push_closures(struct strvec *out, const char *prefix, const char *top, int depth)
{
	for (unsigned mask = 0; mask < (1u << depth); mask++) {
		struct buf b = BUF_INIT;

		buf_addf(&b, "--toggle-collect=%s.%s", prefix, top);
		for (int lvl = 0; lvl < depth; lvl++)
			buf_addf(&b, "%s%s", lvl ? "." : ".func", (mask >> lvl) & 1 ? "??" : "?");
		strvec_push(out, b.buf);
		buf_release(&b);
	}
}

int callgrind_toggles(const char *import_path, const char *pkg_name, const char *leaf,
		      struct strvec *out)
{
	struct buf top = BUF_INIT, prefix = BUF_INIT;
	int depth = 0;

	buf_add(&top, leaf, strcspn(leaf, "/"));
	for (const char *p = leaf; *p; p++)
		depth += *p == '/';
	if (depth > MAX_DEPTH) {
		buf_release(&top);
		return error_code(PG_EUSAGE, "benchmark '%s' is nested %d levels deep: the "
				  "simulation (--counters sim) follows sub-benchmarks %d levels deep "
				  "at most", leaf, depth, MAX_DEPTH);
	}
	if (pkg_name && !strcmp(pkg_name, "main")) {
		push_closures(out, "main", top.buf, depth);
	} else {
		symbol_prefix(&prefix, import_path);
		push_closures(out, prefix.buf, top.buf, depth);
		buf_addstr(&prefix, "_test");
		push_closures(out, prefix.buf, top.buf, depth);
	}
	buf_release(&top);
	buf_release(&prefix);
	return 0;
}

static int cg_job_begin(struct backend_job *bj, struct runner_job *job)
{
	struct runner *r = bj->mc->runner;
	struct cg_job *cj;

	if (bj->lf->procs != 1)
		return error_code(PG_EUSAGE, "the simulation (--counters sim) runs with "
				  "GOMAXPROCS=1: drop '-cpu=%d' or use --counters perf", bj->lf->procs);
	if (bj->point == PLAIN_POINT)
		return 0;          /* the plain run: Go's own metrics */
	cj = xcalloc(1, sizeof(*cj));
	bj->priv = cj;
	buf_init(&cj->out);
	buf_init(&cj->local_out);
	buf_addf(&cj->out, "%s/job.callgrind", r->scratch);
	buf_addf(&cj->local_out, "%s/job.callgrind", r->local_scratch);
	unlink(cj->local_out.buf);
	strvec_pushl(&job->env, "GOMAXPROCS=1", "GODEBUG=asyncpreemptoff=1", NULL);
	strvec_pushl(&job->argv, "valgrind", "--tool=callgrind", "-q", "--cache-sim=yes",
		     "--branch-sim=yes", CALLGRIND_GEOMETRY, NULL);
	strvec_pushf(&job->argv, "--callgrind-out-file=%s", cj->out.buf);
	return callgrind_toggles(bj->pl->pkg->import_path, bj->pl->pkg->name, bj->lf->name,
				 &job->argv);
}

/* valgrind's own failures: it could not start, or met an instruction it does not know. */
static int cg_tool_failed(struct backend_job *bj, int status, const char *err)
{
	const char *vex;

	if (bj->point == PLAIN_POINT || !status)
		return 0;
	vex = strstr(err, "unhandled instruction");
	if (vex)
		return error_code(PG_EENV, "valgrind cannot run benchmark '%s' (%.*s): use "
				  "--counters perf for it", bj->lf->name,
				  (int)strcspn(vex, "\n"), vex);
	if (starts_with(err, "valgrind: ") || strstr(err, "\nvalgrind: "))
		return error_code(PG_EENV, "valgrind failed to run the test binary of '%s': %.*s",
				  bj->pl->pkg->import_path, (int)strcspn(strstr(err, "valgrind: "), "\n"),
				  strstr(err, "valgrind: "));
	return 0;
}

static int cg_collect(struct backend_job *bj)
{
	struct cg_job *cj = bj->priv;
	struct runner *r = bj->mc->runner;
	struct buf out = BUF_INIT;
	int ret;

	if (!cj)
		return 0;          /* the plain run */
	ret = r->ops->fetch(r, cj->out.buf, cj->local_out.buf);
	if (ret == PG_EINTR || ret == PG_EENV)
		goto out;
	if (ret || buf_read_file(&out, cj->local_out.buf, 16 << 20) < 0) {
		ret = error_code(PG_EENV, "callgrind wrote no counts for '%s'", bj->lf->name);
		goto out;
	}
	ret = measure_save_raw(bj->mc, out.buf, out.len);
	if (!ret)
		ret = cg_parse(out.buf, out.len, "callgrind output", &cj->counts);
	if (ret == PG_EPARSE)
		ret = PG_EENV;
out:
	buf_release(&out);
	return ret;
}

static void cg_job_release(struct backend_job *bj)
{
	struct cg_job *cj = bj->priv;

	if (!cj)
		return;
	buf_release(&cj->out);
	buf_release(&cj->local_out);
	cg_result_release(&cj->counts);
	free(cj);
	bj->priv = NULL;
}

/* The sum of the counts of `events` (NULL-terminated); -1 when one is missing. */
static int sum_counts(const struct cg_result *r, const char *const *events, double *out)
{
	*out = 0;
	for (; *events; events++) {
		uint64_t v;

		if (cg_count(r, *events, &v))
			return -1;
		*out += (double)v;
	}
	return 0;
}

void callgrind_samples(struct rep_samples *rs, int64_t bench_id, int rep,
		       const struct gb_result *go, const struct cg_result *lo, uint64_t n_lo,
		       const struct cg_result *hi, uint64_t n_hi)
{
	static const struct { const char *metric; const char *events[4]; } m[] = {
		{ "instructions:sim/op", { "Ir" } },
		{ "data-reads:sim/op", { "Dr" } },
		{ "data-writes:sim/op", { "Dw" } },
		{ "L1-icache-misses:sim/op", { "I1mr" } },
		{ "L1-dcache-read-misses:sim/op", { "D1mr" } },
		{ "L1-dcache-write-misses:sim/op", { "D1mw" } },
		{ "LL-misses:sim/op", { "ILmr", "DLmr", "DLmw" } },
		{ "branches:sim/op", { "Bc", "Bi" } },
		{ "branch-misses:sim/op", { "Bcm", "Bim" } },
	};

	if (go)
		rep_samples_add_go(rs, bench_id, rep, go);
	for (size_t i = 0; i < ARRAY_SIZE(m); i++) {
		double vl, vh, per_op;

		if (sum_counts(lo, m[i].events, &vl) || sum_counts(hi, m[i].events, &vh))
			continue;
		per_op = n_hi > n_lo ? (vh - vl) / (double)(n_hi - n_lo) : vh / (double)n_hi;
		rep_samples_add(rs, bench_id, rep, n_hi, m[i].metric, "count", per_op, 1.0,
				SAMPLE_SIM);
	}
}

static int cg_samples(struct rep_samples *rs, int64_t bench_id, int rep,
		      const struct gb_result *go, const struct backend_job *jobs, size_t njobs)
{
	const struct cg_job *lo, *hi;
	const struct sample_row *ir;

	/* A repetition past CG_SIM_REPS: the plain run alone. */
	if (njobs == 1 && jobs[0].point == PLAIN_POINT) {
		if (go)
			rep_samples_add_go(rs, bench_id, rep, go);
		return 0;
	}
	lo = jobs[0].priv;
	hi = jobs[1].priv;
	if (njobs != 3 || !lo || !hi)
		BUG("the simulation has three points");
	callgrind_samples(rs, bench_id, rep, go, &lo->counts, jobs[0].n, &hi->counts, jobs[1].n);
	ir = rep_samples_find(rs, "instructions:sim/op");
	if (!ir || ir->value < 1.0)
		return error_code(PG_EENV, "callgrind counted no instructions in the loop of '%s': "
				  "its body runs outside '%.*s' and its closure literals (a method "
				  "value or named function given to b.Run?); use --counters perf for it",
				  jobs[0].lf->name, (int)strcspn(jobs[0].lf->name, "/"),
				  jobs[0].lf->name);
	return 0;
}

const struct backend backend_callgrind = {
	.name = "callgrind",
	.artifact = "callgrind.out",
	.artifact_kind = "callgrind-out",
	.preflight = cg_preflight,
	.check_runner = cg_check_runner,
	.probe = cg_probe,
	.events = cg_events,
	.points = cg_points,
	.job_begin = cg_job_begin,
	.tool_failed = cg_tool_failed,
	.collect = cg_collect,
	.job_release = cg_job_release,
	.samples = cg_samples,
};
