#ifndef PERFGO_SIG_H
#define PERFGO_SIG_H

/*
 * Signal policy.  SIGINT, SIGTERM and SIGHUP do not kill perfgo: the
 * handler records the signal and wakes any waiting loop through a
 * self-pipe.  Loops that wait for children (proc.c) check sig_pending(),
 * kill their children's process groups, and return PG_EINTR; the command
 * then cleans up (temp files, remote state), marks the run 'interrupted'
 * and exits 128+N.  SIGCHLD also writes to the self-pipe so that a wait
 * can sleep in poll() without missing a child's exit.
 */

/* Install the handlers; 0 or -1 (reported). */
int sig_setup(void);
/* The first interrupting signal received, or 0. */
int sig_pending(void);
/* The read end of the self-pipe (non-blocking), for poll(). */
int sig_fd(void);
/* Empty the self-pipe after poll() said it was readable. */
void sig_drain(void);
/* Pretend a signal arrived (tests). */
void sig_raise_pending(int signo);
/*
 * The exit code of a command that ended with `err`: pg_err_exit_code(),
 * except that PG_EINTR gives 128 + the signal received (SIGINT when none
 * was recorded).
 */
int exit_code_for(int err);

#endif
