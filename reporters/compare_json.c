/*
 * A comparison as JSON, schema "perfgo.compare/1" (README): exact values,
 * every sample.  Keys in the order written here, compact, with one
 * newline at the end: the bytes jansson would write for the same tree,
 * written directly (util/json.h json_*_to_buf()).
 */
#include <math.h>
#include <string.h>

#include "compare_cells.h"
#include "compare_formats.h"
#include "util/json.h"
#include "util/banned.h"

/*
 * Written straight into the buffer, member by member, in the order and
 * spelling jansson's JSON_COMPACT gives the same values (util/json.h):
 * a report of thousands of rows with every sample is written in a tenth
 * of the time a tree takes to build, serialize and free.
 */

/*
 * "key": after a comma unless it is the object's first member.  The keys
 * here are ASCII literals with nothing to escape (not configuration keys:
 * those take json_key_to_buf()).
 */
static void key(struct buf *b, const char *k, int first)
{
	size_t n = strlen(k);

	buf_grow(b, n + 4);
	if (!first)
		b->buf[b->len++] = ',';
	b->buf[b->len++] = '"';
	memcpy(b->buf + b->len, k, n);
	b->len += n;
	b->buf[b->len++] = '"';
	b->buf[b->len++] = ':';
	b->buf[b->len] = '\0';
}

static void num_member(struct buf *b, const char *k, double v)
{
	key(b, k, 0);
	json_num_to_buf(b, v);
}

static void count_member(struct buf *b, const char *k, size_t n, int first)
{
	key(b, k, first);
	buf_addf(b, "%zu", n);
}

static void str_member(struct buf *b, const char *k, const char *v, int first)
{
	key(b, k, first);
	json_str_to_buf(b, v);
}

static void bool_member(struct buf *b, const char *k, int v)
{
	key(b, k, 0);
	buf_addstr(b, v ? "true" : "false");
}

static void null_member(struct buf *b, const char *k, int first)
{
	key(b, k, first);
	buf_addstr(b, "null");
}

static void str_list(struct buf *b, const char *const *l, size_t n)
{
	buf_addch(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addch(b, ',');
		json_str_to_buf(b, l[i]);
	}
	buf_addch(b, ']');
}

static void interval(struct buf *b, double lo, double hi)
{
	buf_addch(b, '[');
	json_num_to_buf(b, lo);
	buf_addch(b, ',');
	json_num_to_buf(b, hi);
	buf_addch(b, ']');
}

static void side(struct buf *b, const struct summary *s, const double *v)
{
	count_member(b, "n", s->n, 1);
	num_member(b, "median", s->median);
	key(b, "ci", 0);
	if (s->ci_ok && isfinite(s->ci_lo) && isfinite(s->ci_hi))
		interval(b, s->ci_lo, s->ci_hi);
	else
		buf_addstr(b, "null");
	num_member(b, "mean", s->mean);
	num_member(b, "sd", s->sd);
	num_member(b, "cv", s->cv);
	num_member(b, "mad", s->mad);
	num_member(b, "min", s->min);
	num_member(b, "max", s->max);
	key(b, "samples", 0);
	buf_addch(b, '[');
	for (size_t i = 0; i < s->n; i++) {
		if (i)
			buf_addch(b, ',');
		json_num_to_buf(b, v[i]);
	}
	buf_addstr(b, "]}");
}

static const char *presence_id(enum compare_presence p)
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

static void row(struct buf *b, const struct compare_row *r)
{
	buf_addch(b, '{');
	str_member(b, "package", *r->pkg ? r->pkg : NULL, 1);
	str_member(b, "name", r->name, 0);
	str_member(b, "presence", presence_id(r->presence), 0);
	key(b, "old", 0);
	if (r->has_old) {
		buf_addch(b, '{');
		side(b, &r->old, r->old_v);
	} else {
		buf_addstr(b, "null");
	}
	key(b, "new", 0);
	if (r->has_new) {
		buf_addch(b, '{');
		side(b, &r->new, r->new_v);
	} else {
		buf_addstr(b, "null");
	}
	num_member(b, "ratio", r->ratio);
	num_member(b, "delta", r->ratio - 1.0);
	key(b, "ratio_ci", 0);
	if (r->comparable && isfinite(r->lo) && isfinite(r->hi))
		interval(b, r->lo, r->hi);
	else
		buf_addstr(b, "null");
	num_member(b, "p", r->p);
	num_member(b, "p_adj", r->p_adj);
	str_member(b, "test", r->comparable ? r->test : NULL, 0);
	bool_member(b, "exact_varies", r->exact_varies);
	count_member(b, "outliers", r->outliers, 0);
	bool_member(b, "apart", r->apart);
	num_member(b, "mde", r->mde);
	bool_member(b, "underpowered", r->underpowered);
	bool_member(b, "unconfirmed", r->unconfirmed);
	bool_member(b, "negligible", r->negligible);
	str_member(b, "verdict", verdict_id(r->verdict), 0);
	if (r->comparable) {
		str_member(b, "reason", NULL, 0);
	} else {
		struct buf why = BUF_INIT;

		cell_why(&why, r);
		str_member(b, "reason", why.buf, 0);
		buf_release(&why);
	}
	buf_addch(b, '}');
}

static void table(struct buf *b, const struct compare_table *t)
{
	buf_addch(b, '{');
	str_member(b, "unit", t->unit, 1);
	bool_member(b, "gated", t->gated);
	str_member(b, "better", t->mi.better > 0 ? "higher" : "lower", 0);
	str_member(b, "better_source", t->better_meta ? "metadata" : "default", 0);
	str_member(b, "class", metric_class_name(t->mi.cls), 0);
	num_member(b, "theta", t->mi.theta);
	str_member(b, "assume", t->assume_exact ? "exact" : "nothing", 0);
	key(b, "geomean", 0);
	if (t->has_geomean) {
		buf_addch(b, '{');
		key(b, "old", 1);
		json_num_to_buf(b, t->gm_old);
		num_member(b, "new", t->gm_new);
		num_member(b, "ratio", t->gm_ratio);
		count_member(b, "n", t->gm_n, 0);
		buf_addch(b, '}');
	} else {
		buf_addstr(b, "null");
	}
	key(b, "rows", 0);
	buf_addch(b, '[');
	for (size_t i = 0; i < t->nr; i++) {
		if (i)
			buf_addch(b, ',');
		row(b, &t->rows[i]);
	}
	buf_addstr(b, "]}");
}

static void counts_of(struct buf *b, const size_t *c)
{
	buf_addch(b, '{');
	for (int v = 0; v <= VERDICT_NOT_COMPARABLE; v++)
		count_member(b, verdict_id((enum verdict)v), c[v], !v);
	buf_addch(b, '}');
}

/* The benchmarks that regressed, each with its gated units that did. */
static void regressed(struct buf *b, const struct compare_block *bl)
{
	buf_addch(b, '[');
	for (size_t i = 0; i < bl->nregressed; i++) {
		const struct compare_finding *f = &bl->regressed[i];

		if (i)
			buf_addch(b, ',');
		buf_addch(b, '{');
		str_member(b, "package", *f->pkg ? f->pkg : NULL, 1);
		str_member(b, "name", f->name, 0);
		key(b, "units", 0);
		str_list(b, f->units, f->nunits);
		buf_addch(b, '}');
	}
	buf_addch(b, ']');
}

static void unreachable(struct buf *b, const struct compare_report *rep,
			const struct compare_block *bl)
{
	struct buf msg = BUF_INIT;

	if (!bl->unreachable) {
		buf_addstr(b, "null");
		return;
	}
	cell_unreachable(&msg, rep, bl);
	buf_addch(b, '{');
	count_member(b, "pairs", bl->unreachable, 1);
	count_member(b, "n_old", bl->un_nold, 0);
	count_member(b, "n_new", bl->un_nnew, 0);
	num_member(b, "min_p", bl->un_minp);
	if (bl->need_n)
		count_member(b, "count_needed", bl->need_n, 0);
	else
		null_member(b, "count_needed", 0);
	str_member(b, "message", msg.buf, 0);
	buf_addch(b, '}');
	buf_release(&msg);
}

static void block(struct buf *b, const struct compare_report *rep, const struct compare_block *bl)
{
	buf_addch(b, '{');
	str_member(b, "old", rep->old_label, 1);
	str_member(b, "new", bl->new_label, 0);
	key(b, "regressed", 0);
	regressed(b, bl);
	key(b, "unreachable", 0);
	unreachable(b, rep, bl);
	count_member(b, "family", bl->family, 0);
	key(b, "counts", 0);
	counts_of(b, bl->count);
	count_member(b, "diagnostic_family", bl->dfamily, 0);
	key(b, "diagnostic_counts", 0);
	counts_of(b, bl->dcount);
	count_member(b, "negligible", bl->nnegligible, 0);
	key(b, "units_only_old", 0);
	str_list(b, bl->only_old, bl->nonly_old);
	key(b, "units_only_new", 0);
	str_list(b, bl->only_new, bl->nonly_new);
	key(b, "units", 0);
	buf_addch(b, '[');
	for (size_t i = 0; i < bl->ntables; i++) {
		if (i)
			buf_addch(b, ',');
		table(b, &bl->tables[i]);
	}
	buf_addstr(b, "]}");
}

/* {"base": {"min", "max"}, "head": ..., "mode": "auto"|"fixed", the design and looks}. */
static void reps(struct buf *out, const struct compare_reps *c)
{
	buf_addch(out, '{');
	key(out, "base", 1);
	buf_addch(out, '{');
	count_member(out, "min", c->base_lo, 1);
	count_member(out, "max", c->base_hi, 0);
	buf_addch(out, '}');
	key(out, "head", 0);
	buf_addch(out, '{');
	count_member(out, "min", c->head_lo, 1);
	count_member(out, "max", c->head_hi, 0);
	buf_addch(out, '}');
	str_member(out, "mode", c->adaptive ? "auto" : "fixed", 0);
	if (c->adaptive) {
		count_member(out, "minimum", c->nmin, 0);
		count_member(out, "step", c->step, 0);
		count_member(out, "cap", c->cap, 0);
		count_member(out, "looks", c->looks, 0);
		bool_member(out, "decided", c->decided);
	}
	buf_addch(out, '}');
}

void compare_report_json(struct buf *out, const struct compare_report *rep)
{
	int first = 1;

	buf_addch(out, '{');
	str_member(out, "schema", "perfgo.compare/1", 1);
	num_member(out, "alpha", rep->alpha);
	num_member(out, "confidence", rep->conf);
	num_member(out, "power", rep->power);
	str_member(out, "old", rep->old_label, 0);
	count_member(out, "regressions", rep->regressions, 0);
	count_member(out, "regressed_benchmarks", rep->nregressed, 0);
	count_member(out, "unreachable", rep->unreachable, 0);
	key(out, "config", 0);
	buf_addch(out, '{');
	for (size_t i = 0; i < rep->ncommon; i++) {
		/* jansson refuses a key that is not UTF-8: so is it left out here. */
		size_t mark = out->len;

		if (!first)
			buf_addch(out, ',');
		if (json_key_to_buf(out, rep->common_key[i])) {
			buf_setlen(out, mark);
			continue;
		}
		json_str_to_buf(out, rep->common_value[i]);
		first = 0;
	}
	buf_addch(out, '}');
	str_member(out, "runner", rep->runner, 0);
	key(out, "notes", 0);
	str_list(out, rep->notes, rep->nnotes);
	if (rep->reps) {
		key(out, "repetitions", 0);
		reps(out, rep->reps);
	}
	key(out, "comparisons", 0);
	buf_addch(out, '[');
	for (size_t i = 0; i < rep->nblocks; i++) {
		if (i)
			buf_addch(out, ',');
		block(out, rep, &rep->blocks[i]);
	}
	buf_addstr(out, "]}\n");
}
