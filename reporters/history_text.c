/* `perfgo history` as text for a terminal; see history_report.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "history_report.h"
#include "util/banned.h"

size_t history_first_shown(size_t n, size_t last)
{
	return last && n > last ? n - last : 0;
}

void history_change_label(struct buf *out, const struct trend_point *p)
{
	buf_addf(out, "%+.1f%% p=%.2g", p->change_rel * 100.0, p->change_p);
}

static void date_of(char out[11], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !gmtime_r(&tt, &tm) || !strftime(out, 11, "%Y-%m-%d", &tm))
		memcpy(out, "-", 2);
}

/* Natural digits for the magnitudes of per-op metrics, %g otherwise. */
static void num(struct buf *out, double v)
{
	double a = fabs(v);

	if (a >= 1e3 && a < 1e12)
		buf_addf(out, "%.0f", v);
	else
		buf_addf(out, "%.4g", v);
}

static void text_point(struct buf *out, const struct trend_point *p)
{
	struct buf med = BUF_INIT, ci = BUF_INIT;
	char date[11];

	date_of(date, p->time);
	num(&med, p->median);
	if (p->ci_ok) {
		buf_addch(&ci, '[');
		num(&ci, p->ci_lo);
		buf_addstr(&ci, ", ");
		num(&ci, p->ci_hi);
		buf_addch(&ci, ']');
	} else {
		buf_addstr(&ci, "(n too small)");
	}
	buf_addf(out, "%.12s  %-10s  %12s  %-26s %3zu  ", p->sha, date, med.buf, ci.buf, p->n);
	text_sanitize(out, p->subject);
	if (p->change) {
		buf_addstr(out, "\n              ^ change point ");
		history_change_label(out, p);
	}
	if (p->outlier) {
		buf_addstr(out, "\n              ! outside the prediction interval [");
		num(out, p->pi_lo);
		buf_addstr(out, ", ");
		num(out, p->pi_hi);
		buf_addch(out, ']');
	}
	if (p->moved)
		buf_addf(out, "\n              ! moved %+.1f%% (threshold %.1f%%)", p->rel * 100.0,
			 p->theta * 100.0);
	buf_addch(out, '\n');
	buf_release(&med);
	buf_release(&ci);
}

void history_text(struct buf *out, const struct trend *t, size_t nt, size_t last)
{
	for (size_t i = 0; i < nt; i++)
		for (size_t j = 0; j < t[i].ns; j++) {
			const struct trend_series *s = &t[i].s[j];

			if (out->len)
				buf_addch(out, '\n');
			text_sanitize(out, t[i].name);
			buf_addstr(out, "  ");
			text_sanitize(out, t[i].metric);
			buf_addstr(out, "  (");
			text_sanitize(out, t[i].package);
			buf_addf(out, ")  runner %.8s  %zu commit%s, %zu change point%s\n",
				 *s->fp_class ? s->fp_class : "unknown", s->n, s->n == 1 ? "" : "s",
				 s->nchanges, s->nchanges == 1 ? "" : "s");
			buf_addf(out, "%-12s  %-10s  %12s  %-26s %3s  %s\n", "commit", "date",
				 "median", "95% CI", "n", "subject");
			for (size_t k = history_first_shown(s->n, last); k < s->n; k++)
				text_point(out, &s->pts[k]);
		}
}
