/*
 * Per-op counters and derived metrics from two processes' perf counts
 * (the perf stat backend's perf_stat_samples).  These machines have no hardware PMU, so
 * the counts below are written by hand in perf 6.1's CSV layout, including
 * a multiplexed counter (running 50 %) and a :u modifier.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "collect/gobench.h"
#include "collect/perf_stat.h"
#include "measure/backend_perf_stat.h"
#include "measure/samples.h"

/* N/2 = 1000 iterations */
static const char lo_csv[] =
	"# started on Mon Nov 23 18:28:11 2026\n\n"
	"10.00,msec,task-clock,10000000,100.00,0.990,CPUs utilized\n"
	"30000000,,cycles,10000000,100.00,3.000,GHz\n"
	"60000000,,instructions,10000000,100.00,2.00,insn per cycle\n"
	"8000000,,branches,10000000,100.00,800.000,M/sec\n"
	"100000,,branch-misses,10000000,100.00,1.25,of all branches\n"
	"5000,,cache-misses:u,5000000,50.00,,\n"
	"10000,,cache-references:u,10000000,100.00,,\n"
	"<not supported>,,LLC-loads,0,100.00,,\n"
	"40,,page-faults,10000000,100.00,4.000,K/sec\n";

/* N = 2000 iterations: +1000 ops of 5 us, 10k cycles and 25k instructions each */
static const char hi_csv[] =
	"# started on Mon Nov 23 18:28:12 2026\n\n"
	"15.00,msec,task-clock,15000000,100.00,0.990,CPUs utilized\n"
	"40000000,,cycles,15000000,100.00,3.000,GHz\n"
	"85000000,,instructions,15000000,100.00,2.12,insn per cycle\n"
	"10000000,,branches,15000000,100.00,800.000,M/sec\n"
	"150000,,branch-misses,15000000,100.00,1.5,of all branches\n"
	"9000,,cache-misses:u,7500000,50.00,,\n"
	"18000,,cache-references:u,15000000,100.00,,\n"
	"<not supported>,,LLC-loads,0,100.00,,\n"
	"40,,page-faults,15000000,100.00,4.000,K/sec\n";

static const char go_line[] = "BenchmarkX/n=8-2 \t 2000\t 5012 ns/op\t 16 B/op\t 1 allocs/op\t 3.5 widgets/op";

static void test_per_op_and_derived(void **state)
{
	struct ps_result lo = PS_RESULT_INIT, hi = PS_RESULT_INIT;
	struct gb_result go;
	struct rep_samples rs = { 0 };
	const struct sample_row *r;

	(void)state;
	assert_int_equal(ps_parse_csv(lo_csv, strlen(lo_csv), ',', "lo", &lo), 0);
	assert_int_equal(ps_parse_csv(hi_csv, strlen(hi_csv), ',', "hi", &hi), 0);
	assert_int_equal(gb_parse_result(go_line, strlen(go_line), 2, &go), 0);
	perf_stat_samples(&rs, 7, 3, &go, &lo, 1000, &hi, 2000);

	/* Go's metrics lead, as Go printed them, from the N process. */
	assert_string_equal(rs.rows[0].metric, "ns/op");
	assert_true(rs.rows[0].value == 5012.0);
	assert_true(rs.rows[0].flags & SAMPLE_GO);
	assert_non_null(r = rep_samples_find(&rs, "widgets/op"));
	assert_true(r->value == 3.5);
	assert_int_equal(r->rep, 3);
	assert_int_equal(r->bench_id, 7);

	/* (15 ms - 10 ms) / 1000 ops = 5000 ns/op, in nanoseconds. */
	assert_non_null(r = rep_samples_find(&rs, "task-clock-ns/op"));
	assert_true(fabs(r->value - 5000.0) < 1e-6);
	assert_string_equal(r->unit, "ns");
	assert_non_null(r = rep_samples_find(&rs, "cycles/op"));
	assert_true(r->value == 10000.0);
	assert_non_null(r = rep_samples_find(&rs, "instructions/op"));
	assert_true(r->value == 25000.0);
	assert_int_equal(r->iterations, 2000);
	assert_true(r->running == 1.0);
	assert_false(r->flags & SAMPLE_MULTIPLEXED);

	/* A multiplexed counter keeps its lowest running fraction and a flag. */
	assert_non_null(r = rep_samples_find(&rs, "cache-misses:u/op"));
	assert_true(r->value == 4.0);
	assert_true(r->flags & SAMPLE_MULTIPLEXED);
	assert_true(r->running == 0.5);

	/* Unsupported in both: no sample at all. */
	assert_null(rep_samples_find(&rs, "LLC-loads/op"));
	/* Does not scale with N: per-op is 0, not 40/2000. */
	assert_non_null(r = rep_samples_find(&rs, "page-faults/op"));
	assert_true(r->value == 0.0);

	/* Derived from the per-op values, not from perf's whole-run ratios. */
	assert_non_null(r = rep_samples_find(&rs, "IPC"));
	assert_true(fabs(r->value - 2.5) < 1e-12);
	assert_true(r->flags & SAMPLE_DERIVED);
	assert_non_null(r = rep_samples_find(&rs, "branch-miss-%"));
	assert_true(fabs(r->value - 2.5) < 1e-12);	/* 50 / 2000 */
	assert_non_null(r = rep_samples_find(&rs, "cache-miss-%:u"));
	assert_true(fabs(r->value - 50.0) < 1e-12);	/* 4 / 8 */
	assert_true(r->flags & SAMPLE_MULTIPLEXED);
	assert_null(rep_samples_find(&rs, "LLC-miss-%"));

	rep_samples_release(&rs);
	gb_result_release(&go);
	ps_result_release(&lo);
	ps_result_release(&hi);
}

/* -benchtime=1x: one process, its gated count divided by N. */
static void test_single_process(void **state)
{
	struct ps_result one = PS_RESULT_INIT;
	struct gb_result go;
	struct rep_samples rs = { 0 };
	const char line[] = "BenchmarkY \t 1\t 900 ns/op";
	const struct sample_row *r;

	(void)state;
	assert_int_equal(ps_parse_csv(hi_csv, strlen(hi_csv), ',', "one", &one), 0);
	assert_int_equal(gb_parse_result(line, strlen(line), 1, &go), 0);
	perf_stat_samples(&rs, 1, 0, &go, &one, 1, &one, 1);
	assert_non_null(r = rep_samples_find(&rs, "instructions/op"));
	assert_true(r->value == 85000000.0);
	assert_non_null(r = rep_samples_find(&rs, "IPC"));
	assert_true(fabs(r->value - 85.0 / 40.0) < 1e-12);
	rep_samples_release(&rs);
	gb_result_release(&go);
	ps_result_release(&one);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_op_and_derived),
		cmocka_unit_test(test_single_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
