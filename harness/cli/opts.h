#ifndef PERFGO_OPTS_H
#define PERFGO_OPTS_H

/*
 * A small table-driven option parser (git parse-options, curl LongShort).
 *
 * Accepted spellings: `--name value`, `--name=value`, `-n value`, `-nvalue`;
 * booleans: `--name`, `--no-name`, `--name=true|false|1|0|yes|no`.
 * OPT_STRING_LIST appends each occurrence (never splits on commas: perf
 * event syntax has commas of its own).  Parsing stops at `--` (consumed)
 * or, with OPTS_STOP_AT_NON_OPTION, at the first word that is not an
 * option; the remaining words are appended to `rest`.
 */

#include "util/strvec.h"

enum opt_type {
	OPT_END = 0,
	OPT_BOOL,          /* int *: 0/1 */
	OPT_STRING,        /* const char **: points into argv */
	OPT_INT,           /* int * */
	OPT_STRING_LIST    /* struct strvec * */
};

struct opt {
	enum opt_type type;
	const char *long_name;
	int short_name;
	void *dest;
	const char *argh;       /* placeholder in usage, e.g. "<host>" */
	const char *help;
};

#define OPT_BOOL_(l, s, d, h) { OPT_BOOL, (l), (s), (d), NULL, (h) }
#define OPT_STR_(l, s, d, a, h) { OPT_STRING, (l), (s), (d), (a), (h) }
#define OPT_INT_(l, s, d, a, h) { OPT_INT, (l), (s), (d), (a), (h) }
#define OPT_LIST_(l, s, d, a, h) { OPT_STRING_LIST, (l), (s), (d), (a), (h) }
#define OPT_END_() { OPT_END, NULL, 0, NULL, NULL, NULL }

enum opts_flags {
	OPTS_STOP_AT_NON_OPTION = 1 << 0,
	OPTS_KEEP_UNKNOWN = 1 << 1    /* unknown options go to `rest` too */
};

/*
 * Parse argv[0..argc).  Returns 0, or PG_EUSAGE after reporting one line
 * (`unknown option '--x'`, `option '--x' needs a value`, ...).  When
 * `help_out` is not NULL, `-h`/`--help` set *help_out = 1 and stop.
 */
int opts_parse(const struct opt *opts, int argc, const char **argv,
	       unsigned flags, struct strvec *rest, int *help_out);

/* Append the option list, one per line, aligned, to `out` (struct buf). */
struct buf;
void opts_usage(const struct opt *opts, struct buf *out);

/* Parse a boolean word; 0/1 or -1 when not a boolean. */
int opts_parse_bool(const char *s);

#endif
