/* A/B comparison of Go benchmark files; see compare_report.h. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare_report.h"
#include "escape.h"
#include "util/strvec.h"
#include "util/banned.h"

/* ------------------------------------------------------------------ */
/* Grouping: samples per (package, name, unit), benchmarks per file    */
/* ------------------------------------------------------------------ */

/* First member of every indexed item; unit is NULL for a benchmark. */
struct key {
	const char *pkg, *name, *unit;
	uint64_t hash;
};

struct cmp_series {
	struct key k;
	double *v;
	size_t n, alloc;
};

struct cmp_bench {
	struct key k;
};

/* Open addressing, linear probing; a slot holds an item index + 1. */
struct index {
	size_t *slot;
	size_t cap;
};

struct cmp_set {
	struct cmp_series *s;
	size_t ns, salloc;
	struct cmp_bench *b;
	size_t nb, balloc;
	const char **units;            /* in order of first appearance */
	size_t nunits, ualloc;
	struct index sx, bx;
};

static uint64_t hash_str(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	/* A separator, so that ("ab", "c") and ("a", "bc") differ. */
	h ^= 0xff;
	return h * 0x100000001b3ULL;
}

static void key_init(struct key *k, const char *pkg, const char *name, const char *unit)
{
	k->pkg = pkg;
	k->name = name;
	k->unit = unit;
	k->hash = hash_str(hash_str(0xcbf29ce484222325ULL, pkg), name);
	if (unit)
		k->hash = hash_str(k->hash, unit);
}

static int key_eq(const struct key *a, const struct key *b)
{
	return a->hash == b->hash && !strcmp(a->name, b->name) && !strcmp(a->pkg, b->pkg) &&
	       (a->unit == b->unit || (a->unit && b->unit && !strcmp(a->unit, b->unit)));
}

static const struct key *key_at(const void *items, size_t stride, size_t i)
{
	return (const struct key *)(const void *)((const char *)items + i * stride);
}

/* The slot holding k, or the empty slot where it belongs. */
static size_t *index_slot(const struct index *ix, const void *items, size_t stride,
		const struct key *k)
{
	size_t mask = ix->cap - 1;

	for (size_t i = (size_t)k->hash & mask;; i = (i + 1) & mask) {
		size_t *s = &ix->slot[i];

		if (!*s || key_eq(key_at(items, stride, *s - 1), k))
			return s;
	}
}

/* Make room for one more item, keeping the load under a half. */
static void index_reserve(struct index *ix, const void *items, size_t stride, size_t n)
{
	size_t cap = ix->cap ? ix->cap : 64;

	if (ix->cap && ix->cap >= 2 * (n + 1))
		return;
	while (cap < 2 * (n + 1))
		cap *= 2;
	free(ix->slot);
	ix->slot = xcalloc(cap, sizeof(*ix->slot));
	ix->cap = cap;
	for (size_t i = 0; i < n; i++)
		*index_slot(ix, items, stride, key_at(items, stride, i)) = i + 1;
}

static const struct cmp_series *set_series(const struct cmp_set *st, const char *pkg,
		const char *name, const char *unit)
{
	struct key k;
	size_t *s;

	if (!st->sx.cap)
		return NULL;
	key_init(&k, pkg, name, unit);
	s = index_slot(&st->sx, st->s, sizeof(*st->s), &k);
	return *s ? &st->s[*s - 1] : NULL;
}

static int set_has_bench(const struct cmp_set *st, const char *pkg, const char *name)
{
	struct key k;

	if (!st->bx.cap)
		return 0;
	key_init(&k, pkg, name, NULL);
	return *index_slot(&st->bx, st->b, sizeof(*st->b), &k) != 0;
}

static int set_has_unit(const struct cmp_set *st, const char *unit)
{
	for (size_t i = 0; i < st->nunits; i++)
		if (!strcmp(st->units[i], unit))
			return 1;
	return 0;
}

static void set_add_bench(struct cmp_set *st, const char *pkg, const char *name)
{
	struct key k;
	size_t *s;

	key_init(&k, pkg, name, NULL);
	index_reserve(&st->bx, st->b, sizeof(*st->b), st->nb);
	s = index_slot(&st->bx, st->b, sizeof(*st->b), &k);
	if (*s)
		return;
	ALLOC_GROW(st->b, st->nb + 1, st->balloc);
	st->b[st->nb].k = k;
	*s = ++st->nb;
}

static void set_add_value(struct cmp_set *st, const char *pkg, const char *name,
		const char *unit, double v)
{
	struct cmp_series *se;
	struct key k;
	size_t *s;

	key_init(&k, pkg, name, unit);
	index_reserve(&st->sx, st->s, sizeof(*st->s), st->ns);
	s = index_slot(&st->sx, st->s, sizeof(*st->s), &k);
	if (!*s) {
		ALLOC_GROW(st->s, st->ns + 1, st->salloc);
		memset(&st->s[st->ns], 0, sizeof(st->s[st->ns]));
		st->s[st->ns].k = k;
		*s = ++st->ns;
		if (!set_has_unit(st, unit)) {
			ALLOC_GROW(st->units, st->nunits + 1, st->ualloc);
			st->units[st->nunits++] = unit;
		}
	}
	se = &st->s[*s - 1];
	ALLOC_GROW(se->v, se->n + 1, se->alloc);
	se->v[se->n++] = v;
}

static void set_build(struct cmp_set *st, const struct gb_file *f, const regex_t *filter)
{
	for (size_t i = 0; i < f->nr; i++) {
		const struct gb_result *r = &f->results[i];
		const char *pkg = gb_config_get(f, r, "pkg");

		if (filter && regexec(filter, r->name, 0, NULL, 0))
			continue;
		if (!pkg)
			pkg = "";
		set_add_bench(st, pkg, r->name);
		for (size_t j = 0; j < r->nvalues; j++)
			set_add_value(st, pkg, r->name, r->values[j].unit, r->values[j].value);
	}
}

static void set_release(struct cmp_set *st)
{
	for (size_t i = 0; i < st->ns; i++)
		free(st->s[i].v);
	free(st->s);
	free(st->b);
	free(st->units);
	free(st->sx.slot);
	free(st->bx.slot);
	memset(st, 0, sizeof(*st));
}

/* ------------------------------------------------------------------ */
/* One row: a (benchmark, unit) pair                                   */
/* ------------------------------------------------------------------ */

static void row_not_comparable(struct cmp_row *r, const char *why)
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
static void row_assume_exact(struct cmp_row *r, const struct cmp_series *so,
		const struct cmp_series *sn, double conf)
{
	int err = summary_compute(&r->old, so->v, so->n, conf);

	if (!err)
		err = summary_compute(&r->new, sn->v, sn->n, conf);
	if (err) {
		row_not_comparable(r, stats_strerror(err));
		return;
	}
	r->comparable = 1;
	r->exact = 1;
	r->test = "assume-exact";
	r->exact_varies = !r->old.constant || !r->new.constant;
	r->ratio = r->lo = r->hi = exact_ratio(r->old.median, r->new.median);
	r->p = r->old.median != r->new.median ? 0.0 : 1.0;
	r->mde = 0.0;
}

static void row_compare(struct cmp_row *r, const struct cmp_series *so,
		const struct cmp_series *sn, int assume_exact, const struct compare_opts *o)
{
	struct cmp_opts co = CMP_OPTS_INIT;
	struct cmp_result res;
	int err;

	r->old_v = so->v;
	r->new_v = sn->v;
	if (assume_exact) {
		row_assume_exact(r, so, sn, o->conf);
		return;
	}
	co.conf = o->conf;
	co.alpha = o->alpha;
	co.power = o->power;
	co.effect.conf = o->conf;
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
	r->mde = res.mde;
}

/* Why a one-sided row is not comparable, in words. */
static const char *presence_why(enum cmp_presence p)
{
	switch (p) {
	case CMP_ADDED:
		return "added";
	case CMP_REMOVED:
		return "removed";
	case CMP_ONLY_NEW:
		return "only in new";
	case CMP_ONLY_OLD:
		return "only in old";
	case CMP_BOTH:
		break;
	}
	return "?";
}

static void row_one_side(struct cmp_row *r, const struct cmp_series *s, int old_side,
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

static void row_build(struct cmp_row *r, const struct key *bk, const struct cmp_set *so,
		const struct cmp_set *sn, const char *unit, int assume_exact,
		const struct compare_opts *o)
{
	const struct cmp_series *a = set_series(so, bk->pkg, bk->name, unit);
	const struct cmp_series *b = set_series(sn, bk->pkg, bk->name, unit);

	memset(r, 0, sizeof(*r));
	r->pkg = bk->pkg;
	r->name = bk->name;
	r->has_old = a != NULL;
	r->has_new = b != NULL;
	r->verdict = VERDICT_NOT_COMPARABLE;
	if (a && b) {
		r->presence = CMP_BOTH;
		row_compare(r, a, b, assume_exact, o);
		/*
		 * A ratio of medians needs both on the same side of zero:
		 * negative per-op counters are the differential's noise
		 * around nothing, and -270 -> 2730 is not "-1111 %".
		 */
		if (r->comparable && (r->old.median < 0 || r->new.median < 0)) {
			r->exact = r->exact_varies = 0;
			row_not_comparable(r, "negative median");
		}
		return;
	}
	if (a)
		r->presence = set_has_bench(sn, bk->pkg, bk->name) ? CMP_ONLY_OLD : CMP_REMOVED;
	else
		r->presence = set_has_bench(so, bk->pkg, bk->name) ? CMP_ONLY_NEW : CMP_ADDED;
	row_one_side(r, a ? a : b, a != NULL, o);
}

/* ------------------------------------------------------------------ */
/* Tables and blocks                                                   */
/* ------------------------------------------------------------------ */

/* Direction: Unit metadata of either file, else Go's defaults, else ours. */
static void table_direction(struct cmp_table *t, const struct gb_file *fo,
		const struct gb_file *fn)
{
	const struct gb_unit *uo = gb_unit_find(fo, t->unit);
	const struct gb_unit *un = gb_unit_find(fn, t->unit);
	int better = 0;

	if (uo && uo->better)
		better = uo->better;
	else if (un && un->better)
		better = un->better;
	t->better_meta = better != 0;
	if (!better)
		better = gb_unit_default_better(t->unit);
	if (better)
		t->mi.better = better;
	t->assume_exact = (uo && uo->assume_exact) || (un && un->assume_exact);
}

static void table_build(struct cmp_table *t, const char *unit, const struct key *benches,
		size_t nbench, const struct cmp_set *so, const struct cmp_set *sn,
		const struct gb_file *fo, const struct gb_file *fn, const struct compare_opts *o)
{
	struct metric_policy pol;

	memset(t, 0, sizeof(*t));
	t->unit = unit;
	metric_policy_init(&pol);
	pol.over = o->over;
	pol.nover = o->nover;
	metric_lookup(&pol, unit, &t->mi);
	table_direction(t, fo, fn);
	t->rows = xcalloc(nbench ? nbench : 1, sizeof(*t->rows));
	for (size_t i = 0; i < nbench; i++) {
		if (!set_series(so, benches[i].pkg, benches[i].name, unit) &&
		    !set_series(sn, benches[i].pkg, benches[i].name, unit))
			continue;
		row_build(&t->rows[t->nr], &benches[i], so, sn, unit, t->assume_exact, o);
		t->ncomparable += t->rows[t->nr].comparable;
		t->nr++;
	}
}

/* Geomean of the medians and of the ratios, over rows where all are > 0. */
static void table_geomean(struct cmp_table *t)
{
	double *a = xcalloc(t->nr + 1, 3 * sizeof(double));
	double *b = a + t->nr + 1, *q = b + t->nr + 1;
	size_t n = 0;

	for (size_t i = 0; i < t->nr; i++) {
		const struct cmp_row *r = &t->rows[i];

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

/* Holm over every comparable pair of the block, then verdicts and MDEs. */
static void block_decide(struct cmp_block *b, const struct compare_opts *o)
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

	for (size_t i = 0; i < b->ntables; i++) {
		struct cmp_table *t = &b->tables[i];

		for (size_t j = 0; j < t->nr; j++) {
			struct cmp_row *r = &t->rows[j];
			struct verdict_in vi = VERDICT_IN_INIT;

			if (r->comparable) {
				/*
				 * The level Holm's first step demands: a pair
				 * only gates if it can get there.
				 */
				if (!r->exact && stats_mde(&r->old, &r->new, o->alpha / (double)b->family,
							   o->power, &r->mde))
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
			b->count[r->verdict]++;
		}
		table_geomean(t);
	}
}

static int list_has(const char *const *l, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(l[i], s))
			return 1;
	return 0;
}

/* The units a block compares, and those it leaves out. */
static void block_units(struct cmp_block *b, const struct cmp_set *so,
		const struct cmp_set *sn, const struct compare_opts *o,
		const char ***units, size_t *nunits)
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
			if (set_has_unit(sn, so->units[i]))
				u[n++] = so->units[i];
			else
				b->only_old[b->nonly_old++] = so->units[i];
		}
		for (size_t i = 0; i < sn->nunits; i++)
			if (!set_has_unit(so, sn->units[i]))
				b->only_new[b->nonly_new++] = sn->units[i];
	}
	*units = u;
	*nunits = n;
}

static void block_build(struct cmp_block *b, const struct cmp_set *so, const struct cmp_set *sn,
		const struct gb_file *fo, const struct gb_file *fn, const char *label,
		const struct compare_opts *o)
{
	struct key *benches = xcalloc(so->nb + sn->nb + 1, sizeof(*benches));
	const char **units;
	size_t nb = 0, nunits;

	b->new_label = label;
	for (size_t i = 0; i < so->nb; i++)
		benches[nb++] = so->b[i].k;
	for (size_t i = 0; i < sn->nb; i++)
		if (!set_has_bench(so, sn->b[i].k.pkg, sn->b[i].k.name))
			benches[nb++] = sn->b[i].k;
	for (size_t i = 1; i < nb; i++)
		if (strcmp(benches[i].pkg, benches[0].pkg))
			b->multi_pkg = 1;
	block_units(b, so, sn, o, &units, &nunits);
	b->tables = xcalloc(nunits + 1, sizeof(*b->tables));
	for (size_t i = 0; i < nunits; i++) {
		table_build(&b->tables[b->ntables], units[i], benches, nb, so, sn, fo, fn, o);
		/* A --metric unit that this pair of files lacks makes no table. */
		if (b->tables[b->ntables].nr)
			b->ntables++;
		else
			free(b->tables[b->ntables].rows);
	}
	block_decide(b, o);
	free(units);
	free(benches);
}

/* Configuration keys with one value across every result of every file. */
static void common_config(struct compare_report *rep, const struct gb_file *const *files,
		size_t nfiles)
{
	const struct gb_file *f0 = files[0];
	const struct gb_config *c;

	if (!f0->nr || f0->results[0].config >= f0->nconfigs)
		return;
	c = &f0->configs[f0->results[0].config];
	rep->common_key = xcalloc(c->nr + 1, sizeof(*rep->common_key));
	rep->common_value = xcalloc(c->nr + 1, sizeof(*rep->common_value));
	for (size_t k = 0; k < c->nr; k++) {
		const char *key = c->kv[k].key, *val = c->kv[k].value;
		int same = 1;

		for (size_t i = 0; i < nfiles && same; i++)
			for (size_t j = 0; j < files[i]->nr && same; j++) {
				const char *v = gb_config_get(files[i], &files[i]->results[j], key);

				same = v && !strcmp(v, val);
			}
		if (same) {
			rep->common_key[rep->ncommon] = key;
			rep->common_value[rep->ncommon++] = val;
		}
	}
}

int compare_build(struct compare_report *rep, const struct compare_input *old,
		const struct compare_input *news, size_t nnew, const struct compare_opts *o)
{
	const struct gb_file **files;

	memset(rep, 0, sizeof(*rep));
	if (!old || !news || !nnew || !o || !(o->alpha > 0 && o->alpha < 1) ||
	    !(o->conf > 0 && o->conf < 1) || !(o->power > 0 && o->power < 1))
		return STATS_EINVAL;
	rep->old_label = old->label;
	rep->alpha = o->alpha;
	rep->conf = o->conf;
	rep->power = o->power;
	rep->nsets = nnew + 1;
	rep->sets = xcalloc(rep->nsets, sizeof(*rep->sets));
	files = xcalloc(nnew + 1, sizeof(*files));
	files[0] = old->f;
	set_build(&rep->sets[0], old->f, o->filter);
	for (size_t i = 0; i < nnew; i++) {
		files[i + 1] = news[i].f;
		set_build(&rep->sets[i + 1], news[i].f, o->filter);
	}
	common_config(rep, files, nnew + 1);
	rep->blocks = xcalloc(nnew, sizeof(*rep->blocks));
	rep->nblocks = nnew;
	for (size_t i = 0; i < nnew; i++) {
		struct cmp_block *b = &rep->blocks[i];

		block_build(b, &rep->sets[0], &rep->sets[i + 1], old->f, news[i].f,
			    news[i].label, o);
		rep->regressions += b->count[VERDICT_REGRESSION];
		for (size_t t = 0; t < b->ntables; t++)
			rep->rows += b->tables[t].nr;
	}
	free(files);
	return 0;
}

void compare_report_release(struct compare_report *rep)
{
	for (size_t i = 0; i < rep->nblocks; i++) {
		struct cmp_block *b = &rep->blocks[i];

		for (size_t t = 0; t < b->ntables; t++)
			free(b->tables[t].rows);
		free(b->tables);
		free(b->only_old);
		free(b->only_new);
	}
	free(rep->blocks);
	for (size_t i = 0; i < rep->nsets; i++)
		set_release(&rep->sets[i]);
	free(rep->sets);
	free(rep->common_key);
	free(rep->common_value);
	memset(rep, 0, sizeof(*rep));
}

/* ------------------------------------------------------------------ */
/* Cells shared by every format                                        */
/* ------------------------------------------------------------------ */

enum vkind { VK_PLAIN, VK_TIME, VK_BYTES };

/* How to scale a unit's values; *base converts to seconds or bytes. */
static enum vkind unit_kind(const char *unit, double *base)
{
	*base = 1.0;
	if (starts_with(unit, "ns/") || strstr(unit, "-ns/")) {
		*base = 1e-9;
		return VK_TIME;
	}
	if (starts_with(unit, "sec/") || strstr(unit, "-sec/"))
		return VK_TIME;
	if (starts_with(unit, "B/") || strstr(unit, "-B/"))
		return VK_BYTES;
	return VK_PLAIN;
}

/* Four significant digits for 1 <= a < 1000 (as rounded), %.4g below. */
static void add_sig4(struct buf *out, double a)
{
	if (a >= 999.95)
		buf_addf(out, "%.0f", a);
	else if (a >= 99.995)
		buf_addf(out, "%.1f", a);
	else if (a >= 9.9995)
		buf_addf(out, "%.2f", a);
	else if (a >= 0.99995)
		buf_addf(out, "%.3f", a);
	else
		buf_addf(out, "%.4g", a);
}

void compare_fmt_value(struct buf *out, const char *unit, double v)
{
	static const char *const time_pfx[] = { "ns", "µs", "ms", "s" };
	static const char *const iec_pfx[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	static const char *const si_pfx[] = { "", "k", "M", "G", "T" };
	double base, a = fabs(v);
	enum vkind kind = unit_kind(unit, &base);
	size_t i = 0;

	if (isnan(v)) {
		buf_addch(out, '?');
		return;
	}
	if (v < 0)
		buf_addch(out, '-');
	if (isinf(v)) {
		buf_addstr(out, "∞");
		return;
	}
	switch (kind) {
	case VK_TIME:
		a *= base * 1e9;
		for (; i + 1 < ARRAY_SIZE(time_pfx) && a >= 999.95; i++)
			a /= 1000;
		add_sig4(out, a);
		buf_addstr(out, time_pfx[i]);
		break;
	case VK_BYTES:
		for (; i + 1 < ARRAY_SIZE(iec_pfx) && a >= 1023.95; i++)
			a /= 1024;
		add_sig4(out, a);
		buf_addstr(out, iec_pfx[i]);
		break;
	case VK_PLAIN:
		for (; i + 1 < ARRAY_SIZE(si_pfx) && a >= 999.95; i++)
			a /= 1000;
		add_sig4(out, a);
		buf_addstr(out, si_pfx[i]);
		break;
	}
}

/* "845.2ns ± 1%": the median and its CI half-width relative to it. */
static void add_center(struct buf *out, const char *unit, const struct summary *s)
{
	double m = fabs(s->median), w;

	compare_fmt_value(out, unit, s->median);
	buf_addstr(out, " ± ");
	/* A constant sample needs no order statistics to be sure of its median. */
	if (s->constant) {
		buf_addstr(out, "0%");
		return;
	}
	if (!s->ci_ok || !isfinite(s->ci_lo) || !isfinite(s->ci_hi)) {
		buf_addstr(out, "∞");
		return;
	}
	w = fmax(s->median - s->ci_lo, s->ci_hi - s->median);
	if (m == 0)
		buf_addstr(out, w == 0 ? "0%" : "?");
	else
		buf_addf(out, "%.0f%%", 100.0 * w / m);
}

static void add_pct(struct buf *out, double ratio)
{
	if (isnan(ratio))
		buf_addch(out, '?');
	else if (isinf(ratio))
		buf_addstr(out, ratio > 0 ? "+∞%" : "-∞%");
	else
		buf_addf(out, "%+.2f%%", 100.0 * (ratio - 1.0));
}

/* The change, or "~" when it is neither significant nor beyond θ. */
static void add_delta(struct buf *out, const struct cmp_row *r, double alpha)
{
	if (!r->comparable)
		return;
	if (r->verdict == VERDICT_SAME && !(r->p_adj < alpha))
		buf_addch(out, '~');
	else
		add_pct(out, r->ratio);
}

static void add_pn(struct buf *out, const struct cmp_row *r)
{
	if (!r->comparable)
		return;
	if (r->exact)
		buf_addf(out, "(exact n=%zu+%zu)", r->old.n, r->new.n);
	else
		buf_addf(out, "(p=%.3f n=%zu+%zu)", r->p_adj, r->old.n, r->new.n);
}

static void add_mde(struct buf *out, const struct cmp_row *r)
{
	if (!r->comparable)
		return;
	if (isinf(r->mde))
		buf_addstr(out, "∞");
	else if (r->mde >= 10.0)
		buf_addstr(out, ">1000%");	/* a median near 0: the digits say nothing */
	else if (r->mde == 0)
		buf_addstr(out, "0%");
	else
		buf_addf(out, "%.1f%%", 100.0 * r->mde);
}

static void add_verdict(struct buf *out, const struct cmp_row *r)
{
	buf_addstr(out, verdict_name(r->verdict));
	if (r->verdict == VERDICT_NOT_COMPARABLE)
		buf_addf(out, ": %s", r->why ? r->why : "?");
}

static void add_note(struct buf *out, const struct cmp_row *r)
{
	if (r->underpowered)
		buf_addstr(out, "under-powered");
	if (r->exact_varies)
		buf_addf(out, "%svalues vary", r->underpowered ? ", " : "");
	if (r->unconfirmed)
		buf_addf(out, "%snot confirmed", r->underpowered || r->exact_varies ? ", " : "");
}

static void add_name(struct buf *out, const struct cmp_block *b, const struct cmp_row *r)
{
	/* Two packages may share a benchmark name: qualify as Go does. */
	if (b->multi_pkg && *r->pkg)
		buf_addf(out, "%s.", r->pkg);
	buf_addstr(out, r->name);
}

static void add_theta(struct buf *out, const struct cmp_table *t)
{
	buf_addf(out, "%s is better, θ %g%%", t->mi.better > 0 ? "higher" : "lower",
		 100.0 * t->mi.theta);
	if (t->assume_exact)
		buf_addstr(out, ", assume=exact");
}

static void add_counts(struct buf *out, const struct cmp_block *b, int md)
{
	static const enum verdict order[] = {
		VERDICT_REGRESSION, VERDICT_IMPROVEMENT, VERDICT_INCONCLUSIVE,
		VERDICT_SAME, VERDICT_NOT_COMPARABLE
	};

	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		size_t n = b->count[order[i]];
		int strong = md && order[i] == VERDICT_REGRESSION && n;

		buf_addf(out, "%s%s%zu %s%s%s", i ? ", " : "", strong ? "**" : "", n,
			 verdict_name(order[i]),
			 (order[i] == VERDICT_REGRESSION || order[i] == VERDICT_IMPROVEMENT) && n != 1 ? "s" : "", strong ? "**" : "");
	}
}

/* ------------------------------------------------------------------ */
/* Text                                                                */
/* ------------------------------------------------------------------ */

/* A table of cells, laid out when complete. */
struct grid {
	struct strvec cells;           /* row-major */
	size_t ncols;
	const char *align;             /* per column: 'l' or 'r' */
};

static void grid_cell(struct grid *g, struct buf *cell)
{
	strvec_push(&g->cells, cell->buf);
	buf_reset(cell);
}

/* Columns on screen: UTF-8 continuation bytes take none. */
static size_t text_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void grid_render(struct buf *out, const struct grid *g)
{
	size_t *w = xcalloc(g->ncols, sizeof(*w));
	size_t nrows = g->cells.nr / g->ncols;

	for (size_t i = 0; i < g->cells.nr; i++) {
		size_t cw = text_width(g->cells.v[i]);

		if (cw > w[i % g->ncols])
			w[i % g->ncols] = cw;
	}
	for (size_t r = 0; r < nrows; r++) {
		size_t start = out->len;

		for (size_t c = 0; c < g->ncols; c++) {
			const char *s = g->cells.v[r * g->ncols + c];
			size_t pad = w[c] - text_width(s);

			if (!w[c])
				continue;
			if (c)
				buf_addstr(out, "  ");
			if (g->align[c] == 'r')
				buf_addchars(out, ' ', pad);
			buf_addstr(out, s);
			if (g->align[c] != 'r')
				buf_addchars(out, ' ', pad);
		}
		while (out->len > start && out->buf[out->len - 1] == ' ')
			buf_setlen(out, out->len - 1);
		buf_addch(out, '\n');
	}
	free(w);
}

static void text_table(struct buf *out, const struct compare_report *rep,
		const struct cmp_block *b, const struct cmp_table *t)
{
	struct grid g = { STRVEC_INIT, 8, "lrrrlrll" };
	static const char *const head[] = { "", NULL, NULL, "delta", "", "mde", "verdict", "" };
	struct buf c = BUF_INIT;

	buf_addf(out, "%s: ", t->unit);
	add_theta(out, t);
	buf_addch(out, '\n');
	for (size_t i = 0; i < ARRAY_SIZE(head); i++) {
		buf_addstr(&c, head[i] ? head[i] : i == 1 ? rep->old_label : b->new_label);
		grid_cell(&g, &c);
	}
	for (size_t i = 0; i < t->nr; i++) {
		const struct cmp_row *r = &t->rows[i];

		add_name(&c, b, r);
		grid_cell(&g, &c);
		if (r->has_old)
			add_center(&c, t->unit, &r->old);
		grid_cell(&g, &c);
		if (r->has_new)
			add_center(&c, t->unit, &r->new);
		grid_cell(&g, &c);
		add_delta(&c, r, rep->alpha);
		grid_cell(&g, &c);
		add_pn(&c, r);
		grid_cell(&g, &c);
		add_mde(&c, r);
		grid_cell(&g, &c);
		add_verdict(&c, r);
		grid_cell(&g, &c);
		add_note(&c, r);
		grid_cell(&g, &c);
	}
	if (t->has_geomean) {
		strvec_push(&g.cells, "geomean");
		compare_fmt_value(&c, t->unit, t->gm_old);
		grid_cell(&g, &c);
		compare_fmt_value(&c, t->unit, t->gm_new);
		grid_cell(&g, &c);
		add_pct(&c, t->gm_ratio);
		grid_cell(&g, &c);
		for (int i = 0; i < 3; i++)
			strvec_push(&g.cells, "");
		if (t->gm_n < t->ncomparable)
			buf_addf(&c, "over %zu of %zu", t->gm_n, t->ncomparable);
		grid_cell(&g, &c);
	}
	grid_render(out, &g);
	strvec_clear(&g.cells);
	buf_release(&c);
}

static void add_unit_list(struct buf *out, const char *const *u, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_addf(out, "%s%s", i ? ", " : "", u[i]);
}

static void text_block(struct buf *out, const struct compare_report *rep,
		const struct cmp_block *b)
{
	if (rep->nblocks > 1)
		buf_addf(out, "== %s vs %s\n\n", b->new_label, rep->old_label);
	for (size_t i = 0; i < b->ntables; i++) {
		text_table(out, rep, b, &b->tables[i]);
		buf_addch(out, '\n');
	}
	if (!b->ntables)
		buf_addstr(out, "no unit to compare\n\n");
	if (b->nonly_old || b->nonly_new) {
		buf_addstr(out, "not compared:");
		if (b->nonly_old) {
			buf_addf(out, " only in %s: ", rep->old_label);
			add_unit_list(out, b->only_old, b->nonly_old);
			buf_addstr(out, b->nonly_new ? ";" : "");
		}
		if (b->nonly_new) {
			buf_addf(out, " only in %s: ", b->new_label);
			add_unit_list(out, b->only_new, b->nonly_new);
		}
		buf_addch(out, '\n');
	}
	add_counts(out, b, 0);
	buf_addf(out, " (Holm over %zu comparison%s, α=%g)\n\n", b->family,
		 b->family == 1 ? "" : "s", rep->alpha);
}

void compare_report_text(struct buf *out, const struct compare_report *rep)
{
	for (size_t i = 0; i < rep->ncommon; i++)
		buf_addf(out, "%s: %s\n", rep->common_key[i], rep->common_value[i]);
	if (rep->ncommon)
		buf_addch(out, '\n');
	for (size_t i = 0; i < rep->nblocks; i++)
		text_block(out, rep, &rep->blocks[i]);
	for (size_t i = 0; i < rep->nnotes; i++)
		buf_addf(out, "%s\n", rep->notes[i]);
	if (rep->runner)
		buf_addf(out, "runner: %s\n", rep->runner);
	if (rep->nnotes || rep->runner)
		buf_addch(out, '\n');
	buf_addf(out,
		 "± %g%% CI of the median (∞: too few samples); delta: change of the median,\n"
		 "~ when neither significant nor beyond θ; p: Mann-Whitney U, Holm-adjusted;\n"
		 "exact: constant or assume=exact values compared directly; mde: minimum\n"
		 "detectable effect (%g%% power), under-powered when θ is below it;\n"
		 "regression/improvement: p < α and the whole %g%% CI of the ratio beyond θ;\n"
		 "inconclusive: beyond θ but not established, re-run with more repetitions\n",
		 100.0 * rep->conf, 100.0 * rep->power, 100.0 * rep->conf);
}

/* ------------------------------------------------------------------ */
/* Markdown                                                            */
/* ------------------------------------------------------------------ */

/*
 * Inline code that survives a GFM table cell: '|' must be "\|" even in a
 * code span, and the fence must be longer than any run of backticks
 * inside.  md_cell_escape() doubles backslashes, which code spans would
 * show literally, hence this.
 */
static void md_code(struct buf *out, const char *s)
{
	size_t run = 0, longest = 0;
	int pad;

	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	pad = *s == '`' || (*s && s[strlen(s) - 1] == '`');
	buf_addchars(out, '`', longest + 1);
	if (pad)
		buf_addch(out, ' ');
	for (; *s; s++) {
		if (*s == '|')
			buf_addch(out, '\\');
		buf_addch(out, *s == '\n' || *s == '\r' ? ' ' : *s);
	}
	if (pad)
		buf_addch(out, ' ');
	buf_addchars(out, '`', longest + 1);
}

static void md_row_name(struct buf *out, const struct cmp_block *b, const struct cmp_row *r)
{
	struct buf n = BUF_INIT;

	add_name(&n, b, r);
	md_code(out, n.buf);
	buf_release(&n);
}

static void md_cell(struct buf *out, struct buf *cell)
{
	buf_addstr(out, " | ");
	md_cell_escape(out, cell->buf);
	buf_reset(cell);
}

static void md_changes(struct buf *out, const struct cmp_block *b)
{
	struct buf c = BUF_INIT;
	size_t n = 0;

	/* Regressions first: they are what the reader came for. */
	for (int pass = 0; pass < 2; pass++) {
		enum verdict want = pass ? VERDICT_IMPROVEMENT : VERDICT_REGRESSION;

		for (size_t i = 0; i < b->ntables; i++) {
			const struct cmp_table *t = &b->tables[i];

			for (size_t j = 0; j < t->nr; j++) {
				const struct cmp_row *r = &t->rows[j];

				if (r->verdict != want)
					continue;
				if (!n++)
					buf_addstr(out, "| Benchmark | Unit | Old | New | Delta | Verdict |\n"
						   "|:--|:--|--:|--:|--:|:--|\n");
				buf_addstr(out, "| ");
				md_row_name(out, b, r);
				buf_addstr(&c, t->unit);
				md_cell(out, &c);
				add_center(&c, t->unit, &r->old);
				md_cell(out, &c);
				add_center(&c, t->unit, &r->new);
				md_cell(out, &c);
				add_pct(&c, r->ratio);
				buf_addch(&c, ' ');
				add_pn(&c, r);
				md_cell(out, &c);
				buf_addf(out, " | **%s** |\n", verdict_name(r->verdict));
			}
		}
	}
	if (!n)
		buf_addstr(out, "No significant changes.\n");
	buf_release(&c);
}

static void md_table(struct buf *out, const struct compare_report *rep,
		const struct cmp_block *b, const struct cmp_table *t)
{
	struct buf c = BUF_INIT;

	buf_addstr(out, "**");
	md_cell_escape(out, t->unit);
	buf_addstr(out, "**: ");
	add_theta(out, t);
	buf_addstr(out, "\n\n| Benchmark | ");
	md_code(out, rep->old_label);
	buf_addstr(out, " | ");
	md_code(out, b->new_label);
	buf_addstr(out, " | Delta | p (n) | MDE | Verdict |\n|:--|--:|--:|--:|:--|--:|:--|\n");
	for (size_t i = 0; i < t->nr; i++) {
		const struct cmp_row *r = &t->rows[i];

		buf_addstr(out, "| ");
		md_row_name(out, b, r);
		if (r->has_old)
			add_center(&c, t->unit, &r->old);
		md_cell(out, &c);
		if (r->has_new)
			add_center(&c, t->unit, &r->new);
		md_cell(out, &c);
		add_delta(&c, r, rep->alpha);
		md_cell(out, &c);
		add_pn(&c, r);
		md_cell(out, &c);
		add_mde(&c, r);
		md_cell(out, &c);
		add_verdict(&c, r);
		if (r->underpowered || r->exact_varies || r->unconfirmed)
			buf_addstr(&c, " (");
		add_note(&c, r);
		if (r->underpowered || r->exact_varies || r->unconfirmed)
			buf_addch(&c, ')');
		md_cell(out, &c);
		buf_addstr(out, " |\n");
	}
	if (t->has_geomean) {
		buf_addstr(out, "| geomean");
		compare_fmt_value(&c, t->unit, t->gm_old);
		md_cell(out, &c);
		compare_fmt_value(&c, t->unit, t->gm_new);
		md_cell(out, &c);
		add_pct(&c, t->gm_ratio);
		md_cell(out, &c);
		buf_addstr(out, " |  |  |  |\n");
	}
	buf_addch(out, '\n');
	buf_release(&c);
}

static void md_block(struct buf *out, const struct compare_report *rep,
		const struct cmp_block *b)
{
	buf_addstr(out, "**perfgo compare** ");
	md_code(out, rep->old_label);
	buf_addstr(out, " → ");
	md_code(out, b->new_label);
	buf_addstr(out, ": ");
	add_counts(out, b, 1);
	buf_addstr(out, "\n\n");
	md_changes(out, b);
	buf_addf(out, "\n<details><summary>All results: %zu unit%s, Holm over %zu comparison%s</summary>\n\n",
		 b->ntables, b->ntables == 1 ? "" : "s", b->family, b->family == 1 ? "" : "s");
	for (size_t i = 0; i < b->ntables; i++)
		md_table(out, rep, b, &b->tables[i]);
	if (b->nonly_old || b->nonly_new) {
		buf_addstr(out, "Not compared (in one file only):");
		if (b->nonly_old) {
			buf_addstr(out, " old: ");
			add_unit_list(out, b->only_old, b->nonly_old);
		}
		if (b->nonly_new) {
			buf_addstr(out, b->nonly_old ? "; new: " : " new: ");
			add_unit_list(out, b->only_new, b->nonly_new);
		}
		buf_addstr(out, "\n\n");
	}
	buf_addstr(out, "</details>\n\n");
}

void compare_report_markdown(struct buf *out, const struct compare_report *rep)
{
	for (size_t i = 0; i < rep->nblocks; i++)
		md_block(out, rep, &rep->blocks[i]);
	for (size_t i = 0; i < rep->nnotes; i++) {
		md_cell_escape(out, rep->notes[i]);
		buf_addstr(out, "\n\n");
	}
	if (rep->runner) {
		buf_addstr(out, "<sub>Runner: ");
		md_cell_escape(out, rep->runner);
		buf_addstr(out, "</sub>\n\n");
	}
	buf_addf(out,
		 "<sub>Method: median of the repetitions ± its %g %% confidence interval; "
		 "two-sided Mann-Whitney U test, Holm-adjusted over every compared "
		 "benchmark × unit (α = %g). A regression or improvement is significant "
		 "and has the whole %g %% CI of the ratio of medians beyond the unit's "
		 "threshold θ; ~ is within noise; inconclusive is beyond θ but not "
		 "established (re-run with more repetitions). MDE: minimum detectable "
		 "effect at %g %% power; under-powered when θ is below it. The geomean "
		 "row never gates.</sub>\n",
		 100.0 * rep->conf, rep->alpha, 100.0 * rep->conf, 100.0 * rep->power);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

static void json_key(struct buf *out, const char *key)
{
	json_quote(out, key);
	buf_addch(out, ':');
}

static void json_num_kv(struct buf *out, const char *key, double v)
{
	json_key(out, key);
	json_number(out, v);
	buf_addch(out, ',');
}

static void json_str_list(struct buf *out, const char *const *l, size_t n)
{
	buf_addch(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addch(out, ',');
		json_quote(out, l[i]);
	}
	buf_addch(out, ']');
}

static void json_side(struct buf *out, const struct summary *s, const double *v)
{
	buf_addf(out, "{\"n\":%zu,", s->n);
	json_num_kv(out, "median", s->median);
	json_key(out, "ci");
	if (s->ci_ok && isfinite(s->ci_lo) && isfinite(s->ci_hi)) {
		buf_addch(out, '[');
		json_number(out, s->ci_lo);
		buf_addch(out, ',');
		json_number(out, s->ci_hi);
		buf_addstr(out, "],");
	} else {
		buf_addstr(out, "null,");
	}
	json_num_kv(out, "mean", s->mean);
	json_num_kv(out, "sd", s->sd);
	json_num_kv(out, "cv", s->cv);
	json_num_kv(out, "mad", s->mad);
	json_num_kv(out, "min", s->min);
	json_num_kv(out, "max", s->max);
	json_key(out, "samples");
	buf_addch(out, '[');
	for (size_t i = 0; i < s->n; i++) {
		if (i)
			buf_addch(out, ',');
		json_number(out, v[i]);
	}
	buf_addstr(out, "]}");
}

static const char *presence_id(enum cmp_presence p)
{
	static const char *const id[] = { "both", "added", "removed", "only_new", "only_old" };

	return id[p];
}

static const char *verdict_id(enum verdict v)
{
	static const char *const id[] = {
		"same", "regression", "improvement", "inconclusive", "not_comparable"
	};

	return id[v];
}

static void json_row(struct buf *out, const struct cmp_row *r)
{
	json_key(out, "package");
	if (*r->pkg)
		json_quote(out, r->pkg);
	else
		buf_addstr(out, "null");
	buf_addch(out, ',');
	json_key(out, "name");
	json_quote(out, r->name);
	buf_addf(out, ",\"presence\":\"%s\",\"old\":", presence_id(r->presence));
	if (r->has_old)
		json_side(out, &r->old, r->old_v);
	else
		buf_addstr(out, "null");
	buf_addstr(out, ",\"new\":");
	if (r->has_new)
		json_side(out, &r->new, r->new_v);
	else
		buf_addstr(out, "null");
	buf_addch(out, ',');
	json_num_kv(out, "ratio", r->ratio);
	json_num_kv(out, "delta", r->ratio - 1.0);
	json_key(out, "ratio_ci");
	if (r->comparable && isfinite(r->lo) && isfinite(r->hi)) {
		buf_addch(out, '[');
		json_number(out, r->lo);
		buf_addch(out, ',');
		json_number(out, r->hi);
		buf_addstr(out, "],");
	} else {
		buf_addstr(out, "null,");
	}
	json_num_kv(out, "p", r->p);
	json_num_kv(out, "p_adj", r->p_adj);
	json_key(out, "test");
	if (r->comparable)
		json_quote(out, r->test);
	else
		buf_addstr(out, "null");
	buf_addf(out, ",\"exact_varies\":%s,", r->exact_varies ? "true" : "false");
	json_num_kv(out, "mde", r->mde);
	buf_addf(out, "\"underpowered\":%s,\"unconfirmed\":%s,\"verdict\":\"%s\",\"reason\":",
		 r->underpowered ? "true" : "false", r->unconfirmed ? "true" : "false",
		 verdict_id(r->verdict));
	if (r->comparable)
		buf_addstr(out, "null");
	else
		json_quote(out, r->why ? r->why : "?");
}

static void json_table(struct buf *out, const struct cmp_table *t)
{
	buf_addch(out, '{');
	json_key(out, "unit");
	json_quote(out, t->unit);
	buf_addf(out, ",\"better\":\"%s\",\"better_source\":\"%s\",\"class\":\"%s\",",
		 t->mi.better > 0 ? "higher" : "lower", t->better_meta ? "metadata" : "default",
		 metric_class_name(t->mi.cls));
	json_num_kv(out, "theta", t->mi.theta);
	buf_addf(out, "\"assume\":\"%s\",\"geomean\":", t->assume_exact ? "exact" : "nothing");
	if (t->has_geomean) {
		buf_addch(out, '{');
		json_num_kv(out, "old", t->gm_old);
		json_num_kv(out, "new", t->gm_new);
		json_num_kv(out, "ratio", t->gm_ratio);
		buf_addf(out, "\"n\":%zu}", t->gm_n);
	} else {
		buf_addstr(out, "null");
	}
	buf_addstr(out, ",\"rows\":[");
	for (size_t i = 0; i < t->nr; i++) {
		buf_addstr(out, i ? ",{" : "{");
		json_row(out, &t->rows[i]);
		buf_addch(out, '}');
	}
	buf_addstr(out, "]}");
}

static void json_block(struct buf *out, const struct compare_report *rep,
		const struct cmp_block *b)
{
	buf_addch(out, '{');
	json_key(out, "old");
	json_quote(out, rep->old_label);
	buf_addch(out, ',');
	json_key(out, "new");
	json_quote(out, b->new_label);
	buf_addf(out, ",\"family\":%zu,\"counts\":{", b->family);
	for (int v = 0; v <= VERDICT_NOT_COMPARABLE; v++)
		buf_addf(out, "%s\"%s\":%zu", v ? "," : "", verdict_id((enum verdict)v), b->count[v]);
	buf_addstr(out, "},\"units_only_old\":");
	json_str_list(out, b->only_old, b->nonly_old);
	buf_addstr(out, ",\"units_only_new\":");
	json_str_list(out, b->only_new, b->nonly_new);
	buf_addstr(out, ",\"units\":[");
	for (size_t i = 0; i < b->ntables; i++) {
		if (i)
			buf_addch(out, ',');
		json_table(out, &b->tables[i]);
	}
	buf_addstr(out, "]}");
}

void compare_report_json(struct buf *out, const struct compare_report *rep)
{
	buf_addstr(out, "{\"schema\":\"perfgo.compare/1\",");
	json_num_kv(out, "alpha", rep->alpha);
	json_num_kv(out, "confidence", rep->conf);
	json_num_kv(out, "power", rep->power);
	json_key(out, "old");
	json_quote(out, rep->old_label);
	buf_addstr(out, ",\"config\":{");
	for (size_t i = 0; i < rep->ncommon; i++) {
		if (i)
			buf_addch(out, ',');
		json_key(out, rep->common_key[i]);
		json_quote(out, rep->common_value[i]);
	}
	buf_addstr(out, "},\"runner\":");
	if (rep->runner)
		json_quote(out, rep->runner);
	else
		buf_addstr(out, "null");
	buf_addstr(out, ",\"notes\":");
	json_str_list(out, rep->notes, rep->nnotes);
	buf_addf(out, ",\"regressions\":%zu,\"comparisons\":[", rep->regressions);
	for (size_t i = 0; i < rep->nblocks; i++) {
		if (i)
			buf_addch(out, ',');
		json_block(out, rep, &rep->blocks[i]);
	}
	buf_addstr(out, "]}\n");
}
