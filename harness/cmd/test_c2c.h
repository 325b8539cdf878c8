#ifndef PERFGO_TEST_C2C_H
#define PERFGO_TEST_C2C_H

#include <jansson.h>

#include "cli/cli.h"
#include "util/buf.h"

/*
 * `perfgo test cache-to-cache|c2c ...` (cmd_test.c hands over; argv[0] is
 * the mode word).  Returns the exit code: 0 analysed (whatever the
 * verdicts), 2 usage or unreadable input, 3 perf c2c unusable here (no
 * memory sampling) or failing, 4 the benchmark failed.
 */
int test_c2c(int argc, const char **argv, struct ctx *ctx);

/*
 * What c2c reports become, shared with `perfgo attach c2c`: the three
 * formats, appended per report.  Initialise with { BUF_INIT, BUF_INIT,
 * json_array() }.
 */
struct c2c_out {
	struct buf text, md;
	json_t *runs;
};

/* text, markdown or json; else a usage error (reported). */
int c2c_check_format(const char *f);
/*
 * Parse `text` (a `perf c2c report --stdio`; `name` in errors), name its
 * addresses from `binary` (NULL: none; a failure is a warning), judge it,
 * and append it to `o` under `title` (NULL: none) with at most `top` cache
 * lines (0: all).  `entry` (a JSON object, stolen) gets its "report".
 */
int c2c_out_analyse(struct c2c_out *o, size_t top, const char *text, size_t len,
		    const char *name, const char *binary, const char *title, json_t *entry);
/*
 * report.txt, report.md and report.json into `dir` (NULL: none), and the
 * one in `format` to stdout.
 */
int c2c_out_write(const char *dir, struct c2c_out *o, const char *format);

#endif
