/* The GitHub sink: check run, annotations, comment; see github.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sinks/github_internal.h"
#include "util/json.h"
#include "util/usage.h"
#include "util/banned.h"

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* owner/name: GitHub's characters for both, one '/'. */
static int valid_repo(const char *s)
{
	const char *slash = strchr(s, '/');

	if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/'))
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./") ==
		strlen(s);
}

/* The pull request of the event (pull_request, pull_request_target): number and head SHA. */
static void read_event(struct github *g)
{
	const char *path = env("GITHUB_EVENT_PATH");
	json_t *ev, *pr, *num, *sha;

	if (!path)
		return;
	ev = json_load_file(path, 0, NULL);
	if (!ev) {
		warning("cannot read the event payload $GITHUB_EVENT_PATH '%s'", path);
		return;
	}
	pr = json_object_get(ev, "pull_request");
	num = json_object_get(pr, "number");
	sha = json_object_get(json_object_get(pr, "head"), "sha");
	if (json_is_integer(num))
		g->pr = (long)json_integer_value(num);
	if (json_is_string(sha) && strlen(json_string_value(sha)) == 40)
		g->sha = xstrdup(json_string_value(sha));
	json_decref(ev);
}

int github_open(struct github *g, const struct github_opts *o)
{
	const char *actions = env("GITHUB_ACTIONS"), *repo = env("GITHUB_REPOSITORY");
	const char *var = o->token_var ? o->token_var : "GITHUB_TOKEN", *token;
	struct buf b = BUF_INIT;

	memset(g, 0, sizeof(*g));
	g->on = o->enabled > 0 || (o->enabled < 0 && actions && !strcmp(actions, "true"));
	if (!g->on)
		return 0;
	if (!repo && o->enabled > 0)
		return error_code(PG_EUSAGE, "--github needs GITHUB_REPOSITORY (owner/name), as "
				  "GitHub Actions sets it");
	if (repo && !valid_repo(repo))
		return error_code(PG_EUSAGE, "GITHUB_REPOSITORY '%s' is not owner/name", repo);
	g->comment = o->comment;
	g->repo = repo ? xstrdup(repo) : NULL;
	read_event(g);
	if (!g->sha && env("GITHUB_SHA"))
		g->sha = xstrdup(env("GITHUB_SHA"));
	if (env("GITHUB_SERVER_URL") && env("GITHUB_RUN_ID") && g->repo) {
		buf_addf(&b, "%s/%s/actions/runs/%s", env("GITHUB_SERVER_URL"), g->repo,
			 env("GITHUB_RUN_ID"));
		g->run_url = buf_detach(&b);
	}
	token = env(var);
	if (!g->repo) {
		g->fallback = 1;
	} else if (!token) {
		warning("no GitHub token in $%s: no check run and no comment; the annotations go "
			"to the job log as workflow commands (give the job `checks: write` and pass "
			"the token, e.g. env: GITHUB_TOKEN: ${{ github.token }})", var);
		g->fallback = 1;
	} else if (gh_api_init(&g->api, env("GITHUB_API_URL") ? env("GITHUB_API_URL") :
			       "https://api.github.com", token)) {
		return PG_EUSAGE;
	} else {
		g->api_ok = 1;
	}
	return 0;
}

void github_close(struct github *g)
{
	if (g->api_ok)
		gh_api_release(&g->api);
	free(g->repo);
	free(g->sha);
	free(g->run_url);
	memset(g, 0, sizeof(*g));
}

/* GitHub's message for a failed request, for a warning. */
static void api_message(struct buf *out, long status, const struct buf *resp)
{
	json_t *j = resp->len ? json_loadb(resp->buf, resp->len, 0, NULL) : NULL;
	const char *m = json_string_value(json_object_get(j, "message"));

	buf_addf(out, "HTTP %ld", status);
	if (m)
		buf_addf(out, ": %.200s", m);
	json_decref(j);
}

/*
 * One request with a JSON body (stolen); 0 with the response parsed into
 * *out (may be NULL), or -1 after a warning.  *status_out gets the status.
 */
static int call(struct github *g, const char *method, const char *path, json_t *body,
		long want, json_t **out, long *status_out)
{
	struct buf b = BUF_INIT, resp = BUF_INIT, msg = BUF_INIT;
	long status = 0;
	int ret = -1;

	if (body)
		json_to_buf(&b, body, JSON_COMPACT);
	json_decref(body);
	if (gh_api_request(&g->api, method, path, body ? b.buf : NULL, &status, &resp))
		goto out;
	if (status_out)
		*status_out = status;
	if (status != want) {
		api_message(&msg, status, &resp);
		if (!(status == 403 && !strcmp(method, "POST") && strstr(path, "/check-runs")))
			warning("GitHub API: %s %s: %s", method, path, msg.buf);
		goto out;
	}
	if (out)
		*out = json_loadb(resp.buf ? resp.buf : "", resp.len, 0, NULL);
	ret = 0;
out:
	buf_release(&b);
	buf_release(&resp);
	buf_release(&msg);
	return ret;
}

static void iso_now(char *out, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *output_obj(const char *title, const char *summary, const char *text)
{
	json_t *o = json_object();

	json_object_set_new(o, "title", json_str(title));
	json_object_set_new(o, "summary", json_str(summary));
	if (text)
		json_object_set_new(o, "text", json_str(text));
	return o;
}

void github_start(struct github *g, const char *head_sha, const char *base_label,
		  const char *head_label)
{
	struct buf path = BUF_INIT, sum = BUF_INIT;
	json_t *body, *resp = NULL;
	char now[32];
	long status = 0;

	if (!g->on || !g->api_ok || g->check_id || g->fallback)
		return;
	if (!g->sha && head_sha && *head_sha)
		g->sha = xstrdup(head_sha);
	if (!g->sha) {
		warning("no commit for the check run: neither the event's pull request, "
			"GITHUB_SHA nor a measured commit");
		g->fallback = 1;
		return;
	}
	if (head_sha && *head_sha && strcmp(head_sha, g->sha))
		warning("the measured head %.12s is not the commit under review %.12s (a "
			"pull_request workflow checks out a merge commit: check out "
			"github.event.pull_request.head.sha); the annotations point at the "
			"measured sources", head_sha, g->sha);
	iso_now(now, sizeof(now));
	buf_addf(&sum, "Measuring %s against %s, interleaved on the same runner.",
		 head_label ? head_label : "the head", base_label ? base_label : "the base");
	body = json_object();
	json_object_set_new(body, "name", json_string("perfgo"));
	json_object_set_new(body, "head_sha", json_string(g->sha));
	json_object_set_new(body, "status", json_string("in_progress"));
	json_object_set_new(body, "started_at", json_string(now));
	if (g->run_url)
		json_object_set_new(body, "details_url", json_string(g->run_url));
	json_object_set_new(body, "output", output_obj("Measuring", sum.buf, NULL));
	buf_addf(&path, "/repos/%s/check-runs", g->repo);
	if (!call(g, "POST", path.buf, body, 201, &resp, &status)) {
		g->check_id = (long)json_integer_value(json_object_get(resp, "id"));
		if (!g->check_id)
			warning("GitHub API: POST %s: no check run id in the response", path.buf);
	} else if (status == 403) {
		warning("the token may not create check runs (HTTP 403; a pull request from a fork "
			"gets a read-only token): the annotations go to the job log as workflow "
			"commands, the report to the job summary%s", g->comment ? ", and no comment" : "");
		g->readonly = 1;
	}
	if (!g->check_id)
		g->fallback = 1;
	json_decref(resp);
	buf_release(&path);
	buf_release(&sum);
}

static json_t *annotations_json(const struct gh_annotations *a, size_t from, size_t to)
{
	json_t *arr = json_array();

	for (size_t i = from; i < to; i++) {
		const struct gh_annotation *an = &a->v[i];
		json_t *o;

		if (!an->path)
			continue;
		o = json_object();
		json_object_set_new(o, "path", json_str(an->path));
		json_object_set_new(o, "start_line", json_integer(an->line));
		json_object_set_new(o, "end_line", json_integer(an->line));
		json_object_set_new(o, "annotation_level",
				    json_string(an->failure ? "failure" : "notice"));
		json_object_set_new(o, "title", json_str(an->title));
		json_object_set_new(o, "message", json_str(an->message));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* Update the check run with the located annotations in batches; the last request completes it. */
static void complete(struct github *g, const struct github_result *r,
		     const struct gh_annotations *a, const char *title, const char *summary,
		     const char *text)
{
	struct buf path = BUF_INIT;
	size_t *loc = xcalloc(a->nr + 1, sizeof(*loc)), nloc = 0, i = 0;
	char now[32];

	for (size_t k = 0; k < a->nr; k++)
		if (a->v[k].path)
			loc[nloc++] = k;
	buf_addf(&path, "/repos/%s/check-runs/%ld", g->repo, g->check_id);
	do {
		size_t end = i + GH_ANNOTATIONS_PER_REQUEST < nloc ? i + GH_ANNOTATIONS_PER_REQUEST : nloc;
		int last = end == nloc;
		json_t *body = json_object(), *out = output_obj(title, summary, text);

		json_object_set_new(out, "annotations",
				    annotations_json(a, nloc ? loc[i] : 0, end ? loc[end - 1] + 1 : 0));
		json_object_set_new(body, "output", out);
		if (last) {
			iso_now(now, sizeof(now));
			json_object_set_new(body, "status", json_string("completed"));
			json_object_set_new(body, "conclusion", json_string(gh_conclusion(r)));
			json_object_set_new(body, "completed_at", json_string(now));
		}
		if (call(g, "PATCH", path.buf, body, 200, NULL, NULL))
			break;
		if (last)
			g->done = 1;
		i = end;
	} while (i < nloc);
	if (!g->done && i < nloc) {
		/* A batch failed: complete the run anyway rather than leave it in progress. */
		json_t *body = json_object(), *out = output_obj(title, summary, text);

		iso_now(now, sizeof(now));
		json_object_set_new(body, "output", out);
		json_object_set_new(body, "status", json_string("completed"));
		json_object_set_new(body, "conclusion", json_string(gh_conclusion(r)));
		json_object_set_new(body, "completed_at", json_string(now));
		if (!call(g, "PATCH", path.buf, body, 200, NULL, NULL))
			g->done = 1;
	}
	free(loc);
	buf_release(&path);
}

/* The pull request's comment carrying the marker, updated, else created. */
static void comment(struct github *g, const char *markdown, const struct github_result *r)
{
	struct buf path = BUF_INIT, text = BUF_INIT, note = BUF_INIT;
	long found = 0;

	if (!g->pr) {
		warning("--github-comment: this run is not for a pull request (no pull_request "
			"in the event payload): no comment");
		return;
	}
	buf_addf(&text, "%s\n", GH_COMMENT_MARKER);
	if (markdown)
		buf_addstr(&text, markdown);
	else
		buf_addf(&text, "perfgo could not compare (exit %d): see the job log.\n", r->exit_code);
	gh_truncation_note(&note, g, r);
	github_truncate(&text, GH_TEXT_MAX, note.buf);
	/* 100 per page; a pull request with more than 3000 comments gets a new one. */
	for (int page = 1; page <= 30 && !found; page++) {
		json_t *list = NULL;
		size_t n;

		buf_reset(&path);
		buf_addf(&path, "/repos/%s/issues/%ld/comments?per_page=100&page=%d", g->repo,
			 g->pr, page);
		if (call(g, "GET", path.buf, NULL, 200, &list, NULL))
			goto out;
		n = json_array_size(list);
		for (size_t i = 0; i < n && !found; i++) {
			const char *body = json_string_value(json_object_get(json_array_get(list, i),
									   "body"));

			if (body && strstr(body, GH_COMMENT_MARKER))
				found = (long)json_integer_value(json_object_get(json_array_get(list, i),
										 "id"));
		}
		json_decref(list);
		if (n < 100)
			break;
	}
	buf_reset(&path);
	if (found)
		buf_addf(&path, "/repos/%s/issues/comments/%ld", g->repo, found);
	else
		buf_addf(&path, "/repos/%s/issues/%ld/comments", g->repo, g->pr);
	{
		json_t *body = json_object();

		json_object_set_new(body, "body", json_str(text.buf));
		call(g, found ? "PATCH" : "POST", path.buf, body, found ? 200 : 201, NULL, NULL);
	}
out:
	buf_release(&path);
	buf_release(&text);
	buf_release(&note);
}

void github_finish(struct github *g, const struct github_result *r)
{
	struct gh_annotations a;
	struct buf title = BUF_INIT, md = BUF_INIT, txt = BUF_INIT, note = BUF_INIT;

	if (!g->on || g->done)
		return;
	gh_annotations_build(&a, r->rep, r->loc);
	if (r->rep) {
		compare_report_markdown(&md, r->rep);
		compare_report_text(&txt, r->rep);
	}
	gh_step_summary(g, r, r->rep ? md.buf : NULL);
	gh_outputs(r, &a);
	if (g->api_ok && !g->fallback && !g->check_id)
		github_start(g, NULL, r->base_label, r->head_label);
	if (g->fallback || !g->check_id) {
		gh_workflow_commands(&a);
	} else {
		struct buf summary = BUF_INIT, text = BUF_INIT;

		gh_title(&title, r, &a);
		gh_truncation_note(&note, g, r);
		if (r->rep)
			buf_add(&summary, md.buf, md.len);
		else
			buf_addf(&summary, "perfgo could not compare (exit %d): see the job log.",
				 r->exit_code);
		github_truncate(&summary, GH_TEXT_MAX, note.buf);
		if (a.nr > a.located)
			buf_addf(&text, "%zu of %zu annotations could not be placed: no `func "
				 "Benchmark...(` line found at head for them.\n\n", a.nr - a.located, a.nr);
		if (r->rep)
			buf_addf(&text, "```\n%s```\n", txt.buf ? txt.buf : "");
		github_truncate(&text, GH_TEXT_MAX - 8, "\n```\n…\n");
		complete(g, r, &a, title.buf, summary.buf, text.len ? text.buf : NULL);
		buf_release(&summary);
		buf_release(&text);
	}
	if (g->comment && g->api_ok && !g->readonly)
		comment(g, r->rep ? md.buf : NULL, r);
	g->done = 1;
	gh_annotations_release(&a);
	buf_release(&title);
	buf_release(&md);
	buf_release(&txt);
	buf_release(&note);
}
