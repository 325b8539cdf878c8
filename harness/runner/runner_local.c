/*
 * The local runner: jobs are child processes of perfgo on this machine.
 * A job's control channel is a pair of pipes it inherits: it reads
 * commands from one descriptor and writes replies to the other.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/io.h"
#include "util/proc.h"
#include "runner/runner_impl.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/banned.h"

static int local_probe(struct runner *r, struct fingerprint *fp)
{
	(void)r;
	return probe_local_machine(fp);
}

static int local_stage(struct runner *r, const char *local_bin, const char *pkg_dir,
		       char **bin_out, char **dir_out)
{
	(void)r;
	*bin_out = xstrdup(local_bin);
	*dir_out = xstrdup(pkg_dir);
	return 0;
}

static void close_pair(int fd[2])
{
	for (int i = 0; i < 2; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	fd[0] = fd[1] = -1;
}

/*
 * The job's control channel: it reads commands from cmd[0] and replies on
 * reply[1]; perfgo keeps the other ends once the job has started.
 */
static int open_chan(struct proc *p, int cmd[2], int reply[2], struct runner_chan *ch)
{
	if (pipe2(cmd, O_CLOEXEC) || pipe2(reply, O_CLOEXEC))
		return error("cannot create a pipe: %s", strerror(errno));
	p->keep_fds[p->nkeep++] = cmd[0];
	p->keep_fds[p->nkeep++] = reply[1];
	ch->fds = 1;
	ch->cmd_fd = cmd[0];
	ch->reply_fd = reply[1];
	return 0;
}

static int local_exec(struct runner *r, struct runner_job *job)
{
	struct proc p;
	struct runner_chan ch = { 0 };
	struct buf pending = BUF_INIT;
	int cmd[2] = { -1, -1 }, reply[2] = { -1, -1 };
	int ret = 0, cb_ret = 0;

	(void)r;
	proc_init(&p);
	if (job->control_word) {
		ret = open_chan(&p, cmd, reply, &ch);
		if (ret)
			goto out;
	}
	runner_job_argv(job, job->control_word ? &ch : NULL, &p.args);
	strvec_pushv(&p.env, job->env.v);
	p.dir = job->dir;
	p.out = PROC_PIPE;
	p.err = job->stderr_fd >= 0 ? job->stderr_fd : PROC_INHERIT;
	ret = proc_start(&p);
	if (ret)
		goto out;
	if (job->control_word) {
		job->chan_cmd_fd = cmd[1];
		job->chan_reply_fd = reply[0];
		cmd[1] = reply[0] = -1;
		close_pair(cmd);
		close_pair(reply);
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
			cb_ret = runner_job_lines(job, &pending, 0);
	}
	if (!cb_ret)
		cb_ret = runner_job_lines(job, &pending, 1);
	job->status = proc_wait(&p);
	if (job->status == PG_EINTR) {
		ret = PG_EINTR;
		goto out;
	}
	ret = cb_ret;
out:
	if (p.pid > 0)
		proc_kill(&p);
	close_pair(cmd);
	close_pair(reply);
	if (job->chan_cmd_fd >= 0)
		close(job->chan_cmd_fd);
	if (job->chan_reply_fd >= 0)
		close(job->chan_reply_fd);
	job->chan_cmd_fd = job->chan_reply_fd = -1;
	proc_release(&p);
	buf_release(&pending);
	return ret;
}

static int local_query(struct runner *r, const char *const *argv, struct buf *out)
{
	struct proc p;
	char *path = proc_which(argv[0]);
	int code;

	(void)r;
	if (!path)
		return 127;    /* as a shell says it; proc_start() would report it */
	free(path);
	proc_init(&p);
	strvec_pushv(&p.args, argv);
	p.in = p.err = PROC_NULL;
	code = proc_capture(&p, out, NULL);
	proc_release(&p);
	return code;
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

static void local_cleanup(struct runner *r)
{
	if (!r->local_scratch)
		return;
	if (r->keep) {
		runner_disown_scratch(r->local_scratch);
		note("kept the scratch directory '%s'", r->local_scratch);
	} else
		runner_remove_tree(r->local_scratch);
}

static const struct runner_ops local_ops = {
	"local", local_probe, local_stage, local_exec, local_query, local_fetch,
	local_cleanup
};

int runner_local_open(struct runner *r, const char *dest)
{
	(void)dest;
	r->ops = &local_ops;
	r->local_scratch = runner_mkdtemp("perfgo");
	if (!r->local_scratch)
		return PG_EENV;
	r->scratch = xstrdup(r->local_scratch);
	return 0;
}
