#ifndef PERFGO_TEST_STORE_FIXTURE_H
#define PERFGO_TEST_STORE_FIXTURE_H

/*
 * The fixtures of the result store's tests (test_store_*.c), on real SQLite
 * files: each test gets its own mkdtemp directory under $TMPDIR, removed
 * afterwards.  Where a test needs rows the API cannot make (known run ids, a
 * future schema version), it writes them with its own sqlite3 connection to
 * the same file, as another process would.  Include it after the test's
 * includes (cmocka, sqlite3, common.h, store/store.h).
 */

struct tdir {
	char root[1024];         /* the mkdtemp directory */
	char dir[1040];          /* root/.perfgo, the store directory */
	char db[1060];           /* dir/perfgo.db */
};

static inline int setup_dir(void **state)
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

static inline int teardown_dir(void **state)
{
	struct tdir *t = *state;
	int ret;

	capture_stop();
	ret = rm_rf(t->root);
	free(t);
	return ret;
}

/* A second connection to the store's file, as another process has. */
static inline sqlite3 *raw_open(const struct tdir *t)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open_v2(t->db, &db, SQLITE_OPEN_READWRITE, NULL),
			 SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	return db;
}

static inline void raw_exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

/* The integer a one-row query returns; `arg` (may be NULL) binds ?1. */
static inline int64_t raw_int(sqlite3 *db, const char *sql, const char *arg)
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
static inline void raw_text(sqlite3 *db, const char *sql, char *out, size_t size)
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
static inline void raw_plan(sqlite3 *db, const char *sql, struct buf *out)
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

static inline void raw_insert_run(sqlite3 *db, const char *id, int64_t started_ns)
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

static inline struct store *open_new(const struct tdir *t)
{
	struct store *st = NULL;

	assert_int_equal(store_open(&st, t->dir, 1), 0);
	assert_non_null(st);
	return st;
}

static inline void begin_run(struct store *st, struct run_info *ri, const char *workdir,
				    const char *packages, int64_t started_ns)
{
	memset(ri, 0, sizeof(*ri));
	ri->command = "test stat";
	ri->workdir = workdir;
	ri->packages = packages;
	ri->started_ns = started_ns;
	assert_int_equal(store_run_begin(st, ri), 0);
}

static inline int is_dir(const char *path)
{
	struct stat sb;

	return !stat(path, &sb) && S_ISDIR(sb.st_mode);
}

#endif
