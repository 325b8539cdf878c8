/*
 * Unit tests for harness/util/io.c: write_all() through a pipe whose
 * reader drains it slowly (short writes), to a closed pipe (EPIPE) and to
 * a bad descriptor; split_lines() with lines arriving in arbitrary pieces,
 * an unterminated last line, empty lines, NUL bytes inside a line, and a
 * callback that stops early.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/io.h"
#include "util/strvec.h"

/* A block larger than a pipe's buffer, so that writes come back short. */
static void test_write_all_pipe(void **state)
{
	size_t len = 1 << 20;
	char *data = malloc(len);
	struct buf got = BUF_INIT;
	int fd[2];
	pid_t pid;

	(void)state;
	for (size_t i = 0; i < len; i++)
		data[i] = (char)(i * 7 + i / 251);
	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		close(fd[0]);
		_exit(write_all(fd[1], data, len) ? 1 : 0);
	}
	close(fd[1]);
	assert_int_equal(buf_read_fd(&got, fd[0], 0), 0);
	close(fd[0]);
	assert_int_equal(got.len, len);
	assert_memory_equal(got.buf, data, len);
	{
		int st;

		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	buf_release(&got);
	free(data);
}

static void test_write_all_errors(void **state)
{
	int fd[2];
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);

	(void)state;
	assert_int_equal(pipe(fd), 0);
	close(fd[0]);
	errno = 0;
	assert_int_equal(write_all(fd[1], "x", 1), -1);
	assert_int_equal(errno, EPIPE);
	close(fd[1]);
	errno = 0;
	assert_int_equal(write_all(fd[1], "x", 1), -1);
	assert_int_equal(errno, EBADF);
	/* Nothing to write is no write at all, even to a bad descriptor. */
	assert_int_equal(write_all(-1, "", 0), 0);
	signal(SIGPIPE, old);
}

struct lines {
	struct strvec v;
	size_t stop_after;       /* 0: never stop */
};

static int collect(void *data, const char *line, size_t len)
{
	struct lines *l = data;
	struct buf b = BUF_INIT;

	/* NUL bytes shown as '@' so that the strvec keeps them visible. */
	for (size_t i = 0; i < len; i++)
		buf_addch(&b, line[i] ? line[i] : '@');
	strvec_push(&l->v, b.buf);
	buf_release(&b);
	return l->stop_after && l->v.nr >= l->stop_after ? -42 : 0;
}

/* Feed `text` in pieces of `step` bytes, then finish; the lines joined by '|'. */
static void split_in_pieces(const char *text, size_t tlen, size_t step, struct buf *joined)
{
	struct lines l = { STRVEC_INIT, 0 };
	struct buf pending = BUF_INIT;

	for (size_t at = 0; at < tlen; at += step) {
		buf_add(&pending, text + at, at + step < tlen ? step : tlen - at);
		assert_int_equal(split_lines(&pending, 0, collect, &l), 0);
		/* Only an incomplete line stays behind. */
		assert_null(memchr(pending.buf, '\n', pending.len));
	}
	assert_int_equal(split_lines(&pending, 1, collect, &l), 0);
	assert_int_equal(pending.len, 0);
	for (size_t i = 0; i < l.v.nr; i++)
		buf_addf(joined, "%s%s", i ? "|" : "", l.v.v[i]);
	strvec_clear(&l.v);
	buf_release(&pending);
}

static void test_split_lines(void **state)
{
	static const char text[] = "first\n\nthird has a\0NUL\nlast without newline";
	const char *want = "first||third has a@NUL|last without newline";

	(void)state;
	for (size_t step = 1; step <= sizeof(text); step++) {
		struct buf joined = BUF_INIT;

		split_in_pieces(text, sizeof(text) - 1, step, &joined);
		assert_string_equal(joined.buf, want);
		buf_release(&joined);
	}
}

static void test_split_lines_edges(void **state)
{
	struct lines l = { STRVEC_INIT, 0 };
	struct buf pending = BUF_INIT;

	(void)state;
	/* Nothing at all, and a stream ending in a newline: no extra empty line. */
	assert_int_equal(split_lines(&pending, 1, collect, &l), 0);
	assert_int_equal(l.v.nr, 0);
	buf_addstr(&pending, "a\n");
	assert_int_equal(split_lines(&pending, 1, collect, &l), 0);
	assert_int_equal(l.v.nr, 1);
	assert_string_equal(l.v.v[0], "a");
	/* Without `final` an unterminated line waits. */
	buf_addstr(&pending, "b");
	assert_int_equal(split_lines(&pending, 0, collect, &l), 0);
	assert_int_equal(l.v.nr, 1);
	assert_string_equal(pending.buf, "b");
	strvec_clear(&l.v);
	buf_release(&pending);
}

/* A callback that fails stops the calls; the lines are consumed all the same. */
static void test_split_lines_stop(void **state)
{
	struct lines l = { STRVEC_INIT, 2 };
	struct buf pending = BUF_INIT;

	(void)state;
	buf_addstr(&pending, "1\n2\n3\n4");
	assert_int_equal(split_lines(&pending, 0, collect, &l), -42);
	assert_int_equal(l.v.nr, 2);
	assert_string_equal(pending.buf, "4");
	strvec_clear(&l.v);
	buf_release(&pending);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_all_pipe),
		cmocka_unit_test(test_write_all_errors),
		cmocka_unit_test(test_split_lines),
		cmocka_unit_test(test_split_lines_edges),
		cmocka_unit_test(test_split_lines_stop),
	};

	return cmocka_run_group_tests_name("io", tests, NULL, NULL);
}
