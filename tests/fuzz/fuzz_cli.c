/*
 * libFuzzer target for perfgo's option parsing (cli/opts.c, cli/cli.c):
 * the input's NUL-separated words are an argv, parsed by opts_parse() with
 * every option type (booleans with --no-, strings, whole numbers, lists,
 * short bundles and attached values) under each flag combination, and by
 * cli_parse_split() as a command line with "--".  Checked: a string
 * option points into the argv; `rest` and `after` hold argv words (or
 * their tails) in order; after "--" every word is kept verbatim.
 */
#include "fuzz_common.h"

#include "cli/cli.h"
#include "cli/opts.h"
#include "util/buf.h"
#include "util/strvec.h"

static int in_argv(const struct fuzz_argv *a, const char *p)
{
	const char *end = a->text;

	for (int i = 0; i < a->argc; i++)
		if (a->argv[i] >= a->text)
			end = a->argv[i] + strlen(a->argv[i]);
	return p >= a->text && p <= end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int b1 = -1, b2 = -1, n = 7, help = 0, dashdash = -1;
	const char *s1 = NULL, *s2 = NULL;
	struct strvec list = STRVEC_INIT, rest = STRVEC_INIT, after = STRVEC_INIT;
	const struct opt opts[] = {
		OPT_BOOL_("dry-run", 'n', &b1, "a boolean"),
		OPT_BOOL_("reuse", 0, &b2, "a boolean without a short name"),
		OPT_STR_("format", 'f', &s1, "<fmt>", "a string"),
		OPT_STR_("remote", 0, &s2, "<host>", "a string without a short name"),
		OPT_INT_("count", 'c', &n, "<n>", "a whole number"),
		OPT_LIST_("event", 'e', &list, "<ev>", "repeatable"),
		OPT_END_()
	};
	struct fuzz_argv a;
	struct buf usage = BUF_INIT;
	int ret;

	fuzz_quiet();
	fuzz_argv_init(&a, data, size, NULL);
	for (unsigned flags = 0; flags < 4; flags++) {
		s1 = s2 = NULL;
		opts_parse(opts, a.argc, a.argv, flags, &rest, flags & 1 ? &help : NULL);
		if ((s1 && !in_argv(&a, s1)) || (s2 && !in_argv(&a, s2)))
			abort();
		for (size_t i = 0; i < rest.nr; i++)
			if (!rest.v[i])
				abort();
		strvec_clear(&rest);
		strvec_clear(&list);
	}
	for (int i = 0; i < a.argc; i++)
		if (opts_parse_bool(a.argv[i]) < -1 || opts_parse_bool(a.argv[i]) > 1)
			abort();
	opts_usage(opts, &usage);
	fuzz_argv_release(&a);

	/* A whole command line: argv[0] is the command, "--" splits. */
	fuzz_argv_init(&a, data, size, "test");
	cli_quiet = cli_verbose = 0;
	fuzz_mute();
	ret = cli_parse_split("test", "usage: fuzz", opts, a.argc, a.argv, &rest, &after, &dashdash);
	fuzz_unmute();
	if (ret == 0) {
		int dd = a.argc;

		for (int i = 1; i < a.argc; i++)
			if (!strcmp(a.argv[i], "--")) {
				dd = i;
				break;
			}
		if (dashdash != (dd < a.argc) || after.nr != (size_t)(dd < a.argc ? a.argc - dd - 1 : 0))
			abort();
		for (size_t i = 0; i < after.nr; i++)
			if (strcmp(after.v[i], a.argv[dd + 1 + (int)i]))
				abort();
	}
	cli_quiet = cli_verbose = 0;
	pg_verbosity = 0;
	strvec_clear(&rest);
	strvec_clear(&after);
	strvec_clear(&list);
	buf_release(&usage);
	fuzz_argv_release(&a);
	return 0;
}
