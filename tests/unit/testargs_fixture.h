#ifndef PERFGO_TEST_TESTARGS_FIXTURE_H
#define PERFGO_TEST_TESTARGS_FIXTURE_H

/*
 * The table machinery of the `perfgo test` argument grammar's tests
 * (test_testargs_*.c).  Each table row is one command line and every field
 * the parser fills: the package list, the `go test -c` build flags, the
 * -test.-prefixed test flags, the ones not extracted ("extra"), the -args
 * words, the extracted values, and every diagnostic line it reported
 * (captured with set_report_routine()).  Vectors are written joined with
 * '|'.  Include it after the test's includes (cmocka, common.h,
 * cli/testargs.h).
 */

static inline int setup(void **state)
{
	pg_verbosity = 0;
	return setup_capture(state);
}

#define MAXARGS 24

struct tcase {
	const char *name;
	const char *argv[MAXARGS];    /* NULL-terminated */
	int ret;
	/* Checked only when ret is 0; NULL means empty. */
	const char *packages, *build, *test, *extra, *args;
	const char *bench, *benchtime, *cpu, *run;
	int count, verbose, benchmem;
	/* Every reported line, '\n'-joined; NULL means nothing reported. */
	const char *msg;
};

/*
 * Mismatches are collected, not asserted one by one: every failing row of a
 * table is listed, and the parser's memory is released before cmocka jumps
 * out of the test (so that LeakSanitizer reports only real leaks).
 */
static inline void check_vec(const char *c, const char *field, const struct strvec *v,
			     const char *want)
{
	struct buf got = BUF_INIT;

	for (size_t i = 0; i < v->nr; i++)
		buf_addf(&got, "%s%s", i ? "|" : "", v->v[i]);
	if (v->v[v->nr])
		buf_addf(&failures, "case '%s': %s is not NULL-terminated\n", c, field);
	if (strcmp(got.buf, want ? want : ""))
		buf_addf(&failures, "case '%s': %s is '%s', want '%s'\n", c, field, got.buf,
			 want ? want : "");
	buf_release(&got);
}

/* An extracted value must point into ta->test, as the header promises. */
static inline void check_points_into_test(const char *c, const struct testargs *ta, const char *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < ta->test.nr; i++) {
		const char *s = ta->test.v[i];

		if (p >= s && p <= s + strlen(s))
			return;
	}
	buf_addf(&failures, "case '%s': extracted value '%s' does not point into the test flags\n",
		 c, p);
}

static inline void run_case(const struct tcase *tc)
{
	struct testargs ta;
	int ret;

	buf_reset(&msgs);
	testargs_init(&ta);
	ret = testargs_parse(&ta, argv_count(tc->argv), (const char **)tc->argv);
	if (ret != tc->ret)
		buf_addf(&failures, "case '%s': returned %d, want %d (messages: '%s')\n",
			 tc->name, ret, tc->ret, msgs.buf);
	check_str(tc->name, "messages", msgs.len ? msgs.buf : NULL, tc->msg);
	if (!ret) {
		check_vec(tc->name, "packages", &ta.packages, tc->packages);
		check_vec(tc->name, "build", &ta.build, tc->build);
		check_vec(tc->name, "test", &ta.test, tc->test);
		check_vec(tc->name, "extra", &ta.extra, tc->extra);
		check_vec(tc->name, "args", &ta.args, tc->args);
		check_str(tc->name, "bench", ta.bench, tc->bench);
		check_str(tc->name, "benchtime", ta.benchtime, tc->benchtime);
		check_str(tc->name, "cpu", ta.cpu, tc->cpu);
		check_str(tc->name, "run", ta.run, tc->run);
		check_int(tc->name, "count", ta.count, tc->count);
		check_int(tc->name, "verbose", ta.verbose, tc->verbose);
		check_int(tc->name, "benchmem", ta.benchmem, tc->benchmem);
		check_points_into_test(tc->name, &ta, ta.bench);
		check_points_into_test(tc->name, &ta, ta.benchtime);
		check_points_into_test(tc->name, &ta, ta.cpu);
		check_points_into_test(tc->name, &ta, ta.run);
	}
	testargs_release(&ta);
}

static inline void run_table(const struct tcase *t, size_t n)
{
	buf_reset(&failures);
	for (size_t i = 0; i < n; i++)
		run_case(&t[i]);
	failures_check("%zu-row table", n);
}

#define E_AFTER(w) "perfgo: error: unexpected argument '" w "' after go test flags: " \
	"packages go first, binary arguments after '-args'"

#endif
