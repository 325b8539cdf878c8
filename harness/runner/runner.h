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
 *
 * Two scratch directories: `scratch` is on the runner (perf writes its CSV
 * there; pass those paths to jobs and to fetch), `local_scratch` is on
 * this machine (test binaries are built there, fetched files and job
 * stderr land there).  For the local runner they are the same directory.
 */

#include <stddef.h>
#include <sys/types.h>

#include "store/store.h"
#include "util/strvec.h"

struct runner;

/*
 * A control channel: perfgo writes one command line to the job and reads one
 * reply line back per command.  The runner creates it (pipes the job
 * inherits locally, FIFOs in the runner's scratch directory over ssh) and the
 * job learns where it is from one argv word that the backend formats.
 */
struct runner_chan {
	int fds;                            /* 1: descriptors; 0: FIFO paths */
	int cmd_fd, reply_fd;               /* the job's ends, inherited (fds) */
	const char *cmd_path, *reply_path;  /* runner-side FIFOs (!fds) */
};

struct runner_job {
	struct strvec argv;        /* as it runs on the runner */
	struct strvec env;         /* delta: "K=V" sets, "K" unsets */
	const char *dir;           /* runner-side working directory */
	int stdout_fd;             /* local fd receiving a copy of stdout, or -1 */
	int stderr_fd;             /* local fd receiving stderr, or -1: inherit */
	/*
	 * With control_word set, the runner opens a control channel and inserts
	 * control_word(&chan) (newly allocated; the runner frees it) into the argv
	 * it runs, before argv[control_at].  control_peer names the job's end in
	 * messages ("perf").
	 */
	char *(*control_word)(const struct runner_chan *ch);
	size_t control_at;
	const char *control_peer;
	/* Called for every complete stdout line (newline stripped). */
	int (*on_line)(struct runner_job *job, const char *line, size_t len);
	void *data;

	/* Results. */
	int status;                /* exit code, or 128+N for signal N */

	/* Private to the runner. */
	int ctl_fd, ack_fd;
	pid_t ctl_pid;             /* > 0: once this child has exited, perf is gone */
};

void runner_job_init(struct runner_job *job);
void runner_job_release(struct runner_job *job);

/*
 * Send `cmd` and a newline on the job's control channel and wait for the
 * reply line.  0; 1 when the job has already closed the channel (it may exit
 * as soon as its workload does, racing a final command); PG_EINTR; or
 * PG_EENV (reported, naming control_peer).
 */
int runner_job_control(struct runner_job *job, const char *cmd);

/*
 * For runner implementations: job->argv with control_word(ch) inserted
 * before argv[control_at], appended to `out`.
 */
void runner_argv_with_control(const struct runner_job *job, const struct runner_chan *ch,
			      struct strvec *out);

struct runner_ops {
	const char *name;
	int (*probe)(struct runner *r, struct fingerprint *fp);
	int (*stage)(struct runner *r, const char *local_bin, const char *pkg_dir,
		     char **bin_out, char **dir_out);
	int (*exec)(struct runner *r, struct runner_job *job);
	int (*fetch)(struct runner *r, const char *remote, const char *local);
	void (*cleanup)(struct runner *r);
	/* perf usable on the runner (after probe)?  0, or PG_EENV with the fix. */
	int (*check_perf)(struct runner *r);
};

struct runner {
	const struct runner_ops *ops;
	char *scratch;             /* runner-side scratch directory */
	char *local_scratch;       /* this machine's scratch directory */
	/* go build environment for binaries that run here: GOOS, GOARCH, ... */
	struct strvec build_env;
	int keep;                  /* leave the scratch directories in place */
	void *priv;
};

/*
 * Open the runner jobs go to: this machine when `remote_host` is NULL,
 * else "[user@]host" over ssh (runner_ssh.h: connects, probes the OS and
 * architecture, creates a private remote directory).  With `keep` the
 * scratch directory (remote: the remote directory) is left in place and
 * its location printed at the end.  Returns 0, PG_EUSAGE (a host that
 * would be read as an option) or PG_EENV (reported).  On failure the
 * runner needs no runner_close().
 */
int runner_open(struct runner *r, const char *remote_host, int keep);
/* The local runner; scratch is a fresh private directory under TMPDIR. */
int runner_local_open(struct runner *r);
/* Run ops->cleanup and free. */
void runner_close(struct runner *r);

/* For runner implementations: a private "$TMPDIR/<name>-XXXXXX" (NULL: reported). */
char *runner_mkdtemp(const char *name);
/* rm -r of a local directory; 0 or -1 with errno. */
int runner_remove_tree(const char *dir);

#endif
