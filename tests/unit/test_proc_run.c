/*
 * Unit tests for harness/util/proc.c (child processes from argv arrays) with
 * real programs: /bin/sh, /bin/echo, /bin/pwd, /usr/bin/env, sleep.  Running
 * and capturing, exit codes and deaths by signal, failures to start, the
 * working directory and environment, process groups and descriptors.
 *
 * These tests run without sig_setup(), so proc_wait() takes its
 * no-self-pipe path (test_proc_signals.c runs with it).  Each test checks
 * that no child is left unreaped.  Fixtures: proc_fixture.h.
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
#include "proc_fixture.h"

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
