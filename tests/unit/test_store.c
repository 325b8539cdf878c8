/*
 * The result store on real SQLite files: each test gets its own mkdtemp
 * directory under $TMPDIR, removed afterwards.  Where a test needs rows
 * the API cannot make (known run ids, a future schema version), it writes
 * them with its own sqlite3 connection to the same file, as another
 * process would.  The crash test forks a writer and kills it with SIGKILL
 * inside a transaction.
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

struct tdir {
	char root[1024];         /* the mkdtemp directory */
	char dir[1040];          /* root/.perfgo, the store directory */
	char db[1060];           /* dir/perfgo.db */
};

static int setup_dir(void **state)
{
	struct tdir *t = xcalloc(1, sizeof(*t));

	if (tmpdir_make(t->root, sizeof(t->root), "test_store")) {
		free(t);
		return -1;
	}
	snprintf(t->dir, sizeof(t->dir), "%s/.perfgo", t->root);
	snprintf(t->db, sizeof(t->db), "%s/perfgo.db", t->dir);
	capture_start();
	*state = t;
	return 0;
}

static int teardown_dir(void **state)
{
	struct tdir *t = *state;
	int ret;

	capture_stop();
	ret = rm_rf(t->root);
	free(t);
	return ret;
}

/* A second connection to the store's file, as another process has. */
static sqlite3 *raw_open(const struct tdir *t)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open_v2(t->db, &db, SQLITE_OPEN_READWRITE, NULL),
			 SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	return db;
}

static void raw_exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

/* The integer a one-row query returns; `arg` (may be NULL) binds ?1. */
static int64_t raw_int(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *stmt = NULL;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (arg)
		sqlite3_bind_text(stmt, 1, arg, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

/* The text a one-row query returns, copied into `out`. */
static void raw_text(sqlite3 *db, const char *sql, char *out, size_t size)
{
	sqlite3_stmt *stmt = NULL;
	const unsigned char *s;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	s = sqlite3_column_text(stmt, 0);
	snprintf(out, size, "%s", s ? (const char *)s : "(null)");
	sqlite3_finalize(stmt);
}

/* The query plan's details, one per line. */
static void raw_plan(sqlite3 *db, const char *sql, struct buf *out)
{
	sqlite3_stmt *stmt = NULL;
	struct buf q = BUF_INIT;
	int rc;

	buf_addf(&q, "EXPLAIN QUERY PLAN %s", sql);
	assert_int_equal(sqlite3_prepare_v2(db, q.buf, -1, &stmt, NULL), SQLITE_OK);
	for (;;) {
		rc = sqlite3_step(stmt);
		if (rc != SQLITE_ROW)
			break;
		buf_addf(out, "%s\n", (const char *)sqlite3_column_text(stmt, 3));
	}
	assert_int_equal(rc, SQLITE_DONE);
	sqlite3_finalize(stmt);
	buf_release(&q);
}

static void raw_insert_run(sqlite3 *db, const char *id, int64_t started_ns)
{
	sqlite3_stmt *stmt = NULL;

	assert_int_equal(sqlite3_prepare_v2(db,
		"INSERT INTO runs (id, started_ns, status, exit_code, command)"
		" VALUES (?1, ?2, 'ok', 0, 'test stat')", -1, &stmt, NULL), SQLITE_OK);
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, started_ns);
	assert_int_equal(sqlite3_step(stmt), SQLITE_DONE);
	sqlite3_finalize(stmt);
}

static struct store *open_new(const struct tdir *t)
{
	struct store *st = NULL;

	assert_int_equal(store_open(&st, t->dir, 1), 0);
	assert_non_null(st);
	return st;
}

static void begin_run(struct store *st, struct run_info *ri, const char *workdir,
		      const char *packages, int64_t started_ns)
{
	memset(ri, 0, sizeof(*ri));
	ri->command = "test stat";
	ri->workdir = workdir;
	ri->packages = packages;
	ri->started_ns = started_ns;
	assert_int_equal(store_run_begin(st, ri), 0);
}

static int is_dir(const char *path)
{
	struct stat sb;

	return !stat(path, &sb) && S_ISDIR(sb.st_mode);
}

/* Opening. */

static void test_open_creates_schema(void **state)
{
	struct tdir *t = *state;
	struct store *st = open_new(t);
	struct buf plan = BUF_INIT;
	char runs[1060], mode[256];
	sqlite3 *db;

	snprintf(runs, sizeof(runs), "%s/runs", t->dir);
	assert_true(is_dir(t->dir));
	assert_true(is_dir(runs));
	assert_string_equal(store_dir(st), t->dir);

	db = raw_open(t);
	assert_int_equal(raw_int(db, "PRAGMA user_version", NULL), 5);
	raw_text(db, "PRAGMA journal_mode", mode, sizeof(mode));
	assert_string_equal(mode, "wal");
	assert_int_equal(raw_int(db,
		"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
		" ('fingerprints', 'commits', 'runs', 'benchmarks', 'samples',"
		" 'run_events', 'artifacts')", NULL), 7);
	assert_int_equal(raw_int(db,
		"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN"
		" ('samples_history_v', 'runs_started', 'runs_commit', 'fingerprints_hash')",
		NULL), 4);
	/* History and listing are answered from indexes, not table scans. */
	raw_plan(db, "SELECT r.commit_sha, s.value FROM samples s"
		 " JOIN runs r ON r.seq = s.run_seq"
		 " WHERE s.benchmark_id = 1 AND s.metric = 'ns/op'", &plan);
	assert_non_null(strstr(plan.buf, "SEARCH s USING COVERING INDEX samples_history_v"));
	assert_non_null(strstr(plan.buf, "SEARCH r USING INTEGER PRIMARY KEY"));
	buf_reset(&plan);
	raw_plan(db, "SELECT id FROM runs ORDER BY started_ns DESC LIMIT 5", &plan);
	assert_non_null(strstr(plan.buf, "runs_started"));
	buf_release(&plan);
	sqlite3_close(db);
	store_close(st);

	/* Reopening an existing store neither migrates again nor prints. */
	st = NULL;
	assert_int_equal(store_open(&st, t->dir, 0), 0);
	assert_non_null(st);
	store_close(st);
	assert_int_equal(nmsg, 0);
}

static void test_open_missing(void **state)
{
	struct tdir *t = *state;
	struct store *st = (struct store *)&st;

	assert_int_equal(store_open(&st, t->dir, 0), PG_ENOTFOUND);
	assert_null(st);
	assert_false(is_dir(t->dir));
	/* The directory alone is not a store either. */
	assert_int_equal(mkdir(t->dir, 0755), 0);
	assert_int_equal(store_open(&st, t->dir, 0), PG_ENOTFOUND);
	assert_null(st);
	assert_int_equal(nmsg, 0);
}

static void test_open_newer_schema(void **state)
{
	struct tdir *t = *state;
	struct store *st = open_new(t);
	char want[1300];
	sqlite3 *db;

	store_close(st);
	db = raw_open(t);
	raw_exec(db, "PRAGMA user_version = 7");
	sqlite3_close(db);

	st = NULL;
	assert_int_equal(store_open(&st, t->dir, 0), PG_EENV);
	assert_null(st);
	assert_int_equal(nmsg, 1);
	snprintf(want, sizeof(want),
		 "perfgo: error: database '%s' has schema version 7, newer than this perfgo (5): upgrade perfgo",
		 t->db);
	assert_string_equal(last_msg, want);
	/* create=1 must not "repair" it either. */
	assert_int_equal(store_open(&st, t->dir, 1), PG_EENV);
	db = raw_open(t);
	assert_int_equal(raw_int(db, "PRAGMA user_version", NULL), 7);
	sqlite3_close(db);
}

/*
 * PRAGMA user_version is four bytes of the file header.  A version this
 * perfgo does not know (negative, or newer) is one error, with the file
 * left as it was: no migration script picked by a wild index, no journal
 * mode switched.  The file here is a foreign one (rollback journal, a
 * table of its own), as damage or another program would leave it.
 */
static void test_open_unknown_schema(void **state)
{
	static const struct {
		const char *pragma;
		const char *version;
		const char *why;
	} cases[] = {
		{ "PRAGMA user_version = -5", "-5", "which this perfgo does not know: the file is damaged" },
		{ "PRAGMA user_version = -2147483648", "-2147483648", "which this perfgo does not know: the file is damaged" },
		{ "PRAGMA user_version = -1", "-1", "which this perfgo does not know: the file is damaged" },
		{ "PRAGMA user_version = 6", "6", "newer than this perfgo (5): upgrade perfgo" },
		{ "PRAGMA user_version = 2147483647", "2147483647", "newer than this perfgo (5): upgrade perfgo" },
	};
	struct tdir *t = *state;
	char want[1300], mode[64];
	sqlite3 *db;

	assert_int_equal(mkdir(t->dir, 0755), 0);
	assert_int_equal(sqlite3_open_v2(t->db, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
					 NULL), SQLITE_OK);
	raw_exec(db, "CREATE TABLE mine (x)");
	sqlite3_close(db);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct store *st = (struct store *)&st;

		db = raw_open(t);
		raw_exec(db, cases[i].pragma);
		sqlite3_close(db);
		for (int create = 0; create <= 1; create++) {
			capture_reset();
			assert_int_equal(store_open(&st, t->dir, create), PG_EENV);
			assert_null(st);
			assert_int_equal(nmsg, 1);
			snprintf(want, sizeof(want), "perfgo: error: database '%s' has schema version %s, ",
				 t->db, cases[i].version);
			if (strncmp(last_msg, want, strlen(want)) ||
			    !strstr(last_msg, cases[i].why))
				fail_msg("version %s: got '%s'", cases[i].version, last_msg);
			assert_null(strchr(last_msg, '\n'));
			assert_int_equal(pg_err_exit_code(PG_EENV), EXIT_ENV);
		}
		db = raw_open(t);
		snprintf(want, sizeof(want), "%s", cases[i].version);
		raw_text(db, "PRAGMA user_version", mode, sizeof(mode));
		assert_string_equal(mode, want);
		raw_text(db, "PRAGMA journal_mode", mode, sizeof(mode));
		assert_string_equal(mode, "delete");
		assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master", NULL), 1);
		sqlite3_close(db);
	}
}

static void test_open_not_a_database(void **state)
{
	struct tdir *t = *state;
	struct store *st = NULL;
	struct buf junk = BUF_INIT;

	assert_int_equal(mkdir(t->dir, 0755), 0);
	buf_addchars(&junk, 'x', 4096);
	assert_int_equal(buf_write_file(&junk, t->db), 0);
	buf_release(&junk);
	assert_int_equal(store_open(&st, t->dir, 0), PG_EENV);
	assert_null(st);
	assert_int_equal(nmsg, 1);
	assert_non_null(strstr(last_msg, t->db));
	assert_non_null(strstr(last_msg, "not a database"));
}

static void test_open_dir_is_a_file(void **state)
{
	struct tdir *t = *state;
	struct store *st = NULL;
	struct buf b = BUF_INIT;

	assert_int_equal(buf_write_file(&b, t->dir), 0);
	assert_int_equal(store_open(&st, t->dir, 1), PG_EENV);
	assert_null(st);
	assert_int_equal(nmsg, 1);
	assert_non_null(strstr(last_msg, "is not a directory"));
}

/* The database must not leak into `go test` and perf (pitfall #9). */
static void test_open_cloexec(void **state)
{
	struct tdir *t = *state;
	struct store *st = open_new(t);
	struct dirent *de;
	int found = 0;
	DIR *d;

	d = opendir("/proc/self/fd");
	assert_non_null(d);
	for (de = readdir(d); de; de = readdir(d)) {
		char link[300], target[4096];
		ssize_t n;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%s", de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		if (!strstr(target, "/.perfgo/perfgo.db"))
			continue;
		fd = (int)strtol(de->d_name, NULL, 10);
		assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
		found++;
	}
	closedir(d);
	/* The database, its WAL and its shared-memory index. */
	assert_true(found >= 2);
	store_close(st);
}

/* Several perfgo processes creating the same new store at once. */
static void test_open_concurrent_create(void **state)
{
	struct tdir *t = *state;
	pid_t pids[8];
	int status[ARRAY_SIZE(pids)];
	int gate[2];
	sqlite3 *db;

	assert_int_equal(pipe(gate), 0);
	for (size_t i = 0; i < ARRAY_SIZE(pids); i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (!pids[i]) {
			struct store *st = NULL;
			char c;
			int rc;

			close(gate[1]);
			set_report_routine(NULL);
			/* Wait until the parent lets everyone go at once. */
			rc = (int)read(gate[0], &c, 1);
			(void)rc;
			if (store_open(&st, t->dir, 1))
				_exit(1);
			store_close(st);
			_exit(0);
		}
	}
	close(gate[0]);
	close(gate[1]);
	/* Reap every child before asserting, so none outlives the directory. */
	for (size_t i = 0; i < ARRAY_SIZE(pids); i++)
		if (waitpid(pids[i], &status[i], 0) != pids[i])
			status[i] = -1;
	for (size_t i = 0; i < ARRAY_SIZE(pids); i++) {
		assert_true(WIFEXITED(status[i]));
		assert_int_equal(WEXITSTATUS(status[i]), 0);
	}
	db = raw_open(t);
	assert_int_equal(raw_int(db, "PRAGMA user_version", NULL), 5);
	sqlite3_close(db);
}

/*
 * A version 1 database (made by undoing versions 2 to 4 by hand) is
 * migrated forward at open, keeping its runs.
 */
static void test_open_migrates_v1(void **state)
{
	struct tdir *t = *state;
	struct store *st = open_new(t);
	struct run_info ri = { .command = "test stat" };
	struct run_row row = { 0 };
	char base[33], head[33];
	sqlite3 *db;

	assert_int_equal(store_run_begin(st, &ri), 0);
	store_close(st);
	db = raw_open(t);
	raw_exec(db, "DROP TABLE comparisons; DROP INDEX runs_measured; DROP TABLE run_go_config;"
		 " DROP INDEX samples_history_v;"
		 " CREATE INDEX samples_history ON samples(benchmark_id, metric, run_seq);"
		 " PRAGMA user_version = 1");
	sqlite3_close(db);

	st = NULL;
	assert_int_equal(store_open(&st, t->dir, 0), 0);
	db = raw_open(t);
	assert_int_equal(raw_int(db, "PRAGMA user_version", NULL), 5);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name = ?1",
				 "comparisons"), 1);
	/* v4: the history index holds the value and replaces the old one. */
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name = ?1",
				 "samples_history_v"), 1);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name = ?1",
				 "samples_history"), 0);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name = ?1",
				 "run_go_config"), 1);
	sqlite3_close(db);
	assert_int_equal(store_find_run(st, ri.id, &row, NULL), 0);
	assert_string_equal(row.command, "test stat");
	run_row_release(&row);
	assert_int_equal(store_get_comparison(st, ri.id, base, head), PG_ENOTFOUND);
	store_close(st);
}

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

/* Fingerprints, events, artifacts. */

static const struct fingerprint fp_base = {
	.host = "box1", .cpu_model = "Intel(R) Xeon(R) CPU", .cores = 8,
	.kernel = "6.1.0-18-amd64", .perf_version = "6.1.76",
	.go_version = "go1.19.8", .goos = "linux", .goarch = "amd64",
	.goamd64 = "v1", .gomaxprocs = 8, .paranoid = 2, .pmu = 0,
	.aslr = "2", .governor = NULL, .smt = "on",
};

static void test_fingerprint_hash(void **state)
{
	struct fingerprint fp = fp_base;
	char *base, *h;

	(void)state;
	base = fingerprint_hash(&fp);
	assert_int_equal(strlen(base), 64);
	assert_int_equal(strspn(base, "0123456789abcdef"), 64);
	/*
	 * Pinned: the hash is stored in every database, so any change to it
	 * must be deliberate (and bump the version tag in fp_digest()).  The
	 * value was computed independently from the documented serialization.
	 */
	assert_string_equal(base,
		"0bd2cdb82471883fde1b2a8c30b5fd2d1ded883019a495f8732642666c3e908a");

	/* Host, governor, paranoid, ASLR and SMT do not split the class. */
	fp.host = "box2";
	fp.governor = "performance";
	fp.paranoid = -1;
	fp.aslr = "0";
	fp.smt = "off";
	h = fingerprint_hash(&fp);
	assert_string_equal(h, base);
	free(h);

	/* Everything measured does. */
	fp = fp_base;
	fp.cores = 16;
	h = fingerprint_hash(&fp);
	assert_string_not_equal(h, base);
	free(h);
	fp = fp_base;
	fp.pmu = 1;
	h = fingerprint_hash(&fp);
	assert_string_not_equal(h, base);
	free(h);
	fp = fp_base;
	fp.goamd64 = "v3";
	h = fingerprint_hash(&fp);
	assert_string_not_equal(h, base);
	free(h);
	/* Unknown is not the same as empty. */
	fp = fp_base;
	fp.kernel = NULL;
	h = fingerprint_hash(&fp);
	fp.kernel = "";
	{
		char *h2 = fingerprint_hash(&fp);

		assert_string_not_equal(h, h2);
		free(h2);
	}
	free(h);
	free(base);
}

static void test_extras(void **state)
{
	struct tdir *t = *state;
	struct store *st = open_new(t);
	struct fingerprint fp2 = fp_base;
	struct run_extras x;
	struct run_info ri, bare;
	struct run_row r;
	char sha[SHA256_HEX_SIZE], path[128], *hash;
	int64_t id1, id1b, id2, bench;
	int failed = -1;
	sqlite3 *db;

	assert_int_equal(store_fingerprint(st, &fp_base, &id1), 0);
	assert_int_equal(store_fingerprint(st, &fp_base, &id1b), 0);
	assert_true(id1 > 0);
	assert_true(id1 == id1b);
	fp2.host = "box2";
	fp2.governor = "performance";
	assert_int_equal(store_fingerprint(st, &fp2, &id2), 0);
	assert_true(id2 != id1);
	hash = fingerprint_hash(&fp_base);
	db = raw_open(t);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM fingerprints WHERE hash = ?1",
				 hash), 2);
	sqlite3_close(db);
	free(hash);

	memset(&ri, 0, sizeof(ri));
	ri.command = "test stat";
	ri.fingerprint_id = id2;
	assert_int_equal(store_run_begin(st, &ri), 0);
	assert_int_equal(store_add_event(st, ri.id, "instructions", EVENT_UNSUPPORTED), 0);
	assert_int_equal(store_add_event(st, ri.id, "task-clock", EVENT_COUNTED), 0);
	assert_int_equal(store_add_event(st, ri.id, "cpu/event=0x2e,umask=0x41/",
					 EVENT_NOT_COUNTED), 0);
	/* A second answer for the same event replaces the first, in place. */
	assert_int_equal(store_add_event(st, ri.id, "instructions", EVENT_COUNTED), 0);

	sha256_hex("hello\n", 6, sha);
	snprintf(path, sizeof(path), "runs/%s/stdout.txt", ri.id);
	assert_int_equal(store_add_artifact(st, ri.id, "stdout", path, 6, sha), 0);
	assert_int_equal(store_add_artifact(st, ri.id, "perf-csv", "runs/x/perf.csv", 0, NULL), 0);
	assert_int_equal(store_add_artifact(st, ri.id, "stdout", path, 12, sha), 0);
	/* The test binaries' "key: value" lines, per package; a repeat replaces. */
	assert_int_equal(store_add_go_config(st, ri.id, "example.com/b", "cpu", "Old"), 0);
	assert_int_equal(store_add_go_config(st, ri.id, "example.com/a", "goos", "linux"), 0);
	assert_int_equal(store_add_go_config(st, ri.id, "example.com/b", "pkg", "example.com/b"), 0);
	assert_int_equal(store_add_go_config(st, ri.id, "example.com/b", "cpu", "AMD EPYC"), 0);
	/* A benchmark the backend could not count: the first reason stays. */
	assert_int_equal(store_benchmark_id(st, "example.com/a", "BenchmarkSHA", &bench), 0);
	assert_int_equal(store_bench_failed(st, ri.id, bench, &failed), 0);
	assert_int_equal(failed, 0);
	assert_int_equal(store_add_bench_failure(st, ri.id, bench, "instructions:sim/op x:sim/op",
						 "valgrind: unsupported instruction"), 0);
	assert_int_equal(store_add_bench_failure(st, ri.id, bench, "y", "later"), 0);
	assert_int_equal(store_bench_failed(st, ri.id, bench, &failed), 0);
	assert_int_equal(failed, 1);
	assert_int_equal(nmsg, 0);

	assert_int_equal(store_find_run(st, "0", &r, NULL), 0);
	assert_int_equal(r.fingerprint_id, id2);
	assert_int_equal(store_run_extras(st, &r, &x), 0);
	assert_int_equal(x.nevents, 3);
	assert_string_equal(x.events[0].event, "instructions");
	assert_int_equal(x.events[0].state, EVENT_COUNTED);
	assert_string_equal(x.events[1].event, "task-clock");
	assert_int_equal(x.events[1].state, EVENT_COUNTED);
	assert_string_equal(x.events[2].event, "cpu/event=0x2e,umask=0x41/");
	assert_int_equal(x.events[2].state, EVENT_NOT_COUNTED);
	assert_int_equal(x.nartifacts, 2);
	assert_string_equal(x.artifacts[0].kind, "stdout");
	assert_string_equal(x.artifacts[0].path, path);
	assert_int_equal(x.artifacts[0].size, 12);
	assert_string_equal(x.artifacts[0].sha256, sha);
	assert_string_equal(x.artifacts[1].kind, "perf-csv");
	assert_null(x.artifacts[1].sha256);
	assert_int_equal(x.ngoconf, 3);
	assert_string_equal(x.goconf[0].package, "example.com/a");
	assert_string_equal(x.goconf[0].key, "goos");
	assert_string_equal(x.goconf[0].value, "linux");
	assert_string_equal(x.goconf[1].key, "cpu");
	assert_string_equal(x.goconf[1].value, "AMD EPYC");
	assert_string_equal(x.goconf[2].package, "example.com/b");
	assert_string_equal(x.goconf[2].key, "pkg");
	assert_int_equal(x.failures.nr, 1);
	assert_string_equal(x.failures.rows[0].package, "example.com/a");
	assert_string_equal(x.failures.rows[0].bench, "BenchmarkSHA");
	assert_string_equal(x.failures.rows[0].metrics, "instructions:sim/op x:sim/op");
	assert_string_equal(x.failures.rows[0].reason, "valgrind: unsupported instruction");
	assert_int_equal(x.has_fp, 1);
	assert_string_equal(x.fp.host, "box2");
	assert_string_equal(x.fp.governor, "performance");
	assert_string_equal(x.fp.cpu_model, fp_base.cpu_model);
	assert_int_equal(x.fp.cores, 8);
	assert_string_equal(x.fp.kernel, fp_base.kernel);
	assert_string_equal(x.fp.perf_version, fp_base.perf_version);
	assert_string_equal(x.fp.go_version, fp_base.go_version);
	assert_string_equal(x.fp.goos, "linux");
	assert_string_equal(x.fp.goarch, "amd64");
	assert_string_equal(x.fp.goamd64, "v1");
	assert_int_equal(x.fp.gomaxprocs, 8);
	assert_int_equal(x.fp.paranoid, 2);
	assert_int_equal(x.fp.pmu, 0);
	assert_string_equal(x.fp.aslr, "2");
	assert_string_equal(x.fp.smt, "on");
	run_extras_release(&x);
	run_row_release(&r);

	/* A run without fingerprint, events or artifacts. */
	begin_run(st, &bare, ".", NULL, 0);
	assert_int_equal(store_find_run(st, bare.id, &r, NULL), 0);
	assert_int_equal(store_run_extras(st, &r, &x), 0);
	assert_int_equal(x.nevents, 0);
	assert_int_equal(x.nartifacts, 0);
	assert_int_equal(x.ngoconf, 0);
	assert_int_equal(x.failures.nr, 0);
	assert_int_equal(x.has_fp, 0);
	assert_null(x.fp.host);
	run_extras_release(&x);
	run_row_release(&r);

	assert_int_equal(store_add_event(st, "nope", "cycles", EVENT_COUNTED), PG_EENV);
	assert_int_equal(store_add_artifact(st, "nope", "stdout", "x", 1, NULL), PG_EENV);
	assert_int_equal(store_add_go_config(st, "nope", "p", "k", "v"), PG_EENV);
	assert_int_equal(nmsg, 3);
	store_close(st);
}

/*
 * Crash safety (DESIGN §6).  A child commits job 1, then writes a job so
 * large that it is still inside its transaction when the parent, having
 * seen the write lock taken, kills it with SIGKILL.  The database must be
 * intact, job 1 complete, job 2 absent and the run still 'running'.
 */
#define CRASH_JOB1 100
#define CRASH_JOB2 1000000

static void crash_child(const struct tdir *t, int ready_fd)
{
	struct sample_row *rows;
	struct store *st = NULL;
	struct run_info ri;
	int64_t bench;
	size_t i;

	memset(&ri, 0, sizeof(ri));
	ri.command = "test stat";
	if (store_open(&st, t->dir, 1) || store_run_begin(st, &ri) ||
	    store_benchmark_id(st, "example.com/m", "BenchmarkCrash", &bench))
		_exit(10);
	rows = calloc(CRASH_JOB2, sizeof(*rows));
	if (!rows)
		_exit(11);
	for (i = 0; i < CRASH_JOB2; i++) {
		rows[i].bench_id = bench;
		rows[i].metric = "ns/op";
		rows[i].unit = "ns";
		rows[i].rep = (int)i;
		rows[i].iterations = 1000;
		rows[i].value = (double)i + 0.5;
		rows[i].running = 1.0;
	}
	if (store_add_samples(st, ri.id, rows, CRASH_JOB1))
		_exit(12);
	if (write(ready_fd, "1", 1) != 1)
		_exit(13);
	/* Job 2 continues the repetitions after job 1. */
	for (i = 0; i < CRASH_JOB2; i++)
		rows[i].rep += CRASH_JOB1;
	store_add_samples(st, ri.id, rows, CRASH_JOB2);
	/* Reaching this point means the kill came too late. */
	_exit(14);
}

/* Wait until another connection holds the write lock (a transaction is open). */
static int wait_write_locked(const struct tdir *t)
{
	struct timespec ms = { 0, 1000000 };
	sqlite3 *db = NULL;
	int locked = 0;

	if (sqlite3_open_v2(t->db, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		goto out;
	sqlite3_busy_timeout(db, 0);
	for (int i = 0; i < 30000 && !locked; i++) {
		int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);

		if (rc == SQLITE_BUSY) {
			locked = 1;
			break;
		}
		if (rc == SQLITE_OK)
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		nanosleep(&ms, NULL);
	}
out:
	sqlite3_close(db);
	return locked;
}

static void test_crash_safety(void **state)
{
	struct tdir *t = *state;
	struct store *st = NULL;
	struct sample_list sl = SAMPLE_LIST_INIT;
	struct run_row r;
	char c, check[64];
	int ready[2], status, locked;
	sqlite3 *db;
	pid_t pid;

	assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		close(ready[0]);
		crash_child(t, ready[1]);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	locked = wait_write_locked(t);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(locked);
	if (!WIFSIGNALED(status))
		fail_msg("writer was not killed mid-transaction (exit %d)",
			 WEXITSTATUS(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);

	/* Recovery happens on open: the WAL holds the uncommitted frames. */
	assert_int_equal(store_open(&st, t->dir, 0), 0);
	db = raw_open(t);
	raw_text(db, "PRAGMA integrity_check", check, sizeof(check));
	assert_string_equal(check, "ok");
	assert_int_equal(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check",
				 NULL), 0);
	sqlite3_close(db);

	assert_int_equal(store_find_run(st, "0", &r, NULL), 0);
	assert_int_equal(r.status, RUN_RUNNING);
	assert_int_equal(r.exit_code, -1);
	assert_int_equal(r.finished_ns, 0);
	assert_int_equal(r.nbench, 1);
	assert_int_equal(store_run_samples(st, r.id, &sl), 0);
	assert_int_equal(sl.nr, CRASH_JOB1);
	for (size_t i = 0; i < sl.nr; i++) {
		assert_int_equal(sl.rows[i].rep, (int)i);
		assert_true(sl.rows[i].value == (double)i + 0.5);
	}
	sample_list_release(&sl);
	run_row_release(&r);
	store_close(st);
	assert_int_equal(nmsg, 0);
}

/*
 * History: commits are stored once; a run counts as "measured" for reuse
 * and skipping only when it finished ok, on a clean tree, with the same
 * configuration, on a runner of the same fingerprint class (hash, not
 * row: another host of the same class qualifies), optionally of a given
 * command, the newest first; comparisons link a run to its two sides.
 */
static void test_history(void **state)
{
	struct tdir *t = *state;
	struct store *st = open_new(t);
	struct commit_info ci = { .parents = (char *)"", .time = 1700000000,
				  .subject = (char *)"first" };
	struct fingerprint other_host = fp_base, other_class = fp_base;
	static const char sha[] = "0123456789abcdef0123456789abcdef01234567";
	static const char cfg[] = "{\"count\":10}";
	struct run_info ok1, ok2, failed, dirty, othercfg, otherfp, cmp;
	struct run_info *all[] = { &ok1, &ok2, &failed, &dirty, &othercfg, &otherfp, &cmp };
	int64_t fp1, fp1b, fp2;
	char id[33], base[33], head[33];
	sqlite3 *db;

	memcpy(ci.sha, sha, sizeof(sha));
	assert_int_equal(store_add_commit(st, &ci), 0);
	ci.subject = (char *)"changed";
	assert_int_equal(store_add_commit(st, &ci), 0);    /* idempotent: first kept */
	db = raw_open(t);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM commits WHERE subject = 'first'", NULL), 1);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM commits", NULL), 1);
	sqlite3_close(db);

	other_host.host = "box2";
	other_class.cores = 4;
	assert_int_equal(store_fingerprint(st, &fp_base, &fp1), 0);
	assert_int_equal(store_fingerprint(st, &other_host, &fp1b), 0);
	assert_int_equal(store_fingerprint(st, &other_class, &fp2), 0);
	assert_true(fp1 != fp1b);

	for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
		memset(all[i], 0, sizeof(*all[i]));
		all[i]->command = "run";
		all[i]->commit = sha;
		all[i]->config_json = cfg;
		all[i]->fingerprint_id = fp1;
		all[i]->started_ns = 1000 + (int64_t)i;
	}
	ok2.command = "compare base";
	ok2.fingerprint_id = fp1b;
	dirty.dirty = 1;
	othercfg.config_json = "{\"count\":5}";
	otherfp.fingerprint_id = fp2;
	cmp.command = "compare";
	cmp.config_json = "{\"compare\":{},\"measure\":{\"count\":10}}";
	for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
		assert_int_equal(store_run_begin(st, all[i]), 0);
		assert_int_equal(store_run_finish(st, all[i]->id, all[i] == &failed ? RUN_FAILED : RUN_OK,
						  0, 0), 0);
	}

	/* Any command: the newest qualifying run, on the other host of the class. */
	assert_int_equal(store_find_measured(st, NULL, sha, cfg, fp1, id), 0);
	assert_string_equal(id, ok2.id);
	assert_int_equal(store_find_measured(st, "run", sha, cfg, fp1, id), 0);
	assert_string_equal(id, ok1.id);
	assert_int_equal(store_find_measured(st, "run", sha, "{\"count\":5}", fp1, id), 0);
	assert_string_equal(id, othercfg.id);
	assert_int_equal(store_find_measured(st, "run", sha, cfg, fp2, id), 0);
	assert_string_equal(id, otherfp.id);
	/* Nothing else qualifies: another commit, config or command. */
	assert_int_equal(store_find_measured(st, NULL, "fedcba", cfg, fp1, id), PG_ENOTFOUND);
	assert_int_equal(store_find_measured(st, NULL, sha, "{}", fp1, id), PG_ENOTFOUND);
	assert_int_equal(store_find_measured(st, "test stat", sha, cfg, fp1, id), PG_ENOTFOUND);
	/* A failed or a dirty run never qualifies, even as the only one left. */
	assert_int_equal(store_run_finish(st, ok1.id, RUN_FAILED, 4, 0), 0);
	assert_int_equal(store_find_measured(st, "run", sha, cfg, fp1, id), PG_ENOTFOUND);
	assert_int_equal(store_find_measured(st, NULL, sha, cfg, fp1, id), 0);
	assert_string_equal(id, ok2.id);

	assert_int_equal(store_get_comparison(st, cmp.id, base, head), PG_ENOTFOUND);
	assert_int_equal(store_add_comparison(st, cmp.id, ok1.id, ok2.id), 0);
	assert_int_equal(store_get_comparison(st, cmp.id, base, head), 0);
	assert_string_equal(base, ok1.id);
	assert_string_equal(head, ok2.id);
	assert_int_equal(store_get_comparison(st, ok1.id, base, head), PG_ENOTFOUND);
	assert_int_equal(nmsg, 0);
	store_close(st);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown_dir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open_creates_schema),
		T(test_open_missing),
		T(test_open_newer_schema),
		T(test_open_unknown_schema),
		T(test_open_not_a_database),
		T(test_open_dir_is_a_file),
		T(test_open_cloexec),
		T(test_open_concurrent_create),
		T(test_run_lifecycle),
		T(test_samples_roundtrip),
		T(test_find_run),
		T(test_list_runs),
		cmocka_unit_test(test_fingerprint_hash),
		T(test_open_migrates_v1),
		T(test_extras),
		T(test_history),
		T(test_crash_safety),
	};

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
