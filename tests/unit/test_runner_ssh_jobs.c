/*
 * Unit tests for the ssh runner's remote job helpers (runner/ssh_command.c),
 * run here by each shell a remote login may have, in directories named with
 * hostile words: the relay is driven through its FIFOs as perf would, and
 * the kill command must take down a whole process group.  Fixtures:
 * runner_ssh_fixture.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "common.h"
#include "util/buf.h"
#include "util/io.h"
#include "util/proc.h"
#include "runner/runner_impl.h"
#include "runner/runner_impl.h"
#include "runner/runner_ssh.h"
#include "runner/ssh_internal.h"
#include "store/store.h"
#include "util/strvec.h"
#include "util/usage.h"
#include "runner_ssh_fixture.h"

/* Read a line from fd within 5 s; NUL bytes (perf's ack ends in one) dropped. */
static void read_line(int fd, struct buf *line)
{
	buf_reset(line);
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		char c;

		assert_int_equal(poll(&pfd, 1, 5000), 1);
		assert_int_equal(read(fd, &c, 1), 1);
		if (c == '\n')
			return;
		if (c)
			buf_addch(line, c);
	}
}

static int is_fifo(const char *dir, const char *name)
{
	struct buf p = BUF_INIT;
	struct stat st;
	int r;

	buf_addf(&p, "%s/%s", dir, name);
	r = !lstat(p.buf, &st) && S_ISFIFO(st.st_mode);
	buf_release(&p);
	return r;
}

/* Play perf against the relay: read commands from c.N, answer on a.N. */
static void test_relay(void **state)
{
	const char *sh[3];
	size_t nsh = shells(sh);
	char *dir = hostile_dir();

	(void)state;
	for (size_t s = 0; s < nsh; s++) {
		struct buf cmd = BUF_INIT, line = BUF_INIT, path = BUF_INIT;
		struct proc p;
		char got[16];
		int ctl, ack;

		ssh_relay_command(&cmd, dir);
		proc_init(&p);
		strvec_pushl(&p.args, sh[s], "-c", cmd.buf, NULL);
		p.in = p.out = PROC_PIPE;
		p.err = PROC_NULL;
		assert_int_equal(proc_start(&p), 0);
		for (int n = 1; n <= 2; n++) {
			buf_reset(&line);
			buf_addf(&line, "open %d\n", n);
			assert_int_equal(write(p.in_fd, line.buf, line.len), (ssize_t)line.len);
			read_line(p.out_fd, &line);
			assert_string_equal(line.buf, "ready");
			buf_reset(&path);
			buf_addf(&path, "c.%d", n);
			assert_true(is_fifo(dir, path.buf));
			/* The previous job's FIFOs are gone. */
			assert_false(n == 2 && is_fifo(dir, "c.1"));
			/* perf opens both read-write, as --control fifo: does. */
			buf_reset(&path);
			buf_addf(&path, "%s/c.%d", dir, n);
			ctl = open(path.buf, O_RDWR | O_NONBLOCK);
			buf_reset(&path);
			buf_addf(&path, "%s/a.%d", dir, n);
			ack = open(path.buf, O_RDWR | O_NONBLOCK);
			assert_true(ctl >= 0 && ack >= 0);
			assert_int_equal(write(p.in_fd, "enable\n", 7), 7);
			{
				struct pollfd pfd = { ctl, POLLIN, 0 };

				assert_int_equal(poll(&pfd, 1, 5000), 1);
				assert_int_equal(read(ctl, got, sizeof(got)), 7);
				assert_memory_equal(got, "enable\n", 7);
			}
			assert_int_equal(write(ack, "ack\n", 5), 5);
			read_line(p.out_fd, &line);
			assert_string_equal(line.buf, "ack");
			close(ctl);
			close(ack);
		}
		/* A FIFO that cannot be made is "failed", not silence. */
		buf_reset(&path);
		buf_addf(&path, "%s/c.9", dir);
		assert_int_equal(mkdir(path.buf, 0700), 0);
		assert_int_equal(write(p.in_fd, "open 9\n", 7), 7);
		read_line(p.out_fd, &line);
		assert_string_equal(line.buf, "failed");
		assert_int_equal(rmdir(path.buf), 0);
		/* EOF: the relay removes its FIFOs and exits. */
		close(p.in_fd);
		p.in_fd = -1;
		assert_int_equal(proc_wait(&p), 0);
		assert_false(is_fifo(dir, "c.2") || is_fifo(dir, "a.2"));
		proc_release(&p);
		buf_release(&cmd);
		buf_release(&line);
		buf_release(&path);
	}
	assert_no_canary(dir);
	remove_base(dir);
	free(dir);
}

/* Does a process of group `pgid` run (in a state other than zombie)? */
static int group_running(pid_t pgid)
{
	struct proc p;
	struct buf out = BUF_INIT;
	int found = 0;

	proc_init(&p);
	strvec_pushl(&p.args, "ps", "-e", "-o", "pgid=,stat=", NULL);
	assert_int_equal(proc_capture(&p, &out, NULL), 0);
	for (char *l = out.buf; *l; ) {
		char *end;
		long g = strtol(l, &end, 10);

		while (*end == ' ')
			end++;
		if (g == pgid && *end != 'Z')
			found = 1;
		l = strchrnul(l, '\n');
		if (*l)
			l++;
	}
	proc_release(&p);
	buf_release(&out);
	return found;
}

/* A job's whole process group dies; a missing pid file is no error. */
static void test_kill(void **state)
{
	const char *sh[3];
	size_t nsh = shells(sh);
	char *dir = hostile_dir();
	struct buf pidfile = BUF_INIT, killfile = BUF_INIT;

	(void)state;
	buf_addf(&pidfile, "%s/job.pid", dir);
	buf_addf(&killfile, "%s/job.kill", dir);
	for (size_t s = 0; s < nsh; s++) {
		struct strvec env = STRVEC_INIT, argv = STRVEC_INIT;
		struct buf cmd = BUF_INIT, kill_cmd = BUF_INIT, out = BUF_INIT, pid = BUF_INIT;
		struct proc job, killer;
		struct timespec t0, t1;
		pid_t pgid;
		int i;

		/* Each job has its own marker name; here they share one. */
		unlink(killfile.buf);
		/* A grandchild in the group, as the test binary is under perf. */
		strvec_pushl(&argv, "sh", "-c", "sleep 30 & wait", NULL);
		ssh_job_command(&cmd, pidfile.buf, killfile.buf, dir, &env, &argv);
		proc_init(&job);
		strvec_pushl(&job.args, sh[s], "-c", cmd.buf, NULL);
		job.err = PROC_NULL;
		assert_int_equal(proc_start(&job), 0);
		/* The file can exist before the shell has written the pid into it. */
		for (i = 0; i < 500; i++) {
			buf_reset(&pid);
			if (!buf_read_file(&pid, pidfile.buf, 64) && strchr(pid.buf ? pid.buf : "", '\n'))
				break;
			poll(NULL, 0, 10);
		}
		assert_true(i < 500);
		pgid = (pid_t)strtol(pid.buf, NULL, 10);
		assert_int_equal(pgid, job.pid);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ssh_kill_command(&kill_cmd, pidfile.buf, killfile.buf);
		/* As sshd would, reap the job's shell while the kill command waits for the group. */
		proc_init(&killer);
		strvec_pushl(&killer.args, sh[s], "-c", kill_cmd.buf, NULL);
		assert_int_equal(proc_start(&killer), 0);
		assert_int_equal(proc_wait(&job), 128 + SIGTERM);
		assert_int_equal(proc_wait(&killer), 0);
		proc_release(&killer);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		assert_true(t1.tv_sec - t0.tv_sec < 5);
		/* Nothing of the group runs (orphaned zombies wait for init; they do not count). */
		assert_false(group_running(pgid));
		/* Again, now without a pid file. */
		unlink(pidfile.buf);
		assert_int_equal(run_shell(sh[s], kill_cmd.buf, "/", &out, NULL), 0);
		proc_release(&job);
		strvec_clear(&argv);
		buf_release(&cmd);
		buf_release(&kill_cmd);
		buf_release(&out);
		buf_release(&pid);
	}
	remove_base(dir);
	free(dir);
	buf_release(&pidfile);
	buf_release(&killfile);
}

/*
 * An interrupt that reaches the remote side before the job's shell wrote
 * its pid (the kill finds no pid file): the job must not start after it.
 */
static void test_kill_before_start(void **state)
{
	const char *sh[3];
	size_t nsh = shells(sh);
	char *dir = hostile_dir();
	struct buf pidfile = BUF_INIT, killfile = BUF_INIT, ran = BUF_INIT;

	(void)state;
	buf_addf(&pidfile, "%s/job 1.pid", dir);
	buf_addf(&killfile, "%s/job 1.kill", dir);
	buf_addf(&ran, "%s/ran", dir);
	for (size_t s = 0; s < nsh; s++) {
		struct strvec env = STRVEC_INIT, argv = STRVEC_INIT;
		struct buf cmd = BUF_INIT, kill_cmd = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
		int status = -1;

		unlink(killfile.buf);
		ssh_kill_command(&kill_cmd, pidfile.buf, killfile.buf);
		assert_int_equal(run_shell(sh[s], kill_cmd.buf, "/", &out, NULL), 0);
		assert_int_equal(access(killfile.buf, F_OK), 0);
		strvec_pushl(&argv, "touch", ran.buf, NULL);
		ssh_job_command(&cmd, pidfile.buf, killfile.buf, dir, &env, &argv);
		assert_int_equal(run_shell(sh[s], cmd.buf, dir, &out, &err), 0);
		assert_int_equal(ssh_take_status(&err, &status), 1);
		assert_int_not_equal(status, 0);
		/* The program never ran, and the pid file is gone. */
		assert_int_equal(access(ran.buf, F_OK), -1);
		assert_int_equal(access(pidfile.buf, F_OK), -1);
		/* Another job (its own marker name) runs. */
		unlink(killfile.buf);
		buf_reset(&err);
		assert_int_equal(run_shell(sh[s], cmd.buf, dir, &out, &err), 0);
		assert_int_equal(ssh_take_status(&err, &status), 1);
		assert_int_equal(status, 0);
		assert_int_equal(access(ran.buf, F_OK), 0);
		unlink(ran.buf);
		strvec_clear(&env);
		strvec_clear(&argv);
		buf_release(&cmd);
		buf_release(&kill_cmd);
		buf_release(&out);
		buf_release(&err);
	}
	remove_base(dir);
	free(dir);
	buf_release(&pidfile);
	buf_release(&killfile);
	buf_release(&ran);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relay),
		cmocka_unit_test(test_kill),
		cmocka_unit_test(test_kill_before_start),
	};

	return cmocka_run_group_tests(tests, setup_capture, teardown_capture);
}
