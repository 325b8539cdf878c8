/*
 * Unit tests for harness/collect/perf_stat.c: perf stat CSV (real perf 6.1
 * output recorded on this PMU-less machine, plus hand-made PMU and
 * newer-perf layouts, see tests/data/perfstat/README.txt) and malformed
 * input.  Run from the repository root: fixtures are read by relative path
 * (perf_stat_fixture.h).
 */
#include <math.h>
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
#include "collect/perf_stat.h"
#include "util/strvec.h"
#include "util/usage.h"
#include "perf_stat_fixture.h"

/* ---- recorded perf 6.1 output ---------------------------------------- */

static void test_r3_nopmu(void **state)
{
	static const struct want w[] = {
		{ "task-clock", OK, 30.43, "msec", 5.91, 30429812, 100, 0.940, "CPUs utilized" },
		{ "cycles", NS, 0, "", 0, 0, 100, 0, NULL },
		{ "instructions", NS, 0, "", 0, 0, 100, 0, NULL },
		{ "branches", NS, 0, "", 0, 0, 100, 0, NULL },
		{ "branch-misses", NS, 0, "", 0, 0, 100, 0, NULL },
		{ "cache-misses", NS, 0, "", 0, 0, 100, 0, NULL },
		{ "page-faults", OK, 490, "", 0.77, 30429812, 100, 14.729, "K/sec" },
		{ "context-switches", OK, 168, "", 6.65, 30429812, 100, 5.050, "K/sec" },
		{ "cpu-migrations", OK, 5, "", 26.67, 30429812, 100, 150.300, "/sec" },
	};
	struct ps_result r = PS_RESULT_INIT;
	int is_time = -1;

	(void)state;
	assert_int_equal(parse_fixture("perf6.1-r3-nopmu.csv", ',', &r), 0);
	check_counters(&r, w, ARRAY_SIZE(w));
	assert_near(ps_value_base(must_find(&r, "task-clock"), &is_time), 30.43e6);
	assert_int_equal(is_time, 1);
	assert_near(ps_value_base(must_find(&r, "page-faults"), &is_time), 490);
	assert_int_equal(is_time, 0);
	assert_int_equal(nmsg, 0);
	ps_result_release(&r);
	assert_null(r.c);
	assert_int_equal(r.nr, 0);
}

static void test_nopmu_no_variance(void **state)
{
	static const struct want w[] = {
		{ "task-clock", OK, 34.48, "msec", -1, 34482285, 100, 1.016, "CPUs utilized" },
		{ "cycles", NS, 0, "", -1, 0, 100, 0, NULL },
		{ "instructions", NS, 0, "", -1, 0, 100, 0, NULL },
		{ "branches", NS, 0, "", -1, 0, 100, 0, NULL },
		{ "branch-misses", NS, 0, "", -1, 0, 100, 0, NULL },
		{ "cache-misses", NS, 0, "", -1, 0, 100, 0, NULL },
		{ "page-faults", OK, 493, "", -1, 34482285, 100, 14.297, "K/sec" },
		{ "context-switches", OK, 152, "", -1, 34482285, 100, 4.408, "K/sec" },
		{ "cpu-migrations", OK, 7, "", -1, 34482285, 100, 203.003, "/sec" },
	};
	struct ps_result r = PS_RESULT_INIT;

	(void)state;
	assert_int_equal(parse_fixture("perf6.1-nopmu.csv", ',', &r), 0);
	check_counters(&r, w, ARRAY_SIZE(w));
	ps_result_release(&r);
}

static void test_time_tool_events(void **state)
{
	static const struct want w[] = {
		{ "duration_time", OK, 30841313, "ns", 4.64, 30841313, 100, 914.134, "M/sec" },
		{ "user_time", OK, 29208666, "ns", 0.91, 29208666, 100, 865.742, "M/sec" },
		{ "system_time", OK, 6262333, "ns", 5.15, 6262333, 100, 185.615, "M/sec" },
		{ "task-clock", OK, 31.54, "msec", 4.25, 31535639, 100, 0.946, "CPUs utilized" },
		{ "cpu-clock", OK, 31.44, "msec", 4.29, 31535639, 100, 0.943, "CPUs utilized" },
	};
	struct ps_result r = PS_RESULT_INIT;
	int is_time = 0;

	(void)state;
	assert_int_equal(parse_fixture("perf6.1-time-tools-r3.csv", ',', &r), 0);
	check_counters(&r, w, ARRAY_SIZE(w));
	assert_near(ps_value_base(must_find(&r, "duration_time"), &is_time), 30841313);
	assert_int_equal(is_time, 1);
	ps_result_release(&r);
}

static void test_modifiers_and_tracepoints(void **state)
{
	static const struct want w[] = {
		{ "cycles:u", NS, 0, "", -1, 0, 100, 0, NULL },
		{ "r412e", NS, 0, "", -1, 0, 100, 0, NULL },
		{ "instructions:u", NS, 0, "", -1, 0, 100, 0, NULL },
		{ "L1-dcache-load-misses", NS, 0, "", -1, 0, 100, 0, NULL },
		{ "cpu-clock:u", OK, 34.47, "msec", -1, 34582978, 100, 0.998, "CPUs utilized" },
		{ "sched:sched_switch", OK, 166, "", -1, 34582978, 100, 4.808, "K/sec" },
		{ "syscalls:sys_enter_write", OK, 7, "", -1, 34582978, 100, 202.738, "/sec" },
		{ "task-clock", OK, 34.58, "msec", -1, 34582978, 100, 1.002, "CPUs utilized" },
		{ "page-faults", OK, 468, "", -1, 34582978, 100, 13.554, "K/sec" },
	};
	struct ps_result r = PS_RESULT_INIT;

	(void)state;
	assert_int_equal(parse_fixture("perf6.1-modifiers-tracepoints.csv", ',', &r), 0);
	check_counters(&r, w, ARRAY_SIZE(w));
	assert_ptr_equal(ps_find(&r, "cycles"), &r.c[0]);
	assert_ptr_equal(ps_find(&r, "cpu-clock"), &r.c[4]);
	assert_ptr_equal(ps_find(&r, "sched:sched_switch"), &r.c[5]);
	/* A tracepoint's subsystem is not an event with a modifier. */
	assert_null(ps_find(&r, "sched"));
	assert_null(ps_find(&r, "syscalls"));
	assert_null(ps_find(&r, "cpu"));
	assert_null(ps_find(&r, "instructions:k"));
	ps_result_release(&r);
}

static void test_other_separators(void **state)
{
	static const struct want semi[] = {
		{ "task-clock", OK, 35.21, "msec", -1, 35213262, 100, 1.021, "CPUs utilized" },
		{ "cycles", NS, 0, "", -1, 0, 100, 0, NULL },
		{ "page-faults", OK, 487, "", -1, 35213262, 100, 13.830, "K/sec" },
	};
	static const struct want tab[] = {
		{ "task-clock", OK, 10.43, "msec", -1, 10434619, 100, 0.995, "CPUs utilized" },
		{ "cycles", NS, 0, "", -1, 0, 100, 0, NULL },
	};
	struct ps_result r = PS_RESULT_INIT;

	(void)state;
	assert_int_equal(parse_fixture("perf6.1-semicolon-nopmu.csv", ';', &r), 0);
	check_counters(&r, semi, ARRAY_SIZE(semi));
	ps_result_release(&r);
	assert_int_equal(parse_fixture("perf6.1-tab-nopmu.csv", '\t', &r), 0);
	check_counters(&r, tab, ARRAY_SIZE(tab));
	ps_result_release(&r);
	/* The wrong separator is an error, not a misparse. */
	assert_int_equal(parse_fixture("perf6.1-semicolon-nopmu.csv", ',', &r), PG_EPARSE);
	ps_result_release(&r);
}

static void test_nonroot_user_suffix(void **state)
{
	static const struct want w[] = {
		{ "task-clock:u", OK, 29.23, "msec", 6.86, 29227018, 100, 0.894, "CPUs utilized" },
		{ "cycles:u", NS, 0, "", 0, 0, 100, 0, NULL },
		{ "instructions:u", NS, 0, "", 0, 0, 100, 0, NULL },
		{ "page-faults:u", OK, 457, "", 1.58, 29227018, 100, 13.786, "K/sec" },
	};
	struct ps_result r = PS_RESULT_INIT;

	(void)state;
	assert_int_equal(parse_fixture("perf6.1-r3-nonroot-u.csv", ',', &r), 0);
	check_counters(&r, w, ARRAY_SIZE(w));
	assert_ptr_equal(ps_find(&r, "instructions"), &r.c[2]);
	assert_ptr_equal(ps_find(&r, "task-clock"), &r.c[0]);
	assert_ptr_equal(ps_find(&r, "task-clock:u"), &r.c[0]);
	ps_result_release(&r);
}

static void test_not_counted(void **state)
{
	static const struct want w[] = {
		{ "task-clock", NC, 0, "msec", -1, 0, 100, 0, NULL },
		{ "page-faults", NC, 0, "", -1, 0, 100, 0, NULL },
		{ "cycles", NS, 0, "", -1, 0, 100, 0, NULL },
	};
	static const struct want w3[] = {
		{ "task-clock", NC, 0, "msec", 0, 0, 100, 0, NULL },
		{ "page-faults", NC, 0, "", 0, 0, 100, 0, NULL },
	};
	static const struct want gated[] = {
		{ "task-clock", OK, 9.02, "msec", -1, 9022489, 100, 0.893, "CPUs utilized" },
		{ "page-faults", OK, 490, "", -1, 9022489, 100, 54.309, "K/sec" },
	};
	struct ps_result r = PS_RESULT_INIT;

	(void)state;
	assert_int_equal(parse_fixture("perf6.1-D-1-not-counted.csv", ',', &r), 0);
	check_counters(&r, w, ARRAY_SIZE(w));
	ps_result_release(&r);
	assert_int_equal(parse_fixture("perf6.1-r3-D-1-not-counted.csv", ',', &r), 0);
	check_counters(&r, w3, ARRAY_SIZE(w3));
	ps_result_release(&r);
	assert_int_equal(parse_fixture("perf6.1-control-fd-gated.csv", ',', &r), 0);
	check_counters(&r, gated, ARRAY_SIZE(gated));
	ps_result_release(&r);
}

/* Real event names that contain the separator (software PMU terms). */
static void test_event_names_with_commas(void **state)
{
	static const struct want w[] = {
		{ "software/config=2,period=1000/", OK, 460, "", -1, 9245924, 100, 49.752, "K/sec" },
		{ "software/config=2/", OK, 460, "", -1, 9245924, 100, 49.752, "K/sec" },
		{ "task-clock", OK, 9.25, "msec", -1, 9245924, 100, 0.973, "CPUs utilized" },
		{ "software/config=0x2,config1=0/", OK, 460, "", -1, 9245924, 100, 49.752, "K/sec" },
	};
	static const struct want w3[] = {
		{ "software/config=2,period=1000/", OK, 470, "", 1.05, 7821982, 100, 53.190, "K/sec" },
		{ "task-clock", OK, 7.82, "msec", 7.37, 7821982, 100, 0.909, "CPUs utilized" },
	};
	struct ps_result r = PS_RESULT_INIT;

	(void)state;
	assert_int_equal(parse_fixture("perf6.1-software-pmu-terms.csv", ',', &r), 0);
	check_counters(&r, w, ARRAY_SIZE(w));
	assert_ptr_equal(ps_find(&r, "software/config=2,period=1000/"), &r.c[0]);
	ps_result_release(&r);
	assert_int_equal(parse_fixture("perf6.1-r3-software-pmu-terms.csv", ',', &r), 0);
	check_counters(&r, w3, ARRAY_SIZE(w3));
	ps_result_release(&r);
}

/* ---- hand-made PMU and newer-perf layouts ---------------------------- */

static void test_pmu_multiplexed(void **state)
{
	static const struct want w[] = {
		{ "task-clock", OK, 226.21, "msec", 0.73, 226207955, 100, 0.987, "CPUs utilized" },
		{ "cycles", OK, 812345678, "", 0.41, 180912345, 79.98, 3.591, "GHz" },
		{ "instructions", OK, 1523456789, "", 0.02, 180923456, 79.99, 1.88, "insn per cycle" },
		{ "branches", OK, 301234567, "", 0.03, 180934567, 80.00, 1.332, "G/sec" },
		{ "branch-misses", OK, 1234567, "", 2.10, 180945678, 80.01, 0.41, "of all branches" },
		{ "cache-references", OK, 4567890, "", 1.20, 180956789, 80.02, 20.193, "M/sec" },
		{ "cache-misses", OK, 123456, "", 3.40, 180967890, 80.01, 2.703, "of all cache refs" },
		{ "LLC-loads", NC, 0, "", 0, 0, 0, 0, NULL },
		{ "cpu/event=0x2e,umask=0x41/", OK, 9876543, "", 4.10, 45234567, 20.00, 0, NULL },
		{ "instructions:u", OK, 1512345678, "", 0.02, 180923456, 79.99, 1.86, "insn per cycle" },
		{ "page-faults", OK, 477, "", 0.24, 226207955, 100, 2.108, "K/sec" },
	};
	struct ps_result r = PS_RESULT_INIT;

	(void)state;
	assert_int_equal(parse_fixture("handmade-pmu-r3-multiplexed.csv", ',', &r), 0);
	check_counters(&r, w, ARRAY_SIZE(w));
	/* An exact name wins over a modifier match. */
	assert_ptr_equal(ps_find(&r, "instructions"), &r.c[2]);
	assert_ptr_equal(ps_find(&r, "instructions:u"), &r.c[9]);
	assert_ptr_equal(ps_find(&r, "cpu/event=0x2e,umask=0x41/"), &r.c[8]);
	ps_result_release(&r);
}

static void test_pmu_group_raw(void **state)
{
	static const struct want w[] = {
		{ "task-clock", OK, 212.63, "msec", -1, 212628856, 100, 1.002, "CPUs utilized" },
		{ "cycles", OK, 801234567, "", -1, 212628856, 100, 3.768, "GHz" },
		{ "instructions", OK, 1498765432, "", -1, 212628856, 100, 1.87, "insn per cycle" },
		{ "r412e", OK, 45678, "", -1, 212628856, 100, 0, NULL },
		{ "cpu/event=0x3c,umask=0x0,cmask=1/u", OK, 3456789, "", -1, 106314428, 50.00, 0, NULL },
	};
	struct ps_result r = PS_RESULT_INIT;

	(void)state;
	assert_int_equal(parse_fixture("handmade-pmu-group-raw.csv", ',', &r), 0);
	check_counters(&r, w, ARRAY_SIZE(w));
	ps_result_release(&r);
}

static void test_extra_metric_lines(void **state)
{
	static const struct want w[] = {
		{ "cycles", OK, 801234567, "", -1, 212628856, 100, 3.768, "GHz" },
		{ "stalled-cycles-frontend", OK, 200123456, "", -1, 212628856, 100, 24.98, "frontend cycles idle" },
		{ "instructions", OK, 1498765432, "", -1, 212628856, 100, 1.87, "insn per cycle" },
		{ "page-faults", OK, 477, "", -1, 212628856, 100, 2.243, "K/sec" },
	};
	static const struct want t[] = {
		{ "TOPDOWN.SLOTS", OK, 4677067630, "", -1, 16029302700ULL, 100, 31.1, "%  tma_backend_bound" },
		{ "topdown-retiring", OK, 476781750, "", -1, 16029302700ULL, 100, 0, NULL },
		{ "cpu/UOPS_DECODED.DEC0,cmask=1/", OK, 26472844, "", -1, 16029009707ULL, 100, 0, NULL },
	};
	struct ps_result r = PS_RESULT_INIT;

	(void)state;
	assert_int_equal(parse_fixture("handmade-pmu-extra-metric-line.csv", ',', &r), 0);
	check_counters(&r, w, ARRAY_SIZE(w));
	ps_result_release(&r);
	assert_int_equal(parse_fixture("handmade-perf6.12-threshold-column.csv", ',', &r), 0);
	check_counters(&r, t, ARRAY_SIZE(t));
	ps_result_release(&r);
}

/* ---- malformed input ------------------------------------------------- */

static const struct {
	const char *file;
	char sep;
	const char *line;
	const char *msg;
	size_t kept;
} bad_files[] = {
	{ "bad-truncated-line.csv", ',', "line 4:", "no run time and running percentage in '477,,page-faults,0.24%,2262'", 1 },
	{ "bad-too-few-fields.csv", ',', "line 1:", "too few fields", 0 },
	{ "bad-value.csv", ',', "line 1:", "bad counter value '22x6.21'", 0 },
	{ "bad-value-overflow.csv", ',', "line 1:", "bad counter value '1.5e999'", 0 },
	{ "bad-decimal-comma.csv", ',', "line 1:", "decimal comma: run perf with LC_ALL=C", 0 },
	{ "bad-decimal-comma-integer.csv", ',', "line 1:", "decimal comma: run perf with LC_ALL=C", 0 },
	{ "bad-decimal-comma-semicolon.csv", ';', "line 1:", "decimal comma: run perf with LC_ALL=C", 0 },
	{ "bad-interval.csv", ',', "line 1:", "bad counter value '     1.001109831'", 0 },
	{ "bad-interval-not-supported.csv", ',', "line 1:", "bad counter value", 0 },
	{ "bad-per-thread.csv", ',', "line 1:", "bad counter value 'x.test-14001'", 0 },
	{ "bad-status.csv", ',', "line 1:", "bad counter value '<not available>'", 0 },
	{ "bad-variance.csv", ',', "line 1:", "bad variance 'abc%'", 0 },
	{ "bad-empty-event.csv", ',', "line 1:", "empty event name", 0 },
	{ "bad-run-time.csv", ',', "line 1:", "no run time", 0 },
	{ "bad-extra-fields.csv", ',', "line 1:", "no run time", 0 },
};

static void test_malformed_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad_files); i++) {
		struct ps_result r = PS_RESULT_INIT;
		char where[128];

		nmsg = 0;
		if (parse_fixture(bad_files[i].file, bad_files[i].sep, &r) != PG_EPARSE)
			fail_msg("'%s' was accepted", bad_files[i].file);
		assert_int_equal(nmsg, 1);
		snprintf(where, sizeof(where), "perfgo: error: '%s' %s",
			 bad_files[i].file, bad_files[i].line);
		assert_contains(last_msg, where);
		assert_contains(last_msg, bad_files[i].msg);
		/* Lines before the bad one were parsed and are kept. */
		assert_int_equal(r.nr, bad_files[i].kept);
		ps_result_release(&r);
	}
}

/* Interval output with "<not supported>" puts it in the unit column. */
static void test_interval_not_supported_unit(void **state)
{
	const char text[] = "1.001109831,<not supported>,,cycles,0,100.00,,\n";
	struct ps_result r = PS_RESULT_INIT;

	(void)state;
	assert_int_equal(ps_parse_csv(text, strlen(text), ',', "i.csv", &r), PG_EPARSE);
	assert_contains(last_msg, "bad unit (interval or per-thread output is not supported) '<not supported>'");
	ps_result_release(&r);
}

/* Sizes, not strlen(): two cases hold a NUL. */
#define T(s) { s, sizeof(s) - 1 }
static const struct {
	const char *text;
	size_t len;
} bad_inline[] = {
	T("226,21,msec,task-clock,226207955,100.00,0.987,CPUs utilized\n"),
	T("477,,page-faults,226207955,100,2.108,K/sec\n"),
	T("477,,page-faults,226207955,100.00,2.108\n"),
	T("477,,page-faults,226207955,100.00,x,K/sec\n"),
	T("477,,page-faults,226207955,-1.00,,\n"),
	T("477,,page-faults,226207955,100.00,,,,\n"),
	T(",,cycles,0,100.00,,\n"),
	T("477,,,,226207955,100.00,,\n"),
	T("477,,page-faults,,226207955,100.00,,\n"),
	T("477\n"),
	T("477,,page-faults,2262079551234567890123,100.00,,\n"),
	T("nan,,page-faults,226207955,100.00,,\n"),
	T("0x1p3\0,,page-faults,226207955,100.00,,\n"),
	T("26472844,,\0\0cpu/x,y/,16029009707,100.00,,\n"),
};

static void test_malformed_inline(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad_inline); i++) {
		struct ps_result r = PS_RESULT_INIT;
		const char *t = bad_inline[i].text;

		if (ps_parse_csv(t, bad_inline[i].len, ',', "x.csv", &r) != PG_EPARSE)
			fail_msg("case %zu accepted: '%s'", i, t);
		assert_int_equal(r.nr, 0);
		ps_result_release(&r);
	}
	assert_contains(last_msg, "line 1: NUL byte");
}
#undef T

static void test_bad_separator(void **state)
{
	static const char seps[] = { '\0', '.', '%', '<', '-', '5', 'a', '\n' };
	const char text[] = "477,,page-faults,1,100.00,,\n";
	struct ps_result r = PS_RESULT_INIT;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(seps); i++) {
		assert_int_equal(ps_parse_csv(text, strlen(text), seps[i], "x", &r), PG_EUSAGE);
		assert_contains(last_msg, "cannot delimit");
	}
	assert_int_equal(r.nr, 0);
}

static void test_layout_oddities(void **state)
{
	/* CRLF, no final newline, comments, blank and blank-ish lines. */
	const char text[] = "# started on Mon Nov 23 19:28:50 2026\r\n\r\n  \t\n"
			    "  # indented comment\n"
			    "490,,page-faults,30429812,100.00,14.729,K/sec\r\n"
			    "1,,old-perf-no-metric,5,100.00";
	const char empty[] = "";
	struct ps_result r = PS_RESULT_INIT;

	(void)state;
	assert_int_equal(ps_parse_csv(empty, 0, ',', NULL, &r), 0);
	assert_int_equal(r.nr, 0);
	assert_int_equal(ps_parse_csv(text, strlen(text), ',', NULL, &r), 0);
	assert_int_equal(r.nr, 2);
	assert_string_equal(r.c[0].metric_unit, "K/sec");
	assert_string_equal(r.c[1].event, "old-perf-no-metric");
	assert_false(r.c[1].has_metric);
	assert_true(r.c[1].run_time_ns == 5);

	/* Appends, and the default name shows in errors. */
	assert_int_equal(ps_parse_csv("bogus\n", 6, ',', NULL, &r), PG_EPARSE);
	assert_int_equal(r.nr, 2);
	assert_contains(last_msg, "'<input>' line 1");
	ps_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_r3_nopmu, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_nopmu_no_variance, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_time_tool_events, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_modifiers_and_tracepoints, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_other_separators, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_nonroot_user_suffix, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_not_counted, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_event_names_with_commas, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_pmu_multiplexed, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_pmu_group_raw, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_extra_metric_lines, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_malformed_files, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_interval_not_supported_unit, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_malformed_inline, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_bad_separator, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_layout_oddities, setup_capture, teardown_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
