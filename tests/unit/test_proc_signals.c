/*
 * Unit tests for harness/util/sig.c (the interrupt policy) with
 * harness/util/proc.c, with real programs.  Fixtures: proc_fixture.h.
 *
 * Order matters: sig_setup() cannot be undone, so test_sig_setup comes
 * first (test_proc_run.c has the tests without it).  Each test checks that
 * no child is left unreaped.  The interrupt tests start `sh -c 'sleep 30 &
 * sleep 30'` (a grandchild in the same process group), make perfgo see
 * SIGINT while it waits, and check that proc_wait()/proc_capture() return
 * PG_EINTR quickly and that nothing of the group is still running.
 * Orphaned grandchildren are reaped by PID 1, which may take a moment: the
 * test separates "still running" (must never be) from "zombie waiting for
 * init" (waited out).
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
		/* From here on the signal handlers are installed. */
		cmocka_unit_test_setup_teardown(test_sig_setup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_capture, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kill_escalates, setup, teardown),
		cmocka_unit_test(test_dies_with_perfgo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
