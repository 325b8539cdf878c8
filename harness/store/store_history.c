/* Commits, reuse of measured runs and comparisons; see store.h. */
#include <string.h>

#include "git/gitrev.h"
#include "store/store_internal.h"
#include "util/usage.h"
#include "util/banned.h"

int store_add_commit(struct store *st, const struct commit_info *ci)
{
	sqlite3_stmt *stmt = NULL;
	int ret;

	ret = store_prepare(st, "INSERT OR IGNORE INTO commits (sha, parents, time, subject)"
			    " VALUES (?1, ?2, ?3, ?4)", &stmt, "store a commit");
	if (ret)
		return ret;
	store_bind_text(stmt, 1, ci->sha);
	store_bind_text(stmt, 2, ci->parents);
	sqlite3_bind_int64(stmt, 3, ci->time);
	store_bind_text(stmt, 4, ci->subject);
	ret = store_step_done(st, stmt, "store a commit");
	sqlite3_finalize(stmt);
	return ret;
}

int store_find_measured(struct store *st, const char *command, const char *sha,
			const char *config_json, int64_t fingerprint_id, char id_out[33])
{
	sqlite3_stmt *row;
	int ret;

	ret = store_row(st, &row, "look up measured runs",
			"SELECT r.id FROM runs r"
			" JOIN fingerprints f ON f.id = r.fingerprint_id"
			" WHERE r.commit_sha = ?1 AND r.status = 'ok' AND r.dirty = 0"
			" AND r.config_json = ?2 AND (?3 IS NULL OR r.command = ?3)"
			" AND f.hash = (SELECT hash FROM fingerprints WHERE id = ?4)"
			" ORDER BY r.seq DESC LIMIT 1",
			STORE_PARAMS(STORE_TEXT(sha), STORE_TEXT(config_json),
				     STORE_TEXT(command), STORE_INT(fingerprint_id)));
	if (ret)
		return ret;
	/* The CHECK constraint on runs.id makes it 32 characters. */
	memcpy(id_out, sqlite3_column_text(row, 0), 32);
	id_out[32] = '\0';
	sqlite3_finalize(row);
	return 0;
}

int store_add_comparison(struct store *st, const char *run_id, const char *base_id,
			 const char *head_id)
{
	int64_t seq, base, head;
	sqlite3_stmt *stmt = NULL;
	int ret;

	ret = store_run_seq_write(st, run_id, &seq);
	if (!ret)
		ret = store_run_seq_write(st, base_id, &base);
	if (!ret)
		ret = store_run_seq_write(st, head_id, &head);
	if (!ret)
		ret = store_prepare(st, "INSERT INTO comparisons (run_seq, base_seq, head_seq)"
				    " VALUES (?1, ?2, ?3)", &stmt, "store a comparison");
	if (ret)
		return ret;
	sqlite3_bind_int64(stmt, 1, seq);
	sqlite3_bind_int64(stmt, 2, base);
	sqlite3_bind_int64(stmt, 3, head);
	ret = store_step_done(st, stmt, "store a comparison");
	sqlite3_finalize(stmt);
	return ret;
}

int store_get_comparison(struct store *st, const char *run_id, char base_out[33],
			 char head_out[33])
{
	sqlite3_stmt *row;
	int ret;

	ret = store_row(st, &row, "read a comparison",
			"SELECT b.id, h.id FROM comparisons c"
			" JOIN runs r ON r.seq = c.run_seq"
			" JOIN runs b ON b.seq = c.base_seq"
			" JOIN runs h ON h.seq = c.head_seq"
			" WHERE r.id = ?1",
			STORE_PARAMS(STORE_TEXT(run_id)));
	if (ret)
		return ret;
	memcpy(base_out, sqlite3_column_text(row, 0), 32);
	memcpy(head_out, sqlite3_column_text(row, 1), 32);
	base_out[32] = head_out[32] = '\0';
	sqlite3_finalize(row);
	return 0;
}
