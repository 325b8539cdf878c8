/*
 * perfgo list [-p <path>] [-n <count>] [--format text|json]
 *
 * Stored runs, newest first: id prefix, time, status, exit code, duration,
 * number of benchmarks, commit, command and packages.  A run still marked
 * 'running' was interrupted hard (kill -9, power loss) or is in progress.
 */
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "cli/cli.h"
#include "escape.h"
#include "util/runfmt.h"
#include "util/usage.h"
#include "session/workspace.h"
#include "util/banned.h"

static const char list_usage[] =
	"usage: perfgo list [-p <path>] [-n <count>] [--format text|json]\n"
	"\n"
	"List stored runs, newest first.  -p keeps runs whose working directory or\n"
	"packages contain <path>; -n limits the count (default 20, 0 for all).\n";

static void list_text(struct buf *out, const struct run_list *l)
{
	buf_addf(out, "%-8s  %-19s  %-11s  %4s  %8s  %5s  %-14s  %-12s  %s\n", "ID", "TIME",
		 "STATUS", "EXIT", "DURATION", "BENCH", "COMMIT", "COMMAND", "PACKAGES");
	for (size_t i = 0; i < l->nr; i++) {
		const struct run_row *r = &l->rows[i];
		struct buf t = BUF_INIT, d = BUF_INIT, c = BUF_INIT, e = BUF_INIT;

		fmt_time(&t, r->started_ns);
		if (r->status == RUN_RUNNING)
			buf_addstr(&d, "-");
		else
			fmt_duration(&d, r->finished_ns - r->started_ns);
		if (r->commit)
			buf_addf(&c, "%.8s%s", r->commit, r->dirty ? "+dirty" : "");
		else
			buf_addstr(&c, "-");
		if (r->status == RUN_RUNNING)
			buf_addstr(&e, "-");
		else
			buf_addf(&e, "%d", r->exit_code);
		buf_addf(out, "%.8s  %-19s  %-11s  %4s  %8s  %5d  %-14s  %-12s  %s\n", r->id, t.buf,
			 r->status == RUN_RUNNING ? "incomplete" : run_status_name(r->status),
			 e.buf, d.buf, r->nbench, c.buf, r->command ? r->command : "-",
			 r->packages ? r->packages : "-");
		buf_release(&t);
		buf_release(&d);
		buf_release(&c);
		buf_release(&e);
	}
}

static void kv(struct buf *out, const char *k, const char *v, int comma)
{
	json_quote(out, k);
	buf_addch(out, ':');
	if (v)
		json_quote(out, v);
	else
		buf_addstr(out, "null");
	if (comma)
		buf_addch(out, ',');
}

static void list_json(struct buf *out, const struct run_list *l)
{
	buf_addch(out, '[');
	for (size_t i = 0; i < l->nr; i++) {
		const struct run_row *r = &l->rows[i];

		buf_addstr(out, i ? ",{" : "{");
		kv(out, "id", r->id, 1);
		kv(out, "status", run_status_name(r->status), 1);
		buf_addf(out, "\"complete\":%s,", r->status == RUN_RUNNING ? "false" : "true");
		if (r->status == RUN_RUNNING)
			buf_addstr(out, "\"exit_code\":null,");
		else
			buf_addf(out, "\"exit_code\":%d,", r->exit_code);
		buf_addf(out, "\"started_ns\":%lld,", (long long)r->started_ns);
		if (r->status == RUN_RUNNING)
			buf_addstr(out, "\"finished_ns\":null,");
		else
			buf_addf(out, "\"finished_ns\":%lld,", (long long)r->finished_ns);
		kv(out, "command", r->command, 1);
		kv(out, "workdir", r->workdir, 1);
		kv(out, "packages", r->packages, 1);
		kv(out, "commit", r->commit, 1);
		kv(out, "branch", r->branch, 1);
		buf_addf(out, "\"dirty\":%s,\"benchmarks\":%d,\"argv\":%s}",
			 r->dirty ? "true" : "false", r->nbench,
			 r->argv_json ? r->argv_json : "null");
	}
	buf_addstr(out, "]\n");
}

int cmd_list(int argc, const char **argv, struct ctx *ctx)
{
	const char *path = NULL, *format = "text";
	int limit = 20;
	struct opt opts[] = {
		OPT_STR_("path", 'p', &path, "<path>", "only runs whose workdir or packages contain <path>"),
		OPT_INT_("limit", 'n', &limit, "<count>", "show at most <count> runs (0: all)"),
		OPT_STR_("format", 0, &format, "<fmt>", "text or json"),
		OPT_END_()
	};
	struct strvec rest = STRVEC_INIT;
	struct workspace ws;
	struct run_list l = RUN_LIST_INIT;
	struct buf out = BUF_INIT;
	int ret;

	(void)ctx;
	memset(&ws, 0, sizeof(ws));
	ret = cli_parse("list", list_usage, opts, argc - 1, argv + 1, 0, &rest);
	if (ret) {
		ret = ret > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (rest.nr)
		ret = error_code(PG_EUSAGE, "unexpected argument '%s'", rest.v[0]);
	else if (limit < 0)
		ret = error_code(PG_EUSAGE, "'-n' needs a count of 0 or more");
	else if (strcmp(format, "text") && strcmp(format, "json"))
		ret = error_code(PG_EUSAGE, "unknown format '%s': use text or json", format);
	if (ret) {
		cli_hint("list");
		ret = EXIT_USAGE;
		goto out;
	}
	ret = workspace_open(&ws, 0);
	if (ret == PG_ENOTFOUND) {
		/* Nothing recorded yet is an empty list, not a failure. */
		if (!strcmp(format, "json"))
			fputs("[]\n", stdout);
		else
			note("no runs recorded in '%s' yet", ws.dir);
		ret = EXIT_OK;
		goto out;
	}
	if (!ret)
		ret = store_list_runs(ws.st, path, limit, &l);
	if (ret) {
		ret = pg_err_exit_code(ret);
		goto out;
	}
	if (!strcmp(format, "json"))
		list_json(&out, &l);
	else if (!l.nr)
		note("no runs%s%s%s", path ? " matching '" : "", path ? path : "", path ? "'" : "");
	else
		list_text(&out, &l);
	fwrite(out.buf, 1, out.len, stdout);
	ret = EXIT_OK;
out:
	run_list_release(&l);
	workspace_close(&ws);
	strvec_clear(&rest);
	buf_release(&out);
	return ret;
}
