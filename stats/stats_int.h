#ifndef PERFGO_STATS_INT_H
#define PERFGO_STATS_INT_H

/*
 * Helpers shared by the files of stats/ and nothing else: sorting and
 * input validation.  Not part of the API.
 */

#include <stddef.h>

/* qsort() comparator for doubles without NaN. */
int stats_cmp_double(const void *a, const void *b);
/* 1 if every value is finite. */
int stats_all_finite(const double *x, size_t n);
/*
 * Allocate an ascending sorted copy of x[0..n-1] into *out (free() it).
 * Returns 0 or STATS_ENOMEM.
 */
int stats_sorted_copy(const double *x, size_t n, double **out);
/* Median of an ascending sorted array, n >= 1. */
double stats_median_sorted(const double *sorted, size_t n);

/* P(U <= u) under the exact null distribution of U without ties. */
int mwu_exact_cdf(size_t nx, size_t ny, double u, double *p);

#endif
