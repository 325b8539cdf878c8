/*
 * The result store's file (fixtures: store_fixture.h): opening, creating,
 * schema versions and migration, concurrent creation, and crash safety: the
 * crash test forks a writer and kills it with SIGKILL inside a transaction.
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
		T(test_open_migrates_v1),
		T(test_crash_safety),
	};

	return cmocka_run_group_tests_name("store_file", tests, NULL, NULL);
}
