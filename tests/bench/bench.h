#ifndef PERFGO_BENCH_TIMING_H
#define PERFGO_BENCH_TIMING_H

/*
 * Timing for `make bench` programs: each measures ROUNDS rounds and
 * prints the best and the median.  Header-only: every bench is one .c file.
 */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ROUNDS 5

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts t[0..ROUNDS) and prints "what  best ... median ...  extra". */
static inline void bench_report(const char *what, double *t, const char *extra)
{
	qsort(t, ROUNDS, sizeof(*t), bench_cmp_double);
	printf("%-52s best %8.2f ms  median %8.2f ms  %s\n", what, t[0] * 1e3,
	       t[ROUNDS / 2] * 1e3, extra);
}

#endif
