/*
 * Change points in a per-commit history: E-divisive means with a
 * Student t-test instead of random permutations, as Hunter and Apache
 * Otava do it (Fleming et al., ICPE 2023), so the answer is
 * deterministic.
 *
 * Split pass: over sliding windows (length `window`, step window/2, and
 * a window restarts at the last point it found), repeatedly take the
 * split that maximises the energy statistic
 *
 *	Q(X, Y) = 2/(m+n) sum|X_i - Y_j| - 2m/((m+n)(n-1)) sum_{i<k}|X_i - X_k|
 *	          - 2n/((m+n)(m-1)) sum_{j<k}|Y_j - Y_k|
 *
 * over every start..tau..kappa inside one of the current intervals, and
 * keep it while the t-test between the two sides of the interval gives
 * p <= the first-pass level.  Merge pass: drop the weakest point (largest
 * p at or above max_p, otherwise the smallest magnitude if it does not
 * exceed min_magnitude) and re-test its neighbours, until none is weak.
 *
 * Three deliberate differences from Otava:
 *  - the p-value of a split is corrected for having been chosen: the
 *    t-test's p is multiplied by the number of positions the split could
 *    have taken in the tested span (Bonferroni), and a side of fewer than
 *    two points is never significant.  Uncorrected, the best of ~50
 *    splits passes p = 0.001 far too often: on 200 stationary series of
 *    500 normal points Otava's rule found 77 change points (213 with t3
 *    noise), the corrected one none; steps of 2 sd are still found 98 %
 *    of the time, steps of 1 sd 26 % instead of 55 %.  cp_opts.uncorrected
 *    restores Otava's behaviour;
 *  - the t-test uses unbiased sample variances (Otava passes population
 *    standard deviations to scipy's ttest_ind_from_stats);
 *  - after a removal both neighbours are re-tested (Otava re-tests the
 *    right neighbour and the one after it, leaving the left neighbour's
 *    statistics stale).
 * Within a window the sums of distances come from a table W[a][b] of
 * within-segment sums, so one candidate search costs O(window^2).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "stats_int.h"

/* A growable list of indexes. */
struct idxv {
	size_t *v;
	size_t nr, alloc;
};

static int idxv_push(struct idxv *l, size_t x)
{
	if (l->nr == l->alloc) {
		size_t na = l->alloc ? 2 * l->alloc : 16;
		size_t *nv = realloc(l->v, na * sizeof(*nv));

		if (!nv)
			return STATS_ENOMEM;
		l->v = nv;
		l->alloc = na;
	}
	l->v[l->nr++] = x;
	return 0;
}

static int idxv_has(const struct idxv *l, size_t x)
{
	for (size_t i = 0; i < l->nr; i++)
		if (l->v[i] == x)
			return 1;
	return 0;
}

/* Insert keeping ascending order. */
static int idxv_insert_sorted(struct idxv *l, size_t x)
{
	size_t i;
	int err = idxv_push(l, x);

	if (err)
		return err;
	for (i = l->nr - 1; i > 0 && l->v[i - 1] > x; i--)
		l->v[i] = l->v[i - 1];
	l->v[i] = x;
	return 0;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/* Mean and unbiased sd of x[a..b). */
static void seg_stats(const double *x, size_t a, size_t b, double *mean, double *sd)
{
	double s = 0.0, ss = 0.0;
	size_t n = b - a;

	for (size_t i = a; i < b; i++)
		s += x[i];
	*mean = s / (double)n;
	for (size_t i = a; i < b; i++)
		ss += (x[i] - *mean) * (x[i] - *mean);
	*sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
}

static double rel(double to, double from)
{
	return from == 0.0 ? 0.0 : to / from - 1.0;
}

/*
 * Two-sided pooled Student t-test of x[a..c) against x[c..b), corrected
 * for the choice of c among the b - a - 1 possible splits unless
 * `uncorrected`.
 */
static void ttest_point(const double *x, size_t a, size_t c, size_t b, int uncorrected,
		struct cp_point *p)
{
	double n1 = (double)(c - a), n2 = (double)(b - c), df = n1 + n2 - 2.0, sp2;

	p->index = c;
	p->n_before = c - a;
	p->n_after = b - c;
	seg_stats(x, a, c, &p->mean_before, &p->sd_before);
	seg_stats(x, c, b, &p->mean_after, &p->sd_after);
	p->rel_change = rel(p->mean_after, p->mean_before);
	p->magnitude = fmax(fabs(p->rel_change), fabs(rel(p->mean_before, p->mean_after)));
	p->p = p->p_raw = 1.0;
	if (df <= 0.0 || (!uncorrected && (c - a < 2 || b - c < 2)))
		return;
	sp2 = ((n1 - 1.0) * p->sd_before * p->sd_before +
	       (n2 - 1.0) * p->sd_after * p->sd_after) / df;
	if (sp2 == 0.0) {
		/* Two flat segments: certain if they differ, nothing if not. */
		p->p = p->p_raw = p->mean_before != p->mean_after ? 0.0 : 1.0;
		return;
	}
	double t = (p->mean_before - p->mean_after) / sqrt(sp2 * (1.0 / n1 + 1.0 / n2));

	p->p_raw = fmin(1.0, 2.0 * t_sf(fabs(t), df));
	p->p = uncorrected ? p->p_raw : fmin(1.0, p->p_raw * (double)(b - a - 1));
}

/* Within-segment distance sums for one window: W(a, b) = sum_{a<=i<k<b} |x_i - x_k|. */
struct wtable {
	const double *x;
	int uncorrected;
	size_t s0, L;
	double *w;     /* (L+1) x (L+1), indexes relative to s0 */
};

static double W(const struct wtable *t, size_t a, size_t b)
{
	return t->w[(a - t->s0) * (t->L + 1) + (b - t->s0)];
}

static void wtable_fill(struct wtable *t)
{
	size_t L = t->L, s0 = t->s0;

	memset(t->w, 0, (L + 1) * (L + 1) * sizeof(*t->w));
	for (size_t b = 0; b < L; b++) {
		double acc = 0.0;

		for (size_t a = b; a-- > 0;) {
			acc += fabs(t->x[s0 + a] - t->x[s0 + b]);
			t->w[a * (L + 1) + b + 1] = t->w[a * (L + 1) + b] + acc;
		}
	}
}

/* Best split tau of [s, e) over s < tau < kappa <= e; returns 0 if none. */
static int best_split(const struct wtable *t, size_t s, size_t e, size_t *tau_out, double *q_out)
{
	int found = 0;

	for (size_t tau = s + 1; tau < e; tau++) {
		double n = (double)(tau - s), wx = W(t, s, tau);

		for (size_t kappa = tau + 1; kappa <= e; kappa++) {
			double m = (double)(kappa - tau), wy = W(t, tau, kappa);
			double cross = W(t, s, kappa) - wx - wy;
			double q = 2.0 / (m + n) * cross;

			if (n > 1.0)
				q -= 2.0 * m / ((m + n) * (n - 1.0)) * wx;
			if (m > 1.0)
				q -= 2.0 * n / ((m + n) * (m - 1.0)) * wy;
			if (!found || q > *q_out) {
				*q_out = q;
				*tau_out = tau;
				found = 1;
			}
		}
	}
	return found;
}

/* E-divisive inside the window [s0, s0 + L); found points go to `found` (sorted). */
static int window_detect(struct wtable *t, double pmax, struct idxv *found)
{
	size_t e0 = t->s0 + t->L;
	int err;

	found->nr = 0;
	wtable_fill(t);
	for (;;) {
		size_t best_tau = 0, a = t->s0, ba = 0, bb = 0;
		double best_q = 0.0;
		int have = 0;

		/* Intervals are the gaps between the points found so far. */
		for (size_t k = 0; k <= found->nr; k++) {
			size_t b = k < found->nr ? found->v[k] : e0, tau;
			double q;

			if (b - a > 1 && best_split(t, a, b, &tau, &q) && (!have || q > best_q)) {
				best_q = q;
				best_tau = tau;
				ba = a;
				bb = b;
				have = 1;
			}
			a = b;
		}
		if (!have)
			return 0;
		struct cp_point p;

		ttest_point(t->x, ba, best_tau, bb, t->uncorrected, &p);
		if (!(p.p <= pmax))
			return 0;
		err = idxv_insert_sorted(found, best_tau);
		if (err)
			return err;
	}
}

static int split_pass(const double *x, size_t n, size_t window, double pmax,
		int uncorrected, struct idxv *weak)
{
	struct idxv found = { 0 };
	struct wtable t = { x, uncorrected, 0, 0, NULL };
	size_t start = 0, step = window / 2 ? window / 2 : 1;
	int err = 0;

	t.w = malloc((window + 1) * (window + 1) * sizeof(*t.w));
	if (!t.w)
		return STATS_ENOMEM;
	while (start < n && !err) {
		size_t end = start + window < n ? start + window : n, last = 0;

		t.s0 = start;
		t.L = end - start;
		err = window_detect(&t, pmax, &found);
		for (size_t i = 0; i < found.nr && !err; i++) {
			if (found.v[i] > last)
				last = found.v[i];
			if (!idxv_has(weak, found.v[i]))
				err = idxv_push(weak, found.v[i]);
		}
		start = last > start + step ? last : start + step;
	}
	free(t.w);
	free(found.v);
	if (!err && weak->nr)
		qsort(weak->v, weak->nr, sizeof(*weak->v), cmp_size);
	return err;
}

/* Re-test point k of pts[0..nr) against its neighbours. */
static void retest(const double *x, size_t n, int uncorrected, struct cp_point *pts,
		size_t nr, size_t k)
{
	size_t a = k ? pts[k - 1].index : 0, b = k + 1 < nr ? pts[k + 1].index : n;

	ttest_point(x, a, pts[k].index, b, uncorrected, &pts[k]);
}

static size_t weakest(const struct cp_point *pts, size_t nr, double max_p,
		double min_mag, int *done)
{
	size_t w = 0;

	for (size_t i = 1; i < nr; i++)
		if (pts[i].p > pts[w].p)
			w = i;
	*done = 0;
	if (pts[w].p < max_p) {
		w = 0;
		for (size_t i = 1; i < nr; i++)
			if (pts[i].magnitude < pts[w].magnitude)
				w = i;
		*done = pts[w].magnitude > min_mag;
	}
	return w;
}

static void merge_pass(const double *x, size_t n, int uncorrected, struct cp_point *pts,
		size_t *nr, double max_p, double min_mag)
{
	while (*nr) {
		int done;
		size_t w = weakest(pts, *nr, max_p, min_mag, &done);

		if (done)
			return;
		memmove(pts + w, pts + w + 1, (*nr - w - 1) * sizeof(*pts));
		(*nr)--;
		if (w > 0)
			retest(x, n, uncorrected, pts, *nr, w - 1);
		if (w < *nr)
			retest(x, n, uncorrected, pts, *nr, w);
	}
}

int cp_detect(const double *x, size_t n, const struct cp_opts *opts, struct cp_result *out)
{
	struct cp_opts def = CP_OPTS_INIT;
	const struct cp_opts *o = opts ? opts : &def;
	struct idxv weak = { 0 };
	size_t window = o->window ? o->window : 50;
	double p1;
	int err;

	if (!out)
		return STATS_EINVAL;
	out->points = NULL;
	out->nr = 0;
	if ((n && !x) || !stats_all_finite(x, n) || window < 2 ||
	    !(o->max_p > 0.0 && o->max_p <= 1.0) || !(o->min_magnitude >= 0.0))
		return STATS_EINVAL;
	/* Otava's first-pass level. */
	p1 = o->max_p < 0.05 ? o->max_p * 10.0 : o->max_p < 0.5 ? o->max_p * 2.0 : o->max_p;
	err = split_pass(x, n, window, p1, o->uncorrected, &weak);
	if (err)
		goto out;
	if (weak.nr) {
		out->points = malloc(weak.nr * sizeof(*out->points));
		if (!out->points) {
			err = STATS_ENOMEM;
			goto out;
		}
	}
	out->nr = weak.nr;
	for (size_t k = 0; k < weak.nr; k++)
		out->points[k].index = weak.v[k];
	for (size_t k = 0; k < weak.nr; k++)
		retest(x, n, o->uncorrected, out->points, out->nr, k);
	merge_pass(x, n, o->uncorrected, out->points, &out->nr, o->max_p, o->min_magnitude);
out:
	free(weak.v);
	if (err)
		cp_result_release(out);
	return err;
}

void cp_result_release(struct cp_result *r)
{
	if (!r)
		return;
	free(r->points);
	r->points = NULL;
	r->nr = 0;
}
