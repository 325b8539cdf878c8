/* History queries; see store_trend.h. */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "store/store_internal.h"
#include "store/store_trend.h"
#include "util/usage.h"
#include "util/banned.h"

/*
 * Schema version 4 (store.c's migrations): history queries read a
 * benchmark's values over thousands of runs; with the value in the index
 * they never touch the samples table (5x faster at 10,000 commits,
 * tests/bench/bench_trend.c).  It replaces samples_history, whose columns
 * it begins with.  IF [NOT] EXISTS: a half-migrated file is finished.
 */
const char store_schema_v4[] =
	"CREATE INDEX IF NOT EXISTS samples_history_v"
	" ON samples(benchmark_id, metric, run_seq, value);\n"
	"DROP INDEX IF EXISTS samples_history;\n";

void trend_keys_release(struct trend_keys *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		free(l->v[i].package);
		free(l->v[i].name);
		free(l->v[i].metric);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Append the metrics of one benchmark: one index seek per metric. */
static int bench_metrics(struct store *st, sqlite3_stmt *next, int64_t id, const char *pkg,
			 const char *name, const char *only, struct trend_keys *out)
{
	char *last = xstrdup("");
	int rc, ret = 0;

	for (;;) {
		struct trend_key *k;

		sqlite3_reset(next);
		sqlite3_bind_int64(next, 1, id);
		store_bind_text(next, 2, last);
		rc = sqlite3_step(next);
		if (rc != SQLITE_ROW)
			break;
		free(last);
		last = store_col_strdup(next, 0);
		if (only && strcmp(only, last))
			continue;
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		k = &out->v[out->nr++];
		k->bench_id = id;
		k->package = xstrdup(pkg);
		k->name = xstrdup(name);
		k->metric = xstrdup(last);
	}
	if (rc != SQLITE_DONE)
		ret = store_err(st, "read history metrics");
	free(last);
	return ret;
}

int store_trend_keys(struct store *st, const char *metric, struct trend_keys *out)
{
	sqlite3_stmt *benches = NULL, *next = NULL;
	int ret, rc = SQLITE_DONE;

	ret = store_prepare(st, "SELECT id, package, name FROM benchmarks ORDER BY package, name",
			    &benches, "read history benchmarks");
	if (!ret)
		ret = store_prepare(st, "SELECT metric FROM samples WHERE benchmark_id = ?1"
				    " AND metric > ?2 ORDER BY metric LIMIT 1", &next,
				    "read history metrics");
	while (!ret && (rc = sqlite3_step(benches)) == SQLITE_ROW)
		ret = bench_metrics(st, next, sqlite3_column_int64(benches, 0),
				    (const char *)sqlite3_column_text(benches, 1),
				    (const char *)sqlite3_column_text(benches, 2), metric, out);
	if (!ret && rc != SQLITE_DONE)
		ret = store_err(st, "read history benchmarks");
	sqlite3_finalize(benches);
	sqlite3_finalize(next);
	return ret;
}

/*
 * Two queries merged by run: the samples of the pair, in run order, from
 * the samples_history index alone (it holds the value since schema v3);
 * and every history run with its commit and runner class, once each.
 * Joining per sample cost five times as much at 10,000 commits.
 */
static const char samples_sql[] =
	"SELECT s.run_seq, s.value FROM samples s"
	" WHERE s.benchmark_id = ?1 AND s.metric = ?2 ORDER BY s.run_seq";

static const char runs_sql[] =
	"SELECT r.seq, r.commit_sha, c.time, c.subject, f.hash"
	" FROM runs r"
	" LEFT JOIN commits c ON c.sha = r.commit_sha"
	" LEFT JOIN fingerprints f ON f.id = r.fingerprint_id"
	" WHERE r.command = 'run' AND r.status = 'ok' AND r.dirty = 0"
	" AND r.commit_sha IS NOT NULL AND r.seq >= ?1 AND r.seq <= ?2"
	" ORDER BY r.seq";

struct run_facts {
	int64_t seq;
	const char *sha, *subject, *fp_class;
	long long time;
};

/* The history runs with seq in [lo, hi], in order; strings owned by `out`. */
static int history_runs(struct store *st, int64_t lo, int64_t hi, struct trend_samples *out,
			struct run_facts **runs, size_t *nruns)
{
	sqlite3_stmt *stmt = NULL;
	size_t alloc = 0;
	int ret, rc;

	ret = store_prepare(st, runs_sql, &stmt, "read a history");
	if (ret)
		return ret;
	sqlite3_bind_int64(stmt, 1, lo);
	sqlite3_bind_int64(stmt, 2, hi);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *subject = (const char *)sqlite3_column_text(stmt, 3);
		const char *fp = (const char *)sqlite3_column_text(stmt, 4);
		struct run_facts *f;

		ALLOC_GROW(*runs, *nruns + 1, alloc);
		f = &(*runs)[(*nruns)++];
		f->seq = sqlite3_column_int64(stmt, 0);
		f->sha = trend_samples_own(out, store_col_strdup(stmt, 1));
		f->time = sqlite3_column_int64(stmt, 2);
		f->subject = trend_samples_own(out, xstrdup(subject ? subject : ""));
		f->fp_class = trend_samples_own(out, xstrdup(fp ? fp : ""));
	}
	if (rc != SQLITE_DONE)
		ret = store_err(st, "read a history");
	sqlite3_finalize(stmt);
	return ret;
}

int store_trend_samples(struct store *st, int64_t bench_id, const char *metric,
			struct trend_samples *out)
{
	sqlite3_stmt *stmt = NULL;
	struct run_facts *runs = NULL;
	int64_t *seq = NULL;
	double *val = NULL;
	size_t n = 0, alloc = 0, nruns = 0, r = 0;
	int ret, rc;

	ret = store_prepare(st, samples_sql, &stmt, "read a history");
	if (ret)
		return ret;
	sqlite3_bind_int64(stmt, 1, bench_id);
	store_bind_text(stmt, 2, metric);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			seq = xrealloc(seq, alloc * sizeof(*seq));
			val = xrealloc(val, alloc * sizeof(*val));
		}
		seq[n] = sqlite3_column_int64(stmt, 0);
		val[n++] = sqlite3_column_double(stmt, 1);
	}
	if (rc != SQLITE_DONE)
		ret = store_err(st, "read a history");
	sqlite3_finalize(stmt);
	if (!ret && n)
		ret = history_runs(st, seq[0], seq[n - 1], out, &runs, &nruns);
	/* Both in run order: keep the samples of history runs. */
	for (size_t i = 0; !ret && i < n; i++) {
		struct trend_sample *s;

		while (r < nruns && runs[r].seq < seq[i])
			r++;
		if (r == nruns)
			break;
		if (runs[r].seq != seq[i])
			continue;
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		s = &out->v[out->nr++];
		s->sha = runs[r].sha;
		s->subject = runs[r].subject;
		s->fp_class = runs[r].fp_class;
		s->time = runs[r].time;
		s->run_seq = seq[i];
		s->value = val[i];
	}
	free(runs);
	free(seq);
	free(val);
	return ret;
}

static int explain(struct store *st, const char *query, struct buf *plan)
{
	sqlite3_stmt *stmt = NULL;
	struct buf sql = BUF_INIT;
	int ret, rc;

	buf_addf(&sql, "EXPLAIN QUERY PLAN %s", query);
	ret = store_prepare(st, sql.buf, &stmt, "explain a history");
	buf_release(&sql);
	if (ret)
		return ret;
	sqlite3_bind_int64(stmt, 1, 1);
	store_bind_text(stmt, 2, "ns/op");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		buf_addf(plan, "%s\n", (const char *)sqlite3_column_text(stmt, 3));
	if (rc != SQLITE_DONE)
		ret = store_err(st, "explain a history");
	sqlite3_finalize(stmt);
	return ret;
}

int store_trend_plan(struct store *st, char **plan_out)
{
	struct buf plan = BUF_INIT;
	int ret = explain(st, samples_sql, &plan);

	if (!ret)
		ret = explain(st, runs_sql, &plan);
	*plan_out = buf_detach(&plan);
	return ret;
}
