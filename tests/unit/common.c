/* What the unit tests share; see common.h. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "common.h"
#include "util/io.h"
#include "util/usage.h"

struct buf msgs = BUF_INIT;
char last_msg[4096];
int nmsg;
struct buf failures = BUF_INIT;

static void capture(const char *line)
{
	if (msgs.len)
		buf_addch(&msgs, '\n');
	buf_addstr(&msgs, line);
	snprintf(last_msg, sizeof(last_msg), "%s", line);
	nmsg++;
}

void capture_reset(void)
{
	buf_reset(&msgs);
	last_msg[0] = '\0';
	nmsg = 0;
}

void capture_start(void)
{
	capture_reset();
	set_report_routine(capture);
}

void capture_stop(void)
{
	set_report_routine(NULL);
	buf_release(&msgs);
	buf_release(&failures);
}

int setup_capture(void **state)
{
	(void)state;
	capture_start();
	return 0;
}

int teardown_capture(void **state)
{
	(void)state;
	capture_stop();
	return 0;
}

static void tmp_path(char *out, size_t size, const char *name)
{
	const char *t = getenv("TMPDIR");

	snprintf(out, size, "%s/%s.XXXXXX", t && *t ? t : "/tmp", name);
}

int tmpdir_make(char *out, size_t size, const char *name)
{
	tmp_path(out, size, name);
	return mkdtemp(out) ? 0 : -1;
}

int tmpfile_write(char *out, size_t size, const char *name, const struct buf *b)
{
	int fd;

	tmp_path(out, size, name);
	fd = mkostemp(out, O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, b->buf, b->len) != (ssize_t)b->len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int rm_rf(const char *path)
{
	if (access(path, F_OK) && errno == ENOENT)
		return 0;
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* In the child between fork and exec: async-signal-safe calls only. */
static void child(const char *const *argv, const char *dir, int out_fd, int quiet)
{
	int null = open("/dev/null", O_RDWR);

	if (null < 0 || dup2(null, 0) < 0 || dup2(out_fd >= 0 ? out_fd : null, 1) < 0 ||
	    (quiet && dup2(null, 2) < 0))
		_exit(127);
	if (dir && chdir(dir))
		_exit(127);
	execvp(argv[0], (char *const *)argv);
	_exit(127);
}

int run_argv(const char *const *argv, const char *dir, struct buf *out, int quiet)
{
	int fds[2] = { -1, -1 }, status, read_failed = 0;
	pid_t pid;

	/* Nothing buffered may be written twice, by the child too. */
	fflush(NULL);
	if (out && pipe2(fds, O_CLOEXEC))
		return -1;
	pid = fork();
	if (!pid)
		child(argv, dir, fds[1], quiet);
	if (fds[1] >= 0)
		close(fds[1]);
	if (pid > 0 && out)
		read_failed = buf_read_fd(out, fds[0], 0) != 0;
	if (fds[0] >= 0)
		close(fds[0]);
	if (pid < 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return read_failed ? -1 : status;
}

void check_str(const char *row, const char *field, const char *got, const char *want)
{
	if (!got && !want)
		return;
	if (!got || !want || strcmp(got, want))
		buf_addf(&failures, "case '%s': %s is '%s', want '%s'\n", row, field,
			 got ? got : "(null)", want ? want : "(null)");
}

void check_int(const char *row, const char *field, int got, int want)
{
	if (got != want)
		buf_addf(&failures, "case '%s': %s is %d, want %d\n", row, field, got, want);
}

void failures_check(const char *fmt, ...)
{
	char what[512];
	va_list ap;
	int failed = failures.len > 0;

	if (failed)
		print_error("%s", failures.buf);
	/* Freed before fail_msg(): cmocka jumps out of it. */
	buf_release(&failures);
	if (!failed)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fail_msg("%s: mismatches listed above", what);
}

int argv_count(const char *const *argv)
{
	int n = 0;

	while (argv[n])
		n++;
	return n;
}

void assert_near(double got, double want)
{
	if (fabs(got - want) > 1e-9 * (fabs(want) > 1 ? fabs(want) : 1))
		fail_msg("got %.17g, want %.17g", got, want);
}

void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' does not contain '%s'", hay, needle);
}

void read_fixture(struct buf *out, const char *path)
{
	if (buf_read_file(out, path, 0))
		fail_msg("cannot read '%s' (run from the repository root)", path);
}

void check_golden_file(const char *path, const struct buf *got)
{
	struct buf want = BUF_INIT;
	const char *upd = getenv("UPDATE_GOLDEN");

	if (upd && *upd && strcmp(upd, "0")) {
		assert_int_equal(buf_write_file(got, path), 0);
	} else if (buf_read_file(&want, path, 0) < 0) {
		fail_msg("no golden file '%s': run with UPDATE_GOLDEN=1", path);
	} else if (want.len != got->len || memcmp(want.buf, got->buf, got->len)) {
		size_t i = 0, line = 1;

		while (i < want.len && i < got->len && want.buf[i] == got->buf[i])
			line += want.buf[i++] == '\n';
		fail_msg("'%s' differs from the output at line %zu:\n%.200s\n--- got:\n%.200s",
			 path, line, want.buf + i, got->buf + i);
	}
	buf_release(&want);
}
