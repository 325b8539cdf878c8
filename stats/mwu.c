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
 *    (ranks doubled to stay integral), counting only the tail the
 *    observed sum lies in and only the states that can still end there;
 *  - normal approximation with tie and continuity correction, written
 *    exactly as R's wilcox.test(correct=TRUE) so p-values match it.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	/* The ranks do not depend on the order within ties: any sort will do. */
	if (N > 64) {
		qsort(t, N, sizeof(*t), cmp_tagged);
	} else {
		for (size_t i = 1; i < N; i++) {
			struct tagged v = t[i];
			size_t j = i;

			for (; j > 0 && t[j - 1].v > v.v; j--)
				t[j] = t[j - 1];
			t[j] = v;
		}
	}

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
	/*
	 * The counts depend on the sample sizes only, and a comparison asks
	 * for the same ones thousands of times: keep the last ones (per
	 * thread, up to the 50 + 50 the automatic choice uses exactly).
	 */
	static _Thread_local struct {
		size_t nx, ny;
		double total, c[50 * 50 + 1];
	} last;
	size_t mn = r->nx * r->ny;
	double *c = NULL, total;
	int err;

	if (last.nx == r->nx && last.ny == r->ny && mn) {
		out->p_less = mwu_u_cdf(last.c, mn, last.total, out->w);
		out->p_greater = mwu_u_cdf(last.c, mn, last.total, (double)mn - out->w);
	} else {
		err = mwu_u_counts(r->nx, r->ny, &c, &total);
		if (err)
			return err;
		/* As R: P(U <= W) and P(U >= W) = P(U <= mn - W) by symmetry. */
		out->p_less = mwu_u_cdf(c, mn, total, out->w);
		out->p_greater = mwu_u_cdf(c, mn, total, (double)mn - out->w);
		if (mn + 1 <= sizeof(last.c) / sizeof(last.c[0])) {
			memcpy(last.c, c, (mn + 1) * sizeof(*c));
			last.total = total;
			last.nx = r->nx;
			last.ny = r->ny;
		}
		free(c);
	}
	two_sided(out);
	out->used = MWU_USED_EXACT;
	return 0;
}

/* Tail counts below 2^53 are exact in doubles: the fast path needs C(N, k) below it. */
#define EXACT_INT_MAX 9007199254740992.0

/* C(n, k) as an exact integer in a double, or -1 when it is not below 2^53. */
static double binom_exact(size_t n, size_t k)
{
	double c = 1.0;

	if (k > n - k)
		k = n - k;
	for (size_t i = 0; i < k; i++) {
		/* c * (n - i) is (i + 1) C(n, i + 1): an integer, divided exactly. */
		if (c * (double)(n - i) >= EXACT_INT_MAX)
			return -1.0;
		c = c * (double)(n - i) / (double)(i + 1);
	}
	return c;
}

/*
 * The permutation distribution of the doubled mid-rank sum S of the
 * smaller sample (k of the N pooled values): dp[j][s] counts the ways to
 * draw j of the pooled values with doubled rank sum s; a tie group of size
 * t with doubled rank v contributes C(t, c) ways to draw c of its members.
 *
 * Only one tail is counted: P(S <= obs) with the groups in ascending
 * order, or, mirrored (v -> 2(N+1) - v, groups in descending order), P(S
 * >= obs), whichever side of the mean k(N+1) obs lies on.  After the
 * groups holding the first P pooled values, a state (j, s) can still end
 * at or below obs only if s plus the k - j smallest values left does:
 * the others are dropped.  A state whose largest completion (the k - j
 * largest values left) ends below obs is counted with all its C(N - P,
 * k - j) completions at once and dropped too, so only the states whose
 * fate is open are carried, each row as the range of sums it holds.  The
 * other tail is C(N, k) minus the counted one plus the count at obs.
 * Every count is an integer no larger than C(N, k) < 2^53, so the
 * doubles are exact and the p-values are those of the full distribution,
 * bit for bit.  Sets *done = 0 and does nothing when C(N, k) is not
 * below 2^53 (the caller then builds the whole distribution).
 */
static int exact_tied_tail(const struct ranks *r, struct mwu_result *out, int *done)
{
	int track_x = r->nx <= r->ny;
	size_t k = track_x ? r->nx : r->ny, N = r->N, ng = r->ng;
	int64_t obs = track_x ? r->r2x : (int64_t)(N * (N + 1)) - r->r2x;
	int mirror = obs > (int64_t)(k * (N + 1));
	double total = binom_exact(N, k), tail = 0.0, at_obs = 0.0;
	size_t W, *lo = NULL, *hi = NULL;
	int64_t *pre = NULL, *gv = NULL;
	size_t *gs = NULL;
	double *dp = NULL, *cb = NULL;
	int err = STATS_ENOMEM;

	*done = 0;
	if (total < 0.0)
		return 0;
	if (mirror)
		obs = (int64_t)(2 * k * (N + 1)) - obs;
	/* obs >= k(k+1) >= 2 here: the smallest doubled sum of k values. */
	W = (size_t)obs + 1;
	if ((double)(k + 1) * (double)W > (double)EXACT_MAX_CELLS)
		return 0;
	dp = malloc((k + 1) * W * sizeof(*dp));
	lo = malloc((k + 1) * sizeof(*lo));
	hi = malloc((k + 1) * sizeof(*hi));
	pre = malloc((N + 1) * sizeof(*pre));
	gv = malloc(ng * sizeof(*gv));
	gs = malloc(ng * sizeof(*gs));
	cb = malloc((N + 1) * (k + 1) * sizeof(*cb));
	if (!dp || !lo || !hi || !pre || !gv || !gs || !cb)
		goto out;
	/* cb[n (k + 1) + m] = C(n, m), Pascal's triangle: integers <= C(N, k). */
	for (size_t n = 0; n <= N; n++)
		for (size_t m = 0; m <= k; m++)
			cb[n * (k + 1) + m] = m == 0 ? 1.0 : n == 0 ? 0.0 :
				cb[(n - 1) * (k + 1) + m - 1] + cb[(n - 1) * (k + 1) + m];
	/* Groups in processing order, and prefix sums of the values they hold. */
	pre[0] = 0;
	for (size_t g = 0, P = 0; g < ng; g++) {
		size_t src = mirror ? ng - 1 - g : g;

		gv[g] = mirror ? (int64_t)(2 * (N + 1)) - r->gval[src] : r->gval[src];
		gs[g] = r->gsize[src];
		for (size_t i = 0; i < gs[g]; i++, P++)
			pre[P + 1] = pre[P] + gv[g];
	}
	/* Row j is empty when lo[j] > hi[j]. */
	for (size_t j = 0; j <= k; j++) {
		lo[j] = 1;
		hi[j] = 0;
	}
	dp[0] = 1.0;
	lo[0] = hi[0] = 0;
	for (size_t g = 0, P = 0; g < ng; g++) {
		size_t t = gs[g], v = (size_t)gv[g];

		P += t;
		for (size_t j = k < P ? k : P; j >= 1; j--) {
			double *dst = dp + j * W, binom = 1.0;
			int64_t cap;
			size_t nlo = lo[j], nhi = hi[j];

			/* Completing row j needs k - j more of the N - P values left. */
			cap = k - j > N - P ? -1 : obs - (pre[P + k - j] - pre[P]);
			if (cap < 0) {
				lo[j] = 1;
				hi[j] = 0;
				continue;
			}
			if (nlo <= nhi && nhi > (size_t)cap)
				nhi = (size_t)cap;
			for (size_t c = 1; c <= t && c <= j; c++) {
				const double *src = dp + (j - c) * W;
				size_t slo = lo[j - c], shi = hi[j - c], off = c * v, a, b;

				binom = binom * (double)(t - c + 1) / (double)c;
				if (slo > shi || slo + off > (size_t)cap)
					continue;
				a = slo + off;
				b = shi + off < (size_t)cap ? shi + off : (size_t)cap;
				/* Widen the row to [a, b], zeroing the cells it did not cover. */
				if (nlo > nhi) {
					for (size_t s = a; s <= b; s++)
						dst[s] = 0.0;
					nlo = a;
					nhi = b;
				} else {
					for (size_t s = a; s < nlo; s++)
						dst[s] = 0.0;
					for (size_t s = nhi + 1; s <= b; s++)
						dst[s] = 0.0;
					if (a < nlo)
						nlo = a;
					if (b > nhi)
						nhi = b;
				}
				stats_add_scaled(dst + a, src + a - off, binom, b - a + 1);
			}
			lo[j] = nlo;
			hi[j] = nhi;
		}
		/* Row 0 (nothing drawn yet) too must be able to finish. */
		if (lo[0] <= hi[0] && (k > N - P || pre[P + k] - pre[P] > obs)) {
			lo[0] = 1;
			hi[0] = 0;
		}
		/*
		 * A state whose largest completion (the k - j largest values
		 * left) stays below obs ends below obs whichever values are
		 * drawn: count its C(N - P, k - j) completions now, drop it.
		 */
		for (size_t j = 0; j <= k && j <= P; j++) {
			size_t m = k - j;
			const double *row = dp + j * W;
			int64_t floor_j;

			if (lo[j] > hi[j] || m > N - P)
				continue;
			floor_j = obs - (pre[N] - pre[N - m]);
			while (lo[j] <= hi[j] && (int64_t)lo[j] < floor_j)
				tail += row[lo[j]++] * cb[(N - P) * (k + 1) + m];
		}
	}
	/* Row k keeps only the sum obs itself: the rest was counted. */
	if (lo[k] <= hi[k] && hi[k] == (size_t)obs)
		at_obs = dp[k * W + obs];
	tail += at_obs;
	/* Counted: P(S <= obs), or mirrored P(S >= obs); the other from the total. */
	{
		double other = total - tail + at_obs;
		int less = track_x != mirror;   /* the counted tail is x's lower one */

		out->p_less = (less ? tail : other) / total;
		out->p_greater = (less ? other : tail) / total;
	}
	out->p_less = fmin(out->p_less, 1.0);
	out->p_greater = fmin(out->p_greater, 1.0);
	two_sided(out);
	out->used = MWU_USED_EXACT_TIES;
	*done = 1;
	err = 0;
out:
	free(dp);
	free(lo);
	free(hi);
	free(pre);
	free(gv);
	free(gs);
	free(cb);
	return err;
}

/*
 * The whole distribution, every sum of the full width (as the counts may
 * round beyond 2^53): what exact_tied_tail() is checked against.
 */
static int exact_tied_full(const struct ranks *r, struct mwu_result *out)
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

/* Exact p-values with ties: one tail with pruning, or the whole distribution. */
static int exact_tied(const struct ranks *r, struct mwu_result *out)
{
	int done, err = exact_tied_tail(r, out, &done);

	if (err || done)
		return err;
	return exact_tied_full(r, out);
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
