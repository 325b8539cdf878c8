/* A c2c analysis for a terminal; see c2c_report.h. */
#include <inttypes.h>
#include <string.h>

#include "c2c_report.h"
#include "escape.h"
#include "util/banned.h"

#define ROWS_SHOWN 12

void c2c_offsets(struct buf *out, const struct c2c_verdict *v, int contended_only)
{
	int n = 0;

	for (size_t i = 0; i < v->noffs; i++) {
		const struct c2c_offset *o = &v->offs[i];

		if (contended_only && o->hitm + o->peer <= 0 && o->stores <= 0)
			continue;
		buf_addf(out, "%s0x%" PRIx64, n++ ? ", " : "", o->offset);
	}
}

static const char *xfer_name(int peer)
{
	return peer ? "peer snoops" : "HITM";
}

void c2c_explain(struct buf *out, const struct c2c_verdict *v, int peer)
{
	switch (v->kind) {
	case C2C_UNKNOWN:
		buf_addstr(out, "the report has no per-offset rows for this line (it is not in the "
			   "Pareto section)");
		return;
	case C2C_NONE:
		if (v->hitm + v->peer <= 0)
			buf_addf(out, "no %s: no core loaded this line while another held it "
				 "modified", xfer_name(peer));
		else
			buf_addf(out, "%.0f %s but no offset is written", v->hitm + v->peer,
				 xfer_name(peer));
		return;
	case C2C_FALSE_SHARING:
		buf_addf(out, "%zu different offsets of the line are contended (", v->ncontended);
		c2c_offsets(out, v, 1);
		buf_addf(out, "), %zu of them written (up to %" PRId64 " CPUs per code address)",
			 v->nwritten, v->cpus);
		break;
	case C2C_TRUE_SHARING:
		buf_addstr(out, "all transfers are on one offset (");
		c2c_offsets(out, v, 1);
		buf_addf(out, "), written and read across cores (up to %" PRId64 " CPUs per code "
			 "address)", v->cpus);
		break;
	}
	buf_addf(out, ": %.0f %s, %.0f sampled stores", v->hitm + v->peer, xfer_name(peer),
		 v->stores);
	if (!v->stores_sampled)
		buf_addf(out, " (no stores sampled on this line: %s loads stand in for writes)",
			 xfer_name(peer));
}

void c2c_fix(struct buf *out, const struct c2c_verdict *v)
{
	if (v->kind == C2C_FALSE_SHARING) {
		buf_addstr(out, "move the fields at offsets ");
		c2c_offsets(out, v, 1);
		buf_addstr(out, " onto separate cache lines: pad or split so that each written "
			   "field starts its own 64-byte line (128 bytes on arm64 and on Intel CPUs "
			   "whose spatial prefetcher pulls line pairs), e.g. a `_ [64]byte` field "
			   "between them or golang.org/x/sys/cpu.CacheLinePad");
	} else if (v->kind == C2C_TRUE_SHARING) {
		buf_addstr(out, "padding does not help: one word is written from several CPUs; "
			   "shard it (one copy per CPU or goroutine, each on its own 64-byte line, "
			   "summed when read) or update it less often");
	}
}

static void summary(struct buf *out, const struct c2c_report *r)
{
	const struct c2c_summary *s = &r->sum;

	buf_addstr(out, "perf c2c:");
	if (s->total_records >= 0)
		buf_addf(out, " %" PRId64 " records,", s->total_records);
	if (s->loads >= 0)
		buf_addf(out, " %" PRId64 " loads,", s->loads);
	if (s->stores >= 0)
		buf_addf(out, " %" PRId64 " stores,", s->stores);
	if (s->lcl_hitm >= 0 || s->rmt_hitm >= 0)
		buf_addf(out, " HITM %" PRId64 " local / %" PRId64 " remote,",
			 s->lcl_hitm < 0 ? 0 : s->lcl_hitm, s->rmt_hitm < 0 ? 0 : s->rmt_hitm);
	if (s->lcl_peer > 0 || s->rmt_peer > 0)
		buf_addf(out, " peer %" PRId64 " local / %" PRId64 " remote,",
			 s->lcl_peer < 0 ? 0 : s->lcl_peer, s->rmt_peer < 0 ? 0 : s->rmt_peer);
	if (s->shared_lines >= 0)
		buf_addf(out, " %" PRId64 " shared cache lines", s->shared_lines);
	else
		buf_addf(out, " %zu cache lines in the report", r->nr);
	buf_rtrim(out);
	if (out->len && out->buf[out->len - 1] == ',')
		buf_setlen(out, out->len - 1);
	buf_addch(out, '\n');
	if (s->events)
		buf_addf(out, "events:   %s\n", s->events);
	if (!s->events && s->total_records < 0)
		buf_addstr(out, "(the input has no Trace or c2c details section)\n");
}

static void rows(struct buf *out, const struct c2c_line *l, int peer)
{
	size_t n = l->nrows < ROWS_SHOWN ? l->nrows : ROWS_SHOWN;

	if (!l->nrows)
		return;
	buf_addf(out, "    %-7s %9s %9s %5s  %-18s %s\n", "offset", peer ? "peer r/l" : "HITM r/l",
		 "stores", "cpus", "code", "symbol  source");
	for (size_t i = 0; i < n; i++) {
		const struct c2c_row *w = &l->rows[i];
		char hl[48];

		snprintf(hl, sizeof(hl), "%.0f/%.0f", w->rmt, w->lcl);
		buf_addf(out, "    0x%-5" PRIx64 " %9s %9.0f %5" PRId64 "  0x%-16" PRIx64 " %s  %s",
			 w->offset, hl, w->stores, w->cpu_cnt, w->iaddr,
			 w->sym_func ? w->sym_func : w->symbol ? w->symbol : "?",
			 w->sym_file_line ? w->sym_file_line : w->source ? w->source : "?");
		if (w->data_name)
			buf_addf(out, "  [%s]", w->data_name);
		buf_addch(out, '\n');
	}
	if (n < l->nrows)
		buf_addf(out, "    ... %zu more rows (perfgo view --format json has them all)\n",
			 l->nrows - n);
}

void c2c_report_text(struct buf *out, const struct c2c_report *r,
		     const struct c2c_analysis *a, size_t top)
{
	size_t shown = 0, from = out->len;

	summary(out, r);
	buf_addf(out, "verdicts: %zu false sharing, %zu true sharing, of %zu cache lines\n",
		 a->nfalse, a->ntrue, a->nr);
	for (size_t i = 0; i < a->nr; i++) {
		const struct c2c_verdict *v = &a->v[i];
		const struct c2c_line *l = v->line;
		struct buf fix = BUF_INIT;

		if (top && shown == top) {
			buf_addf(out, "\n... %zu more cache lines (--top 0 shows all)\n", a->nr - i);
			break;
		}
		shown++;
		buf_addf(out, "\ncache line %" PRId64 "  0x%" PRIx64, l->index, l->address);
		if (l->data_name)
			buf_addf(out, " (%s)", l->data_name);
		if (l->node)
			buf_addf(out, "  node %s", l->node);
		buf_addf(out, "  %.2f%% of %s: %s\n", v->share, r->peer_display ? "peer snoops" : "HITM",
			 c2c_kind_name(v->kind));
		buf_addstr(out, "  why: ");
		c2c_explain(out, v, r->peer_display);
		buf_addch(out, '\n');
		rows(out, l, r->peer_display);
		c2c_fix(&fix, v);
		if (fix.len)
			buf_addf(out, "  fix: %s\n", fix.buf);
		buf_release(&fix);
	}
	if (r->nskipped)
		buf_addf(out, "\nnote: %zu input lines matched no known layout and were skipped\n",
			 r->nskipped);
	/* Symbols and paths come from the input: no terminal controls. */
	text_sanitize_tail(out, from);
}
