/*
 * Decisions from a per-commit history of one (benchmark, metric):
 * the learned noise threshold (rustc-perf) and the Student-t prediction
 * interval for a new point (Bencher), both from reference §13.3.
 */
#include <math.h>
#include <stdlib.h>

#include "stats.h"
#include "stats_int.h"

int hist_learn_threshold(const double *x, size_t n, size_t window,
		struct hist_threshold *out)
{
	size_t start, m = 0;
	double *d;

	if (!out || (n && !x) || !stats_all_finite(x, n))
		return STATS_EINVAL;
	if (!window)
		window = 30;
	out->theta = 0.0;
	out->nchanges = 0;
	out->warming_up = n < window;
	if (n < 2)
		return 0;
	start = n > window ? n - window : 0;
	d = malloc((n - start) * sizeof(*d));
	if (!d)
		return STATS_ENOMEM;
	for (size_t i = start + 1; i < n; i++) {
		/* A zero predecessor has no relative change; skip the pair. */
		if (x[i - 1] != 0.0)
			d[m++] = fabs(x[i] - x[i - 1]) / fabs(x[i - 1]);
	}
	if (m) {
		double q1, q3;

		qsort(d, m, sizeof(*d), stats_cmp_double);
		q1 = quantile_sorted(d, m, 0.25);
		q3 = quantile_sorted(d, m, 0.75);
		out->theta = q3 + 3.0 * (q3 - q1);
		out->nchanges = m;
	}
	free(d);
	return 0;
}

int hist_predict(const double *hist, size_t n, double x_new, double conf,
		struct hist_pi *out)
{
	double sum = 0.0, ss = 0.0, half, l;

	if (!hist || !out || n < 2 || !(conf > 0.0 && conf < 1.0) ||
	    !stats_all_finite(hist, n) || !isfinite(x_new))
		return STATS_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!(hist[i] > 0.0))
			return STATS_EDOMAIN;
		sum += log(hist[i]);
	}
	if (!(x_new > 0.0))
		return STATS_EDOMAIN;
	out->n = n;
	out->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++) {
		double e = log(hist[i]) - out->mean;

		ss += e * e;
	}
	out->sd = sqrt(ss / (double)(n - 1));
	half = t_quantile(conf, (double)(n - 1)) * out->sd * sqrt(1.0 + 1.0 / (double)n);
	out->lo = exp(out->mean - half);
	out->hi = exp(out->mean + half);
	l = log(x_new);
	out->position = l > out->mean + half ? 1 : l < out->mean - half ? -1 : 0;
	return 0;
}
