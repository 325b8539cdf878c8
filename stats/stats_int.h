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
/* Sort ascending, stably (insertion sort for short arrays, else qsort()). */
void stats_sort(double *a, size_t n);
/*
 * Allocate an ascending sorted copy of x[0..n-1] into *out (free() it).
 * Returns 0 or STATS_ENOMEM.
 */
int stats_sorted_copy(const double *x, size_t n, double **out);
/*
 * Selection: rearrange a[0..n-1] (n >= 1) so that a[k] holds the k-th
 * smallest value (0-based), with nothing larger before it and nothing
 * smaller after it.  stats_select_many() does it for several ascending
 * positions; stats_quantile_select() returns R's type-7 quantile.
 */
void stats_select(double *a, size_t n, size_t k);
void stats_select_many(double *a, size_t n, const size_t *k, size_t nk);
double stats_quantile_select(double *a, size_t n, double p);
/* d[i] += f * s[i] for i < n; d and s do not overlap.  Unrolled by four. */
void stats_add_scaled(double *restrict d, const double *restrict s, double f, size_t n);
/* Median of an ascending sorted array, n >= 1. */
/* (a + b) / 2 without overflow near DBL_MAX. */
double stats_midpoint(double a, double b);
double stats_median_sorted(const double *sorted, size_t n);

/*
 * The exact null distribution of U without ties: counts of U = 0..m*n
 * in a malloc'ed array (free() it) and their total C(m+n, n); its CDF
 * P(U <= u); and R's qwilcox() on it.
 */
int mwu_u_counts(size_t m, size_t n, double **out, double *total);
double mwu_u_cdf(const double *c, size_t mn, double total, double u);
size_t mwu_u_quantile(const double *c, size_t mn, double total, double p);

#endif
