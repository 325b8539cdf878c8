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
#include "profile/pprof_top.h"
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

static int sweep_binaries(struct store *st, int dry_run, struct gc_result *res);

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
	/* Dry, the rows go too, to see which binaries would go; then rolled back. */
	if (!ret)
		ret = delete_runs(st, runs, n);
	if (!ret && dry_run)
		ret = sweep_binaries(st, 1, res);
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

/* Remove (or, dry, count) the tree at `path`, adding its files and bytes. */
static int remove_tree(const char *path, int dry, size_t *files, uint64_t *bytes)
{
	walk.dry = dry;
	walk.files = 0;
	walk.bytes = 0;
	if (nftw(path, walk_entry, 16, FTW_DEPTH | FTW_PHYS))
		return error_code(PG_EENV, "cannot remove '%s': %s", path, strerror(errno));
	*files += walk.files;
	*bytes += walk.bytes;
	return 0;
}

/*
 * Push the names in `dir` that are `len` lowercase hex digits (run ids: 32,
 * binary hashes: 64).  A missing directory lists nothing.
 */
static int list_hex_names(const char *dir, size_t len, struct strvec *names)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return errno == ENOENT ? 0 :
			error_code(PG_EENV, "cannot read directory '%s': %s", dir, strerror(errno));
	while ((de = readdir(d)))
		if (strlen(de->d_name) == len && strspn(de->d_name, "0123456789abcdef") == len)
			strvec_push(names, de->d_name);
	closedir(d);
	return 0;
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
	int ret;

	buf_addf(&dir, "%s/runs", st->dir);
	ret = list_hex_names(dir.buf, 32, &names);
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
		ret = remove_tree(path.buf, dry_run, &res->files, &res->bytes);
		if (ret)
			break;
		res->dirs++;
		res->orphans += !gone;
	}
	strvec_clear(&names);
	buf_release(&dir);
	buf_release(&path);
	return ret;
}

/* Push the <sha256> of each "binaries/<sha256>/" that `path` names. */
static void add_binary_refs(struct strvec *refs, const char *path)
{
	for (const char *p = strstr(path, "binaries/"); p; p = strstr(p + 1, "binaries/")) {
		const char *hex = p + strlen("binaries/");

		if ((p == path || p[-1] == '/') && strspn(hex, "0123456789abcdef") == 64 &&
		    hex[64] == '/') {
			char *h = xstrndup(hex, 64);

			if (strvec_find(refs, h) < 0)
				strvec_push(refs, h);
			free(h);
		}
	}
}

/* The mappings of the profiles in runs/<id>/; 0, or PG_EENV when one cannot be read. */
static int profile_refs(struct store *st, const char *id, struct strvec *refs)
{
	struct buf path = BUF_INIT;
	struct strvec maps = STRVEC_INIT;
	struct dirent *de;
	size_t n, base;
	DIR *d;
	int ret = 0;

	buf_addf(&path, "%s/runs/%s/", st->dir, id);
	base = path.len;
	d = opendir(path.buf);
	while (d && !ret && (de = readdir(d))) {
		n = strlen(de->d_name);
		if (n <= 6 || strcmp(de->d_name + n - 6, ".pb.gz"))
			continue;
		buf_setlen(&path, base);
		buf_addstr(&path, de->d_name);
		ret = pprof_mapping_files(path.buf, &maps);
		if (ret)
			warning("cannot read the profile '%s': no stored binary is removed (it may "
				"name any of them)", path.buf);
	}
	if (d)
		closedir(d);
	for (size_t i = 0; i < maps.nr; i++)
		add_binary_refs(refs, maps.v[i]);
	strvec_clear(&maps);
	buf_release(&path);
	return ret;
}

/*
 * The stored binaries the runs in the database name: their artifact paths
 * and their profiles' mappings (test profile runs stored before the binary
 * was an artifact name it only there).  *unread is set when a profile
 * cannot be read (it may name any of them).
 */
static int binary_refs(struct store *st, struct strvec *refs, int *unread)
{
	static const char *const sql[] = {
		"SELECT path FROM artifacts WHERE path LIKE 'binaries/%'",
		"SELECT id FROM runs ORDER BY seq",
	};
	int ret = 0, rc = SQLITE_DONE;

	for (size_t k = 0; !ret && k < ARRAY_SIZE(sql); k++) {
		sqlite3_stmt *stmt = NULL;

		ret = store_prepare(st, sql[k], &stmt, "read the stored binaries' runs");
		while (!ret && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(stmt, 0);

			if (!v)
				continue;
			if (k == 0)
				add_binary_refs(refs, v);
			else if (profile_refs(st, v, refs))
				*unread = 1;
		}
		if (!ret && rc != SQLITE_DONE)
			ret = store_err(st, "read the stored binaries' runs");
		sqlite3_finalize(stmt);
	}
	return ret;
}

static int count_running(struct store *st, size_t *n)
{
	sqlite3_stmt *stmt = NULL;
	int ret = store_prepare(st, "SELECT count(*) FROM runs WHERE status = 'running'", &stmt,
				"count the runs in progress");

	if (!ret && sqlite3_step(stmt) != SQLITE_ROW)
		ret = store_err(st, "count the runs in progress");
	if (!ret)
		*n = (size_t)sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return ret;
}

/*
 * Remove (or, dry, count) binaries/<sha256>/ for every <sha256> no run in
 * the database names.  Called in a transaction (the write lock), with the
 * rows of the runs that go already deleted; see store_gc.h.
 */
static int sweep_binaries(struct store *st, int dry_run, struct gc_result *res)
{
	struct buf dir = BUF_INIT, path = BUF_INIT;
	struct strvec names = STRVEC_INIT, refs = STRVEC_INIT;
	int ret;

	buf_addf(&dir, "%s/binaries", st->dir);
	ret = list_hex_names(dir.buf, 64, &names);
	if (ret || !names.nr)
		goto out;
	ret = count_running(st, &res->bins_running);
	if (!ret && !res->bins_running)
		ret = binary_refs(st, &refs, &res->bins_unread);
	if (ret || res->bins_running || res->bins_unread) {
		res->bins_kept = names.nr;
		goto out;
	}
	for (size_t i = 0; !ret && i < names.nr; i++) {
		if (strvec_find(&refs, names.v[i]) >= 0) {
			res->bins_kept++;
			continue;
		}
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir.buf, names.v[i]);
		ret = remove_tree(path.buf, dry_run, &res->bin_files, &res->bin_bytes);
		res->bins += !ret;
	}
out:
	strvec_clear(&names);
	strvec_clear(&refs);
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
	/* After the rows are committed, under the lock (dry: gc_rows() did it). */
	if (!ret && !dry_run)
		ret = store_tx_begin(st);
	if (!ret && !dry_run) {
		ret = sweep_binaries(st, 0, res);
		store_tx_rollback(st);
	}
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
