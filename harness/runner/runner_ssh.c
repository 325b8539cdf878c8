/*
 * The ssh runner's connection (runner_ssh.h has the design): ssh
 * processes multiplexed on one master, opening and cleaning up.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/io.h"
#include "util/clock.h"
#include "util/proc.h"
#include "util/quote.h"
#include "runner/ssh_internal.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/banned.h"

/* ------------------------------------------------------------- ssh processes */

void ssh_sleep_ms(int ms)
{
	struct pollfd pfd = { sig_fd(), POLLIN, 0 };

	if (pfd.fd >= 0 && poll(&pfd, 1, ms) > 0)
		sig_drain();
	else if (pfd.fd < 0)
		poll(NULL, 0, ms);
}

/* The options every ssh call shares. */
void ssh_base(const struct ssh_state *ss, struct strvec *a)
{
	strvec_pushl(a, ss->ssh, "-o", "BatchMode=yes", "-o", CONNECT_TIMEOUT, "-o", NULL);
	strvec_pushf(a, "ControlPath=%s", ss->ctl_path);
}

/*
 * A session multiplexed on the master; never a master itself, and never a
 * connection of its own: without a master, ssh would silently connect
 * directly (a lost connection would go unnoticed, or worse, a job would
 * run without its relay).  The ProxyCommand is used only on that fallback
 * path, and fails it.
 */
void ssh_session_args(const struct ssh_state *ss, struct strvec *a, const char *script)
{
	ssh_base(ss, a);
	strvec_pushl(a, "-T", "-o", "ControlMaster=no", "-o", "ProxyCommand=false",
		     "--", ss->host, script, NULL);
}

/* The last non-empty line of a (small) file or buffer, for a one-line error. */
void ssh_last_line(const char *s, struct buf *out)
{
	const char *end = s + strlen(s), *start;

	while (end > s && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	start = end;
	while (start > s && start[-1] != '\n')
		start--;
	buf_add(out, start, (size_t)(end - start));
}

static void master_message(const struct runner *r, struct buf *out)
{
	struct buf path = BUF_INIT, text = BUF_INIT;

	buf_addf(&path, "%s/ssh.err", r->local_scratch);
	if (buf_read_file(&text, path.buf, 1 << 16) >= 0)
		ssh_last_line(text.buf, out);
	buf_release(&path);
	buf_release(&text);
}

/* Is the master still there?  Reaps it when it is not. */
int ssh_master_alive(struct ssh_state *ss)
{
	int st;

	if (!ss->master_up)
		return 0;
	if (waitpid(ss->master.pid, &st, WNOHANG) == ss->master.pid) {
		ss->master.pid = 0;
		ss->master_up = 0;
	}
	return ss->master_up;
}

/*
 * After a session failed: was it the connection?  A master that was
 * killed closes its sockets a moment before it can be reaped, so give it
 * that moment.
 */
int ssh_master_lost(struct ssh_state *ss)
{
	for (int i = 0; i < 50; i++) {
		if (!ssh_master_alive(ss))
			return 1;
		ssh_sleep_ms(10);
	}
	return 0;
}

int ssh_lost(struct runner *r)
{
	struct ssh_state *ss = r->priv;
	struct buf msg = BUF_INIT;
	int ret;

	master_message(r, &msg);
	ret = error_code(PG_EENV, "lost the connection to '%s'%s%s", ss->host,
			 msg.len ? ": " : "", msg.buf);
	buf_release(&msg);
	return ret;
}

/*
 * Run `script` on the host with stdin from `in` (a descriptor or PROC_NULL)
 * and stdout into `out`, or into descriptor `out_fd` when `out` is NULL;
 * stderr into `err` (may be NULL).  Returns the remote exit status (ssh's
 * own failures, 255, are reported here as PG_EENV), or PG_EINTR.
 */
int ssh_run(struct runner *r, const char *script, int in, struct buf *out,
	    int out_fd, struct buf *err)
{
	struct ssh_state *ss = r->priv;
	struct buf e = BUF_INIT, msg = BUF_INIT;
	struct proc p;
	int code;

	if (!ssh_master_alive(ss))
		return ssh_lost(r);
	proc_init(&p);
	ssh_session_args(ss, &p.args, script);
	p.in = in;
	if (!out)
		p.out = out_fd;
	code = proc_capture(&p, out, &e);
	proc_release(&p);
	if (code == 255) {
		if (ssh_master_lost(ss)) {
			code = ssh_lost(r);
		} else {
			ssh_last_line(e.buf, &msg);
			code = error_code(PG_EENV, "ssh to '%s' failed: %s", ss->host,
					  msg.len ? msg.buf : "exit 255");
		}
	}
	if (err)
		buf_add(err, e.buf, e.len);
	buf_release(&e);
	buf_release(&msg);
	return code;
}

/*
 * Clean-up commands run after an interrupt too (proc_wait would give up at
 * once then): wait at most `ms`, quietly.  Returns the exit status or -1.
 */
int ssh_run_quiet(struct strvec *args, int ms)
{
	struct proc p;
	int64_t deadline = clock_mono_ms() + ms;
	int st, code = -1;

	proc_init(&p);
	strvec_pushv(&p.args, args->v);
	p.out = p.err = PROC_NULL;
	if (proc_start(&p))
		goto out;
	for (;;) {
		pid_t w = waitpid(p.pid, &st, WNOHANG);

		if (w == p.pid) {
			p.pid = 0;
			code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			break;
		}
		if ((w < 0 && errno != EINTR) || clock_mono_ms() > deadline) {
			proc_kill(&p);
			break;
		}
		ssh_sleep_ms(20);
	}
out:
	proc_release(&p);
	return code;
}

int ssh_quiet(struct runner *r, const char *script)
{
	struct ssh_state *ss = r->priv;
	struct strvec args = STRVEC_INIT;
	int code;

	if (!ssh_master_alive(ss))
		return -1;
	ssh_session_args(ss, &args, script);
	code = ssh_run_quiet(&args, CLEANUP_WAIT_MS);
	strvec_clear(&args);
	return code;
}

/* ------------------------------------------------------------------ connect */

/* Is the master's socket (named by %C, so without a dot) in place? */
static int socket_ready(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		struct buf p = BUF_INIT;
		struct stat st;

		if (strchr(e->d_name, '.'))
			continue;
		buf_addf(&p, "%s/%s", dir, e->d_name);
		found = !lstat(p.buf, &st) && S_ISSOCK(st.st_mode);
		buf_release(&p);
	}
	closedir(d);
	return found;
}

/* Characters ssh takes literally in ControlPath (no %, no quoting needed). */
static int plain_path(const char *s)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"0123456789/._-";

	return strspn(s, ok) == strlen(s);
}

/*
 * The control socket goes in the local scratch directory (private, 0700)
 * when the path is short and plain enough, else in a fresh private
 * directory under /tmp.
 */
static int control_dir(struct runner *r)
{
	struct ssh_state *ss = r->priv;
	struct buf b = BUF_INIT;

	if (plain_path(r->local_scratch) && strlen(r->local_scratch) + 3 + 40 <= CTL_PATH_MAX) {
		ss->ctl_dir = xstrdup(r->local_scratch);
	} else {
		buf_addstr(&b, "/tmp/perfgo-ssh-XXXXXX");
		if (!mkdtemp(b.buf)) {
			int e = errno;

			buf_release(&b);
			return error_code(PG_EENV, "cannot create a temporary directory: %s",
					  strerror(e));
		}
		ss->ctl_dir = buf_detach(&b);
	}
	buf_addf(&b, "%s/%%C", ss->ctl_dir);
	ss->ctl_path = buf_detach(&b);
	return 0;
}

static int master_start(struct runner *r)
{
	struct ssh_state *ss = r->priv;
	struct buf errpath = BUF_INIT, msg = BUF_INIT;
	int64_t deadline = clock_mono_ms() + MASTER_WAIT_MS;
	int errfd, ret = 0;

	buf_addf(&errpath, "%s/ssh.err", r->local_scratch);
	errfd = open(errpath.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	buf_release(&errpath);
	if (errfd < 0)
		return error_code(PG_EENV, "cannot create a file in '%s': %s", r->local_scratch,
				  strerror(errno));
	ssh_base(ss, &ss->master.args);
	strvec_pushl(&ss->master.args, "-M", "-N", "-T", "-o", "ControlMaster=yes",
		     "-o", "ControlPersist=no", "-o", "ServerAliveInterval=15",
		     "-o", "ServerAliveCountMax=3", "--", ss->host, NULL);
	ss->master.err = errfd;
	ret = proc_start(&ss->master);
	close(errfd);
	if (ret)
		return ret;
	ss->master_up = 1;
	for (;;) {
		if (sig_pending())
			return PG_EINTR;
		if (!ssh_master_alive(ss)) {
			master_message(r, &msg);
			ret = error_code(PG_EENV, "cannot connect to '%s': %s", ss->host,
					 msg.len ? msg.buf : "ssh failed");
			break;
		}
		if (socket_ready(ss->ctl_dir))
			break;
		if (clock_mono_ms() > deadline) {
			ret = error_code(PG_EENV, "cannot connect to '%s': no connection after %d s",
					 ss->host, MASTER_WAIT_MS / 1000);
			break;
		}
		ssh_sleep_ms(10);
	}
	buf_release(&msg);
	return ret;
}

/* ----------------------------------------------------------------- cleanup */

static void ssh_cleanup(struct runner *r)
{
	struct ssh_state *ss = r->priv;
	struct strvec args = STRVEC_INIT;
	struct buf script = BUF_INIT;

	if (!ss)
		return;
	ssh_relay_close(ss);
	ssh_remote_kill(r);
	if (r->scratch && r->keep) {
		/* Kept on purpose: without its owner record no later run sweeps it. */
		buf_addstr(&script, "rm -f ");
		sq_quote_buf(&script, r->scratch);
		buf_addstr(&script, "/" SSH_OWNER_FILE);
		if (ssh_master_alive(ss))
			ssh_quiet(r, script.buf);
		note("kept the remote directory '%s' on '%s'", r->scratch, ss->host);
	} else if (r->scratch && !ssh_master_alive(ss)) {
		warning("no connection to '%s': its directory '%s' stays there", ss->host,
			r->scratch);
	} else if (r->scratch) {
		buf_addstr(&script, "rm -rf ");
		sq_quote_buf(&script, r->scratch);
		if (ssh_quiet(r, script.buf))
			warning("could not remove '%s' on '%s'", r->scratch, ss->host);
	}
	if (ssh_master_alive(ss)) {
		ssh_base(ss, &args);
		strvec_pushl(&args, "-O", "exit", "--", ss->host, NULL);
		ssh_run_quiet(&args, CLEANUP_WAIT_MS);
		for (int i = 0; i < 100 && ssh_master_alive(ss); i++)
			ssh_sleep_ms(20);
	}
	proc_kill(&ss->master);
	proc_release(&ss->master);
	if (ss->ctl_dir && (!r->local_scratch || strcmp(ss->ctl_dir, r->local_scratch)))
		runner_remove_tree(ss->ctl_dir);
	if (r->local_scratch)
		runner_remove_tree(r->local_scratch);
	free(ss->ssh);
	free(ss->host);
	free(ss->ctl_dir);
	free(ss->ctl_path);
	strvec_clear(&ss->facts);
	buf_release(&ss->cpuinfo);
	strvec_clear(&args);
	buf_release(&script);
	free(ss);
	r->priv = NULL;
}
static const struct runner_ops ssh_ops = {
	"ssh", ssh_probe, ssh_stage, ssh_exec, ssh_query, ssh_fetch, ssh_cleanup
};

int runner_ssh_open(struct runner *r, const char *host)
{
	const char *prog = getenv("PERFGO_SSH");
	struct ssh_state *ss;
	int ret;

	ret = ssh_check_host(host);
	if (ret)
		return ret;
	ss = xcalloc(1, sizeof(*ss));
	ss->ssh = xstrdup(prog && *prog ? prog : "ssh");
	ss->host = xstrdup(host);
	proc_init(&ss->master);
	proc_init(&ss->relay);
	strvec_init(&ss->facts);
	buf_init(&ss->cpuinfo);
	r->ops = &ssh_ops;
	r->priv = ss;
	r->local_scratch = runner_mkdtemp("perfgo");
	ret = r->local_scratch ? control_dir(r) : PG_EENV;
	if (!ret)
		ret = master_start(r);
	if (!ret)
		ret = ssh_setup(r);
	return ret;
}
