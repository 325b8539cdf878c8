/*
 * The local runner: jobs are child processes of perfgo on this machine.
 * perf's control channel is a pair of pipes handed to perf as
 * "--control fd:CTL,ACK".
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "session/fingerprint.h"
#include "measure/perf.h"
#include "util/proc.h"
#include "runner/runner.h"
#include "runner/runner_ssh.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/clock.h"
#include "util/banned.h"

#define ACK_TIMEOUT_MS 10000

void runner_job_init(struct runner_job *job)
{
	memset(job, 0, sizeof(*job));
	strvec_init(&job->argv);
	strvec_init(&job->env);
	job->stdout_fd = -1;
	job->stderr_fd = -1;
	job->ctl_fd = job->ack_fd = -1;
}

void runner_job_release(struct runner_job *job)
{
	strvec_clear(&job->argv);
	strvec_clear(&job->env);
	if (job->ctl_fd >= 0)
		close(job->ctl_fd);
	if (job->ack_fd >= 0)
		close(job->ack_fd);
	job->ctl_fd = job->ack_fd = -1;
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Has `pid` exited?  Leaves it for its owner to reap. */
static int exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT))
		return errno != EINTR;
	return si.si_pid == pid;
}

void runner_argv_with_control(const struct runner_job *job, const struct runner_chan *ch,
			      struct strvec *out)
{
	char *word = job->control_word(ch);

	for (size_t i = 0; i < job->argv.nr; i++) {
		if (i == job->control_at)
			strvec_push(out, word);
		strvec_push(out, job->argv.v[i]);
	}
	if (job->control_at >= job->argv.nr)
		strvec_push(out, word);
	free(word);
}

int runner_job_control(struct runner_job *job, const char *cmd)
{
	struct pollfd pfd = { job->ack_fd, POLLIN, 0 };
	char line[32];
	int n = snprintf(line, sizeof(line), "%s\n", cmd);
	int64_t deadline = clock_mono_ms() + ACK_TIMEOUT_MS, gone = 0;
	int64_t t0;

	if (job->ctl_fd < 0 || n < 0 || (size_t)n >= sizeof(line))
		BUG("control command without a channel");
	t0 = clock_mono_ns();
	if (write_all(job->ctl_fd, line, (size_t)n))
		return errno == EPIPE ? 1 : error_code(PG_EENV, "cannot send '%s' to %s: %s",
						       cmd, job->control_peer, strerror(errno));
	/*
	 * perf answers "ack\n" once the events are switched; read it up to
	 * the newline, so that an ack arriving in pieces (over ssh) is not
	 * mistaken for the next one.  A remote perf cannot close the channel
	 * (a relay holds it): there perf is gone when `ctl_pid` has exited;
	 * an ack already on its way gets a moment to arrive.
	 */
	for (;;) {
		int64_t now = clock_mono_ms();
		int slice = job->ctl_pid > 0 ? 20 : (int)(deadline - now);
		int ready = poll(&pfd, 1, slice > 0 ? slice : 0);
		char c;
		ssize_t r;

		if (sig_pending())
			return PG_EINTR;
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready > 0) {
			do
				r = read(job->ack_fd, &c, 1);
			while (r < 0 && errno == EINTR);
			if (r <= 0)
				return 1;
			if (c != '\n')
				continue;
			verbose("%s acknowledged '%s' after %.3f ms", job->control_peer, cmd,
				(double)(clock_mono_ns() - t0) / 1e6);
			return 0;
		}
		now = clock_mono_ms();
		if (job->ctl_pid > 0 && !gone && exited(job->ctl_pid))
			gone = now;
		if (gone && now - gone > 200)
			return 1;
		if (ready < 0 || now >= deadline)
			return error_code(PG_EENV, "%s did not acknowledge '%s' within %d s",
					  job->control_peer, cmd, ACK_TIMEOUT_MS / 1000);
	}
}

static int local_probe(struct runner *r, struct fingerprint *fp)
{
	(void)r;
	return fingerprint_collect_local(fp);
}

static int local_stage(struct runner *r, const char *local_bin, const char *pkg_dir,
		       char **bin_out, char **dir_out)
{
	(void)r;
	*bin_out = xstrdup(local_bin);
	*dir_out = xstrdup(pkg_dir);
	return 0;
}

/* Split what arrived on stdout into lines for the callback. */
static int feed_lines(struct runner_job *job, struct buf *pending, int final)
{
	size_t start = 0;
	int ret = 0;

	for (;;) {
		char *nl = memchr(pending->buf + start, '\n', pending->len - start);
		size_t len;

		if (!nl) {
			if (!final || start == pending->len)
				break;
			len = pending->len - start;
		} else {
			len = (size_t)(nl - (pending->buf + start));
		}
		if (!ret && job->on_line)
			ret = job->on_line(job, pending->buf + start, len);
		start += len + (nl ? 1 : 0);
		if (!nl)
			break;
	}
	/* Keep the incomplete tail. */
	memmove(pending->buf, pending->buf + start, pending->len - start);
	buf_setlen(pending, pending->len - start);
	return ret;
}

static int local_exec(struct runner *r, struct runner_job *job)
{
	struct proc p;
	struct buf pending = BUF_INIT;
	int ctl[2] = { -1, -1 }, ack[2] = { -1, -1 };
	int ret = 0, cb_ret = 0;

	(void)r;
	proc_init(&p);
	strvec_pushv(&p.args, job->argv.v);
	strvec_pushv(&p.env, job->env.v);
	p.dir = job->dir;
	p.out = PROC_PIPE;
	p.err = job->stderr_fd >= 0 ? job->stderr_fd : PROC_INHERIT;
	if (job->control_word) {
		struct runner_chan ch = { 1, -1, -1, NULL, NULL };

		if (pipe2(ctl, O_CLOEXEC) || pipe2(ack, O_CLOEXEC)) {
			ret = error("cannot create a pipe: %s", strerror(errno));
			goto out;
		}
		/* The job reads commands from ctl[0] and replies on ack[1]. */
		p.keep_fds[p.nkeep++] = ctl[0];
		p.keep_fds[p.nkeep++] = ack[1];
		ch.cmd_fd = ctl[0];
		ch.reply_fd = ack[1];
		strvec_clear(&p.args);
		runner_argv_with_control(job, &ch, &p.args);
	}
	ret = proc_start(&p);
	if (ret)
		goto out;
	if (job->control_word) {
		close(ctl[0]);
		close(ack[1]);
		ctl[0] = ack[1] = -1;
		job->ctl_fd = ctl[1];
		job->ack_fd = ack[0];
		ctl[1] = ack[0] = -1;
	}
	for (;;) {
		struct pollfd pfd[2] = { { sig_fd(), POLLIN, 0 }, { p.out_fd, POLLIN, 0 } };
		char chunk[65536];
		ssize_t n;

		if (sig_pending()) {
			proc_kill(&p);
			ret = PG_EINTR;
			goto out;
		}
		if (poll(pfd, 2, 200) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			sig_drain();
		if (!pfd[1].revents)
			continue;
		n = read(p.out_fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (job->stdout_fd >= 0 && write_all(job->stdout_fd, chunk, (size_t)n)) {
			proc_kill(&p);
			ret = error("cannot save the output of '%s': %s", job->argv.v[0], strerror(errno));
			goto out;
		}
		buf_add(&pending, chunk, (size_t)n);
		if (!cb_ret)
			cb_ret = feed_lines(job, &pending, 0);
	}
	if (!cb_ret)
		cb_ret = feed_lines(job, &pending, 1);
	job->status = proc_wait(&p);
	if (job->status == PG_EINTR) {
		ret = PG_EINTR;
		goto out;
	}
	ret = cb_ret;
out:
	if (p.pid > 0)
		proc_kill(&p);
	for (int i = 0; i < 2; i++) {
		if (ctl[i] >= 0)
			close(ctl[i]);
		if (ack[i] >= 0)
			close(ack[i]);
	}
	if (job->ctl_fd >= 0)
		close(job->ctl_fd);
	if (job->ack_fd >= 0)
		close(job->ack_fd);
	job->ctl_fd = job->ack_fd = -1;
	proc_release(&p);
	buf_release(&pending);
	return ret;
}

static int local_fetch(struct runner *r, const char *remote, const char *local)
{
	(void)r;
	if (!strcmp(remote, local))
		return 0;
	if (!rename(remote, local))
		return 0;
	return error("cannot move '%s' to '%s': %s", remote, local, strerror(errno));
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int runner_remove_tree(const char *dir)
{
	return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void local_cleanup(struct runner *r)
{
	if (!r->local_scratch)
		return;
	if (r->keep)
		note("kept the scratch directory '%s'", r->local_scratch);
	else
		runner_remove_tree(r->local_scratch);
}

static int local_check_perf(struct runner *r)
{
	(void)r;
	return perf_preflight();
}

static const struct runner_ops local_ops = {
	"local", local_probe, local_stage, local_exec, local_fetch, local_cleanup,
	local_check_perf
};

char *runner_mkdtemp(const char *name)
{
	const char *tmp = getenv("TMPDIR");
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	if (!mkdtemp(b.buf)) {
		int e = errno;

		buf_release(&b);
		error_code(PG_EENV, "cannot create a temporary directory: %s", strerror(e));
		return NULL;
	}
	return buf_detach(&b);
}

int runner_open(struct runner *r, const char *remote_host, int keep)
{
	memset(r, 0, sizeof(*r));
	strvec_init(&r->build_env);
	r->keep = keep;
	if (remote_host)
		return runner_ssh_open(r, remote_host);
	r->ops = &local_ops;
	r->local_scratch = runner_mkdtemp("perfgo");
	if (!r->local_scratch)
		return PG_EENV;
	r->scratch = xstrdup(r->local_scratch);
	return 0;
}

int runner_local_open(struct runner *r)
{
	return runner_open(r, NULL, 0);
}

void runner_close(struct runner *r)
{
	if (r->ops && r->ops->cleanup)
		r->ops->cleanup(r);
	free(r->scratch);
	free(r->local_scratch);
	strvec_clear(&r->build_env);
	r->scratch = r->local_scratch = NULL;
	r->ops = NULL;
}
