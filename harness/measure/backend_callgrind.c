/*
 * The simulation backend: callgrind's counts with the two-point
 * differential, and a plain run for Go's own metrics; see
 * backend_callgrind.h for the method and backend.h for the operations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/compare.h"
#include "collect/callgrind.h"
#include "collect/gobench.h"
#include "measure/backend.h"
#include "measure/backend_callgrind.h"
#include "measure/measure.h"
#include "measure/samples.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/io.h"
#include "util/parse.h"
#include "util/proc.h"
#include "util/strvec.h"
#include "util/usage.h"
#include "util/banned.h"

/* The plain run, the repetition's first process (its time sets the cap of the others). */
#define PLAIN_POINT 2
/* Deeper sub-benchmarks would need 2^depth patterns. */
#define MAX_DEPTH 3

/* One callgrind process. */
struct cg_job {
	struct buf name;           /* its out file's name, in the runner's scratch */
	struct buf out;            /* where callgrind writes, on the runner */
	struct buf local_out;      /* where it is fetched to */
	struct cg_result counts;
	int64_t start_ns;          /* when it was started */
	uint64_t cap_s;            /* its wall-clock cap */
};

static unsigned job_seq;           /* names each simulated process's out file */

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
	static const char *const timeout_version[] = { "timeout", "--version", NULL };
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
	/* timeout(1) caps each simulated process (coreutils: everywhere valgrind is). */
	code = r->ops->query(r, timeout_version, &v);
	buf_reset(&v);
	if (code < 0) {
		buf_release(&out);
		return code;
	}
	if (code) {
		buf_release(&out);
		return error_code(PG_EENV, "'timeout' (coreutils) not found%s%s: the simulation "
				  "needs it to cap valgrind's time", r->dest ? " on " : "",
				  r->dest ? r->dest : "");
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
 * N plain, then S/2 and S simulated; S = max(4, min(N, 64), N / 50) (S/2
 * at least 2: with -benchtime=1x Go reports its b.N=1 run and never calls
 * launch; backend_callgrind.h, "Parts").  Only the first CG_SIM_REPS
 * repetitions simulate, CG_SIM_RECOUNT more while they do not repeat
 * (count_reps); every one has its plain run, so ns/op keeps the
 * repetitions its own test needs.  The plain run comes first: its time
 * sets the simulation's cap, and it has run when valgrind fails.
 */
static size_t cg_points(uint64_t n, int count, uint64_t out[BACKEND_MAX_POINTS],
			int kind[BACKEND_MAX_POINTS])
{
	uint64_t s = n < 64 ? n : 64;

	out[0] = n;
	kind[0] = PLAIN_POINT;
	if (!count)
		return 1;
	kind[1] = 0;
	kind[2] = 1;
	if (n / 50 > s)
		s = n / 50;
	if (s < 4)
		s = 4;
	out[1] = s / 2;
	out[2] = s;
	return 3;
}

/* A leaf valgrind could not run: the plain run alone. */
static size_t cg_uncounted_points(uint64_t n, int count, uint64_t out[BACKEND_MAX_POINTS],
				  int kind[BACKEND_MAX_POINTS])
{
	(void)count;
	out[0] = n;
	kind[0] = PLAIN_POINT;
	return 1;
}

uint64_t callgrind_cap_override(void)
{
	const char *env = getenv("PERFGO_SIM_TIMEOUT");
	uint64_t cap;

	return env && *env && !parse_u64(env, &cap) ? cap : 0;
}

uint64_t callgrind_cap(int64_t plain_ns)
{
	uint64_t cap = callgrind_cap_override();

	if (cap)
		return cap;
	/* In milliseconds first: no overflow below 10^5 s of plain run. */
	cap = plain_ns > 0 ? (uint64_t)plain_ns / 1000000u * CG_CAP_FACTOR / 1000u + 1 : 0;
	return cap > CG_CAP_MIN_S ? cap : CG_CAP_MIN_S;
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
	const struct backend_job *prev;
	struct cg_job *cj;

	if (bj->lf->procs != 1)
		return error_code(PG_EUSAGE, "the simulation (--counters sim) runs with "
				  "GOMAXPROCS=1: drop '-cpu=%d' or use --counters perf", bj->lf->procs);
	if (bj->point == PLAIN_POINT)
		return 0;          /* the plain run: Go's own metrics */
	cj = xcalloc(1, sizeof(*cj));
	bj->priv = cj;
	buf_init(&cj->name);
	buf_init(&cj->out);
	buf_init(&cj->local_out);
	/* A name of its own: a failed job's parts never mix with the next one's. */
	buf_addf(&cj->name, "cg-%u.callgrind", ++job_seq);
	buf_addf(&cj->out, "%s/%s", r->scratch, cj->name.buf);
	buf_addf(&cj->local_out, "%s/%s", r->local_scratch, cj->name.buf);
	/* The cap: from the repetition's plain run (PERFGO_SIM_TIMEOUT overrides). */
	for (prev = bj->prev; prev && prev->point != PLAIN_POINT; prev = prev->prev)
		;
	cj->cap_s = callgrind_cap(prev ? prev->elapsed_ns : 0);
	cj->start_ns = clock_mono_ns();
	strvec_pushl(&job->env, "GOMAXPROCS=1", "GODEBUG=asyncpreemptoff=1", NULL);
	/* TERM at the cap (Go and valgrind die of it), KILL 10 s later. */
	strvec_pushl(&job->argv, "timeout", "--foreground", "-k", "10", NULL);
	strvec_pushf(&job->argv, "%llu", (unsigned long long)cj->cap_s);
	strvec_pushl(&job->argv, "valgrind", "--tool=callgrind", "-q", "--cache-sim=yes",
		     "--branch-sim=yes", CALLGRIND_GEOMETRY, NULL);
	strvec_pushf(&job->argv, "--callgrind-out-file=%s", cj->out.buf);
	strvec_push(&job->argv, "--dump-before=" CG_DUMP_BEFORE);
	return callgrind_toggles(bj->pl->pkg->import_path, bj->pl->pkg->name, bj->lf->name,
				 &job->argv);
}

/* The line of `s` holding `at`, trimmed of spaces; "" if at is NULL. */
static void line_at(struct buf *out, const char *s, const char *at)
{
	const char *b, *e;

	if (!at)
		return;
	for (b = at; b > s && b[-1] != '\n'; b--)
		;
	e = at + strcspn(at, "\n");
	while (b < e && (*b == ' ' || *b == '\t'))
		b++;
	while (e > b && (e[-1] == ' ' || e[-1] == '\r'))
		e--;
	buf_add(out, b, (size_t)(e - b));
}

/* Go's crash report: the instruction's first bytes and the function it is in. */
static void sigill_where(struct buf *why, const char *err)
{
	const char *bytes = strstr(err, "instruction bytes: "), *run = strstr(err, "[running]:\n");

	buf_addstr(why, "valgrind: unsupported instruction");
	if (bytes) {
		const char *p = bytes + strlen("instruction bytes: ");
		size_t len = 0;

		/* Eight bytes ("0xf 0x38 0xc8 ..."): enough to name the instruction. */
		for (int words = 0; p[len] && p[len] != '\n' && words < 8; len++)
			words += p[len] == ' ';
		buf_addf(why, " (bytes %.*s...)", (int)(len && p[len - 1] == ' ' ? len - 1 : len), p);
	}
	if (run) {
		const char *fn = run + strlen("[running]:\n");

		buf_addf(why, " in %.*s", (int)strcspn(fn, "(\n"), fn);
	}
}

int callgrind_failure(int status, const char *err, int timed_out, uint64_t cap_s,
		      struct buf *why)
{
	const char *vex, *vg, *internal;

	if (!status)
		return 0;
	if (timed_out) {
		buf_addf(why, "simulation timed out after %llu s", (unsigned long long)cap_s);
		return BACKEND_ESKIP;
	}
	/* valgrind's own complaints ("valgrind: Bad option ..."): not the benchmark's. */
	vg = starts_with(err, "valgrind: ") ? err : strstr(err, "\nvalgrind: ");
	if (vg && !strstr(err, "SIGILL")) {
		struct buf line = BUF_INIT;
		int ret;

		line_at(&line, err, vg + (*vg == '\n'));
		ret = error_code(PG_EENV, "valgrind failed to run: %s", line.buf);
		buf_release(&line);
		return ret;
	}
	vex = strstr(err, "unhandled instruction");
	if (vex || strstr(err, "SIGILL: illegal instruction")) {
		sigill_where(why, err);
		return BACKEND_ESKIP;
	}
	internal = strstr(err, "the 'impossible' happened");
	if (!internal)
		internal = strstr(err, "VALGRIND INTERNAL ERROR");
	if (internal) {
		buf_addstr(why, "valgrind: internal error: ");
		line_at(why, err, internal);
		return BACKEND_ESKIP;
	}
	/* The plain run passed: under the simulation it failed. */
	buf_addf(why, "valgrind: the benchmark failed under the simulation (%s %d)",
		 status > 128 ? "signal" : "exit", status > 128 ? status - 128 : status);
	return BACKEND_ESKIP;
}

/* A simulated process failed: valgrind itself (PG_EENV), or it could not run this leaf. */
static int cg_tool_failed(struct backend_job *bj, int status, const char *err)
{
	struct cg_job *cj = bj->priv;
	struct buf why = BUF_INIT;
	int timed_out, ret;

	if (bj->point == PLAIN_POINT || !status || !cj)
		return 0;
	/* timeout(1) says 124 (TERM did it) or 137 (KILL): check the clock too. */
	timed_out = (status == 124 || status == 137) &&
		clock_mono_ns() - cj->start_ns >= (int64_t)cj->cap_s * 1000000000 - 100000000;
	ret = callgrind_failure(status, err, timed_out, cj->cap_s, &why);
	/* Parts of it are the benchmark's output: no control characters in reports. */
	for (size_t i = 0; i < why.len; i++)
		if ((unsigned char)why.buf[i] < ' ' || why.buf[i] == 0x7f)
			why.buf[i] = '?';
	if (ret == BACKEND_ESKIP)
		bj->why = buf_detach(&why);
	buf_release(&why);
	return ret;
}

/*
 * The parts callgrind wrote for `cj` (backend_callgrind.h, "Parts"), in
 * the order it wrote them: <name>.1, <name>.2, ..., then <name> itself.
 */
static int list_parts(struct runner *r, const struct cg_job *cj, struct strvec *parts)
{
	const char *ls[] = { "ls", "-1", "--", r->scratch, NULL };
	struct buf out = BUF_INIT;
	uint64_t max = 0, k;
	int ret = r->ops->query(r, ls, &out);

	if (ret > 0)
		ret = error_code(PG_EENV, "cannot list '%s' on the runner", r->scratch);
	for (char *line = out.buf, *nl; !ret && line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		if (!strncmp(line, cj->name.buf, cj->name.len) && line[cj->name.len] == '.' &&
		    !parse_u64(line + cj->name.len + 1, &k) && k > max && k <= CG_MAX_PARTS)
			max = k;
	}
	for (k = 1; !ret && k <= max; k++)
		strvec_pushf(parts, "%s.%llu", cj->name.buf, (unsigned long long)k);
	if (!ret)
		strvec_push(parts, cj->name.buf);
	buf_release(&out);
	return ret;
}

/* Fetch and parse one part into `res`, its text into `text`. */
static int read_part(struct backend_job *bj, const char *part, struct cg_result *res,
		     struct buf *text)
{
	struct runner *r = bj->mc->runner;
	struct buf remote = BUF_INIT, local = BUF_INIT;
	int ret;

	buf_addf(&remote, "%s/%s", r->scratch, part);
	buf_addf(&local, "%s/%s", r->local_scratch, part);
	ret = r->ops->fetch(r, remote.buf, local.buf);
	buf_reset(text);
	if (!ret && buf_read_file(text, local.buf, 16 << 20) < 0)
		ret = PG_ENOTFOUND;
	if (ret && ret != PG_EINTR && ret != PG_EENV)
		ret = error_code(PG_EENV, "callgrind wrote no counts for '%s'", bj->lf->name);
	if (!ret)
		ret = cg_parse(text->buf, text->len, "callgrind output", res);
	if (ret == PG_EPARSE)
		ret = PG_EENV;
	unlink(local.buf);
	buf_release(&remote);
	buf_release(&local);
	return ret;
}

/* Add the counts of `part` to `sum` (the same events, in the same order). */
static int add_part(struct cg_result *sum, const struct cg_result *part, const char *bench)
{
	if (part->nr != sum->nr)
		return error_code(PG_EENV, "callgrind's parts for '%s' count different events",
				  bench);
	for (size_t i = 0; i < sum->nr; i++) {
		if (strcmp(part->event[i], sum->event[i]))
			return error_code(PG_EENV, "callgrind's parts for '%s' count different "
					  "events", bench);
		sum->count[i] += part->count[i];
	}
	return 0;
}

/*
 * The counts of the benchmark's main run: every part after the first
 * (which holds start-up and Go's b.N=1 run), summed; the whole file when
 * callgrind wrote no parts (backend_callgrind.h, "Parts").
 */
static int cg_collect(struct backend_job *bj)
{
	struct cg_job *cj = bj->priv;
	struct strvec parts = STRVEC_INIT;
	struct cg_result part = CG_RESULT_INIT;
	struct buf text = BUF_INIT, raw = BUF_INIT;
	size_t i;
	int ret;

	if (!cj)
		return 0;          /* the plain run */
	ret = list_parts(bj->mc->runner, cj, &parts);
	for (i = parts.nr > 1 ? 1 : 0; !ret && i < parts.nr; i++) {
		struct cg_result *into = cj->counts.nr ? &part : &cj->counts;

		ret = read_part(bj, parts.v[i], into, &text);
		if (!ret && into == &part)
			ret = add_part(&cj->counts, &part, bj->lf->name);
		cg_result_release(&part);
		buf_add(&raw, text.buf, text.len);
	}
	if (!ret)
		ret = measure_save_raw(bj->mc, raw.buf, raw.len);
	strvec_clear(&parts);
	buf_release(&text);
	buf_release(&raw);
	return ret;
}

static void cg_job_release(struct backend_job *bj)
{
	struct cg_job *cj = bj->priv;

	if (!cj)
		return;
	buf_release(&cj->name);
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
	uint64_t ir = 0;

	/* A repetition that does not simulate, or of a leaf valgrind cannot run: the plain run alone. */
	if (njobs == 1 && jobs[0].point == PLAIN_POINT) {
		if (go)
			rep_samples_add_go(rs, bench_id, rep, go);
		return 0;
	}
	if (njobs != 3 || jobs[0].point != PLAIN_POINT || !jobs[1].priv || !jobs[2].priv)
		BUG("the simulation has three points, the plain run first");
	lo = jobs[1].priv;
	hi = jobs[2].priv;
	callgrind_samples(rs, bench_id, rep, go, &lo->counts, jobs[1].n, &hi->counts, jobs[2].n);
	/*
	 * Nothing collected in S iterations: the toggle matched no frame.  (A
	 * per-op count below 1, even negative, is the differential's noise:
	 * stored, and compare says so.)
	 */
	if (cg_count(&hi->counts, "Ir", &ir) || !ir)
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
	.uncounted_points = cg_uncounted_points,
	.count_reps = CG_SIM_REPS,
	.recount_reps = CG_SIM_RECOUNT,
	.repeat_limit = COMPARE_SIM_SPREAD,
	.go_first = 1,
	.job_begin = cg_job_begin,
	.tool_failed = cg_tool_failed,
	.collect = cg_collect,
	.job_release = cg_job_release,
	.samples = cg_samples,
};
