/* Removing runs and their files; see store_gc.h. */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/strvec.h"
#include "store/store_gc.h"
#include "store/store_internal.h"
#include "util/usage.h"
#include "util/banned.h"

void gc_result_release(struct gc_result *r)
{
	for (size_t i = 0; i < r->ngone; i++) {
		free(r->gone[i].command);
		free(r->gone[i].commit);
	}
	free(r->gone);
	memset(r, 0, sizeof(*r));
}

static int64_t file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) ? 0 : (int64_t)sb.st_size;
}

/* perfgo.db and its write-ahead log. */
static int64_t db_size(struct store *st)
{
	struct buf wal = BUF_INIT;
	int64_t n;

	buf_addf(&wal, "%s-wal", st->path);
	n = file_size(st->path) + file_size(wal.buf);
	buf_release(&wal);
	return n;
}

/*
 * History needs, for every (commit, runner class, benchmark, metric), the
 * newest clean successful `perfgo run` run with samples of it: the rule of
 * analysis/trend.h and the filter of store_trend.c's runs_sql.  Grouping
 * by configuration too keeps that run and, per configuration, the one that
 * `run` skips a commit for and `bisect --reuse` takes (store_find_measured()).
 */
static const char history_sql[] =
	"SELECT DISTINCT m FROM (SELECT max(s.run_seq) AS m FROM samples s"
	" JOIN runs r ON r.seq = s.run_seq"
	" LEFT JOIN fingerprints f ON f.id = r.fingerprint_id"
	" WHERE r.command = 'run' AND r.status = 'ok' AND r.dirty = 0"
	" AND r.commit_sha IS NOT NULL"
	" GROUP BY r.commit_sha, ifnull(f.hash, ''), r.config_json, s.benchmark_id, s.metric)";

static int cmp_run_seq(const void *a, const void *b)
{
	const struct gc_run *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static struct gc_run *run_by_seq(struct gc_run *runs, size_t n, int64_t seq)
{
	struct gc_run key = { .seq = seq };

	return bsearch(&key, runs, n, sizeof(*runs), cmp_run_seq);
}

/* Every run (in run order) with its history flag, and the comparison links. */
static int read_runs(struct store *st, struct gc_run **runs, size_t *n,
		     struct gc_link **links, size_t *nlinks)
{
	sqlite3_stmt *stmt = NULL;
	size_t alloc = 0, lalloc = 0;
	int ret, rc;

	ret = store_prepare(st, "SELECT seq, started_ns, status FROM runs ORDER BY seq", &stmt,
			    "read the runs");
	while (!ret && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct gc_run *g;

		ALLOC_GROW(*runs, *n + 1, alloc);
		g = &(*runs)[(*n)++];
		memset(g, 0, sizeof(*g));
		g->seq = sqlite3_column_int64(stmt, 0);
		g->started_ns = sqlite3_column_int64(stmt, 1);
		g->running = run_status_parse((const char *)sqlite3_column_text(stmt, 2)) ==
			     RUN_RUNNING;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = store_err(st, "read the runs");
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (!ret)
		ret = store_prepare(st, history_sql, &stmt, "read the runs history needs");
	while (!ret && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct gc_run *g = run_by_seq(*runs, *n, sqlite3_column_int64(stmt, 0));

		if (g)
			g->history = 1;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = store_err(st, "read the runs history needs");
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (!ret)
		ret = store_prepare(st, "SELECT run_seq, base_seq FROM comparisons UNION ALL"
				    " SELECT run_seq, head_seq FROM comparisons", &stmt,
				    "read the comparisons");
	while (!ret && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ALLOC_GROW(*links, *nlinks + 1, lalloc);
		(*links)[*nlinks].a = sqlite3_column_int64(stmt, 0);
		(*links)[(*nlinks)++].b = sqlite3_column_int64(stmt, 1);
	}
	if (!ret && rc != SQLITE_DONE)
		ret = store_err(st, "read the comparisons");
	sqlite3_finalize(stmt);
	return ret;
}

/* The facts `gc` prints about a run that goes. */
static int describe_gone(struct store *st, int64_t seq, struct gc_result *res)
{
	sqlite3_stmt *row;
	struct gc_gone *g;
	int ret = store_row(st, &row, "read a run",
			    "SELECT id, started_ns, command, commit_sha, status FROM runs WHERE seq = ?1",
			    STORE_PARAMS(STORE_INT(seq)));

	if (ret)
		return ret == PG_ENOTFOUND ? store_err(st, "read a run") : ret;
	ALLOC_GROW(res->gone, res->ngone + 1, res->alloc);
	g = &res->gone[res->ngone++];
	memset(g, 0, sizeof(*g));
	snprintf(g->id, sizeof(g->id), "%s", (const char *)sqlite3_column_text(row, 0));
	g->started_ns = sqlite3_column_int64(row, 1);
	g->command = store_col_strdup(row, 2);
	g->commit = store_col_strdup(row, 3);
	g->status = run_status_parse((const char *)sqlite3_column_text(row, 4));
	sqlite3_finalize(row);
	return 0;
}

static int delete_runs(struct store *st, const struct gc_run *runs, size_t n)
{
	static const char *const sql[] = {
		/* First the links, so no measured run is referenced when it goes. */
		"DELETE FROM comparisons WHERE run_seq = ?1",
		"DELETE FROM runs WHERE seq = ?1",
	};
	int ret = 0;

	for (size_t k = 0; !ret && k < ARRAY_SIZE(sql); k++) {
		sqlite3_stmt *stmt = NULL;

		ret = store_prepare(st, sql[k], &stmt, "remove runs");
		for (size_t i = 0; !ret && i < n; i++) {
			if (runs[i].keep != GC_REMOVE)
				continue;
			sqlite3_reset(stmt);
			sqlite3_bind_int64(stmt, 1, runs[i].seq);
			ret = store_step_done(st, stmt, "remove runs");
		}
		sqlite3_finalize(stmt);
	}
	return ret;
}

/* Select and (unless dry) delete the rows, under the write lock. */
static int gc_rows(struct store *st, const struct gc_policy *p, int dry_run,
		   struct gc_result *res)
{
	struct gc_run *runs = NULL;
	struct gc_link *links = NULL;
	size_t n = 0, nlinks = 0;
	int ret = store_tx_begin(st);

	if (ret)
		return ret;
	ret = read_runs(st, &runs, &n, &links, &nlinks);
	if (!ret) {
		gc_plan(runs, n, links, nlinks, p);
		res->nruns = n;
	}
	for (size_t i = 0; !ret && i < n; i++) {
		res->kept[runs[i].keep]++;
		if (runs[i].keep == GC_REMOVE)
			ret = describe_gone(st, runs[i].seq, res);
	}
	res->kept[GC_REMOVE] = 0;
	if (!ret && !dry_run)
		ret = delete_runs(st, runs, n);
	if (!ret && !dry_run)
		ret = store_tx_commit(st);
	if (ret || dry_run)
		store_tx_rollback(st);
	free(runs);
	free(links);
	return ret;
}

/* nftw has no context argument: the walk in progress. */
static struct {
	int dry;
	size_t files;
	uint64_t bytes;
} walk;

static int walk_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_F || type == FTW_SL) {
		walk.files++;
		walk.bytes += type == FTW_F ? (uint64_t)sb->st_size : 0;
	}
	if (walk.dry)
		return 0;
	return (type == FTW_DP ? rmdir(path) : unlink(path)) ? -1 : 0;
}

static int is_run_id(const char *s)
{
	size_t n = strlen(s);

	return n == 32 && strspn(s, "0123456789abcdef") == n;
}

static int gone_has(const struct gc_result *res, const char *id)
{
	for (size_t i = 0; i < res->ngone; i++)
		if (!strcmp(res->gone[i].id, id))
			return 1;
	return 0;
}

/*
 * Remove (or, dry, count) runs/<id>/ for every id without a row, and, dry,
 * for the runs that would go.  The names are listed before the rows are
 * looked up (see store_gc.h).
 */
static int sweep_dirs(struct store *st, int dry_run, struct gc_result *res)
{
	struct buf dir = BUF_INIT, path = BUF_INIT;
	struct strvec names = STRVEC_INIT;
	struct dirent *de;
	DIR *d;
	int ret = 0;

	buf_addf(&dir, "%s/runs", st->dir);
	d = opendir(dir.buf);
	if (!d) {
		if (errno != ENOENT)
			ret = error_code(PG_EENV, "cannot read directory '%s': %s", dir.buf,
					 strerror(errno));
		goto out;
	}
	while ((de = readdir(d)))
		if (is_run_id(de->d_name))
			strvec_push(&names, de->d_name);
	closedir(d);
	for (size_t i = 0; !ret && i < names.nr; i++) {
		int64_t seq;
		int gone = gone_has(res, names.v[i]);

		ret = store_run_seq(st, names.v[i], &seq);
		if (!ret && !(dry_run && gone))
			continue;
		if (ret && ret != PG_ENOTFOUND)
			break;
		ret = 0;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir.buf, names.v[i]);
		walk.dry = dry_run;
		walk.files = 0;
		walk.bytes = 0;
		if (nftw(path.buf, walk_entry, 16, FTW_DEPTH | FTW_PHYS)) {
			ret = error_code(PG_EENV, "cannot remove '%s': %s", path.buf, strerror(errno));
			break;
		}
		res->dirs++;
		res->orphans += !gone;
		res->files += walk.files;
		res->bytes += walk.bytes;
	}
out:
	strvec_clear(&names);
	buf_release(&dir);
	buf_release(&path);
	return ret;
}

int store_gc(struct store *st, const struct gc_policy *p, int dry_run, struct gc_result *res)
{
	int ret;

	memset(res, 0, sizeof(*res));
	res->db_before = db_size(st);
	ret = gc_rows(st, p, dry_run, res);
	if (!ret)
		ret = sweep_dirs(st, dry_run, res);
	/* The space of the deleted rows goes back to the file system. */
	if (!ret && !dry_run && res->ngone) {
		if (sqlite3_exec(st->db, "VACUUM", NULL, NULL, NULL) == SQLITE_OK)
			res->vacuumed = 1;
		else
			warning("cannot compact database '%s': %s (the space is reused by later runs)",
				st->path, sqlite3_errmsg(st->db));
		sqlite3_exec(st->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	}
	res->db_after = db_size(st);
	return ret;
}
