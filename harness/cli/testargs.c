/* The `perfgo test` argument grammar; see testargs.h. */
#include <stdint.h>
#include <string.h>

#include "util/buf.h"
#include "util/parse.h"
#include "cli/opts.h"
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
	strvec_init(&ta->own);
}

void testargs_release(struct testargs *ta)
{
	strvec_clear(&ta->packages);
	strvec_clear(&ta->build);
	strvec_clear(&ta->test);
	strvec_clear(&ta->extra);
	strvec_clear(&ta->args);
	strvec_clear(&ta->own);
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

/*
 * A Go duration as time.ParseDuration reads it ("1.5s", "2h45m", "300ms",
 * "1e3ns" is not one): 1 when `s` is one of at least one nanosecond that
 * fits int64 nanoseconds.  "0" and negative durations are not.
 */
static int go_duration_positive(const char *s)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "\xce\xbcs", 1e3 },
		{ "ms", 1e6 }, { "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 },
	};
	double total = 0;

	if (*s == '+')
		s++;
	if (!*s)
		return 0;
	while (*s) {
		double v = 0, scale = 1;
		int digits = 0;
		size_t i;

		for (; *s >= '0' && *s <= '9'; s++, digits++)
			v = v * 10 + (*s - '0');
		if (*s == '.')
			for (s++; *s >= '0' && *s <= '9'; s++, digits++)
				v += (*s - '0') * (scale /= 10);
		if (!digits)
			return 0;
		for (i = 0; i < ARRAY_SIZE(units); i++) {
			size_t ul = strlen(units[i].unit);

			/* "m" is a prefix of "ms": the table lists ms first. */
			if (!strncmp(s, units[i].unit, ul)) {
				s += ul;
				break;
			}
		}
		if (i == ARRAY_SIZE(units))
			return 0;
		total += v * units[i].ns;
	}
	return total >= 1 && total < 9.2233720368547758e18;
}

/* -benchtime: a positive duration or a positive count Nx that fits Go's int. */
static int check_benchtime(const char *v)
{
	size_t len = strlen(v);

	if (len && v[len - 1] == 'x') {
		uint64_t n = 0;
		size_t i;

		for (i = 0; i + 1 < len && v[i] >= '0' && v[i] <= '9'; i++)
			n = n > INT64_MAX / 10 ? UINT64_MAX : n * 10 + (uint64_t)(v[i] - '0');
		if (i + 1 == len && len > 1 && n >= 1 && n <= INT64_MAX)
			return 0;
		if (i + 1 == len && len > 1 && n)
			return error_code(PG_EUSAGE, "invalid -benchtime '%s': the count must be at most "
					  "%lld (Go's int)", v, (long long)INT64_MAX);
	} else if (go_duration_positive(v)) {
		return 0;
	}
	return error_code(PG_EUSAGE, "invalid -benchtime '%s': expected a positive duration "
			  "(e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)", v);
}

/* -cpu: a comma-separated list of positive GOMAXPROCS values. */
static int check_cpu(const char *v)
{
	int any = 0;

	for (const char *s = v; *s; ) {
		size_t len = strcspn(s, ",");
		char word[16];
		int n;

		/* testing skips an empty element; perfgo's -cpu handling does not. */
		if (!len || len >= sizeof(word))
			goto bad;
		memcpy(word, s, len);
		word[len] = '\0';
		if (parse_int(word, &n) || n < 1)
			goto bad;
		any = 1;
		s += len + (s[len] == ',');
	}
	if (any)
		return 0;
bad:
	return error_code(PG_EUSAGE, "invalid -cpu '%s': expected a comma-separated list of "
			  "positive numbers, e.g. 1,2,4", v);
}

static int extract(struct testargs *ta, const char *name, const char *value, int *err)
{
	*err = 0;
	if (!strcmp(name, "bench"))
		ta->bench = value;
	else if (!strcmp(name, "benchtime")) {
		ta->benchtime = value;
		*err = check_benchtime(value);
	} else if (!strcmp(name, "cpu")) {
		ta->cpu = value;
		*err = check_cpu(value);
	}
	else if (!strcmp(name, "run"))
		ta->run = value;
	else if (!strcmp(name, "count") && !strcmp(value, "auto")) {
		ta->count_auto = 1;
		ta->count = 0;
		if (!ta->count_auto_ok)
			*err = error_code(PG_EUSAGE, "'-count auto' applies to 'perfgo compare' on "
					  "revisions; give a number of repetitions, e.g. -count 10");
	} else if (!strcmp(name, "count")) {
		ta->count_auto = 0;
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

void testargs_own_options(struct testargs *ta, const struct opt *opts)
{
	for (size_t i = 0; i < ta->extra.nr; i++) {
		const char *w = ta->extra.v[i], *name = w + strspn(w, "-");
		size_t len = strcspn(name, "=");

		if (starts_with(w, "-test."))
			continue;
		for (const struct opt *o = opts; o->type != OPT_END; o++)
			if (o->long_name && strlen(o->long_name) == len &&
			    !strncmp(o->long_name, name, len)) {
				strvec_push(&ta->own, w);
				break;
			}
	}
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
