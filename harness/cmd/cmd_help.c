/*
 * perfgo help [<command>]
 *
 * Without a command: the list of commands, global options and exit codes.
 * With one: exactly what `perfgo <command> --help` prints.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/usage.h"
#include "util/banned.h"

const char cli_main_usage[] =
	"usage: perfgo [-C <dir>] [-q] [--verbose] <command> [<args>]\n"
	"       perfgo --version | --help | help <command>\n";

void cli_main_help(FILE *out)
{
	size_t nr;
	const struct cmd *cmds = cli_commands(&nr);

	fputs(cli_main_usage, out);
	fputs("\nCommands:\n", out);
	for (size_t i = 0; i < nr; i++)
		fprintf(out, "  %-10s%s\n", cmds[i].name, cmds[i].summary);
	fputs("\nGlobal options:\n"
	      "  -C <dir>        run as if perfgo was started in <dir>\n"
	      "  -q, --quiet     no progress or notes on stderr\n"
	      "  --verbose       log every command perfgo runs\n"
	      "  --version       print the version\n"
	      "\nExit codes: 0 ok, 1 regression, 2 usage error, 3 tool or environment failure,\n"
	      "4 the code under test failed, 128+N killed by signal N.\n"
	      "See 'perfgo help <command>' for one command.\n", out);
}

int cmd_help(int argc, const char **argv, struct ctx *ctx)
{
	const struct cmd *c;
	const char *help_argv[] = { NULL, "--help", NULL };

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cli_main_help(stdout);
		return EXIT_OK;
	}
	c = cli_find(argv[1]);
	if (!c || c->fn == cmd_help) {
		error("unknown command '%s'", argv[1]);
		cli_hint(NULL);
		return EXIT_USAGE;
	}
	help_argv[0] = c->name;
	return c->fn(2, help_argv, ctx);
}

