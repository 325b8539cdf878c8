/*
 * Small helpers shared inside stats/: comparison, validation, sorted
 * copies, and the error strings of the public API.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "stats_int.h"

const char *stats_strerror(int err)
{
	switch (err) {
	case 0:
		return "";
	case STATS_EINVAL:
		return "invalid sample or option";
	case STATS_EDOMAIN:
		return "values outside the method's domain";
	case STATS_ERANGE:
		return "sample too large for the exact method";
	case STATS_ENOMEM:
		return "out of memory";
	}
	return "unknown statistics error";
}

int stats_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int stats_all_finite(const double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return 0;
	return 1;
}

/*
 * Insertion sort below this many values: a few hundred moves for the 10
 * to 50 repetitions of a benchmark, where qsort()'s merge sort spends
 * more on calls to the comparator.  Both are stable, so the order of
 * equal values (0.0 and -0.0) is the same either way.
 */
#define SMALL_SORT 48

void stats_sort(double *a, size_t n)
{
	if (n > SMALL_SORT) {
		qsort(a, n, sizeof(*a), stats_cmp_double);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		double v = a[i];
		size_t j = i;

		for (; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

int stats_sorted_copy(const double *x, size_t n, double **out)
{
	double *c = malloc((n ? n : 1) * sizeof(*c));

	*out = NULL;
	if (!c)
		return STATS_ENOMEM;
	if (n)
		memcpy(c, x, n * sizeof(*c));
	stats_sort(c, n);
	*out = c;
	return 0;
}

double stats_midpoint(double a, double b)
{
	double m = (a + b) / 2.0;

	/* Near DBL_MAX the sum overflows; halves first cannot (same value otherwise). */
	return isfinite(m) ? m : a / 2.0 + b / 2.0;
}

double stats_median_sorted(const double *s, size_t n)
{
	if (n % 2)
		return s[n / 2];
	return stats_midpoint(s[n / 2 - 1], s[n / 2]);
}

static void swap(double *a, size_t i, size_t j)
{
	double t = a[i];

	a[i] = a[j];
	a[j] = t;
}

void stats_select(double *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1, rounds = 0;

	/*
	 * Quickselect with a median-of-three pivot.  Benchmark data is not
	 * adversarial, but a bad run of pivots falls back to sorting the
	 * remaining range, so the cost stays O(n log n) at worst.
	 */
	while (hi > lo) {
		size_t mid = lo + (hi - lo) / 2, i = lo, j = hi;
		double pivot;

		if (++rounds > 64) {
			qsort(a + lo, hi - lo + 1, sizeof(*a), stats_cmp_double);
			return;
		}
		if (a[mid] < a[lo])
			swap(a, mid, lo);
		if (a[hi] < a[lo])
			swap(a, hi, lo);
		if (a[hi] < a[mid])
			swap(a, hi, mid);
		pivot = a[mid];
		/* Hoare partition: a[lo..j] <= pivot <= a[i..hi]. */
		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				swap(a, i, j);
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

void stats_select_many(double *a, size_t n, const size_t *k, size_t nk)
{
	size_t done = 0;

	/* k[] ascending: each selection leaves larger values to its right. */
	for (size_t i = 0; i < nk; i++) {
		if (k[i] < done)
			continue;
		stats_select(a + done, n - done, k[i] - done);
		done = k[i] + 1;
		if (done >= n)
			break;
	}
}

double stats_quantile_select(double *a, size_t n, double p)
{
	double index = (double)(n - 1) * p;
	size_t lo = (size_t)floor(index), k[2];
	double h = index - (double)lo;

	k[0] = lo;
	k[1] = lo + 1 < n ? lo + 1 : lo;
	stats_select_many(a, n, k, 2);
	if (h == 0.0 || a[k[1]] == a[lo])
		return a[lo];
	return (1.0 - h) * a[lo] + h * a[k[1]];
}

void stats_add_scaled(double *restrict d, const double *restrict s, double f, size_t n)
{
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		d[i] += f * s[i];
		d[i + 1] += f * s[i + 1];
		d[i + 2] += f * s[i + 2];
		d[i + 3] += f * s[i + 3];
	}
	for (; i < n; i++)
		d[i] += f * s[i];
}
