/* A comparison as text, benchstat-like; see compare_formats.h. */
#include <stdlib.h>
#include <string.h>

#include "compare_cells.h"
#include "compare_formats.h"
#include "escape.h"
#include "util/strvec.h"
#include "util/banned.h"

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
		const struct compare_block *b, const struct compare_table *t)
{
	struct grid g = { STRVEC_INIT, 8, "lrrrlrll" };
	static const char *const head[] = { "", NULL, NULL, "delta", "", "mde", "verdict", "" };
	struct buf c = BUF_INIT;

	buf_addf(out, "%s: ", t->unit);
	cell_theta(out, t);
	buf_addch(out, '\n');
	for (size_t i = 0; i < ARRAY_SIZE(head); i++) {
		buf_addstr(&c, head[i] ? head[i] : i == 1 ? rep->old_label : b->new_label);
		grid_cell(&g, &c);
	}
	for (size_t i = 0; i < t->nr; i++) {
		const struct compare_row *r = &t->rows[i];

		if (r->negligible)
			continue;
		cell_name(&c, b, r);
		grid_cell(&g, &c);
		if (r->has_old)
			cell_center(&c, t->unit, &r->old);
		grid_cell(&g, &c);
		if (r->has_new)
			cell_center(&c, t->unit, &r->new);
		grid_cell(&g, &c);
		cell_delta(&c, r, rep->alpha);
		grid_cell(&g, &c);
		cell_pn(&c, r);
		grid_cell(&g, &c);
		cell_mde(&c, r);
		grid_cell(&g, &c);
		cell_verdict(&c, r);
		grid_cell(&g, &c);
		cell_note(&c, r);
		grid_cell(&g, &c);
	}
	if (t->has_geomean) {
		strvec_push(&g.cells, "geomean");
		compare_fmt_value(&c, t->unit, t->gm_old);
		grid_cell(&g, &c);
		compare_fmt_value(&c, t->unit, t->gm_new);
		grid_cell(&g, &c);
		cell_pct(&c, t->gm_ratio);
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

/* The tables of the gated units (gated = 1) or of the diagnostics, without negligible ones. */
static void text_tables(struct buf *out, const struct compare_report *rep,
		const struct compare_block *b, int gated)
{
	for (size_t i = 0; i < b->ntables; i++) {
		const struct compare_table *t = &b->tables[i];

		if (t->gated != gated || t->nnegligible == t->nr)
			continue;
		text_table(out, rep, b, t);
		buf_addch(out, '\n');
	}
}

static void text_block(struct buf *out, const struct compare_report *rep,
		const struct compare_block *b)
{
	if (rep->nblocks > 1)
		buf_addf(out, "== %s vs %s\n\n", b->new_label, rep->old_label);
	/* What matters first: the decision, why it may be blind, the gated counts. */
	cell_decision(out, b, 0);
	buf_addch(out, '\n');
	if (b->unreachable) {
		buf_addstr(out, "warning: ");
		cell_unreachable(out, rep, b);
		buf_addch(out, '\n');
	}
	buf_addstr(out, "gated: ");
	cell_counts(out, b, 0);
	buf_addf(out, " (Holm over %zu comparison%s, α=%g)\n\n", b->family,
		 b->family == 1 ? "" : "s", rep->alpha);
	if (!b->ntables)
		buf_addstr(out, "no unit to compare\n\n");
	else if (!b->ngated_tables)
		buf_addstr(out, "no gated unit to compare (see --gate)\n\n");
	text_tables(out, rep, b, 1);
	if (b->ngated_tables < b->ntables) {
		buf_addstr(out, "diagnostics (never gate): ");
		cell_counts_of(out, b->dcount, 0);
		buf_addf(out, " (Benjamini-Hochberg over %zu comparison%s)\n\n", b->dfamily,
			 b->dfamily == 1 ? "" : "s");
		text_tables(out, rep, b, 0);
	}
	if (b->nnegligible) {
		cell_negligible(out, b);
		buf_addch(out, '\n');
	}
	if (b->nonly_old || b->nonly_new) {
		buf_addstr(out, "not compared:");
		if (b->nonly_old) {
			buf_addf(out, " only in %s: ", rep->old_label);
			cell_unit_list(out, b->only_old, b->nonly_old, 0);
			buf_addstr(out, b->nonly_new ? ";" : "");
		}
		if (b->nonly_new) {
			buf_addf(out, " only in %s: ", b->new_label);
			cell_unit_list(out, b->only_new, b->nonly_new, 0);
		}
		buf_addch(out, '\n');
	}
	if (b->nnegligible || b->nonly_old || b->nonly_new)
		buf_addch(out, '\n');
}

void compare_report_text(struct buf *out, const struct compare_report *rep)
{
	size_t from = out->len;

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
		 "~ when neither significant nor beyond θ; p: Mann-Whitney U, Holm-adjusted\n"
		 "over the gated units (Benjamini-Hochberg for diagnostics, which never gate);\n"
		 "exact: constant (3+ equal values per side) or assume=exact values compared\n"
		 "directly; mde: minimum detectable effect (%g%% power, log-ratio scale),\n"
		 "under-powered when θ is below it on a ~ or inconclusive row;\n"
		 "regression/improvement: p < α and the whole %g%% CI of the ratio beyond θ;\n"
		 "inconclusive: beyond θ but not established, re-run with more repetitions\n",
		 100.0 * rep->conf, 100.0 * rep->power, 100.0 * rep->conf);
	/* Labels, units and configuration come from files too: nothing reaches a terminal raw. */
	text_sanitize_tail(out, from);
}

