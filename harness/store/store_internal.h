#ifndef PERFGO_STORE_INTERNAL_H
#define PERFGO_STORE_INTERNAL_H

/*
 * Shared between the files of store/: store.c (schema, open, these
 * helpers), store_write.c (runs, samples, events, artifacts,
 * fingerprints), store_read.c (lists, selectors, samples) and
 * store_history.c (commits, reuse, comparisons).  Nothing outside store/
 * includes this: the rest of perfgo sees only store.h and never a sqlite3
 * handle.
 */

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store/store.h"
#include "util/usage.h"

struct store {
	sqlite3 *db;
	char *dir;               /* the .perfgo directory */
	char *path;              /* <dir>/perfgo.db, for messages */
};

/* Why, when another connection held the write lock past BUSY_TIMEOUT_MS (store.c). */
#define STORE_BUSY_WHY "another perfgo is writing to it and held the lock for 10 s " \
	"(the busy timeout): try again when it has finished"

/* Report sqlite3_errmsg() as "cannot <what> in database '<path>': ..."; PG_EENV. */
int store_err(struct store *st, const char *what);
/* Prepare or report; *out is NULL on failure. */
int store_prepare(struct store *st, const char *sql, sqlite3_stmt **out,
		  const char *what);
/* Step a statement that returns no rows; report anything but SQLITE_DONE. */
int store_step_done(struct store *st, sqlite3_stmt *stmt, const char *what);
/* Bind a copy of `s`, or NULL. */
int store_bind_text(sqlite3_stmt *stmt, int i, const char *s);
/* A copy of a text column, NULL for SQL NULL. */
char *store_col_strdup(sqlite3_stmt *stmt, int i);
/* The internal key of run `id`; PG_ENOTFOUND (silent) when there is none. */
int store_run_seq(struct store *st, const char *id, int64_t *seq_out);
/* store_run_seq() for writers, to whom an unknown run is a reported error. */
int store_run_seq_write(struct store *st, const char *id, int64_t *seq_out);

/*
 * A bound parameter of a one-row lookup: STORE_TEXT(s) binds a string
 * (NULL binds SQL NULL), STORE_INT(v) a 64-bit integer.  Strings are bound
 * without a copy: they only need to live through the call.
 */
struct store_param {
	int is_text;
	const char *text;
	int64_t i;
};
#define STORE_TEXT(s) ((struct store_param){ 1, (s), 0 })
#define STORE_INT(v) ((struct store_param){ 0, NULL, (v) })
/* The parameters of a lookup, ?1 first: STORE_PARAMS(STORE_TEXT(id)). */
#define STORE_PARAMS(...) (const struct store_param[]){ __VA_ARGS__ }, \
	ARRAY_SIZE(((const struct store_param[]){ __VA_ARGS__ }))
#define STORE_NO_PARAMS NULL, 0

/*
 * One-row lookups, the one place that prepares, binds, steps and reports
 * them.  Prepare `sql`, bind params[0..n) to ?1..?n and step once:
 *
 *  - 0: *row is positioned on the first row; read its columns, then
 *    sqlite3_finalize(*row);
 *  - PG_ENOTFOUND, silent: there is no row;
 *  - otherwise the failure is reported once as "cannot <what> in database
 *    '<path>': <sqlite message>" and PG_EENV is returned.
 *
 * On every return but 0, *row is NULL (finalizing it is harmless).
 */
int store_row(struct store *st, sqlite3_stmt **row, const char *what,
	      const char *sql, const struct store_param *params, size_t n);
/* store_row() for a lookup whose answer is the first column, an integer. */
int store_row_int64(struct store *st, int64_t *out, const char *what,
		    const char *sql, const struct store_param *params, size_t n);

/* Run SQL without parameters (pragmas, schema scripts) or report. */
int store_exec(struct store *st, const char *sql, const char *what);
/* BEGIN IMMEDIATE, COMMIT, and a ROLLBACK after a reported failure. */
int store_tx_begin(struct store *st);
int store_tx_commit(struct store *st);
void store_tx_rollback(struct store *st);

/* Write <dir>/.gitignore ("*") when missing (store_write.c). */
void store_write_gitignore(const char *dir);

/* Migration 3 -> 4 (store_trend.c): the covering history index. */
extern const char store_schema_v4[];
/* Migration 4 -> 5 (store_failures.c): benchmarks a backend could not count. */
extern const char store_schema_v5[];

enum run_status run_status_parse(const char *s);
const char *event_state_name(enum event_state s);
enum event_state event_state_parse(const char *s);

#endif
