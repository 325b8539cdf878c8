/*
 * Building a comparison of series sets: the benchmarks and units each side
 * offers, one row per (benchmark, unit), tables per unit and blocks per
 * NEW set; see compare.h.  compare_decide.c then decides each block.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare_internal.h"
#include "util/usage.h"
#include "util/banned.h"

/* ------------------------------------------------------------------ */
/* A side: what one set offers after --filter                          */
/* ------------------------------------------------------------------ */

struct side {
	const struct series_set *set;
	const struct series_key **bench;   /* the benchmarks kept, in order */
	size_t nbench;
	const char **units;                /* of their samples, in order */
	size_t nunits;
};

static int list_has(const char *const *l, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(l[i], s))
			return 1;
	return 0;
}

static void side_init(struct side *sd, const struct series_set *set, const regex_t *filter)
{
	memset(sd, 0, sizeof(*sd));
	sd->set = set;
	sd->bench = xcalloc(set->nbench + 1, sizeof(*sd->bench));
	sd->units = xcalloc(set->nunits + 1, sizeof(*sd->units));
	for (size_t i = 0; i < set->nbench; i++)
		if (!filter || !regexec(filter, set->bench[i].k.name, 0, NULL, 0))
			sd->bench[sd->nbench++] = &set->bench[i].k;
	/* Series are in order of their first sample: so are the units they add. */
	for (size_t i = 0; i < set->ns; i++) {
		const struct series *s = &set->s[i];

		if (filter && regexec(filter, s->k.name, 0, NULL, 0))
			continue;
		if (!list_has(sd->units, sd->nunits, s->k.unit))
			sd->units[sd->nunits++] = s->k.unit;
	}
	/* A unit a backend could not count anywhere still makes its rows. */
	for (size_t i = 0; i < set->nnotes; i++) {
		const struct series_note *n = &set->notes[i];

		if (filter && regexec(filter, n->name, 0, NULL, 0))
			continue;
		if (!list_has(sd->units, sd->nunits, n->unit)) {
			sd->units = xrealloc(sd->units, (sd->nunits + 2) * sizeof(*sd->units));
			sd->units[sd->nunits++] = n->unit;
		}
	}
}

static void side_release(struct side *sd)
{
	free(sd->bench);
	free(sd->units);
}

/* ------------------------------------------------------------------ */
/* One row: a (benchmark, unit) pair                                   */
/* ------------------------------------------------------------------ */

static void row_not_comparable(struct compare_row *r, const char *why)
{
	r->comparable = 0;
	r->why = why;
	r->ratio = r->lo = r->hi = NAN;
	r->p = r->p_adj = NAN;
	r->mde = NAN;
}

static const char *test_name(enum mwu_used used)
{
	switch (used) {
	case MWU_USED_EXACT:
		return "exact";
	case MWU_USED_EXACT_TIES:
		return "exact-ties";
	case MWU_USED_NORMAL:
		return "normal";
	case MWU_USED_CONSTANT:
		return "constant";
	}
	return "?";
}

/* head/base with effect_estimate()'s conventions for a zero base. */
static double exact_ratio(double base, double head)
{
	if (base == 0.0)
		return head == 0.0 ? 1.0 : copysign(INFINITY, head);
	return head / base;
}

/*
 * assume=exact: repetitions carry no information, so only the centers
 * matter.  benchstat uses the mode; the median is as good for the constant
 * samples this is meant for, and defined for varying ones too.
 */
/* (max - min) / |median|: 0 for a constant side, ∞ for values around a zero median. */
static double side_spread(const struct summary *s)
{
	if (s->constant)
		return 0.0;
	if (s->median == 0.0)
		return INFINITY;
	return (s->max - s->min) / fabs(s->median);
}

/*
 * With a repeatability limit: the values of `s` farther than `lim` of the
 * median from it.  A count the simulator repeats exactly but for a one-off
 * event of the runtime (a background goroutine's work counted while the
 * benchmark ran) is one such value; the median of the others is sound.
 * A strict majority within the limit is stats_repeats()'s rule, which
 * measure_count.c applies to simulate more repetitions of a leaf.
 */
static size_t side_outliers(const struct series *s, const struct summary *sum, double lim)
{
	return stats_outliers(s->v, s->n, sum->median, lim);
}

/*
 * Every value of one side above every value of the other by more than
 * theta of the lower side's largest, which is positive (values around
 * zero below it do not matter: the row's ratio needs positive medians,
 * checked by the caller).
 */
static int sides_apart(const struct summary *a, const struct summary *b, double theta)
{
	return (a->max > 0 && b->min > a->max * (1.0 + theta)) ||
	       (b->max > 0 && a->min > b->max * (1.0 + theta));
}

static void row_assume_exact(struct compare_row *r, const struct series *so,
			     const struct series *sn, double conf, const struct compare_table *t)
{
	double max_spread = t->max_spread;
	size_t off_old, off_new;

	int err = summary_compute(&r->old, so->v, so->n, conf);

	if (!err)
		err = summary_compute(&r->new, sn->v, sn->n, conf);
	if (err) {
		row_not_comparable(r, stats_strerror(err));
		return;
	}
	r->spread = fmax(side_spread(&r->old), side_spread(&r->new));
	/*
	 * Comparing medians is sound only when most values repeat: a strict
	 * majority of each side within the limit of its median (the outliers
	 * are counted and shown); or, for a diagnostic, when the sides are
	 * apart beyond θ whatever value of each is taken; else say so, never
	 * gate.
	 */
	if (max_spread > 0 && r->spread > max_spread) {
		off_old = side_outliers(so, &r->old, max_spread);
		off_new = side_outliers(sn, &r->new, max_spread);
		if (2 * off_old < so->n && 2 * off_new < sn->n) {
			r->outliers = off_old + off_new;
		} else if (!t->gated && sides_apart(&r->old, &r->new, t->mi.theta)) {
			r->apart = 1;
		} else {
			r->unrepeatable = 1;
			row_not_comparable(r, "not repeatable");
			return;
		}
	}
	r->comparable = 1;
	r->exact = 1;
	r->test = "assume-exact";
	r->exact_varies = !r->old.constant || !r->new.constant;
	r->ratio = r->lo = r->hi = exact_ratio(r->old.median, r->new.median);
	r->p = r->old.median != r->new.median ? 0.0 : 1.0;
	r->mde = 0.0;
}

static void row_compare(struct compare_row *r, const struct series *so,
			const struct series *sn, const struct compare_table *t,
			const struct compare_opts *o)
{
	struct cmp_opts co = CMP_OPTS_INIT;
	struct cmp_result res;
	int err;

	r->old_v = so->v;
	r->new_v = sn->v;
	if (so->n < 2 || sn->n < 2) {
		/* One repetition says nothing about noise: never a verdict. */
		r->has_old = !summary_compute(&r->old, so->v, so->n, o->conf);
		r->has_new = !summary_compute(&r->new, sn->v, sn->n, o->conf);
		row_not_comparable(r, so->n < 2 && sn->n < 2 ? "one sample per side" :
				   "one sample on a side");
		return;
	}
	if (t->assume_exact) {
		row_assume_exact(r, so, sn, o->conf, t);
		return;
	}
	co.conf = o->conf;
	co.alpha = o->alpha;
	co.power = o->power;
	co.effect.conf = o->conf;
	/* compare_block_decide() computes it at the family's level. */
	co.no_mde = 1;
	err = cmp_pair(so->v, so->n, sn->v, sn->n, &co, &res);
	if (err) {
		/* Show what can be shown; the pair stays out of the family. */
		r->has_old = !summary_compute(&r->old, so->v, so->n, o->conf);
		r->has_new = !summary_compute(&r->new, sn->v, sn->n, o->conf);
		row_not_comparable(r, stats_strerror(err));
		return;
	}
	r->comparable = 1;
	r->old = res.base;
	r->new = res.head;
	r->ratio = res.eff.ratio;
	r->lo = res.eff.lo;
	r->hi = res.eff.hi;
	r->p = res.test.p_two;
	r->test = test_name(res.test.used);
	r->exact = res.test.used == MWU_USED_CONSTANT;
	/* Constant sides: any difference is detected; else see compare_block_decide(). */
	r->mde = r->exact ? 0.0 : res.mde;
}

/* Why a one-sided row is not comparable, in words. */
static const char *presence_why(enum compare_presence p)
{
	switch (p) {
	case COMPARE_ADDED:
		return "added";
	case COMPARE_REMOVED:
		return "removed";
	case COMPARE_ONLY_NEW:
		return "only in new";
	case COMPARE_ONLY_OLD:
		return "only in old";
	case COMPARE_BOTH:
		break;
	}
	return "?";
}

static void row_one_side(struct compare_row *r, const struct series *s, int old_side,
			 const struct compare_opts *o)
{
	struct summary *sum = old_side ? &r->old : &r->new;

	if (old_side)
		r->old_v = s->v;
	else
		r->new_v = s->v;
	if (summary_compute(sum, s->v, s->n, o->conf)) {
		if (old_side)
			r->has_old = 0;
		else
			r->has_new = 0;
	}
	row_not_comparable(r, presence_why(r->presence));
}

/* Unit ends in "/op": a per-op count, which the two-point differential can put around 0. */
static int per_op(const char *unit)
{
	size_t n = strlen(unit);

	return n > 3 && !strcmp(unit + n - 3, "/op");
}

/*
 * A diagnostic per-op counter around nothing on both sides: both medians
 * below the floor, or a negative one (the differential's noise around
 * zero, of about its magnitude) with the other side within
 * COMPARE_NEGATIVE_NOISE times that magnitude.  A side far beyond it is a
 * real count next to nothing (a branchless loop's branch misses, -17/op,
 * against a branchy one's 65,515/op): the row stays, not comparable but
 * shown.  Only rows with both sides summarised.
 */
static int row_negligible(const struct compare_row *r, const char *unit)
{
	double noise = 0;

	if (!per_op(unit) || r->presence != COMPARE_BOTH || !r->has_old || !r->has_new)
		return 0;
	if (!r->comparable && !r->unrepeatable && (!r->why || strcmp(r->why, "negative median")))
		return 0;
	if (r->old.median < 0)
		noise = -r->old.median;
	if (r->new.median < 0)
		noise = fmax(noise, -r->new.median);
	return fmax(fabs(r->old.median), fabs(r->new.median)) <
		fmax(COMPARE_NEGLIGIBLE, COMPARE_NEGATIVE_NOISE * noise);
}

static void row_build(struct compare_row *r, const struct series_key *bk,
		      const struct series_set *so, const struct series_set *sn, const char *unit,
		      const struct compare_table *t, const struct compare_opts *o)
{
	const struct series *a = series_set_find(so, bk->pkg, bk->name, unit);
	const struct series *b = series_set_find(sn, bk->pkg, bk->name, unit);

	/* The reason a side has no usable samples (valgrind failed on it): never gated. */
	const char *note = series_set_note(so, bk->pkg, bk->name, unit);

	if (!note)
		note = series_set_note(sn, bk->pkg, bk->name, unit);
	memset(r, 0, sizeof(*r));
	r->pkg = bk->pkg;
	r->name = bk->name;
	r->has_old = a != NULL;
	r->has_new = b != NULL;
	r->verdict = VERDICT_NOT_COMPARABLE;
	if (!a && !b) {
		row_not_comparable(r, note ? note : "?");
		return;
	}
	if (a && b && note) {
		r->presence = COMPARE_BOTH;
		r->old_v = a->v;
		r->new_v = b->v;
		r->has_old = !summary_compute(&r->old, a->v, a->n, o->conf);
		r->has_new = !summary_compute(&r->new, b->v, b->n, o->conf);
		row_not_comparable(r, note);
		return;
	}
	if (a && b) {
		r->presence = COMPARE_BOTH;
		row_compare(r, a, b, t, o);
		/*
		 * A ratio of medians needs both on the same side of zero:
		 * negative per-op counters are the differential's noise
		 * around nothing, and -270 -> 2730 is not "-1111 %".
		 */
		if (r->comparable && (r->old.median < 0 || r->new.median < 0)) {
			r->exact = r->exact_varies = r->apart = 0;
			r->outliers = 0;
			row_not_comparable(r, "negative median");
		}
		if (!t->gated && row_negligible(r, unit)) {
			r->exact = r->exact_varies = r->unrepeatable = r->apart = 0;
			r->outliers = 0;
			row_not_comparable(r, "negligible");
			r->negligible = 1;
		}
		return;
	}
	if (a)
		r->presence = series_set_has_bench(sn, bk->pkg, bk->name) ? COMPARE_ONLY_OLD :
			COMPARE_REMOVED;
	else
		r->presence = series_set_has_bench(so, bk->pkg, bk->name) ? COMPARE_ONLY_NEW :
			COMPARE_ADDED;
	row_one_side(r, a ? a : b, a != NULL, o);
	if (note)
		r->why = note;
}

/* ------------------------------------------------------------------ */
/* Tables and blocks                                                   */
/* ------------------------------------------------------------------ */

/* Direction: unit metadata of either set, else their format's convention, else ours. */
static void table_direction(struct compare_table *t, const struct series_set *so,
			    const struct series_set *sn)
{
	const struct series_unit_meta *uo = series_set_unit_meta(so, t->unit);
	const struct series_unit_meta *un = series_set_unit_meta(sn, t->unit);
	int better = 0;

	if (uo && uo->better)
		better = uo->better;
	else if (un && un->better)
		better = un->better;
	t->better_meta = better != 0;
	if (!better && so->default_better)
		better = so->default_better(t->unit);
	else if (!better && sn->default_better)
		better = sn->default_better(t->unit);
	if (better)
		t->mi.better = better;
	t->assume_exact = (uo && uo->assume_exact) || (un && un->assume_exact);
	t->max_spread = fmax(uo ? uo->max_spread : 0, un ? un->max_spread : 0);
}

/* Returns 0, or COMPARE_ECANCELED with the rows built so far. */
static int table_build(struct compare_table *t, const char *unit,
			const struct series_key *const *benches, size_t nbench,
			const struct series_set *so, const struct series_set *sn,
			const struct compare_opts *o)
{
	struct metric_policy pol;

	memset(t, 0, sizeof(*t));
	t->unit = unit;
	metric_policy_init(&pol);
	pol.over = o->over;
	pol.nover = o->nover;
	pol.gate = o->gate;
	pol.ngate = o->ngate;
	metric_lookup(&pol, unit, &t->mi);
	t->gated = t->mi.gate;
	table_direction(t, so, sn);
	t->rows = xcalloc(nbench ? nbench : 1, sizeof(*t->rows));
	for (size_t i = 0; i < nbench; i++) {
		const struct series_key *bk = benches[i];

		if (o->cancelled && o->cancelled(o->cancel_arg))
			return COMPARE_ECANCELED;
		if (!series_set_find(so, bk->pkg, bk->name, unit) &&
		    !series_set_find(sn, bk->pkg, bk->name, unit) &&
		    !series_set_note(so, bk->pkg, bk->name, unit) &&
		    !series_set_note(sn, bk->pkg, bk->name, unit))
			continue;
		row_build(&t->rows[t->nr], bk, so, sn, unit, t, o);
		t->ncomparable += t->rows[t->nr].comparable;
		t->nnegligible += t->rows[t->nr].negligible;
		t->nr++;
	}
	return 0;
}

/* The units a block compares, and those it leaves out. */
static void block_units(struct compare_block *b, const struct side *so, const struct side *sn,
			const struct compare_opts *o, const char ***units, size_t *nunits)
{
	const char **u = xcalloc(so->nunits + sn->nunits + o->nmetrics + 1, sizeof(*u));
	size_t n = 0;

	b->only_old = xcalloc(so->nunits + 1, sizeof(*b->only_old));
	b->only_new = xcalloc(sn->nunits + 1, sizeof(*b->only_new));
	if (o->nmetrics) {
		for (size_t i = 0; i < o->nmetrics; i++)
			if (!list_has(u, n, o->metrics[i]))
				u[n++] = o->metrics[i];
	} else {
		for (size_t i = 0; i < so->nunits; i++) {
			if (list_has(sn->units, sn->nunits, so->units[i]))
				u[n++] = so->units[i];
			else
				b->only_old[b->nonly_old++] = so->units[i];
		}
		for (size_t i = 0; i < sn->nunits; i++)
			if (!list_has(so->units, so->nunits, sn->units[i]))
				b->only_new[b->nonly_new++] = sn->units[i];
	}
	*units = u;
	*nunits = n;
}

static int block_build(struct compare_block *b, const struct side *so, const struct side *sn,
		       const struct compare_opts *o)
{
	const struct series_key **benches = xcalloc(so->nbench + sn->nbench + 1, sizeof(*benches));
	const char **units;
	size_t nb = 0, nunits;
	int ret = 0;

	b->new_label = sn->set->label;
	for (size_t i = 0; i < so->nbench; i++)
		benches[nb++] = so->bench[i];
	for (size_t i = 0; i < sn->nbench; i++)
		if (!series_set_has_bench(so->set, sn->bench[i]->pkg, sn->bench[i]->name))
			benches[nb++] = sn->bench[i];
	for (size_t i = 1; i < nb; i++)
		if (strcmp(benches[i]->pkg, benches[0]->pkg))
			b->multi_pkg = 1;
	block_units(b, so, sn, o, &units, &nunits);
	b->tables = xcalloc(nunits + 1, sizeof(*b->tables));
	for (size_t i = 0; i < nunits && !ret; i++) {
		ret = table_build(&b->tables[b->ntables], units[i], benches, nb, so->set, sn->set, o);
		/* A --metric unit that this pair of sets lacks makes no table. */
		if (b->tables[b->ntables].nr)
			b->ntables++;
		else
			free(b->tables[b->ntables].rows);
	}
	if (!ret)
		compare_block_decide(b, o);
	free(units);
	free(benches);
	return ret;
}

/*
 * Configuration keys with one value across every result of every set.  A
 * set's config holds the keys its own results share; a set without
 * results constrains nothing, an OLD set without results leaves nothing.
 */
static void common_config(struct compare_report *rep, const struct series_set *old,
			  const struct series_set *news, size_t nnew)
{
	if (!old->nbench)
		return;
	rep->common_key = xcalloc(old->nconfig + 1, sizeof(*rep->common_key));
	rep->common_value = xcalloc(old->nconfig + 1, sizeof(*rep->common_value));
	for (size_t k = 0; k < old->nconfig; k++) {
		const char *key = old->config[k].key, *val = old->config[k].value;
		int same = 1;

		for (size_t i = 0; i < nnew && same; i++) {
			const char *v = series_set_config(&news[i], key);

			same = !news[i].nbench || (v && !strcmp(v, val));
		}
		if (same) {
			rep->common_key[rep->ncommon] = key;
			rep->common_value[rep->ncommon++] = val;
		}
	}
}

int compare_build(struct compare_report *rep, const struct series_set *old,
		  const struct series_set *news, size_t nnew, const struct compare_opts *o)
{
	struct side *sides;
	int ret = 0;

	memset(rep, 0, sizeof(*rep));
	if (!old || !news || !nnew || !o || !(o->alpha > 0 && o->alpha < 1) ||
	    !(o->conf > 0 && o->conf < 1) || !(o->power > 0 && o->power < 1))
		return STATS_EINVAL;
	rep->old_label = old->label;
	rep->alpha = o->alpha;
	rep->conf = o->conf;
	rep->power = o->power;
	sides = xcalloc(nnew + 1, sizeof(*sides));
	side_init(&sides[0], old, o->filter);
	for (size_t i = 0; i < nnew; i++)
		side_init(&sides[i + 1], &news[i], o->filter);
	common_config(rep, old, news, nnew);
	rep->blocks = xcalloc(nnew, sizeof(*rep->blocks));
	rep->nblocks = nnew;
	for (size_t i = 0; i < nnew && !ret; i++) {
		struct compare_block *b = &rep->blocks[i];

		ret = block_build(b, &sides[0], &sides[i + 1], o);
		rep->regressions += b->count[VERDICT_REGRESSION];
		rep->nregressed += b->nregressed;
		rep->unreachable += b->unreachable;
		for (size_t t = 0; t < b->ntables; t++)
			rep->rows += b->tables[t].nr;
	}
	for (size_t i = 0; i <= nnew; i++)
		side_release(&sides[i]);
	free(sides);
	return ret;
}

void compare_report_release(struct compare_report *rep)
{
	for (size_t i = 0; i < rep->nblocks; i++) {
		struct compare_block *b = &rep->blocks[i];

		compare_block_release(b);
		for (size_t t = 0; t < b->ntables; t++)
			free(b->tables[t].rows);
		free(b->tables);
		free(b->only_old);
		free(b->only_new);
	}
	free(rep->blocks);
	free(rep->common_key);
	free(rep->common_value);
	memset(rep, 0, sizeof(*rep));
}
