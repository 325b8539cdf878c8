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
#include "util/json.h"
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

/*
 * The argv stored with a run is a JSON array (cli_argv_json()): it is
 * embedded as parsed JSON, and a value that does not parse (a row another
 * program wrote) becomes null rather than breaking the document.
 */
static json_t *list_argv(const char *argv_json)
{
	json_t *v;

	if (!argv_json)
		return json_null();
	v = json_loads(argv_json, JSON_DECODE_ANY, NULL);
	return v ? v : json_null();
}

static json_t *list_run(const struct run_row *r)
{
	int complete = r->status != RUN_RUNNING;
	json_t *o = json_object();

	json_object_set_new(o, "id", json_str(r->id));
	json_object_set_new(o, "status", json_str(run_status_name(r->status)));
	json_object_set_new(o, "complete", json_boolean(complete));
	json_object_set_new(o, "exit_code", complete ? json_integer(r->exit_code) : json_null());
	json_object_set_new(o, "started_ns", json_integer(r->started_ns));
	json_object_set_new(o, "finished_ns",
			    complete ? json_integer(r->finished_ns) : json_null());
	json_object_set_new(o, "command", json_str(r->command));
	json_object_set_new(o, "workdir", json_str(r->workdir));
	json_object_set_new(o, "packages", json_str(r->packages));
	json_object_set_new(o, "commit", json_str(r->commit));
	json_object_set_new(o, "branch", json_str(r->branch));
	json_object_set_new(o, "dirty", json_boolean(r->dirty));
	json_object_set_new(o, "benchmarks", json_integer(r->nbench));
	json_object_set_new(o, "argv", list_argv(r->argv_json));
	return o;
}

/* One compact line: an array of runs. */
static int list_json(struct buf *out, const struct run_list *l)
{
	json_t *a = json_array();
	int ret;

	for (size_t i = 0; i < l->nr; i++)
		json_array_append_new(a, list_run(&l->rows[i]));
	ret = json_to_buf(out, a, JSON_COMPACT);
	json_decref(a);
	if (ret)
		return error("cannot write the run list as JSON: out of memory");
	buf_addch(out, '\n');
	return 0;
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
		ret = list_json(&out, &l);
	else if (!l.nr)
		note("no runs%s%s%s", path ? " matching '" : "", path ? path : "", path ? "'" : "");
	else
		list_text(&out, &l);
	if (ret) {
		ret = pg_err_exit_code(ret);
		goto out;
	}
	fwrite(out.buf, 1, out.len, stdout);
	ret = EXIT_OK;
out:
	run_list_release(&l);
	workspace_close(&ws);
	strvec_clear(&rest);
	buf_release(&out);
	return ret;
}
