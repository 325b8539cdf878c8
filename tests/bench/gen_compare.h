#ifndef PERFGO_BENCH_GEN_COMPARE_H
#define PERFGO_BENCH_GEN_COMPARE_H

/*
 * The input of the compare benchmark, shared with the unit test that
 * pins its verdicts (tests/unit/test_compare_verdicts.c): a Go benchmark
 * file of GEN_NBENCH benchmarks x GEN_NSAMP repetitions, `go test -count
 * 20` style (each benchmark's repetitions one after the other), with
 * ns/op (log-normal noise, 2 %), B/op and allocs/op on each line; with
 * `slower`, one benchmark in ten is 5 % slower.  Deterministic for a
 * seeded generator: old then new from rng_seed(&r, 7).  Header-only.
 */
#include <math.h>

#include "util/buf.h"
#include "stats.h"

#define GEN_NBENCH 1000
#define GEN_NSAMP 20

static inline void gen_compare_file(struct buf *b, struct rng *r, int slower)
{
	buf_addstr(b, "goos: linux\ngoarch: amd64\npkg: example.com/big\ncpu: bench\n");
	for (int k = 0; k < GEN_NBENCH; k++) {
		double center = 100.0 * (1 + k % 37);
		double shift = slower && k % 10 == 0 ? 1.05 : 1.0;

		for (int i = 0; i < GEN_NSAMP; i++)
			buf_addf(b, "BenchmarkOp%04d/size=%d-8\t%8d\t%10.1f ns/op\t%6d B/op\t%4d allocs/op\n",
				 k, 1 << (k % 12), 100000, center * shift * exp(0.02 * rng_normal(r)),
				 64 * (k % 5), k % 5);
	}
	buf_addstr(b, "PASS\nok  \texample.com/big\t123.4s\n");
}

#endif
