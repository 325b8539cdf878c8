#ifndef PERFGO_RUNREC_H
#define PERFGO_RUNREC_H

/*
 * Recording a run: its row in the store, written 'running' before any
 * work, the directory runs/<id>/ with the artifact files every job is
 * appended to (stdout, stderr, the backend's raw output), and the final
 * status and exit code.
 */

#include "cli/cli.h"
#include "measure/backend.h"
#include "measure/measure.h"
#include "runner/runner.h"
#include "session/workspace.h"

struct runrec {
	struct run_info ri;         /* ri.id is "" until the row exists */
	const struct backend *backend;
	char *dir;                  /* runs/<id>/ */
	int out_fd, err_fd, raw_fd;
	char *argv_json;
};

struct runrec_args {
	const char *command;        /* "test stat", "run", "compare", ... */
	const char *packages;       /* as given; replaced once resolved */
	const char *commit, *branch;
	int dirty;
	int64_t fingerprint_id;
	const char *config_json;
	/* The backend measuring into the run: its raw output gets an artifact; NULL: none. */
	const struct backend *backend;
};

/* Nothing recorded yet: runrec_finish() and runrec_release() are no-ops. */
void runrec_init(struct runrec *rr);

/*
 * Write the 'running' row, create runs/<id>/ and open the artifact files.
 * On failure after the row was written, rr->ri.id is set: finish the
 * record with the error.
 */
int runrec_begin(struct runrec *rr, struct workspace *ws, const struct ctx *ctx,
		 const struct runrec_args *a);
/*
 * Record the artifacts (size, sha256; empty files are dropped) and the
 * final status from `err` (0 ok, PG_EINTR interrupted, else failed).
 * Returns the exit code for `err` (DESIGN §7), EXIT_ENV when the status
 * could not be stored.
 */
int runrec_finish(struct runrec *rr, struct workspace *ws, int err);
/* The same with the exit code given: a comparison that found a regression. */
int runrec_finish_exit(struct runrec *rr, struct workspace *ws, int err, int exit_code);
void runrec_release(struct runrec *rr);

/*
 * A measuring context writing into this run: its backend, id, directory
 * and artifact files; jobs run on `r`, samples go to `st`.
 */
void runrec_measure_ctx(const struct runrec *rr, struct runner *r, struct store *st,
			struct measure_ctx *mc);

#endif
