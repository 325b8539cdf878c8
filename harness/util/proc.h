#ifndef PERFGO_PROC_H
#define PERFGO_PROC_H

/*
 * Child processes from argv arrays, never through a shell (git
 * run-command).  The program is looked up in PATH before fork; a program
 * that cannot be executed is reported by the parent ("cannot run 'perf':
 * No such file or directory") through a close-on-exec pipe.
 *
 * Children normally lead their own process group (PROC_NEW_PGRP), so that
 * an interrupt can take down the whole tree (perf, the test binary, and
 * anything they started) with one kill(-pgid).  Waiting is interruptible:
 * when sig_pending() reports SIGINT/SIGTERM/SIGHUP, the group is killed
 * (SIGTERM, then SIGKILL after a grace period), reaped, and PG_EINTR is
 * returned.
 *
 * Children die with perfgo, even when it is killed with SIGKILL: the child
 * gets PR_SET_PDEATHSIG(SIGKILL), and a child leading its own group has a
 * guard process in that group which kills the whole group (perf's test
 * binary, go's compilers) as soon as perfgo has reaped the child or is
 * gone.  So nothing a child leaves running in its group outlives it.
 */

#include <sys/types.h>

#include "util/buf.h"
#include "util/strvec.h"

enum proc_fd {
	PROC_INHERIT = -1,   /* share the parent's descriptor */
	PROC_NULL = -2,      /* /dev/null */
	PROC_PIPE = -3       /* a pipe; the parent's end is in *_fd after start */
};

enum proc_flags {
	PROC_NEW_PGRP = 1 << 0
};

struct proc {
	struct strvec args;
	struct strvec env;        /* "K=V" sets, "K" unsets; on top of environ */
	const char *dir;          /* working directory, NULL: inherit */
	int in, out, err;         /* enum proc_fd or a descriptor to dup2 */
	int keep_fds[4];          /* descriptors the child inherits as they are */
	int nkeep;
	unsigned flags;

	pid_t pid;                /* > 0 while running */
	int in_fd, out_fd, err_fd;
	int term_signal;          /* the signal that ended the child, or 0 */
	int guard_fd;             /* write end of the group guard's pipe, or -1 */
};

void proc_init(struct proc *p);
/* Close parent pipe ends and free the argv and env. Does not wait. */
void proc_release(struct proc *p);

/* Start the child.  0, or PG_EENV (reported). */
int proc_start(struct proc *p);

/*
 * Wait for the child.  Returns its exit code, 128+N if it died by signal N
 * (p->term_signal is set), or PG_EINTR if perfgo was interrupted (the
 * child's group has then been killed and reaped).
 */
int proc_wait(struct proc *p);

/* Kill the child's process group (TERM, grace, KILL) and reap it. */
void proc_kill(struct proc *p);

/*
 * Start, collect stdout/stderr into `out`/`err` (NULL: inherit, or the
 * descriptor already set in p->out/err), and wait.  Returns as proc_wait,
 * or PG_EENV if the child could not be started.
 */
int proc_capture(struct proc *p, struct buf *out, struct buf *err);

/* Render argv for logs, shell-quoted where needed. */
void proc_describe(const struct proc *p, struct buf *out);

/* Resolve `name` through PATH; a newly allocated path or NULL. */
char *proc_which(const char *name);

#endif
