/*
 * Benchmarks a run's backend could not count (store.h, "failures"): the
 * simulation's valgrind failing on one benchmark leaves that benchmark's
 * simulated metrics out with the reason, and the run goes on.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_internal.h"
#include "util/usage.h"
#include "util/banned.h"

/*
 * Version 5: one row per benchmark of a run whose backend metrics are
 * missing, with the metrics left out (space-separated) and why.
 */
const char store_schema_v5[] =
	"CREATE TABLE IF NOT EXISTS bench_failures (\n"
	"	run_seq INTEGER NOT NULL REFERENCES runs(seq) ON DELETE CASCADE,\n"
	"	benchmark_id INTEGER NOT NULL REFERENCES benchmarks(id),\n"
	"	metrics TEXT NOT NULL,            -- the metrics left out, space-separated\n"
	"	reason TEXT NOT NULL,\n"
	"	PRIMARY KEY (run_seq, benchmark_id)\n"
	");\n";

int store_add_bench_failure(struct store *st, const char *run_id, int64_t bench_id,
			    const char *metrics, const char *reason)
{
	sqlite3_stmt *stmt = NULL;
	int64_t seq = 0;
	int ret;

	ret = store_run_seq_write(st, run_id, &seq);
	if (ret)
		return ret;
	/* The first reason stays: later repetitions do not try again. */
	ret = store_prepare(st,
			    "INSERT OR IGNORE INTO bench_failures (run_seq, benchmark_id, metrics, reason)"
			    " VALUES (?1, ?2, ?3, ?4)", &stmt, "store a benchmark's failure");
	if (ret)
		return ret;
	sqlite3_bind_int64(stmt, 1, seq);
	sqlite3_bind_int64(stmt, 2, bench_id);
	sqlite3_bind_text(stmt, 3, metrics, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, reason, -1, SQLITE_STATIC);
	ret = store_step_done(st, stmt, "store a benchmark's failure");
	sqlite3_finalize(stmt);
	return ret;
}

int store_bench_failed(struct store *st, const char *run_id, int64_t bench_id, int *out)
{
	int64_t n = 0;
	int ret;

	*out = 0;
	ret = store_row_int64(st, &n, "read a benchmark's failure",
			      "SELECT count(*) FROM bench_failures f JOIN runs r ON r.seq = f.run_seq"
			      " WHERE r.id = ?1 AND f.benchmark_id = ?2",
			      STORE_PARAMS(STORE_TEXT(run_id), STORE_INT(bench_id)));
	if (ret)
		return ret;
	*out = n > 0;
	return 0;
}

void bench_failure_list_release(struct bench_failure_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		free(l->rows[i].package);
		free(l->rows[i].bench);
		free(l->rows[i].metrics);
		free(l->rows[i].reason);
	}
	free(l->rows);
	memset(l, 0, sizeof(*l));
}

int store_run_failures(struct store *st, const char *run_id, struct bench_failure_list *out)
{
	sqlite3_stmt *stmt = NULL;
	int ret, rc;

	ret = store_prepare(st, "SELECT b.package, b.name, f.metrics, f.reason"
			    " FROM bench_failures f JOIN runs r ON r.seq = f.run_seq"
			    " JOIN benchmarks b ON b.id = f.benchmark_id"
			    " WHERE r.id = ?1 ORDER BY f.rowid", &stmt, "read the benchmarks' failures");
	if (ret)
		return ret;
	sqlite3_bind_text(stmt, 1, run_id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct bench_failure *f;

		ALLOC_GROW(out->rows, out->nr + 1, out->alloc);
		f = &out->rows[out->nr++];
		f->package = store_col_strdup(stmt, 0);
		f->bench = store_col_strdup(stmt, 1);
		f->metrics = store_col_strdup(stmt, 2);
		f->reason = store_col_strdup(stmt, 3);
	}
	if (rc != SQLITE_DONE)
		ret = store_err(st, "read the benchmarks' failures");
	sqlite3_finalize(stmt);
	return ret;
}
