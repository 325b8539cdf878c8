#ifndef PERFGO_STORE_H
#define PERFGO_STORE_H

/*
 * The result store: `.perfgo/perfgo.db` (SQLite) plus `.perfgo/runs/<id>/`
 * for raw artifacts (DESIGN §6).
 *
 * The database runs in WAL mode with a busy timeout and foreign keys on.
 * The schema version lives in PRAGMA user_version and is migrated forward
 * at open; a version this perfgo does not know (newer, or negative as only
 * a damaged header has) is refused as PG_EENV before anything is written.
 * Every statement is prepared and bound; nothing is pasted into SQL.
 *
 * Crash safety: store_run_begin() commits a 'running' row before any work;
 * store_add_samples() commits one job's samples in one transaction;
 * store_run_finish() sets the final status.  A kill -9 therefore loses at
 * most the job in flight and leaves the run visibly 'running' (list/view
 * show it as not complete).
 *
 * Errors are reported once (with sqlite3_errmsg) and returned as PG_EENV;
 * lookups that find nothing return PG_ENOTFOUND without printing.
 *
 * Ownership: struct store is opaque; rows returned in lists are owned by
 * the list and freed by its _release function.
 */

#include <stddef.h>
#include <stdint.h>

#include "runner/fingerprint.h"

struct store;

/* Open (and create when `create`) <dir>/perfgo.db; `dir` is the .perfgo dir. */
int store_open(struct store **out, const char *dir, int create);
void store_close(struct store *st);
/* The .perfgo directory the store lives in. */
const char *store_dir(const struct store *st);

/* The runner fingerprint (runner/fingerprint.h): free its strings. */
void fingerprint_release(struct fingerprint *fp);
/*
 * A stable hex digest over the fields that make measurements comparable
 * (cpu model, cores, kernel, perf and go versions, goos/goarch/goamd64,
 * gomaxprocs, pmu); hostname and governor are excluded.  Caller frees.
 */
char *fingerprint_hash(const struct fingerprint *fp);
/*
 * Insert if new and return its row id.  A row is keyed by every field, so
 * each run keeps the host, paranoid level and governor it really had;
 * rows with equal fingerprint_hash() (the `hash` column) are comparable.
 */
int store_fingerprint(struct store *st, const struct fingerprint *fp, int64_t *id_out);

enum run_status { RUN_RUNNING = 0, RUN_OK, RUN_FAILED, RUN_INTERRUPTED };
const char *run_status_name(enum run_status s);

struct run_info {
	char id[33];             /* 32 lowercase hex; filled by store_run_begin */
	const char *command;     /* "test stat", "test default", ... */
	const char *argv_json;   /* JSON array of perfgo's argv */
	const char *workdir;     /* cwd relative to the store's top directory */
	const char *packages;    /* space-separated import paths (may grow later) */
	const char *commit;      /* full sha or NULL */
	const char *branch;      /* NULL when detached or unknown */
	int dirty;
	int64_t fingerprint_id;  /* 0: none */
	const char *config_json; /* events, count, benchtime, detail, ... */
	int64_t started_ns;      /* CLOCK_REALTIME */
};

/*
 * Create a new run id (16 random bytes as 32 lowercase hex digits) in
 * ri->id, insert the 'running' row and commit it.  A zero started_ns is
 * set to the current time.
 */
int store_run_begin(struct store *st, struct run_info *ri);
/* Update the package list once it is known. */
int store_run_set_packages(struct store *st, const char *id, const char *packages);
/* Set the final status (never RUN_RUNNING); a zero finished_ns means now. */
int store_run_finish(struct store *st, const char *id, enum run_status status,
		     int exit_code, int64_t finished_ns);

/* The id of (package, name), inserted if new. */
int store_benchmark_id(struct store *st, const char *package, const char *name,
		       int64_t *id_out);

enum sample_flags {
	SAMPLE_MULTIPLEXED = 1 << 0,   /* counter ran < 100 % of the time */
	SAMPLE_DERIVED = 1 << 1,       /* computed from other metrics */
	SAMPLE_GO = 1 << 2,            /* reported by the Go benchmark itself */
	SAMPLE_SIM = 1 << 3            /* counted by a simulator (callgrind), not the PMU */
};

struct sample_row {
	int64_t bench_id;
	const char *metric;      /* "ns/op", "instructions/op", "IPC", ... */
	const char *unit;        /* "ns", "B", "count", "ratio", ... */
	int rep;                 /* 0-based repetition */
	uint64_t iterations;     /* b.N of the job(s) that gave it */
	double value;
	double running;          /* lowest running fraction, 1.0 = 100 % */
	unsigned flags;          /* enum sample_flags */
};

/*
 * Add one job's samples in one transaction: all of them or none.  NaN
 * values and duplicate (benchmark, metric, rep) rows within a run are
 * refused.
 */
int store_add_samples(struct store *st, const char *run_id,
		      const struct sample_row *rows, size_t n);

enum event_state { EVENT_COUNTED = 0, EVENT_UNSUPPORTED, EVENT_NOT_COUNTED };
/* Record an event requested for a run and whether it could be counted. */
int store_add_event(struct store *st, const char *run_id, const char *event,
		    enum event_state state);

/*
 * Record a "key: value" line that package's test binary printed (goos,
 * goarch, pkg, cpu); a later value for the same key replaces it.
 */
int store_add_go_config(struct store *st, const char *run_id, const char *package,
			const char *key, const char *value);
/*
 * A benchmark whose backend metrics (`metrics`, space-separated: the
 * simulation's "instructions:sim/op ...") could not be counted in run
 * `run_id`, and why ("valgrind: ...", "simulation timed out after 30 s");
 * its other metrics (Go's own) may still be there.  The first reason of a
 * (run, benchmark) stays (store_failures.c).
 */
int store_add_bench_failure(struct store *st, const char *run_id, int64_t bench_id,
			    const char *metrics, const char *reason);
/* *out = 1 when the run has a failure for the benchmark, else 0. */
int store_bench_failed(struct store *st, const char *run_id, int64_t bench_id, int *out);
struct bench_failure { char *package, *bench, *metrics, *reason; };
struct bench_failure_list {
	struct bench_failure *rows;
	size_t nr, alloc;
};
void bench_failure_list_release(struct bench_failure_list *l);
/* The run's failures in the order they were recorded, appended to `out`. */
int store_run_failures(struct store *st, const char *run_id, struct bench_failure_list *out);

/* Record a file under runs/<id>/ (path relative to the .perfgo dir). */
int store_add_artifact(struct store *st, const char *run_id, const char *kind,
		       const char *relpath, uint64_t size, const char *sha256);

/* A run as listed. */
struct run_row {
	char *id;
	int64_t started_ns, finished_ns;   /* finished 0 while running */
	enum run_status status;
	int exit_code;                     /* -1 while running */
	char *command, *argv_json, *workdir, *packages;
	char *commit, *branch;
	int dirty;
	char *config_json;
	int64_t fingerprint_id;
	int nbench;                        /* distinct benchmarks with samples */
};
struct run_list {
	struct run_row *rows;
	size_t nr, alloc;
};
#define RUN_LIST_INIT { NULL, 0, 0 }
void run_list_release(struct run_list *l);

/*
 * Runs newest first.  `path` (may be NULL) keeps runs whose workdir or
 * packages contain it; `limit` <= 0 means all.
 */
int store_list_runs(struct store *st, const char *path, int limit, struct run_list *out);

/*
 * Resolve a run selector: "0" newest, "-N" the N-th before it, or a hex id
 * prefix (case-insensitive; any other all-digit value such as "00" or
 * "1234" is a prefix).  PG_ENOTFOUND if none; PG_EAMBIGUOUS with every
 * candidate appended to `candidates` (may be NULL), newest first;
 * PG_EUSAGE for a malformed selector.  Nothing is printed.  `out` is
 * zeroed first and filled only on success; release it with
 * run_row_release().
 */
int store_find_run(struct store *st, const char *sel, struct run_row *out,
		   struct run_list *candidates);
void run_row_release(struct run_row *r);

/* A stored sample joined with its benchmark. */
struct sample_full {
	char *package, *bench, *metric, *unit;
	int rep;
	uint64_t iterations;
	double value, running;
	unsigned flags;
};
struct sample_list {
	struct sample_full *rows;
	size_t nr, alloc;
};
#define SAMPLE_LIST_INIT { NULL, 0, 0 }
void sample_list_release(struct sample_list *l);
/*
 * Samples of a run in insertion order (package, benchmark, metric, rep),
 * appended to `out`; PG_ENOTFOUND (silent) for an unknown run.
 */
int store_run_samples(struct store *st, const char *run_id, struct sample_list *out);
/* The same for one benchmark (store_benchmark_id()'s id) of the run. */
int store_bench_samples(struct store *st, const char *run_id, int64_t bench_id,
			struct sample_list *out);

struct event_row { char *event; enum event_state state; };
struct artifact_row { char *kind, *path, *sha256; uint64_t size; };
/* A "key: value" line a test binary of the run printed, per package. */
struct go_config_row { char *package, *key, *value; };
struct run_extras {
	struct event_row *events;
	size_t nevents, events_alloc;
	struct artifact_row *artifacts;
	size_t nartifacts, artifacts_alloc;
	struct go_config_row *goconf;      /* by package, then as printed */
	size_t ngoconf, goconf_alloc;
	struct fingerprint fp;             /* zeroed when the run has none */
	int has_fp;
	struct bench_failure_list failures; /* benchmarks the backend could not count */
};
void run_extras_release(struct run_extras *x);
/*
 * Events and artifacts in insertion order, the test binaries' "key: value"
 * lines, the benchmarks not counted (store_run_failures()), and the
 * fingerprint when the run has one; `out` is zeroed first.
 */
int store_run_extras(struct store *st, const struct run_row *run, struct run_extras *out);

/*
 * History (store_history.c).
 */

struct commit_info;
/* Record a commit's facts once (sha, parents, time, subject). */
int store_add_commit(struct store *st, const struct commit_info *ci);

/*
 * The newest run with status 'ok' of `command` (NULL: any) that measured commit `sha`
 * from a clean tree with exactly this configuration on a runner of the
 * same fingerprint class (fingerprint_hash) as `fingerprint_id`.
 * PG_ENOTFOUND (silent) when there is none.
 */
int store_find_measured(struct store *st, const char *command, const char *sha,
			const char *config_json, int64_t fingerprint_id, char id_out[33]);

/* Link a comparison run to its two measured runs. */
int store_add_comparison(struct store *st, const char *run_id, const char *base_id,
			 const char *head_id);
/* The two runs of a comparison; PG_ENOTFOUND (silent) if `run_id` is not one. */
int store_get_comparison(struct store *st, const char *run_id, char base_out[33],
			 char head_out[33]);

#endif
