/* `perfgo history --format csv` (RFC 4180); see history_report.h. */
#include <string.h>

#include "history_report.h"
#include "util/banned.h"

static void csv_field(struct buf *out, const char *s)
{
	buf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_addch(out, '"');
		buf_addch(out, *s);
	}
	buf_addch(out, '"');
}

static void csv_num(struct buf *out, int ok, double v)
{
	if (ok)
		buf_addf(out, ",%.17g", v);
	else
		buf_addch(out, ',');
}

void history_csv(struct buf *out, const struct trend *t, size_t nt, size_t last)
{
	buf_addstr(out, "package,benchmark,metric,runner_class,commit,time,subject,median,"
		   "ci_lo,ci_hi,n,change_rel,change_p,outlier,moved\r\n");
	for (size_t i = 0; i < nt; i++)
		for (size_t j = 0; j < t[i].ns; j++) {
			const struct trend_series *s = &t[i].s[j];

			for (size_t k = history_first_shown(s->n, last); k < s->n; k++) {
				const struct trend_point *p = &s->pts[k];

				csv_field(out, t[i].package);
				buf_addch(out, ',');
				csv_field(out, t[i].name);
				buf_addch(out, ',');
				csv_field(out, t[i].metric);
				buf_addf(out, ",%s,%s,%lld,", s->fp_class, p->sha, p->time);
				csv_field(out, p->subject);
				csv_num(out, 1, p->median);
				csv_num(out, p->ci_ok, p->ci_lo);
				csv_num(out, p->ci_ok, p->ci_hi);
				buf_addf(out, ",%zu", p->n);
				csv_num(out, p->change, p->change_rel);
				csv_num(out, p->change, p->change_p);
				buf_addf(out, ",%d,%d\r\n", p->outlier, p->moved);
			}
		}
}
