/*
 * perfgo compare on files: the command (harness/cmd/cmd_compare.c), its
 * exit codes and errors, on the inputs of tests/data/compare/.  Run from
 * the repository root.  Fixtures: compare_fixture.h.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>
#include "common.h"
#include "util/buf.h"
#include "util/io.h"
#include "cli/cli.h"
#include "analysis/compare.h"
#include "collect/gobench.h"
#include "collect/gobench_series.h"
#include "compare_cells.h"
#include "compare_formats.h"
#include "junit.h"
#include "util/usage.h"
#include "compare_fixture.h"

/* Run the command with stdout sent to /dev/null; returns its exit code. */
static int run_cmd(int argc, const char **argv)
{
	struct ctx ctx = { 0 };
	int saved, devnull, ret;

	fflush(stdout);
	saved = dup(1);
	devnull = open("/dev/null", O_WRONLY);
	assert_true(saved >= 0 && devnull >= 0);
	dup2(devnull, 1);
	close(devnull);
	capture_reset();
	ret = cmd_compare(argc, argv, &ctx);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	return ret;
}

#define RUN(...) run_cmd((int)ARRAY_SIZE(((const char *[]){ __VA_ARGS__ })), \
			 (const char *[]){ __VA_ARGS__ })

static void test_command(void **state)
{
	(void)state;
	assert_int_equal(RUN("compare", DATA "old.txt", DATA "old.txt"), EXIT_OK);
	assert_int_equal(RUN("compare", DATA "old.txt", DATA "slow.txt"), EXIT_REGRESSION);
	assert_int_equal(RUN("compare", "--fail-on", "none", DATA "old.txt", DATA "slow.txt"),
			 EXIT_OK);
	assert_int_equal(RUN("compare", "--format", "json", DATA "old.txt", DATA "new.txt"),
			 EXIT_REGRESSION);
	/* Only Parse regresses in ns/op among these; θ 10 % makes it ~. */
	assert_int_equal(RUN("compare", "--filter", "Parse", "--metric", "ns/op", DATA "old.txt",
			     DATA "new.txt"), EXIT_REGRESSION);
	assert_int_equal(RUN("compare", "--filter", "Parse", "--metric", "ns/op",
			     "--threshold", "ns/op=10%", DATA "old.txt", DATA "new.txt"), EXIT_OK);
	assert_int_equal(RUN("compare", "--metric", "B/op", DATA "old.txt", DATA "slow.txt"),
			 EXIT_OK);
}

static void test_command_errors(void **state)
{
	(void)state;
	assert_int_equal(RUN("compare", DATA "old.txt", "HEAD~1"), EXIT_USAGE);
	assert_string_equal(msgs.buf, "perfgo: error: 'HEAD~1' is not a file in Go benchmark format");
	assert_int_equal(RUN("compare", DATA "old.txt"), EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "needs two files"));
	assert_int_equal(RUN("compare", DATA, DATA "new.txt"), EXIT_USAGE);
	assert_int_equal(RUN("compare", DATA "make_inputs.py", DATA "new.txt"), EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "no benchmark results"));
	assert_int_equal(RUN("compare", "--alpha", "1.5", DATA "old.txt", DATA "new.txt"), EXIT_USAGE);
	assert_int_equal(RUN("compare", "--confidence", "95", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_int_equal(RUN("compare", "--threshold", "ns/op", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_int_equal(RUN("compare", "--threshold", "ns/op=0", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_int_equal(RUN("compare", "--filter", "(", DATA "old.txt", DATA "new.txt"), EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "invalid --filter '('"));
	assert_int_equal(RUN("compare", "--filter", "NoSuch", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_int_equal(RUN("compare", "--metric", "frames/op", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_int_equal(RUN("compare", "--fail-on", "any", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_int_equal(RUN("compare", "--format", "xml", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "unknown format 'xml'"));
	/* Options that measure make no sense for files. */
	assert_int_equal(RUN("compare", "--reuse", DATA "old.txt", DATA "new.txt"), EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "'--reuse' applies to revisions, not to files"));
	assert_int_equal(RUN("compare", "--remote-host", "h", DATA "old.txt", DATA "new.txt"),
			 EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "'--remote-host' applies to revisions"));
}

/* Conflicting Unit metadata between files, and a malformed file. */
static void test_command_bad_files(void **state)
{
	char dir[] = "/tmp/perfgo-test-compare.XXXXXX";
	struct buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT, t = BUF_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	buf_addf(&a, "%s/a.txt", dir);
	buf_addf(&b, "%s/b.txt", dir);
	buf_addf(&c, "%s/c.txt", dir);
	buf_addstr(&t, "Unit MB/s better=higher\nBenchmarkA 10 5 MB/s\n");
	assert_int_equal(buf_write_file(&t, a.buf), 0);
	buf_reset(&t);
	buf_addstr(&t, "Unit MB/s better=lower\nBenchmarkA 10 5 MB/s\n");
	assert_int_equal(buf_write_file(&t, b.buf), 0);
	buf_reset(&t);
	buf_addstr(&t, "Unit MB/s better=sideways\nBenchmarkA 10 5 MB/s\n");
	assert_int_equal(buf_write_file(&t, c.buf), 0);
	assert_int_equal(RUN("compare", a.buf, b.buf), EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "is better=higher in"));
	assert_int_equal(RUN("compare", a.buf, c.buf), EXIT_USAGE);
	assert_non_null(strstr(msgs.buf, "line 1"));
	assert_int_equal(RUN("compare", a.buf, a.buf), EXIT_OK);
	unlink(a.buf);
	unlink(b.buf);
	unlink(c.buf);
	rmdir(dir);
	buf_release(&a);
	buf_release(&b);
	buf_release(&c);
	buf_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_command, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_command_errors, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_command_bad_files, setup_capture, teardown_capture),
	};

	return cmocka_run_group_tests_name("compare_command", tests, NULL, NULL);
}
