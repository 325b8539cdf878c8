#ifndef PERFGO_RUNNER_SSH_H
#define PERFGO_RUNNER_SSH_H

/*
 * The ssh runner: jobs run on "[user@]host" through the system's OpenSSH
 * client, so the user's ssh config, agent, keys and ProxyJump apply.
 * PERFGO_SSH names another ssh program (a wrapper adding -F, say); it gets
 * the same arguments.
 *
 * Connection.  One master per invocation ("-M -N", a child of perfgo) with
 * its control socket "%C" in a private 0700 directory, BatchMode (never a
 * prompt), ConnectTimeout and ServerAlive; every other ssh call is a
 * session multiplexed on it, and it is closed with "-O exit" at the end,
 * on errors and on interrupts alike.
 *
 * Remote layout.  One directory per invocation, made by `mktemp -d` under
 * the remote ${TMPDIR:-/tmp}, so that concurrent runs never share files:
 *
 *     <R>/p<i>.test         test binary of the i-th staged package
 *     <R>/p<i>/<base>/      its package directory's non-Go files and testdata/
 *     <R>/job.<n>.pid       the process group of job n while it runs
 *     <R>/job.<n>.kill      made by an interrupt: job n must not start
 *     <R>/c.<n>, <R>/a.<n>  job n's control channel: command and reply FIFOs
 *     <R>/...               what jobs write there (fetched with `cat`)
 *
 * It is removed at the end unless --keep.
 *
 * Owner.  <R>/.perfgo-owner records who made it: this machine's boot id,
 * perfgo's pid namespace, pid and start time (ssh_owner_record()).  A
 * perfgo killed with SIGKILL cannot remove <R>; the setup session of every
 * later run lists the records of the perfgo.* directories beside its own,
 * and a directory whose owner is of this boot and pid namespace and no
 * longer runs (no such pid, or a pid reused by another process: the start
 * time differs) is removed.  Records of other machines, boots or
 * containers are never judged, so their directories stay; so do
 * directories without a record (made by an older perfgo, or being made:
 * the record is written right after mktemp) and, since --keep removes
 * the record, kept ones.  Jobs of the killed perfgo still running there
 * are not killed (their pid files could name reused process groups).
 *
 * Commands.  ssh hands its command string to the remote login shell, so
 * every word perfgo puts in it goes through sq_quote_buf(), paths and the
 * user's regexps included; the only unquoted text is perfgo's own fixed
 * shell code.  The login shell must be POSIX (sh, dash, bash, ksh, zsh).
 *
 * Jobs.  A job runs as
 *
 *     cd '<dir>' && echo $$ >'<R>/job.<n>.pid' && [ ! -e '<R>/job.<n>.kill' ] &&
 *     export 'K=V' && '<argv0>' ... ;
 *     s=$?; rm -f '<R>/job.<n>.pid'; printf '\n\036perfgo-exit %d\n' "$s" >&2
 *
 * sshd makes the remote shell a session (and process group) leader, so
 * job.<n>.pid names the group an interrupt kills (TERM, then KILL).  The
 * kill first makes job.<n>.kill and then reads the pid file, so a job it
 * reaches before the shell wrote its pid does not start: either the kill
 * reads the pid, or the job, writing its pid after that read, sees the
 * marker.  The
 * status marker at the end of stderr carries the exit status (128+N for a
 * signal; ssh itself would say 255) and proves the job ran to its end:
 * without it the connection was lost.  perfgo strips it again.
 *
 * A job's control channel (runner.h) is the FIFO pair <R>/c.<n> (commands)
 * and <R>/a.<n> (replies), named to the job by its control word (perf:
 * "--control=fifo:<R>/c.<n>,<R>/a.<n>"), driven through one long-lived
 * relay session on the master: a remote shell loop that makes the FIFOs of
 * each job, copies the command lines perfgo writes to its stdin into c.<n>
 * and copies the job's replies from a.<n> to its stdout.
 *
 * Queries (runner_ops.query) are one session each: the quoted argv.
 *
 * Files: ssh_internal.h lists them with their responsibilities.
 */

#include "util/buf.h"
#include "runner/runner.h"
#include "util/strvec.h"


/*
 * `uname -s` and `uname -m` to GOOS, GOARCH and GOARM (NULL unless 32-bit
 * ARM).  0, or PG_EENV (reported) for what Go cannot target.
 */
int ssh_go_target(const char *os, const char *machine, const char **goos,
		  const char **goarch, const char **goarm);

/* The marker the job command prints last on stderr: "\n" SSH_EXIT_MARK "<status>\n". */
#define SSH_EXIT_MARK "\036perfgo-exit "

/*
 * The remote command of one job (see above): `dir` the working directory,
 * `env` the delta ("K=V" exports, "K" unsets), `argv` the program.
 */
void ssh_job_command(struct buf *out, const char *pidfile, const char *killfile,
		     const char *dir, const struct strvec *env, const struct strvec *argv);

/*
 * If `tail`, the end of a job's stderr, ends with the status marker,
 * remove the marker, set *status and return 1; else return 0.
 */
int ssh_take_status(struct buf *tail, int *status);

/* The relay's remote command (see above), working in `rdir`. */
void ssh_relay_command(struct buf *out, const char *rdir);

/*
 * Make `killfile`, then kill the process group in `pidfile` (TERM, up to
 * 2 s, KILL); a job that has not written its pid yet sees `killfile`.
 */
void ssh_kill_command(struct buf *out, const char *pidfile, const char *killfile);

#endif
