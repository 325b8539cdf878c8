#ifndef PERFGO_STAT_RUN_H
#define PERFGO_STAT_RUN_H

/*
 * A measured run (perfgo test stat, perfgo view) as its reports see it:
 * the run's facts, the runner, the events asked for, and the samples in
 * stored order; and stat_run_group(), which gathers the samples per
 * (package, benchmark, metric) and summarises each over the repetitions.
 *
 * The harness fills a struct stat_run from the store
 * (store/store_series.h: stat_run_from_store()), so that what is shown is
 * what is stored.  Strings are borrowed from whoever filled it; the arrays
 * are owned and freed by stat_run_release().
 */

#include <stddef.h>
#include <stdint.h>

#include "stats.h"

enum stat_event_state { STAT_EVENT_COUNTED = 0, STAT_EVENT_UNSUPPORTED, STAT_EVENT_NOT_COUNTED };

/* Where a sample came from, and how it was counted. */
enum stat_sample_flags {
	STAT_SAMPLE_MULTIPLEXED = 1 << 0,   /* counter ran < 100 % of the time */
	STAT_SAMPLE_DERIVED = 1 << 1,       /* computed from other metrics */
	STAT_SAMPLE_GO = 1 << 2,            /* reported by the Go benchmark itself */
	STAT_SAMPLE_SIM = 1 << 3            /* counted by the simulation (--counters sim) */
};

struct stat_run_info {
	const char *id, *status, *command, *workdir, *packages, *commit, *branch;
	int exit_code, dirty;
	int64_t started_ns, finished_ns;
};

struct stat_runner {
	const char *host, *cpu_model, *kernel, *perf_version, *go_version;
	const char *goos, *goarch, *goamd64;
	int cores, gomaxprocs, paranoid, pmu;
};

/* A "key: value" line the package's test binary printed (goos, goarch, pkg, cpu). */
struct stat_go_config {
	const char *package, *key, *value;
};

struct stat_event {
	const char *event;
	enum stat_event_state state;
};

struct stat_sample {
	const char *package, *bench, *metric, *unit;
	int rep;
	uint64_t iterations;
	double value, running;
	unsigned flags;               /* enum stat_sample_flags */
};

/*
 * A benchmark whose backend metrics could not be counted (the simulation:
 * valgrind failed on it): `metrics` (space-separated) are left out, and why.
 */
struct stat_failure {
	const char *package, *bench, *metrics, *reason;
};

struct stat_run {
	int has_info;                 /* the run's row is known */
	struct stat_run_info info;
	int has_runner;               /* the run has a fingerprint */
	struct stat_runner runner;
	struct stat_event *events;
	size_t nevents;
	struct stat_go_config *goconf; /* grouped by package; none for runs before schema 3 */
	size_t ngoconf;
	struct stat_sample *samples;  /* in stored order */
	size_t nsamples;
	struct stat_failure *failures; /* in recorded order */
	size_t nfailures;
};

#define STAT_RUN_INIT { 0 }

void stat_run_release(struct stat_run *r);

/* The samples of one (package, benchmark, metric), over the repetitions. */
struct stat_series {
	const char *package, *bench, *metric, *unit;
	double *values;
	size_t nvalues;
	uint64_t iterations;          /* the largest b.N */
	int multiplexed;              /* any sample was */
	double running;               /* the lowest running fraction */
	unsigned flags;               /* of the first sample */
	int has_summary;              /* summary_compute() accepted the values */
	struct summary sum;           /* at 95 % confidence */
};

struct stat_series_list {
	struct stat_series *s;
	size_t nr, alloc;
};

/*
 * The direction of a metric perf counted: +1 when higher is better (IPC,
 * "IPC:..." and rates "/s"), else -1 (counts and times per op).  Metrics
 * the Go benchmark reported itself follow Go's convention instead.
 */
int stat_metric_better(const char *metric);

/* Group r's samples into `out` (zeroed first), in order of first sample. */
void stat_run_group(const struct stat_run *r, struct stat_series_list *out);
void stat_series_list_release(struct stat_series_list *l);

#endif
