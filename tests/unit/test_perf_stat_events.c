/*
 * Unit tests for harness/collect/perf_stat.c: event lookup (ps_find), unit
 * conversion (ps_value_base) and perf's event-list syntax
 * (ps_split_events, ps_event_members).  Fixtures: perf_stat_fixture.h.
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

/* ---- ps_find, ps_value_base ------------------------------------------ */

static void test_find(void **state)
{
	const char text[] = "1,,instructions:u,1,100.00,,\n"
			    "2,,instructions,1,100.00,,\n"
			    "3,,cycles:ukppp,1,100.00,,\n"
			    "4,,cycles:upx,1,100.00,,\n"
			    "5,,cpu/cycles/,1,100.00,,\n";
	struct ps_result r = PS_RESULT_INIT;

	(void)state;
	assert_int_equal(ps_parse_csv(text, strlen(text), ',', "f", &r), 0);
	assert_near(must_find(&r, "instructions")->value, 2);
	assert_near(must_find(&r, "instructions:u")->value, 1);
	assert_near(must_find(&r, "cycles")->value, 3);
	assert_near(must_find(&r, "cpu/cycles/")->value, 5);
	assert_null(ps_find(&r, "cycles:up"));
	assert_null(ps_find(&r, "instr"));
	assert_null(ps_find(&r, ""));
	assert_null(ps_find(&r, NULL));
	assert_null(ps_find(NULL, "cycles"));
	ps_result_release(&r);
}

static void test_value_base(void **state)
{
	static const struct { const char *unit; double v, base; int is_time; } cases[] = {
		{ "ns", 7, 7, 1 }, { "usec", 2.5, 2500, 1 }, { "msec", 30.43, 30.43e6, 1 },
		{ "sec", 1.5, 1.5e9, 1 }, { "", 477, 477, 0 }, { "Joules", 3.5, 3.5, 0 },
		{ "MiB", 12, 12, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ps_counter c = { 0 };
		int is_time = -1;

		c.unit = (char *)cases[i].unit;
		c.value = cases[i].v;
		assert_near(ps_value_base(&c, &is_time), cases[i].base);
		assert_int_equal(is_time, cases[i].is_time);
		assert_near(ps_value_base(&c, NULL), cases[i].base);
	}
}

/* ---- ps_split_events, ps_event_members ------------------------------- */

static const struct {
	const char *spec;
	const char *want[5];
} split_cases[] = {
	{ "cycles", { "cycles" } },
	{ "cycles,instructions", { "cycles", "instructions" } },
	{ " cycles , instructions\t", { "cycles", "instructions" } },
	{ "cpu/event=0x2e,umask=0x41/,cycles", { "cpu/event=0x2e,umask=0x41/", "cycles" } },
	{ "cpu/event=0x2e,umask=0x41/u,r412e", { "cpu/event=0x2e,umask=0x41/u", "r412e" } },
	{ "{cycles,instructions}:S,branches", { "{cycles,instructions}:S", "branches" } },
	{ "{cpu/event=1,umask=2/,cycles}:u", { "{cpu/event=1,umask=2/,cycles}:u" } },
	{ "cycles:u,r412e,cpu/cycles/,sched:sched_switch",
	  { "cycles:u", "r412e", "cpu/cycles/", "sched:sched_switch" } },
	{ "mem:0x1000/8:rw,cycles", { "mem:0x1000/8:rw", "cycles" } },
	{ "{mem:0x1000/8,cycles},task-clock", { "{mem:0x1000/8,cycles}", "task-clock" } },
	{ "L1-dcache-load-misses,LLC-loads", { "L1-dcache-load-misses", "LLC-loads" } },
};

static void test_split_events(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(split_cases); i++) {
		struct strvec sv = STRVEC_INIT;
		size_t n = 0;

		strvec_push(&sv, "existing");
		if (ps_split_events(split_cases[i].spec, &sv))
			fail_msg("'%s' rejected: %s", split_cases[i].spec, last_msg);
		while (n < ARRAY_SIZE(split_cases[i].want) && split_cases[i].want[n])
			n++;
		assert_int_equal(sv.nr, n + 1);
		assert_string_equal(sv.v[0], "existing");
		for (size_t j = 0; j < n; j++)
			assert_string_equal(sv.v[j + 1], split_cases[i].want[j]);
		assert_null(sv.v[sv.nr]);
		strvec_clear(&sv);
	}
	assert_int_equal(nmsg, 0);
}

static const struct {
	const char *spec;
	const char *msg;
} split_bad[] = {
	{ "", "empty event" },
	{ "  ", "empty event" },
	{ "cycles,,instructions", "empty event" },
	{ "cycles,", "empty event" },
	{ ",cycles", "empty event" },
	{ "cycles, ,instructions", "empty event" },
	{ "{cycles,instructions", "unbalanced" },
	{ "cycles}", "unbalanced" },
	{ "{cycles}},x", "unbalanced" },
	{ "cpu/event=1,umask=2", "unbalanced" },
	{ "cycles,cpu/event=1/,x/", "unbalanced" },
	{ "{}", "empty event" },
};

static void test_split_events_rejects(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(split_bad); i++) {
		struct strvec sv = STRVEC_INIT;

		nmsg = 0;
		strvec_push(&sv, "existing");
		if (ps_split_events(split_bad[i].spec, &sv) != PG_EUSAGE)
			fail_msg("'%s' accepted", split_bad[i].spec);
		/* All or nothing. */
		assert_int_equal(sv.nr, 1);
		assert_int_equal(nmsg, 1);
		assert_contains(last_msg, split_bad[i].msg);
		strvec_clear(&sv);
	}
}

static const struct {
	const char *event;
	const char *want[4];
} member_cases[] = {
	{ "{a,b}:S", { "a", "b" } },
	{ "{cycles,instructions}", { "cycles", "instructions" } },
	{ "{ cpu/event=1,umask=2/ , cycles }:u", { "cpu/event=1,umask=2/", "cycles" } },
	{ "cycles:u", { "cycles:u" } },
	{ "cpu/event=0x2e,umask=0x41/", { "cpu/event=0x2e,umask=0x41/" } },
	{ "sched:sched_switch", { "sched:sched_switch" } },
	{ "{a", { "{a" } },
	{ "{a,,b}", { "a", "b" } },
	{ "{}", { NULL } },
};

static void test_event_members(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(member_cases); i++) {
		struct strvec sv = STRVEC_INIT;
		size_t n = 0;

		ps_event_members(member_cases[i].event, &sv);
		while (n < ARRAY_SIZE(member_cases[i].want) && member_cases[i].want[n])
			n++;
		if (sv.nr != n)
			fail_msg("'%s': %zu members, want %zu", member_cases[i].event, sv.nr, n);
		for (size_t j = 0; j < n; j++)
			assert_string_equal(sv.v[j], member_cases[i].want[j]);
		strvec_clear(&sv);
	}
}

/* What perfgo does with a -e list: split, expand, look the members up. */
static void test_split_members_find(void **state)
{
	struct strvec ev = STRVEC_INIT, members = STRVEC_INIT;
	struct ps_result r = PS_RESULT_INIT;

	(void)state;
	assert_int_equal(ps_split_events("cycles:u,r412e,instructions:u,L1-dcache-load-misses,"
					  "cpu-clock:u,sched:sched_switch,syscalls:sys_enter_write,"
					  "{task-clock,page-faults}", &ev), 0);
	assert_int_equal(ev.nr, 8);
	for (size_t i = 0; i < ev.nr; i++)
		ps_event_members(ev.v[i], &members);
	assert_int_equal(members.nr, 9);
	assert_int_equal(parse_fixture("perf6.1-modifiers-tracepoints.csv", ',', &r), 0);
	for (size_t i = 0; i < members.nr; i++)
		assert_ptr_equal(must_find(&r, members.v[i]), &r.c[i]);
	ps_result_release(&r);
	strvec_clear(&ev);
	strvec_clear(&members);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_find, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_value_base, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_split_events, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_split_events_rejects, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_event_members, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_split_members_find, setup_capture, teardown_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
