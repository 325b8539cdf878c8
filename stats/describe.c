/*
 * One-sample summaries: location, spread, quantiles and the
 * distribution-free confidence interval of a quantile from order
 * statistics (the interval benchstat prints as "± x%").
 */
#include <math.h>
#include <stdlib.h>

#include "stats.h"
#include "stats_int.h"

double quantile_sorted(const double *s, size_t n, double p)
{
	/* R's type 7, written as R writes it so results match bit for bit. */
	double index = (double)(n - 1) * p;
	size_t lo = (size_t)floor(index), hi = (size_t)ceil(index);
	double h = index - (double)lo;

	if (hi >= n)
		hi = n - 1;
	if (h == 0.0 || s[hi] == s[lo])
		return s[lo];
	return (1.0 - h) * s[lo] + h * s[hi];
}

int stats_quantile(const double *x, size_t n, double p, double *out)
{
	double *s;
	int err;

	if (!x || !n || !out || !(p >= 0.0 && p <= 1.0) || !stats_all_finite(x, n))
		return STATS_EINVAL;
	err = stats_sorted_copy(x, n, &s);
	if (err)
		return err;
	*out = quantile_sorted(s, n, p);
	free(s);
	return 0;
}

size_t stats_outliers(const double *x, size_t n, double center, double lim)
{
	size_t off = 0;

	for (size_t i = 0; i < n; i++)
		off += fabs(x[i] - center) > lim * fabs(center);
	return off;
}

int stats_repeats(const double *x, size_t n, double lim, int *out)
{
	double median;
	int err = stats_quantile(x, n, 0.5, &median);

	if (err)
		return err;
	*out = 2 * stats_outliers(x, n, median, lim) < n;
	return 0;
}

static double binom_pmf(size_t n, double q, long k)
{
	if (k < 0 || (size_t)k > n)
		return 0.0;
	if (q == 0.0)
		return k == 0;
	if (q == 1.0)
		return (size_t)k == n;
	return exp(lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma((double)(n - k) + 1.0) +
		   k * log(q) + (double)(n - k) * log1p(-q));
}

/*
 * The sampling distribution of order statistics is binomial: k ~ Bin(n, q)
 * values fall below the population quantile, so the quantile lies
 * between order statistics l and r (1-based) with probability
 * P(l <= k < r).  For small n, grow [l, r) from the mode, always taking
 * the more probable neighbour (the left one on ties, as go-moremath
 * does), until the mass reaches `conf`.
 */
static void ci_exact(size_t n, double q, double conf, long *l, long *r, double *acc)
{
	long x = (long)ceil((double)(n + 1) * q) - 1;

	if (q == 0.0)
		x = 0;
	*acc = binom_pmf(n, q, x);
	*l = x;
	*r = x + 1;
	double lp = binom_pmf(n, q, *l - 1), rp = binom_pmf(n, q, *r);

	while (*acc < conf && (lp > 0.0 || rp > 0.0)) {
		if (lp >= rp) {
			*acc += lp;
			(*l)--;
			lp = binom_pmf(n, q, *l - 1);
		} else {
			*acc += rp;
			(*r)++;
			rp = binom_pmf(n, q, *r);
		}
	}
}

static double band(double mu, double sd, long l, long r)
{
	return norm_cdf(((double)r - 0.5 - mu) / sd) - norm_cdf(((double)l - 0.5 - mu) / sd);
}

/* Large n: normal approximation with continuity correction, then try left-biasing. */
static void ci_normal(size_t n, double q, double conf, long *l, long *r, double *acc)
{
	double mu = (double)n * q, sd = sqrt((double)n * q * (1.0 - q));
	double l1 = mu + sd * norm_quantile((1.0 - conf) / 2.0);
	double r1 = 2.0 * mu - l1;

	*l = (long)floor(floor(l1 - 0.5) + 0.5) + 1;
	*r = (long)floor(ceil(r1 - 0.5) + 0.5) + 1;
	*acc = band(mu, sd, *l, *r);
	double biased = band(mu, sd, *l, *r - 1);

	if (biased >= conf && biased < *acc) {
		*acc = biased;
		(*r)--;
	}
	if (*l <= 0 && *r >= (long)n + 1)
		*acc = 1.0;
}

void quantile_ci_orders(size_t n, double q, double conf, size_t *lo, size_t *hi,
		double *achieved)
{
	/*
	 * The orders depend on (n, q, conf) only, and a comparison asks for
	 * the same ones thousands of times: remember the last answer (per
	 * thread, so the function stays safe to call from several).
	 */
	static _Thread_local struct {
		int valid;
		size_t n, lo, hi;
		double q, conf, acc;
	} last;
	long l, r;
	double acc;

	if (last.valid && last.n == n && last.q == q && last.conf == conf) {
		*lo = last.lo;
		*hi = last.hi;
		*achieved = last.acc;
		return;
	}

	if (conf >= 1.0 || n == 0 || (n > 30 && (q <= 0.0 || q >= 1.0))) {
		*lo = 0;
		*hi = n + 1;
		*achieved = 1.0;
		return;
	}
	if (n <= 30)
		ci_exact(n, q, conf, &l, &r, &acc);
	else
		ci_normal(n, q, conf, &l, &r, &acc);
	if (l < 0)
		l = 0;
	if (r > (long)n + 1)
		r = (long)n + 1;
	*lo = (size_t)l;
	*hi = (size_t)r;
	*achieved = acc;
	last.n = n;
	last.q = q;
	last.conf = conf;
	last.lo = *lo;
	last.hi = *hi;
	last.acc = acc;
	last.valid = 1;
}

/*
 * Mean and SD the plain way; values near DBL_MAX overflow the sum or the
 * squares, and only then are they scaled (so ordinary data gives exactly
 * the plain result).
 */
static void moments(struct summary *s, const double *x, size_t n)
{
	double sum = 0.0, ss = 0.0, scale = 0.0;

	for (size_t i = 0; i < n; i++)
		sum += x[i];
	s->mean = sum / (double)n;
	if (!isfinite(s->mean)) {
		/* A running mean: never beyond the largest |x|, exact for a constant. */
		s->mean = 0.0;
		for (size_t i = 0; i < n; i++)
			s->mean += (x[i] / 2.0 - s->mean / 2.0) / (double)(i + 1) * 2.0;
	}
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - s->mean) * (x[i] - s->mean);
	if (!isfinite(ss)) {
		for (size_t i = 0; i < n; i++)
			scale = fmax(scale, fabs(x[i] / 2.0 - s->mean / 2.0));
		ss = 0.0;
		for (size_t i = 0; i < n; i++) {
			double d = (x[i] / 2.0 - s->mean / 2.0) / scale;

			ss += d * d;
		}
	}
	s->sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
	if (scale > 0.0)
		s->sd = s->sd * scale * 2.0;
	if (s->sd == 0.0)
		s->cv = 0.0;
	else if (s->mean == 0.0)
		s->cv = INFINITY;
	else
		s->cv = s->sd / fabs(s->mean);
}

int summary_compute(struct summary *s, const double *x, size_t n, double conf)
{
	double *v = NULL;
	size_t lo, hi;
	int err;

	if (!s || !x || !n || !(conf > 0.0 && conf < 1.0) || !stats_all_finite(x, n))
		return STATS_EINVAL;
	err = stats_sorted_copy(x, n, &v);
	if (err)
		return err;
	s->n = n;
	moments(s, x, n);
	s->min = v[0];
	s->max = v[n - 1];
	s->constant = v[0] == v[n - 1];
	s->q1 = quantile_sorted(v, n, 0.25);
	s->median = stats_median_sorted(v, n);
	s->q3 = quantile_sorted(v, n, 0.75);

	quantile_ci_orders(n, 0.5, conf, &lo, &hi, &s->ci_conf);
	s->ci_lo = lo >= 1 ? v[lo - 1] : -INFINITY;
	s->ci_hi = hi <= n ? v[hi - 1] : INFINITY;
	s->ci_ok = lo >= 1 && hi <= n;

	/* Reuse the copy for the absolute deviations. */
	for (size_t i = 0; i < n; i++)
		v[i] = fabs(v[i] - s->median);
	stats_sort(v, n);
	s->mad = 1.4826 * stats_median_sorted(v, n);
	free(v);
	return 0;
}

int stats_geomean(const double *x, size_t n, double *out)
{
	double sum = 0.0;

	if (!x || !n || !out || !stats_all_finite(x, n))
		return STATS_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (x[i] <= 0.0)
			return STATS_EDOMAIN;
		sum += log(x[i]);
	}
	*out = exp(sum / (double)n);
	return 0;
}
