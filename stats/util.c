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

int stats_sorted_copy(const double *x, size_t n, double **out)
{
	double *c = malloc((n ? n : 1) * sizeof(*c));

	*out = NULL;
	if (!c)
		return STATS_ENOMEM;
	if (n)
		memcpy(c, x, n * sizeof(*c));
	qsort(c, n, sizeof(*c), stats_cmp_double);
	*out = c;
	return 0;
}

double stats_median_sorted(const double *s, size_t n)
{
	if (n % 2)
		return s[n / 2];
	return (s[n / 2 - 1] + s[n / 2]) / 2.0;
}
