/* The c2c report model and the false-sharing verdict; see cacheline.h. */
#include <stdlib.h>
#include <string.h>

#include "analysis/cacheline.h"
#include "util/usage.h"
#include "util/banned.h"

void c2c_report_init(struct c2c_report *r)
{
	memset(r, 0, sizeof(*r));
	r->sum.total_records = r->sum.loads = r->sum.stores = -1;
	r->sum.lcl_hitm = r->sum.rmt_hitm = r->sum.lcl_peer = r->sum.rmt_peer = -1;
	r->sum.shared_lines = r->sum.shared_load_hits = r->sum.shared_store_hits = -1;
}

static void row_release(struct c2c_row *w)
{
	free(w->node);
	free(w->symbol);
	free(w->object);
	free(w->source);
	free(w->nodes);
	free(w->sym_func);
	free(w->sym_file_line);
	free(w->data_name);
}

void c2c_report_release(struct c2c_report *r)
{
	for (size_t i = 0; i < r->nr; i++) {
		struct c2c_line *l = &r->lines[i];

		for (size_t j = 0; j < l->nrows; j++)
			row_release(&l->rows[j]);
		free(l->rows);
		free(l->node);
		free(l->data_name);
	}
	for (size_t i = 0; i < r->nkv; i++) {
		free(r->kv[i].section);
		free(r->kv[i].key);
		free(r->kv[i].value);
	}
	free(r->kv);
	free(r->lines);
	free(r->sum.events);
	free(r->sum.sort_on);
	free(r->sum.grouping);
	c2c_report_init(r);
}

struct c2c_line *c2c_line_get(struct c2c_report *r, uint64_t address)
{
	struct c2c_line *l;

	for (size_t i = 0; i < r->nr; i++)
		if (r->lines[i].address == address)
			return &r->lines[i];
	if (r->nr == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 16;
		r->lines = xrealloc(r->lines, r->alloc * sizeof(*r->lines));
	}
	l = &r->lines[r->nr++];
	memset(l, 0, sizeof(*l));
	l->address = address;
	l->index = l->pa_cnt = l->hitm_total = l->lcl_hitm = l->rmt_hitm = -1;
	l->peer_total = l->lcl_peer = l->rmt_peer = l->records = l->loads = l->stores = -1;
	l->st_l1hit = l->st_l1miss = l->st_na = -1;
	l->p_rmt = l->p_lcl = l->p_peer = l->p_l1hit = l->p_l1miss = l->p_na = -1;
	l->hitm_pct = -1;
	return l;
}

struct c2c_row *c2c_row_add(struct c2c_line *l)
{
	if (l->nrows == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 8;
		l->rows = xrealloc(l->rows, l->alloc * sizeof(*l->rows));
	}
	return &l->rows[l->nrows++];
}

const char *c2c_kind_name(enum c2c_kind k)
{
	switch (k) {
	case C2C_FALSE_SHARING: return "false sharing";
	case C2C_TRUE_SHARING: return "true sharing";
	case C2C_UNKNOWN: return "unknown";
	case C2C_NONE: break;
	}
	return "neither";
}

static struct c2c_offset *offset_get(struct c2c_verdict *v, uint64_t off)
{
	for (size_t i = 0; i < v->noffs; i++)
		if (v->offs[i].offset == off)
			return &v->offs[i];
	v->offs = xrealloc(v->offs, (v->noffs + 1) * sizeof(*v->offs));
	memset(&v->offs[v->noffs], 0, sizeof(v->offs[0]));
	v->offs[v->noffs].offset = off;
	return &v->offs[v->noffs++];
}

static int cmp_off(const void *a, const void *b)
{
	const struct c2c_offset *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/*
 * The rule (README, "perfgo test c2c"): an offset is contended when loads
 * hit it modified in another core's cache (HITM; peer snoops on Arm) or it
 * is stored to; written when it has store samples or, in a report whose
 * line has no store samples at all (AMD IBS, Arm SPE setups without a
 * store filter), when it has HITM loads: a HITM load means another core
 * wrote the line.  A HITM (or peer snoop) is itself a transfer between two
 * cores, so any makes the line shared between CPUs: then several contended
 * offsets, one written at least, are false sharing; all on one offset is
 * true sharing.  perf's "cpu cnt" counts the CPUs per code address, so it
 * is shown, not required.
 */
static void judge(struct c2c_verdict *v, const struct c2c_line *l)
{
	int64_t cpus = 0;

	for (size_t i = 0; i < l->nrows; i++) {
		const struct c2c_row *w = &l->rows[i];
		struct c2c_offset *o = offset_get(v, w->offset);
		double h = w->rmt + w->lcl, best = o->top ? o->top->rmt + o->top->lcl +
			o->top->peer + o->top->stores : -1;

		o->hitm += h;
		o->peer += w->peer;
		o->stores += w->stores;
		o->nrows++;
		if (w->cpu_cnt > o->cpus)
			o->cpus = w->cpu_cnt;
		if (h + w->peer + w->stores > best)
			o->top = w;
		v->hitm += h;
		v->peer += w->peer;
		v->stores += w->stores;
		if (w->cpu_cnt > cpus)
			cpus = w->cpu_cnt;
	}
	if (v->noffs)
		qsort(v->offs, v->noffs, sizeof(*v->offs), cmp_off);
	v->cpus = cpus;
	v->stores_sampled = v->stores > 0;
	for (size_t i = 0; i < v->noffs; i++) {
		const struct c2c_offset *o = &v->offs[i];
		double xfer = o->hitm + o->peer;

		if (xfer > 0 || o->stores > 0)
			v->ncontended++;
		if (v->stores_sampled ? o->stores > 0 : xfer > 0)
			v->nwritten++;
	}
	if (!l->nrows)
		v->kind = C2C_UNKNOWN;
	else if (v->hitm + v->peer <= 0 || !v->nwritten)
		v->kind = C2C_NONE;
	else if (v->ncontended >= 2)
		v->kind = C2C_FALSE_SHARING;
	else
		v->kind = C2C_TRUE_SHARING;
}

void c2c_analyse(const struct c2c_report *r, struct c2c_analysis *a)
{
	double total = 0;

	memset(a, 0, sizeof(*a));
	if (!r->nr)
		return;
	a->v = xcalloc(r->nr, sizeof(*a->v));
	a->nr = r->nr;
	for (size_t i = 0; i < r->nr; i++) {
		struct c2c_verdict *v = &a->v[i];

		v->line = &r->lines[i];
		judge(v, v->line);
		total += v->hitm + v->peer;
		if (v->kind == C2C_FALSE_SHARING)
			a->nfalse++;
		else if (v->kind == C2C_TRUE_SHARING)
			a->ntrue++;
	}
	for (size_t i = 0; i < r->nr; i++) {
		struct c2c_verdict *v = &a->v[i];

		/* The table's own share when the Pareto does not cover every line. */
		if (v->line->hitm_pct >= 0)
			v->share = v->line->hitm_pct;
		else
			v->share = total > 0 ? 100.0 * (v->hitm + v->peer) / total : 0;
	}
}

void c2c_analysis_release(struct c2c_analysis *a)
{
	for (size_t i = 0; i < a->nr; i++)
		free(a->v[i].offs);
	free(a->v);
	memset(a, 0, sizeof(*a));
}
