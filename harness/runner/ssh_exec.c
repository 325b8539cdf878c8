/*
 * The ssh runner's jobs (runner_ssh.h has the design): one session per
 * job, its exit status from the marker at the end of stderr, its control
 * channel through the relay session; short queries.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/io.h"
#include "util/proc.h"
#include "util/quote.h"
#include "runner/ssh_internal.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/banned.h"

/* Read one line (without its newline) from `fd`: 0, 1 at EOF, PG_EINTR or PG_EENV. */
static int read_line(int fd, struct buf *line, int64_t deadline)
{
	buf_reset(line);
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		int64_t left = deadline - clock_mono_ms();
		char c;
		ssize_t n;

		if (sig_pending())
			return PG_EINTR;
		if (left <= 0)
			return PG_EENV;
		if (poll(&pfd, 1, left > 100 ? 100 : (int)left) <= 0)
			continue;
		n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 1;
		if (c == '\n')
			return 0;
		/* A reply may end in a NUL (perf's "ack\n\0"): it lands before the next line. */
		if (c)
			buf_addch(line, c);
	}
}

void ssh_relay_close(struct ssh_state *ss)
{
	int64_t deadline = clock_mono_ms() + 2000;
	int st;

	if (!ss->relay_up)
		return;
	ss->relay_up = 0;
	/* EOF makes the remote loop remove the FIFOs and exit. */
	if (ss->relay.in_fd >= 0)
		close(ss->relay.in_fd);
	ss->relay.in_fd = -1;
	while (ss->relay.pid > 0 && clock_mono_ms() < deadline) {
		if (waitpid(ss->relay.pid, &st, WNOHANG) == ss->relay.pid)
			ss->relay.pid = 0;
		else
			ssh_sleep_ms(10);
	}
	proc_kill(&ss->relay);
	proc_release(&ss->relay);
}

/* Job n's FIFOs, through the relay (started on first use); `peer` for messages. */
static int relay_open(struct runner *r, unsigned n, const char *peer)
{
	struct ssh_state *ss = r->priv;
	struct buf script = BUF_INIT, line = BUF_INIT;
	int ret = 0;

	if (!ss->relay_up) {
		if (!ssh_master_alive(ss))
			return ssh_lost(r);
		proc_init(&ss->relay);
		ssh_relay_command(&script, r->scratch);
		ssh_session_args(ss, &ss->relay.args, script.buf);
		ss->relay.in = ss->relay.out = PROC_PIPE;
		ss->relay.err = PROC_NULL;
		ret = proc_start(&ss->relay);
		buf_release(&script);
		if (ret)
			return ret;
		ss->relay_up = 1;
	}
	buf_addf(&line, "open %u\n", n);
	if (write_all(ss->relay.in_fd, line.buf, line.len)) {
		ret = -1;
	} else {
		int64_t deadline = clock_mono_ms() + READY_WAIT_MS;

		/* Replies that came after their job was over are dropped here. */
		do
			ret = read_line(ss->relay.out_fd, &line, deadline);
		while (!ret && strcmp(line.buf, "ready") && strcmp(line.buf, "failed"));
		if (!ret && !strcmp(line.buf, "failed")) {
			buf_release(&line);
			return error_code(PG_EENV, "cannot make %s's control FIFOs in '%s' on '%s' "
					  "(mkfifo)", peer, r->scratch, ss->host);
		}
	}
	buf_release(&line);
	if (ret == PG_EINTR)
		return ret;
	if (ret) {
		ssh_relay_close(ss);
		return !ssh_master_lost(ss) ? error_code(PG_EENV, "cannot set up %s's control "
							  "channel on '%s'", peer, ss->host) : ssh_lost(r);
	}
	return 0;
}

void ssh_remote_kill(struct runner *r)
{
	struct ssh_state *ss = r->priv;
	struct buf script = BUF_INIT, pid = BUF_INIT, kill = BUF_INIT;

	if (!ss->job_live)
		return;
	buf_addf(&pid, "%s/job.%u.pid", r->scratch, ss->njobs);
	buf_addf(&kill, "%s/job.%u.kill", r->scratch, ss->njobs);
	ssh_kill_command(&script, pid.buf, kill.buf);
	ssh_quiet(r, script.buf);
	ss->job_live = 0;
	buf_release(&script);
	buf_release(&pid);
	buf_release(&kill);
}

/* Copy stderr on, holding back the end where the status marker arrives. */
static int pass_stderr(struct buf *hold, const char *s, size_t len, int fd)
{
	buf_add(hold, s, len);
	if (hold->len <= STDERR_HOLD)
		return 0;
	len = hold->len - STDERR_HOLD;
	if (write_all(fd, hold->buf, len))
		return -1;
	memmove(hold->buf, hold->buf + len, STDERR_HOLD);
	buf_setlen(hold, STDERR_HOLD);
	return 0;
}

/* Pump the job's stdout and stderr until both end.  0, the callback's error, or PG_EINTR. */
static int pump(struct runner_job *job, struct proc *p, struct buf *hold)
{
	struct buf pending = BUF_INIT;
	int errfd = job->stderr_fd >= 0 ? job->stderr_fd : 2;
	int cb_ret = 0, ret = 0;

	while (p->out_fd >= 0 || p->err_fd >= 0) {
		struct pollfd pfd[3] = { { sig_fd(), POLLIN, 0 }, { p->out_fd, POLLIN, 0 },
					 { p->err_fd, POLLIN, 0 } };
		char chunk[65536];

		if (sig_pending()) {
			ret = PG_EINTR;
			break;
		}
		if (poll(pfd, 3, 200) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			sig_drain();
		for (int i = 1; i < 3; i++) {
			int *fdp = i == 1 ? &p->out_fd : &p->err_fd;
			ssize_t n;

			if (*fdp < 0 || !pfd[i].revents)
				continue;
			n = read(*fdp, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(*fdp);
				*fdp = -1;
				continue;
			}
			if (i == 2) {
				if (pass_stderr(hold, chunk, (size_t)n, errfd) && !ret)
					ret = error("cannot save the errors of '%s': %s",
						    job->argv.v[0], strerror(errno));
				continue;
			}
			if (job->stdout_fd >= 0 && write_all(job->stdout_fd, chunk, (size_t)n) && !ret)
				ret = error("cannot save the output of '%s': %s", job->argv.v[0],
					    strerror(errno));
			buf_add(&pending, chunk, (size_t)n);
			if (!cb_ret)
				cb_ret = runner_job_lines(job, &pending, 0);
		}
	}
	if (!ret && !cb_ret)
		cb_ret = runner_job_lines(job, &pending, 1);
	buf_release(&pending);
	return ret ? ret : cb_ret;
}

int ssh_exec(struct runner *r, struct runner_job *job)
{
	struct ssh_state *ss = r->priv;
	struct strvec argv = STRVEC_INIT;
	struct buf script = BUF_INIT, pidfile = BUF_INIT, killfile = BUF_INIT, hold = BUF_INIT;
	struct buf cmd_path = BUF_INIT, reply_path = BUF_INIT;
	struct runner_chan ch = { 0 };
	struct proc p;
	unsigned n = ++ss->njobs;
	int ret, code, status = -1, have_status;

	proc_init(&p);
	if (!ssh_master_alive(ss)) {
		ret = ssh_lost(r);
		goto out;
	}
	if (job->control_word) {
		buf_addf(&cmd_path, "%s/c.%u", r->scratch, n);
		buf_addf(&reply_path, "%s/a.%u", r->scratch, n);
		ch.cmd_path = cmd_path.buf;
		ch.reply_path = reply_path.buf;
		ret = relay_open(r, n, job->control_peer ? job->control_peer : "the job");
		if (ret)
			goto out;
	}
	runner_job_argv(job, job->control_word ? &ch : NULL, &argv);
	buf_addf(&pidfile, "%s/job.%u.pid", r->scratch, n);
	buf_addf(&killfile, "%s/job.%u.kill", r->scratch, n);
	ssh_job_command(&script, pidfile.buf, killfile.buf, job->dir ? job->dir : r->scratch,
			&job->env, &argv);
	ssh_session_args(ss, &p.args, script.buf);
	p.out = p.err = PROC_PIPE;
	ret = proc_start(&p);
	if (ret)
		goto out;
	ss->job_live = 1;
	if (job->control_word) {
		job->chan_cmd_fd = ss->relay.in_fd;
		job->chan_reply_fd = ss->relay.out_fd;
		job->chan_pid = p.pid;
	}
	ret = pump(job, &p, &hold);
	code = ret == PG_EINTR ? PG_EINTR : proc_wait(&p);
	if (code == PG_EINTR) {
		/* The remote group does not notice a dead ssh until it writes: kill it. */
		ssh_remote_kill(r);
		ret = PG_EINTR;
		goto out;
	}
	have_status = ssh_take_status(&hold, &status);
	if (have_status)
		ss->job_live = 0;
	if (ret)
		goto out;
	if (!have_status) {
		ret = !ssh_master_lost(ss) ? error_code(PG_EENV, "the ssh session to '%s' ended without "
						     "the job's exit status (ssh exit %d)", ss->host,
						     code) : ssh_lost(r);
		goto out;
	}
	job->status = status;
out:
	if (hold.len)
		write_all(job->stderr_fd >= 0 ? job->stderr_fd : 2, hold.buf, hold.len);
	if (p.pid > 0)
		proc_kill(&p);
	/* The relay's descriptors are the runner's, not the job's. */
	job->chan_cmd_fd = job->chan_reply_fd = -1;
	job->chan_pid = 0;
	proc_release(&p);
	strvec_clear(&argv);
	buf_release(&script);
	buf_release(&pidfile);
	buf_release(&killfile);
	buf_release(&hold);
	buf_release(&cmd_path);
	buf_release(&reply_path);
	return ret;
}

int ssh_query(struct runner *r, const char *const *argv, struct buf *out)
{
	struct buf script = BUF_INIT, err = BUF_INIT;
	int ret;

	for (size_t i = 0; argv[i]; i++) {
		if (i)
			buf_addch(&script, ' ');
		sq_quote_buf(&script, argv[i]);
	}
	/* The login shell says 127 for a program it cannot find; its words go to `err`. */
	ret = ssh_run(r, script.buf, PROC_NULL, out, -1, &err);
	buf_release(&script);
	buf_release(&err);
	return ret;
}
