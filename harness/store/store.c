/*
 * The result store: the schema and its migrations, opening and closing,
 * and the helpers the other files of store/ share (store_internal.h).
 * The contract is in store.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "util/buf.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "util/io.h"
#include "util/quote.h"
#include "util/usage.h"
#include "util/banned.h"

/*
 * Schema, version 1.  The SQL comments are kept by SQLite, so
 * `sqlite3 .perfgo/perfgo.db .schema` documents itself.  Choices:
 *
 *  - runs carry an INTEGER `seq` (the rowid) besides the 32-hex `id` that
 *    users see.  Child tables reference `seq`: samples will hold millions of
 *    rows, and an 8-byte key instead of a 33-byte text one roughly halves
 *    them and their primary-key index.  `seq` also orders runs that start
 *    in the same nanosecond.
 *  - fingerprints hold one row per distinct runner description (`digest`
 *    over every field, so a run shows the host and governor it really had);
 *    `hash` is fingerprint_hash(), the comparability class that history and
 *    comparisons group by.  Keying rows by `hash` alone would hand one
 *    machine's hostname and paranoid level to another's runs.
 *  - commits describe immutable git objects only.  Branch and dirtiness
 *    describe a checkout at run time, so they live on runs.
 *  - samples stay a rowid table: the rowid is the insertion order that
 *    reports follow.  samples_history serves per-(benchmark, metric) history
 *    and ends with run_seq so the join to runs reads runs in order.
 *  - finished_ns and exit_code are NULL while a run is running.
 */
static const char schema_v1[] =
	"CREATE TABLE fingerprints (\n"
	"	id INTEGER PRIMARY KEY,\n"
	"	hash TEXT NOT NULL,          -- fingerprint_hash(): comparability class\n"
	"	digest TEXT NOT NULL UNIQUE, -- sha256 over every field: row identity\n"
	"	host TEXT, cpu_model TEXT, cores INTEGER, kernel TEXT,\n"
	"	perf_version TEXT, go_version TEXT,\n"
	"	goos TEXT, goarch TEXT, goamd64 TEXT, gomaxprocs INTEGER,\n"
	"	paranoid INTEGER, pmu INTEGER, aslr TEXT, governor TEXT, smt TEXT,\n"
	"	created_ns INTEGER NOT NULL\n"
	");\n"
	"CREATE INDEX fingerprints_hash ON fingerprints(hash);\n"
	"CREATE TABLE commits (\n"
	"	sha TEXT PRIMARY KEY,\n"
	"	parents TEXT NOT NULL DEFAULT '', -- space-separated, first parent first\n"
	"	time INTEGER,                     -- committer time, seconds since the epoch\n"
	"	subject TEXT\n"
	");\n"
	"CREATE TABLE runs (\n"
	"	seq INTEGER PRIMARY KEY,\n"
	"	id TEXT NOT NULL UNIQUE\n"
	"		CHECK (length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*'),\n"
	"	started_ns INTEGER NOT NULL,\n"
	"	finished_ns INTEGER,              -- NULL while running\n"
	"	status TEXT NOT NULL DEFAULT 'running'\n"
	"		CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),\n"
	"	exit_code INTEGER,                -- NULL while running\n"
	"	command TEXT NOT NULL,\n"
	"	argv_json TEXT, workdir TEXT, packages TEXT,\n"
	"	commit_sha TEXT, branch TEXT,\n"
	"	dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),\n"
	"	fingerprint_id INTEGER REFERENCES fingerprints(id),\n"
	"	config_json TEXT\n"
	");\n"
	"CREATE INDEX runs_started ON runs(started_ns);\n"
	"CREATE INDEX runs_commit ON runs(commit_sha);\n"
	"CREATE TABLE benchmarks (\n"
	"	id INTEGER PRIMARY KEY,\n"
	"	package TEXT NOT NULL,\n"
	"	name TEXT NOT NULL,               -- full name, sub-benchmark path included\n"
	"	UNIQUE (package, name)\n"
	");\n"
	"CREATE TABLE samples (\n"
	"	run_seq INTEGER NOT NULL REFERENCES runs(seq) ON DELETE CASCADE,\n"
	"	benchmark_id INTEGER NOT NULL REFERENCES benchmarks(id),\n"
	"	metric TEXT NOT NULL,\n"
	"	unit TEXT NOT NULL,\n"
	"	rep INTEGER NOT NULL CHECK (rep >= 0),\n"
	"	iterations INTEGER NOT NULL,\n"
	"	value REAL NOT NULL,\n"
	"	running REAL NOT NULL DEFAULT 1.0, -- lowest running fraction\n"
	"	flags INTEGER NOT NULL DEFAULT 0,  -- enum sample_flags\n"
	"	PRIMARY KEY (run_seq, benchmark_id, metric, rep)\n"
	");\n"
	"CREATE INDEX samples_history ON samples(benchmark_id, metric, run_seq);\n"
	"CREATE TABLE run_events (\n"
	"	run_seq INTEGER NOT NULL REFERENCES runs(seq) ON DELETE CASCADE,\n"
	"	event TEXT NOT NULL,\n"
	"	state TEXT NOT NULL\n"
	"		CHECK (state IN ('counted', 'unsupported', 'not-counted')),\n"
	"	PRIMARY KEY (run_seq, event)\n"
	");\n"
	"CREATE TABLE artifacts (\n"
	"	run_seq INTEGER NOT NULL REFERENCES runs(seq) ON DELETE CASCADE,\n"
	"	kind TEXT NOT NULL,               -- stdout, stderr, perf-csv, perf.data, ...\n"
	"	path TEXT NOT NULL,               -- relative to the .perfgo directory\n"
	"	size INTEGER NOT NULL,\n"
	"	sha256 TEXT,\n"
	"	PRIMARY KEY (run_seq, path)\n"
	");\n";

/*
 * Version 2: a comparison (`perfgo compare` on commits) is a run of its own
 * that points at the two measured runs, one per side.
 */
static const char schema_v2[] =
	"CREATE TABLE comparisons (\n"
	"	run_seq INTEGER PRIMARY KEY REFERENCES runs(seq) ON DELETE CASCADE,\n"
	"	base_seq INTEGER NOT NULL REFERENCES runs(seq),\n"
	"	head_seq INTEGER NOT NULL REFERENCES runs(seq)\n"
	");\n"
	"CREATE INDEX runs_measured ON runs (commit_sha, status, config_json);\n";

/*
 * Version 3: the "key: value" lines a run's test binaries printed (goos,
 * goarch, pkg, cpu), per package, so that `--format gobench` writes what
 * `go test` writes on that machine.
 */
static const char schema_v3[] =
	"CREATE TABLE run_go_config (\n"
	"	run_seq INTEGER NOT NULL REFERENCES runs(seq) ON DELETE CASCADE,\n"
	"	package TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,\n"
	"	PRIMARY KEY (run_seq, package, key)\n"
	");\n";

/*
 * Migrations in order: migrations[i] takes a database from user_version i
 * to i + 1.  Append only; never edit a script that has shipped.
 */
static const char *const migrations[] = {
	schema_v1,
	schema_v2,
	schema_v3,
	store_schema_v4,        /* store_trend.c */
	store_schema_v5,        /* store_failures.c */
};

#define SCHEMA_VERSION ((int)ARRAY_SIZE(migrations))
#define BUSY_TIMEOUT_MS 10000

/* Helpers shared with the other files of store/ (store_internal.h). */

int store_err(struct store *st, const char *what)
{
	int code = sqlite3_extended_errcode(st->db) & 0xff, e = sqlite3_system_errno(st->db), ret;
	struct buf why = BUF_INIT;

	if (code == SQLITE_READONLY)
		return error_code(PG_EENV, "cannot %s in database '%s': it is read-only: make '%s' "
				  "and its files writable, or set PERFGO_DIR to a writable directory",
				  what, st->path, st->dir);
	/* SQLite says "disk I/O error" when the WAL or -shm cannot grow. */
	if (code == SQLITE_FULL || (code == SQLITE_IOERR && (e == ENOSPC || e == EDQUOT)))
		io_no_space(&why, st->dir, -1);
	else
		buf_addstr(&why, code == SQLITE_BUSY ? STORE_BUSY_WHY : sqlite3_errmsg(st->db));
	ret = error_code(PG_EENV, "cannot %s in database '%s': %s", what, st->path, why.buf);
	buf_release(&why);
	return ret;
}

int store_prepare(struct store *st, const char *sql, sqlite3_stmt **out,
		  const char *what)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK) {
		*out = NULL;
		return store_err(st, what);
	}
	return 0;
}

int store_step_done(struct store *st, sqlite3_stmt *stmt, const char *what)
{
	if (sqlite3_step(stmt) != SQLITE_DONE)
		return store_err(st, what);
	return 0;
}

int store_bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
	if (!s)
		return sqlite3_bind_null(stmt, i);
	return sqlite3_bind_text(stmt, i, s, -1, SQLITE_TRANSIENT);
}

char *store_col_strdup(sqlite3_stmt *stmt, int i)
{
	const unsigned char *s = sqlite3_column_text(stmt, i);

	return s ? xstrdup((const char *)s) : NULL;
}

static int bind_params(sqlite3_stmt *stmt, const struct store_param *params, size_t n)
{
	int rc = SQLITE_OK;

	for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
		const struct store_param *p = &params[i];

		if (!p->is_text)
			rc = sqlite3_bind_int64(stmt, (int)i + 1, p->i);
		else if (p->text)
			rc = sqlite3_bind_text(stmt, (int)i + 1, p->text, -1, SQLITE_STATIC);
		else
			rc = sqlite3_bind_null(stmt, (int)i + 1);
	}
	return rc;
}

int store_row(struct store *st, sqlite3_stmt **row, const char *what,
	      const char *sql, const struct store_param *params, size_t n)
{
	sqlite3_stmt *stmt = NULL;
	int ret, rc;

	*row = NULL;
	ret = store_prepare(st, sql, &stmt, what);
	if (ret)
		return ret;
	rc = bind_params(stmt, params, n);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*row = stmt;
		return 0;
	}
	ret = rc == SQLITE_DONE ? PG_ENOTFOUND : store_err(st, what);
	sqlite3_finalize(stmt);
	return ret;
}

int store_row_int64(struct store *st, int64_t *out, const char *what,
		    const char *sql, const struct store_param *params, size_t n)
{
	sqlite3_stmt *row;
	int ret = store_row(st, &row, what, sql, params, n);

	if (!ret)
		*out = sqlite3_column_int64(row, 0);
	sqlite3_finalize(row);
	return ret;
}

int store_run_seq(struct store *st, const char *id, int64_t *seq_out)
{
	return store_row_int64(st, seq_out, "look up run",
			       "SELECT seq FROM runs WHERE id = ?1",
			       STORE_PARAMS(STORE_TEXT(id)));
}

int store_run_seq_write(struct store *st, const char *id, int64_t *seq_out)
{
	int ret = store_run_seq(st, id, seq_out);

	if (ret == PG_ENOTFOUND)
		return error_code(PG_EENV, "no run '%s' in database '%s'", id,
				  st->path);
	return ret;
}

int store_exec(struct store *st, const char *sql, const char *what)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_err(st, what);
	return 0;
}

/*
 * BEGIN IMMEDIATE takes the write lock up front, so a concurrent writer
 * waits in the busy handler here instead of failing at its first write
 * with a deadlock that no timeout can resolve.
 */
int store_tx_begin(struct store *st)
{
	return store_exec(st, "BEGIN IMMEDIATE", "begin a transaction");
}

int store_tx_commit(struct store *st)
{
	return store_exec(st, "COMMIT", "commit");
}

/*
 * Called after the failure has been reported.  SQLite rolls back by itself
 * on some errors (SQLITE_FULL, SQLITE_IOERR, ...), so only an open
 * transaction is rolled back; a failed ROLLBACK leaves nothing to recover.
 */
void store_tx_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Opening and migration. */

static int make_dir(const char *path)
{
	struct stat sb;

	if (mkdir(path, 0755) && errno != EEXIST)
		return error_code(PG_EENV, "cannot create directory '%s': %s",
				  path, strerror(errno));
	if (stat(path, &sb))
		return error_code(PG_EENV, "cannot stat '%s': %s", path,
				  strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return error_code(PG_EENV, "'%s' exists and is not a directory",
				  path);
	return 0;
}

static int make_store_dirs(const char *dir)
{
	struct buf runs = BUF_INIT;
	int ret = make_dir(dir);

	if (!ret) {
		store_write_gitignore(dir);
		buf_addf(&runs, "%s/runs", dir);
		ret = make_dir(runs.buf);
	}
	buf_release(&runs);
	return ret;
}

static int read_user_version(struct store *st, int64_t *out)
{
	int ret = store_row_int64(st, out, "read the schema version",
				  "PRAGMA user_version", STORE_NO_PARAMS);

	/* The pragma always answers; no row would be SQLite's failure. */
	if (ret == PG_ENOTFOUND)
		ret = store_err(st, "read the schema version");
	return ret;
}

/*
 * user_version is four bytes of the file header that anything can write:
 * a version outside 0..SCHEMA_VERSION is refused before it indexes
 * migrations[] or anything touches the file.
 */
static int check_version(struct store *st, int64_t version)
{
	if (version > SCHEMA_VERSION)
		return error_code(PG_EENV,
				  "database '%s' has schema version %lld, newer than this perfgo (%d): upgrade perfgo",
				  st->path, (long long)version, SCHEMA_VERSION);
	if (version < 0)
		return error_code(PG_EENV,
				  "database '%s' has schema version %lld, which this perfgo does not know: "
				  "the file is damaged or was not written by perfgo (move it aside to start a new store)",
				  st->path, (long long)version);
	return 0;
}

/*
 * Apply one migration, or find there is nothing left to do (*done).  The
 * version is read under the write lock, so two perfgo processes opening a
 * new database at once do not both create the tables.
 */
static int migrate_step(struct store *st, int *done)
{
	char pragma[64];
	int64_t version = 0;
	int ret;

	ret = store_tx_begin(st);
	if (ret)
		return ret;
	ret = read_user_version(st, &version);
	if (ret)
		goto out;
	ret = check_version(st, version);
	if (ret)
		goto out;
	if (version == SCHEMA_VERSION) {
		*done = 1;
		ret = store_tx_commit(st);
		goto out;
	}
	ret = store_exec(st, migrations[version], "migrate the schema");
	if (ret)
		goto out;
	/* PRAGMA takes no parameters; the value is our own integer. */
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", (int)version + 1);
	ret = store_exec(st, pragma, "set the schema version");
	if (!ret)
		ret = store_tx_commit(st);
out:
	if (ret)
		store_tx_rollback(st);
	return ret;
}

static int store_migrate(struct store *st)
{
	int done = 0, ret = 0;

	while (!ret && !done)
		ret = migrate_step(st, &done);
	return ret;
}

/*
 * Switch a new database to WAL (the mode is persistent, so later opens find
 * it set).  The switch upgrades a shared lock to an exclusive one, and
 * SQLite returns SQLITE_BUSY at once instead of calling the busy handler
 * when that could deadlock: several perfgo processes creating the store
 * together hit exactly that, so retry here for the busy timeout.
 */
static int store_set_wal(struct store *st)
{
	sqlite3_stmt *stmt = NULL;
	const char *mode;
	int ret, rc, waited;

	ret = store_prepare(st, "PRAGMA journal_mode = WAL", &stmt,
			    "set the journal mode");
	if (ret)
		return ret;
	for (waited = 0;; waited += 10) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW || (rc & 0xff) != SQLITE_BUSY ||
		    waited >= BUSY_TIMEOUT_MS)
			break;
		sqlite3_reset(stmt);
		sqlite3_sleep(10);
	}
	if (rc != SQLITE_ROW) {
		ret = store_err(st, "set the journal mode");
		goto out;
	}
	/* journal_mode answers with the mode it ended up in. */
	mode = (const char *)sqlite3_column_text(stmt, 0);
	if (!mode || strcmp(mode, "wal"))
		warning("database '%s' is not in WAL mode ('%s'): concurrent runs may wait for each other",
			st->path, mode ? mode : "?");
out:
	sqlite3_finalize(stmt);
	return ret;
}

#define STORE_UPGRADE 1      /* read-only connection, schema to migrate */

static int store_configure(struct store *st, int readonly)
{
	int64_t version = 0;
	int ret;

	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	/* Refuse an unknown version before the journal mode is switched. */
	ret = read_user_version(st, &version);
	if (!ret)
		ret = check_version(st, version);
	/* Reading only: no journal mode to switch; an old schema is upgraded first. */
	if (ret || readonly)
		return ret ? ret : version != SCHEMA_VERSION ? STORE_UPGRADE : 0;
	if (!ret)
		ret = store_set_wal(st);
	/*
	 * NORMAL in WAL mode survives any crash of perfgo; only a power loss
	 * can drop the last commits, never corrupt the file.
	 */
	if (!ret)
		ret = store_exec(st, "PRAGMA synchronous = NORMAL", "configure the connection");
	if (!ret)
		ret = store_exec(st, "PRAGMA foreign_keys = ON", "configure the connection");
	return ret;
}

static int open_db(struct store *st, int flags, int immutable)
{
	struct buf uri = BUF_INIT;
	int rc;

	if (immutable) {
		uri_quote_path(&uri, st->path);
		buf_addstr(&uri, "?immutable=1");
		flags |= SQLITE_OPEN_URI;
	}
	rc = sqlite3_open_v2(immutable ? uri.buf : st->path, &st->db, flags, NULL);
	buf_release(&uri);
	if (rc != SQLITE_OK)
		return error_code(PG_EENV, "cannot open database '%s': %s", st->path,
				  st->db ? sqlite3_errmsg(st->db) : "out of memory");
	sqlite3_extended_result_codes(st->db, 1);
	return 0;
}

int store_open(struct store **out, const char *dir, int create)
{
	struct store *st = NULL;
	struct buf path = BUF_INIT;
	struct stat sb;
	int flags = SQLITE_OPEN_READWRITE;
	int ret;

	*out = NULL;
	if (create) {
		ret = make_store_dirs(dir);
		if (ret)
			return ret;
		flags |= SQLITE_OPEN_CREATE;
	}
	st = xcalloc(1, sizeof(*st));
	st->dir = xstrdup(dir);
	buf_addf(&path, "%s/perfgo.db", dir);
	st->path = buf_detach(&path);

	if (!create && stat(st->path, &sb)) {
		if (errno == ENOENT || errno == ENOTDIR)
			ret = PG_ENOTFOUND;
		else
			ret = error_code(PG_EENV, "cannot open database '%s': %s",
					 st->path, strerror(errno));
		goto out;
	}
	/*
	 * (O_CLOEXEC: SQLite's unix VFS.)  Reading only opens read-only; where
	 * no -shm file can be made, as immutable.  An old schema is migrated.
	 */
	ret = open_db(st, create ? flags : SQLITE_OPEN_READONLY, !create && access(dir, W_OK));
	if (!ret)
		ret = store_configure(st, !create);
	if (ret == STORE_UPGRADE) {
		sqlite3_close(st->db);
		ret = open_db(st, SQLITE_OPEN_READWRITE, 0);
		if (!ret)
			ret = store_configure(st, 0);
		create = 1;
	}
	if (!ret && create)
		ret = store_migrate(st);
out:
	if (ret)
		store_close(st);
	else
		*out = st;
	return ret;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	/* Every path finalizes its statements; a busy close is our bug. */
	if (sqlite3_close(st->db) != SQLITE_OK)
		BUG("database '%s' closed with statements unfinalized", st->path);
	free(st->dir);
	free(st->path);
	free(st);
}

const char *store_dir(const struct store *st)
{
	return st->dir;
}
