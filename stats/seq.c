/*
 * Adaptive repetitions: a group-sequential design for the rank test with
 * the significance level spent over a fixed number of looks (stats.h,
 * "seq.c").
 *
 * Why the union bound and not exact group-sequential boundaries: the
 * classical boundaries (Armitage-McPherson-Rowe recursion for Pocock or
 * Lan-DeMets O'Brien-Fleming spending) rest on the joint normal law of the
 * statistics at the looks, with correlation sqrt(n_j / n_k).  The gate uses
 * the exact Mann-Whitney distribution at 10-30 values per side, where the
 * smallest p-values are discrete and far from normal, and Holm's
 * step-down over the family on top.  Bonferroni over the looks needs
 * neither: each look's test is a fixed-n test whose p-value is valid
 * (P(p <= u) <= u under the null), so
 *
 *	P(any false alarm at any look) <= sum_k P(false alarm at look k)
 *	                               <= sum_k alpha * w_k = alpha
 *
 * whatever the correlation between looks, the discreteness, or which
 * looks are taken.  With Holm at look k on stage p-values q = p / w_k the
 * first true null rejected has q < alpha / m0 (m0 true nulls), so the
 * bound holds for the family too, even when some pairs stop at an earlier
 * look and keep their q.  The price is some conservatism; the shape
 * (Haybittle-Peto: small equal interim shares, most of alpha at the
 * last look) keeps the final look's level close to alpha.
 */
#include <math.h>

#include "stats.h"
#include "seq.h"

int seq_check(const struct seq_design *d)
{
	if (!d || d->nmin < 2 || d->step < 1 || d->cap < d->nmin)
		return STATS_EINVAL;
	if (!(d->interim >= 0.0 && d->interim < 1.0))
		return STATS_EINVAL;
	if (d->cap > d->nmin && !(d->interim > 0.0))
		return STATS_EINVAL;
	return 0;
}

size_t seq_looks(const struct seq_design *d)
{
	if (seq_check(d))
		return 0;
	/* nmin, nmin + step, ... below cap, then cap. */
	return (d->cap - d->nmin + d->step - 1) / d->step + 1;
}

size_t seq_look_n(const struct seq_design *d, size_t k)
{
	size_t K = seq_looks(d);

	if (!K || k >= K)
		return 0;
	return k + 1 == K ? d->cap : d->nmin + k * d->step;
}

double seq_weight(const struct seq_design *d, size_t n)
{
	size_t K = seq_looks(d);

	if (!K)
		return NAN;
	if (K == 1)
		return 1.0;
	if (n >= d->cap)
		return 1.0 - d->interim;
	return d->interim / (double)(K - 1);
}

double seq_stage_p(const struct seq_design *d, size_t n, double p)
{
	double w = seq_weight(d, n), q;

	if (isnan(p) || isnan(w))
		return p;
	q = p / w;
	return q > 1.0 ? 1.0 : q;
}
