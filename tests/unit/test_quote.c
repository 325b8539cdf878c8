/*
 * Unit tests for harness/util/quote.c (POSIX shell single quoting).
 * Fixtures: buf_fixture.h.
 *
 * The quoting tests do not trust a hand-written expectation alone: each
 * hostile word is quoted, handed to a real /bin/sh (and /bin/bash when
 * present) as `printf %s <quoted>` through fork/execv, and the output must
 * equal the word byte for byte.
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sq_quote_buf_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sq_quote_word_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_shell_detects_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quote_shell_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_looks_like_option, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
