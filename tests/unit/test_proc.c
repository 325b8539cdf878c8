/*
 * Unit tests for harness/proc.c (child processes from argv arrays) and
 * harness/sig.c (the interrupt policy), with real programs: /bin/sh,
 * /bin/echo, /bin/pwd, /usr/bin/env, sleep.
 *
 * Order matters: the tests before test_sig_* run without sig_setup(), so
 * proc_wait() takes its no-self-pipe path; sig_setup() cannot be undone,
 * so the signal tests come last.  Each test checks that no child is left
 * unreaped.  The interrupt tests start `sh -c 'sleep 30 & sleep 30'` (a
 * grandchild in the same process group), make perfgo see SIGINT while it
 * waits, and check that proc_wait()/proc_capture() return PG_EINTR quickly
 * and that nothing of the group is still running.  Orphaned grandchildren
 * are reaped by PID 1, which may take a moment: the test separates "still
 * running" (must never be) from "zombie waiting for init" (waited out).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "common.h"
#include "util/buf.h"
#include "util/io.h"
#include "util/proc.h"
#include "util/sig.h"
#include "util/usage.h"

static char tmpdir[PATH_MAX];

struct fixture {
	struct proc p;
	struct buf out, err;
};

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));

	capture_start();
	proc_init(&fx->p);
	buf_init(&fx->out);
	buf_init(&fx->err);
	if (tmpdir_make(tmpdir, sizeof(tmpdir), "test_proc"))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	/* A failed test may leave its child running: take it down. */
	if (fx->p.pid > 0)
		proc_kill(&fx->p);
	proc_release(&fx->p);
	buf_release(&fx->out);
	buf_release(&fx->err);
	free(fx);
	capture_stop();
	return rm_rf(tmpdir);
}

/* Every proc_start was matched by a reap: no child, running or zombie, is left. */
static void assert_no_children(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void set_args(struct proc *p, ...)
{
	va_list ap;
	const char *s;

	va_start(ap, p);
	while ((s = va_arg(ap, const char *)))
		strvec_push(&p->args, s);
	va_end(ap);
}

/* ---- running and capturing --------------------------------------------- */

static void test_echo_capture(void **state)
{
	struct fixture *fx = *state;

	set_args(&fx->p, "/bin/echo", "hello world", "a'b", "$(id)", "", NULL);
	assert_int_equal(proc_capture(&fx->p, &fx->out, &fx->err), 0);
	assert_string_equal(fx->out.buf, "hello world a'b $(id) \n");
	assert_string_equal(fx->err.buf, "");
	assert_int_equal(fx->p.term_signal, 0);
	assert_int_equal(fx->p.pid, 0);
	assert_int_equal(msgs.len, 0);
	assert_no_children();
}

/* PATH lookup happens in the parent, before fork. */
static void test_path_lookup(void **state)
{
	struct fixture *fx = *state;

	set_args(&fx->p, "echo", "-n", "via PATH", NULL);
	assert_int_equal(proc_capture(&fx->p, &fx->out, NULL), 0);
	assert_string_equal(fx->out.buf, "via PATH");
	assert_no_children();
}

static void test_stdout_and_stderr(void **state)
{
	struct fixture *fx = *state;

	set_args(&fx->p, "/bin/sh", "-c", "echo out; echo err >&2; echo out2; exit 0", NULL);
	assert_int_equal(proc_capture(&fx->p, &fx->out, &fx->err), 0);
	assert_string_equal(fx->out.buf, "out\nout2\n");
	assert_string_equal(fx->err.buf, "err\n");
	assert_no_children();
}

/* More than a pipe holds on both streams at once: no deadlock, nothing lost. */
static void test_large_output_both_streams(void **state)
{
	struct fixture *fx = *state;

	set_args(&fx->p, "/bin/sh", "-c",
		 "i=0; while [ $i -lt 4000 ]; do "
		 "echo 'oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo'; "
		 "echo 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee' >&2; "
		 "i=$((i+1)); done", NULL);
	assert_int_equal(proc_capture(&fx->p, &fx->out, &fx->err), 0);
	assert_int_equal(fx->out.len, 4000 * 65);
	assert_int_equal(fx->err.len, 4000 * 65);
	assert_int_equal(fx->out.buf[0], 'o');
	assert_null(strchr(fx->out.buf, 'e'));
	assert_null(strchr(fx->err.buf, 'o'));
	assert_no_children();
}

/* stdin is /dev/null by default: a reader gets EOF at once instead of hanging. */
static void test_stdin_null_and_pipe(void **state)
{
	struct fixture *fx = *state;
	struct proc q;

	set_args(&fx->p, "/bin/cat", NULL);
	assert_int_equal(proc_capture(&fx->p, &fx->out, NULL), 0);
	assert_string_equal(fx->out.buf, "");

	proc_init(&q);
	set_args(&q, "/bin/cat", NULL);
	q.in = PROC_PIPE;
	q.out = PROC_PIPE;
	assert_int_equal(proc_start(&q), 0);
	assert_true(q.in_fd >= 0);
	assert_true(q.out_fd >= 0);
	assert_int_equal(q.err_fd, -1);
	assert_int_equal(write(q.in_fd, "piped in\n", 9), 9);
	close(q.in_fd);
	q.in_fd = -1;
	buf_reset(&fx->out);
	assert_int_equal(buf_read_fd(&fx->out, q.out_fd, 0), 0);
	assert_string_equal(fx->out.buf, "piped in\n");
	assert_int_equal(proc_wait(&q), 0);
	proc_release(&q);
	assert_int_equal(q.out_fd, -1);
	assert_no_children();
}

/* A descriptor of the caller's as stdout. */
static void test_stdout_to_descriptor(void **state)
{
	struct fixture *fx = *state;
	char path[PATH_MAX + 8];
	int fd;

	snprintf(path, sizeof(path), "%s/out", tmpdir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	set_args(&fx->p, "/bin/echo", "to a file", NULL);
	fx->p.out = fd;
	assert_int_equal(proc_start(&fx->p), 0);
	assert_int_equal(proc_wait(&fx->p), 0);
	close(fd);
	assert_int_equal(buf_read_file(&fx->out, path, 0), 0);
	assert_string_equal(fx->out.buf, "to a file\n");
	assert_no_children();
}

/* ---- exit codes and signals -------------------------------------------- */

static void test_exit_codes(void **state)
{
	static const int codes[] = { 0, 1, 2, 3, 4, 42, 126, 127, 128, 200, 255 };
	struct fixture *fx = *state;

	(void)fx;
	for (size_t i = 0; i < ARRAY_SIZE(codes); i++) {
		struct proc p;
		char script[32];
		int ret;

		proc_init(&p);
		snprintf(script, sizeof(script), "exit %d", codes[i]);
		set_args(&p, "/bin/sh", "-c", script, NULL);
		assert_int_equal(proc_start(&p), 0);
		assert_true(p.pid > 0);
		ret = proc_wait(&p);
		if (ret != codes[i] || p.term_signal || p.pid)
			fail_msg("'%s': returned %d term_signal %d pid %d", script, ret,
				 p.term_signal, (int)p.pid);
		proc_release(&p);
	}
	assert_int_equal(msgs.len, 0);
	assert_no_children();
}

static void test_death_by_signal(void **state)
{
	static const struct { const char *script; int sig; } t[] = {
		{ "kill -TERM $$", SIGTERM },
		{ "kill -KILL $$", SIGKILL },
		{ "kill -INT $$", SIGINT },
		{ "kill -HUP $$", SIGHUP },
		{ "kill -USR1 $$", SIGUSR1 },
		{ "exec /bin/sh -c 'kill -PIPE $$'", SIGPIPE },
	};
	struct fixture *fx = *state;

	(void)fx;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct proc p;
		int ret;

		proc_init(&p);
		set_args(&p, "/bin/sh", "-c", t[i].script, NULL);
		p.err = PROC_NULL;
		assert_int_equal(proc_start(&p), 0);
		ret = proc_wait(&p);
		if (ret != 128 + t[i].sig || p.term_signal != t[i].sig)
			fail_msg("'%s': returned %d term_signal %d, want %d and %d", t[i].script,
				 ret, p.term_signal, 128 + t[i].sig, t[i].sig);
		proc_release(&p);
	}
	assert_no_children();
}

/* The same through proc_capture, which also resets term_signal on a new start. */
static void test_capture_signal_then_exit(void **state)
{
	struct fixture *fx = *state;
	struct proc p;

	set_args(&fx->p, "/bin/sh", "-c", "echo partial; kill -TERM $$", NULL);
	assert_int_equal(proc_capture(&fx->p, &fx->out, NULL), 128 + SIGTERM);
	assert_int_equal(fx->p.term_signal, SIGTERM);
	assert_string_equal(fx->out.buf, "partial\n");

	proc_init(&p);
	set_args(&p, "/bin/sh", "-c", "exit 5", NULL);
	p.term_signal = 99;
	assert_int_equal(proc_start(&p), 0);
	assert_int_equal(p.term_signal, 0);
	assert_int_equal(proc_wait(&p), 5);
	proc_release(&p);
	assert_no_children();
}

/* ---- failures to start ------------------------------------------------- */

static void test_not_found(void **state)
{
	struct fixture *fx = *state;

	set_args(&fx->p, "perfgo-no-such-program-x1", "arg", NULL);
	assert_int_equal(proc_start(&fx->p), PG_EENV);
	assert_int_equal(fx->p.pid, 0);
	assert_string_equal(msgs.buf,
		"perfgo: error: cannot run 'perfgo-no-such-program-x1': not found in PATH");
	buf_reset(&msgs);
	/* proc_capture reports the same way and starts nothing. */
	assert_int_equal(proc_capture(&fx->p, &fx->out, &fx->err), PG_EENV);
	assert_non_null(strstr(msgs.buf, "cannot run 'perfgo-no-such-program-x1'"));
	assert_null(strchr(msgs.buf, '\n'));
	assert_int_equal(fx->out.len + fx->err.len, 0);
	assert_no_children();
}

static void test_not_found_path(void **state)
{
	struct fixture *fx = *state;

	set_args(&fx->p, "/nonexistent/dir/prog", NULL);
	assert_int_equal(proc_start(&fx->p), PG_EENV);
	assert_non_null(strstr(msgs.buf, "perfgo: error: cannot run '/nonexistent/dir/prog'"));
	assert_no_children();
}

/* exec itself fails in the child: reported by the parent through the pipe. */
static void test_exec_failure(void **state)
{
	struct fixture *fx = *state;
	struct buf path = BUF_INIT, want = BUF_INIT;
	int fd;

	buf_addf(&path, "%s/notaprogram", tmpdir);
	fd = open(path.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "\x01\x02 not an executable\n", 22), 22);
	close(fd);
	set_args(&fx->p, path.buf, NULL);
	buf_addf(&want, "perfgo: error: cannot run '%s': Exec format error", path.buf);
	buf_release(&path);
	assert_int_equal(proc_start(&fx->p), PG_EENV);
	assert_int_equal(fx->p.pid, 0);
	if (strcmp(msgs.buf, want.buf)) {
		buf_release(&want);
		fail_msg("reported '%s'", msgs.buf);
	}
	buf_release(&want);
	assert_no_children();
}

/* ---- working directory and environment --------------------------------- */

static void test_working_directory(void **state)
{
	struct fixture *fx = *state;
	char real[PATH_MAX], missing[PATH_MAX + 16];

	assert_non_null(realpath(tmpdir, real));
	set_args(&fx->p, "/bin/pwd", "-P", NULL);
	fx->p.dir = tmpdir;
	assert_int_equal(proc_capture(&fx->p, &fx->out, NULL), 0);
	buf_rtrim(&fx->out);
	assert_string_equal(fx->out.buf, real);

	/* A missing directory is a start failure, reported with the reason. */
	proc_release(&fx->p);
	proc_init(&fx->p);
	snprintf(missing, sizeof(missing), "%s/missing", tmpdir);
	set_args(&fx->p, "/bin/pwd", NULL);
	fx->p.dir = missing;
	assert_int_equal(proc_start(&fx->p), PG_EENV);
	assert_string_equal(msgs.buf, "perfgo: error: cannot change directory for '/bin/pwd': "
			    "No such file or directory");
	assert_no_children();
}

/* The value of `name` in env(1) output, or NULL; counts the occurrences. */
static const char *env_value(const char *text, const char *name, int *count)
{
	size_t n = strlen(name);
	const char *found = NULL;
	static char val[256];

	*count = 0;
	for (const char *l = text; *l; ) {
		size_t len = strcspn(l, "\n");

		if (len > n && !strncmp(l, name, n) && l[n] == '=') {
			snprintf(val, sizeof(val), "%.*s", (int)(len - n - 1), l + n + 1);
			found = val;
			(*count)++;
		}
		l += len + (l[len] ? 1 : 0);
	}
	return found;
}

static void test_env_delta(void **state)
{
	struct fixture *fx = *state;
	const char *v;
	int n;

	setenv("PG_T_KEEP", "kept", 1);
	setenv("PG_T_DROP", "dropped", 1);
	setenv("PG_T_OVER", "old", 1);
	setenv("PG_T_OVERX", "prefix-sibling", 1);
	setenv("PG_T_DROPX", "prefix-sibling", 1);
	set_args(&fx->p, "/usr/bin/env", NULL);
	strvec_push(&fx->p.env, "PG_T_OVER=new");
	strvec_push(&fx->p.env, "PG_T_DROP");
	strvec_push(&fx->p.env, "PG_T_NEW=a=b c");
	strvec_push(&fx->p.env, "PG_T_ABSENT");
	strvec_push(&fx->p.env, "LC_ALL=C");
	assert_int_equal(proc_capture(&fx->p, &fx->out, NULL), 0);

	v = env_value(fx->out.buf, "PG_T_KEEP", &n);
	assert_non_null(v);
	assert_string_equal(v, "kept");
	assert_null(env_value(fx->out.buf, "PG_T_DROP", &n));
	v = env_value(fx->out.buf, "PG_T_OVER", &n);
	assert_non_null(v);
	assert_string_equal(v, "new");
	assert_int_equal(n, 1);                       /* replaced, not duplicated */
	v = env_value(fx->out.buf, "PG_T_OVERX", &n);
	assert_non_null(v);                           /* a longer name is another variable */
	assert_string_equal(v, "prefix-sibling");
	v = env_value(fx->out.buf, "PG_T_DROPX", &n);
	assert_non_null(v);
	v = env_value(fx->out.buf, "PG_T_NEW", &n);
	assert_non_null(v);
	assert_string_equal(v, "a=b c");
	assert_null(env_value(fx->out.buf, "PG_T_ABSENT", &n));
	v = env_value(fx->out.buf, "LC_ALL", &n);
	assert_non_null(v);
	assert_string_equal(v, "C");
	/* The parent's own environment is untouched. */
	assert_string_equal(getenv("PG_T_OVER"), "old");
	assert_string_equal(getenv("PG_T_DROP"), "dropped");
	assert_null(getenv("PG_T_NEW"));
	unsetenv("PG_T_KEEP");
	unsetenv("PG_T_DROP");
	unsetenv("PG_T_OVER");
	unsetenv("PG_T_OVERX");
	unsetenv("PG_T_DROPX");
	assert_no_children();
}

/* ---- process groups and descriptors ------------------------------------ */

/* "PID PGID" as the child shell sees itself. */
static void child_pid_pgid(struct fixture *fx, long *pid, long *pgid)
{
	set_args(&fx->p, "/bin/sh", "-c", "echo $$ $(cut -d' ' -f5 /proc/$$/stat)", NULL);
	assert_int_equal(proc_capture(&fx->p, &fx->out, NULL), 0);
	assert_int_equal(sscanf(fx->out.buf, "%ld %ld", pid, pgid), 2);
}

static void test_new_process_group(void **state)
{
	struct fixture *fx = *state;
	long pid, pgid;

	assert_true(fx->p.flags & PROC_NEW_PGRP);     /* the default */
	child_pid_pgid(fx, &pid, &pgid);
	assert_int_equal(pid, pgid);
	assert_int_not_equal(pgid, (long)getpgrp());

	/* Without the flag the child stays in perfgo's group. */
	proc_release(&fx->p);
	proc_init(&fx->p);
	fx->p.flags = 0;
	buf_reset(&fx->out);
	child_pid_pgid(fx, &pid, &pgid);
	assert_int_not_equal(pid, pgid);
	assert_int_equal(pgid, (long)getpgrp());
	assert_no_children();
}

static void test_keep_fds(void **state)
{
	struct fixture *fx = *state;
	struct buf got = BUF_INIT;
	char script[64];
	int fds[2];

	/* Close-on-exec, as every perfgo descriptor is: kept only when asked. */
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	snprintf(script, sizeof(script), "echo kept >&%d", fds[1]);
	set_args(&fx->p, "/bin/sh", "-c", script, NULL);
	fx->p.keep_fds[0] = fds[1];
	fx->p.nkeep = 1;
	assert_int_equal(proc_start(&fx->p), 0);
	close(fds[1]);
	assert_int_equal(buf_read_fd(&got, fds[0], 0), 0);
	close(fds[0]);
	assert_int_equal(proc_wait(&fx->p), 0);
	assert_string_equal(got.buf, "kept\n");
	/* Still close-on-exec in the parent. */

	/* Not kept: the child cannot write to it. */
	proc_release(&fx->p);
	proc_init(&fx->p);
	buf_reset(&got);
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	snprintf(script, sizeof(script), "echo leaked >&%d", fds[1]);
	set_args(&fx->p, "/bin/sh", "-c", script, NULL);
	fx->p.err = PROC_NULL;
	assert_int_equal(proc_start(&fx->p), 0);
	close(fds[1]);
	assert_int_equal(buf_read_fd(&got, fds[0], 0), 0);
	close(fds[0]);
	assert_int_not_equal(proc_wait(&fx->p), 0);
	assert_string_equal(got.buf, "");
	buf_release(&got);
	assert_no_children();
}

/* The descriptors open in the child shell, "0 1 2 ..." */
static void child_fds(struct fixture *fx, int in, int err, struct buf *out)
{
	struct proc p;

	proc_init(&p);
	set_args(&p, "/bin/sh", "-c", "cd /proc/$$/fd && echo *", NULL);
	p.in = in;
	p.err = err;
	assert_int_equal(proc_capture(&p, out, NULL), 0);
	buf_rtrim(out);
	proc_release(&p);
	(void)fx;
}

/*
 * PROC_NULL gives the child /dev/null on the standard descriptor and
 * nothing else: the descriptor opened to get it must not stay open in the
 * program (it would be a leak into every perf and test binary run).
 */
static void test_null_opens_no_extra_fd(void **state)
{
	struct fixture *fx = *state;
	struct buf with_null = BUF_INIT;

	child_fds(fx, PROC_INHERIT, PROC_INHERIT, &fx->out);
	child_fds(fx, PROC_NULL, PROC_NULL, &with_null);
	if (strcmp(with_null.buf, fx->out.buf)) {
		char got[256];

		snprintf(got, sizeof(got), "%s", with_null.buf);
		buf_release(&with_null);
		fail_msg("descriptors with PROC_NULL: '%s', with PROC_INHERIT: '%s'", got,
			 fx->out.buf);
	}
	buf_release(&with_null);
	assert_no_children();
}

/* ---- describe and which ------------------------------------------------ */

static void test_describe(void **state)
{
	struct fixture *fx = *state;

	set_args(&fx->p, "perf", "stat", "-x,", "-e", "cycles,instructions", "--",
		 "./0.test", "-test.bench=^BenchmarkA$/^n=1\\.5$", "a b", "it's", "", NULL);
	proc_describe(&fx->p, &fx->out);
	assert_string_equal(fx->out.buf,
		"perf stat -x, -e cycles,instructions -- ./0.test "
		"'-test.bench=^BenchmarkA$/^n=1\\.5$' 'a b' 'it'\\''s' ''");
}

/* Make <tmpdir>/<dir>/pgprog: a directory, or a file with `mode`. */
static void make_candidate(const char *dir, int is_dir, mode_t mode)
{
	struct buf p = BUF_INIT;
	int fd;

	buf_addf(&p, "%s/%s", tmpdir, dir);
	assert_int_equal(mkdir(p.buf, 0755), 0);
	buf_addstr(&p, "/pgprog");
	if (is_dir) {
		assert_int_equal(mkdir(p.buf, 0755), 0);
	} else {
		fd = open(p.buf, O_WRONLY | O_CREAT, mode);
		assert_true(fd >= 0);
		close(fd);
	}
	buf_release(&p);
}

static void test_which(void **state)
{
	struct fixture *fx = *state;
	char *old = getenv("PATH") ? xstrdup(getenv("PATH")) : NULL;
	struct buf path = BUF_INIT;
	char *w;

	(void)fx;
	w = proc_which("sh");
	assert_non_null(w);
	assert_true(ends_with(w, "/sh"));
	assert_int_equal(access(w, X_OK), 0);
	free(w);
	w = proc_which("/bin/sh");
	assert_string_equal(w, "/bin/sh");
	free(w);
	assert_null(proc_which("perfgo-no-such-program-x1"));
	assert_null(proc_which("/nonexistent/sh"));

	/* A directory and a non-executable file of that name are skipped. */
	make_candidate("a", 1, 0);
	make_candidate("b", 0, 0644);
	make_candidate("c", 0, 0755);
	buf_addf(&path, "%s/a:%s/b:%s/c", tmpdir, tmpdir, tmpdir);
	setenv("PATH", path.buf, 1);
	w = proc_which("pgprog");
	if (old)
		setenv("PATH", old, 1);
	free(old);
	buf_reset(&path);
	buf_addf(&path, "%s/c/pgprog", tmpdir);
	fx->out.len = 0;
	buf_addstr(&fx->out, path.buf);
	buf_release(&path);
	assert_non_null(w);
	fx->err.len = 0;
	buf_addstr(&fx->err, w);
	free(w);
	assert_string_equal(fx->err.buf, fx->out.buf);
}

/* ---- signals ----------------------------------------------------------- */

static void test_sig_setup(void **state)
{
	int fd, flags;

	(void)state;
	assert_int_equal(sig_fd(), -1);               /* nothing installed yet */
	assert_int_equal(sig_pending(), 0);
	assert_int_equal(sig_setup(), 0);
	fd = sig_fd();
	assert_true(fd >= 0);
	assert_int_equal(sig_setup(), 0);             /* idempotent */
	assert_int_equal(sig_fd(), fd);
	flags = fcntl(fd, F_GETFL);
	assert_true(flags & O_NONBLOCK);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);

	/* A real SIGTERM is recorded, not fatal; the first one wins. */
	assert_int_equal(raise(SIGTERM), 0);
	assert_int_equal(sig_pending(), SIGTERM);
	assert_int_equal(raise(SIGHUP), 0);
	assert_int_equal(sig_pending(), SIGTERM);
	{
		char c;

		assert_true(read(fd, &c, 1) == 1);    /* the self-pipe was written */
	}
	sig_drain();
	errno = 0;
	{
		char c;

		assert_int_equal(read(fd, &c, 1), -1);
		assert_int_equal(errno, EAGAIN);
	}
	sig_raise_pending(0);
	assert_int_equal(sig_pending(), 0);

	/* SIGCHLD wakes the pipe but is not an interrupt. */
	assert_int_equal(raise(SIGCHLD), 0);
	assert_int_equal(sig_pending(), 0);
	sig_drain();
	sig_raise_pending(SIGINT);
	assert_int_equal(sig_pending(), SIGINT);
	sig_raise_pending(0);
}

/* Processes of group `pgid` that are not zombies, appended as "pid:state ". */
static int live_members(pid_t pgid, struct buf *desc)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[300], line[1024], *rp, state;
		long pg;
		FILE *f;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (!fgets(line, sizeof(line), f)) {
			fclose(f);
			continue;
		}
		fclose(f);
		/* pid (comm) state ppid pgrp: comm may hold spaces, so start after ')'. */
		rp = strrchr(line, ')');
		if (!rp || sscanf(rp + 1, " %c %*d %ld", &state, &pg) != 2)
			continue;
		if (pg == (long)pgid && state != 'Z') {
			n++;
			if (desc)
				buf_addf(desc, "%s:%c ", e->d_name, state);
		}
	}
	closedir(d);
	return n;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Wait until the group has `n` live members (the shell and its two sleeps,
 * plus perfgo's guard).
 */
static void wait_members(pid_t pgid, int n)
{
	for (int i = 0; i < 200 && live_members(pgid, NULL) < n; i++)
		usleep(10000);
	assert_int_equal(live_members(pgid, NULL), n);
}

/*
 * Nothing of the group runs any more; zombies orphaned to PID 1 may linger
 * until it reaps them, then kill(-pgid, 0) fails with ESRCH.
 */
static void assert_group_gone(pid_t pgid)
{
	struct buf desc = BUF_INIT;
	int live, r = 0;

	/*
	 * SIGKILL is delivered asynchronously and perfgo's guard kills what
	 * is left only once the child is reaped: on a loaded machine a member
	 * can still be on a CPU for a moment.  Two seconds is far beyond that
	 * and far below a process that survived.
	 */
	for (int i = 0; i < 200 && live_members(pgid, NULL); i++)
		usleep(10000);
	live = live_members(pgid, &desc);

	if (live) {
		char d[256];

		snprintf(d, sizeof(d), "%s", desc.buf);
		buf_release(&desc);
		kill(-pgid, SIGKILL);
		fail_msg("%d process(es) of group %d still running: %s", live, (int)pgid, d);
	}
	buf_release(&desc);
	for (int i = 0; i < 500; i++) {
		r = kill(-pgid, 0);
		if (r)
			break;
		usleep(20000);
	}
	assert_int_equal(r, -1);
	assert_int_equal(errno, ESRCH);
}

static volatile sig_atomic_t alarm_mode;

/* After the delay: 1 pretends SIGINT arrived, 2 sends a real one. */
static void on_alarm(int signo)
{
	(void)signo;
	if (alarm_mode == 1)
		sig_raise_pending(SIGINT);
	else
		kill(getpid(), SIGINT);
}

static void arm_alarm(int mode, int ms)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	alarm_mode = mode;
	assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
}

static void disarm_alarm(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_DFL);
}

static void test_interrupt_wait(void **state)
{
	struct fixture *fx = *state;
	double t0, elapsed;
	pid_t pgid;
	int ret;

	assert_int_equal(sig_setup(), 0);
	sig_raise_pending(0);
	set_args(&fx->p, "/bin/sh", "-c", "sleep 30 & sleep 30", NULL);
	assert_int_equal(proc_start(&fx->p), 0);
	pgid = fx->p.pid;
	wait_members(pgid, 4);
	arm_alarm(1, 200);
	t0 = now_s();
	ret = proc_wait(&fx->p);
	elapsed = now_s() - t0;
	disarm_alarm();
	assert_int_equal(ret, PG_EINTR);
	assert_int_equal(sig_pending(), SIGINT);
	/* 0.2 s until the interrupt, then at most one poll period plus SIGTERM's effect. */
	if (elapsed > 2.0)
		fail_msg("proc_wait took %.2f s to return after an interrupt at 0.2 s", elapsed);
	assert_int_equal(fx->p.pid, 0);
	assert_int_equal(fx->p.term_signal, SIGTERM);
	assert_group_gone(pgid);
	assert_no_children();
	sig_raise_pending(0);
	sig_drain();
}

/* A real SIGINT during proc_capture: the handler wakes the loop at once. */
static void test_interrupt_capture(void **state)
{
	struct fixture *fx = *state;
	double t0, elapsed;
	pid_t pgid;
	int ret, pgid_i;

	assert_int_equal(sig_setup(), 0);
	sig_raise_pending(0);
	/* The shell prints its pid first so the test knows the group. */
	set_args(&fx->p, "/bin/sh", "-c", "echo $$; sleep 30 & sleep 30", NULL);
	arm_alarm(2, 300);
	t0 = now_s();
	ret = proc_capture(&fx->p, &fx->out, &fx->err);
	elapsed = now_s() - t0;
	disarm_alarm();
	assert_int_equal(ret, PG_EINTR);
	assert_int_equal(sig_pending(), SIGINT);
	if (elapsed > 2.0)
		fail_msg("proc_capture took %.2f s to return after SIGINT at 0.3 s", elapsed);
	assert_int_equal(sscanf(fx->out.buf, "%d", &pgid_i), 1);
	pgid = (pid_t)pgid_i;
	assert_true(pgid > 0);
	assert_int_equal(fx->p.pid, 0);
	assert_group_gone(pgid);
	assert_no_children();
	sig_raise_pending(0);
	sig_drain();
}

/* A group that ignores SIGTERM is killed with SIGKILL after the grace period. */
static void test_kill_escalates(void **state)
{
	struct fixture *fx = *state;
	double t0, elapsed;
	pid_t pgid;

	sig_raise_pending(0);
	set_args(&fx->p, "/bin/sh", "-c", "trap '' TERM; sleep 30 & sleep 30", NULL);
	assert_int_equal(proc_start(&fx->p), 0);
	pgid = fx->p.pid;
	wait_members(pgid, 4);
	t0 = now_s();
	proc_kill(&fx->p);
	elapsed = now_s() - t0;
	assert_int_equal(fx->p.pid, 0);
	assert_int_equal(fx->p.term_signal, SIGKILL);
	assert_true(elapsed < 10.0);
	assert_group_gone(pgid);
	assert_no_children();
	/* Killing again is harmless: the pid is not reused. */
	proc_kill(&fx->p);
	assert_int_equal(fx->p.pid, 0);
}

/*
 * perfgo killed with SIGKILL: its child and everything the child started
 * in its group die within a second or two (PR_SET_PDEATHSIG and the
 * group's guard), rather than running on as orphans.
 */
static void test_dies_with_perfgo(void **state)
{
	int fds[2], pgid_i = 0, status, live = -1;
	pid_t mid;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	mid = fork();
	assert_true(mid >= 0);
	if (!mid) {
		struct proc p;

		close(fds[0]);
		proc_init(&p);
		/* The workload ignores SIGTERM, as a stuck test binary may. */
		strvec_pushl(&p.args, "/bin/sh", "-c", "trap '' TERM; sleep 30 & sleep 30", NULL);
		if (proc_start(&p))
			_exit(1);
		pgid_i = (int)p.pid;
		if (write(fds[1], &pgid_i, sizeof(pgid_i)) != sizeof(pgid_i))
			_exit(1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &pgid_i, sizeof(pgid_i)), sizeof(pgid_i));
	close(fds[0]);
	wait_members((pid_t)pgid_i, 4);
	assert_int_equal(kill(mid, SIGKILL), 0);
	assert_int_equal(waitpid(mid, &status, 0), mid);
	for (int i = 0; i < 100 && (live = live_members((pid_t)pgid_i, NULL)); i++)
		usleep(20000);
	if (live)
		kill(-(pid_t)pgid_i, SIGKILL);
	assert_int_equal(live, 0);
	assert_group_gone((pid_t)pgid_i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_echo_capture, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stdout_and_stderr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_output_both_streams, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stdin_null_and_pipe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stdout_to_descriptor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_death_by_signal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_capture_signal_then_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_found_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_working_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_delta, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_process_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_fds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_null_opens_no_extra_fd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_describe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_which, setup, teardown),
		/* From here on the signal handlers are installed. */
		cmocka_unit_test_setup_teardown(test_sig_setup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_capture, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kill_escalates, setup, teardown),
		cmocka_unit_test(test_dies_with_perfgo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
