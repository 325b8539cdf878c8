/*
 * Effect size: the ratio head/base with a confidence interval.
 *
 * The default is the Hodges-Lehmann shift on log values: benchmark noise
 * is multiplicative, so a shift of logs is a ratio, and the interval from
 * the Mann-Whitney distribution is distribution-free and consistent with
 * the U test that decides significance.  The percentile bootstrap of the
 * ratio of medians (benchseries' method) is the fallback for data with
 * zeros or negative values, and can be requested.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "stats_int.h"

/* Pairs beyond which the Hodges-Lehmann differences are not materialised (128 MiB). */
#define HL_MAX_PAIRS (1UL << 24)

static double median_ratio(double head, double base)
{
	if (base == 0.0) {
		if (head == 0.0)
			return 1.0;
		return head > 0.0 ? INFINITY : -INFINITY;
	}
	return head / base;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/* Lower order statistic (1-based) of the interval, as R's wilcox.test(). */
static int hl_order_compute(size_t nx, size_t ny, double conf, size_t *qu, double *achieved)
{
	double alpha = 1.0 - conf, mn = (double)nx * (double)ny;
	int err;

	if (nx <= 50 && ny <= 50) {
		double *cnt, total;
		size_t mnz = nx * ny;

		err = mwu_u_counts(nx, ny, &cnt, &total);
		if (err)
			return err;
		/* Exact: qu = qwilcox(alpha/2), the CI is [d(qu), d(mn - qu + 1)]. */
		*qu = mwu_u_quantile(cnt, mnz, total, alpha / 2.0);
		if (*qu == 0)
			*qu = 1;
		/* Achieved level: 1 - 2 P(U <= qu - 1) = P(qu <= U <= mn - qu). */
		*achieved = 1.0 - 2.0 * mwu_u_cdf(cnt, mnz, total, (double)*qu - 1.0);
		free(cnt);
		return 0;
	}
	/* Normal approximation (Hollander and Wolfe), rounded outwards. */
	double sigma = sqrt(mn * ((double)(nx + ny) + 1.0) / 12.0);
	double c = floor(mn / 2.0 - norm_quantile(1.0 - alpha / 2.0) * sigma);

	if (c < 1.0)
		c = 1.0;
	*qu = (size_t)c;
	*achieved = 1.0 - 2.0 * norm_cdf((c - 0.5 - mn / 2.0) / sigma);
	return 0;
}

/*
 * The order depends on (nx, ny, conf) only, and a comparison asks for the
 * same one thousands of times: remember the last answer (per thread).
 */
static int hl_order(size_t nx, size_t ny, double conf, size_t *qu, double *achieved)
{
	static _Thread_local struct {
		int valid;
		size_t nx, ny, qu;
		double conf, achieved;
	} last;
	int err;

	if (last.valid && last.nx == nx && last.ny == ny && last.conf == conf) {
		*qu = last.qu;
		*achieved = last.achieved;
		return 0;
	}
	err = hl_order_compute(nx, ny, conf, qu, achieved);
	if (!err) {
		last.nx = nx;
		last.ny = ny;
		last.conf = conf;
		last.qu = *qu;
		last.achieved = *achieved;
		last.valid = 1;
	}
	return err;
}

int hl_shift(const double *x, size_t nx, const double *y, size_t ny, double conf,
		double *est, double *lo, double *hi, double *achieved)
{
	size_t mn, qu, k = 0;
	double *d;
	int err;

	if (!x || !y || !nx || !ny || !est || !lo || !hi || !achieved ||
	    !(conf > 0.0 && conf < 1.0) || !stats_all_finite(x, nx) ||
	    !stats_all_finite(y, ny))
		return STATS_EINVAL;
	if ((double)nx * (double)ny > (double)HL_MAX_PAIRS)
		return STATS_ERANGE;
	mn = nx * ny;
	d = malloc(mn * sizeof(*d));
	if (!d)
		return STATS_ENOMEM;
	for (size_t i = 0; i < nx; i++)
		for (size_t j = 0; j < ny; j++)
			d[k++] = x[i] - y[j];
	err = hl_order(nx, ny, conf, &qu, achieved);
	if (!err) {
		size_t pos[4], sorted[4];

		if (qu > mn)
			qu = mn;
		/* Only four order statistics are needed: select, do not sort. */
		pos[0] = qu - 1;
		pos[1] = (mn - 1) / 2;
		pos[2] = mn / 2;
		pos[3] = mn - qu;
		memcpy(sorted, pos, sizeof(pos));
		qsort(sorted, 4, sizeof(*sorted), cmp_size);
		stats_select_many(d, mn, sorted, 4);
		*est = (d[pos[1]] + d[pos[2]]) / 2.0;
		*lo = d[pos[0]];
		*hi = d[pos[3]];
	}
	free(d);
	return err;
}

static int all_positive(const double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(x[i] > 0.0))
			return 0;
	return 1;
}

static int effect_hl(const double *base, size_t nb, const double *head, size_t nh,
		double conf, struct effect *out)
{
	double *lb = malloc(nb * sizeof(*lb)), *lh = malloc(nh * sizeof(*lh));
	double est, lo, hi;
	int err = STATS_ENOMEM;

	if (lb && lh) {
		for (size_t i = 0; i < nb; i++)
			lb[i] = log(base[i]);
		for (size_t i = 0; i < nh; i++)
			lh[i] = log(head[i]);
		err = hl_shift(lh, nh, lb, nb, conf, &est, &lo, &hi, &out->conf);
	}
	if (!err) {
		out->center = exp(est);
		out->lo = exp(lo);
		out->hi = exp(hi);
	}
	free(lb);
	free(lh);
	return err;
}

/*
 * Resampling indexes: 32 random bits per draw, two draws per rng_next(),
 * Lemire's multiply-and-reject on 32 bits.  Half the generator calls of
 * rng_below(), and the bootstrap spends most of its time here.
 */
struct draw {
	struct rng *rng;
	uint64_t bits;
	int have;
};

static uint32_t draw32(struct draw *d)
{
	if (d->have) {
		d->have = 0;
		return (uint32_t)(d->bits >> 32);
	}
	d->bits = rng_next(d->rng);
	d->have = 1;
	return (uint32_t)d->bits;
}

static uint32_t draw_below(struct draw *d, uint32_t n)
{
	uint64_t m = (uint64_t)draw32(d) * n;
	uint32_t lo = (uint32_t)m;

	if (lo < n) {
		uint32_t t = (0u - n) % n;

		while (lo < t) {
			m = (uint64_t)draw32(d) * n;
			lo = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

/*
 * Median of a resample of sorted s[0..n-1]: draw n indexes, count them,
 * and walk the counts to the middle positions (no sort needed).
 */
static double resample_median(struct draw *d, const double *s, size_t n, unsigned *cnt)
{
	size_t want_lo = (n - 1) / 2, want_hi = n / 2, seen = 0;
	double a = s[0], b = s[0];
	int have_a = 0;

	memset(cnt, 0, n * sizeof(*cnt));
	for (size_t i = 0; i < n; i++)
		cnt[draw_below(d, (uint32_t)n)]++;
	for (size_t i = 0; i < n; i++) {
		seen += cnt[i];
		if (!have_a && seen > want_lo) {
			a = s[i];
			have_a = 1;
		}
		if (seen > want_hi) {
			b = s[i];
			break;
		}
	}
	return (a + b) / 2.0;
}

static int effect_boot(const double *sb, size_t nb, const double *sh, size_t nh,
		const struct effect_opts *o, struct effect *out)
{
	unsigned B = o->B ? o->B : 2000;
	double *r = malloc(B * sizeof(*r));
	unsigned *cnt = malloc((nb > nh ? nb : nh) * sizeof(*cnt));
	struct rng rng;
	struct draw d = { &rng, 0, 0 };

	if (!r || !cnt) {
		free(r);
		free(cnt);
		return STATS_ENOMEM;
	}
	rng_seed(&rng, stats_hash(stats_hash(o->seed, sb, nb), sh, nh));
	for (unsigned b = 0; b < B; b++) {
		double mb = resample_median(&d, sb, nb, cnt);
		double mh = resample_median(&d, sh, nh, cnt);

		r[b] = median_ratio(mh, mb);
	}
	out->center = out->ratio;
	/* The upper quantile lies right of the lower one, so select it second. */
	out->lo = stats_quantile_select(r, B, (1.0 - o->conf) / 2.0);
	out->hi = stats_quantile_select(r, B, (1.0 + o->conf) / 2.0);
	out->conf = o->conf;
	free(r);
	free(cnt);
	return 0;
}

int effect_estimate(const double *base, size_t nb, const double *head, size_t nh,
		const struct effect_opts *opts, struct effect *out)
{
	struct effect_opts def = EFFECT_OPTS_INIT;
	const struct effect_opts *o = opts ? opts : &def;
	double *sb = NULL, *sh = NULL;
	enum effect_method m = o->method;
	int err;

	if (!base || !head || !nb || !nh || !out || !(o->conf > 0.0 && o->conf < 1.0) ||
	    m < EFFECT_AUTO || m > EFFECT_BOOTSTRAP || !stats_all_finite(base, nb) ||
	    !stats_all_finite(head, nh))
		return STATS_EINVAL;
	if (m == EFFECT_AUTO)
		m = all_positive(base, nb) && all_positive(head, nh) ?
			EFFECT_HL_LOG : EFFECT_BOOTSTRAP;
	else if (m == EFFECT_HL_LOG && !(all_positive(base, nb) && all_positive(head, nh)))
		return STATS_EDOMAIN;

	err = stats_sorted_copy(base, nb, &sb);
	if (!err)
		err = stats_sorted_copy(head, nh, &sh);
	if (err)
		goto out;
	out->used = m;
	out->ratio = median_ratio(stats_median_sorted(sh, nh), stats_median_sorted(sb, nb));
	out->exact = sb[0] == sb[nb - 1] && sh[0] == sh[nh - 1];
	if (out->exact) {
		/* Exact metric: no noise, the interval is the point. */
		out->center = out->lo = out->hi = out->ratio;
		out->conf = 1.0;
	} else if (m == EFFECT_HL_LOG) {
		err = effect_hl(base, nb, head, nh, o->conf, out);
	} else if (nb > UINT32_MAX || nh > UINT32_MAX) {
		err = STATS_ERANGE;
	} else {
		err = effect_boot(sb, nb, sh, nh, o, out);
	}
out:
	free(sb);
	free(sh);
	return err;
}
