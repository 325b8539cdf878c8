/*
 * The result store's runs (fixtures: store_fixture.h): a run's lifecycle,
 * its samples stored and read back, run selectors (0, -<n>, id prefixes) and
 * the runs list.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common.h"
#include "util/buf.h"
#include "util/io.h"
#include "git/gitrev.h"
#include "util/sha256.h"
#include "store/store.h"
#include "util/usage.h"
#include "store_fixture.h"

/* Runs. */

static int is_run_id(const char *id)
{
	return strlen(id) == 32 && strspn(id, "0123456789abcdef") == 32;
}

static void test_run_lifecycle(void **state)
{
	struct tdir *t = *state;
	struct store *st = open_new(t);
	struct run_list l = RUN_LIST_INIT;
	struct run_info ri, ri2;
	struct run_row *r;

	memset(&ri, 0, sizeof(ri));
	ri.command = "test stat";
	ri.argv_json = "[\"perfgo\",\"test\",\"stat\"]";
	ri.workdir = "svc/api";
	ri.packages = NULL;
	ri.commit = "0123456789abcdef0123456789abcdef01234567";
	ri.branch = "main";
	ri.dirty = 5;
	ri.config_json = "{\"count\":10}";
	assert_int_equal(store_run_begin(st, &ri), 0);
	assert_true(is_run_id(ri.id));
	assert_true(ri.started_ns > 1600000000LL * 1000000000LL);

	assert_int_equal(store_list_runs(st, NULL, 0, &l), 0);
	assert_int_equal(l.nr, 1);
	r = &l.rows[0];
	assert_string_equal(r->id, ri.id);
	assert_int_equal(r->status, RUN_RUNNING);
	assert_int_equal(r->exit_code, -1);
	assert_int_equal(r->finished_ns, 0);
	assert_int_equal(r->started_ns, ri.started_ns);
	assert_string_equal(r->command, "test stat");
	assert_string_equal(r->argv_json, ri.argv_json);
	assert_string_equal(r->workdir, "svc/api");
	assert_null(r->packages);
	assert_string_equal(r->commit, ri.commit);
	assert_string_equal(r->branch, "main");
	assert_int_equal(r->dirty, 1);
	assert_string_equal(r->config_json, ri.config_json);
	assert_int_equal(r->fingerprint_id, 0);
	assert_int_equal(r->nbench, 0);
	run_list_release(&l);

	assert_int_equal(store_run_set_packages(st, ri.id, "example.com/m/a example.com/m/b"), 0);
	assert_int_equal(store_run_finish(st, ri.id, RUN_FAILED, 4, 1234567), 0);
	assert_int_equal(store_list_runs(st, NULL, 0, &l), 0);
	assert_int_equal(l.nr, 1);
	r = &l.rows[0];
	assert_string_equal(r->packages, "example.com/m/a example.com/m/b");
	assert_int_equal(r->status, RUN_FAILED);
	assert_int_equal(r->exit_code, 4);
	assert_int_equal(r->finished_ns, 1234567);
	run_list_release(&l);
	assert_int_equal(nmsg, 0);

	/* A second run gets a fresh id and lists first. */
	begin_run(st, &ri2, ".", NULL, 0);
	assert_true(is_run_id(ri2.id));
	assert_string_not_equal(ri.id, ri2.id);
	assert_int_equal(store_run_finish(st, ri2.id, RUN_INTERRUPTED, 130, 0), 0);
	assert_int_equal(store_list_runs(st, NULL, 0, &l), 0);
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.rows[0].id, ri2.id);
	assert_int_equal(l.rows[0].status, RUN_INTERRUPTED);
	assert_int_equal(l.rows[0].exit_code, 130);
	assert_true(l.rows[0].finished_ns >= ri2.started_ns);
	assert_string_equal(l.rows[1].id, ri.id);
	run_list_release(&l);

	/* Updating a run that does not exist is reported. */
	assert_int_equal(store_run_finish(st, "00000000000000000000000000000000",
					  RUN_OK, 0, 1), PG_EENV);
	assert_int_equal(nmsg, 1);
	assert_non_null(strstr(last_msg, "no run '00000000000000000000000000000000'"));
	assert_int_equal(store_run_set_packages(st, "nope", "x"), PG_EENV);
	assert_int_equal(nmsg, 2);

	assert_string_equal(run_status_name(RUN_RUNNING), "running");
	assert_string_equal(run_status_name(RUN_OK), "ok");
	assert_string_equal(run_status_name(RUN_FAILED), "failed");
	assert_string_equal(run_status_name(RUN_INTERRUPTED), "interrupted");
	store_close(st);
}

/* Samples. */

static void assert_sample(const struct sample_full *got, const char *package,
			  const char *bench, const struct sample_row *want)
{
	assert_string_equal(got->package, package);
	assert_string_equal(got->bench, bench);
	assert_string_equal(got->metric, want->metric);
	assert_string_equal(got->unit, want->unit);
	assert_int_equal(got->rep, want->rep);
	assert_true(got->iterations == want->iterations);
	/* Exact: the store must hand back the very doubles it was given. */
	assert_true(got->value == want->value);
	assert_true(got->running == want->running);
	assert_int_equal(got->flags, want->flags);
}

static void test_samples_roundtrip(void **state)
{
	struct tdir *t = *state;
	struct store *st = open_new(t);
	struct sample_list sl = SAMPLE_LIST_INIT;
	struct run_list l = RUN_LIST_INIT;
	const char *pkg = "example.com/m/pkg";
	int64_t a, b, a2, other;
	struct run_info ri;
	sqlite3 *db;

	assert_int_equal(store_benchmark_id(st, pkg, "BenchmarkA", &a), 0);
	assert_int_equal(store_benchmark_id(st, pkg, "BenchmarkB/size=10", &b), 0);
	assert_int_equal(store_benchmark_id(st, pkg, "BenchmarkA", &a2), 0);
	assert_int_equal(store_benchmark_id(st, "example.com/m/other", "BenchmarkA", &other), 0);
	assert_true(a != b);
	assert_true(a == a2);
	assert_true(other != a && other != b);
	begin_run(st, &ri, ".", pkg, 0);

	{
		/* Two jobs, deliberately not in (benchmark, metric) order. */
		const struct sample_row job1[] = {
			{ b, "ns/op", "ns", 0, 1ULL << 40, 0.1, 1.0, SAMPLE_GO },
			{ b, "IPC", "ratio", 0, 1ULL << 40, 1.0 / 3.0, 0.75,
			  SAMPLE_DERIVED | SAMPLE_MULTIPLEXED },
			{ b, "task-clock/op", "ms", 0, 1ULL << 40, 1e-300, 1.0, 0 },
		};
		const struct sample_row job2[] = {
			{ a, "ns/op", "ns", 1, 9223372036854775807ULL,
			  1.7976931348623157e308, 1.0, SAMPLE_GO },
			{ a, "B/op", "B", 1, 1, 123456789.0, 0.5, SAMPLE_GO },
			{ a, "x/op", "x", 1, 1, INFINITY, 0.0, 0 },
		};
		const struct sample_row dup[] = {
			{ a, "allocs/op", "count", 1, 1, 7.0, 1.0, 0 },
			{ b, "IPC", "ratio", 0, 1, 2.0, 1.0, 0 },
		};
		const struct sample_row no_bench[] = {
			{ 999999, "ns/op", "ns", 0, 1, 1.0, 1.0, 0 },
		};
		const struct sample_row nan[] = {
			{ a, "IPC", "ratio", 3, 1, NAN, 1.0, 0 },
		};

		assert_int_equal(store_add_samples(st, ri.id, job1, ARRAY_SIZE(job1)), 0);
		assert_int_equal(store_add_samples(st, ri.id, job2, ARRAY_SIZE(job2)), 0);
		assert_int_equal(store_add_samples(st, ri.id, NULL, 0), 0);
		assert_int_equal(nmsg, 0);

		assert_int_equal(store_run_samples(st, ri.id, &sl), 0);
		assert_int_equal(sl.nr, 6);
		for (size_t i = 0; i < 3; i++)
			assert_sample(&sl.rows[i], pkg, "BenchmarkB/size=10", &job1[i]);
		for (size_t i = 0; i < 3; i++)
			assert_sample(&sl.rows[3 + i], pkg, "BenchmarkA", &job2[i]);
		sample_list_release(&sl);

		/*
		 * A batch whose second row collides with a stored one fails as
		 * a whole: its first row must not be left behind.
		 */
		assert_int_equal(store_add_samples(st, ri.id, dup, ARRAY_SIZE(dup)), PG_EENV);
		assert_int_equal(nmsg, 1);
		assert_non_null(strstr(last_msg, "UNIQUE constraint failed"));
		/* Foreign keys are on: an unknown benchmark is refused. */
		assert_int_equal(store_add_samples(st, ri.id, no_bench, 1), PG_EENV);
		assert_int_equal(nmsg, 2);
		assert_non_null(strstr(last_msg, "FOREIGN KEY constraint failed"));
		assert_int_equal(store_add_samples(st, ri.id, nan, 1), PG_EENV);
		assert_int_equal(nmsg, 3);
		assert_int_equal(store_add_samples(st, "0123456789abcdef0123456789abcdef",
						   job1, 1), PG_EENV);
		assert_int_equal(nmsg, 4);
	}

	assert_int_equal(store_run_samples(st, ri.id, &sl), 0);
	assert_int_equal(sl.nr, 6);
	sample_list_release(&sl);
	db = raw_open(t);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM samples WHERE metric = 'allocs/op'",
				 NULL), 0);
	sqlite3_close(db);

	assert_int_equal(store_list_runs(st, NULL, 0, &l), 0);
	assert_int_equal(l.nr, 1);
	assert_int_equal(l.rows[0].nbench, 2);
	run_list_release(&l);

	/* An unknown run has no samples to give, silently. */
	capture_reset();
	assert_int_equal(store_run_samples(st, "ffffffffffffffffffffffffffffffff", &sl),
			 PG_ENOTFOUND);
	assert_int_equal(sl.nr, 0);
	assert_int_equal(nmsg, 0);
	store_close(st);
}

/* Selectors. */

#define ID_A "abc00000000000000000000000000001"
#define ID_B "ab100000000000000000000000000002"
#define ID_C "12345678900000000000000000000003"
#define ID_D "ffffffffffffffffffffffffffffffff"
#define ID_E "00000000000000000000000000000005"
#define ID_F "fedcba98765432100000000000000006"

static void expect_run(struct store *st, const char *sel, const char *id)
{
	struct run_row r;
	int ret = store_find_run(st, sel, &r, NULL);

	if (ret)
		fail_msg("selector '%s': %d, want run %s", sel, ret, id);
	if (strcmp(r.id, id))
		fail_msg("selector '%s': run %s, want %s", sel, r.id, id);
	run_row_release(&r);
}

static void expect_err(struct store *st, const char *sel, int err)
{
	struct run_row r;
	int ret = store_find_run(st, sel, &r, NULL);

	if (ret != err)
		fail_msg("selector '%s': %d, want %d", sel, ret, err);
	assert_null(r.id);
}

static void test_find_run(void **state)
{
	struct tdir *t = *state;
	struct store *st = open_new(t);
	struct run_list cand = RUN_LIST_INIT;
	struct run_row r;
	sqlite3 *db = raw_open(t);

	expect_err(st, "0", PG_ENOTFOUND);
	raw_insert_run(db, ID_A, 100);
	raw_insert_run(db, ID_B, 200);
	raw_insert_run(db, ID_C, 300);
	raw_insert_run(db, ID_D, 400);
	raw_insert_run(db, ID_E, 50);
	/* Same start as D but inserted later: it is the newer one. */
	raw_insert_run(db, ID_F, 400);
	sqlite3_close(db);

	expect_run(st, "0", ID_F);
	expect_run(st, "-0", ID_F);
	expect_run(st, "-1", ID_D);
	expect_run(st, "-2", ID_C);
	expect_run(st, "-5", ID_E);
	expect_err(st, "-6", PG_ENOTFOUND);
	expect_err(st, "-99999999999999999999999999", PG_ENOTFOUND);

	expect_run(st, "abc", ID_A);
	expect_run(st, "ABC0", ID_A);
	expect_run(st, "aB1", ID_B);
	expect_run(st, "fF", ID_D);
	expect_run(st, ID_D, ID_D);
	expect_run(st, "fed", ID_F);
	/* All digits but not "0": a hex prefix, not an index. */
	expect_run(st, "123", ID_C);
	expect_run(st, "1", ID_C);
	expect_run(st, "00", ID_E);
	expect_err(st, "9", PG_ENOTFOUND);
	expect_err(st, "ab2", PG_ENOTFOUND);
	expect_err(st, ID_D "f", PG_ENOTFOUND);

	expect_err(st, "", PG_EUSAGE);
	expect_err(st, "-", PG_EUSAGE);
	expect_err(st, "-1x", PG_EUSAGE);
	expect_err(st, "+1", PG_EUSAGE);
	expect_err(st, "0x12", PG_EUSAGE);
	expect_err(st, "g", PG_EUSAGE);
	expect_err(st, "ab%", PG_EUSAGE);
	expect_err(st, "ab_", PG_EUSAGE);
	expect_err(st, "ab cd", PG_EUSAGE);

	/* Ambiguous: every candidate, newest first. */
	assert_int_equal(store_find_run(st, "ab", &r, &cand), PG_EAMBIGUOUS);
	assert_null(r.id);
	assert_int_equal(cand.nr, 2);
	assert_string_equal(cand.rows[0].id, ID_B);
	assert_string_equal(cand.rows[1].id, ID_A);
	assert_int_equal(cand.rows[0].status, RUN_OK);
	run_list_release(&cand);
	assert_int_equal(store_find_run(st, "f", &r, &cand), PG_EAMBIGUOUS);
	assert_int_equal(cand.nr, 2);
	assert_string_equal(cand.rows[0].id, ID_F);
	assert_string_equal(cand.rows[1].id, ID_D);
	run_list_release(&cand);
	expect_err(st, "ab", PG_EAMBIGUOUS);

	assert_int_equal(nmsg, 0);
	store_close(st);
}

static void expect_list(struct store *st, const char *path, int limit,
			const char *const *ids, size_t n)
{
	struct run_list l = RUN_LIST_INIT;

	assert_int_equal(store_list_runs(st, path, limit, &l), 0);
	if (l.nr != n)
		fail_msg("list '%s' limit %d: %zu runs, want %zu",
			 path ? path : "(null)", limit, l.nr, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(l.rows[i].id, ids[i]);
	run_list_release(&l);
}

static void test_list_runs(void **state)
{
	struct tdir *t = *state;
	struct store *st = open_new(t);
	struct run_info r1, r2, r3, r4;

	begin_run(st, &r1, "svc/a", "example.com/m/svc/a", 1000);
	begin_run(st, &r2, ".", "example.com/m/pkg/b example.com/m/pkg/c", 2000);
	begin_run(st, &r3, "pkg/100%_done", NULL, 3000);
	begin_run(st, &r4, "svc/b", "example.com/m/svc/b", 4000);
	{
		const char *all[] = { r4.id, r3.id, r2.id, r1.id };
		const char *svc[] = { r4.id, r1.id };
		const char *pkg_c[] = { r2.id };
		const char *pct[] = { r3.id };
		const char *pkg[] = { r3.id, r2.id };

		expect_list(st, NULL, 0, all, 4);
		expect_list(st, NULL, -1, all, 4);
		expect_list(st, NULL, 2, all, 2);
		expect_list(st, NULL, 10, all, 4);
		expect_list(st, "svc", 0, svc, 2);
		expect_list(st, "svc", 1, svc, 1);
		expect_list(st, "pkg/c", 0, pkg_c, 1);
		expect_list(st, "pkg", 0, pkg, 2);
		/* LIKE wildcards in the path are plain characters. */
		expect_list(st, "%", 0, pct, 1);
		expect_list(st, "_", 0, pct, 1);
		expect_list(st, "100%_", 0, pct, 1);
		expect_list(st, "svc%", 0, NULL, 0);
		expect_list(st, "nomatch", 0, NULL, 0);
	}
	assert_int_equal(nmsg, 0);
	store_close(st);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown_dir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_run_lifecycle),
		T(test_samples_roundtrip),
		T(test_find_run),
		T(test_list_runs),
	};

	return cmocka_run_group_tests_name("store_runs", tests, NULL, NULL);
}
