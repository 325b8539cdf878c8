/* History queries; see store_trend.h. */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "store/store_internal.h"
#include "store/store_trend.h"
#include "util/usage.h"
#include "util/banned.h"

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

static const char samples_sql[] =
	"SELECT r.commit_sha, c.time, c.subject, f.hash, r.seq, s.value"
	" FROM samples s"
	" JOIN runs r ON r.seq = s.run_seq"
	" LEFT JOIN commits c ON c.sha = r.commit_sha"
	" LEFT JOIN fingerprints f ON f.id = r.fingerprint_id"
	" WHERE s.benchmark_id = ?1 AND s.metric = ?2"
	" AND r.command = 'run' AND r.status = 'ok' AND r.dirty = 0"
	" AND r.commit_sha IS NOT NULL"
	" ORDER BY s.run_seq";

int store_trend_samples(struct store *st, int64_t bench_id, const char *metric,
			struct trend_samples *out)
{
	sqlite3_stmt *stmt = NULL;
	int ret, rc;

	ret = store_prepare(st, samples_sql, &stmt, "read a history");
	if (ret)
		return ret;
	sqlite3_bind_int64(stmt, 1, bench_id);
	store_bind_text(stmt, 2, metric);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct trend_sample *s;
		const char *fp = (const char *)sqlite3_column_text(stmt, 3);
		const char *subject = (const char *)sqlite3_column_text(stmt, 2);

		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		s = &out->v[out->nr++];
		s->sha = store_col_strdup(stmt, 0);
		s->time = sqlite3_column_int64(stmt, 1);
		s->subject = xstrdup(subject ? subject : "");
		s->fp_class = xstrdup(fp ? fp : "");
		s->run_seq = sqlite3_column_int64(stmt, 4);
		s->value = sqlite3_column_double(stmt, 5);
	}
	if (rc != SQLITE_DONE)
		ret = store_err(st, "read a history");
	sqlite3_finalize(stmt);
	return ret;
}

int store_trend_plan(struct store *st, char **plan_out)
{
	sqlite3_stmt *stmt = NULL;
	struct buf sql = BUF_INIT, plan = BUF_INIT;
	int ret, rc;

	buf_addf(&sql, "EXPLAIN QUERY PLAN %s", samples_sql);
	ret = store_prepare(st, sql.buf, &stmt, "explain a history");
	buf_release(&sql);
	if (ret)
		return ret;
	sqlite3_bind_int64(stmt, 1, 1);
	store_bind_text(stmt, 2, "ns/op");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		buf_addf(&plan, "%s\n", (const char *)sqlite3_column_text(stmt, 3));
	if (rc != SQLITE_DONE)
		ret = store_err(st, "explain a history");
	sqlite3_finalize(stmt);
	*plan_out = buf_detach(&plan);
	return ret;
}
