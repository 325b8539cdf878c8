/* Command table, shared option handling and usage text; see cli.h. */
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "cli/cli.h"
#include "util/json.h"
#include "util/usage.h"
#include "util/banned.h"

static const struct cmd commands[] = {
	{ "attach", cmd_attach, "measure running Kubernetes pods or nodes with perf (through kubectl)" },
	{ "bisect", cmd_bisect, "find the first commit where a benchmark's metric moved" },
	{ "compare", cmd_compare, "compare two commits (or benchmark files): regressions, improvements, noise" },
	{ "gc", cmd_gc, "remove old runs and their files, keeping what histories need" },
	{ "help", cmd_help, "show help for perfgo or one of its commands" },
	{ "history", cmd_history, "show per-commit histories: medians, change points, trends" },
	{ "list", cmd_list, "list stored runs, newest first" },
	{ "prune", cmd_gc, "the same as gc" },
	{ "report", cmd_report, "write a static HTML site: trend charts, change points, runs" },
	{ "run", cmd_run, "measure commits into the history (one private checkout each)" },
	{ "test", cmd_test, "build a Go package's tests and run them, or its benchmarks under perf stat" },
	{ "view", cmd_view, "show one stored run: results, output and artifacts" },
};

int cli_quiet, cli_verbose;

const struct cmd *cli_commands(size_t *nr)
{
	*nr = ARRAY_SIZE(commands);
	return commands;
}

const struct cmd *cli_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static const struct opt common_opts[] = {
	OPT_BOOL_("quiet", 'q', &cli_quiet, "no progress or notes on stderr"),
	OPT_BOOL_("verbose", 0, &cli_verbose, "log every command perfgo runs"),
	OPT_END_()
};

void cli_usage(struct buf *out, const char *usage, const struct opt *opts)
{
	buf_addstr(out, usage);
	if (out->len && out->buf[out->len - 1] != '\n')
		buf_addch(out, '\n');
	buf_addstr(out, "\nOptions:\n");
	if (opts)
		opts_usage(opts, out);
	opts_usage(common_opts, out);
	buf_addf(out, "  %-28s%s\n", "-h, --help", "show this help");
}

void cli_hint(const char *cmd)
{
	fprintf(stderr, "perfgo: see 'perfgo help%s%s'\n", cmd ? " " : "", cmd ? cmd : "");
}

int cli_parse_split(const char *cmd, const char *usage, const struct opt *opts,
		    int argc, const char **argv, struct strvec *rest, struct strvec *after,
		    int *dashdash)
{
	int dd = argc, ret;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			dd = i;
			break;
		}
	*dashdash = dd < argc;
	ret = cli_parse(cmd, usage, opts, dd - 1, argv + 1, 0, rest);
	for (int i = dd + 1; !ret && i < argc; i++)
		strvec_push(after, argv[i]);
	return ret;
}

int cli_parse(const char *cmd, const char *usage, const struct opt *opts,
	      int argc, const char **argv, unsigned flags, struct strvec *rest)
{
	struct opt all[64];
	size_t n = 0;
	int help = 0;
	int ret;

	for (const struct opt *o = opts; o && o->type != OPT_END; o++) {
		if (n + ARRAY_SIZE(common_opts) >= ARRAY_SIZE(all))
			BUG("too many options for '%s'", cmd);
		all[n++] = *o;
	}
	for (size_t i = 0; i < ARRAY_SIZE(common_opts); i++)
		all[n++] = common_opts[i];

	ret = opts_parse(all, argc, argv, flags, rest, &help);
	if (cli_quiet)
		pg_verbosity = -1;
	else if (cli_verbose)
		pg_verbosity = 1;
	if (ret) {
		cli_hint(cmd);
		return ret;
	}
	if (help) {
		struct buf b = BUF_INIT;

		cli_usage(&b, usage, opts);
		fputs(b.buf, stdout);
		buf_release(&b);
		return 1;
	}
	return 0;
}

char *cli_argv_json(const struct ctx *ctx)
{
	struct buf b = BUF_INIT;
	json_t *a = json_array();
	int ret;

	for (int i = 0; a && i < ctx->argc; i++)
		json_array_append_new(a, json_str(ctx->argv[i]));
	ret = json_to_buf(&b, a, JSON_COMPACT);
	json_decref(a);
	if (ret) {
		/* Out of memory in jansson: the run is stored without its argv. */
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}
