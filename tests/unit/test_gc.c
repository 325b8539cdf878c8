/*
 * `perfgo gc`: the selection (analysis/gc_plan.c, a pure function over run
 * rows) and the store's part (store/store_gc.c) on a real SQLite file in a
 * mkdtemp directory: which rows and directories go, what history needs,
 * comparisons kept or removed together, a dry run changing nothing, and
 * the state a gc killed after its commit leaves (rows gone, directory
 * left), which the next gc finishes.  The .perfgo/.gitignore is checked
 * here too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common.h"
#include "analysis/gc_plan.h"
#include "store/store.h"
#include "store/store_gc.h"
#include "util/buf.h"
#include "util/usage.h"

/* The selection. */

/* Runs seq 1..n started at seq seconds, none running or needed. */
static void runs_make(struct gc_run *r, size_t n)
{
	memset(r, 0, n * sizeof(*r));
	for (size_t i = 0; i < n; i++) {
		r[i].seq = (int64_t)i + 1;
		r[i].started_ns = ((int64_t)i + 1) * 1000000000;
		r[i].keep = GC_KEPT_LIMIT + 99;    /* gc_plan() must set every one */
	}
}

static void test_plan_keep_newest(void **state)
{
	struct gc_run r[6];
	struct gc_policy p = { 0, 2, 0 };

	(void)state;
	runs_make(r, 6);
	assert_int_equal(gc_plan(r, 6, NULL, 0, &p), 4);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(r[i].keep, i >= 4 ? GC_KEPT_LIMIT : GC_REMOVE);
	p.keep = 0;
	assert_int_equal(gc_plan(r, 6, NULL, 0, &p), 6);
	p.keep = 100;
	assert_int_equal(gc_plan(r, 6, NULL, 0, &p), 0);
	assert_int_equal(gc_plan(r, 0, NULL, 0, &p), 0);
}

static void test_plan_age_and_count(void **state)
{
	struct gc_run r[6];
	struct gc_policy p = { 3500000000, -1, 0 };   /* before 3.5 s: seq 1..3 */

	(void)state;
	runs_make(r, 6);
	assert_int_equal(gc_plan(r, 6, NULL, 0, &p), 3);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(r[i].keep, i < 3 ? GC_REMOVE : GC_KEPT_LIMIT);
	/* Both limits: a run goes only when both say so. */
	p.keep = 4;                                   /* protects seq 3..6 */
	assert_int_equal(gc_plan(r, 6, NULL, 0, &p), 2);
	assert_int_equal(r[2].keep, GC_KEPT_LIMIT);
	assert_int_equal(r[1].keep, GC_REMOVE);
}

static void test_plan_history_and_running(void **state)
{
	struct gc_run r[5];
	struct gc_policy p = { 0, 0, 0 };

	(void)state;
	runs_make(r, 5);
	r[0].history = 1;
	r[3].history = 1;
	r[1].running = 1;
	assert_int_equal(gc_plan(r, 5, NULL, 0, &p), 2);
	assert_int_equal(r[0].keep, GC_KEPT_HISTORY);
	assert_int_equal(r[3].keep, GC_KEPT_HISTORY);
	assert_int_equal(r[1].keep, GC_KEPT_RUNNING);
	assert_int_equal(r[2].keep, GC_REMOVE);
	assert_int_equal(r[4].keep, GC_REMOVE);
	/* --include-history; a run marked running goes once an age cutoff covers it. */
	p.history = 1;
	p.before_ns = 2500000000;
	assert_int_equal(gc_plan(r, 5, NULL, 0, &p), 2);
	assert_int_equal(r[0].keep, GC_REMOVE);
	assert_int_equal(r[1].keep, GC_REMOVE);
	assert_int_equal(r[3].keep, GC_KEPT_LIMIT);
}

static void test_plan_comparisons(void **state)
{
	struct gc_run r[9];
	/* 7 compares 2 and 5; 8 compares 5 and 3 (5 reused); 9 compares 1 and 4. */
	const struct gc_link links[] = {
		{ 7, 2 }, { 7, 5 }, { 8, 5 }, { 8, 3 }, { 9, 1 }, { 9, 4 },
		{ 42, 1 }, { 9, 43 },                     /* unknown runs: ignored */
	};
	struct gc_policy p = { 0, 0, 0 };

	(void)state;
	runs_make(r, 9);
	r[6].history = 1;                             /* comparison 7 is kept */
	assert_int_equal(gc_plan(r, 9, links, ARRAY_SIZE(links), &p), 4);
	assert_int_equal(r[6].keep, GC_KEPT_HISTORY);
	/* Kept with it: its sides, and through run 5, comparison 8 and its run 3. */
	assert_int_equal(r[1].keep, GC_KEPT_LINKED);
	assert_int_equal(r[4].keep, GC_KEPT_LINKED);
	assert_int_equal(r[7].keep, GC_KEPT_LINKED);
	assert_int_equal(r[2].keep, GC_KEPT_LINKED);
	/* The group of 9 goes whole, and the unlinked run 6. */
	assert_int_equal(r[8].keep, GC_REMOVE);
	assert_int_equal(r[0].keep, GC_REMOVE);
	assert_int_equal(r[3].keep, GC_REMOVE);
	assert_int_equal(r[5].keep, GC_REMOVE);
	/* A measured run kept by the count keeps its comparison too. */
	r[6].history = 0;
	p.keep = 1;                                   /* run 9 */
	assert_int_equal(gc_plan(r, 9, links, ARRAY_SIZE(links), &p), 6);
	assert_int_equal(r[0].keep, GC_KEPT_LINKED);
	assert_int_equal(r[3].keep, GC_KEPT_LINKED);
}

static void test_plan_any_order(void **state)
{
	struct gc_run r[4];
	struct gc_policy p = { 0, 2, 0 };

	(void)state;
	runs_make(r, 4);
	r[0].seq = 40;
	r[1].seq = 10;
	r[2].seq = 30;
	r[3].seq = 20;
	assert_int_equal(gc_plan(r, 4, NULL, 0, &p), 2);
	assert_int_equal(r[0].keep, GC_KEPT_LIMIT);
	assert_int_equal(r[2].keep, GC_KEPT_LIMIT);
	assert_int_equal(r[1].keep, GC_REMOVE);
	assert_int_equal(r[3].keep, GC_REMOVE);
}

/* The store. */

static const struct fingerprint fp = {
	.host = "box1", .cpu_model = "cpu", .cores = 2, .kernel = "6.1",
	.perf_version = "6.1", .go_version = "go1.19", .goos = "linux",
	.goarch = "amd64", .goamd64 = "v1", .gomaxprocs = 2, .paranoid = 2,
	.aslr = "2", .smt = "on",
};

static const char sha[] = "0123456789abcdef0123456789abcdef01234567";

struct fixture {
	char root[1024], dir[1100];
	struct store *st;
	int64_t fp_id, bench_x, bench_y;
};

static void write_file(const char *path, size_t size)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	for (size_t i = 0; i < size; i++)
		fputc('x', f);
	fclose(f);
}

/* A run of `command` with one sample of `bench` and a 100-byte file. */
static void add_run_cfg(struct fixture *fx, struct run_info *ri, const char *command, int dirty,
			int64_t bench, enum run_status status, const char *config)
{
	struct buf path = BUF_INIT;
	struct sample_row s = { bench, "allocs/op", "count", 0, 1, 1.0, 1.0, SAMPLE_GO };

	memset(ri, 0, sizeof(*ri));
	ri->command = command;
	ri->commit = sha;
	ri->dirty = dirty;
	ri->fingerprint_id = fx->fp_id;
	ri->config_json = config;
	assert_int_equal(store_run_begin(fx->st, ri), 0);
	assert_int_equal(store_add_samples(fx->st, ri->id, &s, 1), 0);
	assert_int_equal(store_add_event(fx->st, ri->id, "task-clock", EVENT_COUNTED), 0);
	buf_addf(&path, "%s/runs/%s", fx->dir, ri->id);
	assert_int_equal(mkdir(path.buf, 0755), 0);
	buf_addstr(&path, "/stdout");
	write_file(path.buf, 100);
	buf_reset(&path);
	buf_addf(&path, "runs/%s/stdout", ri->id);
	assert_int_equal(store_add_artifact(fx->st, ri->id, "stdout", path.buf, 100, NULL), 0);
	if (status != RUN_RUNNING)
		assert_int_equal(store_run_finish(fx->st, ri->id, status, 0, 0), 0);
	buf_release(&path);
}

static void add_run(struct fixture *fx, struct run_info *ri, const char *command, int dirty,
		    int64_t bench, enum run_status status)
{
	add_run_cfg(fx, ri, command, dirty, bench, status, "{}");
}

static int run_dir_exists(const struct fixture *fx, const char *id)
{
	struct buf path = BUF_INIT;
	struct stat sb;
	int ok;

	buf_addf(&path, "%s/runs/%s", fx->dir, id);
	ok = !stat(path.buf, &sb);
	buf_release(&path);
	return ok;
}

static int64_t raw_count(const struct fixture *fx, const char *sql)
{
	struct buf db = BUF_INIT;
	sqlite3 *h = NULL;
	sqlite3_stmt *stmt = NULL;
	int64_t v;

	buf_addf(&db, "%s/perfgo.db", fx->dir);
	assert_int_equal(sqlite3_open_v2(db.buf, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(h, 10000);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(h);
	buf_release(&db);
	return v;
}

static int gone_has(const struct gc_result *res, const char *id)
{
	for (size_t i = 0; i < res->ngone; i++)
		if (!strcmp(res->gone[i].id, id))
			return 1;
	return 0;
}

static void test_store_gc(void **state)
{
	struct fixture fx;
	struct run_info old_x, other_cfg, new_x, only_y, dirty, running, base, head, cmp;
	struct gc_policy p = { 0, 0, 0 };
	struct gc_result res;
	struct buf path = BUF_INIT;
	const char *orphan = "00000000000000000000000000000000";
	FILE *f;
	char line[16] = "";

	(void)state;
	memset(&fx, 0, sizeof(fx));
	assert_int_equal(tmpdir_make(fx.root, sizeof(fx.root), "test_gc"), 0);
	snprintf(fx.dir, sizeof(fx.dir), "%s/.perfgo", fx.root);
	capture_start();
	assert_int_equal(store_open(&fx.st, fx.dir, 1), 0);

	/* The store keeps itself out of `git status`, and says so again when opened to write. */
	buf_addf(&path, "%s/.gitignore", fx.dir);
	f = fopen(path.buf, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	assert_string_equal(line, "*\n");
	assert_int_equal(unlink(path.buf), 0);
	store_close(fx.st);
	assert_int_equal(store_open(&fx.st, fx.dir, 0), 0);   /* readers write nothing */
	assert_int_not_equal(access(path.buf, F_OK), 0);
	store_close(fx.st);
	assert_int_equal(store_open(&fx.st, fx.dir, 1), 0);
	assert_int_equal(access(path.buf, F_OK), 0);

	assert_int_equal(store_fingerprint(fx.st, &fp, &fx.fp_id), 0);
	assert_int_equal(store_benchmark_id(fx.st, "p", "BenchmarkX", &fx.bench_x), 0);
	assert_int_equal(store_benchmark_id(fx.st, "p", "BenchmarkY", &fx.bench_y), 0);
	/* History shows new_x for X and only_y for Y: the newest run of each. */
	/* other_cfg is what `run` and `bisect --reuse` find for its configuration. */
	add_run(&fx, &old_x, "run", 0, fx.bench_x, RUN_OK);
	add_run_cfg(&fx, &other_cfg, "run", 0, fx.bench_x, RUN_OK, "{\"count\":5}");
	add_run(&fx, &new_x, "run", 0, fx.bench_x, RUN_OK);
	add_run(&fx, &only_y, "run", 0, fx.bench_y, RUN_OK);
	add_run(&fx, &dirty, "run", 1, fx.bench_y, RUN_OK);
	add_run(&fx, &base, "compare base", 0, fx.bench_x, RUN_OK);
	add_run(&fx, &head, "compare head", 0, fx.bench_x, RUN_OK);
	add_run(&fx, &cmp, "compare", 0, fx.bench_x, RUN_OK);
	assert_int_equal(store_add_comparison(fx.st, cmp.id, base.id, head.id), 0);
	add_run(&fx, &running, "run", 0, fx.bench_x, RUN_RUNNING);
	buf_reset(&path);
	buf_addf(&path, "%s/runs/%s", fx.dir, orphan);
	assert_int_equal(mkdir(path.buf, 0755), 0);
	buf_addstr(&path, "/x");
	write_file(path.buf, 7);
	buf_reset(&path);
	buf_addf(&path, "%s/runs/keep-me", fx.dir);
	assert_int_equal(mkdir(path.buf, 0755), 0);

	/* A dry run lists and counts, and changes nothing. */
	assert_int_equal(store_gc(fx.st, &p, 1, &res), 0);
	assert_int_equal(res.nruns, 9);
	assert_int_equal(res.ngone, 5);
	assert_true(gone_has(&res, old_x.id) && gone_has(&res, dirty.id) && gone_has(&res, cmp.id) &&
		    gone_has(&res, base.id) && gone_has(&res, head.id));
	assert_int_equal(res.kept[GC_KEPT_HISTORY], 3);
	assert_int_equal(res.kept[GC_KEPT_RUNNING], 1);
	assert_int_equal(res.dirs, 6);
	assert_int_equal(res.orphans, 1);
	assert_int_equal(res.files, 6);
	assert_int_equal(res.bytes, 507);
	assert_int_equal(res.vacuumed, 0);
	gc_result_release(&res);
	assert_int_equal(raw_count(&fx, "SELECT count(*) FROM runs"), 9);
	assert_true(run_dir_exists(&fx, orphan) && run_dir_exists(&fx, old_x.id));

	assert_int_equal(store_gc(fx.st, &p, 0, &res), 0);
	assert_int_equal(res.ngone, 5);
	assert_int_equal(res.dirs, 6);
	assert_int_equal(res.orphans, 1);
	assert_int_equal(res.bytes, 507);
	assert_int_equal(res.vacuumed, 1);
	assert_true(res.db_after > 0);
	gc_result_release(&res);
	assert_int_equal(raw_count(&fx, "SELECT count(*) FROM runs"), 4);
	assert_int_equal(raw_count(&fx, "SELECT count(*) FROM samples"), 4);
	assert_int_equal(raw_count(&fx, "SELECT count(*) FROM run_events"), 4);
	assert_int_equal(raw_count(&fx, "SELECT count(*) FROM artifacts"), 4);
	assert_int_equal(raw_count(&fx, "SELECT count(*) FROM comparisons"), 0);
	assert_int_equal(raw_count(&fx, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	assert_false(run_dir_exists(&fx, orphan) || run_dir_exists(&fx, old_x.id) ||
		     run_dir_exists(&fx, cmp.id));
	assert_true(run_dir_exists(&fx, new_x.id) && run_dir_exists(&fx, only_y.id) &&
		    run_dir_exists(&fx, other_cfg.id) &&
		    run_dir_exists(&fx, running.id) && run_dir_exists(&fx, "keep-me"));

	/*
	 * A gc killed after its commit: the rows are gone, the directory is
	 * left.  The next gc, whatever its limits, removes the directory.
	 */
	{
		struct buf db = BUF_INIT, del = BUF_INIT;
		sqlite3 *h = NULL;

		buf_addf(&db, "%s/perfgo.db", fx.dir);
		buf_addf(&del, "PRAGMA foreign_keys = ON; DELETE FROM runs WHERE id = '%s'",
			 only_y.id);
		assert_int_equal(sqlite3_open_v2(db.buf, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_exec(h, del.buf, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(h);
		buf_release(&db);
		buf_release(&del);
	}
	p.keep = 100;
	assert_int_equal(store_gc(fx.st, &p, 0, &res), 0);
	assert_int_equal(res.ngone, 0);
	assert_int_equal(res.dirs, 1);
	assert_int_equal(res.orphans, 1);
	assert_int_equal(res.files, 1);
	assert_int_equal(res.bytes, 100);
	gc_result_release(&res);
	assert_false(run_dir_exists(&fx, only_y.id));
	assert_true(run_dir_exists(&fx, new_x.id));
	assert_int_equal(nmsg, 0);

	store_close(fx.st);
	capture_stop();
	buf_release(&path);
	assert_int_equal(rm_rf(fx.root), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_keep_newest),
		cmocka_unit_test(test_plan_age_and_count),
		cmocka_unit_test(test_plan_history_and_running),
		cmocka_unit_test(test_plan_comparisons),
		cmocka_unit_test(test_plan_any_order),
		cmocka_unit_test(test_store_gc),
	};

	return cmocka_run_group_tests_name("gc", tests, NULL, NULL);
}
