#ifndef PERFGO_JUNIT_H
#define PERFGO_JUNIT_H

/*
 * A comparison as JUnit XML, the format CI systems turn into test results:
 * one <testsuite> per Go package, one <testcase> per benchmark and compared
 * metric (classname = package, name = "Benchmark/metric").  A regression
 * is a <failure type="PerfRegression"> whose message carries the numbers;
 * rows that cannot be compared (added, removed, missing metric) are
 * <skipped>; every case's line of numbers is also in its <system-out>.
 * Each suite's <properties> hold both sides (label, sha), alpha, and the
 * runner.  Valid against tests/data/junit/junit.xsd.
 */

#include "util/buf.h"
#include "analysis/compare.h"

struct junit_meta {
	const char *base_label, *head_label;
	const char *base_sha, *head_sha;     /* may be NULL (files) */
	const char *runner;                  /* one-line fingerprint, may be NULL */
	const char *timestamp;               /* ISO 8601, may be NULL */
};

void compare_report_junit(struct buf *out, const struct compare_report *rep,
			  const struct junit_meta *meta);

#endif
