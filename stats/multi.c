/*
 * Multiple comparisons: Holm (family-wise error rate) and
 * Benjamini-Hochberg (false discovery rate) adjusted p-values, with the
 * arithmetic of R's p.adjust() so results match it exactly.
 */
#include <math.h>
#include <stdlib.h>

#include "stats.h"

struct pidx {
	double p;
	size_t i;
};

/* Ascending p; equal p keep their input order (R's order() is stable). */
static int cmp_pidx(const void *a, const void *b)
{
	const struct pidx *x = a, *y = b;

	if (x->p != y->p)
		return (x->p > y->p) - (x->p < y->p);
	return (x->i > y->i) - (x->i < y->i);
}

/* The non-NaN p-values with their indexes, sorted ascending. */
static int collect(const double *p, size_t n, struct pidx **out, size_t *m)
{
	struct pidx *v = malloc((n ? n : 1) * sizeof(*v));

	*out = v;
	*m = 0;
	if (!v)
		return STATS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (isnan(p[i]))
			continue;
		if (p[i] < 0.0 || p[i] > 1.0) {
			free(v);
			*out = NULL;
			return STATS_EINVAL;
		}
		v[(*m)++] = (struct pidx){ p[i], i };
	}
	qsort(v, *m, sizeof(*v), cmp_pidx);
	return 0;
}

static void fill_nan(const double *p, size_t n, double *adj)
{
	for (size_t i = 0; i < n; i++)
		if (isnan(p[i]))
			adj[i] = NAN;
}

int padj_holm(const double *p, size_t n, double *adj)
{
	struct pidx *v;
	size_t m;
	double run = 0.0;
	int err;

	if ((!p || !adj) && n)
		return STATS_EINVAL;
	err = collect(p, n, &v, &m);
	if (err)
		return err;
	fill_nan(p, n, adj);
	/* pmin(1, cummax((m - i + 1) * p[o])) */
	for (size_t k = 0; k < m; k++) {
		double a = (double)(m - k) * v[k].p;

		if (a > run)
			run = a;
		adj[v[k].i] = run < 1.0 ? run : 1.0;
	}
	free(v);
	return 0;
}

int padj_bh(const double *p, size_t n, double *adj)
{
	struct pidx *v;
	size_t m;
	double run = INFINITY;
	int err;

	if ((!p || !adj) && n)
		return STATS_EINVAL;
	err = collect(p, n, &v, &m);
	if (err)
		return err;
	fill_nan(p, n, adj);
	/* From the largest p down: pmin(1, cummin(m / i * p[o])) */
	for (size_t k = m; k-- > 0;) {
		double a = (double)m / (double)(k + 1) * v[k].p;

		if (a < run)
			run = a;
		adj[v[k].i] = run < 1.0 ? run : 1.0;
	}
	free(v);
	return 0;
}
