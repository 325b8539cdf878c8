/*
 * Unit tests for harness/collect/callgrind.c: callgrind's totals from out
 * files recorded on this machine (valgrind 3.19, go1.19, tests/data/callgrind/
 * README.txt), valgrind's log lines, and malformed input.  Run from the
 * repository root: fixtures are read by relative path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "common.h"
#include "collect/callgrind.h"
#include "util/buf.h"
#include "util/usage.h"

#define DATA "tests/data/callgrind/"

static int parse_fixture(const char *file, struct cg_result *r)
{
	struct buf b = BUF_INIT;
	char path[256];
	int ret;

	snprintf(path, sizeof(path), DATA "%s", file);
	read_fixture(&b, path);
	ret = cg_parse(b.buf, b.len, file, r);
	buf_release(&b);
	return ret;
}

static int parse_str(const char *s, struct cg_result *r)
{
	return cg_parse(s, strlen(s), "test", r);
}

static uint64_t count_of(const struct cg_result *r, const char *ev)
{
	uint64_t v = 0;

	if (cg_count(r, ev, &v))
		fail_msg("no event '%s'", ev);
	return v;
}

/* With --branch-sim=yes: 13 events, every count present. */
static void test_out_file_branch_sim(void **state)
{
	struct cg_result r = CG_RESULT_INIT;
	static const uint64_t want[] = { 852458, 108816, 10033, 536, 316, 371, 8, 4, 271,
					 110452, 581, 19, 10 };
	static const char *const names[] = { "Ir", "Dr", "Dw", "I1mr", "D1mr", "D1mw", "ILmr",
					     "DLmr", "DLmw", "Bc", "Bcm", "Bi", "Bim" };
	uint64_t v;

	(void)state;
	assert_int_equal(parse_fixture("go1.19-sum-100x-branch.out", &r), 0);
	assert_int_equal(r.nr, 13);
	for (size_t i = 0; i < r.nr; i++) {
		assert_string_equal(r.event[i], names[i]);
		assert_true(r.count[i] == want[i]);
	}
	assert_string_equal(r.creator, "callgrind-3.19.0");
	assert_int_equal(cg_count(&r, "Bogus", &v), -1);
	cg_result_release(&r);
	assert_int_equal(nmsg, 0);
}

/* Trailing zero counts are omitted by callgrind: "summary: 51126 6521 5515 4 1 0 2". */
static void test_out_file_trailing_zeros(void **state)
{
	struct cg_result r = CG_RESULT_INIT;

	(void)state;
	assert_int_equal(parse_fixture("go1.19-sub-500x-nobranch.out", &r), 0);
	assert_int_equal(r.nr, 9);
	assert_true(count_of(&r, "Ir") == 51126);
	assert_true(count_of(&r, "ILmr") == 2);
	assert_true(count_of(&r, "DLmr") == 0);
	assert_true(count_of(&r, "DLmw") == 0);
	cg_result_release(&r);
}

/* valgrind's log on stderr: "==PID== Events    :" and "==PID== Collected :". */
static void test_log(void **state)
{
	struct cg_result r = CG_RESULT_INIT;

	(void)state;
	assert_int_equal(parse_fixture("go1.19-sum-100x-branch.log", &r), 0);
	assert_int_equal(r.nr, 13);
	assert_true(count_of(&r, "Ir") == 852458);
	assert_true(count_of(&r, "Bim") == 10);
	assert_null(r.creator);
	cg_result_release(&r);
}

/* totals over summary over Collected; totals of several parts add up. */
static void test_precedence_and_parts(void **state)
{
	struct cg_result r = CG_RESULT_INIT;

	(void)state;
	assert_int_equal(parse_str("==1== Collected : 7 7\nevents: Ir Dr\nsummary: 30 4\n"
				   "fn=(1) main.f\n16 10 2\ntotals: 10 2\npart: 2\ntotals: 20 2\n",
				   &r), 0);
	assert_true(count_of(&r, "Ir") == 30);
	assert_true(count_of(&r, "Dr") == 4);
	cg_result_release(&r);
	assert_int_equal(parse_str("events: Ir\r\nsummary: 5\r\n==9== Collected : 6\n", &r), 0);
	assert_true(count_of(&r, "Ir") == 5);
	cg_result_release(&r);
	/* No summary nor totals: the log's count; the same events line twice is fine. */
	assert_int_equal(parse_str("events: Ir Dr\n==9== Events : Ir Dr\n==9== Collected : 6\n",
				   &r), 0);
	assert_true(count_of(&r, "Ir") == 6);
	assert_true(count_of(&r, "Dr") == 0);
	cg_result_release(&r);
}

static void expect_parse_error(const char *in, const char *msg)
{
	struct cg_result r = CG_RESULT_INIT;

	capture_reset();
	assert_int_equal(parse_str(in, &r), PG_EPARSE);
	assert_int_equal(nmsg, 1);
	assert_contains(last_msg, msg);
	assert_int_equal(r.nr, 0);
	assert_null(r.creator);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_parse_error("", "no 'events:' line");
	expect_parse_error("summary: 1 2\n", "no 'events:' line");
	expect_parse_error("events: Ir Dr\nfn=(1) x\n", "no 'totals:'");
	expect_parse_error("events: Ir\nsummary: 1 2\n", "more counts than events");
	expect_parse_error("events: Ir Dr\nsummary: 1 x2\n", "not a count");
	expect_parse_error("events: Ir Dr\nsummary: -1\n", "not a count");
	expect_parse_error("events: Ir\nsummary: 18446744073709551616\n", "out of range");
	expect_parse_error("events: Ir\ntotals: 18446744073709551615\ntotals: 1\n",
			   "totals out of range");
	expect_parse_error("events: Ir\nsummary:\n", "no counts");
	expect_parse_error("events:\nsummary: 1\n", "no events");
	expect_parse_error("events: Ir\nevents: Dr\nsummary: 1\n", "second, different events");
	expect_parse_error("events: a b c d e f g h i j k l m n o p q r s t u v w x y z "
			   "A B C D E F G\n", "too many events");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_out_file_branch_sim, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_out_file_trailing_zeros, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_log, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_precedence_and_parts, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_malformed, setup_capture, teardown_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
