/*
 * The read side of the store: listing runs, resolving run selectors
 * ("0", "-N", id prefixes), and loading a run's samples, events,
 * artifacts and fingerprint.  Rows are copied out; nothing returned
 * points into SQLite.
 */
#include <stdlib.h>
#include <string.h>

#include "util/parse.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "util/usage.h"
#include "util/banned.h"

/*
 * The columns every run query returns, in the order run_row_read() takes
 * them.  nbench counts through the samples primary key (run_seq first).
 */
#define RUN_COLUMNS \
	"r.id, r.started_ns, r.finished_ns, r.status, r.exit_code, r.command," \
	" r.argv_json, r.workdir, r.packages, r.commit_sha, r.branch, r.dirty," \
	" r.config_json, r.fingerprint_id," \
	" (SELECT count(DISTINCT s.benchmark_id) FROM samples s" \
	"  WHERE s.run_seq = r.seq)"

/* Newest first; seq breaks ties between runs started in the same ns. */
#define RUN_ORDER " ORDER BY r.started_ns DESC, r.seq DESC"

void run_row_release(struct run_row *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->command);
	free(r->argv_json);
	free(r->workdir);
	free(r->packages);
	free(r->commit);
	free(r->branch);
	free(r->config_json);
	memset(r, 0, sizeof(*r));
}

void run_list_release(struct run_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nr; i++)
		run_row_release(&l->rows[i]);
	free(l->rows);
	l->rows = NULL;
	l->nr = l->alloc = 0;
}

static void run_row_read(sqlite3_stmt *stmt, struct run_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = store_col_strdup(stmt, 0);
	r->started_ns = sqlite3_column_int64(stmt, 1);
	r->finished_ns = sqlite3_column_int64(stmt, 2);
	r->status = run_status_parse((const char *)sqlite3_column_text(stmt, 3));
	if (sqlite3_column_type(stmt, 4) == SQLITE_NULL)
		r->exit_code = -1;
	else
		r->exit_code = sqlite3_column_int(stmt, 4);
	r->command = store_col_strdup(stmt, 5);
	r->argv_json = store_col_strdup(stmt, 6);
	r->workdir = store_col_strdup(stmt, 7);
	r->packages = store_col_strdup(stmt, 8);
	r->commit = store_col_strdup(stmt, 9);
	r->branch = store_col_strdup(stmt, 10);
	r->dirty = sqlite3_column_int(stmt, 11);
	r->config_json = store_col_strdup(stmt, 12);
	r->fingerprint_id = sqlite3_column_int64(stmt, 13);
	r->nbench = sqlite3_column_int(stmt, 14);
}

/* Step a prepared run query to the end, appending every row to `out`. */
static int run_rows_collect(struct store *st, sqlite3_stmt *stmt,
			    struct run_list *out)
{
	int rc;

	for (;;) {
		rc = sqlite3_step(stmt);
		if (rc != SQLITE_ROW)
			break;
		ALLOC_GROW(out->rows, out->nr + 1, out->alloc);
		run_row_read(stmt, &out->rows[out->nr++]);
	}
	if (rc != SQLITE_DONE)
		return store_err(st, "read runs");
	return 0;
}

int store_list_runs(struct store *st, const char *path, int limit,
		    struct run_list *out)
{
	sqlite3_stmt *stmt = NULL;
	int ret;

	/* instr(), not LIKE: '%' and '_' in a user's path are plain characters. */
	ret = store_prepare(st,
			    "SELECT " RUN_COLUMNS " FROM runs r"
			    " WHERE ?1 IS NULL OR instr(r.workdir, ?1) > 0"
			    " OR instr(r.packages, ?1) > 0"
			    RUN_ORDER " LIMIT ?2",
			    &stmt, "read runs");
	if (ret)
		return ret;
	store_bind_text(stmt, 1, path);
	sqlite3_bind_int(stmt, 2, limit > 0 ? limit : -1);
	ret = run_rows_collect(st, stmt, out);
	sqlite3_finalize(stmt);
	return ret;
}

/*
 * Selector grammar: "0" is the newest run and "-N" the N-th before it;
 * anything else must be hex and names an id prefix, case-insensitively.
 * So "1234" and even "00" are prefixes (the original perfgo read "00" as
 * an index; an id copied from a listing should win).  Returns 1 with
 * *index set, 0 with the lowercase prefix in `lo` and its exclusive upper
 * bound in `hi`, or a negative code.
 */
static int parse_selector(const char *sel, int64_t *index, char lo[33], char hi[33])
{
	const char *digits = sel;
	size_t len, i;

	if (!sel || !*sel)
		return PG_EUSAGE;
	if (*digits == '-')
		digits++;
	len = strlen(digits);
	if (len && strspn(digits, "0123456789") == len &&
	    (digits != sel || !strcmp(sel, "0"))) {
		/* Too many digits to count back is simply out of range. */
		if (parse_i64(digits, index))
			return PG_ENOTFOUND;
		return 1;
	}
	len = strlen(sel);
	if (strspn(sel, "0123456789abcdefABCDEF") != len)
		return PG_EUSAGE;
	/* Ids have 32 digits; a longer prefix names nothing. */
	if (len > 32)
		return PG_ENOTFOUND;
	for (i = 0; i < len; i++)
		lo[i] = (sel[i] >= 'A' && sel[i] <= 'F') ? sel[i] - 'A' + 'a' : sel[i];
	lo[len] = '\0';
	memcpy(hi, lo, len + 1);
	/* '9' + 1 is ':' and 'f' + 1 is 'g': both sort after every id digit. */
	hi[len - 1]++;
	return 0;
}

int store_find_run(struct store *st, const char *sel, struct run_row *out,
		   struct run_list *candidates)
{
	struct run_list found = RUN_LIST_INIT;
	sqlite3_stmt *stmt = NULL;
	char lo[33], hi[33];
	int64_t index = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = parse_selector(sel, &index, lo, hi);
	if (ret < 0)
		return ret;
	if (ret == 1) {
		ret = store_prepare(st, "SELECT " RUN_COLUMNS " FROM runs r"
				    RUN_ORDER " LIMIT 1 OFFSET ?1",
				    &stmt, "read runs");
		if (ret)
			goto out;
		sqlite3_bind_int64(stmt, 1, index);
	} else {
		/* A range on the id, so the UNIQUE index answers it. */
		ret = store_prepare(st, "SELECT " RUN_COLUMNS " FROM runs r"
				    " WHERE r.id >= ?1 AND r.id < ?2" RUN_ORDER,
				    &stmt, "read runs");
		if (ret)
			goto out;
		sqlite3_bind_text(stmt, 1, lo, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, hi, -1, SQLITE_STATIC);
	}
	ret = run_rows_collect(st, stmt, &found);
	if (ret)
		goto out;
	if (!found.nr) {
		ret = PG_ENOTFOUND;
	} else if (found.nr == 1) {
		*out = found.rows[0];
		found.nr = 0;
	} else {
		ret = PG_EAMBIGUOUS;
		for (size_t i = 0; candidates && i < found.nr; i++) {
			ALLOC_GROW(candidates->rows, candidates->nr + 1,
				   candidates->alloc);
			candidates->rows[candidates->nr++] = found.rows[i];
		}
		if (candidates)
			found.nr = 0;
	}
out:
	sqlite3_finalize(stmt);
	run_list_release(&found);
	return ret;
}

/* Samples. */

void sample_list_release(struct sample_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nr; i++) {
		free(l->rows[i].package);
		free(l->rows[i].bench);
		free(l->rows[i].metric);
		free(l->rows[i].unit);
	}
	free(l->rows);
	l->rows = NULL;
	l->nr = l->alloc = 0;
}

/* The samples of run `seq` (of one benchmark when bench_id > 0) in insertion order. */
static int read_samples(struct store *st, int64_t seq, int64_t bench_id, struct sample_list *out)
{
	sqlite3_stmt *stmt = NULL;
	int ret, rc;

	ret = store_prepare(st,
			    "SELECT b.package, b.name, s.metric, s.unit, s.rep,"
			    " s.iterations, s.value, s.running, s.flags"
			    " FROM samples s JOIN benchmarks b ON b.id = s.benchmark_id"
			    " WHERE s.run_seq = ?1 AND (?2 <= 0 OR s.benchmark_id = ?2)"
			    " ORDER BY s.rowid",
			    &stmt, "read samples");
	if (ret)
		return ret;
	sqlite3_bind_int64(stmt, 1, seq);
	sqlite3_bind_int64(stmt, 2, bench_id);
	for (;;) {
		struct sample_full *s;

		rc = sqlite3_step(stmt);
		if (rc != SQLITE_ROW)
			break;
		ALLOC_GROW(out->rows, out->nr + 1, out->alloc);
		s = &out->rows[out->nr++];
		s->package = store_col_strdup(stmt, 0);
		s->bench = store_col_strdup(stmt, 1);
		s->metric = store_col_strdup(stmt, 2);
		s->unit = store_col_strdup(stmt, 3);
		s->rep = sqlite3_column_int(stmt, 4);
		s->iterations = (uint64_t)sqlite3_column_int64(stmt, 5);
		s->value = sqlite3_column_double(stmt, 6);
		s->running = sqlite3_column_double(stmt, 7);
		s->flags = (unsigned)sqlite3_column_int64(stmt, 8);
	}
	if (rc != SQLITE_DONE)
		ret = store_err(st, "read samples");
	sqlite3_finalize(stmt);
	return ret;
}

int store_run_samples(struct store *st, const char *run_id, struct sample_list *out)
{
	int64_t seq = 0;
	int ret = store_run_seq(st, run_id, &seq);

	return ret ? ret : read_samples(st, seq, 0, out);
}

int store_bench_samples(struct store *st, const char *run_id, int64_t bench_id,
			struct sample_list *out)
{
	int64_t seq = 0;
	int ret = store_run_seq(st, run_id, &seq);

	return ret ? ret : read_samples(st, seq, bench_id, out);
}

/* Events, artifacts and the fingerprint of one run. */

void run_extras_release(struct run_extras *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nevents; i++)
		free(x->events[i].event);
	free(x->events);
	for (size_t i = 0; i < x->nartifacts; i++) {
		free(x->artifacts[i].kind);
		free(x->artifacts[i].path);
		free(x->artifacts[i].sha256);
	}
	free(x->artifacts);
	for (size_t i = 0; i < x->ngoconf; i++) {
		free(x->goconf[i].package);
		free(x->goconf[i].key);
		free(x->goconf[i].value);
	}
	free(x->goconf);
	bench_failure_list_release(&x->failures);
	fingerprint_release(&x->fp);
	memset(x, 0, sizeof(*x));
}

static int extras_events(struct store *st, int64_t seq, struct run_extras *x)
{
	sqlite3_stmt *stmt = NULL;
	int ret, rc;

	ret = store_prepare(st, "SELECT event, state FROM run_events"
			    " WHERE run_seq = ?1 ORDER BY rowid",
			    &stmt, "read events");
	if (ret)
		return ret;
	sqlite3_bind_int64(stmt, 1, seq);
	for (;;) {
		struct event_row *e;

		rc = sqlite3_step(stmt);
		if (rc != SQLITE_ROW)
			break;
		ALLOC_GROW(x->events, x->nevents + 1, x->events_alloc);
		e = &x->events[x->nevents++];
		e->event = store_col_strdup(stmt, 0);
		e->state = event_state_parse((const char *)sqlite3_column_text(stmt, 1));
	}
	if (rc != SQLITE_DONE)
		ret = store_err(st, "read events");
	sqlite3_finalize(stmt);
	return ret;
}

static int extras_artifacts(struct store *st, int64_t seq, struct run_extras *x)
{
	sqlite3_stmt *stmt = NULL;
	int ret, rc;

	ret = store_prepare(st, "SELECT kind, path, size, sha256 FROM artifacts"
			    " WHERE run_seq = ?1 ORDER BY rowid",
			    &stmt, "read artifacts");
	if (ret)
		return ret;
	sqlite3_bind_int64(stmt, 1, seq);
	for (;;) {
		struct artifact_row *a;

		rc = sqlite3_step(stmt);
		if (rc != SQLITE_ROW)
			break;
		ALLOC_GROW(x->artifacts, x->nartifacts + 1, x->artifacts_alloc);
		a = &x->artifacts[x->nartifacts++];
		a->kind = store_col_strdup(stmt, 0);
		a->path = store_col_strdup(stmt, 1);
		a->size = (uint64_t)sqlite3_column_int64(stmt, 2);
		a->sha256 = store_col_strdup(stmt, 3);
	}
	if (rc != SQLITE_DONE)
		ret = store_err(st, "read artifacts");
	sqlite3_finalize(stmt);
	return ret;
}

static int extras_go_config(struct store *st, int64_t seq, struct run_extras *x)
{
	sqlite3_stmt *stmt = NULL;
	int ret, rc;

	ret = store_prepare(st, "SELECT package, key, value FROM run_go_config"
			    " WHERE run_seq = ?1 ORDER BY package, rowid",
			    &stmt, "read the test binary's configuration");
	if (ret)
		return ret;
	sqlite3_bind_int64(stmt, 1, seq);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct go_config_row *g;

		ALLOC_GROW(x->goconf, x->ngoconf + 1, x->goconf_alloc);
		g = &x->goconf[x->ngoconf++];
		g->package = store_col_strdup(stmt, 0);
		g->key = store_col_strdup(stmt, 1);
		g->value = store_col_strdup(stmt, 2);
	}
	if (rc != SQLITE_DONE)
		ret = store_err(st, "read the test binary's configuration");
	sqlite3_finalize(stmt);
	return ret;
}

static int extras_fingerprint(struct store *st, int64_t id, struct run_extras *x)
{
	struct fingerprint *fp = &x->fp;
	sqlite3_stmt *row;
	int ret;

	ret = store_row(st, &row, "read fingerprint",
			"SELECT host, cpu_model, cores, kernel, perf_version,"
			" go_version, goos, goarch, goamd64, gomaxprocs, paranoid,"
			" pmu, aslr, governor, smt FROM fingerprints WHERE id = ?1",
			STORE_PARAMS(STORE_INT(id)));
	if (ret == PG_ENOTFOUND)
		return 0;
	if (ret)
		return ret;
	fp->host = store_col_strdup(row, 0);
	fp->cpu_model = store_col_strdup(row, 1);
	fp->cores = sqlite3_column_int(row, 2);
	fp->kernel = store_col_strdup(row, 3);
	fp->perf_version = store_col_strdup(row, 4);
	fp->go_version = store_col_strdup(row, 5);
	fp->goos = store_col_strdup(row, 6);
	fp->goarch = store_col_strdup(row, 7);
	fp->goamd64 = store_col_strdup(row, 8);
	fp->gomaxprocs = sqlite3_column_int(row, 9);
	fp->paranoid = sqlite3_column_int(row, 10);
	fp->pmu = sqlite3_column_int(row, 11);
	fp->aslr = store_col_strdup(row, 12);
	fp->governor = store_col_strdup(row, 13);
	fp->smt = store_col_strdup(row, 14);
	x->has_fp = 1;
	sqlite3_finalize(row);
	return 0;
}

int store_run_extras(struct store *st, const struct run_row *run,
		     struct run_extras *out)
{
	int64_t seq = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = store_run_seq(st, run->id, &seq);
	if (!ret)
		ret = extras_events(st, seq, out);
	if (!ret)
		ret = extras_artifacts(st, seq, out);
	if (!ret)
		ret = extras_go_config(st, seq, out);
	if (!ret)
		ret = store_run_failures(st, run->id, &out->failures);
	if (!ret && run->fingerprint_id)
		ret = extras_fingerprint(st, run->fingerprint_id, out);
	if (ret)
		run_extras_release(out);
	return ret;
}
