/*
 * Cells shared by the comparison formats: values scaled to their unit,
 * medians with their CI, changes, p and n, MDE, verdicts and notes; see
 * compare_cells.h.
 */
#include <math.h>
#include <string.h>

#include "compare_cells.h"
#include "escape.h"
#include "util/banned.h"

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
void cell_center(struct buf *out, const char *unit, const struct summary *s)
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

void cell_pct(struct buf *out, double ratio)
{
	if (isnan(ratio))
		buf_addch(out, '?');
	else if (isinf(ratio))
		buf_addstr(out, ratio > 0 ? "+∞%" : "-∞%");
	else
		buf_addf(out, "%+.2f%%", 100.0 * (ratio - 1.0));
}

/* The change, or "~" when it is neither significant nor beyond θ. */
void cell_delta(struct buf *out, const struct compare_row *r, double alpha)
{
	if (!r->comparable)
		return;
	if (r->verdict == VERDICT_SAME && !(r->p_adj < alpha))
		buf_addch(out, '~');
	else
		cell_pct(out, r->ratio);
}

void cell_pn(struct buf *out, const struct compare_row *r)
{
	if (!r->comparable)
		return;
	if (r->exact)
		buf_addf(out, "(exact n=%zu+%zu)", r->old.n, r->new.n);
	else
		buf_addf(out, "(p=%.3f n=%zu+%zu)", r->p_adj, r->old.n, r->new.n);
}

void cell_mde(struct buf *out, const struct compare_row *r)
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

/* "(spread X %)": two significant digits below 10 %, whole percents above. */
static void add_spread(struct buf *out, double spread)
{
	if (isfinite(spread) && spread < 0.1)
		buf_addf(out, "(spread %.2g %%)", 100.0 * spread);
	else if (isfinite(spread))
		buf_addf(out, "(spread %.0f %%)", 100.0 * spread);
	else
		buf_addstr(out, "(spread ∞: values around 0)");
}

void cell_why(struct buf *out, const struct compare_row *r)
{
	buf_addstr(out, r->why ? r->why : "?");
	if (!r->unrepeatable)
		return;
	buf_addch(out, ' ');
	add_spread(out, r->spread);
}

void cell_verdict(struct buf *out, const struct compare_row *r)
{
	buf_addstr(out, verdict_name(r->verdict));
	if (r->verdict == VERDICT_NOT_COMPARABLE) {
		buf_addstr(out, ": ");
		cell_why(out, r);
	}
}

void cell_note(struct buf *out, const struct compare_row *r)
{
	if (r->underpowered)
		buf_addstr(out, "under-powered");
	if (r->exact_varies && r->apart) {
		buf_addf(out, "%svalues vary: sides apart ", r->underpowered ? ", " : "");
		add_spread(out, r->spread);
	} else if (r->exact_varies && r->outliers) {
		buf_addf(out, "%svalues vary: %zu outlier%s of %zu+%zu ", r->underpowered ? ", " : "",
			 r->outliers, r->outliers > 1 ? "s" : "", r->old.n, r->new.n);
		add_spread(out, r->spread);
	} else if (r->exact_varies)
		buf_addf(out, "%svalues vary", r->underpowered ? ", " : "");
	if (r->unconfirmed)
		buf_addf(out, "%snot confirmed", r->underpowered || r->exact_varies ? ", " : "");
}

void cell_name(struct buf *out, const struct compare_block *b, const struct compare_row *r)
{
	/* Two packages may share a benchmark name: qualify as Go does. */
	if (b->multi_pkg && *r->pkg) {
		text_sanitize(out, r->pkg);
		buf_addch(out, '.');
	}
	text_sanitize(out, r->name);
}

void cell_theta(struct buf *out, const struct compare_table *t)
{
	buf_addf(out, "%s is better, θ %g%%", t->mi.better > 0 ? "higher" : "lower",
		 100.0 * t->mi.theta);
	if (t->assume_exact)
		buf_addstr(out, ", assume=exact");
}

void cell_counts(struct buf *out, const struct compare_block *b, int md)
{
	cell_counts_of(out, b->count, md);
}

void cell_unit_list(struct buf *out, const char *const *u, size_t n, int md)
{
	for (size_t i = 0; i < n; i++) {
		buf_addstr(out, i ? ", " : "");
		if (md)
			md_cell_escape(out, u[i]);
		else
			text_sanitize(out, u[i]);
	}
}

void cell_decision(struct buf *out, const struct compare_block *b, int md)
{
	if (!b->nregressed) {
		buf_addstr(out, b->family ? "no gated regression" :
			   "no gated comparison could be made (see the not comparable rows)");
		return;
	}
	buf_addf(out, "%s%zu benchmark%s regressed%s: ", md ? "**" : "", b->nregressed,
		 b->nregressed == 1 ? "" : "s", md ? "**" : "");
	for (size_t i = 0; i < b->nregressed; i++) {
		const struct compare_finding *f = &b->regressed[i];

		struct buf name = BUF_INIT;

		buf_addstr(out, i ? ", " : "");
		if (b->multi_pkg && *f->pkg)
			buf_addf(&name, "%s.", f->pkg);
		buf_addstr(&name, f->name);
		/* Names come from files: escaped for the format, as in the tables. */
		if (md)
			md_code_span(out, name.buf);
		else
			text_sanitize(out, name.buf);
		buf_release(&name);
		buf_addstr(out, " (");
		cell_unit_list(out, f->units, f->nunits, md);
		buf_addch(out, ')');
	}
}

void cell_unreachable(struct buf *out, const struct compare_report *rep,
		      const struct compare_block *b)
{
	buf_addf(out, "cannot reach α=%g: with n=%zu+%zu the smallest possible p is %.3g, "
		 "and Holm over %zu gated comparison%s needs p < %.3g, so ",
		 rep->alpha, b->un_nold, b->un_nnew, b->un_minp, b->family,
		 b->family == 1 ? "" : "s", b->un_level);
	if (b->unreachable == b->family)
		buf_addstr(out, "no change can be significant");
	else
		buf_addf(out, "%zu of them can never be significant", b->unreachable);
	if (b->need_n)
		buf_addf(out, "; use -count %zu or more, or gate fewer metrics (--gate)", b->need_n);
}

static void reps_range(struct buf *out, size_t lo, size_t hi)
{
	if (lo == hi)
		buf_addf(out, "%zu", lo);
	else
		buf_addf(out, "%zu-%zu", lo, hi);
}

void cell_reps(struct buf *out, const struct compare_reps *c)
{
	buf_addstr(out, "repetitions per side: base ");
	reps_range(out, c->base_lo, c->base_hi);
	buf_addstr(out, ", head ");
	reps_range(out, c->head_lo, c->head_hi);
	if (!c->adaptive)
		return;
	buf_addf(out, "; -count auto (%zu, +%zu per look, up to %zu; α spent over the looks): "
		 "%zu look%s, %s", c->nmin, c->step, c->cap, c->looks, c->looks == 1 ? "" : "s",
		 c->decided ? "every gated pair decided" :
		 "the cap reached with gated pairs undecided");
}

void cell_negligible(struct buf *out, const struct compare_block *b)
{
	size_t k = 0;

	buf_addf(out, "negligible (|median| under %g per op, or negative; not compared): ",
		 COMPARE_NEGLIGIBLE);
	for (size_t i = 0; i < b->ntables; i++) {
		const struct compare_table *t = &b->tables[i];

		if (t->nnegligible)
			buf_addf(out, "%s%s (%zu)", k++ ? ", " : "", t->unit, t->nnegligible);
	}
}

/* "1 regression, 0 improvements, ..." from counts per verdict. */
void cell_counts_of(struct buf *out, const size_t *count, int md)
{
	static const enum verdict order[] = {
		VERDICT_REGRESSION, VERDICT_IMPROVEMENT, VERDICT_INCONCLUSIVE,
		VERDICT_SAME, VERDICT_NOT_COMPARABLE
	};

	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		size_t n = count[order[i]];
		int strong = md && order[i] == VERDICT_REGRESSION && n;

		buf_addf(out, "%s%s%zu %s%s%s", i ? ", " : "", strong ? "**" : "", n,
			 verdict_name(order[i]),
			 (order[i] == VERDICT_REGRESSION || order[i] == VERDICT_IMPROVEMENT) && n != 1 ? "s" : "", strong ? "**" : "");
	}
}
