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

#include "util/buf.h"
#include "cli/cli.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/banned.h"


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
			cli_main_help(stdout);
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
		fputs(cli_main_usage, stderr);
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
