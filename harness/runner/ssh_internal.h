#ifndef PERFGO_SSH_INTERNAL_H
#define PERFGO_SSH_INTERNAL_H

/*
 * The ssh runner's own header (runner_ssh.h has the design): its state
 * and what its files share.
 *
 *   runner_ssh.c   the connection: the master, sessions on it, open, cleanup
 *   ssh_command.c  the fixed shell text of remote commands, words quoted
 *   ssh_probe.c    the setup session: remote directory, machine facts, target
 *   ssh_stage.c    staging test binaries and package files; fetching files
 *   ssh_exec.c     jobs, their status marker, the control relay; queries
 */

#include <stdint.h>

#include "util/buf.h"
#include "util/proc.h"
#include "runner/runner_impl.h"
#include "runner/runner_ssh.h"
#include "util/strvec.h"

#define CONNECT_TIMEOUT "ConnectTimeout=10"
#define MASTER_WAIT_MS 60000     /* connecting and authenticating */
#define READY_WAIT_MS 10000      /* the relay making a job's FIFOs */
#define CLEANUP_WAIT_MS 10000    /* each clean-up command */
/* In the remote directory: its owner record (runner_ssh.h, "Owner"). */
#define SSH_OWNER_FILE ".perfgo-owner"
#define STDERR_HOLD 64           /* bytes kept back: the status marker is shorter */
/* unix sockets hold 107 bytes; ssh adds ".<16 random>" while it binds. */
#define CTL_PATH_MAX (107 - 17)

struct ssh_state {
	char *ssh;                /* the ssh program: PERFGO_SSH or "ssh" */
	char *host;
	char *ctl_dir;            /* private directory of the control socket */
	char *ctl_path;           /* ctl_dir "/%C" */
	struct proc master;
	int master_up;
	struct proc relay;        /* control relay, started by the first job that needs it */
	int relay_up;
	struct strvec facts;      /* "key=value" lines from the setup command */
	struct buf cpuinfo;       /* the remote's /proc/cpuinfo model lines */
	unsigned njobs, nstaged;
	int job_live;             /* a job's process group may be running remotely */
};

/*
 * ssh_probe.c: the setup command's output (n bytes, "key=value" lines and
 * "cpuinfo=" lines) into ss->facts and ss->cpuinfo; and the fingerprint
 * fields those facts give (cpu model, cores, kernel, GOMAXPROCS, aslr,
 * governor, smt).  Pure: no I/O.
 */
void ssh_parse_facts(struct ssh_state *ss, const char *out, size_t n);
struct fingerprint;
void ssh_facts_fingerprint(const struct ssh_state *ss, struct fingerprint *fp);

/* ssh_command.c: ssh_go_target() without the message; 0, 1 (OS) or 2 (architecture). */
int ssh_go_target_code(const char *os, const char *machine, const char **goos,
		       const char **goarch, const char **goarm);

/* runner_ssh.c: ssh processes. */
/* Sleep, waking early for a signal. */
void ssh_sleep_ms(int ms);
/* The options every ssh call shares. */
void ssh_base(const struct ssh_state *ss, struct strvec *a);
/* A session multiplexed on the master running `script` (never a connection of its own). */
void ssh_session_args(const struct ssh_state *ss, struct strvec *a, const char *script);
/* The last non-empty line of `s`, for a one-line error. */
void ssh_last_line(const char *s, struct buf *out);
/* Is the master still there?  Reaps it when it is not. */
int ssh_master_alive(struct ssh_state *ss);
/* After a session failed: was it the connection? */
int ssh_master_lost(struct ssh_state *ss);
/* Report the lost connection (with ssh's last word): PG_EENV. */
int ssh_lost(struct runner *r);
/*
 * Run `script` on the host with stdin from `in` (a descriptor or PROC_NULL)
 * and stdout into `out`, or into descriptor `out_fd` when `out` is NULL;
 * stderr into `err` (may be NULL).  Returns the remote exit status (ssh's
 * own failures, 255, are reported here as PG_EENV), or PG_EINTR.
 */
int ssh_run(struct runner *r, const char *script, int in, struct buf *out,
	    int out_fd, struct buf *err);
/* A clean-up command: at most `ms`, quietly, even after an interrupt; status or -1. */
int ssh_run_quiet(struct strvec *args, int ms);
/* ssh_run_quiet() of `script` in a session; -1 without a master. */
int ssh_quiet(struct runner *r, const char *script);

/* ssh_probe.c: the setup session (remote directory, facts, build target); the probe. */
int ssh_setup(struct runner *r);

/*
 * ssh_sweep.c: the owner record of this perfgo ("<boot id> <pid namespace>
 * <pid> <start time>", one line of words), 0, or -1 when this system does
 * not tell (no /proc); and whether a record names a process that is gone:
 * 1 only when it is of this boot and pid namespace and no process with
 * that pid and start time runs (else 0: alive, or not ours to judge).
 */
int ssh_owner_record(struct buf *out);
int ssh_owner_gone(const char *record);
int ssh_probe(struct runner *r, struct fingerprint *fp);

/* ssh_stage.c */
int ssh_stage(struct runner *r, const char *local_bin, const char *pkg_dir,
	      char **bin_out, char **dir_out);
int ssh_fetch(struct runner *r, const char *remote, const char *local);

/* ssh_exec.c */
int ssh_exec(struct runner *r, struct runner_job *job);
int ssh_query(struct runner *r, const char *const *argv, struct buf *out);
/* End the relay session (its remote loop removes the FIFOs). */
void ssh_relay_close(struct ssh_state *ss);
/* Kill a job's remote process group that may still run. */
void ssh_remote_kill(struct runner *r);

#endif
