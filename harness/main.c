/*
 * perfgo: hardware performance counters for Go benchmarks, and a regression
 * gate built on them.  main() prepares the process (standard descriptors,
 * SIGPIPE, signal handling), reads the global options and dispatches to a
 * command from the table in cli.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "sig.h"
#include "usage.h"
#include "banned.h"

static const char main_usage[] =
	"usage: perfgo [-C <dir>] [-q] [--verbose] <command> [<args>]\n"
	"       perfgo --version | --help | help <command>\n";

/* Make sure 0, 1 and 2 are open so that no file we open lands on them. */
static void check_fds(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			_exit(EXIT_ENV);
	}
}

static void print_main_help(void)
{
	size_t nr;
	const struct cmd *cmds = cli_commands(&nr);

	fputs(main_usage, stdout);
	fputs("\nCommands:\n", stdout);
	for (size_t i = 0; i < nr; i++)
		printf("  %-10s%s\n", cmds[i].name, cmds[i].summary);
	fputs("\nGlobal options:\n"
	      "  -C <dir>        run as if perfgo was started in <dir>\n"
	      "  -q, --quiet     no progress or notes on stderr\n"
	      "  --verbose       log every command perfgo runs\n"
	      "  --version       print the version\n"
	      "\nExit codes: 0 ok, 1 regression, 2 usage error, 3 tool or environment failure,\n"
	      "4 the code under test failed, 128+N killed by signal N.\n"
	      "See 'perfgo help <command>' for one command.\n", stdout);
}

int cmd_help(int argc, const char **argv, struct ctx *ctx)
{
	const struct cmd *c;
	const char *help_argv[] = { NULL, "--help", NULL };

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_main_help();
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

/* Flush stdout and fail on real write errors, quietly on a closed pipe. */
static int finish_stdout(int code)
{
	if (fflush(stdout) || ferror(stdout) || fclose(stdout)) {
		if (errno == EPIPE)
			return code;
		error("cannot write to standard output: %s", strerror(errno));
		return code ? code : EXIT_ENV;
	}
	return code;
}

int main(int argc, const char **argv)
{
	struct ctx ctx = { 0 };
	const struct cmd *c;
	int i;

	check_fds();
	signal(SIGPIPE, SIG_IGN);
	ctx.argc = argc;
	ctx.argv = argv;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--version")) {
			printf("perfgo %s (%s)\n", PERFGO_VERSION, PERFGO_BUILD);
			return finish_stdout(EXIT_OK);
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			print_main_help();
			return finish_stdout(EXIT_OK);
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			cli_quiet = 1;
			pg_verbosity = -1;
		} else if (!strcmp(a, "--verbose")) {
			cli_verbose = 1;
			pg_verbosity = 1;
		} else if (!strcmp(a, "-C")) {
			if (i + 1 >= argc) {
				error("option '-C' needs a directory");
				return EXIT_USAGE;
			}
			if (chdir(argv[++i])) {
				error("cannot change to '%s': %s", argv[i], strerror(errno));
				return EXIT_USAGE;
			}
		} else {
			error("unknown option '%s'", a);
			cli_hint(NULL);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		fputs(main_usage, stderr);
		cli_hint(NULL);
		return EXIT_USAGE;
	}
	c = cli_find(argv[i]);
	if (!c) {
		error("unknown command '%s'", argv[i]);
		cli_hint(NULL);
		return EXIT_USAGE;
	}
	if (sig_setup())
		return EXIT_ENV;
	return finish_stdout(c->fn(argc - i, argv + i, &ctx));
}
