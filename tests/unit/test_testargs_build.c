/*
 * Unit tests for harness/cli/testargs.c, the `perfgo test` argument grammar
 *
 *     [--] <pkg>... [go test flags] [-args <binary args>...]
 *
 * here the packages and the build flags that go to `go test -c`, as tables
 * (testargs_fixture.h).  Several rows pin down what the original Go perfgo
 * got wrong (reference/perfgo-original.md §2.2.2, §9.1 items 1 and 9): a "."
 * or an import-path package taken for a test-binary argument, boolean build
 * flags swallowing the next word, -trimpath/-pgo/-buildvcs/-p not treated as
 * build flags.
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

/* ---- packages --------------------------------------------------------- */

static const struct tcase package_cases[] = {
	{ "dot alone", { ".", NULL }, 0, .packages = "." },
	/* Original bug 9.1.1: "." became a binary argument and disabled every flag after it. */
	{ "dot then bench", { ".", "-bench=.", NULL }, 0, .packages = ".",
	  .test = "-test.bench=.", .bench = "." },
	{ "dot sub", { "./sub", "-bench", "Foo", NULL }, 0, .packages = "./sub",
	  .test = "-test.bench=Foo", .bench = "Foo" },
	{ "parent dir", { "../x", NULL }, 0, .packages = "../x" },
	/* Original bug 9.1.1: an import path was not built at all. */
	{ "import path", { "example.com/m/pkg", "-count=3", NULL }, 0,
	  .packages = "example.com/m/pkg", .test = "-test.count=3", .count = 3 },
	{ "std import path", { "strings", NULL }, 0, .packages = "strings" },
	{ "dots pattern", { "./...", "-run", "^$", NULL }, 0, .packages = "./...",
	  .test = "-test.run=^$", .run = "^$" },
	{ "bare dots pattern", { "...", NULL }, 0, .packages = "..." },
	{ "several packages", { ".", "./sub", "example.com/m/x", "./...", "-v", NULL }, 0,
	  .packages = ".|./sub|example.com/m/x|./...", .test = "-test.v", .verbose = 1 },
	{ "leading --", { "--", ".", "-bench=.", NULL }, 0, .packages = ".",
	  .test = "-test.bench=.", .bench = "." },
	{ "leading -- then several", { "--", "./a", "./b", NULL }, 0, .packages = "./a|./b" },
	{ "-- between flags tolerated", { ".", "-race", "--", "-count=2", NULL }, 0,
	  .packages = ".", .build = "-race", .test = "-test.count=2", .count = 2 },
	/* Original bug §2.2.2 getPackagePath: "-tags integration" made "integration" the package. */
	{ "dot with tags value", { ".", "-tags", "integration", NULL }, 0, .packages = ".",
	  .build = "-tags=integration" },
	{ "no words", { NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: no package given: name one, e.g. '.' or './pkg/...'" },
	{ "only --", { "--", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: no package given: name one, e.g. '.' or './pkg/...'" },
	{ "flags without package", { "-bench=.", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: no package given: name one, e.g. '.' or './pkg/...'" },
	{ "-- then flags without package", { "--", "-bench=.", ".", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: no package given: name one, e.g. '.' or './pkg/...'" },
	{ "package after flags", { ".", "-bench=.", "./sub", NULL }, PG_EUSAGE,
	  .msg = E_AFTER("./sub") },
	{ "lone dash after flags", { ".", "-v", "-", NULL }, PG_EUSAGE, .msg = E_AFTER("-") },
};

static void test_packages(void **state)
{
	(void)state;
	run_table(package_cases, ARRAY_SIZE(package_cases));
}

/* ---- build flags ------------------------------------------------------ */

static const struct tcase build_cases[] = {
	{ "tags sep", { ".", "-tags", "integration", NULL }, 0, .packages = ".",
	  .build = "-tags=integration" },
	{ "tags eq", { ".", "-tags=a,b", NULL }, 0, .packages = ".", .build = "-tags=a,b" },
	{ "race", { ".", "-race", NULL }, 0, .packages = ".", .build = "-race" },
	{ "race eq", { ".", "-race=false", NULL }, 0, .packages = ".", .build = "-race=false" },
	/* A value that starts with '-' is still the value of a value flag. */
	{ "gcflags sep", { ".", "-gcflags", "-N -l", NULL }, 0, .packages = ".",
	  .build = "-gcflags=-N -l" },
	{ "gcflags eq", { ".", "-gcflags=all=-N -l", NULL }, 0, .packages = ".",
	  .build = "-gcflags=all=-N -l" },
	{ "ldflags sep", { ".", "-ldflags", "-s -w", NULL }, 0, .packages = ".",
	  .build = "-ldflags=-s -w" },
	{ "ldflags eq", { ".", "-ldflags=-X main.v=1", NULL }, 0, .packages = ".",
	  .build = "-ldflags=-X main.v=1" },
	{ "asmflags sep", { ".", "-asmflags", "-trimpath", NULL }, 0, .packages = ".",
	  .build = "-asmflags=-trimpath" },
	{ "asmflags eq", { ".", "-asmflags=-I=x", NULL }, 0, .packages = ".",
	  .build = "-asmflags=-I=x" },
	/* Original bug 9.1.9: -trimpath, -pgo, -buildvcs became -test.* flags. */
	{ "trimpath", { ".", "-trimpath", NULL }, 0, .packages = ".", .build = "-trimpath" },
	{ "trimpath eq", { ".", "-trimpath=true", NULL }, 0, .packages = ".",
	  .build = "-trimpath=true" },
	{ "pgo sep", { ".", "-pgo", "off", NULL }, 0, .packages = ".", .build = "-pgo=off" },
	{ "pgo eq", { ".", "-pgo=default.pgo", NULL }, 0, .packages = ".",
	  .build = "-pgo=default.pgo" },
	{ "buildvcs", { ".", "-buildvcs", NULL }, 0, .packages = ".", .build = "-buildvcs" },
	{ "buildvcs eq", { ".", "-buildvcs=false", NULL }, 0, .packages = ".",
	  .build = "-buildvcs=false" },
	{ "cover", { ".", "-cover", NULL }, 0, .packages = ".", .build = "-cover" },
	{ "covermode sep", { ".", "-covermode", "atomic", NULL }, 0, .packages = ".",
	  .build = "-covermode=atomic" },
	{ "covermode eq", { ".", "-covermode=count", NULL }, 0, .packages = ".",
	  .build = "-covermode=count" },
	{ "coverpkg sep", { ".", "-coverpkg", "./...", NULL }, 0, .packages = ".",
	  .build = "-coverpkg=./..." },
	{ "coverpkg eq", { ".", "-coverpkg=./a,./b", NULL }, 0, .packages = ".",
	  .build = "-coverpkg=./a,./b" },
	{ "mod sep", { ".", "-mod", "vendor", NULL }, 0, .packages = ".", .build = "-mod=vendor" },
	{ "mod eq", { ".", "-mod=mod", NULL }, 0, .packages = ".", .build = "-mod=mod" },
	{ "modfile sep", { ".", "-modfile", "go.test.mod", NULL }, 0, .packages = ".",
	  .build = "-modfile=go.test.mod" },
	{ "modfile eq", { ".", "-modfile=alt.mod", NULL }, 0, .packages = ".",
	  .build = "-modfile=alt.mod" },
	{ "overlay sep", { ".", "-overlay", "o.json", NULL }, 0, .packages = ".",
	  .build = "-overlay=o.json" },
	{ "overlay eq", { ".", "-overlay=o.json", NULL }, 0, .packages = ".",
	  .build = "-overlay=o.json" },
	{ "work", { ".", "-work", NULL }, 0, .packages = ".", .build = "-work" },
	/* Original bug 9.1.9: -p became -test.p.  Here it is go's build parallelism. */
	{ "p sep", { ".", "-p", "4", NULL }, 0, .packages = ".", .build = "-p=4" },
	{ "p eq", { ".", "-p=1", NULL }, 0, .packages = ".", .build = "-p=1" },
	{ "a and x", { ".", "-a", "-x", NULL }, 0, .packages = ".", .build = "-a|-x" },
	{ "double dash build flag", { ".", "--tags=x", NULL }, 0, .packages = ".",
	  .build = "-tags=x" },
	{ "build flags keep their order", { "./...", "-tags", "t", "-race", "-gcflags=-m",
	  "-trimpath", "-p", "2", NULL }, 0, .packages = "./...",
	  .build = "-tags=t|-race|-gcflags=-m|-trimpath|-p=2" },
	{ "tags missing value", { ".", "-tags", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: flag '-tags' needs a value" },
	{ "gcflags missing value", { ".", "-race", "-gcflags", NULL }, PG_EUSAGE,
	  .msg = "perfgo: error: flag '-gcflags' needs a value" },
};

static void test_build_flags(void **state)
{
	(void)state;
	run_table(build_cases, ARRAY_SIZE(build_cases));
}

/*
 * Original bug §2.2.2: "if the next token does not start with '-', it is
 * consumed as the flag's value, even for boolean flags such as -race,
 * -cover, -work".  Here a boolean build flag never takes the next word, so
 * a following flag is parsed as a flag and a following bare word is an
 * error (packages go first) instead of silently becoming a value.
 */
static const struct tcase bool_build_cases[] = {
	{ "race then bench", { ".", "-race", "-bench=.", NULL }, 0, .packages = ".",
	  .build = "-race", .test = "-test.bench=.", .bench = "." },
	{ "race then count sep", { ".", "-race", "-count", "5", NULL }, 0, .packages = ".",
	  .build = "-race", .test = "-test.count=5", .count = 5 },
	{ "cover work v benchmem", { ".", "-cover", "-v", "-work", "-benchmem", NULL }, 0,
	  .packages = ".", .build = "-cover|-work", .test = "-test.v|-test.benchmem",
	  .verbose = 1, .benchmem = 1 },
	{ "trimpath then run", { ".", "-trimpath", "-run", "X", NULL }, 0, .packages = ".",
	  .build = "-trimpath", .test = "-test.run=X", .run = "X" },
	{ "race then dot", { ".", "-race", ".", NULL }, PG_EUSAGE, .msg = E_AFTER(".") },
	{ "cover then word", { ".", "-cover", "./sub", NULL }, PG_EUSAGE, .msg = E_AFTER("./sub") },
	{ "work then word", { ".", "-work", "foo", NULL }, PG_EUSAGE, .msg = E_AFTER("foo") },
	{ "trimpath then word", { ".", "-trimpath", "x", NULL }, PG_EUSAGE, .msg = E_AFTER("x") },
	{ "buildvcs then word", { ".", "-buildvcs", "false", NULL }, PG_EUSAGE,
	  .msg = E_AFTER("false") },
	{ "msan then word", { ".", "-msan", "y", NULL }, PG_EUSAGE, .msg = E_AFTER("y") },
};

static void test_bool_build_flags(void **state)
{
	(void)state;
	run_table(bool_build_cases, ARRAY_SIZE(bool_build_cases));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_packages, setup, teardown_capture),
		cmocka_unit_test_setup_teardown(test_build_flags, setup, teardown_capture),
		cmocka_unit_test_setup_teardown(test_bool_build_flags, setup, teardown_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
