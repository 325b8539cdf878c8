/*
 * A comparison as JSON, schema "perfgo.compare/1" (README): exact values,
 * every sample.  Built as a jansson tree, keys in the order written here,
 * serialized compactly with one newline at the end.
 */
#include <math.h>

#include "compare_cells.h"
#include "compare_formats.h"
#include "util/json.h"
#include "util/banned.h"

static json_t *str_list(const char *const *l, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_str(l[i]));
	return a;
}

static json_t *interval(double lo, double hi)
{
	json_t *a = json_array();

	json_array_append_new(a, json_num(lo));
	json_array_append_new(a, json_num(hi));
	return a;
}

static json_t *count(size_t n)
{
	return json_integer((json_int_t)n);
}

static json_t *side(const struct summary *s, const double *v)
{
	json_t *o = json_object(), *samples = json_array();

	json_object_set_new(o, "n", count(s->n));
	json_object_set_new(o, "median", json_num(s->median));
	json_object_set_new(o, "ci", s->ci_ok && isfinite(s->ci_lo) && isfinite(s->ci_hi) ?
			    interval(s->ci_lo, s->ci_hi) : json_null());
	json_object_set_new(o, "mean", json_num(s->mean));
	json_object_set_new(o, "sd", json_num(s->sd));
	json_object_set_new(o, "cv", json_num(s->cv));
	json_object_set_new(o, "mad", json_num(s->mad));
	json_object_set_new(o, "min", json_num(s->min));
	json_object_set_new(o, "max", json_num(s->max));
	for (size_t i = 0; i < s->n; i++)
		json_array_append_new(samples, json_num(v[i]));
	json_object_set_new(o, "samples", samples);
	return o;
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

static json_t *row(const struct compare_row *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "package", *r->pkg ? json_str(r->pkg) : json_null());
	json_object_set_new(o, "name", json_str(r->name));
	json_object_set_new(o, "presence", json_string(presence_id(r->presence)));
	json_object_set_new(o, "old", r->has_old ? side(&r->old, r->old_v) : json_null());
	json_object_set_new(o, "new", r->has_new ? side(&r->new, r->new_v) : json_null());
	json_object_set_new(o, "ratio", json_num(r->ratio));
	json_object_set_new(o, "delta", json_num(r->ratio - 1.0));
	json_object_set_new(o, "ratio_ci", r->comparable && isfinite(r->lo) && isfinite(r->hi) ?
			    interval(r->lo, r->hi) : json_null());
	json_object_set_new(o, "p", json_num(r->p));
	json_object_set_new(o, "p_adj", json_num(r->p_adj));
	json_object_set_new(o, "test", r->comparable ? json_str(r->test) : json_null());
	json_object_set_new(o, "exact_varies", json_boolean(r->exact_varies));
	json_object_set_new(o, "mde", json_num(r->mde));
	json_object_set_new(o, "underpowered", json_boolean(r->underpowered));
	json_object_set_new(o, "unconfirmed", json_boolean(r->unconfirmed));
	json_object_set_new(o, "negligible", json_boolean(r->negligible));
	json_object_set_new(o, "verdict", json_string(verdict_id(r->verdict)));
	json_object_set_new(o, "reason", r->comparable ? json_null() :
			    json_str(r->why ? r->why : "?"));
	return o;
}

static json_t *table(const struct compare_table *t)
{
	json_t *o = json_object(), *rows = json_array(), *gm = json_null();

	json_object_set_new(o, "unit", json_str(t->unit));
	json_object_set_new(o, "gated", json_boolean(t->gated));
	json_object_set_new(o, "better", json_string(t->mi.better > 0 ? "higher" : "lower"));
	json_object_set_new(o, "better_source", json_string(t->better_meta ? "metadata" : "default"));
	json_object_set_new(o, "class", json_str(metric_class_name(t->mi.cls)));
	json_object_set_new(o, "theta", json_num(t->mi.theta));
	json_object_set_new(o, "assume", json_string(t->assume_exact ? "exact" : "nothing"));
	if (t->has_geomean) {
		json_decref(gm);
		gm = json_object();
		json_object_set_new(gm, "old", json_num(t->gm_old));
		json_object_set_new(gm, "new", json_num(t->gm_new));
		json_object_set_new(gm, "ratio", json_num(t->gm_ratio));
		json_object_set_new(gm, "n", count(t->gm_n));
	}
	json_object_set_new(o, "geomean", gm);
	for (size_t i = 0; i < t->nr; i++)
		json_array_append_new(rows, row(&t->rows[i]));
	json_object_set_new(o, "rows", rows);
	return o;
}

static json_t *counts_of(const size_t *c)
{
	json_t *o = json_object();

	for (int v = 0; v <= VERDICT_NOT_COMPARABLE; v++)
		json_object_set_new(o, verdict_id((enum verdict)v), count(c[v]));
	return o;
}

/* The benchmarks that regressed, each with its gated units that did. */
static json_t *regressed(const struct compare_block *b)
{
	json_t *a = json_array();

	for (size_t i = 0; i < b->nregressed; i++) {
		const struct compare_finding *f = &b->regressed[i];
		json_t *o = json_object();

		json_object_set_new(o, "package", *f->pkg ? json_str(f->pkg) : json_null());
		json_object_set_new(o, "name", json_str(f->name));
		json_object_set_new(o, "units", str_list(f->units, f->nunits));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *unreachable(const struct compare_report *rep, const struct compare_block *b)
{
	json_t *o;
	struct buf msg = BUF_INIT;

	if (!b->unreachable)
		return json_null();
	o = json_object();
	cell_unreachable(&msg, rep, b);
	json_object_set_new(o, "pairs", count(b->unreachable));
	json_object_set_new(o, "n_old", count(b->un_nold));
	json_object_set_new(o, "n_new", count(b->un_nnew));
	json_object_set_new(o, "min_p", json_num(b->un_minp));
	json_object_set_new(o, "count_needed", b->need_n ? count(b->need_n) : json_null());
	json_object_set_new(o, "message", json_str(msg.buf));
	buf_release(&msg);
	return o;
}

static json_t *block(const struct compare_report *rep, const struct compare_block *b)
{
	json_t *o = json_object(), *units = json_array();

	json_object_set_new(o, "old", json_str(rep->old_label));
	json_object_set_new(o, "new", json_str(b->new_label));
	json_object_set_new(o, "regressed", regressed(b));
	json_object_set_new(o, "unreachable", unreachable(rep, b));
	json_object_set_new(o, "family", count(b->family));
	json_object_set_new(o, "counts", counts_of(b->count));
	json_object_set_new(o, "diagnostic_family", count(b->dfamily));
	json_object_set_new(o, "diagnostic_counts", counts_of(b->dcount));
	json_object_set_new(o, "negligible", count(b->nnegligible));
	json_object_set_new(o, "units_only_old", str_list(b->only_old, b->nonly_old));
	json_object_set_new(o, "units_only_new", str_list(b->only_new, b->nonly_new));
	for (size_t i = 0; i < b->ntables; i++)
		json_array_append_new(units, table(&b->tables[i]));
	json_object_set_new(o, "units", units);
	return o;
}

/* {"base": {"min", "max"}, "head": ..., "mode": "auto"|"fixed", the design and looks}. */
static json_t *reps(const struct compare_reps *c)
{
	json_t *o = json_object(), *b = json_object(), *h = json_object();

	json_object_set_new(b, "min", count(c->base_lo));
	json_object_set_new(b, "max", count(c->base_hi));
	json_object_set_new(h, "min", count(c->head_lo));
	json_object_set_new(h, "max", count(c->head_hi));
	json_object_set_new(o, "base", b);
	json_object_set_new(o, "head", h);
	json_object_set_new(o, "mode", json_string(c->adaptive ? "auto" : "fixed"));
	if (c->adaptive) {
		json_object_set_new(o, "minimum", count(c->nmin));
		json_object_set_new(o, "step", count(c->step));
		json_object_set_new(o, "cap", count(c->cap));
		json_object_set_new(o, "looks", count(c->looks));
		json_object_set_new(o, "decided", json_boolean(c->decided));
	}
	return o;
}

void compare_report_json(struct buf *out, const struct compare_report *rep)
{
	json_t *o = json_object(), *config = json_object(), *blocks = json_array();

	json_object_set_new(o, "schema", json_string("perfgo.compare/1"));
	json_object_set_new(o, "alpha", json_num(rep->alpha));
	json_object_set_new(o, "confidence", json_num(rep->conf));
	json_object_set_new(o, "power", json_num(rep->power));
	json_object_set_new(o, "old", json_str(rep->old_label));
	json_object_set_new(o, "regressions", count(rep->regressions));
	json_object_set_new(o, "regressed_benchmarks", count(rep->nregressed));
	json_object_set_new(o, "unreachable", count(rep->unreachable));
	for (size_t i = 0; i < rep->ncommon; i++)
		json_object_set_new(config, rep->common_key[i], json_str(rep->common_value[i]));
	json_object_set_new(o, "config", config);
	json_object_set_new(o, "runner", json_str(rep->runner));
	json_object_set_new(o, "notes", str_list(rep->notes, rep->nnotes));
	if (rep->reps)
		json_object_set_new(o, "repetitions", reps(rep->reps));
	for (size_t i = 0; i < rep->nblocks; i++)
		json_array_append_new(blocks, block(rep, &rep->blocks[i]));
	json_object_set_new(o, "comparisons", blocks);
	json_to_buf(out, o, JSON_COMPACT);
	buf_addch(out, '\n');
	json_decref(o);
}
