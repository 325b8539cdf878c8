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
 * for them.  A decimal comma (perf run without LC_ALL=C) is a PG_EPARSE
 * that says so.  PG_EUSAGE (reported) for a `sep` that occurs inside the
 * fields themselves (NUL, letters, digits, one of ".%<>-+_", newline).
 *
 * The event field may contain `sep` ("cpu/event=0x2e,umask=0x41/" with
 * -x,): it spans from the third field to the run-time/percentage pair.  The
 * variance column is recognised by its trailing '%'.  After the percentage,
 * perf 6.12+ may add a metric-threshold column; it is ignored.  Lines whose
 * value, unit and event are all empty (a counter's second metric, metric
 * group headers) are skipped: only a counter's first metric is kept.
 *
 * Counters are appended to *out (initialised with PS_RESULT_INIT) in file
 * order, duplicates included.  On error *out keeps the counters before the
 * bad line: release it either way.  `unit` and `metric_unit` are never
 * NULL ("" when perf printed nothing); `value` is 0 unless PS_COUNTED.
 */
int ps_parse_csv(const char *text, size_t len, char sep, const char *name,
		 struct ps_result *out);
void ps_result_release(struct ps_result *r);

/*
 * Find a counter by event name; an exact match wins, else "instructions"
 * also matches "instructions:u" (any run of perf modifier letters after
 * ':', so "sched" does not match the tracepoint "sched:sched_switch").
 */
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
 * elements and unbalanced braces or slashes are PG_EUSAGE (reported), and
 * then nothing is appended to `out`.  A breakpoint event "mem:ADDR/LEN"
 * has a single slash and is accepted.
 */
int ps_split_events(const char *spec, struct strvec *out);

/*
 * Expand one event element into the names perf will print for it: a group
 * "{a,b}:S" yields "a" and "b"; others yield themselves.  Group modifiers
 * are not appended to the members (perf prints "cycles:u" for
 * "{cycles,instructions}:u"); ps_find() matches either spelling.
 */
void ps_event_members(const char *event, struct strvec *out);

#endif
