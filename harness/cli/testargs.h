#ifndef PERFGO_TESTARGS_H
#define PERFGO_TESTARGS_H

/*
 * The `perfgo test` argument grammar after perfgo's own options:
 *
 *     [--] <pkg>... [go test flags] [-args <binary args>...]
 *
 * Leading words that are not flags are packages (".", "./sub", "../x",
 * import paths, "./..." patterns).  Then, as `go test` does:
 *  - build flags (-tags -race -gcflags ... ) go to `go test -c`; boolean
 *    build flags never take the next word;
 *  - test flags known to the testing package get the -test. prefix
 *    ("-bench=." -> "-test.bench=."); those that take a value consume the
 *    next word when not written with '=';
 *  - flags `go test` itself would reject or that make no sense for a test
 *    binary (-json -exec -o -c -n -fuzz ...) are usage errors with a hint;
 *  - unknown flags are the package's own flags and pass through unchanged;
 *  - everything after -args passes through verbatim.
 *
 * The flags perfgo's stat protocol controls (-bench -benchtime -count -cpu
 * -run -v -benchmem) are also extracted into fields.
 */

#include "util/strvec.h"

struct testargs {
	struct strvec packages;   /* as given; at least one */
	struct strvec build;      /* flags for `go test -c` */
	struct strvec test;       /* every test flag in order: -test.-prefixed, the package's own as written */
	struct strvec extra;      /* test flags other than the extracted ones */
	struct strvec args;       /* after -args */
	/* Flags in `extra` named like one of perfgo's own options (testargs_own_options). */
	struct strvec own;
	/* Extracted values (NULL/0 when not given; pointers into `test`). */
	const char *bench, *benchtime, *cpu, *run;
	int count;
	int verbose, benchmem;
};

void testargs_init(struct testargs *ta);
void testargs_release(struct testargs *ta);

/*
 * Parse argv[0..argc).  Returns 0 or PG_EUSAGE (reported, one line with
 * the fix when there is one).
 */
int testargs_parse(struct testargs *ta, int argc, const char **argv);

/*
 * Note which flags passed through to the test binary are named like one of
 * `opts` (perfgo's options of the command, OPT_END-terminated): "--format=json"
 * written after the package.  Only the test binary knows whether the package
 * defines such a flag; when it says it does not, the hint names these.
 */
struct opt;
void testargs_own_options(struct testargs *ta, const struct opt *opts);

/*
 * `run` and `compare` take "[-- <pkg>... [go test flags]]": parse those
 * words with the grammar above, packages defaulting to "./...".
 */
int parse_bench_args(const struct strvec *words, struct testargs *ta);

#endif
