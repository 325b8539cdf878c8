#ifndef PERFGO_SESSION_H
#define PERFGO_SESSION_H

/*
 * One path for every measuring command (DESIGN §3).  session_open() does,
 * in this order, each step only when the previous one succeeded:
 *
 *   1. preflight: the backend's tool usable here (when jobs run here), go
 *      in PATH; nothing is created before these pass
 *   2. the git repository, when commits are measured: outside a
 *      repository no store is created
 *   3. the workspace and its store
 *   4. the command's resolve hook (revisions, sides): a bad argument is
 *      reported before any runner is opened
 *   5. the runner and its probe (the fingerprint)
 *   6. with a backend: its facts about the runner and, on a remote runner,
 *      its check (locally step 1 did it), its probe into the fingerprint
 *      (perf stat: the PMU), and the fingerprint stored
 *
 * Then the command may record its own run: session_begin_run() writes the
 * 'running' row (with the session's fingerprint) and session_end_run()
 * the final status and exit code.  Commands that record one run per
 * commit (`run`, compare's sides) use runrec.h with s->ws instead.
 * session_close() releases everything in reverse order; it is safe after
 * any failure of session_open().
 */

#include "cli/cli.h"
#include "git/gitrev.h"
#include "measure/backend.h"
#include "runner/runner.h"
#include "session/runrec.h"
#include "session/workspace.h"

struct session;

struct session_opts {
	const struct ctx *ctx;          /* the command line, recorded with every run */
	const struct backend *backend;  /* how jobs are counted; NULL: not counted (test default) */
	/*
	 * With a backend (perf stat): COUNTERS_SIM counts with backend_callgrind
	 * instead; COUNTERS_AUTO too when the runner has no hardware PMU (or,
	 * locally, no perf) and has valgrind, saying so in a note.
	 */
	enum counters counters;
	const char *remote;             /* --remote-host, or NULL: this machine */
	int keep;                       /* --keep: leave the scratch directory */
	int repo;                       /* commits are measured: open the repository first */
	/* Step 4, or NULL.  0, or an error (reported) that ends session_open(). */
	int (*resolve)(struct session *s, void *data);
	void *data;
};

struct session {
	const struct ctx *ctx;
	const struct backend *backend;
	struct gitrepo *repo;           /* with opts.repo, else NULL */
	struct workspace ws;
	struct runner runner;
	int runner_open;
	struct fingerprint fp;
	int64_t fp_id;                  /* the stored fingerprint; 0 without a backend */
	struct runrec rr;               /* the command's run, once begun */
};

/* Zero the session: session_close() is then safe. */
void session_init(struct session *s);
/* Steps 1-6.  0, or the first step's error (reported). */
int session_open(struct session *s, const struct session_opts *o);
/*
 * Record the command's run with the session's fingerprint (a->fingerprint_id
 * is overwritten).  On failure s->rr.ri.id tells whether the row exists.
 */
int session_begin_run(struct session *s, struct runrec_args *a);
/*
 * Record the run's final status from `err` and its exit code `code`;
 * nothing without a run.  Returns `err`, or PG_EENV when `err` was 0 and
 * the status could not be stored.
 */
int session_end_run(struct session *s, int err, int code);
void session_close(struct session *s);

#endif
