/*
 * Unit tests for harness/util/buf.c (growable buffer and file I/O).  File
 * tests use a mkdtemp directory under $TMPDIR, removed afterwards
 * (buf_fixture.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
#include "util/buf.h"
#include "util/io.h"
#include "util/parse.h"
#include "util/quote.h"
#include "util/strvec.h"
#include "util/usage.h"
#include "buf_fixture.h"

static void path_in_tmp(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

/* ---- buf ------------------------------------------------------------- */

static void test_buf_init(void **state)
{
	struct buf a = BUF_INIT, b;

	(void)state;
	buf_init(&b);
	assert_ptr_equal(a.buf, buf_empty);
	assert_ptr_equal(b.buf, buf_empty);
	assert_string_equal(b.buf, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	/* Releasing an unused buffer frees nothing and leaves it usable. */
	buf_release(&b);
	assert_ptr_equal(b.buf, buf_empty);
	buf_reset(&b);
	buf_rtrim(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_empty, "");
}

static void test_buf_growth(void **state)
{
	struct buf b = BUF_INIT;
	size_t last_alloc = 0;
	int reallocs = 0;

	(void)state;
	buf_addch(&b, 'x');
	assert_int_equal(b.len, 1);
	assert_true(b.alloc >= 2);
	assert_string_equal(b.buf, "x");
	buf_reset(&b);
	for (int i = 0; i < 100000; i++) {
		buf_addch(&b, 'a' + i % 26);
		if (b.alloc != last_alloc) {
			reallocs++;
			last_alloc = b.alloc;
		}
		if (b.buf[b.len] != '\0')
			fail_msg("not NUL-terminated at len %zu", b.len);
	}
	assert_int_equal(b.len, 100000);
	assert_true(b.alloc > b.len);
	/* Geometric growth: a handful of reallocations, not one per byte. */
	assert_in_range(reallocs, 1, 20);
	for (int i = 0; i < 100000; i++)
		if (b.buf[i] != 'a' + i % 26)
			fail_msg("byte %d is '%c'", i, b.buf[i]);
	buf_release(&b);
	assert_ptr_equal(b.buf, buf_empty);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
}

static void test_buf_add_binary(void **state)
{
	struct buf b = BUF_INIT;
	static const char data[] = { 'a', '\0', 'b', '\0' };

	(void)state;
	buf_add(&b, data, sizeof(data));
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.buf, data, 4);
	assert_int_equal(b.buf[4], '\0');
	buf_add(&b, "ignored", 0);
	assert_int_equal(b.len, 4);
	buf_addstr(&b, "");
	assert_int_equal(b.len, 4);
	buf_addchars(&b, '-', 3);
	assert_memory_equal(b.buf + 4, "---", 4);
	buf_addchars(&b, '-', 0);
	assert_int_equal(b.len, 7);
	buf_release(&b);
}

static void test_buf_addf(void **state)
{
	struct buf b = BUF_INIT;
	char big[5000];

	(void)state;
	buf_addf(&b, "%d-%s-%.2f", 42, "x", 1.5);
	assert_string_equal(b.buf, "42-x-1.50");
	buf_addf(&b, "%s", "");
	assert_string_equal(b.buf, "42-x-1.50");
	/* Longer than the first guess: formatted twice into a grown buffer. */
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_addf(&b, "[%s]", big);
	assert_int_equal(b.len, 9 + 2 + 4999);
	assert_int_equal(b.buf[9], '[');
	assert_int_equal(b.buf[9 + 1 + 4998], 'z');
	assert_int_equal(b.buf[b.len - 1], ']');
	assert_int_equal(b.buf[b.len], '\0');
	/* Exactly filling what is left, and one more. */
	for (size_t n = 0; n < 200; n++) {
		struct buf c = BUF_INIT;

		buf_addchars(&c, 'p', n);
		buf_addf(&c, "%0*d", 70, 7);
		if (c.len != n + 70 || c.buf[c.len - 1] != '7' || c.buf[c.len])
			fail_msg("prefix %zu: len %zu", n, c.len);
		buf_release(&c);
	}
	buf_release(&b);
}

static void test_buf_detach(void **state)
{
	struct buf b = BUF_INIT;
	char *s;

	(void)state;
	buf_addstr(&b, "hello");
	s = buf_detach(&b);
	assert_string_equal(s, "hello");
	assert_ptr_equal(b.buf, buf_empty);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	free(s);
	/* An empty buffer still hands out memory the caller can free. */
	s = buf_detach(&b);
	assert_non_null(s);
	assert_ptr_not_equal(s, buf_empty);
	assert_string_equal(s, "");
	free(s);
	/* The buffer is reusable after a detach. */
	buf_addstr(&b, "again");
	assert_string_equal(b.buf, "again");
	buf_release(&b);
}

static void test_buf_setlen(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_addstr(&b, "abcdef");
	buf_setlen(&b, 3);
	assert_string_equal(b.buf, "abc");
	assert_int_equal(b.len, 3);
	buf_reset(&b);
	assert_string_equal(b.buf, "");
	assert_true(b.alloc > 0);
	buf_release(&b);
}

static void test_buf_rtrim(void **state)
{
	static const struct { const char *in, *out; } t[] = {
		{ "abc", "abc" },
		{ "abc \t\r\n\v\f", "abc" },
		{ "a b \n", "a b" },
		{ "  lead", "  lead" },
		{ " \n\t ", "" },
		{ "", "" },
		{ "x\n\n\n", "x" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct buf b = BUF_INIT;

		buf_addstr(&b, t[i].in);
		buf_rtrim(&b);
		if (strcmp(b.buf, t[i].out) || b.len != strlen(t[i].out))
			fail_msg("rtrim('%s') = '%s' (len %zu), want '%s'", t[i].in, b.buf, b.len,
				 t[i].out);
		buf_release(&b);
	}
}

/* A NUL byte is data, not whitespace: rtrim must stop at it. */
static void test_buf_rtrim_keeps_nul(void **state)
{
	struct buf b = BUF_INIT;
	size_t len1, len2;

	(void)state;
	buf_add(&b, "ab\0\0", 4);
	buf_rtrim(&b);
	len1 = b.len;
	buf_reset(&b);
	buf_add(&b, "ab\0 \n", 5);
	buf_rtrim(&b);
	len2 = b.len;
	buf_release(&b);
	/* Released before asserting, so that a failure leaks nothing. */
	assert_int_equal(len1, 4);
	assert_int_equal(len2, 3);
}

static void test_prefix_helpers(void **state)
{
	const char *rest = "untouched";
	struct buf b = BUF_INIT;

	(void)state;
	assert_true(starts_with("perfgo", "perf"));
	assert_true(starts_with("perfgo", ""));
	assert_false(starts_with("per", "perf"));
	assert_true(ends_with("x.test", ".test"));
	assert_true(ends_with("x", ""));
	assert_false(ends_with("test", "x.test"));
	assert_false(ends_with("a.tesT", ".test"));
	assert_true(skip_prefix("-test.bench", "-test.", &rest));
	assert_string_equal(rest, "bench");
	rest = "untouched";
	assert_false(skip_prefix("-bench", "-test.", &rest));
	assert_string_equal(rest, "untouched");
	buf_addstr(&b, "goos: linux");
	assert_true(buf_starts_with(&b, "goos:"));
	assert_false(buf_starts_with(&b, "goarch:"));
	buf_release(&b);
}

static void write_raw(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void test_buf_read_file(void **state)
{
	char path[PATH_MAX + 8];
	struct buf b = BUF_INIT, want = BUF_INIT;

	(void)state;
	/* Larger than one 64 KiB read, with NUL bytes. */
	for (int i = 0; i < 200000; i++)
		buf_addch(&want, (i * 7) % 256);
	path_in_tmp(path, sizeof(path), "big");
	write_raw(path, want.buf, want.len);
	assert_int_equal(buf_read_file(&b, path, 0), 0);
	assert_int_equal(b.len, want.len);
	assert_memory_equal(b.buf, want.buf, want.len);
	assert_int_equal(b.buf[b.len], '\0');
	/* It appends. */
	buf_reset(&b);
	buf_addstr(&b, "head:");
	path_in_tmp(path, sizeof(path), "f");
	write_raw(path, "body\n", 5);
	assert_int_equal(buf_read_file(&b, path, 0), 0);
	assert_string_equal(b.buf, "head:body\n");
	/* An empty file adds nothing. */
	write_raw(path, "", 0);
	assert_int_equal(buf_read_file(&b, path, 0), 0);
	assert_string_equal(b.buf, "head:body\n");
	/* Missing: -1 with errno, nothing reported. */
	buf_reset(&b);
	path_in_tmp(path, sizeof(path), "missing");
	errno = 0;
	assert_int_equal(buf_read_file(&b, path, 0), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(b.len, 0);
	assert_int_equal(msgs.len, 0);
	/* A directory cannot be read. */
	errno = 0;
	assert_int_equal(buf_read_file(&b, tmpdir, 0), -1);
	assert_int_equal(errno, EISDIR);
	buf_release(&b);
	buf_release(&want);
}

static void test_buf_read_file_cap(void **state)
{
	char path[PATH_MAX + 8];
	struct buf b = BUF_INIT;

	(void)state;
	path_in_tmp(path, sizeof(path), "f");
	write_raw(path, "0123456789", 10);
	assert_int_equal(buf_read_file(&b, path, 4), 0);
	assert_string_equal(b.buf, "0123");
	buf_reset(&b);
	assert_int_equal(buf_read_file(&b, path, 10), 0);
	assert_string_equal(b.buf, "0123456789");
	buf_reset(&b);
	assert_int_equal(buf_read_file(&b, path, 100), 0);
	assert_string_equal(b.buf, "0123456789");
	buf_release(&b);
}

/*
 * buf.h: "Append the whole contents of a file ... `cap` bounds the bytes
 * read".  The bound is on what this call reads, not on what the buffer
 * already held.
 */
static void test_buf_read_file_cap_appends(void **state)
{
	char path[PATH_MAX + 8];
	struct buf b = BUF_INIT;
	char got[64];
	int ret;

	(void)state;
	path_in_tmp(path, sizeof(path), "f");
	write_raw(path, "0123456789", 10);
	buf_addstr(&b, "abc");
	ret = buf_read_file(&b, path, 4);
	snprintf(got, sizeof(got), "%s", b.buf);
	buf_release(&b);
	assert_int_equal(ret, 0);
	assert_string_equal(got, "abc0123");
}

static void test_buf_read_fd_pipe(void **state)
{
	struct buf b = BUF_INIT;
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "piped", 5), 5);
	close(fds[1]);
	assert_int_equal(buf_read_fd(&b, fds[0], 0), 0);
	assert_string_equal(b.buf, "piped");
	close(fds[0]);
	errno = 0;
	assert_int_equal(buf_read_fd(&b, -1, 0), -1);
	assert_int_equal(errno, EBADF);
	buf_release(&b);
}

static void test_buf_write_file(void **state)
{
	char path[PATH_MAX + 8];
	struct buf b = BUF_INIT, back = BUF_INIT;
	struct stat st;
	mode_t old = umask(022);

	(void)state;
	path_in_tmp(path, sizeof(path), "out");
	buf_add(&b, "x\0y\n", 4);
	assert_int_equal(buf_write_file(&b, path), 0);
	assert_int_equal(buf_read_file(&back, path, 0), 0);
	assert_int_equal(back.len, 4);
	assert_memory_equal(back.buf, "x\0y\n", 4);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* A shorter write truncates. */
	buf_reset(&b);
	buf_addstr(&b, "z");
	assert_int_equal(buf_write_file(&b, path), 0);
	buf_reset(&back);
	assert_int_equal(buf_read_file(&back, path, 0), 0);
	assert_string_equal(back.buf, "z");
	/* An empty buffer makes an empty file. */
	buf_reset(&b);
	assert_int_equal(buf_write_file(&b, path), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(msgs.len, 0);
	/* Failure is reported once, with the path and the reason. */
	path_in_tmp(path, sizeof(path), "nodir/out");
	assert_int_equal(buf_write_file(&b, path), -1);
	assert_non_null(strstr(msgs.buf, "perfgo: error: cannot create '"));
	assert_non_null(strstr(msgs.buf, "nodir/out': No such file or directory"));
	assert_null(strchr(msgs.buf, '\n'));
	umask(old);
	buf_release(&b);
	buf_release(&back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_buf_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_growth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_add_binary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_addf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_detach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_setlen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_rtrim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_rtrim_keeps_nul, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefix_helpers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_read_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_read_file_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_read_file_cap_appends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_read_fd_pipe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_write_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
