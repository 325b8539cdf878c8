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

/* A pair's sample size: the smaller side. */
static size_t row_n(const struct compare_row *r)
{
	return r->old.n < r->new.n ? r->old.n : r->new.n;
}

/* The p a pair enters its family with: its stage p-value under -count auto. */
static double row_p(const struct compare_row *r, const struct seq_design *seq)
{
	return seq && r->comparable ? seq_stage_p(seq, row_n(r), r->p) : r->p;
}

/* The share of alpha of a pair's look (1 with a fixed count). */
static double row_weight(const struct compare_row *r, const struct seq_design *seq)
{
	return seq ? seq_weight(seq, row_n(r)) : 1.0;
}

/*
 * One family: Holm over the rows of the gated tables (gated = 1), or
 * Benjamini-Hochberg over those of the diagnostics (gated = 0); NaN (not
 * comparable) stays out.  Returns the family's size.
 */
static size_t block_family(struct compare_block *b, int gated, const struct seq_design *seq)
{
	size_t n = 0, k = 0, m = 0;
	double *p;
	int err;

	for (size_t i = 0; i < b->ntables; i++)
		if (b->tables[i].gated == gated)
			n += b->tables[i].nr;
	p = xcalloc(n + 1, sizeof(*p));
	for (size_t i = 0; i < b->ntables; i++)
		for (size_t j = 0; b->tables[i].gated == gated && j < b->tables[i].nr; j++)
			p[k++] = row_p(&b->tables[i].rows[j], gated ? seq : NULL);
	err = gated ? padj_holm(p, n, p) : padj_bh(p, n, p);
	if (n && err)
		BUG("p adjustment rejected its input");
	k = 0;
	for (size_t i = 0; i < b->ntables; i++)
		for (size_t j = 0; b->tables[i].gated == gated && j < b->tables[i].nr; j++)
			b->tables[i].rows[j].p_adj = p[k++];
	for (size_t i = 0; i < n; i++)
		m += !isnan(p[i]);
	free(p);
	return m;
}

static void row_decide(struct compare_row *r, const struct compare_table *t, size_t family,
		       const struct compare_opts *o)
{
	struct verdict_in vi = VERDICT_IN_INIT;
	/* The level the family's first step demands: a pair only gates if it can get there. */
	double level = o->alpha * (t->gated ? row_weight(r, o->seq) : 1.0) / (double)family;

	if (!r->exact && stats_mde(&r->old, &r->new, level, o->power,
				   &r->mde))
		r->mde = INFINITY;
	vi.p_adj = r->p_adj;
	vi.alpha = o->alpha;
	vi.ratio = r->ratio;
	vi.lo = r->lo;
	vi.hi = r->hi;
	vi.theta = t->mi.theta;
	vi.better = t->mi.better;
	r->verdict = verdict_decide(&vi);
	/* A change was detected: whether a smaller one could have been is moot. */
	r->underpowered = t->mi.theta < r->mde &&
		(r->verdict == VERDICT_SAME || r->verdict == VERDICT_INCONCLUSIVE);
}

/* A gated rank-tested pair that cannot reach α after Holm over `family` pairs. */
static void check_reach(struct compare_block *b, const struct compare_row *r, double alpha,
			const struct seq_design *seq)
{
	double minp = mwu_min_p(r->old.n, r->new.n);

	alpha *= row_weight(r, seq);
	if (r->exact || minp * (double)b->family < alpha)
		return;
	if (!b->unreachable++) {
		b->un_nold = r->old.n;
		b->un_nnew = r->new.n;
		b->un_minp = minp;
		b->un_level = alpha / (double)b->family;
		b->need_n = mwu_n_for_level(alpha / (double)b->family);
	}
}

void compare_block_release(struct compare_block *b)
{
	for (size_t i = 0; i < b->nregressed; i++)
		free(b->regressed[i].units);
	free(b->regressed);
	b->regressed = NULL;
	b->nregressed = 0;
}

void compare_block_tally(struct compare_block *b)
{
	compare_block_release(b);
	memset(b->count, 0, sizeof(b->count));
	memset(b->dcount, 0, sizeof(b->dcount));
	b->nnegligible = 0;
	b->regressed = xcalloc(1, sizeof(*b->regressed));
	for (size_t i = 0; i < b->ntables; i++) {
		struct compare_table *t = &b->tables[i];

		for (size_t j = 0; j < t->nr; j++) {
			const struct compare_row *r = &t->rows[j];
			struct compare_finding *f = NULL;

			if (r->negligible) {
				b->nnegligible++;
				continue;
			}
			if (!t->gated) {
				b->dcount[r->verdict]++;
				continue;
			}
			b->count[r->verdict]++;
			if (r->verdict != VERDICT_REGRESSION)
				continue;
			for (size_t k = 0; k < b->nregressed && !f; k++)
				if (!strcmp(b->regressed[k].pkg, r->pkg) &&
				    !strcmp(b->regressed[k].name, r->name))
					f = &b->regressed[k];
			if (!f) {
				b->regressed = xrealloc(b->regressed,
							(b->nregressed + 1) * sizeof(*b->regressed));
				f = &b->regressed[b->nregressed++];
				f->pkg = r->pkg;
				f->name = r->name;
				f->units = xcalloc(b->ntables, sizeof(*f->units));
				f->nunits = 0;
			}
			f->units[f->nunits++] = t->unit;
		}
	}
}

void compare_block_decide(struct compare_block *b, const struct compare_opts *o)
{
	b->family = block_family(b, 1, o->seq);
	b->dfamily = block_family(b, 0, NULL);
	for (size_t i = 0; i < b->ntables; i++) {
		struct compare_table *t = &b->tables[i];

		b->ngated_tables += t->gated;
		for (size_t j = 0; j < t->nr; j++) {
			struct compare_row *r = &t->rows[j];

			if (!r->comparable)
				continue;
			row_decide(r, t, t->gated ? b->family : b->dfamily, o);
			if (t->gated)
				check_reach(b, r, o->alpha, o->seq);
		}
		table_geomean(t);
	}
	compare_block_tally(b);
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

int compare_row_decided(const struct compare_table *t, const struct compare_row *r)
{
	if (!r->comparable || r->verdict == VERDICT_REGRESSION ||
	    r->verdict == VERDICT_IMPROVEMENT)
		return 1;
	return r->verdict == VERDICT_SAME && r->lo >= 1.0 - t->mi.theta &&
		r->hi <= 1.0 + t->mi.theta;
}

void compare_unconfirm(struct compare_report *rep, struct compare_block *b,
		       struct compare_row *r)
{
	if (r->verdict != VERDICT_REGRESSION)
		return;
	r->verdict = VERDICT_INCONCLUSIVE;
	r->unconfirmed = 1;
	compare_block_tally(b);
	rep->regressions = rep->nregressed = 0;
	for (size_t i = 0; i < rep->nblocks; i++) {
		rep->regressions += rep->blocks[i].count[VERDICT_REGRESSION];
		rep->nregressed += rep->blocks[i].nregressed;
	}
}

const char *compare_gate_unmatched(const struct compare_report *rep,
				   const struct compare_opts *o)
{
	for (size_t i = 0; i < o->ngate; i++) {
		struct metric_policy pol;
		struct metric_info mi;
		int hit = 0;

		metric_policy_init(&pol);
		pol.gate = &o->gate[i];
		pol.ngate = 1;
		for (size_t b = 0; b < rep->nblocks && !hit; b++)
			for (size_t t = 0; t < rep->blocks[b].ntables && !hit; t++) {
				metric_lookup(&pol, rep->blocks[b].tables[t].unit, &mi);
				hit = mi.gate;
			}
		if (!hit)
			return o->gate[i];
	}
	return NULL;
}
