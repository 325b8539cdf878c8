/*
 * Unit tests for the string helpers: harness/buf.c (growable buffer and
 * file I/O), strvec.c (argv vectors), quote.c (POSIX shell single quoting)
 * and parse.c (strict number parsing).
 *
 * The quoting tests do not trust a hand-written expectation alone: each
 * hostile word is quoted, handed to a real /bin/sh (and /bin/bash when
 * present) as `printf %s <quoted>` through fork/execv, and the output must
 * equal the word byte for byte.  File tests use a mkdtemp directory under
 * $TMPDIR, removed afterwards.
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

/* A private directory for file tests. */
static char tmpdir[PATH_MAX];

static int setup(void **state)
{
	(void)state;
	capture_start();
	return tmpdir_make(tmpdir, sizeof(tmpdir), "test_buf");
}

static int teardown(void **state)
{
	(void)state;
	capture_stop();
	return rm_rf(tmpdir);
}

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

/* ---- strvec ---------------------------------------------------------- */

static void test_strvec_basics(void **state)
{
	struct strvec sv = STRVEC_INIT;
	char word[] = "perf";
	const char *p;

	(void)state;
	assert_non_null(sv.v);
	assert_null(sv.v[0]);
	assert_int_equal(sv.nr, 0);
	p = strvec_push(&sv, word);
	assert_ptr_equal(p, sv.v[0]);
	assert_ptr_not_equal(p, word);
	word[0] = 'X';                  /* the vector holds a copy */
	assert_string_equal(sv.v[0], "perf");
	p = strvec_pushf(&sv, "-%s=%d", "count", 3);
	assert_string_equal(p, "-count=3");
	assert_ptr_equal(p, sv.v[1]);
	strvec_pushl(&sv, "a", "", "c", NULL);
	{
		const char *more[] = { "d", "e", NULL };

		strvec_pushv(&sv, more);
	}
	assert_int_equal(sv.nr, 7);
	assert_string_equal(sv.v[2], "a");
	assert_string_equal(sv.v[3], "");
	assert_string_equal(sv.v[6], "e");
	assert_null(sv.v[7]);
	strvec_clear(&sv);
	assert_int_equal(sv.nr, 0);
	assert_non_null(sv.v);
	assert_null(sv.v[0]);
	strvec_push(&sv, "reuse");
	assert_string_equal(sv.v[0], "reuse");
	strvec_clear(&sv);
	strvec_clear(&sv);
}

static void test_strvec_pop_find(void **state)
{
	struct strvec sv = STRVEC_INIT;

	(void)state;
	strvec_pop(&sv);                 /* empty: a no-op */
	assert_int_equal(sv.nr, 0);
	strvec_pushl(&sv, "a", "b", "a", "c", NULL);
	assert_int_equal(strvec_find(&sv, "a"), 0);
	assert_int_equal(strvec_find(&sv, "b"), 1);
	assert_int_equal(strvec_find(&sv, "c"), 3);
	assert_int_equal(strvec_find(&sv, "d"), -1);
	assert_int_equal(strvec_find(&sv, ""), -1);
	assert_int_equal(strvec_find(&sv, "A"), -1);
	strvec_pop(&sv);
	assert_int_equal(sv.nr, 3);
	assert_null(sv.v[3]);
	assert_int_equal(strvec_find(&sv, "c"), -1);
	strvec_pop(&sv);
	strvec_pop(&sv);
	strvec_pop(&sv);
	assert_int_equal(sv.nr, 0);
	assert_null(sv.v[0]);
	strvec_pop(&sv);
	assert_int_equal(sv.nr, 0);
	strvec_push(&sv, "again");
	assert_int_equal(strvec_find(&sv, "again"), 0);
	strvec_clear(&sv);
	assert_int_equal(strvec_find(&sv, "again"), -1);
}

static void test_strvec_many(void **state)
{
	struct strvec sv = STRVEC_INIT;

	(void)state;
	for (int i = 0; i < 5000; i++)
		strvec_pushf(&sv, "w%d", i);
	assert_int_equal(sv.nr, 5000);
	assert_null(sv.v[5000]);
	assert_true(sv.alloc >= 5001);
	for (int i = 0; i < 5000; i += 499) {
		char w[16];

		snprintf(w, sizeof(w), "w%d", i);
		assert_string_equal(sv.v[i], w);
		assert_int_equal(strvec_find(&sv, w), i);
	}
	strvec_clear(&sv);
}

/* ---- quote ----------------------------------------------------------- */

static const char *const hostile[] = {
	"a b", "a'b", "$(id)", "`x`", "-oProxyCommand=x", "line1\nline2", "",
	";rm -rf /", "'", "''", "\\", "\\'", "a\"b", "*", "?", "[a]", "~", "~root", "#c",
	"!x", "$HOME", "${IFS}", "tab\there", "cr\rhere", "\xc3\xbc\xe2\x82\xac", "\x01\x7f",
	"%s%d%%", "-n", "--", "a&b|c>d<e", "{a,b}", "x=y", "a;b", "$'\\n'", "trailing ",
	" leading", "\n", "'$(id)'\"`id`\"", "plain", "path/to/file.go", "user@host:22",
};

static void test_sq_quote_buf_exact(void **state)
{
	static const struct { const char *in, *out; } t[] = {
		{ "", "''" },
		{ "plain", "'plain'" },
		{ "a b", "'a b'" },
		{ "a'b", "'a'\\''b'" },
		{ "'", "''\\'''" },
		{ "$(id)", "'$(id)'" },
		{ "`x`", "'`x`'" },
		{ "\\", "'\\'" },
		{ "a\nb", "'a\nb'" },
		{ "-oProxyCommand=x", "'-oProxyCommand=x'" },
	};
	struct buf b = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		buf_reset(&b);
		sq_quote_buf(&b, t[i].in);
		if (strcmp(b.buf, t[i].out))
			fail_msg("sq_quote_buf('%s') = <%s>, want <%s>", t[i].in, b.buf, t[i].out);
	}
	/* It appends. */
	buf_reset(&b);
	buf_addstr(&b, "ssh host ");
	sq_quote_buf(&b, "x");
	assert_string_equal(b.buf, "ssh host 'x'");
	buf_release(&b);
}

static void test_sq_quote_word_exact(void **state)
{
	static const struct { const char *in, *out; } t[] = {
		{ "plain", "plain" },
		{ "path/to/file.go", "path/to/file.go" },
		{ "-test.bench=^A$", "'-test.bench=^A$'" },
		{ "-test.count=1", "-test.count=1" },
		{ "user@host:22", "user@host:22" },
		{ "a,b+c%d", "a,b+c%d" },
		{ "", "''" },
		{ "a b", "'a b'" },
		{ "a'b", "'a'\\''b'" },
		{ "*", "'*'" },
		{ "~", "'~'" },
		{ "$HOME", "'$HOME'" },
		{ "\xc3\xbc", "'\xc3\xbc'" },
	};
	struct buf b = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		buf_reset(&b);
		sq_quote_word(&b, t[i].in);
		if (strcmp(b.buf, t[i].out))
			fail_msg("sq_quote_word('%s') = <%s>, want <%s>", t[i].in, b.buf, t[i].out);
	}
	buf_release(&b);
}

/* Run `shell -c script` (no system()); collect its stdout; the wait status or -1. */
static int run_shell(const char *shell, const char *script, struct buf *out)
{
	const char *argv[] = { shell, "-c", script, NULL };

	return run_argv(argv, NULL, out, 0);
}

static void round_trip(const char *shell, void (*quote)(struct buf *, const char *),
		       const char *quoter)
{
	struct buf script = BUF_INIT, out = BUF_INIT, all = BUF_INIT;
	int status;

	/* One word at a time: printf %s <quoted> prints the word exactly. */
	for (size_t i = 0; i < ARRAY_SIZE(hostile); i++) {
		buf_reset(&script);
		buf_reset(&out);
		buf_addstr(&script, "printf %s ");
		quote(&script, hostile[i]);
		status = run_shell(shell, script.buf, &out);
		if (status != 0)
			fail_msg("%s %s: <%s> exited with status %d", shell, quoter, script.buf,
				 status);
		if (out.len != strlen(hostile[i]) || memcmp(out.buf, hostile[i], out.len))
			fail_msg("%s %s: <%s> printed <%s>, want <%s>", shell, quoter, script.buf,
				 out.buf, hostile[i]);
	}
	/* All at once: each quoted word stays one argument, empty ones included. */
	buf_reset(&script);
	buf_addstr(&script, "printf '[%s]'");
	for (size_t i = 0; i < ARRAY_SIZE(hostile); i++) {
		buf_addch(&script, ' ');
		quote(&script, hostile[i]);
		buf_addf(&all, "[%s]", hostile[i]);
	}
	buf_reset(&out);
	status = run_shell(shell, script.buf, &out);
	assert_int_equal(status, 0);
	if (out.len != all.len || memcmp(out.buf, all.buf, all.len))
		fail_msg("%s %s: several words printed <%s>, want <%s>", shell, quoter, out.buf,
			 all.buf);
	buf_release(&script);
	buf_release(&out);
	buf_release(&all);
}

static void test_quote_shell_round_trip(void **state)
{
	static const char *const shells[] = { "/bin/sh", "/bin/bash" };
	int ran = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(shells); i++) {
		if (access(shells[i], X_OK))
			continue;
		round_trip(shells[i], sq_quote_buf, "sq_quote_buf");
		round_trip(shells[i], sq_quote_word, "sq_quote_word");
		ran++;
	}
	assert_true(ran >= 1);
}

/* The runner itself can fail: a bad script is seen as such. */
static void test_run_shell_detects_mismatch(void **state)
{
	struct buf out = BUF_INIT;

	(void)state;
	assert_int_equal(run_shell("/bin/sh", "printf %s a b", &out), 0);
	assert_string_equal(out.buf, "ab");
	buf_reset(&out);
	assert_int_not_equal(run_shell("/bin/sh", "exit 3", &out), 0);
	buf_release(&out);
}

static void test_looks_like_option(void **state)
{
	(void)state;
	assert_true(looks_like_option("-oProxyCommand=x"));
	assert_true(looks_like_option("--"));
	assert_true(looks_like_option("-"));
	assert_false(looks_like_option(""));
	assert_false(looks_like_option("user@host"));
	assert_false(looks_like_option(" -x"));
	assert_false(looks_like_option("./-x"));
}

/* ---- parse ----------------------------------------------------------- */

static void test_parse_i64(void **state)
{
	static const struct { const char *s; int ok; int64_t v; } t[] = {
		{ "0", 1, 0 }, { "42", 1, 42 }, { "-1", 1, -1 }, { "+5", 1, 5 },
		{ "007", 1, 7 },
		{ "9223372036854775807", 1, INT64_MAX },
		{ "-9223372036854775808", 1, INT64_MIN },
		{ "9223372036854775808", 0, 0 },
		{ "-9223372036854775809", 0, 0 },
		{ "99999999999999999999999", 0, 0 },
		{ "", 0, 0 }, { " 1", 0, 0 }, { "\t1", 0, 0 }, { "\n1", 0, 0 }, { "1 ", 0, 0 },
		{ "1x", 0, 0 }, { "x1", 0, 0 }, { "0x10", 0, 0 }, { "1e3", 0, 0 }, { "1.0", 0, 0 },
		{ "1,000", 0, 0 }, { "-", 0, 0 }, { "+", 0, 0 }, { "--1", 0, 0 }, { "+-1", 0, 0 },
		{ "1_000", 0, 0 }, { "nan", 0, 0 }, { "inf", 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		int64_t v = 12345;
		int ret = parse_i64(t[i].s, &v);

		if (t[i].ok && (ret || v != t[i].v))
			fail_msg("parse_i64('%s'): ret %d value %lld, want %lld", t[i].s, ret,
				 (long long)v, (long long)t[i].v);
		if (!t[i].ok && (ret != PG_EPARSE || v != 12345))
			fail_msg("parse_i64('%s'): ret %d value %lld, want PG_EPARSE and untouched",
				 t[i].s, ret, (long long)v);
	}
}

static void test_parse_u64(void **state)
{
	static const struct { const char *s; int ok; uint64_t v; } t[] = {
		{ "0", 1, 0 }, { "42", 1, 42 },
		{ "18446744073709551615", 1, UINT64_MAX },
		{ "18446744073709551616", 0, 0 },
		{ "-1", 0, 0 }, { "-0", 0, 0 }, { "+1", 0, 0 }, { "", 0, 0 }, { " 1", 0, 0 },
		{ "1 ", 0, 0 }, { "1x", 0, 0 }, { "0x10", 0, 0 }, { "1.5", 0, 0 }, { "1,5", 0, 0 },
		{ "1e3", 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		uint64_t v = 12345;
		int ret = parse_u64(t[i].s, &v);

		if (t[i].ok && (ret || v != t[i].v))
			fail_msg("parse_u64('%s'): ret %d value %llu", t[i].s, ret,
				 (unsigned long long)v);
		if (!t[i].ok && (ret != PG_EPARSE || v != 12345))
			fail_msg("parse_u64('%s'): ret %d value %llu, want PG_EPARSE and untouched",
				 t[i].s, ret, (unsigned long long)v);
	}
}

static void test_parse_int(void **state)
{
	static const struct { const char *s; int ok; int v; } t[] = {
		{ "0", 1, 0 }, { "-17", 1, -17 },
		{ "2147483647", 1, INT_MAX }, { "-2147483648", 1, INT_MIN },
		{ "2147483648", 0, 0 }, { "-2147483649", 0, 0 },
		{ "9223372036854775807", 0, 0 }, { "", 0, 0 }, { " 3", 0, 0 }, { "3 ", 0, 0 },
		{ "3.0", 0, 0 }, { "3,0", 0, 0 }, { "x", 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		int v = 12345;
		int ret = parse_int(t[i].s, &v);

		if (t[i].ok && (ret || v != t[i].v))
			fail_msg("parse_int('%s'): ret %d value %d", t[i].s, ret, v);
		if (!t[i].ok && (ret != PG_EPARSE || v != 12345))
			fail_msg("parse_int('%s'): ret %d value %d, want PG_EPARSE and untouched",
				 t[i].s, ret, v);
	}
}

static void test_parse_double(void **state)
{
	static const struct { const char *s; int ok; double v; } t[] = {
		{ "0", 1, 0 }, { "1.5", 1, 1.5 }, { "-0.25", 1, -0.25 }, { "+2", 1, 2 },
		{ "1e3", 1, 1000 }, { "1E-3", 1, 0.001 }, { ".5", 1, 0.5 }, { "5.", 1, 5 },
		{ "31914.61", 1, 31914.61 }, { "1.7976931348623157e308", 1, 1.7976931348623157e308 },
		{ "1e309", 0, 0 }, { "-1e309", 0, 0 },
		{ "nan", 0, 0 }, { "NaN", 0, 0 }, { "-nan", 0, 0 }, { "nan(0x1)", 0, 0 },
		{ "inf", 0, 0 }, { "-inf", 0, 0 }, { "Infinity", 0, 0 }, { "INF", 0, 0 },
		{ "", 0, 0 }, { " 1.5", 0, 0 }, { "\t1.5", 0, 0 }, { "1.5 ", 0, 0 },
		{ "1,5", 0, 0 }, { "1.5.1", 0, 0 }, { "1.5x", 0, 0 }, { "x", 0, 0 }, { ".", 0, 0 },
		{ "-", 0, 0 }, { "e3", 0, 0 }, { "1e", 0, 0 }, { "1,234.5", 0, 0 }, { "1 000", 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		double v = 12345;
		int ret = parse_double(t[i].s, &v);

		if (t[i].ok && (ret || v != t[i].v))
			fail_msg("parse_double('%s'): ret %d value %.17g", t[i].s, ret, v);
		if (!t[i].ok && (ret != PG_EPARSE || v != 12345))
			fail_msg("parse_double('%s'): ret %d value %.17g, want PG_EPARSE and untouched",
				 t[i].s, ret, v);
	}
}

static void test_parse_double_n(void **state)
{
	char longnum[200];
	double v = 0;

	(void)state;
	assert_int_equal(parse_double_n("1.5xyz", 3, &v), 0);
	assert_true(v == 1.5);
	assert_int_equal(parse_double_n("12,34", 2, &v), 0);
	assert_true(v == 12);
	assert_int_equal(parse_double_n("1.5xyz", 4, &v), PG_EPARSE);
	assert_int_equal(parse_double_n("1.5", 0, &v), PG_EPARSE);
	assert_int_equal(parse_double_n("nan", 3, &v), PG_EPARSE);
	assert_int_equal(parse_double_n("1,5", 3, &v), PG_EPARSE);
	/* Longer than the internal copy: refused, not truncated. */
	memset(longnum, '1', sizeof(longnum) - 1);
	longnum[sizeof(longnum) - 1] = '\0';
	v = 7;
	assert_int_equal(parse_double_n(longnum, 150, &v), PG_EPARSE);
	assert_true(v == 7);
	assert_int_equal(parse_double_n(longnum, 127, &v), 0);
	assert_true(v > 1.1e126 && v < 1.2e126);
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
		cmocka_unit_test_setup_teardown(test_strvec_basics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strvec_pop_find, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strvec_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sq_quote_buf_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sq_quote_word_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_shell_detects_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quote_shell_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_looks_like_option, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_i64, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_u64, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_int, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_double, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_double_n, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
