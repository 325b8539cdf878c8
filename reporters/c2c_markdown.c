/* A c2c analysis as Markdown (pull requests, job summaries); see c2c_report.h. */
#include <inttypes.h>
#include <string.h>

#include "c2c_report.h"
#include "escape.h"
#include "util/banned.h"

static void cell(struct buf *out, const char *s)
{
	buf_addstr(out, "| ");
	md_cell_escape(out, s ? s : "?");
	buf_addch(out, ' ');
}

static void line_rows(struct buf *out, const struct c2c_line *l, int peer)
{
	buf_addf(out, "\n| offset | %s rmt/lcl | stores | CPUs | code | symbol | source |\n",
		 peer ? "peer" : "HITM");
	buf_addstr(out, "|---|--:|--:|--:|---|---|---|\n");
	for (size_t i = 0; i < l->nrows; i++) {
		const struct c2c_row *w = &l->rows[i];

		buf_addf(out, "| 0x%" PRIx64 " | %.0f/%.0f | %.0f | %" PRId64 " | 0x%" PRIx64 " ",
			 w->offset, w->rmt, w->lcl, w->stores, w->cpu_cnt, w->iaddr);
		cell(out, w->sym_func ? w->sym_func : w->symbol);
		cell(out, w->sym_file_line ? w->sym_file_line : w->source);
		buf_addstr(out, "|\n");
	}
}

void c2c_report_markdown(struct buf *out, const struct c2c_report *r,
			 const struct c2c_analysis *a, size_t top)
{
	const struct c2c_summary *s = &r->sum;

	buf_addstr(out, "## perfgo c2c: cache-line sharing\n\n");
	buf_addf(out, "**%zu false sharing**, %zu true sharing, of %zu cache lines.",
		 a->nfalse, a->ntrue, a->nr);
	if (s->lcl_hitm >= 0 || s->rmt_hitm >= 0)
		buf_addf(out, " HITM: %" PRId64 " local, %" PRId64 " remote.",
			 s->lcl_hitm < 0 ? 0 : s->lcl_hitm, s->rmt_hitm < 0 ? 0 : s->rmt_hitm);
	if (s->events) {
		buf_addstr(out, " Events: ");
		md_code_span(out, s->events);
		buf_addch(out, '.');
	}
	buf_addch(out, '\n');
	for (size_t i = 0; i < a->nr; i++) {
		const struct c2c_verdict *v = &a->v[i];
		const struct c2c_line *l = v->line;
		struct buf t = BUF_INIT;

		if (top && i == top) {
			buf_addf(out, "\n%zu more cache lines not shown.\n", a->nr - i);
			break;
		}
		buf_addf(out, "\n### Line %" PRId64 " `0x%" PRIx64 "`", l->index, l->address);
		if (l->data_name) {
			buf_addstr(out, " (");
			md_code_span(out, l->data_name);
			buf_addch(out, ')');
		}
		buf_addf(out, ": %s (%.2f%% of %s)\n\n", c2c_kind_name(v->kind), v->share,
			 r->peer_display ? "peer snoops" : "HITM");
		c2c_explain(&t, v, r->peer_display);
		buf_addstr(out, "Why: ");
		md_cell_escape(out, t.buf);
		buf_addstr(out, ".\n");
		buf_reset(&t);
		c2c_fix(&t, v);
		if (t.len) {
			buf_addstr(out, "\nFix: ");
			md_cell_escape(out, t.buf);
			buf_addstr(out, ".\n");
		}
		buf_release(&t);
		if (l->nrows)
			line_rows(out, l, r->peer_display);
	}
}
