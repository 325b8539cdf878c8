#ifndef PERFGO_RUNNER_H
#define PERFGO_RUNNER_H

/*
 * The runner seam (DESIGN §3): where jobs execute.  One interface, with a
 * local implementation now and ssh/kubectl ones behind the same calls, so
 * that everything above it (planning, measuring, storing, reporting) does
 * not care where the benchmark runs.
 *
 *   probe   -> the runner's fingerprint
 *   stage   -> make a test binary and its package directory available
 *   exec    -> run one job: argv in a directory, stdout streamed line by
 *              line to a callback, stderr to a local file, optionally with
 *              a perf control channel (--control) the callback can use
 *   fetch   -> bring a file the job wrote back to a local path
 *   cleanup -> remove everything staged
 */

#include <stddef.h>

#include "store.h"
#include "strvec.h"

struct runner;

struct runner_job {
	struct strvec argv;        /* as it runs on the runner */
	struct strvec env;         /* delta: "K=V" sets, "K" unsets */
	const char *dir;           /* runner-side working directory */
	int stdout_fd;             /* local fd receiving a copy of stdout, or -1 */
	int stderr_fd;             /* local fd receiving stderr, or -1: inherit */
	/*
	 * With `control` set, argv[0..1] must be "perf stat": the runner adds
	 * "--control" with a channel job_control() drives.
	 */
	int control;
	/* Called for every complete stdout line (newline stripped). */
	int (*on_line)(struct runner_job *job, const char *line, size_t len);
	void *data;

	/* Results. */
	int status;                /* exit code, or 128+N for signal N */

	/* Private to the runner. */
	int ctl_fd, ack_fd;
};

void runner_job_init(struct runner_job *job);
void runner_job_release(struct runner_job *job);

/*
 * Send a perf control command ("enable", "disable") and wait for its ack.
 * Returns 0, 1 when perf has already closed the channel (it exits as soon
 * as its workload does, which can race a final "disable"), or PG_EENV.
 */
int runner_job_control(struct runner_job *job, const char *cmd);

struct runner_ops {
	const char *name;
	int (*probe)(struct runner *r, struct fingerprint *fp);
	int (*stage)(struct runner *r, const char *local_bin, const char *pkg_dir,
		     char **bin_out, char **dir_out);
	int (*exec)(struct runner *r, struct runner_job *job);
	int (*fetch)(struct runner *r, const char *remote, const char *local);
	void (*cleanup)(struct runner *r);
};

struct runner {
	const struct runner_ops *ops;
	char *scratch;             /* runner-side scratch directory */
	void *priv;
};

/* The local runner; scratch is a fresh private directory under TMPDIR. */
int runner_local_open(struct runner *r);
/* Run ops->cleanup and free. */
void runner_close(struct runner *r);

#endif
