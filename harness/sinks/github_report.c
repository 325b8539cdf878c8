/* What the GitHub sink says, and the files of the Actions runner; see github.h. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare_cells.h"
#include "sinks/github_internal.h"
#include "util/io.h"
#include "util/usage.h"
#include "util/banned.h"

static void add_pct(struct buf *b, double ratio)
{
	buf_addf(b, "%+.1f%%", (ratio - 1) * 100);
}

static void annotate_row(struct gh_annotations *a, const struct compare_report *rep,
			 const struct compare_block *blk, const struct compare_table *t,
			 const struct compare_row *r, struct gh_locator *loc)
{
	struct gh_annotation *an;
	struct buf b = BUF_INIT;
	int fail = r->verdict == VERDICT_REGRESSION;

	a->v = xrealloc(a->v, (a->nr + 1) * sizeof(*a->v));
	an = &a->v[a->nr++];
	memset(an, 0, sizeof(*an));
	an->failure = fail;
	if (loc && gh_locate(loc, r->pkg ? r->pkg : "", r->name, &an->path, &an->line))
		a->located++;
	buf_addf(&b, "%s: %s %s", fail ? "Regression" : "Improvement", r->name, t->unit);
	/* GitHub's limit for a title is 255 characters. */
	if (b.len > 250)
		github_truncate(&b, 250, "…");
	an->title = buf_detach(&b);
	if (blk->multi_pkg && r->pkg && *r->pkg)
		buf_addf(&b, "%s.", r->pkg);
	buf_addf(&b, "%s: %s ", r->name, t->unit);
	add_pct(&b, r->ratio);
	if (isfinite(r->lo) && isfinite(r->hi)) {
		buf_addf(&b, " (%g%% CI ", rep->conf * 100);
		add_pct(&b, r->lo);
		buf_addstr(&b, " to ");
		add_pct(&b, r->hi);
		buf_addch(&b, ')');
	}
	buf_addstr(&b, ", medians ");
	compare_fmt_value(&b, t->unit, r->old.median);
	buf_addstr(&b, " → ");
	compare_fmt_value(&b, t->unit, r->new.median);
	buf_addf(&b, ", p=%.3g after Holm, n=%zu+%zu", r->p_adj, r->old.n, r->new.n);
	if (blk->new_label && rep->nblocks > 1)
		buf_addf(&b, " [%s]", blk->new_label);
	an->message = buf_detach(&b);
	if (fail)
		a->regressions++;
	else
		a->improvements++;
}

void gh_annotations_build(struct gh_annotations *a, const struct compare_report *rep,
			  struct gh_locator *loc)
{
	memset(a, 0, sizeof(*a));
	for (size_t b = 0; rep && b < rep->nblocks; b++)
		for (size_t t = 0; t < rep->blocks[b].ntables; t++) {
			const struct compare_table *tab = &rep->blocks[b].tables[t];

			if (!tab->gated)
				continue;
			for (size_t r = 0; r < tab->nr; r++)
				if (tab->rows[r].verdict == VERDICT_REGRESSION ||
				    tab->rows[r].verdict == VERDICT_IMPROVEMENT)
					annotate_row(a, rep, &rep->blocks[b], tab, &tab->rows[r], loc);
		}
}

void gh_annotations_release(struct gh_annotations *a)
{
	for (size_t i = 0; i < a->nr; i++) {
		free(a->v[i].path);
		free(a->v[i].title);
		free(a->v[i].message);
	}
	free(a->v);
	memset(a, 0, sizeof(*a));
}

const char *gh_conclusion(const struct github_result *r)
{
	if (!r->rep || (r->exit_code != 0 && r->exit_code != 1))
		return "neutral";
	if (r->exit_code == 1)
		return "failure";
	return r->rep->regressions ? "neutral" : "success";
}

void gh_title(struct buf *out, const struct github_result *r, const struct gh_annotations *a)
{
	if (!r->rep || (r->exit_code != 0 && r->exit_code != 1)) {
		buf_addf(out, "perfgo could not compare (exit %d)", r->exit_code);
		return;
	}
	if (!a->regressions && !a->improvements)
		buf_addstr(out, "No regression");
	if (a->regressions)
		buf_addf(out, "%zu regression%s", a->regressions, a->regressions == 1 ? "" : "s");
	if (a->improvements)
		buf_addf(out, "%s%zu improvement%s", a->regressions ? ", " : "", a->improvements,
			 a->improvements == 1 ? "" : "s");
	buf_addf(out, " in %zu comparison%s", r->rep->rows, r->rep->rows == 1 ? "" : "s");
	if (r->exit_code == 1 && !a->regressions)
		buf_addstr(out, " (the gate failed: α out of reach)");
}

void github_truncate(struct buf *b, size_t max, const char *note)
{
	size_t nlen = strlen(note), keep;

	if (b->len <= max)
		return;
	keep = max > nlen ? max - nlen : 0;
	/* Back to the start of a UTF-8 character. */
	while (keep && ((unsigned char)b->buf[keep] & 0xC0) == 0x80)
		keep--;
	buf_setlen(b, keep);
	buf_addstr(b, note);
}

void gh_truncation_note(struct buf *out, const struct github *g, const struct github_result *r)
{
	buf_addstr(out, "\n\n---\n**Truncated** to GitHub's limit: the whole report is ");
	if (g->run_url)
		buf_addf(out, "in the artifacts of [this workflow run](%s) and ", g->run_url);
	if (r->run_dir)
		buf_addf(out, "in `%s/` on the runner", r->run_dir);
	else
		buf_addstr(out, "in perfgo's report files");
	buf_addstr(out, ".\n");
}

/* A workflow command's data and properties escaped as the runner unescapes them. */
static void add_escaped(struct buf *b, const char *s, int property)
{
	for (; *s; s++) {
		if (*s == '%')
			buf_addstr(b, "%25");
		else if (*s == '\r')
			buf_addstr(b, "%0D");
		else if (*s == '\n')
			buf_addstr(b, "%0A");
		else if (property && *s == ':')
			buf_addstr(b, "%3A");
		else if (property && *s == ',')
			buf_addstr(b, "%2C");
		else
			buf_addch(b, *s);
	}
}

void gh_workflow_commands(const struct gh_annotations *a)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < a->nr; i++) {
		const struct gh_annotation *an = &a->v[i];

		buf_addf(&b, "::%s ", an->failure ? "error" : "notice");
		if (an->path) {
			buf_addstr(&b, "file=");
			add_escaped(&b, an->path, 1);
			buf_addf(&b, ",line=%d,", an->line);
		}
		buf_addstr(&b, "title=");
		add_escaped(&b, an->title, 1);
		buf_addstr(&b, "::");
		add_escaped(&b, an->message, 0);
		buf_addch(&b, '\n');
	}
	/* stderr: the runner reads commands there too, and stdout stays the report. */
	fflush(stdout);
	fwrite(b.buf ? b.buf : "", 1, b.len, stderr);
	fflush(stderr);
	buf_release(&b);
}

static int append_file(const char *var, const struct buf *b)
{
	const char *path = getenv(var);
	int fd, ret = 0;

	if (!path || !*path)
		return 0;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		warning("cannot append to $%s '%s': %s", var, path, strerror(errno));
		return -1;
	}
	if (write_all(fd, b->buf ? b->buf : "", b->len)) {
		warning("cannot append to $%s '%s': %s", var, path, strerror(errno));
		ret = -1;
	}
	close(fd);
	return ret;
}

void gh_step_summary(const struct github *g, const struct github_result *r, const char *markdown)
{
	struct buf b = BUF_INIT, note = BUF_INIT;

	if (markdown) {
		buf_addstr(&b, markdown);
	} else {
		buf_addf(&b, "## perfgo\n\nperfgo could not compare %s with %s (exit %d): "
			 "the job log says why.\n", r->base_label ? r->base_label : "the base",
			 r->head_label ? r->head_label : "the head", r->exit_code);
	}
	gh_truncation_note(&note, g, r);
	github_truncate(&b, GH_STEP_SUMMARY_MAX - 1024, note.buf);
	if (b.len && b.buf[b.len - 1] != '\n')
		buf_addch(&b, '\n');
	append_file("GITHUB_STEP_SUMMARY", &b);
	buf_release(&b);
	buf_release(&note);
}

static void output(struct buf *b, const char *key, const char *value)
{
	/* One line per value; a path with a newline is left out rather than split. */
	if (value && !strchr(value, '\n') && !strchr(value, '\r'))
		buf_addf(b, "%s=%s\n", key, value);
}

void gh_outputs(const struct github_result *r, const struct gh_annotations *a)
{
	static const char *const keys[COMPARE_FORMATS_NR] = {
		[COMPARE_FORMAT_TEXT] = "report-text", [COMPARE_FORMAT_MARKDOWN] = "report-markdown",
		[COMPARE_FORMAT_JSON] = "report-json", [COMPARE_FORMAT_JUNIT] = "report-junit",
	};
	struct buf b = BUF_INIT, v = BUF_INIT;

	buf_addf(&b, "regressions=%zu\nimprovements=%zu\nregressed-benchmarks=%zu\n",
		 a->regressions, a->improvements, r->rep ? r->rep->nregressed : 0);
	output(&b, "verdict", !r->rep || (r->exit_code != 0 && r->exit_code != 1) ? "error" :
	       r->exit_code ? "fail" : "pass");
	for (size_t i = 0; i < COMPARE_FORMATS_NR; i++) {
		buf_reset(&v);
		if (r->report_file && r->report_file[i])
			buf_addstr(&v, r->report_file[i]);
		else if (r->run_dir)
			buf_addf(&v, "%s/%s", r->run_dir, compare_formats[i].saved_as);
		else
			continue;
		output(&b, keys[i], v.buf);
	}
	if (r->run_dir)
		output(&b, "run-dir", r->run_dir);
	append_file("GITHUB_OUTPUT", &b);
	buf_release(&b);
	buf_release(&v);
}
