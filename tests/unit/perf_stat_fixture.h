#ifndef PERFGO_TEST_PERF_STAT_FIXTURE_H
#define PERFGO_TEST_PERF_STAT_FIXTURE_H

/*
 * The fixtures of the perf stat parser's tests (test_perf_stat_*.c):
 * parsing a file of tests/data/perfstat/ (read by relative path: run from
 * the repository root), finding a counter, and checking counters against a
 * table.  Include it after the test's includes (cmocka, common.h,
 * collect/perf_stat.h).
 */

#define DATA "tests/data/perfstat/"

static inline int parse_fixture(const char *file, char sep, struct ps_result *r)
{
	struct buf b = BUF_INIT;
	char path[256];
	int ret;

	snprintf(path, sizeof(path), DATA "%s", file);
	read_fixture(&b, path);
	ret = ps_parse_csv(b.buf, b.len, sep, file, r);
	buf_release(&b);
	return ret;
}

static inline const struct ps_counter *must_find(const struct ps_result *r, const char *event)
{
	const struct ps_counter *c = ps_find(r, event);

	if (!c)
		fail_msg("no counter '%s'", event);
	return c;
}

/*
 * One expected counter.  variance < 0: no variance column; metric_unit
 * NULL: no metric.
 */
struct want {
	const char *event;
	enum ps_status status;
	double value;
	const char *unit;
	double variance;
	uint64_t run;
	double pct;
	double metric;
	const char *metric_unit;
};

static inline void check_counters(const struct ps_result *r, const struct want *w, size_t n)
{
	assert_int_equal(r->nr, n);
	for (size_t i = 0; i < n; i++) {
		const struct ps_counter *c = &r->c[i];

		assert_string_equal(c->event, w[i].event);
		if (c->status != w[i].status)
			fail_msg("%s: status %d, want %d", c->event, c->status, w[i].status);
		assert_near(c->value, w[i].value);
		assert_string_equal(c->unit, w[i].unit);
		assert_int_equal(c->has_variance, w[i].variance >= 0);
		if (w[i].variance >= 0)
			assert_near(c->variance_pct, w[i].variance);
		assert_true(c->run_time_ns == w[i].run);
		assert_near(c->pct_running, w[i].pct);
		assert_int_equal(c->has_metric, w[i].metric_unit != NULL);
		assert_non_null(c->metric_unit);
		if (w[i].metric_unit) {
			assert_near(c->metric_value, w[i].metric);
			assert_string_equal(c->metric_unit, w[i].metric_unit);
		} else {
			assert_string_equal(c->metric_unit, "");
		}
	}
}

#define NS PS_NOT_SUPPORTED
#define NC PS_NOT_COUNTED
#define OK PS_COUNTED

#endif
