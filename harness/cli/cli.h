#ifndef PERFGO_CLI_H
#define PERFGO_CLI_H

/*
 * The command table.  Adding a command:
 *  1. write harness/cmd_<name>.c with `int cmd_<name>(int argc,
 *     const char **argv, struct ctx *ctx)`; everything else there static;
 *  2. declare it below and add one row to `commands[]` in cli.c;
 *  3. give it `--help` through cli_usage() so that `perfgo help <name>`,
 *     `perfgo <name> --help` and `perfgo --help` agree;
 *  4. add a CLI test under tests/cli/ and document it in README.md.
 *
 * A command returns its exit code (usage.h enum pg_exit); argv[0] is the
 * command name.
 */

#include <stdio.h>

#include "cli/opts.h"

struct buf;

struct ctx {
	int argc;                 /* perfgo's whole argv, for the run record */
	const char **argv;
};

struct cmd {
	const char *name;
	int (*fn)(int argc, const char **argv, struct ctx *ctx);
	const char *summary;      /* one line for `perfgo --help` */
};

int cmd_attach(int argc, const char **argv, struct ctx *ctx);
int cmd_run(int argc, const char **argv, struct ctx *ctx);
int cmd_test(int argc, const char **argv, struct ctx *ctx);
int cmd_compare(int argc, const char **argv, struct ctx *ctx);
int cmd_list(int argc, const char **argv, struct ctx *ctx);
int cmd_view(int argc, const char **argv, struct ctx *ctx);
int cmd_help(int argc, const char **argv, struct ctx *ctx);
int cmd_history(int argc, const char **argv, struct ctx *ctx);
int cmd_bisect(int argc, const char **argv, struct ctx *ctx);
int cmd_gc(int argc, const char **argv, struct ctx *ctx);
int cmd_report(int argc, const char **argv, struct ctx *ctx);

const struct cmd *cli_find(const char *name);
const struct cmd *cli_commands(size_t *nr);

/* Options every command accepts (-q, --verbose); appended by cli_parse. */
extern int cli_quiet, cli_verbose;

/*
 * Parse a command's options (plus the common ones).  On --help prints
 * `usage` followed by the option table to stdout and returns 1 (the caller
 * exits 0); on error prints the error and "see 'perfgo help <cmd>'" and
 * returns PG_EUSAGE.  Returns 0 to go on.
 */
int cli_parse(const char *cmd, const char *usage, const struct opt *opts,
	      int argc, const char **argv, unsigned flags, struct strvec *rest);

/*
 * cli_parse() of the words before the first "--" (perfgo's options and
 * their operands, into `rest`); the words after it go verbatim to `after`
 * (packages and go test flags); *dashdash says whether "--" was given.
 * Returns as cli_parse().
 */
int cli_parse_split(const char *cmd, const char *usage, const struct opt *opts,
		    int argc, const char **argv, struct strvec *rest, struct strvec *after,
		    int *dashdash);

/* Print "perfgo: see 'perfgo help <cmd>'" after a usage error. */
void cli_hint(const char *cmd);

/* Print the usage text and option table for a command to `out`. */
void cli_usage(struct buf *out, const char *usage, const struct opt *opts);

/* `perfgo --help`: usage, commands, global options, exit codes. */
extern const char cli_main_usage[];
void cli_main_help(FILE *out);

/*
 * The full perfgo argv as a compact JSON array of strings, as stored with a
 * run (caller frees; NULL only when jansson runs out of memory).  Bytes
 * that are not UTF-8 become U+FFFD (json_str()).
 */
char *cli_argv_json(const struct ctx *ctx);

#endif
