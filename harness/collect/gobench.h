#ifndef PERFGO_GOBENCH_H
#define PERFGO_GOBENCH_H

/*
 * The Go benchmark data format (golang proposal 14313), as printed by
 * `go test -bench` and read by benchstat, and the other lines a test
 * binary prints around it.
 *
 * Two entry points:
 *  - gb_classify_line() looks at one line of live test-binary output and
 *    says what it is (a result, a bare benchmark-start name printed by
 *    -test.v, a "--- FAIL", ...).  The measurement loop uses it to gate perf.
 *  - gb_parse() reads a whole file or output into a struct gb_file:
 *    configuration lines ("key: value", applying to following results until
 *    overwritten, deleted by an empty value), result lines with any number
 *    of value/unit pairs, and "Unit <unit> key=value ..." metadata lines.
 *
 * Ownership: every string and array reachable from a struct gb_file is
 * owned by it and freed by gb_file_release().
 */

#include <stddef.h>
#include <stdint.h>

struct gb_value {
	double value;
	char *unit;              /* "ns/op", "B/op", "MB/s", "instructions/op" */
};

struct gb_kv {
	char *key;
	char *value;
};

/* name, base and the values' units share one allocation (name's). */
struct gb_result {
	char *name;              /* as printed, with any -N suffix */
	char *base;              /* name without the GOMAXPROCS suffix */
	int procs;               /* the -N suffix; 1 when absent */
	uint64_t iters;
	struct gb_value *values;
	size_t nvalues;
	size_t config;           /* index into gb_file.configs */
	size_t lineno;           /* 1-based line in the input */
};

/*
 * The configuration in effect for a result: a snapshot of key/values in
 * the order the keys were first set.  Snapshots share their entries (they
 * point into gb_file.kv_pool): one that only adds keys to the one before
 * extends it, so N results each after one new key store N entries, not
 * N * N / 2.  NEEDSWORK: a value changed in a large configuration still
 * copies it for the next result.
 */
struct gb_config {
	struct gb_kv *kv;        /* kv_pool + off; NULL when nr is 0 */
	size_t nr;
	size_t off;
};

/* Unit metadata: "Unit ns/op better=lower assume=nothing". */
struct gb_unit {
	char *unit;
	int better;              /* -1 lower is better, +1 higher, 0 unknown */
	int assume_exact;        /* 1 for assume=exact */
	int assume_set;          /* assume= was given, so a change is a conflict */
};

struct gb_file {
	struct gb_result *results;
	size_t nr, alloc;
	struct gb_config *configs;
	size_t nconfigs, configs_alloc;
	struct gb_kv *kv_pool;   /* every configuration entry, owned here */
	size_t kv_nr, kv_alloc;
	struct gb_unit *units;
	size_t nunits, units_alloc;
	/* Failures seen: "--- FAIL: BenchmarkX" names and a final "FAIL". */
	char **failed;
	size_t nfailed, failed_alloc;
	int saw_fail;            /* a line "FAIL" or "FAIL\t<pkg>..." */
	int saw_pass;            /* a line "PASS" or "ok  \t<pkg>" */
};

#define GB_FILE_INIT { 0 }

enum gb_line_kind {
	GB_OTHER = 0,
	GB_RESULT,       /* "BenchmarkX-2   100   12.5 ns/op ..." */
	GB_START,        /* a bare "BenchmarkX/sub" (printed by -test.v) */
	GB_CONFIG,       /* "goos: linux" */
	GB_UNIT,         /* "Unit ns/op better=lower" */
	GB_BENCH_FAIL,   /* "--- FAIL: BenchmarkX" (also "--- SKIP:" is OTHER) */
	GB_PASS,         /* "PASS" or "ok  \tpkg\t1.2s" */
	GB_FAIL          /* "FAIL" or "FAIL\tpkg\t..." */
};

/*
 * A "key: value" configuration line: 1 with the key and the trimmed value
 * (empty: delete the key) pointed into `line`, else 0.
 */
int gb_parse_config_line(const char *line, size_t len, const char **key, size_t *klen,
			 const char **val, size_t *vlen);

/*
 * Classify one line (without its newline; a trailing '\r' is ignored).
 * For GB_START and GB_BENCH_FAIL, *name_out (if not NULL) receives a newly
 * allocated copy of the benchmark name.
 */
enum gb_line_kind gb_classify_line(const char *line, size_t len, char **name_out);

/*
 * Parse one result line into *out (zeroed first).  Returns 0, or PG_EPARSE
 * if the line is not a well-formed result line (odd field count, bad number,
 * zero iterations, name not "Benchmark" + upper case, non-letter or end).
 * `procs_hint`, if > 0, is the GOMAXPROCS in effect; a "-N" suffix is split
 * off only when N equals it or procs_hint is 0 and the suffix is all digits.
 * "-1" is never split off: Go omits the suffix when GOMAXPROCS is 1, so a
 * trailing "-1" belongs to a sub-benchmark name.  Nothing is reported.
 */
int gb_parse_result(const char *line, size_t len, int procs_hint,
		    struct gb_result *out);
void gb_result_release(struct gb_result *r);

/*
 * Parse a whole text.  Lines that are neither configuration, result nor unit
 * lines are ignored, as benchstat does; a line that starts with a benchmark
 * name but is not a well-formed result is ignored with a warning.  A
 * conflicting Unit declaration is a parse error (reported with `name` and the
 * line number), and so is a malformed Unit line (no unit, a field without
 * '=', or a better=/assume= value other than those listed above; unknown keys
 * are ignored), and so is a line longer than GB_MAX_LINE bytes (no result or
 * configuration line is anywhere near; /dev/zero or a binary file is).
 * Returns 0 or a negative enum pg_err.
 *
 * Results, configurations, units and failures are appended to *out, which
 * must be initialised (GB_FILE_INIT); the configuration starts empty on each
 * call, so several files can be read into one gb_file.  On error *out keeps
 * what was read before the bad line: release it either way.
 */
#define GB_MAX_LINE ((size_t)1 << 20)
int gb_parse(const char *text, size_t len, const char *name, struct gb_file *out);
void gb_file_release(struct gb_file *f);

/* Look up a config key in effect for a result; NULL if unset. */
const char *gb_config_get(const struct gb_file *f, const struct gb_result *r,
			  const char *key);
/* The unit metadata for `unit`, or NULL. */
const struct gb_unit *gb_unit_find(const struct gb_file *f, const char *unit);

/*
 * Default direction for well-known units: ns/op, B/op, allocs/op and any
 * "<x>/op" counter are lower-is-better, MB/s and "IPC" higher; 0 unknown.
 */
int gb_unit_default_better(const char *unit);

/*
 * Quote a (sub-)benchmark name as an anchored -test.bench regexp: each
 * slash-separated element becomes ^<escaped>$, e.g. "BenchmarkA/n=1.5" ->
 * "^BenchmarkA$/^n=1\.5$".  The result is appended to `out` (a struct buf).
 * Pass the name without its GOMAXPROCS suffix (gb_result.base): -test.bench
 * matches the name before "-N" is appended.
 */
struct buf;
void gb_bench_regexp(struct buf *out, const char *name);

#endif
