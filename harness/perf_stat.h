#ifndef PERFGO_PERF_STAT_H
#define PERFGO_PERF_STAT_H

/*
 * perf stat's machine-readable CSV output (`perf stat -x, -o FILE`), and
 * perf's event-list syntax.
 *
 * CSV fields (perf 6.x): value, unit, event, [variance% with -r], run time
 * in ns, percentage of time the counter ran, [metric value, metric unit].
 * The value may be "<not supported>" or "<not counted>".  Lines starting
 * with '#' and blank lines are skipped.  A running percentage below 100
 * means the kernel multiplexed the counter and perf scaled the count.
 *
 * Ownership: a struct ps_result owns its counters and their strings.
 */

#include <stddef.h>
#include <stdint.h>

struct strvec;

enum ps_status {
	PS_COUNTED = 0,
	PS_NOT_SUPPORTED,    /* "<not supported>": no such counter here */
	PS_NOT_COUNTED       /* "<not counted>": could not be scheduled */
};

struct ps_counter {
	char *event;             /* as printed, e.g. "instructions:u" */
	enum ps_status status;
	double value;            /* the count; meaningful when PS_COUNTED */
	char *unit;              /* "msec", "ns" or "" */
	int has_variance;
	double variance_pct;     /* with -r: relative stddev in percent */
	uint64_t run_time_ns;
	double pct_running;      /* 100.0 unless multiplexed */
	int has_metric;
	double metric_value;
	char *metric_unit;       /* "CPUs utilized", "insn per cycle", ... */
};

struct ps_result {
	struct ps_counter *c;
	size_t nr, alloc;
};

#define PS_RESULT_INIT { NULL, 0, 0 }

/*
 * Parse perf stat CSV text with separator `sep`.  Returns 0, or PG_EPARSE
 * (reported, naming `name` and the line) on a malformed line.  Interval
 * (-I) and per-thread/per-cpu prefixes are not accepted: perfgo never asks
 * for them.
 */
int ps_parse_csv(const char *text, size_t len, char sep, const char *name,
		 struct ps_result *out);
void ps_result_release(struct ps_result *r);

/* Find a counter by event name; "instructions" also matches "instructions:u". */
const struct ps_counter *ps_find(const struct ps_result *r, const char *event);

/*
 * Convert a counted value to a plain number in the event's base unit: time
 * events (unit "msec", "usec", "ns", "sec") become nanoseconds, everything
 * else is returned unchanged.  Sets *is_time.
 */
double ps_value_base(const struct ps_counter *c, int *is_time);

/*
 * Split a -e argument into events the way perf does: on commas, except
 * commas inside a PMU term list "pmu/.../" or a group "{...}" (which stays
 * one element, braces included).  Surrounding whitespace is trimmed; empty
 * elements and unbalanced braces or slashes are PG_EUSAGE (reported).
 */
int ps_split_events(const char *spec, struct strvec *out);

/*
 * Expand one event element into the names perf will print for it: a group
 * "{a,b}:S" yields "a" and "b"; others yield themselves.
 */
void ps_event_members(const char *event, struct strvec *out);

#endif
