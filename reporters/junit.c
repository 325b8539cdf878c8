/* Comparisons as JUnit XML; see junit.h. */
#include <math.h>
#include <string.h>

#include "compare_cells.h"
#include "escape.h"
#include "junit.h"
#include "util/strvec.h"
#include "util/banned.h"

static void attr(struct buf *out, const char *name, const char *value)
{
	buf_addf(out, " %s=\"", name);
	xml_escape(out, value ? value : "");
	buf_addch(out, '"');
}

static void property(struct buf *out, const char *name, const char *value)
{
	if (!value)
		return;
	buf_addstr(out, "      <property");
	attr(out, "name", name);
	attr(out, "value", value);
	buf_addstr(out, "/>\n");
}

/* "ns/op +210.52% [CI +190.10%, +230.20%] p=0.0002 (threshold 3%)" */
static void numbers(struct buf *out, const struct compare_table *t, const struct compare_row *r)
{
	buf_addf(out, "%s ", t->unit);
	if (!r->comparable) {
		buf_addstr(out, "not comparable: ");
		if (r->why)
			cell_why(out, r);
		else
			buf_addstr(out, "missing side");
		return;
	}
	compare_fmt_value(out, t->unit, r->old.median);
	buf_addstr(out, " -> ");
	compare_fmt_value(out, t->unit, r->new.median);
	/* The same spelling as text and Markdown: "+∞%", never "inf". */
	buf_addstr(out, " (");
	cell_pct(out, r->ratio);
	if (isfinite(r->lo) && isfinite(r->hi)) {
		buf_addstr(out, ", CI ");
		cell_pct(out, r->lo);
		buf_addstr(out, " .. ");
		cell_pct(out, r->hi);
	}
	buf_addf(out, ") p=%.4g %s p=%.4g n=%zu+%zu threshold %.3g%%: %s%s", r->p,
		 t->gated ? "adjusted" : "BH-adjusted", r->p_adj, r->old.n, r->new.n,
		 100.0 * t->mi.theta, verdict_name(r->verdict),
		 t->gated ? "" : " (diagnostic, never gates)");
}

struct pkg_tally {
	size_t tests, failures, skipped;
};

static void tally(const struct compare_block *b, const char *pkg, struct pkg_tally *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < b->ntables; i++)
		for (size_t j = 0; j < b->tables[i].nr; j++) {
			const struct compare_row *r = &b->tables[i].rows[j];

			if (strcmp(r->pkg, pkg) || r->negligible)
				continue;
			t->tests++;
			if (r->verdict == VERDICT_REGRESSION && b->tables[i].gated)
				t->failures++;
			else if (!r->comparable)
				t->skipped++;
		}
}

static void testcase(struct buf *out, const struct compare_table *t, const struct compare_row *r)
{
	struct buf name = BUF_INIT, msg = BUF_INIT;

	buf_addf(&name, "%s/%s", r->name, t->unit);
	numbers(&msg, t, r);
	buf_addstr(out, "    <testcase");
	attr(out, "classname", *r->pkg ? r->pkg : "(no package)");
	attr(out, "name", name.buf);
	buf_addstr(out, " time=\"0\">\n");
	if (r->verdict == VERDICT_REGRESSION && t->gated) {
		buf_addstr(out, "      <failure type=\"PerfRegression\"");
		attr(out, "message", msg.buf);
		buf_addstr(out, ">");
		xml_escape(out, msg.buf);
		buf_addstr(out, "</failure>\n");
	} else if (!r->comparable) {
		buf_addstr(out, "      <skipped");
		attr(out, "message", msg.buf);
		buf_addstr(out, "/>\n");
	}
	buf_addstr(out, "      <system-out>");
	xml_escape(out, msg.buf);
	buf_addstr(out, "</system-out>\n    </testcase>\n");
	buf_release(&name);
	buf_release(&msg);
}

/*
 * The sample sizes cannot reach α: a case of its own so that CI shows it,
 * failed with --fail-on unreachable, else skipped.
 */
static void power_case(struct buf *out, const struct compare_report *rep,
		       const struct compare_block *b)
{
	struct buf msg = BUF_INIT;

	cell_unreachable(&msg, rep, b);
	buf_addstr(out, "    <testcase classname=\"perfgo\" name=\"sample sizes reach alpha\" time=\"0\">\n");
	if (rep->fail_unreachable) {
		buf_addstr(out, "      <failure type=\"PerfUnderpowered\"");
		attr(out, "message", msg.buf);
		buf_addstr(out, ">");
		xml_escape(out, msg.buf);
		buf_addstr(out, "</failure>\n");
	} else {
		buf_addstr(out, "      <skipped");
		attr(out, "message", msg.buf);
		buf_addstr(out, "/>\n");
	}
	buf_addstr(out, "    </testcase>\n");
	buf_release(&msg);
}

static void suite(struct buf *out, const struct compare_report *rep, const struct compare_block *b,
		  const char *pkg, const struct junit_meta *m, int first)
{
	struct pkg_tally t;
	struct buf msg = BUF_INIT;
	char num[64];

	tally(b, pkg, &t);
	if (b->unreachable && first) {
		t.tests++;
		t.failures += rep->fail_unreachable;
		t.skipped += !rep->fail_unreachable;
	}
	buf_addstr(out, "  <testsuite");
	attr(out, "name", *pkg ? pkg : "(no package)");
	buf_addf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"0\"",
		 t.tests, t.failures, t.skipped);
	if (m->timestamp)
		attr(out, "timestamp", m->timestamp);
	buf_addstr(out, ">\n    <properties>\n");
	property(out, "perfgo.base", m->base_label ? m->base_label : rep->old_label);
	property(out, "perfgo.head", m->head_label ? m->head_label : b->new_label);
	property(out, "perfgo.base.sha", m->base_sha);
	property(out, "perfgo.head.sha", m->head_sha);
	snprintf(num, sizeof(num), "%g", rep->alpha);
	property(out, "perfgo.alpha", num);
	snprintf(num, sizeof(num), "%zu", b->family);
	property(out, "perfgo.family", num);
	property(out, "perfgo.runner", m->runner);
	if (rep->reps) {
		buf_reset(&msg);
		cell_reps(&msg, rep->reps);
		property(out, "perfgo.repetitions", msg.buf);
	}
	buf_reset(&msg);
	cell_decision(&msg, b, 0);
	property(out, "perfgo.decision", msg.buf);
	if (b->unreachable) {
		buf_reset(&msg);
		cell_unreachable(&msg, rep, b);
		property(out, "perfgo.unreachable", msg.buf);
	}
	if (b->nnegligible) {
		buf_reset(&msg);
		cell_negligible(&msg, b);
		property(out, "perfgo.negligible", msg.buf);
	}
	buf_addstr(out, "    </properties>\n");
	if (b->unreachable && first)
		power_case(out, rep, b);
	/* The gate's cases first, the diagnostics after; negligible rows are the property above. */
	for (int gated = 1; gated >= 0; gated--)
		for (size_t i = 0; i < b->ntables; i++)
			for (size_t j = 0; b->tables[i].gated == gated && j < b->tables[i].nr; j++)
				if (!strcmp(b->tables[i].rows[j].pkg, pkg) &&
				    !b->tables[i].rows[j].negligible)
					testcase(out, &b->tables[i], &b->tables[i].rows[j]);
	buf_addstr(out, "  </testsuite>\n");
	buf_release(&msg);
}

void compare_report_junit(struct buf *out, const struct compare_report *rep,
			  const struct junit_meta *meta)
{
	size_t tests = 0, failures = 0, skipped = 0;

	for (size_t k = 0; k < rep->nblocks; k++) {
		if (rep->blocks[k].unreachable) {
			tests++;
			failures += rep->fail_unreachable;
			skipped += !rep->fail_unreachable;
		}
		for (size_t i = 0; i < rep->blocks[k].ntables; i++)
			for (size_t j = 0; j < rep->blocks[k].tables[i].nr; j++) {
				const struct compare_row *r = &rep->blocks[k].tables[i].rows[j];

				if (r->negligible)
					continue;
				tests++;
				failures += r->verdict == VERDICT_REGRESSION &&
					rep->blocks[k].tables[i].gated;
				skipped += !r->comparable;
			}
	}
	buf_addstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"perfgo compare\"");
	buf_addf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"0\"",
		 tests, failures, skipped);
	if (meta->timestamp)
		attr(out, "timestamp", meta->timestamp);
	buf_addstr(out, ">\n");
	for (size_t k = 0; k < rep->nblocks; k++) {
		const struct compare_block *b = &rep->blocks[k];
		struct strvec pkgs = STRVEC_INIT;

		/* One suite per package, in order of first appearance. */
		for (size_t i = 0; i < b->ntables; i++)
			for (size_t j = 0; j < b->tables[i].nr; j++)
				if (strvec_find(&pkgs, b->tables[i].rows[j].pkg) < 0)
					strvec_push(&pkgs, b->tables[i].rows[j].pkg);
		for (size_t i = 0; i < pkgs.nr; i++)
			suite(out, rep, b, pkgs.v[i], meta, !i);
		strvec_clear(&pkgs);
	}
	buf_addstr(out, "</testsuites>\n");
}
