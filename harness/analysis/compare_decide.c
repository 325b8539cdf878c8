/*
 * Deciding a block of a comparison: the Holm family, MDEs, verdicts and
 * geomeans (see compare.h); the rows are built by compare_build.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare_internal.h"
#include "util/usage.h"
#include "util/banned.h"

/* Geomean of the medians and of the ratios, over rows where all are > 0. */
static void table_geomean(struct compare_table *t)
{
	double *a = xcalloc(t->nr + 1, 3 * sizeof(double));
	double *b = a + t->nr + 1, *q = b + t->nr + 1;
	size_t n = 0;

	for (size_t i = 0; i < t->nr; i++) {
		const struct compare_row *r = &t->rows[i];

		if (!r->comparable || !(r->old.median > 0) || !(r->new.median > 0) ||
		    !isfinite(r->ratio) || !(r->ratio > 0))
			continue;
		a[n] = r->old.median;
		b[n] = r->new.median;
		q[n++] = r->ratio;
	}
	/* One row would only repeat itself. */
	if (t->ncomparable >= 2 && n && !stats_geomean(a, n, &t->gm_old) &&
	    !stats_geomean(b, n, &t->gm_new) && !stats_geomean(q, n, &t->gm_ratio)) {
		t->has_geomean = 1;
		t->gm_n = n;
	}
	free(a);
}

/* Holm over every pair of the block; NaN (not comparable) stays out of the family. */
static void block_family(struct compare_block *b)
{
	size_t n = 0, k = 0;
	double *p;

	for (size_t i = 0; i < b->ntables; i++)
		n += b->tables[i].nr;
	p = xcalloc(n + 1, sizeof(*p));
	for (size_t i = 0; i < b->ntables; i++)
		for (size_t j = 0; j < b->tables[i].nr; j++)
			p[k++] = b->tables[i].rows[j].p;
	if (n && padj_holm(p, n, p))
		BUG("padj_holm rejected its input");
	k = 0;
	for (size_t i = 0; i < b->ntables; i++)
		for (size_t j = 0; j < b->tables[i].nr; j++)
			b->tables[i].rows[j].p_adj = p[k++];
	for (size_t i = 0; i < n; i++)
		b->family += !isnan(p[i]);
	free(p);
}

static void row_decide(struct compare_row *r, const struct compare_table *t, size_t family,
		       const struct compare_opts *o)
{
	struct verdict_in vi = VERDICT_IN_INIT;

	/* The level Holm's first step demands: a pair only gates if it can get there. */
	if (!r->exact && stats_mde(&r->old, &r->new, o->alpha / (double)family, o->power,
				   &r->mde))
		r->mde = INFINITY;
	r->underpowered = t->mi.theta < r->mde;
	vi.p_adj = r->p_adj;
	vi.alpha = o->alpha;
	vi.ratio = r->ratio;
	vi.lo = r->lo;
	vi.hi = r->hi;
	vi.theta = t->mi.theta;
	vi.better = t->mi.better;
	r->verdict = verdict_decide(&vi);
}

void compare_block_decide(struct compare_block *b, const struct compare_opts *o)
{
	block_family(b);
	for (size_t i = 0; i < b->ntables; i++) {
		struct compare_table *t = &b->tables[i];

		for (size_t j = 0; j < t->nr; j++) {
			struct compare_row *r = &t->rows[j];

			if (r->comparable)
				row_decide(r, t, b->family, o);
			b->count[r->verdict]++;
		}
		table_geomean(t);
	}
}

struct compare_row *compare_find_row(struct compare_report *rep, const char *unit,
				     const char *pkg, const char *name)
{
	for (size_t b = 0; b < rep->nblocks; b++)
		for (size_t t = 0; t < rep->blocks[b].ntables; t++) {
			struct compare_table *tb = &rep->blocks[b].tables[t];

			if (strcmp(tb->unit, unit))
				continue;
			for (size_t r = 0; r < tb->nr; r++)
				if (!strcmp(tb->rows[r].pkg, pkg) && !strcmp(tb->rows[r].name, name))
					return &tb->rows[r];
		}
	return NULL;
}

void compare_unconfirm(struct compare_report *rep, struct compare_block *b,
		       struct compare_row *r)
{
	if (r->verdict != VERDICT_REGRESSION)
		return;
	r->verdict = VERDICT_INCONCLUSIVE;
	r->unconfirmed = 1;
	b->count[VERDICT_REGRESSION]--;
	b->count[VERDICT_INCONCLUSIVE]++;
	rep->regressions--;
}
