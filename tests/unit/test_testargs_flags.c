/*
 * Unit tests for harness/cli/testargs.c, the `perfgo test` argument grammar:
 * the test flags (-test.<flag>) and their values, Go's boolean values, and
 * the flags refused (-json, -o, -exec, -n, -fuzz...), ignored (-vet) or
 * unknown (the package's own, passed through), as tables
 * (testargs_fixture.h).  Several rows pin down what the original Go perfgo
 * got wrong (reference/perfgo-original.md §9.1 item 9): -json/-vet/-o
 * prefixed with -test. instead of being refused or ignored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common.h"
#include "util/buf.h"
#include "cli/testargs.h"
#include "util/usage.h"
#include "testargs_fixture.h"

/* ---- test flags ------------------------------------------------------- */

static const struct tcase test_flag_cases[] = {
	{ "bench sep", { ".", "-bench", ".", NULL }, 0, .packages = ".",
	  .test = "-test.bench=.", .bench = "." },
	{ "count sep", { ".", "-count", "5", NULL }, 0, .packages = ".",
	  .test = "-test.count=5", .count = 5 },
	{ "benchtime sep", { ".", "-benchtime", "100x", NULL }, 0, .packages = ".",
	  .test = "-test.benchtime=100x", .benchtime = "100x" },
	{ "cpu sep", { ".", "-cpu", "1,2,4", NULL }, 0, .packages = ".",
	  .test = "-test.cpu=1,2,4", .cpu = "1,2,4" },
	{ "run sep", { ".", "-run", "^$", NULL }, 0, .packages = ".", .test = "-test.run=^$",
	  .run = "^$" },
	/* As Go's flag package: a value flag takes the next word even if it looks like a flag. */
	{ "run takes a dash word", { ".", "-run", "-bench", NULL }, 0, .packages = ".",
	  .test = "-test.run=-bench", .run = "-bench" },
	{ "all extracted", { ".", "-bench=Foo", "-benchtime=2s", "-count=7", "-cpu=1,2",
	  "-run=^$", "-v", "-benchmem", NULL }, 0, .packages = ".",
	  .test = "-test.bench=Foo|-test.benchtime=2s|-test.count=7|-test.cpu=1,2|"
		  "-test.run=^$|-test.v|-test.benchmem",
	  .bench = "Foo", .benchtime = "2s", .cpu = "1,2", .run = "^$", .count = 7,
	  .verbose = 1, .benchmem = 1 },
	{ "other test flags are extra", { ".", "-short", "-timeout", "10m", "-bench=.",
	  "-failfast", "-parallel=4", "-cpuprofile", "cpu.out", NULL }, 0, .packages = ".",
	  .test = "-test.short|-test.timeout=10m|-test.bench=.|-test.failfast|"
		  "-test.parallel=4|-test.cpuprofile=cpu.out",
	  .extra = "-test.short|-test.timeout=10m|-test.failfast|-test.parallel=4|"
		   "-test.cpuprofile=cpu.out",
	  .bench = "." },
	{ "last value wins", { ".", "-bench=A", "-bench=B", "-count=2", "-count", "3", NULL }, 0,
	  .packages = ".", .test = "-test.bench=A|-test.bench=B|-test.count=2|-test.count=3",
	  .bench = "B", .count = 3 },
	{ "v and benchmem false", { ".", "-v=false", "-benchmem=false", NULL }, 0,
	  .packages = ".", .test = "-test.v=false|-test.benchmem=false" },
	{ "v true", { ".", "-v=true", NULL }, 0, .packages = ".", .test = "-test.v=true",
	  .verbose = 1 },
	/* Already prefixed, as go test accepts. */
	{ "test.bench", { ".", "-test.bench=X", NULL }, 0, .packages = ".",
	  .test = "-test.bench=X", .bench = "X" },
	{ "test.count sep", { ".", "-test.count", "4", "-test.v", NULL }, 0, .packages = ".",
	  .test = "-test.count=4|-test.v", .count = 4, .verbose = 1 },
	{ "double dash test flag", { ".", "--bench=.", "--count", "2", NULL }, 0,
	  .packages = ".", .test = "-test.bench=.|-test.count=2", .bench = ".", .count = 2 },
	{ "bench missing value", { ".", "-bench", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: flag '-bench' needs a value" },
	{ "count missing value", { ".", "-v", "-count", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: flag '-count' needs a value" },
	{ "count 0", { ".", "-count", "0", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: '-count' needs a positive whole number, not '0'" },
	{ "count=0", { ".", "-count=0", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: '-count' needs a positive whole number, not '0'" },
	{ "count x", { ".", "-count", "x", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: '-count' needs a positive whole number, not 'x'" },
	{ "count negative", { ".", "-count=-1", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: '-count' needs a positive whole number, not '-1'" },
	{ "count fraction", { ".", "-count=1.5", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: '-count' needs a positive whole number, not '1.5'" },
	{ "count overflow", { ".", "-count", "99999999999", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: '-count' needs a positive whole number, not '99999999999'" },
	{ "count empty", { ".", "-count=", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: '-count' needs a positive whole number, not ''" },
	{ "test.count 0", { ".", "-test.count=0", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: '-count' needs a positive whole number, not '0'" },
};

/*
 * Issue 11, defect 6: what the test binary would reject after a build (exit
 * 4, its usage) or clamp (a count beyond Go's int) is a usage error here.
 */
static const struct tcase value_cases[] = {
	{ "benchtime 1s", { ".", "-benchtime=1s", NULL }, 0, .packages = ".",
	  .test = "-test.benchtime=1s", .benchtime = "1s" },
	{ "benchtime 1.5s", { ".", "-benchtime=1.5s", NULL }, 0, .packages = ".",
	  .test = "-test.benchtime=1.5s", .benchtime = "1.5s" },
	{ "benchtime 2h45m", { ".", "-benchtime=2h45m", NULL }, 0, .packages = ".",
	  .test = "-test.benchtime=2h45m", .benchtime = "2h45m" },
	{ "benchtime 300ms", { ".", "-benchtime=300ms", NULL }, 0, .packages = ".",
	  .test = "-test.benchtime=300ms", .benchtime = "300ms" },
	{ "benchtime 500us", { ".", "-benchtime=500us", NULL }, 0, .packages = ".",
	  .test = "-test.benchtime=500us", .benchtime = "500us" },
	{ "benchtime 1xc2xb5s", { ".", "-benchtime=1\xc2\xb5s", NULL }, 0, .packages = ".",
	  .test = "-test.benchtime=1\xc2\xb5s", .benchtime = "1\xc2\xb5s" },
	{ "benchtime 1xcexbcs", { ".", "-benchtime=1\xce\xbcs", NULL }, 0, .packages = ".",
	  .test = "-test.benchtime=1\xce\xbcs", .benchtime = "1\xce\xbcs" },
	{ "benchtime .5s", { ".", "-benchtime=.5s", NULL }, 0, .packages = ".",
	  .test = "-test.benchtime=.5s", .benchtime = ".5s" },
	{ "benchtime 1.s", { ".", "-benchtime=1.s", NULL }, 0, .packages = ".",
	  .test = "-test.benchtime=1.s", .benchtime = "1.s" },
	{ "benchtime +2s", { ".", "-benchtime=+2s", NULL }, 0, .packages = ".",
	  .test = "-test.benchtime=+2s", .benchtime = "+2s" },
	{ "benchtime 1h1m1s", { ".", "-benchtime=1h1m1s", NULL }, 0, .packages = ".",
	  .test = "-test.benchtime=1h1m1s", .benchtime = "1h1m1s" },
	{ "benchtime 1ns", { ".", "-benchtime=1ns", NULL }, 0, .packages = ".",
	  .test = "-test.benchtime=1ns", .benchtime = "1ns" },
	{ "benchtime 1x", { ".", "-benchtime=1x", NULL }, 0, .packages = ".",
	  .test = "-test.benchtime=1x", .benchtime = "1x" },
	{ "benchtime 9223372036854775807x", { ".", "-benchtime=9223372036854775807x", NULL }, 0, .packages = ".",
	  .test = "-test.benchtime=9223372036854775807x", .benchtime = "9223372036854775807x" },
	{ "benchtime -5s", { ".", "-benchtime=-5s", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime '-5s': expected a positive duration (e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)" },
	{ "benchtime 0", { ".", "-benchtime=0", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime '0': expected a positive duration (e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)" },
	{ "benchtime 0s", { ".", "-benchtime=0s", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime '0s': expected a positive duration (e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)" },
	{ "benchtime 5", { ".", "-benchtime=5", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime '5': expected a positive duration (e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)" },
	{ "benchtime 1e3ns", { ".", "-benchtime=1e3ns", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime '1e3ns': expected a positive duration (e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)" },
	{ "benchtime 0x", { ".", "-benchtime=0x", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime '0x': expected a positive duration (e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)" },
	{ "benchtime x", { ".", "-benchtime=x", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime 'x': expected a positive duration (e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)" },
	{ "benchtime abc", { ".", "-benchtime=abc", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime 'abc': expected a positive duration (e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)" },
	{ "benchtime 1.5x", { ".", "-benchtime=1.5x", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime '1.5x': expected a positive duration (e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)" },
	{ "benchtime -3x", { ".", "-benchtime=-3x", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime '-3x': expected a positive duration (e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)" },
	{ "benchtime s", { ".", "-benchtime=s", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime 's': expected a positive duration (e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)" },
	{ "benchtime 1sec", { ".", "-benchtime=1sec", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime '1sec': expected a positive duration (e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)" },
	{ "benchtime 100000000h", { ".", "-benchtime=100000000h", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime '100000000h': expected a positive duration (e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)" },
	{ "benchtime ", { ".", "-benchtime=", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime '': expected a positive duration (e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)" },
	{ "benchtime 18446744073709551615x", { ".", "-benchtime", "18446744073709551615x", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime '18446744073709551615x': the count must be at most 9223372036854775807 (Go's int)" },
	{ "benchtime 9223372036854775808x", { ".", "-benchtime", "9223372036854775808x", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime '9223372036854775808x': the count must be at most 9223372036854775807 (Go's int)" },
	{ "benchtime 99999999999999999999999x", { ".", "-benchtime", "99999999999999999999999x", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -benchtime '99999999999999999999999x': the count must be at most 9223372036854775807 (Go's int)" },
	{ "cpu 1", { ".", "-cpu=1", NULL }, 0, .packages = ".",
	  .test = "-test.cpu=1", .cpu = "1" },
	{ "cpu 1,2,4", { ".", "-cpu=1,2,4", NULL }, 0, .packages = ".",
	  .test = "-test.cpu=1,2,4", .cpu = "1,2,4" },
	{ "cpu 8", { ".", "-cpu=8", NULL }, 0, .packages = ".",
	  .test = "-test.cpu=8", .cpu = "8" },
	{ "cpu 0", { ".", "-cpu=0", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -cpu '0': expected a comma-separated list of positive numbers, e.g. 1,2,4" },
	{ "cpu ", { ".", "-cpu=", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -cpu '': expected a comma-separated list of positive numbers, e.g. 1,2,4" },
	{ "cpu 1,,2", { ".", "-cpu=1,,2", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -cpu '1,,2': expected a comma-separated list of positive numbers, e.g. 1,2,4" },
	{ "cpu -1", { ".", "-cpu=-1", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -cpu '-1': expected a comma-separated list of positive numbers, e.g. 1,2,4" },
	{ "cpu a", { ".", "-cpu=a", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -cpu 'a': expected a comma-separated list of positive numbers, e.g. 1,2,4" },
	{ "cpu 1,0", { ".", "-cpu=1,0", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -cpu '1,0': expected a comma-separated list of positive numbers, e.g. 1,2,4" },
	{ "cpu 99999999999999999", { ".", "-cpu=99999999999999999", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: invalid -cpu '99999999999999999': expected a comma-separated list of positive numbers, e.g. 1,2,4" },
};

static void test_flag_values(void **state)
{
	(void)state;
	run_table(value_cases, ARRAY_SIZE(value_cases));
}

static void test_test_flags(void **state)
{
	(void)state;
	run_table(test_flag_cases, ARRAY_SIZE(test_flag_cases));
}

/*
 * The boolean test flags are parsed by Go's flag package in the test binary
 * (strconv.ParseBool): "0", "f", "F", "FALSE", "False" mean false, so the
 * extracted `verbose`/`benchmem` must say the same as what the binary gets.
 */
static const struct tcase go_bool_cases[] = {
	{ "v=0", { ".", "-v=0", NULL }, 0, .packages = ".", .test = "-test.v=0" },
	{ "v=F", { ".", "-v=F", NULL }, 0, .packages = ".", .test = "-test.v=F" },
	{ "v=FALSE", { ".", "-v=FALSE", NULL }, 0, .packages = ".", .test = "-test.v=FALSE" },
	{ "benchmem=0", { ".", "-benchmem=0", NULL }, 0, .packages = ".",
	  .test = "-test.benchmem=0" },
	{ "benchmem=f", { ".", "-benchmem=f", NULL }, 0, .packages = ".",
	  .test = "-test.benchmem=f" },
	{ "v=1", { ".", "-v=1", NULL }, 0, .packages = ".", .test = "-test.v=1", .verbose = 1 },
	{ "benchmem=T", { ".", "-benchmem=T", NULL }, 0, .packages = ".",
	  .test = "-test.benchmem=T", .benchmem = 1 },
};

static void test_go_bool_values(void **state)
{
	(void)state;
	run_table(go_bool_cases, ARRAY_SIZE(go_bool_cases));
}

/* ---- rejected, ignored and unknown flags ------------------------------ */

#define E_JSON "perfgo: error: '-json' is not supported: use perfgo's '--format json' " \
	"for machine-readable results"
#define E_FUZZ(f) "perfgo: error: '-" f "' is not supported: fuzzing is not supported: " \
	"perfgo measures benchmarks"

/* Original bug 9.1.9: -json, -o, -exec, -n became -test.* and failed at run time. */
static const struct tcase reject_cases[] = {
	{ "json", { ".", "-json", NULL }, PG_EUSAGE, .msg = E_JSON },
	{ "json eq", { ".", "-bench=.", "-json=true", NULL }, PG_EUSAGE, .msg = E_JSON },
	{ "test.json", { ".", "-test.json", NULL }, PG_EUSAGE, .msg = E_JSON },
	{ "exec", { ".", "-exec", "xprog", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: '-exec' is not supported: perfgo runs the test binary "
		 "itself (under perf for 'stat')" },
	{ "o", { ".", "-o", "out.test", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: '-o' is not supported: perfgo builds the test binary into "
		 "a private directory" },
	{ "o eq", { ".", "-o=x", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: '-o' is not supported: perfgo builds the test binary into "
		 "a private directory" },
	{ "c", { ".", "-c", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: '-c' is not supported: perfgo always compiles the test "
		 "binary itself" },
	{ "n", { ".", "-n", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: '-n' is not supported: perfgo needs the binary that '-n' "
		 "would only print the commands for" },
	{ "fuzz", { ".", "-fuzz=FuzzX", NULL }, PG_EUSAGE, .msg = E_FUZZ("fuzz") },
	{ "fuzz sep", { ".", "-fuzz", "FuzzX", NULL }, PG_EUSAGE, .msg = E_FUZZ("fuzz") },
	{ "fuzztime", { ".", "-fuzztime", "10s", NULL }, PG_EUSAGE, .msg = E_FUZZ("fuzztime") },
	{ "i", { ".", "-i", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: '-i' is not supported: '-i' was removed from go test" },
	/* The first error stops parsing: nothing after it is looked at. */
	{ "reject before bad count", { ".", "-json", "-count=0", NULL }, PG_EUSAGE,
	  .msg = E_JSON },
};

static void test_rejected(void **state)
{
	(void)state;
	run_table(reject_cases, ARRAY_SIZE(reject_cases));
}

#define W_VET(w) "perfgo: warning: ignoring '" w "': 'go test -c' does not run vet"

/* Original bug 9.1.9: -vet became -test.vet.  It is ignored with a warning. */
static const struct tcase vet_cases[] = {
	{ "vet=off", { ".", "-vet=off", NULL }, 0, .packages = ".", .msg = W_VET("-vet=off") },
	{ "vet off", { ".", "-vet", "off", "-bench=.", NULL }, 0, .packages = ".",
	  .test = "-test.bench=.", .bench = ".", .msg = W_VET("-vet") },
	{ "vet list", { ".", "-vet=atomic,bool", "-race", NULL }, 0, .packages = ".",
	  .build = "-race", .msg = W_VET("-vet=atomic,bool") },
	{ "vet at the end", { ".", "-race", "-vet", NULL }, 0, .packages = ".",
	  .build = "-race", .msg = W_VET("-vet") },
	{ "vet before a flag", { ".", "-vet", "-race", NULL }, 0, .packages = ".",
	  .build = "-race", .msg = W_VET("-vet") },
};

static void test_vet_ignored(void **state)
{
	(void)state;
	run_table(vet_cases, ARRAY_SIZE(vet_cases));
}

static void test_vet_quiet(void **state)
{
	const char *argv[] = { ".", "-vet=off", NULL };
	struct testargs ta;

	(void)state;
	pg_verbosity = -1;
	testargs_init(&ta);
	assert_int_equal(testargs_parse(&ta, 2, argv), 0);
	assert_int_equal(msgs.len, 0);
	assert_int_equal(ta.build.nr + ta.test.nr + ta.extra.nr, 0);
	testargs_release(&ta);
	pg_verbosity = 0;
}

/* The package's own flags pass through unchanged, in order with the others. */
static const struct tcase unknown_cases[] = {
	{ "myflag", { ".", "-myflag=1", NULL }, 0, .packages = ".", .test = "-myflag=1",
	  .extra = "-myflag=1" },
	{ "myflag bool", { ".", "-bench=.", "-myflag", "-count=2", NULL }, 0, .packages = ".",
	  .test = "-test.bench=.|-myflag|-test.count=2", .extra = "-myflag", .bench = ".",
	  .count = 2 },
	{ "double dash own flag", { ".", "--myflag=a b", NULL }, 0, .packages = ".",
	  .test = "--myflag=a b", .extra = "--myflag=a b" },
	{ "prefixed own flag", { ".", "-test.myflag=x", NULL }, 0, .packages = ".",
	  .test = "-test.myflag=x", .extra = "-test.myflag=x" },
	/* The parser cannot know that an unknown flag takes a value. */
	{ "own flag with separate value", { ".", "-myflag", "1", NULL }, PG_EUSAGE,
	  .msg = E_AFTER("1") },
};

static void test_unknown_pass_through(void **state)
{
	(void)state;
	run_table(unknown_cases, ARRAY_SIZE(unknown_cases));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_test_flags, setup, teardown_capture),
		cmocka_unit_test_setup_teardown(test_flag_values, setup, teardown_capture),
		cmocka_unit_test_setup_teardown(test_go_bool_values, setup, teardown_capture),
		cmocka_unit_test_setup_teardown(test_rejected, setup, teardown_capture),
		cmocka_unit_test_setup_teardown(test_vet_ignored, setup, teardown_capture),
		cmocka_unit_test_setup_teardown(test_vet_quiet, setup, teardown_capture),
		cmocka_unit_test_setup_teardown(test_unknown_pass_through, setup, teardown_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
