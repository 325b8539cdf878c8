#ifndef PERFGO_GITHUB_INTERNAL_H
#define PERFGO_GITHUB_INTERNAL_H

/* Shared by github.c (the API) and github_report.c (what is said, files). */

#include "compare_formats.h"
#include "sinks/github.h"

struct gh_annotation {
	char *path;             /* NULL: not located */
	int line;
	int failure;            /* regression; else an improvement (notice) */
	char *title, *message;
};

struct gh_annotations {
	struct gh_annotation *v;
	size_t nr, located;
	size_t regressions, improvements;   /* gated pairs */
};

/* One per regressed or improved gated pair, in report order. */
void gh_annotations_build(struct gh_annotations *a, const struct compare_report *rep,
			  struct gh_locator *loc);
void gh_annotations_release(struct gh_annotations *a);

/* The check run's title: "2 regressions, 1 improvement in 12 benchmarks", ... */
void gh_title(struct buf *out, const struct github_result *r, const struct gh_annotations *a);
/* The conclusion: "success", "failure" or "neutral". */
const char *gh_conclusion(const struct github_result *r);
/* The note appended to a truncated text: where the whole report is. */
void gh_truncation_note(struct buf *out, const struct github *g, const struct github_result *r);

/* ::error / ::notice workflow commands on standard error (stdout stays the report). */
void gh_workflow_commands(const struct gh_annotations *a);
/* $GITHUB_STEP_SUMMARY and $GITHUB_OUTPUT, when set. */
void gh_step_summary(const struct github *g, const struct github_result *r, const char *markdown);
void gh_outputs(const struct github_result *r, const struct gh_annotations *a);

#endif
