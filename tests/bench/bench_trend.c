/*
 * How fast are histories at scale?  Generates a store of 10,000 commits,
 * each measured by one `perfgo run` run of 10 benchmarks x 2 metrics x 5
 * repetitions (1,000,000 samples; ns/op steps +20 % at commit 5,000 and
 * -10 % at 8,000 on 3 % noise), written in one transaction with SQLite
 * directly into a store perfgo created (schema and indexes as perfgo makes
 * them), in a private directory under /tmp.  Then times:
 *  - the history query of one benchmark and metric (50,000 samples), the
 *    sample query `perfgo history` runs (target < 50 ms);
 *  - the same with the analysis: medians, CIs, change points, prediction
 *    intervals and learned thresholds over 10,000 points, in first-parent
 *    order (what `perfgo history <bench>` computes);
 *  - cp_detect() alone on 10,000 medians (target < 1 s);
 *  - the (benchmark, metric) listing of the whole store.
 * Wall-clock times and, since this machine is often shared, the CPU time
 * of the process (CLOCK_PROCESS_CPUTIME_ID).  Prints SQLite's plan for the sample query and fails (exit 1) if it scans
 * the samples or runs instead of searching an index; it never fails on time,
 * only reports (DESIGN §9).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "analysis/trend.h"
#include "store/store_trend.h"
#include "stats.h"
#include "util/buf.h"
#include "util/strvec.h"
#include "util/usage.h"
#include "bench.h"

#define NCOMMITS 10000
#define NBENCH 10
#define NREPS 5

static const struct fingerprint fp = {
	.host = "bench", .cpu_model = "cpu", .cores = 2, .kernel = "6.1", .perf_version = "6.1",
	.go_version = "go1.19", .goos = "linux", .goarch = "amd64", .goamd64 = "v1",
	.gomaxprocs = 2,
};

/* CPU time of this process: what the work costs, whatever else the machine runs. */
static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double best_of(const double *c)
{
	double b = c[0];

	for (int k = 1; k < ROUNDS; k++)
		if (c[k] < b)
			b = c[k];
	return b;
}

static void must(int rc, sqlite3 *db, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "bench_trend: %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

static void generate(const char *dir, struct strvec *order)
{
	struct store *st = NULL;
	struct buf db_path = BUF_INIT;
	sqlite3 *db;
	sqlite3_stmt *commit, *run, *sample;
	struct rng r;
	int64_t fp_id, bench[NBENCH];

	if (store_open(&st, dir, 1) || store_fingerprint(st, &fp, &fp_id))
		exit(1);
	for (int b = 0; b < NBENCH; b++) {
		char name[32];

		snprintf(name, sizeof(name), "BenchmarkB%02d", b);
		if (store_benchmark_id(st, "example.com/big", name, &bench[b]))
			exit(1);
	}
	store_close(st);
	buf_addf(&db_path, "%s/perfgo.db", dir);
	must(sqlite3_open(db_path.buf, &db), db, "open");
	must(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), db, "begin");
	must(sqlite3_prepare_v2(db, "INSERT INTO commits (sha, parents, time, subject)"
				" VALUES (?1, ?2, ?3, ?4)", -1, &commit, NULL), db, "prepare");
	must(sqlite3_prepare_v2(db, "INSERT INTO runs (seq, id, started_ns, finished_ns, status,"
				" exit_code, command, commit_sha, dirty, fingerprint_id, config_json)"
				" VALUES (?1, ?2, ?3, ?3, 'ok', 0, 'run', ?4, 0, ?5, '{}')", -1,
				&run, NULL), db, "prepare");
	must(sqlite3_prepare_v2(db, "INSERT INTO samples (run_seq, benchmark_id, metric, unit, rep,"
				" iterations, value) VALUES (?1, ?2, ?3, ?4, ?5, 1000, ?6)", -1,
				&sample, NULL), db, "prepare");
	rng_seed(&r, 17);
	for (int c = 0; c < NCOMMITS; c++) {
		char sha[41], parent[41], id[33];
		double level = c >= 8000 ? 1.08 : c >= 5000 ? 1.2 : 1.0;

		snprintf(sha, sizeof(sha), "%040x", c + 1);
		snprintf(parent, sizeof(parent), "%040x", c);
		snprintf(id, sizeof(id), "%032x", c + 1);
		strvec_push(order, sha);
		sqlite3_reset(commit);
		sqlite3_bind_text(commit, 1, sha, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(commit, 2, c ? parent : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(commit, 3, 1700000000 + c);
		sqlite3_bind_text(commit, 4, "a commit", -1, SQLITE_STATIC);
		must(sqlite3_step(commit), db, "commit");
		sqlite3_reset(run);
		sqlite3_bind_int64(run, 1, c + 1);
		sqlite3_bind_text(run, 2, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(run, 3, (int64_t)c * 1000000000);
		sqlite3_bind_text(run, 4, sha, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(run, 5, fp_id);
		must(sqlite3_step(run), db, "run");
		for (int b = 0; b < NBENCH; b++)
			for (int m = 0; m < 2; m++)
				for (int k = 0; k < NREPS; k++) {
					sqlite3_reset(sample);
					sqlite3_bind_int64(sample, 1, c + 1);
					sqlite3_bind_int64(sample, 2, bench[b]);
					sqlite3_bind_text(sample, 3, m ? "allocs/op" : "ns/op", -1, SQLITE_STATIC);
					sqlite3_bind_text(sample, 4, m ? "allocs" : "ns", -1, SQLITE_STATIC);
					sqlite3_bind_int(sample, 5, k);
					sqlite3_bind_double(sample, 6, m ? 3.0 : 1000.0 * (b + 1) * level *
							    (1.0 + 0.03 * rng_normal(&r)));
					must(sqlite3_step(sample), db, "sample");
				}
	}
	sqlite3_finalize(commit);
	sqlite3_finalize(run);
	sqlite3_finalize(sample);
	must(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), db, "commit");
	sqlite3_close(db);
	buf_release(&db_path);
}

int main(void)
{
	char dir[] = "/tmp/perfgo-bench-trend.XXXXXX";
	struct strvec order = STRVEC_INIT;
	struct buf path = BUF_INIT, extra = BUF_INIT;
	struct store *st = NULL;
	struct trend_keys keys = TREND_KEYS_INIT;
	double t[ROUNDS], c[ROUNDS], t0, c0, *med = NULL;
	char *plan = NULL;
	size_t nchanges = 0, npoints = 0;
	int bad_plan;

	if (!mkdtemp(dir))
		return 1;
	buf_addf(&path, "%s/.perfgo", dir);
	t0 = bench_now();
	generate(path.buf, &order);
	printf("generated %d commits x %d benchmarks x 2 metrics x %d reps in %.1f s\n", NCOMMITS,
	       NBENCH, NREPS, bench_now() - t0);
	if (store_open(&st, path.buf, 0) || store_trend_plan(st, &plan))
		return 1;
	printf("plan of the history query:\n%s", plan);
	bad_plan = !strstr(plan, "COVERING INDEX samples_history_v") || strstr(plan, "SCAN s");

	for (int k = 0; k < ROUNDS; k++) {
		struct trend_samples l = TREND_SAMPLES_INIT;

		t0 = bench_now();
		c0 = cpu_now();
		if (store_trend_samples(st, 5, "ns/op", &l))
			return 1;
		t[k] = bench_now() - t0;
		c[k] = cpu_now() - c0;
		buf_reset(&extra);
		buf_addf(&extra, "%zu samples, cpu best %.2f ms", l.nr, best_of(c) * 1e3);
		trend_samples_release(&l);
	}
	bench_report("history query: 1 benchmark x 10,000 commits", t, extra.buf);

	for (int k = 0; k < ROUNDS; k++) {
		struct trend_samples l = TREND_SAMPLES_INIT;
		struct trend tr;

		t0 = bench_now();
		c0 = cpu_now();
		if (store_trend_samples(st, 5, "ns/op", &l) ||
		    trend_build(&tr, "p", "BenchmarkB04", "ns/op", &l, (const char *const *)order.v,
				order.nr))
			return 1;
		t[k] = bench_now() - t0;
		c[k] = cpu_now() - c0;
		npoints = tr.s[0].n;
		nchanges = tr.s[0].nchanges;
		if (!med) {
			med = xmalloc(npoints * sizeof(*med));
			for (size_t i = 0; i < npoints; i++)
				med[i] = tr.s[0].pts[i].median;
		}
		trend_release(&tr);
		trend_samples_release(&l);
	}
	buf_reset(&extra);
	buf_addf(&extra, "%zu points, %zu change points, cpu best %.2f ms", npoints, nchanges,
		 best_of(c) * 1e3);
	bench_report("history query + analysis (trend_build)", t, extra.buf);

	for (int k = 0; k < ROUNDS; k++) {
		struct cp_opts co = CP_OPTS_INIT;
		struct cp_result cr = CP_RESULT_INIT;

		t0 = bench_now();
		c0 = cpu_now();
		if (cp_detect(med, npoints, &co, &cr))
			return 1;
		t[k] = bench_now() - t0;
		c[k] = cpu_now() - c0;
		buf_reset(&extra);
		buf_addf(&extra, "%zu change points, cpu best %.2f ms", cr.nr, best_of(c) * 1e3);
		cp_result_release(&cr);
	}
	bench_report("cp_detect on 10,000 medians", t, extra.buf);

	for (int k = 0; k < ROUNDS; k++) {
		t0 = bench_now();
		if (store_trend_keys(st, NULL, &keys))
			return 1;
		t[k] = bench_now() - t0;
		buf_reset(&extra);
		buf_addf(&extra, "%zu pairs", keys.nr);
		trend_keys_release(&keys);
	}
	bench_report("(benchmark, metric) listing, 1,000,000 samples", t, extra.buf);

	store_close(st);
	free(plan);
	free(med);
	strvec_clear(&order);
	buf_release(&extra);
	buf_reset(&path);
	buf_addf(&path, "%s/.perfgo/perfgo.db", dir);
	unlink(path.buf);
	buf_reset(&path);
	buf_addf(&path, "%s/.perfgo/perfgo.db-wal", dir);
	unlink(path.buf);
	buf_reset(&path);
	buf_addf(&path, "%s/.perfgo/perfgo.db-shm", dir);
	unlink(path.buf);
	buf_reset(&path);
	buf_addf(&path, "%s/.perfgo", dir);
	rmdir(path.buf);
	rmdir(dir);
	buf_release(&path);
	if (bad_plan) {
		fprintf(stderr, "bench_trend: the history query does not search the samples_history "
			"index\n");
		return 1;
	}
	return 0;
}
