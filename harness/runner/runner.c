/*
 * What every runner shares: the table of runners behind runner_open(),
 * jobs and their control channel, scratch directories.  See runner.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/io.h"
#include "runner/runner_impl.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/banned.h"

#define REPLY_TIMEOUT_MS 10000

/*
 * The runners a destination can name, tried in order: the first whose
 * prefix starts the destination opens it (the prefix stays part of it).
 * ssh's "[user@]host" has no prefix of its own and comes last, so a
 * Kubernetes pod will be a row { "pod", "pod:", check, open } above it.
 */
static const struct runner_kind {
	const char *name;
	const char *prefix;
	int (*check)(const char *dest);
	int (*open)(struct runner *r, const char *dest);
} kinds[] = {
	{ "ssh", "", ssh_check_host, runner_ssh_open },
};

static const struct runner_kind *kind_of(const char *dest)
{
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (starts_with(dest, kinds[i].prefix))
			return &kinds[i];
	BUG("no runner for a destination");
}

int runner_check_dest(const char *dest)
{
	const struct runner_kind *k = dest ? kind_of(dest) : NULL;

	return k && k->check ? k->check(dest) : 0;
}

int runner_open(struct runner *r, const char *dest, int keep)
{
	int ret;

	memset(r, 0, sizeof(*r));
	strvec_init(&r->build_env);
	r->keep = keep;
	if (dest)
		r->dest = xstrdup(dest);
	ret = dest ? kind_of(dest)->open(r, dest) : runner_local_open(r, NULL);
	if (ret)
		runner_close(r);
	return ret;
}

void runner_close(struct runner *r)
{
	if (r->ops && r->ops->cleanup)
		r->ops->cleanup(r);
	free(r->dest);
	free(r->scratch);
	free(r->local_scratch);
	strvec_clear(&r->build_env);
	r->dest = r->scratch = r->local_scratch = NULL;
	r->ops = NULL;
}

/*
 * A scratch directory records its owner: OWNER_FILE holds the pid and is
 * flock()ed by that perfgo until it exits (the descriptor stays open for
 * the life of the process), so a lock that can be taken means the owner is
 * gone, whatever the pid has become since.
 */
#define OWNER_FILE ".perfgo-owner"

static int owner_written(int fd)
{
	char c;

	return pread(fd, &c, 1, 0) == 1;
}

/* Remove "<tmp>/<name>-*" directories whose owner is gone (after kill -9). */
static void sweep_stale(const char *tmp, const char *name)
{
	DIR *d = opendir(tmp);
	struct dirent *e;
	struct strvec stale = STRVEC_INIT;
	size_t len = strlen(name);

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct buf p = BUF_INIT;
		int fd;

		if (strncmp(e->d_name, name, len) || e->d_name[len] != '-')
			continue;
		buf_addf(&p, "%s/%s/" OWNER_FILE, tmp, e->d_name);
		fd = open(p.buf, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		/*
		 * The owner writes its pid only once it holds the lock: an
		 * empty file is a directory being created, not a stale one.
		 */
		if (fd >= 0 && !flock(fd, LOCK_EX | LOCK_NB) && owner_written(fd)) {
			buf_reset(&p);
			buf_addf(&p, "%s/%s", tmp, e->d_name);
			strvec_push(&stale, p.buf);
		}
		if (fd >= 0)
			close(fd);
		buf_release(&p);
	}
	closedir(d);
	for (size_t i = 0; i < stale.nr; i++) {
		verbose("removing '%s', left by a perfgo that is gone", stale.v[i]);
		runner_remove_tree(stale.v[i]);
	}
	strvec_clear(&stale);
}

char *runner_mkdtemp(const char *name)
{
	const char *tmp = getenv("TMPDIR");
	struct buf b = BUF_INIT, owner = BUF_INIT;
	int fd;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	sweep_stale(tmp, name);
	buf_addf(&b, "%s/%s-XXXXXX", tmp, name);
	if (!mkdtemp(b.buf)) {
		int e = errno;

		buf_release(&b);
		error_code(PG_EENV, "cannot create a temporary directory: %s", strerror(e));
		return NULL;
	}
	buf_addf(&owner, "%s/" OWNER_FILE, b.buf);
	fd = open(owner.buf, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	/* Blocking: another perfgo's sweep may hold it for a moment, then sees it empty. */
	if (fd < 0 || flock(fd, LOCK_EX)) {
		error_code(PG_EENV, "cannot create '%s': %s", owner.buf, strerror(errno));
		if (fd >= 0)
			close(fd);
		runner_remove_tree(b.buf);
		buf_release(&owner);
		buf_release(&b);
		return NULL;
	}
	buf_reset(&owner);
	buf_addf(&owner, "%ld\n", (long)getpid());
	if (write(fd, owner.buf, owner.len) < 0)
		verbose("cannot record the owner of '%s': %s", b.buf, strerror(errno));
	/* fd stays open, and locked, until perfgo exits. */
	buf_release(&owner);
	return buf_detach(&b);
}

void runner_disown_scratch(const char *dir)
{
	struct buf p = BUF_INIT;

	buf_addf(&p, "%s/" OWNER_FILE, dir);
	unlink(p.buf);
	buf_release(&p);
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

/* ------------------------------------------------------------------ jobs */

void runner_job_init(struct runner_job *job)
{
	memset(job, 0, sizeof(*job));
	strvec_init(&job->argv);
	strvec_init(&job->env);
	job->stdout_fd = -1;
	job->stderr_fd = -1;
	job->chan_cmd_fd = job->chan_reply_fd = -1;
}

void runner_job_release(struct runner_job *job)
{
	strvec_clear(&job->argv);
	strvec_clear(&job->env);
	if (job->chan_cmd_fd >= 0)
		close(job->chan_cmd_fd);
	if (job->chan_reply_fd >= 0)
		close(job->chan_reply_fd);
	job->chan_cmd_fd = job->chan_reply_fd = -1;
}

void runner_job_argv(const struct runner_job *job, const struct runner_chan *ch,
		     struct strvec *out)
{
	char *word;

	if (!job->control_word || !ch) {
		strvec_pushv(out, job->argv.v);
		return;
	}
	if (job->control_at > job->argv.nr)
		BUG("control word beyond the job's argv");
	word = job->control_word(ch);
	for (size_t i = 0; i < job->argv.nr; i++) {
		if (i == job->control_at)
			strvec_push(out, word);
		strvec_push(out, job->argv.v[i]);
	}
	if (job->control_at == job->argv.nr)
		strvec_push(out, word);
	free(word);
}

static int job_line(void *data, const char *line, size_t len)
{
	struct runner_job *job = data;

	return job->on_line ? job->on_line(job, line, len) : 0;
}

int runner_job_lines(struct runner_job *job, struct buf *pending, int final)
{
	return split_lines(pending, final, job_line, job);
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

int runner_job_control(struct runner_job *job, const char *cmd)
{
	struct pollfd pfd = { job->chan_reply_fd, POLLIN, 0 };
	const char *peer = job->control_peer ? job->control_peer : "the job";
	char line[32];
	int n = snprintf(line, sizeof(line), "%s\n", cmd);
	int64_t deadline = clock_mono_ms() + REPLY_TIMEOUT_MS, gone = 0;
	int64_t t0;

	if (job->chan_cmd_fd < 0 || n < 0 || (size_t)n >= sizeof(line))
		BUG("job control without a channel");
	t0 = clock_mono_ns();
	if (write_all(job->chan_cmd_fd, line, (size_t)n))
		return errno == EPIPE ? 1 : error_code(PG_EENV, "cannot send '%s' to %s: %s",
						       cmd, peer, strerror(errno));
	/*
	 * The peer replies with one line once the command took effect (perf:
	 * "ack\n"); read it up to the newline, so that a reply arriving in
	 * pieces (over ssh) is not mistaken for the next one.  A remote peer
	 * cannot close the channel (a relay holds it): there it is gone when
	 * `chan_pid` has exited; a reply already on its way gets a moment to
	 * arrive.
	 */
	for (;;) {
		int64_t now = clock_mono_ms();
		int slice = job->chan_pid > 0 ? 20 : (int)(deadline - now);
		int ready = poll(&pfd, 1, slice > 0 ? slice : 0);
		char c;
		ssize_t r;

		if (sig_pending())
			return PG_EINTR;
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready > 0) {
			do
				r = read(job->chan_reply_fd, &c, 1);
			while (r < 0 && errno == EINTR);
			if (r <= 0)
				return 1;
			if (c != '\n')
				continue;
			verbose("%s acknowledged '%s' after %.3f ms", peer, cmd,
				(double)(clock_mono_ns() - t0) / 1e6);
			return 0;
		}
		now = clock_mono_ms();
		if (job->chan_pid > 0 && !gone && exited(job->chan_pid))
			gone = now;
		if (gone && now - gone > 200)
			return 1;
		if (ready < 0 || now >= deadline)
			return error_code(PG_EENV, "%s did not acknowledge '%s' within %d s",
					  peer, cmd, REPLY_TIMEOUT_MS / 1000);
	}
}
