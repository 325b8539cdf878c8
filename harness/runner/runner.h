#ifndef PERFGO_RUNNER_H
#define PERFGO_RUNNER_H

/*
 * The runner seam (DESIGN §3): where jobs execute.  One interface, with
 * local and ssh implementations (a Kubernetes pod next) behind the same
 * calls, so that everything above it (planning, measuring, storing,
 * reporting) does not care where the benchmark runs.  A runner knows
 * nothing of how a job is measured: the measurement backend builds the
 * argv, and learns what it needs about the runner through jobs and
 * queries of its own.
 *
 *   probe   -> the runner's machine facts in a fingerprint
 *   stage   -> make a test binary and its package directory available
 *   exec    -> run one job: argv in a directory, stdout streamed line by
 *              line to a callback, stderr to a local file, optionally with
 *              a control channel (below) the callback can use
 *   query   -> run a short command for a fact about the runner
 *   fetch   -> bring a file the job wrote back to a local path
 *   cleanup -> remove everything staged
 *
 * Two scratch directories: `scratch` is on the runner (jobs write their
 * files there; pass those paths to jobs and to fetch), `local_scratch` is
 * on this machine (test binaries are built there, fetched files and job
 * stderr land there).  For the local runner they are the same directory.
 *
 * Runners are rows of a table in runner.c, chosen by runner_open() from
 * the destination's form; runner_impl.h has the helpers implementations
 * share.
 */

#include <stddef.h>
#include <sys/types.h>

#include "runner/fingerprint.h"
#include "util/buf.h"
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

	/* Private to the runner: the channel while the job runs. */
	int chan_cmd_fd, chan_reply_fd;  /* perfgo's ends: commands out, replies in */
	pid_t chan_pid;            /* > 0: once this child has exited, the peer is gone */
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

struct runner_ops {
	const char *name;
	/* Machine facts: host, CPU, cores, kernel, Go's target, GOMAXPROCS, ASLR, governor, SMT. */
	int (*probe)(struct runner *r, struct fingerprint *fp);
	int (*stage)(struct runner *r, const char *local_bin, const char *pkg_dir,
		     char **bin_out, char **dir_out);
	int (*exec)(struct runner *r, struct runner_job *job);
	/*
	 * Run argv (no environment changes, stdin empty) for a fact about the
	 * runner: its stdout into `out`, stderr discarded, nothing reported
	 * about the command.  Returns its exit status (127: no such program),
	 * or PG_EINTR, or PG_EENV when the runner itself failed (reported).
	 */
	int (*query)(struct runner *r, const char *const *argv, struct buf *out);
	int (*fetch)(struct runner *r, const char *remote, const char *local);
	void (*cleanup)(struct runner *r);
};

struct runner {
	const struct runner_ops *ops;
	char *dest;                /* the destination runner_open() was given; NULL: here */
	char *scratch;             /* runner-side scratch directory */
	char *local_scratch;       /* this machine's scratch directory */
	/* go build environment for binaries that run here: GOOS, GOARCH, ... */
	struct strvec build_env;
	int keep;                  /* leave the scratch directories in place */
	void *priv;
};

/*
 * Open the runner jobs go to: this machine when `dest` is NULL, else the
 * runner whose form `dest` has; today every other destination is
 * "[user@]host" over ssh (runner_ssh.h: connects, probes the OS and
 * architecture, creates a private remote directory).  With `keep` the
 * scratch directory (remote: the remote directory) is left in place and
 * its location printed at the end.  Returns 0, PG_EUSAGE (a destination
 * the runner refuses, e.g. a host that would be read as an option) or
 * PG_EENV (reported).  On failure the runner needs no runner_close().
 */
int runner_open(struct runner *r, const char *dest, int keep);
/*
 * Only validate `dest` as runner_open() would, before any work: 0 or
 * PG_EUSAGE (reported).
 */
int runner_check_dest(const char *dest);
/* Run ops->cleanup and free. */
void runner_close(struct runner *r);

#endif
