#ifndef PERFGO_GITHUB_H
#define PERFGO_GITHUB_H

/*
 * `perfgo compare --github`: a comparison reported to GitHub from an
 * Actions job (on by default when GITHUB_ACTIONS=true).
 *
 *  - A check run named "perfgo" on the commit under review: the pull
 *    request's head from the event payload (GITHUB_EVENT_PATH), else
 *    GITHUB_SHA, else the measured head; created in_progress when
 *    measuring starts (github_start), completed with success, failure
 *    (the gate failed) or neutral (regressions under --fail-on none, or
 *    perfgo could not compare) by github_finish().  Its title counts the
 *    verdicts; its summary is the Markdown report and its text the text
 *    report, each within GitHub's 65,535 characters (truncated at a
 *    character boundary with a note pointing at the run's artifacts).
 *  - Annotations: one per regressed or improved gated (benchmark, unit)
 *    on the `func BenchmarkX(` line that defines it at head
 *    (github_locate.h), failure for a regression, notice for an
 *    improvement, in batches of GH_ANNOTATIONS_PER_REQUEST (the API's
 *    limit), each an update of the check run; the last completes it.
 *  - $GITHUB_STEP_SUMMARY: the Markdown report, appended (at most 1 MiB,
 *    GitHub's limit for a step).  $GITHUB_OUTPUT: regressions,
 *    improvements, regressed-benchmarks, verdict (pass, fail or error) and
 *    report-markdown/-json/-junit/-text (paths).
 *  - With `comment`: one pull request comment carrying GH_COMMENT_MARKER,
 *    found again on later runs and updated in place.
 *  - A token that may not create check runs (403, e.g. a pull request from
 *    a fork gets a read-only token) or no token: one warning, and the
 *    annotations become workflow commands on standard error
 *    (::error file=..,line=..::) next to the job summary.
 * GitHub's failures are warnings: they never change the exit code, which
 * the gate decides.  The token is read from the environment variable
 * `token_var` (default GITHUB_TOKEN) and goes nowhere but the request
 * header (github_api.h).
 */

#include "analysis/compare.h"
#include "junit.h"
#include "sinks/github_api.h"
#include "sinks/github_locate.h"

#define GH_ANNOTATIONS_PER_REQUEST 50
#define GH_TEXT_MAX 65535
#define GH_STEP_SUMMARY_MAX (1024 * 1024)
#define GH_COMMENT_MARKER "<!-- perfgo:compare-comment -->"

struct github_opts {
	int enabled;            /* --github: 1, --no-github: 0, -1: when GITHUB_ACTIONS=true */
	int comment;            /* --github-comment */
	const char *token_var;  /* --github-token-env, or NULL for GITHUB_TOKEN */
};

struct github {
	int on;
	char *repo;             /* owner/name */
	char *sha;              /* the check run's commit; NULL: the measured head */
	char *run_url;          /* this workflow run's page, or NULL */
	long pr;                /* pull request number, 0 outside one */
	int comment;
	int api_ok;             /* a token and a repository: the API is used */
	int fallback;           /* workflow commands instead of annotations */
	int readonly;           /* 403 on creating the check run: no comment either */
	struct gh_api api;
	long check_id;          /* 0 until created */
	int done;               /* the check run was completed */
};

/* What a finished comparison hands the sink. */
struct github_result {
	const struct compare_report *rep;   /* NULL: the comparison failed */
	int exit_code;
	struct gh_locator *loc;             /* finds the func lines; may be NULL */
	const char *run_dir;                /* where the reports were saved, or NULL */
	const char *const *report_file;     /* per compare_formats[] id, or NULL */
	const char *base_label, *head_label;
};

/*
 * Read the environment.  0 (g->on says whether to report), or PG_EUSAGE
 * (reported) when --github was asked for without GITHUB_REPOSITORY, when
 * it is malformed, or when GITHUB_API_URL is not https:// (plain http
 * only to loopback).  Release with github_close() either way.
 */
int github_open(struct github *g, const struct github_opts *o);
/* The check run, in_progress, on `head_sha` unless the environment names the commit. */
void github_start(struct github *g, const char *head_sha, const char *base_label,
		  const char *head_label);
/* Complete the check run (starting it first if needed), annotate, summary, outputs, comment. */
void github_finish(struct github *g, const struct github_result *r);
void github_close(struct github *g);

/* The Markdown/text length GitHub accepts, cut at a UTF-8 boundary, with `note` appended. */
void github_truncate(struct buf *b, size_t max, const char *note);

#endif
