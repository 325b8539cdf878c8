/*
 * A c2c analysis as JSON: the parsed report whole (summary, the key/value
 * lines as printed, every line with its table numbers and Pareto rows) and
 * a verdict per line; see c2c_report.h.  Absent numbers are null.
 */
#include <stdio.h>
#include <string.h>

#include "c2c_report.h"
#include "util/json.h"
#include "util/banned.h"

static json_t *i64(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *pct(double v)
{
	return v < 0 ? json_null() : json_num(v);
}

static json_t *hex(uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%llx", (unsigned long long)v);
	return json_string(b);
}

static json_t *summary(const struct c2c_report *r)
{
	const struct c2c_summary *s = &r->sum;
	json_t *o = json_object(), *kv = json_array();

	json_object_set_new(o, "total_records", i64(s->total_records));
	json_object_set_new(o, "loads", i64(s->loads));
	json_object_set_new(o, "stores", i64(s->stores));
	json_object_set_new(o, "local_hitm", i64(s->lcl_hitm));
	json_object_set_new(o, "remote_hitm", i64(s->rmt_hitm));
	json_object_set_new(o, "local_peer", i64(s->lcl_peer));
	json_object_set_new(o, "remote_peer", i64(s->rmt_peer));
	json_object_set_new(o, "shared_lines", i64(s->shared_lines));
	json_object_set_new(o, "shared_load_hits", i64(s->shared_load_hits));
	json_object_set_new(o, "shared_store_hits", i64(s->shared_store_hits));
	json_object_set_new(o, "events", json_str(s->events));
	json_object_set_new(o, "sort_on", json_str(s->sort_on));
	json_object_set_new(o, "grouping", json_str(s->grouping));
	for (size_t i = 0; i < r->nkv; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "section", json_str(r->kv[i].section));
		json_object_set_new(e, "key", json_str(r->kv[i].key));
		json_object_set_new(e, "value", json_str(r->kv[i].value));
		json_array_append_new(kv, e);
	}
	json_object_set_new(o, "lines", kv);
	return o;
}

static json_t *row(const struct c2c_row *w)
{
	json_t *o = json_object();

	json_object_set_new(o, "offset", hex(w->offset));
	json_object_set_new(o, "code_address", hex(w->iaddr));
	json_object_set_new(o, "rmt_pct", pct(w->rmt_pct));
	json_object_set_new(o, "lcl_pct", pct(w->lcl_pct));
	json_object_set_new(o, "peer_pct", pct(w->peer_pct));
	json_object_set_new(o, "store_l1hit_pct", pct(w->st_l1hit_pct));
	json_object_set_new(o, "store_l1miss_pct", pct(w->st_l1miss_pct));
	json_object_set_new(o, "store_na_pct", pct(w->st_na_pct));
	json_object_set_new(o, "rmt", json_num(w->rmt));
	json_object_set_new(o, "lcl", json_num(w->lcl));
	json_object_set_new(o, "peer", json_num(w->peer));
	json_object_set_new(o, "stores", json_num(w->stores));
	json_object_set_new(o, "node", json_str(w->node));
	json_object_set_new(o, "pa_cnt", i64(w->pa_cnt));
	json_object_set_new(o, "pid", i64(w->pid));
	json_object_set_new(o, "tid", i64(w->tid));
	json_object_set_new(o, "cycles_rmt", i64(w->cyc_rmt));
	json_object_set_new(o, "cycles_lcl", i64(w->cyc_lcl));
	json_object_set_new(o, "cycles_load", i64(w->cyc_load));
	json_object_set_new(o, "cycles_peer", i64(w->cyc_peer));
	json_object_set_new(o, "records", i64(w->records));
	json_object_set_new(o, "cpus", i64(w->cpu_cnt));
	json_object_set_new(o, "kind", json_str(w->kind == 'k' ? "kernel" : w->kind ? "user" : NULL));
	json_object_set_new(o, "symbol", json_str(w->symbol));
	json_object_set_new(o, "object", json_str(w->object));
	json_object_set_new(o, "source", json_str(w->source));
	json_object_set_new(o, "nodes", json_str(w->nodes));
	if (w->sym_func || w->sym_file_line || w->data_name) {
		json_object_set_new(o, "function", json_str(w->sym_func));
		json_object_set_new(o, "file_line", json_str(w->sym_file_line));
		json_object_set_new(o, "data", json_str(w->data_name));
	}
	return o;
}

static json_t *verdict(const struct c2c_verdict *v)
{
	json_t *o = json_object(), *offs = json_array();
	struct buf b = BUF_INIT;

	json_object_set_new(o, "verdict", json_string(c2c_kind_name(v->kind)));
	json_object_set_new(o, "share_pct", json_num(v->share));
	json_object_set_new(o, "hitm", json_num(v->hitm));
	json_object_set_new(o, "peer", json_num(v->peer));
	json_object_set_new(o, "stores", json_num(v->stores));
	json_object_set_new(o, "cpus", json_integer(v->cpus));
	json_object_set_new(o, "stores_sampled", json_boolean(v->stores_sampled));
	json_object_set_new(o, "contended_offsets", json_integer((json_int_t)v->ncontended));
	json_object_set_new(o, "written_offsets", json_integer((json_int_t)v->nwritten));
	for (size_t i = 0; i < v->noffs; i++) {
		const struct c2c_offset *f = &v->offs[i];
		json_t *e = json_object();

		json_object_set_new(e, "offset", hex(f->offset));
		json_object_set_new(e, "hitm", json_num(f->hitm));
		json_object_set_new(e, "peer", json_num(f->peer));
		json_object_set_new(e, "stores", json_num(f->stores));
		json_object_set_new(e, "cpus", json_integer(f->cpus));
		json_object_set_new(e, "rows", json_integer((json_int_t)f->nrows));
		json_object_set_new(e, "top_symbol", json_str(f->top ? f->top->symbol : NULL));
		json_object_set_new(e, "top_source", json_str(f->top ? f->top->source : NULL));
		json_array_append_new(offs, e);
	}
	json_object_set_new(o, "offsets", offs);
	c2c_explain(&b, v, 0);
	json_object_set_new(o, "why", json_str(b.buf));
	buf_reset(&b);
	c2c_fix(&b, v);
	json_object_set_new(o, "fix", b.len ? json_str(b.buf) : json_null());
	buf_release(&b);
	return o;
}

static json_t *line(const struct c2c_line *l, const struct c2c_verdict *v)
{
	json_t *o = json_object(), *rows = json_array();

	json_object_set_new(o, "index", i64(l->index));
	json_object_set_new(o, "address", hex(l->address));
	json_object_set_new(o, "data", json_str(l->data_name));
	json_object_set_new(o, "node", json_str(l->node));
	json_object_set_new(o, "pa_cnt", i64(l->pa_cnt));
	json_object_set_new(o, "in_table", json_boolean(l->in_table));
	json_object_set_new(o, "in_pareto", json_boolean(l->in_pareto));
	json_object_set_new(o, "pct", pct(l->hitm_pct));
	json_object_set_new(o, "hitm_total", i64(l->hitm_total));
	json_object_set_new(o, "local_hitm", i64(l->lcl_hitm));
	json_object_set_new(o, "remote_hitm", i64(l->rmt_hitm));
	json_object_set_new(o, "peer_total", i64(l->peer_total));
	json_object_set_new(o, "local_peer", i64(l->lcl_peer));
	json_object_set_new(o, "remote_peer", i64(l->rmt_peer));
	json_object_set_new(o, "records", i64(l->records));
	json_object_set_new(o, "loads", i64(l->loads));
	json_object_set_new(o, "stores", i64(l->stores));
	json_object_set_new(o, "store_l1hit", i64(l->st_l1hit));
	json_object_set_new(o, "store_l1miss", i64(l->st_l1miss));
	json_object_set_new(o, "store_na", i64(l->st_na));
	json_object_set_new(o, "pareto_rmt", i64(l->p_rmt));
	json_object_set_new(o, "pareto_lcl", i64(l->p_lcl));
	json_object_set_new(o, "pareto_peer", i64(l->p_peer));
	json_object_set_new(o, "pareto_l1hit", i64(l->p_l1hit));
	json_object_set_new(o, "pareto_l1miss", i64(l->p_l1miss));
	json_object_set_new(o, "pareto_na", i64(l->p_na));
	for (size_t i = 0; i < l->nrows; i++)
		json_array_append_new(rows, row(&l->rows[i]));
	json_object_set_new(o, "rows", rows);
	json_object_set_new(o, "verdict", verdict(v));
	return o;
}

json_t *c2c_report_json_tree(const struct c2c_report *r, const struct c2c_analysis *a)
{
	json_t *o = json_object(), *lines = json_array();

	json_object_set_new(o, "display", json_string(r->peer_display ? "peer" : "hitm"));
	json_object_set_new(o, "summary", summary(r));
	json_object_set_new(o, "false_sharing_lines", json_integer((json_int_t)a->nfalse));
	json_object_set_new(o, "true_sharing_lines", json_integer((json_int_t)a->ntrue));
	json_object_set_new(o, "skipped_input_lines", json_integer((json_int_t)r->nskipped));
	for (size_t i = 0; i < r->nr && i < a->nr; i++)
		json_array_append_new(lines, line(&r->lines[i], &a->v[i]));
	json_object_set_new(o, "cache_lines", lines);
	return o;
}

void c2c_report_json(struct buf *out, const struct c2c_report *r,
		     const struct c2c_analysis *a)
{
	json_t *o = c2c_report_json_tree(r, a);

	if (json_to_buf(out, o, JSON_INDENT(1)) == 0)
		buf_addch(out, '\n');
	json_decref(o);
}
