/* One trend chart as SVG; see history_report.h. */
#include <math.h>
#include <string.h>

#include "escape.h"
#include "history_report.h"
#include "util/banned.h"

#define W 760.0
#define H 260.0
#define ML 78.0     /* left margin: the y labels */
#define MR 24.0
#define MT 34.0     /* top: the title */
#define MB 36.0     /* bottom: the first and last commit */

static const char *const colors[] = { "#1f6fb2", "#2a9d3a", "#8a4fc1", "#c76b00" };

struct frame {
	double lo, hi;   /* y range */
	size_t maxn;     /* points on the x axis */
};

static double fx(const struct frame *f, size_t i)
{
	if (f->maxn <= 1)
		return ML + (W - ML - MR) / 2;
	return ML + (W - ML - MR) * (double)i / (double)(f->maxn - 1);
}

static double fy(const struct frame *f, double v)
{
	return MT + (H - MT - MB) * (f->hi - v) / (f->hi - f->lo);
}

static void widen(struct frame *f, double v)
{
	if (!isfinite(v))
		return;
	if (v < f->lo)
		f->lo = v;
	if (v > f->hi)
		f->hi = v;
}

static void frame_of(struct frame *f, const struct trend *t, size_t last)
{
	f->lo = INFINITY;
	f->hi = -INFINITY;
	f->maxn = 0;
	for (size_t j = 0; j < t->ns; j++) {
		const struct trend_series *s = &t->s[j];
		size_t first = history_first_shown(s->n, last);

		if (s->n - first > f->maxn)
			f->maxn = s->n - first;
		for (size_t k = first; k < s->n; k++) {
			widen(f, s->pts[k].median);
			if (s->pts[k].ci_ok) {
				widen(f, s->pts[k].ci_lo);
				widen(f, s->pts[k].ci_hi);
			}
		}
	}
	if (!isfinite(f->lo)) {
		f->lo = 0;
		f->hi = 1;
	}
	if (f->hi - f->lo <= fabs(f->hi) * 1e-9) {
		double pad = f->hi ? fabs(f->hi) * 0.05 : 1.0;

		f->lo -= pad;
		f->hi += pad;
	} else {
		double pad = (f->hi - f->lo) * 0.08;

		f->lo -= pad;
		f->hi += pad;
	}
}

static void link_open(struct buf *out, const char *url, const char *sha)
{
	const char *at = url ? strstr(url, "%s") : NULL;
	struct buf href = BUF_INIT;

	if (at) {
		buf_add(&href, url, (size_t)(at - url));
		buf_addstr(&href, sha);
		buf_addstr(&href, at + 2);
	} else {
		buf_addf(&href, "#c-%s", sha);
	}
	buf_addstr(out, "<a href=\"");
	xml_escape(out, href.buf);
	buf_addstr(out, "\">");
	buf_release(&href);
}

static void axes(struct buf *out, const struct trend *t, const struct frame *f)
{
	buf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fff\" "
		 "stroke=\"#999\"/>\n", ML, MT, W - ML - MR, H - MT - MB);
	for (int i = 0; i <= 4; i++) {
		double v = f->lo + (f->hi - f->lo) * i / 4.0, y = fy(f, v);

		buf_addf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
			 "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.4g</text>\n",
			 ML, W - MR, y, y, ML - 6, y + 4, v);
	}
	buf_addf(out, "<text x=\"%.1f\" y=\"20\" font-size=\"13\" font-weight=\"bold\">", ML);
	xml_escape(out, t->name);
	buf_addstr(out, "  ");
	xml_escape(out, t->metric);
	buf_addstr(out, "</text>\n");
}

static void series_svg(struct buf *out, const struct trend_series *s, size_t last,
		       const struct frame *f, const char *color, const char *url)
{
	size_t first = history_first_shown(s->n, last);

	buf_addf(out, "<g class=\"series\" data-runner=\"%.16s\">\n<polyline fill=\"none\" "
		 "stroke=\"%s\" stroke-width=\"1.5\" points=\"", s->fp_class, color);
	for (size_t k = first; k < s->n; k++)
		buf_addf(out, "%s%.1f,%.1f", k > first ? " " : "", fx(f, k - first),
			 fy(f, s->pts[k].median));
	buf_addstr(out, "\"/>\n");
	for (size_t k = first; k < s->n; k++) {
		const struct trend_point *p = &s->pts[k];
		double x = fx(f, k - first);

		if (p->ci_ok)
			buf_addf(out, "<line class=\"ci\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
				 "stroke=\"%s\" stroke-opacity=\"0.5\"/>", x, x, fy(f, p->ci_lo),
				 fy(f, p->ci_hi), color);
		buf_addf(out, "<circle class=\"point%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\" "
			 "stroke=\"%s\"><title>%.12s  %.6g  n=%zu  ", p->outlier ? " outlier" : "", x,
			 fy(f, p->median), p->outlier ? "5" : "3", p->outlier ? "none" : color,
			 p->outlier ? "#d62828" : color, p->sha, p->median, p->n);
		xml_escape(out, p->subject);
		buf_addstr(out, "</title></circle>\n");
		if (!p->change)
			continue;
		link_open(out, url, p->sha);
		buf_addf(out, "<g class=\"change\"><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
			 "stroke=\"#d62828\" stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%.1f\" "
			 "font-size=\"11\" fill=\"#d62828\">%.8s ", x, x, MT, H - MB, x + 4, MT + 12,
			 p->sha);
		history_change_label(out, p);
		buf_addstr(out, "</text></g></a>\n");
	}
	buf_addstr(out, "</g>\n");
}

void history_svg(struct buf *out, const struct trend *t, size_t last, int standalone,
		 const char *commit_url)
{
	struct frame f;

	frame_of(&f, t, last);
	if (standalone)
		buf_addstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	buf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend\" width=\"%.0f\" "
		 "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n<title>",
		 W, H, W, H);
	xml_escape(out, t->name);
	buf_addch(out, ' ');
	xml_escape(out, t->metric);
	buf_addstr(out, "</title>\n");
	axes(out, t, &f);
	for (size_t j = 0; j < t->ns; j++) {
		const struct trend_series *s = &t->s[j];
		size_t first = history_first_shown(s->n, last);

		series_svg(out, s, last, &f, colors[j % (sizeof(colors) / sizeof(colors[0]))],
			   commit_url);
		if (s->n && !j)
			buf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%.8s</text>"
				 "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.8s"
				 "</text>\n", ML, H - MB + 16, s->pts[first].sha, W - MR, H - MB + 16,
				 s->pts[s->n - 1].sha);
	}
	buf_addstr(out, "</svg>\n");
}
