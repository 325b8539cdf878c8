/* The `perfgo test` argument grammar; see testargs.h. */
#include <string.h>

#include "util/buf.h"
#include "util/parse.h"
#include "cli/testargs.h"
#include "util/usage.h"
#include "util/banned.h"

enum flag_kind {
	F_BUILD_BOOL,     /* build flag, boolean */
	F_BUILD_VALUE,    /* build flag with a value */
	F_TEST_BOOL,      /* testing flag, boolean */
	F_TEST_VALUE,     /* testing flag with a value */
	F_IGNORED,        /* accepted and ignored, with a warning */
	F_REJECT          /* usage error */
};

struct flag_def {
	const char *name;
	enum flag_kind kind;
	const char *why;          /* for F_REJECT / F_IGNORED */
};

static const struct flag_def flags[] = {
	/* Build flags (go help build, go help testflag). */
	{ "a", F_BUILD_BOOL, NULL },
	{ "asan", F_BUILD_BOOL, NULL },
	{ "asmflags", F_BUILD_VALUE, NULL },
	{ "buildmode", F_BUILD_VALUE, NULL },
	{ "buildvcs", F_BUILD_BOOL, NULL },
	{ "compiler", F_BUILD_VALUE, NULL },
	{ "cover", F_BUILD_BOOL, NULL },
	{ "covermode", F_BUILD_VALUE, NULL },
	{ "coverpkg", F_BUILD_VALUE, NULL },
	{ "gccgoflags", F_BUILD_VALUE, NULL },
	{ "gcflags", F_BUILD_VALUE, NULL },
	{ "installsuffix", F_BUILD_VALUE, NULL },
	{ "ldflags", F_BUILD_VALUE, NULL },
	{ "linkshared", F_BUILD_BOOL, NULL },
	{ "mod", F_BUILD_VALUE, NULL },
	{ "modcacherw", F_BUILD_BOOL, NULL },
	{ "modfile", F_BUILD_VALUE, NULL },
	{ "msan", F_BUILD_BOOL, NULL },
	{ "overlay", F_BUILD_VALUE, NULL },
	{ "p", F_BUILD_VALUE, NULL },
	{ "pgo", F_BUILD_VALUE, NULL },
	{ "pkgdir", F_BUILD_VALUE, NULL },
	{ "race", F_BUILD_BOOL, NULL },
	{ "tags", F_BUILD_VALUE, NULL },
	{ "toolexec", F_BUILD_VALUE, NULL },
	{ "trimpath", F_BUILD_BOOL, NULL },
	{ "work", F_BUILD_BOOL, NULL },
	{ "x", F_BUILD_BOOL, NULL },
	/* Flags of the testing package (go help testflag). */
	{ "bench", F_TEST_VALUE, NULL },
	{ "benchmem", F_TEST_BOOL, NULL },
	{ "benchtime", F_TEST_VALUE, NULL },
	{ "blockprofile", F_TEST_VALUE, NULL },
	{ "blockprofilerate", F_TEST_VALUE, NULL },
	{ "count", F_TEST_VALUE, NULL },
	{ "coverprofile", F_TEST_VALUE, NULL },
	{ "cpu", F_TEST_VALUE, NULL },
	{ "cpuprofile", F_TEST_VALUE, NULL },
	{ "failfast", F_TEST_BOOL, NULL },
	{ "fullpath", F_TEST_BOOL, NULL },
	{ "list", F_TEST_VALUE, NULL },
	{ "memprofile", F_TEST_VALUE, NULL },
	{ "memprofilerate", F_TEST_VALUE, NULL },
	{ "mutexprofile", F_TEST_VALUE, NULL },
	{ "mutexprofilefraction", F_TEST_VALUE, NULL },
	{ "outputdir", F_TEST_VALUE, NULL },
	{ "paniconexit0", F_TEST_BOOL, NULL },
	{ "parallel", F_TEST_VALUE, NULL },
	{ "run", F_TEST_VALUE, NULL },
	{ "short", F_TEST_BOOL, NULL },
	{ "shuffle", F_TEST_VALUE, NULL },
	{ "skip", F_TEST_VALUE, NULL },
	{ "timeout", F_TEST_VALUE, NULL },
	{ "trace", F_TEST_VALUE, NULL },
	{ "v", F_TEST_BOOL, NULL },
	/* go test flags that mean nothing to a test binary run by perfgo. */
	{ "vet", F_IGNORED, "'go test -c' does not run vet" },
	{ "c", F_REJECT, "perfgo always compiles the test binary itself" },
	{ "o", F_REJECT, "perfgo builds the test binary into a private directory" },
	{ "exec", F_REJECT, "perfgo runs the test binary itself (under perf for 'stat')" },
	{ "json", F_REJECT, "use perfgo's '--format json' for machine-readable results" },
	{ "n", F_REJECT, "perfgo needs the binary that '-n' would only print the commands for" },
	{ "fuzz", F_REJECT, "fuzzing is not supported: perfgo measures benchmarks" },
	{ "fuzztime", F_REJECT, "fuzzing is not supported: perfgo measures benchmarks" },
	{ "fuzzminimizetime", F_REJECT, "fuzzing is not supported: perfgo measures benchmarks" },
	{ "i", F_REJECT, "'-i' was removed from go test" },
};

static const struct flag_def *find_flag(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++)
		if (strlen(flags[i].name) == len && !strncmp(flags[i].name, name, len))
			return &flags[i];
	return NULL;
}

void testargs_init(struct testargs *ta)
{
	memset(ta, 0, sizeof(*ta));
	strvec_init(&ta->packages);
	strvec_init(&ta->build);
	strvec_init(&ta->test);
	strvec_init(&ta->extra);
	strvec_init(&ta->args);
}

void testargs_release(struct testargs *ta)
{
	strvec_clear(&ta->packages);
	strvec_clear(&ta->build);
	strvec_clear(&ta->test);
	strvec_clear(&ta->extra);
	strvec_clear(&ta->args);
	testargs_init(ta);
}

/* Record an extracted testing flag; returns 1 if it is one perfgo controls. */

/*
 * A boolean test flag as the test binary's flag package reads it
 * (strconv.ParseBool), so that what perfgo concludes ("-v=0" is off)
 * is what the binary does.  No value means true.
 */
static int go_bool(const char *name, const char *value, int *out)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };

	if (!value) {
		*out = 1;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(value, yes[i])) {
			*out = 1;
			return 0;
		}
		if (!strcmp(value, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return error_code(PG_EUSAGE, "'-%s' takes true or false, not '%s'", name, value);
}

static int extract(struct testargs *ta, const char *name, const char *value, int *err)
{
	*err = 0;
	if (!strcmp(name, "bench"))
		ta->bench = value;
	else if (!strcmp(name, "benchtime"))
		ta->benchtime = value;
	else if (!strcmp(name, "cpu"))
		ta->cpu = value;
	else if (!strcmp(name, "run"))
		ta->run = value;
	else if (!strcmp(name, "count")) {
		if (parse_int(value, &ta->count) || ta->count < 1)
			*err = error_code(PG_EUSAGE, "'-count' needs a positive whole number, not '%s'",
					  value);
	} else if (!strcmp(name, "v")) {
		*err = go_bool(name, value, &ta->verbose);
	} else if (!strcmp(name, "benchmem")) {
		*err = go_bool(name, value, &ta->benchmem);
	} else
		return 0;
	return 1;
}

/* One flag word at argv[*i]; may consume argv[*i + 1]. */
static int parse_flag(struct testargs *ta, int argc, const char **argv, int *i)
{
	const char *word = argv[*i];
	const char *name = word + 1 + (word[1] == '-');
	const char *eq, *value = NULL;
	const struct flag_def *f;
	size_t len;
	int err;

	/* "-test.bench" is accepted as "-bench", as go test does. */
	skip_prefix(name, "test.", &name);
	eq = strchr(name, '=');
	len = eq ? (size_t)(eq - name) : strlen(name);
	if (eq)
		value = eq + 1;
	f = find_flag(name, len);
	if (!f) {
		/* The package's own flag: pass it through unchanged. */
		strvec_push(&ta->test, word);
		strvec_push(&ta->extra, word);
		return 0;
	}
	if (f->kind == F_REJECT)
		return error_code(PG_EUSAGE, "'-%s' is not supported: %s", f->name, f->why);
	if (f->kind == F_BUILD_VALUE || f->kind == F_TEST_VALUE || f->kind == F_IGNORED) {
		if (!value && f->kind != F_IGNORED) {
			if (*i + 1 >= argc)
				return error_code(PG_EUSAGE, "flag '-%s' needs a value", f->name);
			value = argv[++*i];
		} else if (!value && *i + 1 < argc && argv[*i + 1][0] != '-') {
			value = argv[++*i];	/* "-vet off" */
		}
	}
	switch (f->kind) {
	case F_IGNORED:
		warning("ignoring '%s': %s", word, f->why);
		return 0;
	case F_BUILD_BOOL:
	case F_BUILD_VALUE:
		if (value)
			strvec_pushf(&ta->build, "-%s=%s", f->name, value);
		else
			strvec_pushf(&ta->build, "-%s", f->name);
		return 0;
	case F_TEST_BOOL:
	case F_TEST_VALUE: {
		const char *stored = value ?
			strvec_pushf(&ta->test, "-test.%s=%s", f->name, value) :
			strvec_pushf(&ta->test, "-test.%s", f->name);
		const char *v = value ? strchr(stored, '=') + 1 : NULL;

		if (!extract(ta, f->name, v, &err))
			strvec_push(&ta->extra, stored);
		return err;
	}
	case F_REJECT:
		break;
	}
	BUG("unhandled flag kind");
}

int testargs_parse(struct testargs *ta, int argc, const char **argv)
{
	int i = 0;

	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	for (; i < argc && argv[i][0] != '-'; i++)
		strvec_push(&ta->packages, argv[i]);
	if (!ta->packages.nr)
		return error_code(PG_EUSAGE, "no package given: name one, e.g. '.' or './pkg/...'");
	for (; i < argc; i++) {
		const char *w = argv[i];
		int ret;

		if (!strcmp(w, "-args") || !strcmp(w, "--args")) {
			for (i++; i < argc; i++)
				strvec_push(&ta->args, argv[i]);
			break;
		}
		if (!strcmp(w, "--")) {
			/* go test has no use for a second "--"; tolerate one. */
			continue;
		}
		if (w[0] != '-' || !w[1])
			return error_code(PG_EUSAGE,
					  "unexpected argument '%s' after go test flags: "
					  "packages go first, binary arguments after '-args'", w);
		ret = parse_flag(ta, argc, argv, &i);
		if (ret)
			return ret;
	}
	return 0;
}

int parse_bench_args(const struct strvec *words, struct testargs *ta)
{
	struct strvec argv = STRVEC_INIT;
	int ret;

	if (!words->nr || words->v[0][0] == '-')
		strvec_push(&argv, "./...");
	strvec_pushv(&argv, words->v);
	ret = testargs_parse(ta, (int)argv.nr, argv.v);
	strvec_clear(&argv);
	return ret;
}
