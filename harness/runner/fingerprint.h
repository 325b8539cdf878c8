#ifndef PERFGO_RUNNER_FINGERPRINT_H
#define PERFGO_RUNNER_FINGERPRINT_H

/*
 * The runner fingerprint (DESIGN §4): what a run's numbers depend on
 * besides the code.  Data only, filled in three steps: the runner's probe
 * writes the machine and toolchain facts (runner.h), the measurement
 * backend its own (perf_check_runner() in measure/perf.h: perf's version
 * and paranoid level; the PMU flag from its event probe), and the store
 * keeps and hashes it (store.h: fingerprint_hash(), fingerprint_release()).
 * Strings are owned by the struct and may be NULL when unknown.
 */

struct fingerprint {
	char *host;              /* hostname, or the ssh destination */
	char *cpu_model;
	int cores;
	char *kernel;
	char *perf_version;
	char *go_version;
	char *goos, *goarch, *goamd64;
	int gomaxprocs;
	int paranoid;            /* perf_event_paranoid, -99 unknown */
	int pmu;                 /* 1 when hardware events count */
	char *aslr;              /* randomize_va_space */
	char *governor;          /* cpufreq governor, NULL if unreadable */
	char *smt;               /* "on", "off", "notsupported", NULL */
};

#endif
