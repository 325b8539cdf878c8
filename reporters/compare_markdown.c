/* A comparison as GitHub-flavoured Markdown; see compare_formats.h. */
#include <string.h>

#include "compare_cells.h"
#include "compare_formats.h"
#include "escape.h"
#include "util/banned.h"

static void md_row_name(struct buf *out, const struct compare_block *b, const struct compare_row *r)
{
	struct buf n = BUF_INIT;

	cell_name(&n, b, r);
	md_code_span(out, n.buf);
	buf_release(&n);
}

static void md_cell(struct buf *out, struct buf *cell)
{
	buf_addstr(out, " | ");
	md_cell_escape(out, cell->buf);
	buf_reset(cell);
}

static void md_changes(struct buf *out, const struct compare_block *b)
{
	struct buf c = BUF_INIT;
	size_t n = 0;

	/* Regressions first: they are what the reader came for. */
	for (int pass = 0; pass < 2; pass++) {
		enum verdict want = pass ? VERDICT_IMPROVEMENT : VERDICT_REGRESSION;

		for (size_t i = 0; i < b->ntables; i++) {
			const struct compare_table *t = &b->tables[i];

			for (size_t j = 0; t->gated && j < t->nr; j++) {
				const struct compare_row *r = &t->rows[j];

				if (r->verdict != want)
					continue;
				if (!n++)
					buf_addstr(out, "| Benchmark | Unit | Old | New | Delta | Verdict |\n"
						   "|:--|:--|--:|--:|--:|:--|\n");
				buf_addstr(out, "| ");
				md_row_name(out, b, r);
				buf_addstr(&c, t->unit);
				md_cell(out, &c);
				cell_center(&c, t->unit, &r->old);
				md_cell(out, &c);
				cell_center(&c, t->unit, &r->new);
				md_cell(out, &c);
				cell_pct(&c, r->ratio);
				buf_addch(&c, ' ');
				cell_pn(&c, r);
				md_cell(out, &c);
				buf_addf(out, " | **%s** |\n", verdict_name(r->verdict));
			}
		}
	}
	if (!n) {
		buf_addstr(out, "No gated regression or improvement was established");
		if (b->count[VERDICT_INCONCLUSIVE])
			buf_addf(out, "; %zu inconclusive (beyond θ, not established: re-run with "
				 "more repetitions)", b->count[VERDICT_INCONCLUSIVE]);
		buf_addstr(out, ".\n");
	}
	buf_release(&c);
}

static void md_table(struct buf *out, const struct compare_report *rep,
		const struct compare_block *b, const struct compare_table *t)
{
	struct buf c = BUF_INIT;

	buf_addstr(out, "**");
	md_cell_escape(out, t->unit);
	buf_addstr(out, "**: ");
	cell_theta(out, t);
	buf_addstr(out, "\n\n| Benchmark | ");
	md_code_span(out, rep->old_label);
	buf_addstr(out, " | ");
	md_code_span(out, b->new_label);
	buf_addstr(out, " | Delta | p (n) | MDE | Verdict |\n|:--|--:|--:|--:|:--|--:|:--|\n");
	for (size_t i = 0; i < t->nr; i++) {
		const struct compare_row *r = &t->rows[i];

		if (r->negligible)
			continue;
		buf_addstr(out, "| ");
		md_row_name(out, b, r);
		if (r->has_old)
			cell_center(&c, t->unit, &r->old);
		md_cell(out, &c);
		if (r->has_new)
			cell_center(&c, t->unit, &r->new);
		md_cell(out, &c);
		cell_delta(&c, r, rep->alpha);
		md_cell(out, &c);
		cell_pn(&c, r);
		md_cell(out, &c);
		cell_mde(&c, r);
		md_cell(out, &c);
		cell_verdict(&c, r);
		if (r->underpowered || r->exact_varies || r->unconfirmed)
			buf_addstr(&c, " (");
		cell_note(&c, r);
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
		cell_pct(&c, t->gm_ratio);
		md_cell(out, &c);
		buf_addstr(out, " |  |  |  |\n");
	}
	buf_addch(out, '\n');
	buf_release(&c);
}

static void md_tables(struct buf *out, const struct compare_report *rep,
		const struct compare_block *b, int gated)
{
	for (size_t i = 0; i < b->ntables; i++)
		if (b->tables[i].gated == gated && b->tables[i].nnegligible < b->tables[i].nr)
			md_table(out, rep, b, &b->tables[i]);
}

static void md_block(struct buf *out, const struct compare_report *rep,
		const struct compare_block *b)
{
	struct buf c = BUF_INIT;
	size_t ndiag = b->ntables - b->ngated_tables;

	buf_addstr(out, "**perfgo compare** ");
	md_code_span(out, rep->old_label);
	buf_addstr(out, " → ");
	md_code_span(out, b->new_label);
	buf_addstr(out, ": ");
	cell_decision(out, b, 1);
	buf_addstr(out, "\n\n");
	if (b->unreachable) {
		cell_unreachable(&c, rep, b);
		buf_addstr(out, "> **Warning: ");
		md_cell_escape(out, c.buf);
		buf_addstr(out, "**\n\n");
	}
	buf_addstr(out, "Gated: ");
	cell_counts(out, b, 1);
	buf_addf(out, " (Holm over %zu comparison%s)\n\n", b->family, b->family == 1 ? "" : "s");
	md_changes(out, b);
	buf_addf(out, "\n<details><summary>All gated results: %zu unit%s, Holm over %zu comparison%s</summary>\n\n",
		 b->ngated_tables, b->ngated_tables == 1 ? "" : "s", b->family, b->family == 1 ? "" : "s");
	md_tables(out, rep, b, 1);
	buf_addstr(out, "</details>\n\n");
	if (ndiag) {
		buf_addf(out, "<details><summary>Diagnostics (never gate): %zu unit%s, "
			 "Benjamini-Hochberg over %zu comparison%s; ", ndiag, ndiag == 1 ? "" : "s",
			 b->dfamily, b->dfamily == 1 ? "" : "s");
		cell_counts_of(out, b->dcount, 0);
		buf_addstr(out, "</summary>\n\n");
		md_tables(out, rep, b, 0);
		if (b->nnegligible) {
			buf_reset(&c);
			cell_negligible(&c, b);
			md_cell_escape(out, c.buf);
			buf_addstr(out, "\n\n");
		}
		buf_addstr(out, "</details>\n\n");
	}
	if (b->nonly_old || b->nonly_new) {
		buf_addstr(out, "Not compared (in one file only):");
		if (b->nonly_old) {
			buf_addstr(out, " old: ");
			cell_unit_list(out, b->only_old, b->nonly_old, 1);
		}
		if (b->nonly_new) {
			buf_addstr(out, b->nonly_old ? "; new: " : " new: ");
			cell_unit_list(out, b->only_new, b->nonly_new, 1);
		}
		buf_addstr(out, "\n\n");
	}
	buf_release(&c);
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
		 "benchmark × gated unit (α = %g); diagnostics are Benjamini-Hochberg-adjusted "
		 "among themselves and never gate. A regression or improvement is significant "
		 "and has the whole %g %% CI of the ratio of medians beyond the unit's "
		 "threshold θ; ~ is within noise; inconclusive is beyond θ but not "
		 "established (re-run with more repetitions). MDE: minimum detectable "
		 "effect at %g %% power on the log-ratio scale; under-powered when θ is below "
		 "it on a ~ or inconclusive row. The geomean "
		 "row never gates.</sub>\n",
		 100.0 * rep->conf, rep->alpha, 100.0 * rep->conf, 100.0 * rep->power);
}

