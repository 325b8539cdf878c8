#ifndef PERFGO_BACKEND_H
#define PERFGO_BACKEND_H

/*
 * The backend seam (DESIGN §3): HOW a job is counted, independent of the
 * runner (WHERE it runs; runner.h).  measure.c owns what every backend
 * shares: discovery and calibration of N, one leaf per process with a fixed
 * iteration count, repetitions, reading the benchmark's Go output (start
 * and result lines, failures, crashes), the artifacts and the progress
 * line.  A backend adds, through the operations of its table row:
 *
 *   session    preflight     usable on this machine (jobs will run here)?
 *              check_runner  its facts about the runner (tool version, ...)
 *                            into the fingerprint; with `check`, usable
 *                            there?  (after the runner's probe)
 *              probe         what it learns about the runner, into the
 *                            fingerprint (perf stat: a hardware PMU)
 *   run        events        what it counts: chosen, probed on the runner
 *                            and recorded in the run
 *   repetition points        the iteration counts of its processes (perf
 *                            stat: N/2 and N, the two-point differential)
 *              uncounted_points  those of a leaf its tool could not count
 *   job        job_begin     the argv prefix, the control channel, the
 *                            output files on the runner
 *              leaf_started  the benchmark printed its bare name (after
 *              leaf_ended    init) / its result line: perf stat's gate
 *              tool_failed   the tool itself failed, not the benchmark (or
 *                            could not count this leaf: BACKEND_ESKIP)
 *              judge         after a clean exit: was the leaf counted?
 *              collect       fetch and parse the job's raw output
 *              salvage       the benchmark failed or crashed: keep what was
 *                            recorded (perf record: the partial profile)
 *              job_release
 *   samples    samples       the repetition's jobs as samples (or artifacts)
 *
 * Adding a backend is one file, measure/backend_<name>.c, defining
 * `const struct backend backend_<name>` (declared below), and one row in
 * backend_table (backend.c).  Optional operations are NULL.
 *
 * The next ones fit as follows.  perf record: events = the sampling event,
 * the same gate, collect moves perf.data into mc->run_dir and stores it as
 * an artifact, samples gives Go's metrics only.  callgrind: points as perf
 * stat, job_begin wraps with `valgrind --tool=callgrind --toggle-collect=`
 * (no control channel, no leaf hooks), collect parses the callgrind output
 * and samples takes the same differential of instruction counts: that is
 * backend_callgrind (backend_callgrind.h), with a third, plain point for
 * Go's own metrics.
 */

#include <stddef.h>
#include <stdint.h>

#include "runner/runner.h"
#include "store/store.h"
#include "util/strvec.h"

/* measure.h's types, by pointer only: measure.c drives backends, not the reverse. */
struct gb_result;
struct leaf;
struct measure_ctx;
struct measure_opts;
struct pkg_plan;
struct rep_samples;

/* Processes in one repetition, at most. */
#define BACKEND_MAX_POINTS 4

/* One job (one process) being counted. */
struct backend_job {
	struct measure_ctx *mc;           /* runner, store, the run's artifacts */
	const struct measure_opts *mo;    /* the events, as `events` chose them */
	const struct pkg_plan *pl;
	const struct leaf *lf;
	uint64_t n;                       /* this process's iterations */
	void *priv;                       /* the backend's state (job_begin) */
	int point;                        /* which of the backend's processes (points' kind) */
	/* The repetition's job before this one (over when this one begins), or NULL. */
	const struct backend_job *prev;
	int64_t elapsed_ns;               /* the job's wall time, once it ran */
	/* Why the tool could not count the leaf (BACKEND_ESKIP); measure.c frees it. */
	char *why;
};

/*
 * From tool_failed: the tool could not count this leaf (the simulation:
 * valgrind met an instruction it does not know, or ran past its time
 * cap), though the benchmark itself runs; bj->why says why.  measure.c
 * records it (store_add_bench_failure(): the backend's metrics of the leaf
 * are left out), warns, and runs the rest of the repetition, and every
 * later one, with uncounted_points: the leaf's other metrics go on, and so
 * do the other leaves.  Never leaves measure.c.
 */
#define BACKEND_ESKIP (-101)

struct backend {
	const char *name;                 /* "perf-stat" */
	/* The run artifact its raw output is appended to (runs/<id>/file), and its kind. */
	const char *artifact, *artifact_kind;

	/* 0, or PG_EENV with the fix (reported).  Optional. */
	int (*preflight)(void);
	/*
	 * Fill the backend's facts of `fp` from the runner (perf stat: perf's
	 * version, perf_event_paranoid); with `check` (jobs run elsewhere: the
	 * preflight did not see the runner) also 0 or PG_EENV with the fix.
	 */
	int (*check_runner)(struct runner *r, struct fingerprint *fp, int check);
	/* Complete `fp` before it is stored.  Optional. */
	int (*probe)(struct runner *r, struct fingerprint *fp);
	/*
	 * The events to count: `requested` (the user's -e words) or the
	 * backend's default set at level `detail` (-1: not given), probed on
	 * the runner.  Every event is recorded in run `run_id` with its state;
	 * what counts is appended to `counted`.  PG_EUSAGE for an event the
	 * tool rejects, PG_EENV when nothing counts.
	 */
	int (*events)(struct runner *r, struct store *st, const char *run_id,
		      const struct strvec *requested, int detail, struct strvec *counted);
	/*
	 * The iteration counts of a repetition's processes; returns how many
	 * (>= 1).  kind[i] says which of the backend's processes the i-th is
	 * (it becomes backend_job.point).  `count` is 0 in a repetition the
	 * tool does not count (count_reps below): a backend that limits them
	 * runs fewer kinds there (callgrind: the plain run alone).
	 */
	size_t (*points)(uint64_t n, int count, uint64_t out[BACKEND_MAX_POINTS],
			 int kind[BACKEND_MAX_POINTS]);
	/*
	 * The same for a leaf the tool could not count (BACKEND_ESKIP): the
	 * processes without it (`count` is ignored).  Optional: NULL for a
	 * backend that never skips.  Processes of the repetition already run
	 * with the same kind and count at the same place are kept.
	 */
	size_t (*uncounted_points)(uint64_t n, int count, uint64_t out[BACKEND_MAX_POINTS],
				   int kind[BACKEND_MAX_POINTS]);
	/*
	 * The tool counts in the first count_reps repetitions of a leaf (0:
	 * in every one), then in up to recount_reps more while the counts so
	 * far of a metric in the default gate do not repeat (stats_repeats()
	 * within repeat_limit; measure.c): counts that repeat exactly gain
	 * nothing from more repetitions, counts that do not need a majority.
	 */
	int count_reps, recount_reps;
	double repeat_limit;
	/* Go's metrics come from the repetition's first process, not its last. */
	int go_first;

	/*
	 * Start `job` (runner_job_init'ed, empty): push the argv words before
	 * the test binary's, set the control channel, prepare the output files.
	 */
	int (*job_begin)(struct backend_job *bj, struct runner_job *job);
	/* The leaf announced itself / printed its result.  Optional. */
	int (*leaf_started)(struct backend_job *bj, struct runner_job *job);
	int (*leaf_ended)(struct backend_job *bj, struct runner_job *job);
	/*
	 * The job is over with exit status `status` and stderr `err`: did the
	 * tool fail rather than the benchmark?  0, an error (reported), or
	 * BACKEND_ESKIP with bj->why set (not reported).  Optional.
	 */
	int (*tool_failed)(struct backend_job *bj, int status, const char *err);
	/* After a clean exit, before its result is read: was the leaf counted?  Optional. */
	int (*judge)(struct backend_job *bj);
	/* Bring back and parse the job's raw output (measure_save_raw() keeps it). */
	int (*collect)(struct backend_job *bj);
	/*
	 * The job's benchmark failed or crashed (PG_ECODE, reported): keep
	 * what the tool recorded; problems are warnings.  Optional.
	 */
	void (*salvage)(struct backend_job *bj);
	/* Free bj->priv; safe after a failed job_begin. */
	void (*job_release)(struct backend_job *bj);
	/*
	 * After a clean exit (and again after collect): did the leaf end
	 * before counting could start (the gate opened too late, e.g. on a
	 * busy machine)?  Such a job is measured again, up to
	 * MEASURE_GATE_ATTEMPTS times in all (measure.h).  Optional.
	 */
	int (*gate_missed)(const struct backend_job *bj);
	/*
	 * What gate_missed() saw, for the retry warning and the error after
	 * the last attempt ("left no samples in its profile"), and `*fix`
	 * the advice; NULL: the benchmark ended before the gate opened.
	 * Optional.
	 */
	const char *(*gate_missed_why)(const struct backend_job *bj, const char **fix);

	/*
	 * One repetition's samples from its jobs (in points order) and Go's
	 * result line of the last one, into `rs`.
	 */
	int (*samples)(struct rep_samples *rs, int64_t bench_id, int rep,
		       const struct gb_result *go, const struct backend_job *jobs, size_t njobs);
};

/* The rows of the table. */
extern const struct backend backend_perf_stat;
extern const struct backend backend_callgrind;    /* --counters sim */

/*
 * What counts (--counters): perf's events; the simulation
 * (backend_callgrind); auto: perf's hardware events where a PMU counts
 * them, else the simulation when valgrind is there (session.c decides).
 */
enum counters { COUNTERS_AUTO = 0, COUNTERS_PERF, COUNTERS_SIM };

/*
 * `word` ("perf", "sim", "auto"; NULL: $PERFGO_COUNTERS, else auto) into
 * *out.  0, or PG_EUSAGE (reported).
 */
int counters_parse(const char *word, enum counters *out);
extern const struct backend backend_perf_record;   /* backend_perf_record.c */

/* The backend named `name`, or NULL. */
const struct backend *backend_find(const char *name);

#endif
