/*
 * Mann-Whitney U test (Wilcoxon rank sum), two- and one-sided.
 *
 * Three ways to get the null distribution of the statistic:
 *  - exact without ties: the counts of U are the coefficients of the
 *    Gaussian binomial [m+n choose n]_q, built by multiplying by
 *    (1 - q^(m+i)) and dividing by (1 - q^i) for i = 1..n (Harding 1984).
 *    Low coefficients stay small integers, so both tails are exact;
 *  - exact with ties: the permutation distribution of the sum of the
 *    mid-ranks of one sample, by dynamic programming over tie groups
 *    (ranks doubled to stay integral);
 *  - normal approximation with tie and continuity correction, written
 *    exactly as R's wilcox.test(correct=TRUE) so p-values match it.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "stats.h"
#include "stats_int.h"

/*
 * Limits beyond which an exact distribution costs too much: 8 Mi doubles
 * (64 MiB) and about 2e8 multiply-adds (a fraction of a second).
 */
#define EXACT_MAX_CELLS (1L << 23)
#define EXACT_MAX_OPS 2e8

struct tagged {
	double v;
	int from_x;
};

static int cmp_tagged(const void *a, const void *b)
{
	const struct tagged *x = a, *y = b;

	return (x->v > y->v) - (x->v < y->v);
}

/* The pooled sample's ranks, reduced to what the three methods need. */
struct ranks {
	size_t nx, ny, N;
	int64_t r2x;         /* sum of doubled mid-ranks of x */
	double tiesum;       /* sum of t^3 - t over tie groups */
	int ties;
	size_t ng;           /* tie groups (every distinct value is a group) */
	int64_t *gval;       /* doubled mid-rank of each group */
	size_t *gsize;
};

static void ranks_release(struct ranks *r)
{
	free(r->gval);
	free(r->gsize);
}

static int ranks_compute(struct ranks *r, const double *x, size_t nx,
		const double *y, size_t ny)
{
	size_t N = nx + ny;
	struct tagged *t = malloc(N * sizeof(*t));

	r->nx = nx;
	r->ny = ny;
	r->N = N;
	r->r2x = 0;
	r->tiesum = 0.0;
	r->ties = 0;
	r->ng = 0;
	r->gval = malloc(N * sizeof(*r->gval));
	r->gsize = malloc(N * sizeof(*r->gsize));
	if (!t || !r->gval || !r->gsize) {
		free(t);
		ranks_release(r);
		return STATS_ENOMEM;
	}
	for (size_t i = 0; i < nx; i++)
		t[i] = (struct tagged){ x[i], 1 };
	for (size_t i = 0; i < ny; i++)
		t[nx + i] = (struct tagged){ y[i], 0 };
	qsort(t, N, sizeof(*t), cmp_tagged);

	for (size_t i = 0; i < N;) {
		size_t j = i, inx = 0;

		while (j < N && t[j].v == t[i].v)
			inx += t[j++].from_x;
		/* Ranks i+1 .. j share the mid-rank (i+1+j)/2; doubled: i+1+j. */
		int64_t r2 = (int64_t)(i + 1 + j);
		double g = (double)(j - i);

		r->gval[r->ng] = r2;
		r->gsize[r->ng++] = j - i;
		r->r2x += r2 * (int64_t)inx;
		if (j - i > 1) {
			r->ties = 1;
			r->tiesum += g * g * g - g;
		}
		i = j;
	}
	free(t);
	return 0;
}

/*
 * Counts of U = 0..m*n for sample sizes m and n without ties, in a
 * malloc'ed array of m*n+1 doubles, and their total C(m+n, n).
 */
int mwu_u_counts(size_t m, size_t n, double **out, double *total)
{
	size_t k = m < n ? m : n, big = m < n ? n : m, mn = m * n;
	double *c;

	*out = NULL;
	if ((double)k * (double)mn > EXACT_MAX_OPS || (double)mn + 1 > (double)EXACT_MAX_CELLS)
		return STATS_ERANGE;
	c = calloc(mn + 1, sizeof(*c));
	if (!c)
		return STATS_ENOMEM;
	c[0] = 1.0;
	for (size_t i = 1; i <= k; i++) {
		size_t deg = big * i, step = big + i;

		/* Multiply by (1 - q^(big+i)): descending, so old values are read. */
		for (size_t j = deg < mn ? deg + i : mn; j >= step; j--)
			c[j] -= c[j - step];
		/* Divide by (1 - q^i): ascending running sums. */
		for (size_t j = i; j <= deg; j++)
			c[j] += c[j - i];
		for (size_t j = deg + 1; j <= mn && j <= deg + step; j++)
			c[j] = 0.0;
	}
	*total = 0.0;
	for (size_t j = 0; j <= mn; j++)
		*total += c[j];
	*out = c;
	return 0;
}

/* P(U <= u) from counts symmetric around mn/2, summing the short tail. */
double mwu_u_cdf(const double *c, size_t mn, double total, double u)
{
	double s = 0.0;

	if (u < 0.0)
		return 0.0;
	if (u >= (double)mn)
		return 1.0;
	size_t q = (size_t)floor(u);

	if (2 * q <= mn) {
		for (size_t i = 0; i <= q; i++)
			s += c[i];
		return s / total;
	}
	for (size_t i = 0; i < mn - q; i++)
		s += c[i];
	return 1.0 - s / total;
}

static void two_sided(struct mwu_result *out)
{
	double p = 2.0 * fmin(out->p_less, out->p_greater);

	out->p_two = p > 1.0 ? 1.0 : p;
}

static int exact_untied(const struct ranks *r, struct mwu_result *out)
{
	size_t mn = r->nx * r->ny;
	double *c, total;
	int err = mwu_u_counts(r->nx, r->ny, &c, &total);

	if (err)
		return err;
	/* As R: P(U <= W) and P(U >= W) = P(U <= mn - W) by symmetry. */
	out->p_less = mwu_u_cdf(c, mn, total, out->w);
	out->p_greater = mwu_u_cdf(c, mn, total, (double)mn - out->w);
	two_sided(out);
	out->used = MWU_USED_EXACT;
	free(c);
	return 0;
}

/*
 * Exact permutation distribution of the doubled mid-rank sum of the
 * smaller sample: dp[j][s] counts the ways to draw j of the pooled values
 * with doubled rank sum s; a tie group of size t with doubled rank v
 * contributes C(t, c) ways to draw c of its members.
 */
static int exact_tied(const struct ranks *r, struct mwu_result *out)
{
	int track_x = r->nx <= r->ny;
	size_t k = track_x ? r->nx : r->ny;
	int64_t T = (int64_t)(r->N * (r->N + 1));   /* total of doubled ranks */
	size_t S = k * 2 * r->N, W = S + 1;
	double *dp, total = 0.0, le = 0.0, ge = 0.0;
	int64_t obs;

	if ((double)(k + 1) * (double)W > (double)EXACT_MAX_CELLS ||
	    (double)k * (double)W * (double)r->N > EXACT_MAX_OPS)
		return STATS_ERANGE;
	dp = calloc((k + 1) * W, sizeof(*dp));
	if (!dp)
		return STATS_ENOMEM;
	dp[0] = 1.0;
	for (size_t g = 0; g < r->ng; g++) {
		size_t t = r->gsize[g], v = (size_t)r->gval[g];

		for (size_t j = k; j >= 1; j--) {
			double binom = 1.0;

			for (size_t c = 1; c <= t && c <= j; c++) {
				const double *src = dp + (j - c) * W;
				double *dst = dp + j * W;

				binom = binom * (double)(t - c + 1) / (double)c;
				for (size_t s = c * v; s <= S; s++)
					if (src[s - c * v] != 0.0)
						dst[s] += binom * src[s - c * v];
			}
		}
	}
	obs = track_x ? r->r2x : T - r->r2x;
	const double *f = dp + k * W;

	for (size_t s = 0; s <= S; s++) {
		total += f[s];
		if ((int64_t)s <= obs)
			le += f[s];
		if ((int64_t)s >= obs)
			ge += f[s];
	}
	/* Tracking y reverses the direction: a large x rank sum is a small y one. */
	out->p_less = (track_x ? le : ge) / total;
	out->p_greater = (track_x ? ge : le) / total;
	if (out->p_less > 1.0)
		out->p_less = 1.0;
	if (out->p_greater > 1.0)
		out->p_greater = 1.0;
	two_sided(out);
	out->used = MWU_USED_EXACT_TIES;
	free(dp);
	return 0;
}

static void normal(const struct ranks *r, struct mwu_result *out)
{
	double nx = (double)r->nx, ny = (double)r->ny, N = nx + ny;
	double z = out->w - nx * ny / 2.0;
	double sigma = sqrt((nx * ny / 12.0) *
			    ((N + 1.0) - r->tiesum / (N * (N - 1.0))));
	double corr = z > 0.0 ? 0.5 : z < 0.0 ? -0.5 : 0.0;

	out->used = MWU_USED_NORMAL;
	if (sigma == 0.0) {
		/* Every value equal: the statistic has a single possible value. */
		out->p_two = out->p_less = out->p_greater = 1.0;
		out->z = 0.0;
		return;
	}
	out->z = (z - corr) / sigma;
	out->p_two = 2.0 * fmin(norm_cdf(out->z), norm_sf(out->z));
	out->p_less = norm_cdf((z + 0.5) / sigma);
	out->p_greater = norm_sf((z - 0.5) / sigma);
}

static int is_constant(const double *x, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (x[i] != x[0])
			return 0;
	return 1;
}

static void constant(const double *x, const double *y, struct mwu_result *out)
{
	out->used = MWU_USED_CONSTANT;
	out->p_less = x[0] < y[0] ? 0.0 : 1.0;
	out->p_greater = x[0] > y[0] ? 0.0 : 1.0;
	out->p_two = x[0] != y[0] ? 0.0 : 1.0;
}

int mwu_test(const double *x, size_t nx, const double *y, size_t ny,
		enum mwu_method method, struct mwu_result *out)
{
	struct ranks r;
	int err = 0;

	if (!x || !y || !out || !nx || !ny || !stats_all_finite(x, nx) ||
	    !stats_all_finite(y, ny) || method < MWU_AUTO || method > MWU_NORMAL)
		return STATS_EINVAL;
	err = ranks_compute(&r, x, nx, y, ny);
	if (err)
		return err;
	out->w = (double)(r.r2x - (int64_t)(nx * (nx + 1))) / 2.0;
	out->z = 0.0;
	out->ties = r.ties;

	if (method == MWU_AUTO && nx >= MWU_CONSTANT_MIN_N && ny >= MWU_CONSTANT_MIN_N &&
	    is_constant(x, nx) && is_constant(y, ny))
		constant(x, y, out);
	else if (method == MWU_NORMAL)
		normal(&r, out);
	else if (method == MWU_EXACT)
		err = r.ties ? exact_tied(&r, out) : exact_untied(&r, out);
	else if (!r.ties && nx <= 50 && ny <= 50)
		err = exact_untied(&r, out);
	else if (r.ties && nx <= 25 && ny <= 25)
		err = exact_tied(&r, out);
	else
		normal(&r, out);
	ranks_release(&r);
	return err;
}

size_t mwu_u_quantile(const double *c, size_t mn, double total, double p)
{
	double acc = 0.0;
	size_t q = 0;

	/* R's qwilcox(), including its 10 DBL_EPSILON fuzz. */
	if (p <= 0.5) {
		p -= 10 * DBL_EPSILON;
		for (;;) {
			acc += c[q] / total;
			if (acc >= p || q == mn)
				return q;
			q++;
		}
	}
	p = 1.0 - p + 10 * DBL_EPSILON;
	for (;;) {
		acc += c[q] / total;
		if (acc > p)
			return mn - q;
		if (q == mn)
			return 0;
		q++;
	}
}

int mwu_quantile(size_t nx, size_t ny, double p, size_t *u_out)
{
	double *c, total;
	int err;

	if (!nx || !ny || !u_out || !(p >= 0.0 && p <= 1.0))
		return STATS_EINVAL;
	err = mwu_u_counts(nx, ny, &c, &total);
	if (err)
		return err;
	*u_out = mwu_u_quantile(c, nx * ny, total, p);
	free(c);
	return 0;
}
