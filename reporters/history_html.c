/* `perfgo report --html`: one self-contained page; see history_report.h. */
#include <string.h>
#include <time.h>

#include "escape.h"
#include "history_report.h"
#include "util/strvec.h"
#include "util/banned.h"

static const char style[] =
	"body{font-family:sans-serif;margin:1.5em;color:#222}"
	"h2{margin-top:1.6em;border-bottom:1px solid #ccc}"
	"table{border-collapse:collapse;font-size:13px}"
	"td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}"
	"pre{background:#f6f6f6;padding:8px;overflow:auto;font-size:12px}"
	".chart{margin:1em 0}.chart h3{margin:0.2em 0;font-size:14px}"
	"code{font-size:12px}:target{background:#ffe9a8}";

/* Filter the charts by a substring of their name; no network, no library. */
static const char script[] =
	"function pgFilter(q){q=q.toLowerCase();"
	"document.querySelectorAll('.chart').forEach(function(c){"
	"c.style.display=c.dataset.name.toLowerCase().indexOf(q)===-1?'none':'';});}";

static void date_of(struct buf *out, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char d[24];

	if (t && gmtime_r(&tt, &tm) && strftime(d, sizeof(d), "%Y-%m-%d %H:%M", &tm))
		buf_addstr(out, d);
}

static void chart(struct buf *out, const struct trend *t, size_t last)
{
	buf_addstr(out, "<div class=\"chart\" data-name=\"");
	xml_escape(out, t->name);
	buf_addch(out, ' ');
	xml_escape(out, t->metric);
	buf_addstr(out, "\"><h3>");
	xml_escape(out, t->name);
	buf_addstr(out, " &#8212; ");
	xml_escape(out, t->metric);
	buf_addstr(out, " <small>(");
	xml_escape(out, t->package);
	buf_addstr(out, ")</small></h3>\n");
	history_svg(out, t, last, 0, NULL);
	for (size_t j = 0; j < t->ns; j++)
		for (size_t k = history_first_shown(t->s[j].n, last); k < t->s[j].n; k++) {
			const struct trend_point *p = &t->s[j].pts[k];

			if (!p->change)
				continue;
			buf_addf(out, "<div class=\"cp\">change point at <a href=\"#c-%s\"><code>%.12s"
				 "</code></a> ", p->sha, p->sha);
			history_change_label(out, p);
			buf_addstr(out, " &#8212; ");
			xml_escape(out, p->subject);
			buf_addstr(out, "</div>\n");
		}
	buf_addstr(out, "</div>\n");
}

/* Every commit of the charts once, newest first, as link targets. */
static void commits(struct buf *out, const struct history_page *pg, size_t last)
{
	struct strvec seen = STRVEC_INIT;

	buf_addstr(out, "<h2 id=\"commits\">Commits</h2>\n<table>\n<tr><th>commit</th><th>date"
		   "</th><th>subject</th></tr>\n");
	for (size_t i = 0; i < pg->nt; i++)
		for (size_t j = 0; j < pg->t[i].ns; j++) {
			const struct trend_series *s = &pg->t[i].s[j];

			for (size_t k = s->n; k-- > history_first_shown(s->n, last);) {
				const struct trend_point *p = &s->pts[k];

				if (strvec_find(&seen, p->sha) >= 0)
					continue;
				strvec_push(&seen, p->sha);
				buf_addf(out, "<tr id=\"c-%s\"><td><code>%.12s</code></td><td>", p->sha,
					 p->sha);
				date_of(out, p->time);
				buf_addstr(out, "</td><td>");
				xml_escape(out, p->subject);
				buf_addstr(out, "</td></tr>\n");
			}
		}
	buf_addstr(out, "</table>\n");
	strvec_clear(&seen);
}

static void runs(struct buf *out, const struct history_page *pg)
{
	buf_addstr(out, "<h2 id=\"runs\">Runs</h2>\n<table>\n<tr><th>id</th><th>started</th>"
		   "<th>status</th><th>command</th><th>commit</th></tr>\n");
	for (size_t i = 0; i < pg->nruns; i++) {
		const struct history_page_run *r = &pg->runs[i];
		const char *f[] = { r->when, r->status, r->command };

		buf_addstr(out, "<tr><td><code>");
		xml_escape(out, r->id);
		buf_addstr(out, "</code></td>");
		for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
			buf_addstr(out, "<td>");
			xml_escape(out, f[k] ? f[k] : "");
			buf_addstr(out, "</td>");
		}
		buf_addstr(out, "<td><code>");
		if (r->commit)
			buf_addf(out, "%.12s", r->commit);
		buf_addstr(out, "</code></td></tr>\n");
	}
	buf_addstr(out, "</table>\n");
}

void history_html(struct buf *out, const struct history_page *pg, size_t last)
{
	buf_addf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
		 "<title>perfgo report</title>\n<style>%s</style>\n<script>%s</script>\n</head>\n"
		 "<body>\n<h1>perfgo report</h1>\n<p>", style, script);
	xml_escape(out, pg->generated ? pg->generated : "");
	buf_addf(out, " &#183; %zu chart%s &#183; <a href=\"#comparison\">latest comparison</a> "
		 "&#183; <a href=\"#runs\">runs</a> &#183; <a href=\"#commits\">commits</a></p>\n"
		 "<p><input id=\"filter\" placeholder=\"filter charts\" oninput=\"pgFilter(this.value)\""
		 "/></p>\n<h2 id=\"trends\">Trends</h2>\n", pg->nt, pg->nt == 1 ? "" : "s");
	for (size_t i = 0; i < pg->nt; i++)
		chart(out, &pg->t[i], last);
	buf_addstr(out, "<h2 id=\"comparison\">Latest comparison</h2>\n");
	if (pg->comparison_text) {
		buf_addstr(out, "<p>run <code>");
		xml_escape(out, pg->comparison_id ? pg->comparison_id : "");
		buf_addstr(out, "</code></p>\n<pre>");
		xml_escape(out, pg->comparison_text);
		buf_addstr(out, "</pre>\n");
	} else {
		buf_addstr(out, "<p>No comparison stored ('perfgo compare' records one).</p>\n");
	}
	runs(out, pg);
	commits(out, pg, last);
	buf_addstr(out, "</body>\n</html>\n");
}
