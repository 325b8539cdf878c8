#ifndef PERFGO_STORE_INTERNAL_H
#define PERFGO_STORE_INTERNAL_H

/*
 * Shared between store.c (schema, open), store_write.c (runs, samples,
 * events, artifacts, fingerprints) and store_read.c (lists, selectors,
 * samples).  Nothing outside those two files includes this:
 * the rest of perfgo sees only store.h and never a sqlite3 handle.
 */

#include <stdint.h>

#include <sqlite3.h>

#include "store/store.h"

struct store {
	sqlite3 *db;
	char *dir;               /* the .perfgo directory */
	char *path;              /* <dir>/perfgo.db, for messages */
};

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
/* Run SQL without parameters (pragmas, schema scripts) or report. */
int store_exec(struct store *st, const char *sql, const char *what);
/* BEGIN IMMEDIATE, COMMIT, and a ROLLBACK after a reported failure. */
int store_tx_begin(struct store *st);
int store_tx_commit(struct store *st);
void store_tx_rollback(struct store *st);
/* CLOCK_REALTIME in nanoseconds. */

enum run_status run_status_parse(const char *s);
const char *event_state_name(enum event_state s);
enum event_state event_state_parse(const char *s);

#endif
