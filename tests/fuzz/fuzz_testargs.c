/*
 * libFuzzer target for the `go test` argument grammar (cli/testargs.c):
 * the input's NUL-separated words go through testargs_parse() (packages,
 * build flags, test flags with and without '=', -args), parse_bench_args()
 * (run/compare's words after "--") and testargs_own_options().  Checked on
 * success: at least one package; every word in `test` is a flag (the
 * testing package's -test.-prefixed, the package's own as written), and
 * every word in `extra` is in `test`; the extracted values point into
 * `test`; -count is not negative.
 */
#include "fuzz_common.h"

#include "cli/opts.h"
#include "cli/testargs.h"
#include "util/strvec.h"

static int points_into(const struct strvec *v, const char *p)
{
	for (size_t i = 0; i < v->nr; i++)
		if (p >= v->v[i] && p <= v->v[i] + strlen(v->v[i]))
			return 1;
	return 0;
}

static void check(const struct testargs *ta)
{
	if (!ta->packages.nr)
		abort();
	for (size_t i = 0; i < ta->test.nr; i++)
		if (ta->test.v[i][0] != '-')
			abort();
	for (size_t i = 0; i < ta->extra.nr; i++)
		if (ta->extra.v[i][0] != '-')
			abort();
	if ((ta->bench && !points_into(&ta->test, ta->bench)) ||
	    (ta->benchtime && !points_into(&ta->test, ta->benchtime)) ||
	    (ta->cpu && !points_into(&ta->test, ta->cpu)) ||
	    (ta->run && !points_into(&ta->test, ta->run)))
		abort();
	if (ta->count < 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int b;
	static const char *s;
	static const struct opt opts[] = {
		OPT_BOOL_("json", 0, &b, ""),
		OPT_STR_("format", 0, &s, "<f>", ""),
		OPT_STR_("e", 'e', &s, "<ev>", ""),
		OPT_END_()
	};
	struct fuzz_argv a;
	struct testargs ta;
	struct strvec words = STRVEC_INIT;

	fuzz_quiet();
	fuzz_argv_init(&a, data, size, NULL);
	testargs_init(&ta);
	if (!testargs_parse(&ta, a.argc, a.argv)) {
		check(&ta);
		testargs_own_options(&ta, opts);
		for (size_t i = 0; i < ta.own.nr; i++)
			if (!points_into(&ta.extra, ta.own.v[i]) && strvec_find(&ta.extra, ta.own.v[i]) < 0)
				abort();
	}
	testargs_release(&ta);

	for (int i = 0; i < a.argc; i++)
		strvec_push(&words, a.argv[i]);
	testargs_init(&ta);
	if (!parse_bench_args(&words, &ta))
		check(&ta);
	testargs_release(&ta);
	strvec_clear(&words);
	fuzz_argv_release(&a);
	return 0;
}
