/*
 * Unit tests for harness/opts.c, the table-driven option parser: long and
 * short spellings, '=' forms, bundled short booleans, --no-x and --x=false,
 * malformed values, missing values, unknown options, OPTS_STOP_AT_NON_OPTION,
 * OPTS_KEEP_UNKNOWN, "--", -h/--help, string lists, and the usage listing.
 * Diagnostics are captured with set_report_routine() and asserted verbatim.
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
#include "cli/opts.h"
#include "util/strvec.h"
#include "util/usage.h"

/* A destination no option wrote to keeps this value. */
#define UNTOUCHED -7

/* The destinations of the option table, reset before each parse. */
static struct {
	int quiet, verbose, keep, count;
	const char *host, *format;
	struct strvec events;
} d;

static const struct opt table[] = {
	OPT_BOOL_("quiet", 'q', &d.quiet, "say less"),
	OPT_BOOL_("verbose", 'v', &d.verbose, "say more"),
	OPT_BOOL_("keep", 0, &d.keep, "keep files"),
	OPT_INT_("count", 'c', &d.count, "<n>", "repetitions"),
	OPT_STR_("remote-host", 0, &d.host, "<host>", "run there"),
	OPT_STR_("format", 'f', &d.format, "<fmt>", "output format"),
	OPT_LIST_("event", 'e', &d.events, "<event>", "perf event (repeatable)"),
	OPT_END_()
};

static void reset_dest(void)
{
	strvec_clear(&d.events);
	d.quiet = d.verbose = d.keep = d.count = UNTOUCHED;
	d.host = d.format = NULL;
}

#define MAXARGS 16

/* "quiet=1 count=5 format=json": the scalar destinations the parse touched. */
static void set_of(struct buf *out)
{
	const struct { const char *name; int v; } ints[] = {
		{ "quiet", d.quiet }, { "verbose", d.verbose }, { "keep", d.keep },
		{ "count", d.count },
	};

	for (size_t i = 0; i < ARRAY_SIZE(ints); i++)
		if (ints[i].v != UNTOUCHED)
			buf_addf(out, "%s%s=%d", out->len ? " " : "", ints[i].name, ints[i].v);
	if (d.host)
		buf_addf(out, "%sremote-host=%s", out->len ? " " : "", d.host);
	if (d.format)
		buf_addf(out, "%sformat=%s", out->len ? " " : "", d.format);
}

struct ocase {
	const char *name;
	const char *argv[MAXARGS];
	unsigned flags;
	int want_help_out;        /* pass a help_out pointer */
	int ret;
	/* Checked when ret is 0: the destinations set, as rendered by set_of(). */
	const char *set;
	const char *events;       /* '|'-joined */
	const char *rest;         /* '|'-joined */
	int help;
	const char *msg;          /* NULL: nothing reported */
};

static void join(struct buf *out, const struct strvec *v)
{
	for (size_t i = 0; i < v->nr; i++)
		buf_addf(out, "%s%s", i ? "|" : "", v->v[i]);
}

static void run_case(const struct ocase *oc)
{
	struct strvec rest = STRVEC_INIT;
	struct buf j = BUF_INIT;
	int help = 0, ret;

	reset_dest();
	buf_reset(&msgs);
	ret = opts_parse(table, argv_count(oc->argv), (const char **)oc->argv, oc->flags, &rest,
			 oc->want_help_out ? &help : NULL);
	check_int(oc->name, "return", ret, oc->ret);
	check_str(oc->name, "messages", msgs.len ? msgs.buf : NULL, oc->msg);
	if (!ret) {
		set_of(&j);
		check_str(oc->name, "set", j.buf, oc->set ? oc->set : "");
		buf_reset(&j);
		join(&j, &d.events);
		check_str(oc->name, "events", j.buf, oc->events ? oc->events : "");
		buf_reset(&j);
		join(&j, &rest);
		check_str(oc->name, "rest", j.buf, oc->rest ? oc->rest : "");
		check_int(oc->name, "help", help, oc->help);
	}
	buf_release(&j);
	strvec_clear(&rest);
	strvec_clear(&d.events);
}

static void run_table(const struct ocase *t, size_t n)
{
	buf_reset(&failures);
	for (size_t i = 0; i < n; i++)
		run_case(&t[i]);
	failures_check("%zu-row table", n);
}

static const struct ocase spelling_cases[] = {
	{ "nothing", { NULL }, 0, 0, 0 },
	{ "long bool", { "--quiet", NULL }, 0, 0, 0, "quiet=1" },
	{ "short bool", { "-q", NULL }, 0, 0, 0, "quiet=1" },
	{ "long string sep", { "--remote-host", "user@box", NULL }, 0, 0, 0,
	  "remote-host=user@box" },
	{ "long string eq", { "--remote-host=user@box", NULL }, 0, 0, 0,
	  "remote-host=user@box" },
	{ "long string eq empty", { "--format=", NULL }, 0, 0, 0, "format=" },
	{ "long string eq keeps later =", { "--format=a=b", NULL }, 0, 0, 0, "format=a=b" },
	{ "short string sep", { "-f", "json", NULL }, 0, 0, 0, "format=json" },
	{ "short string attached", { "-fjson", NULL }, 0, 0, 0, "format=json" },
	{ "short string eq", { "-f=json", NULL }, 0, 0, 0, "format=json" },
	/* A value that looks like an option is still the value. */
	{ "value starting with dash", { "--format", "-q", NULL }, 0, 0, 0, "format=-q" },
	{ "long int sep", { "--count", "5", NULL }, 0, 0, 0, "count=5" },
	{ "long int eq", { "--count=12", NULL }, 0, 0, 0, "count=12" },
	{ "short int attached", { "-c3", NULL }, 0, 0, 0, "count=3" },
	{ "short int negative", { "-c", "-4", NULL }, 0, 0, 0, "count=-4" },
	{ "last one wins", { "-c", "1", "--count=2", "-f", "a", "--format", "b", NULL }, 0, 0, 0,
	  "count=2 format=b" },
	{ "bundled bools", { "-qv", NULL }, 0, 0, 0, "quiet=1 verbose=1" },
	{ "bundled bools then value", { "-qvc", "9", NULL }, 0, 0, 0,
	  "quiet=1 verbose=1 count=9" },
	{ "bundled bool then attached value", { "-qecycles:u", NULL }, 0, 0, 0, "quiet=1",
	  .events = "cycles:u" },
	{ "non-options collected", { "a", "-q", "b", "--", "-v", NULL }, 0, 0, 0, "quiet=1",
	  .rest = "a|b|-v" },
	{ "lone dash is a word", { "-", "-q", NULL }, 0, 0, 0, "quiet=1", .rest = "-" },
};

static void test_spellings(void **state)
{
	(void)state;
	run_table(spelling_cases, ARRAY_SIZE(spelling_cases));
}

static const struct ocase bool_cases[] = {
	{ "no-x", { "--quiet", "--no-quiet", NULL }, 0, 0, 0, "quiet=0" },
	{ "no-x alone", { "--no-keep", NULL }, 0, 0, 0, "keep=0" },
	{ "x=false", { "--verbose=false", NULL }, 0, 0, 0, "verbose=0" },
	{ "x=true", { "--verbose=true", NULL }, 0, 0, 0, "verbose=1" },
	{ "x=0", { "--keep=0", NULL }, 0, 0, 0, "keep=0" },
	{ "x=1", { "--keep=1", NULL }, 0, 0, 0, "keep=1" },
	{ "x=yes", { "--keep=yes", NULL }, 0, 0, 0, "keep=1" },
	{ "x=no", { "--keep=no", NULL }, 0, 0, 0, "keep=0" },
	{ "x=on", { "--keep=on", NULL }, 0, 0, 0, "keep=1" },
	{ "x=off", { "--keep=off", NULL }, 0, 0, 0, "keep=0" },
	{ "no-x then x", { "--no-verbose", "-v", NULL }, 0, 0, 0, "verbose=1" },
	/* A boolean never takes the next word. */
	{ "bool does not swallow", { "--keep", "false", NULL }, 0, 0, 0, "keep=1",
	  .rest = "false" },
	{ "no- of a string", { "--no-format", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: unknown option '--no-format'" },
	{ "no- of nothing", { "--no-", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: unknown option '--no-'" },
};

static void test_bools(void **state)
{
	(void)state;
	run_table(bool_cases, ARRAY_SIZE(bool_cases));
}

static const struct ocase error_cases[] = {
	{ "unknown long", { "--bogus", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: unknown option '--bogus'" },
	{ "unknown long with value", { "--bogus=1", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: unknown option '--bogus'" },
	{ "unknown short", { "-z", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: unknown option '-z'" },
	{ "prefix is not an abbreviation", { "--verb", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: unknown option '--verb'" },
	{ "missing long value", { "--remote-host", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: option '--remote-host' needs a value" },
	{ "missing short value", { "-q", "-c", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: option '-c' needs a value" },
	{ "bad int sep", { "--count", "x", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: option '--count' needs a whole number, not 'x'" },
	{ "bad int short", { "-c", "1.5", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: option '-c' needs a whole number, not '1.5'" },
	{ "bad int attached", { "-c5x", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: option '-c' needs a whole number, not '5x'" },
	{ "int overflow", { "--count", "99999999999", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: option '--count' needs a whole number, not '99999999999'" },
	{ "error stops parsing", { "--bogus", "-q", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: unknown option '--bogus'" },
};

static void test_errors(void **state)
{
	(void)state;
	run_table(error_cases, ARRAY_SIZE(error_cases));
}

/*
 * The subject of a bad-value message is the option as named, whether the
 * value came after '=' or as the next word ("option '--count' needs a whole
 * number, not 'x'" for both "--count x" and "--count=x").
 */
static const struct ocase subject_cases[] = {
	{ "bad bool", { "--verbose=maybe", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: option '--verbose' takes true or false, not 'maybe'" },
	{ "bool case matters", { "--verbose=TRUE", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: option '--verbose' takes true or false, not 'TRUE'" },
	{ "empty bool", { "--keep=", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: option '--keep' takes true or false, not ''" },
	/* --no-x=value is refused rather than guessed. */
	{ "no-x with value", { "--no-keep=true", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: option '--no-keep' takes true or false, not 'true'" },
	{ "bad int eq", { "--count=x", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: option '--count' needs a whole number, not 'x'" },
	{ "bad int sep", { "--count", "x", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: option '--count' needs a whole number, not 'x'" },
};

static void test_message_subject(void **state)
{
	(void)state;
	run_table(subject_cases, ARRAY_SIZE(subject_cases));
}

static const struct ocase flow_cases[] = {
	{ "stop at non-option", { "-q", "stat", "-e", "cycles", "--", "x", NULL },
	  OPTS_STOP_AT_NON_OPTION, 0, 0, "quiet=1", .rest = "stat|-e|cycles|--|x" },
	{ "stop at lone dash", { "-", "-q", NULL }, OPTS_STOP_AT_NON_OPTION, 0, 0,
	  .rest = "-|-q" },
	{ "-- consumed", { "-q", "--", "-v", "--", NULL }, OPTS_STOP_AT_NON_OPTION, 0, 0,
	  "quiet=1", .rest = "-v|--" },
	{ "-- first", { "--", "--bogus", NULL }, 0, 0, 0, .rest = "--bogus" },
	{ "--end-of-options", { "-q", "--end-of-options", "-x", "--", "-v", NULL }, 0, 0, 0,
	  "quiet=1", .rest = "-x|--|-v" },
	{ "-- as a value", { "--format", "--", "-q", NULL }, 0, 0, 0, "quiet=1 format=--" },
	{ "keep unknown", { "--bogus=1", "-q", "-z", "x", NULL }, OPTS_KEEP_UNKNOWN, 0, 0,
	  "quiet=1", .rest = "--bogus=1|-z|x" },
	{ "help long", { "-q", "--help", "--bogus", NULL }, 0, 1, 0, "quiet=1", .help = 1 },
	{ "help short", { "-h", NULL }, 0, 1, 0, .help = 1 },
	{ "help after --", { "--", "-h", NULL }, 0, 1, 0, .rest = "-h" },
	{ "help after a sub-command", { "stat", "--help", NULL }, OPTS_STOP_AT_NON_OPTION, 1, 0,
	  .rest = "stat|--help" },
	{ "help not wanted", { "--help", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: unknown option '--help'" },
	{ "-h not wanted", { "-h", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: unknown option '-h'" },
};

static void test_flow(void **state)
{
	(void)state;
	run_table(flow_cases, ARRAY_SIZE(flow_cases));
}

/* perf's event syntax has commas of its own: never split. */
static const struct ocase list_cases[] = {
	{ "accumulate", { "-e", "cycles", "--event", "instructions", "-ecache-misses",
	  "--event=task-clock", "-e=page-faults", NULL }, 0, 0, 0,
	  .events = "cycles|instructions|cache-misses|task-clock|page-faults" },
	{ "commas kept", { "-e", "cycles,instructions", "--event={branches,branch-misses}:u",
	  "-e", "cpu/event=0x2e,umask=0x41/", NULL }, 0, 0, 0,
	  .events = "cycles,instructions|{branches,branch-misses}:u|cpu/event=0x2e,umask=0x41/" },
	{ "duplicates kept", { "-e", "x", "-e", "x", NULL }, 0, 0, 0, .events = "x|x" },
	{ "list missing value", { "-e", NULL }, 0, 0, PG_EUSAGE,
	  .msg = "perfgo: error: option '-e' needs a value" },
};

static void test_string_list(void **state)
{
	(void)state;
	run_table(list_cases, ARRAY_SIZE(list_cases));
}

/* An empty item is an item: "--event=" adds one element. */
static void test_string_list_empty_item(void **state)
{
	const char *argv[] = { "--event=", "-e", "", NULL };
	struct strvec rest = STRVEC_INIT;

	(void)state;
	reset_dest();
	assert_int_equal(opts_parse(table, 3, argv, 0, &rest, NULL), 0);
	assert_int_equal(d.events.nr, 2);
	assert_string_equal(d.events.v[0], "");
	assert_string_equal(d.events.v[1], "");
	assert_null(d.events.v[2]);
	strvec_clear(&d.events);
	strvec_clear(&rest);
}

/* OPT_STRING points into argv: no copy, nothing to free. */
static void test_string_points_into_argv(void **state)
{
	const char *argv[] = { "--remote-host", "h1", "--format=json", "-fx", NULL };
	struct strvec rest = STRVEC_INIT;

	(void)state;
	reset_dest();
	assert_int_equal(opts_parse(table, 4, argv, 0, &rest, NULL), 0);
	assert_ptr_equal(d.host, argv[1]);
	assert_ptr_equal(d.format, argv[3] + 2);
	reset_dest();
	assert_int_equal(opts_parse(table, 3, argv, 0, &rest, NULL), 0);
	assert_ptr_equal(d.format, argv[2] + strlen("--format="));
	strvec_clear(&rest);
}

/* `rest` is appended to, not replaced. */
static void test_rest_appends(void **state)
{
	const char *argv[] = { "x", "--", "y", NULL };
	struct strvec rest = STRVEC_INIT;

	(void)state;
	reset_dest();
	strvec_push(&rest, "before");
	assert_int_equal(opts_parse(table, 3, argv, 0, &rest, NULL), 0);
	assert_int_equal(rest.nr, 3);
	assert_string_equal(rest.v[0], "before");
	assert_string_equal(rest.v[1], "x");
	assert_string_equal(rest.v[2], "y");
	strvec_clear(&rest);
}

static void test_parse_bool(void **state)
{
	static const struct { const char *s; int want; } t[] = {
		{ "1", 1 }, { "true", 1 }, { "yes", 1 }, { "on", 1 },
		{ "0", 0 }, { "false", 0 }, { "no", 0 }, { "off", 0 },
		{ "", -1 }, { "2", -1 }, { "True", -1 }, { "y", -1 }, { " true", -1 },
		{ "true ", -1 }, { "tru", -1 }, { "offf", -1 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		if (opts_parse_bool(t[i].s) != t[i].want)
			fail_msg("opts_parse_bool('%s') = %d, want %d", t[i].s,
				 opts_parse_bool(t[i].s), t[i].want);
}

static void test_usage(void **state)
{
	static const struct opt t[] = {
		OPT_BOOL_("quiet", 'q', &d.quiet, "say less"),
		OPT_STR_("remote-host", 0, &d.host, "<host>", "run there"),
		OPT_LIST_("event", 'e', &d.events, "<event>", "perf event"),
		OPT_BOOL_("hidden", 0, &d.keep, NULL),
		OPT_STR_("a-very-long-option-name", 0, &d.format, "<value>", "long"),
		OPT_END_()
	};
	struct buf out = BUF_INIT;

	(void)state;
	buf_addstr(&out, "kept\n");
	opts_usage(t, &out);
	assert_string_equal(out.buf,
		"kept\n"
		"  -q, --quiet                 say less\n"
		"      --remote-host <host>    run there\n"
		"  -e, --event <event>         perf event\n"
		"      --a-very-long-option-name <value>  long\n");
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spellings, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_bools, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_errors, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_message_subject, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_flow, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_string_list, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_string_list_empty_item, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_string_points_into_argv, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_rest_appends, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_parse_bool, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_usage, setup_capture, teardown_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
