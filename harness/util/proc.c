/* Child processes; see proc.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/proc.h"
#include "util/quote.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/banned.h"

extern char **environ;

/* Output captured from one child is capped: a runaway `go test -v` must not eat memory. */
#define CAPTURE_CAP (64u << 20)

void proc_init(struct proc *p)
{
	memset(p, 0, sizeof(*p));
	strvec_init(&p->args);
	strvec_init(&p->env);
	p->in = PROC_NULL;
	p->out = PROC_INHERIT;
	p->err = PROC_INHERIT;
	p->flags = PROC_NEW_PGRP;
	p->in_fd = p->out_fd = p->err_fd = -1;
	p->guard_fd = -1;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void proc_release(struct proc *p)
{
	close_fd(&p->in_fd);
	close_fd(&p->out_fd);
	close_fd(&p->err_fd);
	close_fd(&p->guard_fd);
	strvec_clear(&p->args);
	strvec_clear(&p->env);
}

char *proc_which(const char *name)
{
	const char *path = getenv("PATH");
	struct buf b = BUF_INIT;

	if (strchr(name, '/'))
		return access(name, X_OK) ? NULL : xstrdup(name);
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *end = strchrnul(path, ':');
		struct stat st;

		buf_reset(&b);
		if (end == path)
			buf_addch(&b, '.');
		else
			buf_add(&b, path, (size_t)(end - path));
		buf_addf(&b, "/%s", name);
		if (!stat(b.buf, &st) && S_ISREG(st.st_mode) && !access(b.buf, X_OK))
			return buf_detach(&b);
		path = *end ? end + 1 : end;
	}
	buf_release(&b);
	return NULL;
}

/* environ with the delta applied; the strings are borrowed or from p->env. */
static const char **build_env(const struct proc *p)
{
	size_t n = 0, k = 0;
	const char **envp;

	while (environ[n])
		n++;
	envp = xcalloc(n + p->env.nr + 1, sizeof(*envp));
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t klen = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		int overridden = 0;

		for (size_t j = 0; j < p->env.nr; j++) {
			const char *d = p->env.v[j];
			size_t dlen = strchrnul(d, '=') - d;

			if (dlen == klen && !strncmp(d, environ[i], klen))
				overridden = 1;
		}
		if (!overridden)
			envp[k++] = environ[i];
	}
	for (size_t j = 0; j < p->env.nr; j++)
		if (strchr(p->env.v[j], '='))
			envp[k++] = p->env.v[j];
	envp[k] = NULL;
	return envp;
}

/* In the child: only async-signal-safe calls from here to exec. */
static void child_fail(int errpipe, int what)
{
	int e[2] = { what, errno };

	if (write(errpipe, e, sizeof(e)) < 0) {
		/* Nothing more can be done in the child. */
	}
	_exit(127);
}

static void child_setup_fd(int want, int pipe_end, int target, int errpipe)
{
	int fd = -1;

	if (want == PROC_INHERIT)
		return;
	if (want == PROC_NULL) {
		fd = open("/dev/null", (target ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
		if (fd < 0)
			child_fail(errpipe, 1);
	} else if (want == PROC_PIPE) {
		fd = pipe_end;
	} else {
		fd = want;
	}
	if (fd == target) {
		/* Already in place: just make it survive exec. */
		fcntl(fd, F_SETFD, 0);
		return;
	}
	if (dup2(fd, target) < 0)
		child_fail(errpipe, 1);
}

/*
 * In a child leading its own group: fork a guard that stays in the group,
 * holds only the read end of a pipe whose write end only perfgo holds, and
 * kills the whole group when that pipe closes: when perfgo has reaped the
 * child, or when perfgo died, even by SIGKILL.  PR_SET_PDEATHSIG covers
 * only the direct child; the guard covers what it started (perf's
 * workload, go's compilers).  A guard that cannot be forked is skipped.
 */
static void child_guard(int guard_rd)
{
	char c;
	pid_t pid = fork();

	if (pid)
		return;
	if (guard_rd > 0)
		close_range(0, (unsigned)guard_rd - 1, 0);
	close_range((unsigned)guard_rd + 1, ~0U, 0);
	while (read(guard_rd, &c, 1) < 0 && errno == EINTR)
		;
	kill(0, SIGKILL);
	_exit(0);
}

static void child_exec(struct proc *p, const char *path, const char **envp,
		       int pipes[3][2], int errpipe, pid_t parent, int guard_rd)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE, SIGQUIT };
	sigset_t none;

	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if ((p->flags & PROC_NEW_PGRP) && setpgid(0, 0))
		child_fail(errpipe, 2);
	/* Die with perfgo: the guard for the group, the signal for the child. */
	if (guard_rd >= 0)
		child_guard(guard_rd);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(127);
	if (guard_rd >= 0)
		close(guard_rd);
	if (p->dir && chdir(p->dir))
		child_fail(errpipe, 3);
	child_setup_fd(p->in, pipes[0][0], 0, errpipe);
	child_setup_fd(p->out, pipes[1][1], 1, errpipe);
	child_setup_fd(p->err, pipes[2][1], 2, errpipe);
	for (int i = 0; i < p->nkeep; i++)
		if (fcntl(p->keep_fds[i], F_SETFD, 0))
			child_fail(errpipe, 1);
	execve(path, (char *const *)p->args.v, (char *const *)envp);
	child_fail(errpipe, 4);
}

static int open_pipes(const struct proc *p, int pipes[3][2])
{
	const int want[3] = { p->in, p->out, p->err };

	for (int i = 0; i < 3; i++) {
		pipes[i][0] = pipes[i][1] = -1;
		if (want[i] == PROC_PIPE && pipe2(pipes[i], O_CLOEXEC))
			return error("cannot create a pipe: %s", strerror(errno));
	}
	return 0;
}

static void close_pipes(int pipes[3][2])
{
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 2; j++)
			close_fd(&pipes[i][j]);
}

int proc_start(struct proc *p)
{
	static const char *const what[] = { "", "cannot set up descriptors for",
		"cannot create a process group for", "cannot change directory for",
		"cannot run" };
	int pipes[3][2], errpipe[2] = { -1, -1 }, guard[2];
	const char **envp = NULL;
	pid_t self;
	char *path = NULL;
	int e[2], ret = PG_EENV;
	ssize_t n;

	if (!p->args.nr)
		BUG("proc_start without a program");
	path = proc_which(p->args.v[0]);
	if (!path)
		return error_code(PG_EENV, "cannot run '%s': not found in PATH", p->args.v[0]);
	if (pg_verbosity > 0) {
		struct buf d = BUF_INIT;

		proc_describe(p, &d);
		verbose("run: %s%s%s", d.buf, p->dir ? " in " : "", p->dir ? p->dir : "");
		buf_release(&d);
	}
	if (open_pipes(p, pipes) || pipe2(errpipe, O_CLOEXEC)) {
		close_pipes(pipes);
		free(path);
		return error("cannot create a pipe: %s", strerror(errno));
	}
	guard[0] = guard[1] = -1;
	if ((p->flags & PROC_NEW_PGRP) && pipe2(guard, O_CLOEXEC)) {
		close_pipes(pipes);
		close_fd(&errpipe[0]);
		close_fd(&errpipe[1]);
		free(path);
		return error("cannot create a pipe: %s", strerror(errno));
	}
	envp = build_env(p);
	p->term_signal = 0;
	self = getpid();
	p->pid = fork();
	if (p->pid < 0) {
		ret = error("cannot fork: %s", strerror(errno));
		goto out;
	}
	if (!p->pid)
		child_exec(p, path, envp, pipes, errpipe[1], self, guard[0]);
	close_fd(&guard[0]);
	p->guard_fd = guard[1];
	guard[1] = -1;

	/* Parent: avoid racing the child's own setpgid(). */
	if (p->flags & PROC_NEW_PGRP)
		setpgid(p->pid, p->pid);
	close_fd(&errpipe[1]);
	do
		n = read(errpipe[0], e, sizeof(e));
	while (n < 0 && errno == EINTR);
	if (n == sizeof(e)) {
		int status;

		while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR)
			;
		p->pid = 0;
		close_fd(&p->guard_fd);
		ret = error_code(PG_EENV, "%s '%s': %s", what[e[0] < 5 ? e[0] : 4],
				 p->args.v[0], strerror(e[1]));
		goto out;
	}
	p->in_fd = pipes[0][1];
	pipes[0][1] = -1;
	p->out_fd = pipes[1][0];
	pipes[1][0] = -1;
	p->err_fd = pipes[2][0];
	pipes[2][0] = -1;
	ret = 0;
out:
	close_pipes(pipes);
	close_fd(&errpipe[0]);
	close_fd(&errpipe[1]);
	close_fd(&guard[0]);
	close_fd(&guard[1]);
	free(envp);
	free(path);
	return ret;
}

static int decode_status(struct proc *p, int status)
{
	p->pid = 0;
	/* Reaped: the guard takes down whatever is left of the group. */
	close_fd(&p->guard_fd);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status)) {
		p->term_signal = WTERMSIG(status);
		return 128 + p->term_signal;
	}
	return 128;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void proc_kill(struct proc *p)
{
	pid_t target;
	int status;

	if (p->pid <= 0)
		return;
	target = (p->flags & PROC_NEW_PGRP) ? -p->pid : p->pid;
	kill(target, SIGTERM);
	/* Give perf a moment to stop its workload and write its file. */
	for (int i = 0; i < 40; i++) {
		pid_t r = waitpid(p->pid, &status, WNOHANG);

		if (r == p->pid) {
			/* The leader is gone; make sure nothing of its group stays. */
			if (p->flags & PROC_NEW_PGRP)
				kill(target, SIGKILL);
			decode_status(p, status);
			return;
		}
		sleep_ms(50);
	}
	kill(target, SIGKILL);
	while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR)
		;
	decode_status(p, status);
}

int proc_wait(struct proc *p)
{
	for (;;) {
		struct pollfd pfd = { sig_fd(), POLLIN, 0 };
		int status;
		pid_t r = waitpid(p->pid, &status, WNOHANG);

		if (r == p->pid)
			return decode_status(p, status);
		if (r < 0 && errno != EINTR) {
			p->pid = 0;
			return error("cannot wait for '%s': %s", p->args.v[0], strerror(errno));
		}
		if (sig_pending()) {
			proc_kill(p);
			return PG_EINTR;
		}
		if (pfd.fd >= 0 && poll(&pfd, 1, 200) > 0)
			sig_drain();
		else if (pfd.fd < 0)
			sleep_ms(20);
	}
}

int proc_capture(struct proc *p, struct buf *out, struct buf *err)
{
	struct pollfd pfd[3];
	struct buf *dst[3] = { NULL, out, err };
	int ret;

	if (out)
		p->out = PROC_PIPE;
	if (err)
		p->err = PROC_PIPE;
	ret = proc_start(p);
	if (ret)
		return ret;
	close_fd(&p->in_fd);
	for (;;) {
		int n = 0;

		pfd[n++] = (struct pollfd){ sig_fd(), POLLIN, 0 };
		if (p->out_fd >= 0)
			pfd[n++] = (struct pollfd){ p->out_fd, POLLIN, 0 };
		if (p->err_fd >= 0)
			pfd[n++] = (struct pollfd){ p->err_fd, POLLIN, 0 };
		if (n == 1)
			break;
		if (sig_pending()) {
			proc_kill(p);
			return PG_EINTR;
		}
		if (poll(pfd, (nfds_t)n, 200) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			sig_drain();
		for (int i = 1; i < n; i++) {
			int *fdp = pfd[i].fd == p->out_fd ? &p->out_fd : &p->err_fd;
			struct buf *b = fdp == &p->out_fd ? dst[1] : dst[2];
			char chunk[65536];
			ssize_t r;

			if (!pfd[i].revents)
				continue;
			r = read(*fdp, chunk, sizeof(chunk));
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				close_fd(fdp);
				continue;
			}
			if (b->len < CAPTURE_CAP)
				buf_add(b, chunk, (size_t)r);
		}
	}
	return proc_wait(p);
}

void proc_describe(const struct proc *p, struct buf *out)
{
	for (size_t i = 0; i < p->args.nr; i++) {
		if (i)
			buf_addch(out, ' ');
		sq_quote_word(out, p->args.v[i]);
	}
}
