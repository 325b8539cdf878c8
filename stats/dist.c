/*
 * Normal and Student t distribution functions.
 *
 * The normal CDF comes from erfc(), which is accurate in both tails; the
 * quantile starts from Abramowitz and Stegun 26.2.23 (error < 4.5e-4)
 * and is polished by Halley steps to full double precision.  The t
 * distribution goes through the regularised incomplete beta function
 * (continued fraction, modified Lentz), and its quantile is a
 * bracketed Newton iteration on the log of the upper tail, which stays
 * well behaved for heavy tails (df = 1).
 */
#include <float.h>
#include <math.h>

#include "stats.h"

double norm_cdf(double z)
{
	return 0.5 * erfc(-z / M_SQRT2);
}

double norm_sf(double z)
{
	return 0.5 * erfc(z / M_SQRT2);
}

static double norm_quantile_lower(double p)
{
	/* p in (0, 0.5]: start from A&S 26.2.23, then Halley. */
	double t = sqrt(-2.0 * log(p));
	double x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
		     (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));

	for (int i = 0; i < 8; i++) {
		double e = norm_cdf(x) - p;
		double u = e * sqrt(2.0 * M_PI) * exp(x * x / 2.0);
		double dx = u / (1.0 + x * u / 2.0);

		x -= dx;
		if (fabs(dx) <= 1e-16 * fmax(1.0, fabs(x)))
			break;
	}
	return x;
}

double norm_quantile(double p)
{
	if (isnan(p) || p < 0.0 || p > 1.0)
		return NAN;
	if (p == 0.0)
		return -INFINITY;
	if (p == 1.0)
		return INFINITY;
	if (p == 0.5)
		return 0.0;
	if (p < 0.5)
		return norm_quantile_lower(p);
	return -norm_quantile_lower(1.0 - p);
}

/* Continued fraction for the incomplete beta (Numerical Recipes betacf). */
static double betacf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double qab = a + b, qap = a + 1.0, qam = a - 1.0;
	double c = 1.0, d = 1.0 - qab * x / qap;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	double h = d;

	for (int m = 1; m <= 10000; m++) {
		int m2 = 2 * m;
		double aa = m * (b - m) * x / ((qam + m2) * (a + m2));

		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		h *= d * c;
		aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		double del = d * c;

		h *= del;
		if (fabs(del - 1.0) < 1e-16)
			break;
	}
	return h;
}

/*
 * I_x(a, b) given both x and y = 1 - x, so that callers that know 1 - x
 * more precisely than the subtraction would give (the t distribution
 * near t = 0) do not lose it.
 */
static double incbeta_xy(double x, double y, double a, double b)
{
	if (x <= 0.0)
		return 0.0;
	if (y <= 0.0)
		return 1.0;
	double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(y);
	double bt = exp(lbt);

	if (x < (a + 1.0) / (a + b + 2.0))
		return bt * betacf(a, b, x) / a;
	return 1.0 - bt * betacf(b, a, y) / b;
}

double incbeta(double x, double a, double b)
{
	if (isnan(x) || !(a > 0.0) || !(b > 0.0))
		return NAN;
	return incbeta_xy(x, 1.0 - x, a, b);
}

/* P(T > t) for t >= 0. */
static double t_upper(double t, double df)
{
	double t2 = t * t;

	if (isinf(t))
		return 0.0;
	/*
	 * P(T > t) = I_x(df/2, 1/2) / 2 with x = df / (df + t^2); pass
	 * 1 - x = t^2 / (df + t^2) directly.
	 */
	return 0.5 * incbeta_xy(df / (df + t2), t2 / (df + t2), df / 2.0, 0.5);
}

double t_sf(double t, double df)
{
	if (isnan(t) || !(df > 0.0))
		return NAN;
	if (t >= 0.0)
		return t_upper(t, df);
	return 1.0 - t_upper(-t, df);
}

double t_cdf(double t, double df)
{
	if (isnan(t) || !(df > 0.0))
		return NAN;
	if (t <= 0.0)
		return t_upper(-t, df);
	return 1.0 - t_upper(t, df);
}

static double t_logpdf(double t, double df)
{
	return lgamma((df + 1.0) / 2.0) - lgamma(df / 2.0) - 0.5 * log(df * M_PI) -
		(df + 1.0) / 2.0 * log1p(t * t / df);
}

/* t > 0 with P(T > t) = q, for 0 < q < 0.5. */
static double t_upper_quantile(double q, double df)
{
	double lo = 0.0, hi = 1.0, t, lq = log(q);

	if (df == 1.0)
		return 1.0 / tan(M_PI * q);
	if (df == 2.0)
		return (1.0 - 2.0 * q) / sqrt(2.0 * q * (1.0 - q));
	while (t_upper(hi, df) > q) {
		lo = hi;
		hi *= 2.0;
		if (hi > 1e300)
			return INFINITY;
	}
	/* Cornish-Fisher start from the normal quantile, kept inside the bracket. */
	double z = -norm_quantile(q);

	t = z + (z * z * z + z) / (4.0 * df);
	if (!(t > lo && t < hi))
		t = (lo + hi) / 2.0;
	for (int i = 0; i < 200; i++) {
		double sf = t_upper(t, df);
		double next;

		if (sf > q)
			lo = t;
		else
			hi = t;
		/* Newton on log(sf): d/dt log(sf) = -pdf / sf. */
		next = t + (log(sf) - lq) * sf / exp(t_logpdf(t, df));
		if (!(next > lo && next < hi))
			next = (lo + hi) / 2.0;
		if (fabs(next - t) <= 4 * DBL_EPSILON * next || hi - lo <= 4 * DBL_EPSILON * hi)
			return next;
		t = next;
	}
	return t;
}

double t_quantile(double p, double df)
{
	if (isnan(p) || p < 0.0 || p > 1.0 || !(df > 0.0))
		return NAN;
	if (p == 0.0)
		return -INFINITY;
	if (p == 1.0)
		return INFINITY;
	if (p == 0.5)
		return 0.0;
	if (p > 0.5)
		return t_upper_quantile(1.0 - p, df);
	return -t_upper_quantile(p, df);
}
