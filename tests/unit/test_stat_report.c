/*
 * Unit tests for reporters/stat_*.c: the text, JSON and Go benchmark
 * format reports of a measured run.
 *
 * The run is built by hand as harness/store.c would return it (rows in
 * insertion order: per benchmark, per repetition, Go's metrics, then perf
 * counters per op, then derived ratios): two benchmarks, one with six
 * repetitions (enough for a confidence interval of the median) and a
 * multiplexed cycles count in repetition 1 that carries over to the derived
 * IPC, one whose name holds characters every format must escape
 * (" | \) with two repetitions and a negative per-op count; plus the run
 * row, the requested events (counted, unsupported, not counted) and the
 * runner fingerprint.  The values are hand-made, as for a machine with a
 * PMU: this one has none (DESIGN §2).
 *
 * The three outputs are compared with golden files in tests/data/golden/.
 * After a change that is meant to alter them, regenerate with
 *     UPDATE_GOLDEN=1 build/san/unit/test_stat_report
 * and review the diff.  On a mismatch the actual output is written to
 * build/golden-actual/ and the first differing line is printed.
 *
 * The JSON is also read by python3's json module (through fork/execv), and
 * the Go benchmark format output is read back with gb_parse(), which must
 * give the same benchmarks, iterations, values and configuration.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "common.h"
#include "util/buf.h"
#include "util/io.h"
#include "collect/gobench.h"
#include "stat_report.h"
#include "store/store.h"
#include "store/store_series.h"
#include "util/usage.h"

#define GOLDEN_DIR "tests/data/golden/"
#define ACTUAL_DIR "build/golden-actual/"
#define PKG "example.com/perfgo/fixture"
#define BENCH_A "BenchmarkSum-2"
#define BENCH_B "BenchmarkDecode/in=\"a|b\\c\"-2"

/* ---- the run ----------------------------------------------------------- */

#define MAXREPS 6

struct series_def {
	const char *bench;
	uint64_t iterations;
	int reps;
	const char *metric, *unit;
	unsigned flags;
	double values[MAXREPS];
	int mux_rep;              /* repetition perf multiplexed, or -1 */
};

/* In the order measure.c stores them within one repetition. */
static const struct series_def defs[] = {
	{ BENCH_A, 200000, 6, "ns/op", "ns", SAMPLE_GO,
	  { 1027, 1031.5, 1025.25, 1040, 1029.75, 1033 }, -1 },
	{ BENCH_A, 200000, 6, "B/op", "B", SAMPLE_GO, { 0, 0, 0, 0, 0, 0 }, -1 },
	{ BENCH_A, 200000, 6, "allocs/op", "count", SAMPLE_GO, { 0, 0, 0, 0, 0, 0 }, -1 },
	{ BENCH_A, 200000, 6, "MB/s", "MB/s", SAMPLE_GO,
	  { 31914.61, 31800.2, 31950.75, 31512.5, 31830, 31790.4 }, -1 },
	{ BENCH_A, 200000, 6, "task-clock-ns/op", "ns", 0,
	  { 1026.5, 1030.25, 1024.875, 1039.5, 1029.125, 1032.75 }, -1 },
	{ BENCH_A, 200000, 6, "page-faults/op", "count", 0,
	  { 0.00012, 0.0001, 0.00011, 0.00012, 0.00009, 0.0001 }, -1 },
	{ BENCH_A, 200000, 6, "instructions/op", "count", 0,
	  { 4105.25, 4105.5, 4105.125, 4105.25, 4105.375, 4105.25 }, -1 },
	{ BENCH_A, 200000, 6, "cycles/op", "count", 0,
	  { 1930.5, 1941.25, 1925.75, 1960, 1937.5, 1944.125 }, 1 },
	{ BENCH_A, 200000, 6, "IPC", "ratio", SAMPLE_DERIVED,
	  { 2.1265, 2.1149, 2.1317, 2.0945, 2.1189, 2.1116 }, 1 },

	{ BENCH_B, 5000, 2, "ns/op", "ns", SAMPLE_GO, { 240512, 239880.5 }, -1 },
	{ BENCH_B, 5000, 2, "B/op", "B", SAMPLE_GO, { 4096, 4096 }, -1 },
	{ BENCH_B, 5000, 2, "allocs/op", "count", SAMPLE_GO, { 12, 12 }, -1 },
	{ BENCH_B, 5000, 2, "elems/op", "elems/op", SAMPLE_GO, { 16, 16 }, -1 },
	/* More digits than the Go format's %.10g keeps. */
	{ BENCH_B, 5000, 2, "task-clock-ns/op", "ns", 0, { 240100.7512345678, 239500.25 }, -1 },
	/* A differential count can come out below zero. */
	{ BENCH_B, 5000, 2, "page-faults/op", "count", 0, { -0.00012, 0.0004 }, -1 },
	{ BENCH_B, 5000, 2, "instructions/op", "count", 0, { 982345.5, 982350.25 }, -1 },
	{ BENCH_B, 5000, 2, "cycles/op", "count", 0, { 530120.5, 529880 }, -1 },
	{ BENCH_B, 5000, 2, "IPC", "ratio", SAMPLE_DERIVED, { 1.8531, 1.8539 }, -1 },
};

/* Rows as store_run_samples() returns them: benchmark, repetition, metric. */
static void build_samples(struct sample_list *l)
{
	size_t first = 0;

	memset(l, 0, sizeof(*l));
	while (first < ARRAY_SIZE(defs)) {
		size_t end = first;

		while (end < ARRAY_SIZE(defs) && !strcmp(defs[end].bench, defs[first].bench))
			end++;
		for (int rep = 0; rep < defs[first].reps; rep++) {
			for (size_t i = first; i < end; i++) {
				const struct series_def *d = &defs[i];
				struct sample_full *f;

				ALLOC_GROW(l->rows, l->nr + 1, l->alloc);
				f = &l->rows[l->nr++];
				f->package = xstrdup(PKG);
				f->bench = xstrdup(d->bench);
				f->metric = xstrdup(d->metric);
				f->unit = xstrdup(d->unit);
				f->rep = rep;
				f->iterations = d->iterations;
				f->value = d->values[rep];
				f->running = rep == d->mux_rep ? 0.75 : 1.0;
				f->flags = d->flags | (rep == d->mux_rep ? SAMPLE_MULTIPLEXED : 0);
			}
		}
		first = end;
	}
}

static struct run_row run = {
	.id = (char *)"0123456789abcdef0123456789abcdef",
	.started_ns = 1700000000000000000LL,
	.finished_ns = 1700000060500000000LL,
	.status = RUN_OK,
	.exit_code = 0,
	.command = (char *)"test stat",
	.argv_json = (char *)"[\"perfgo\",\"test\",\"stat\",\"--\",\".\",\"-bench=.\"]",
	.workdir = (char *)"fixture",
	.packages = (char *)PKG,
	.commit = (char *)"3f2a9c1d5e7b8f60a1b2c3d4e5f60718293a4b5c",
	.branch = (char *)"main",
	.dirty = 1,
	.config_json = (char *)"{}",
	.fingerprint_id = 1,
	.nbench = 2,
};

static struct event_row events[] = {
	{ (char *)"task-clock", EVENT_COUNTED },
	{ (char *)"page-faults", EVENT_COUNTED },
	{ (char *)"instructions", EVENT_COUNTED },
	{ (char *)"cycles", EVENT_COUNTED },
	{ (char *)"LLC-loads", EVENT_UNSUPPORTED },
	{ (char *)"LLC-load-misses", EVENT_UNSUPPORTED },
	{ (char *)"L1-dcache-load-misses", EVENT_NOT_COUNTED },
};

/* What the test binary printed; its cpu differs from perfgo's probe on purpose. */
#define GO_CPU "Intel(R) Xeon(R) Platinum 8273CL CPU @ 2.20GHz"
static struct go_config_row goconf[] = {
	{ (char *)PKG, (char *)"goos", (char *)"linux" },
	{ (char *)PKG, (char *)"goarch", (char *)"amd64" },
	{ (char *)PKG, (char *)"pkg", (char *)PKG },
	{ (char *)PKG, (char *)"cpu", (char *)GO_CPU },
};

/* A benchmark the backend could not count (the simulation's valgrind failing on it). */
static struct bench_failure not_counted[] = {
	{ (char *)PKG, (char *)BENCH_A, (char *)"instructions:sim/op data-reads:sim/op",
	  (char *)"simulation timed out after 120 s" },
};

static void build_extras(struct run_extras *x, int pmu)
{
	memset(x, 0, sizeof(*x));
	x->failures.rows = not_counted;
	x->failures.nr = ARRAY_SIZE(not_counted);
	x->events = events;
	x->nevents = ARRAY_SIZE(events);
	x->goconf = goconf;
	x->ngoconf = ARRAY_SIZE(goconf);
	x->has_fp = 1;
	x->fp.host = (char *)"bench-box";
	x->fp.cpu_model = (char *)"Intel(R) Xeon(R) CPU @ 2.20GHz";
	x->fp.cores = 2;
	x->fp.kernel = (char *)"6.1.0-18-amd64";
	x->fp.perf_version = (char *)"6.1.76";
	x->fp.go_version = (char *)"go1.19.8";
	x->fp.goos = (char *)"linux";
	x->fp.goarch = (char *)"amd64";
	x->fp.goamd64 = (char *)"v1";
	x->fp.gomaxprocs = 2;
	x->fp.paranoid = 2;
	x->fp.pmu = pmu;
	x->fp.aslr = (char *)"2";
	x->fp.governor = NULL;
	x->fp.smt = (char *)"off";
}

/* Everything a test allocates lives here, so teardown frees it even after a failure. */
struct fixture {
	struct sample_list samples;
	struct run_extras extras;
	struct stat_run r;          /* borrows from run, samples and extras */
	struct buf out;
	struct gb_file gb;
};

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));

	capture_start();
	buf_init(&fx->out);
	build_samples(&fx->samples);
	build_extras(&fx->extras, 1);
	stat_run_from_store(&fx->r, &run, &fx->samples, &fx->extras);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	/* The extras point at static data: nothing of theirs is freed. */
	stat_run_release(&fx->r);
	sample_list_release(&fx->samples);
	buf_release(&fx->out);
	gb_file_release(&fx->gb);
	free(fx);
	capture_stop();
	return 0;
}

/* ---- golden files ------------------------------------------------------ */

static void show_line(const char *label, const char *s, size_t len)
{
	print_error("  %s <%.*s>\n", label, (int)len, s);
}

/*
 * Compare `actual` with GOLDEN_DIR/name.  With UPDATE_GOLDEN=1 the file is
 * (re)written instead.  On a mismatch, print the first differing line and
 * where to find the actual output.
 */
static void golden_check(const char *name, const struct buf *actual)
{
	struct buf want = BUF_INIT;
	char gpath[256], apath[256];
	const char *upd = getenv("UPDATE_GOLDEN");
	const char *a = actual->buf, *w;
	size_t line = 1;

	snprintf(gpath, sizeof(gpath), GOLDEN_DIR "%s", name);
	snprintf(apath, sizeof(apath), ACTUAL_DIR "%s", name);
	if (upd && !strcmp(upd, "1")) {
		mkdir("tests/data/golden", 0755);
		if (buf_write_file(actual, gpath))
			fail_msg("cannot write '%s': %s", gpath, strerror(errno));
		print_message("updated %s\n", gpath);
		return;
	}
	if (buf_read_file(&want, gpath, 0))
		fail_msg("cannot read golden file '%s' (%s): run from the repository root, or "
			 "create it with UPDATE_GOLDEN=1", gpath, strerror(errno));
	if (want.len == actual->len && !memcmp(want.buf, actual->buf, want.len)) {
		buf_release(&want);
		return;
	}
	mkdir("build", 0755);
	mkdir("build/golden-actual", 0755);
	buf_write_file(actual, apath);
	w = want.buf;
	for (;;) {
		size_t la = strcspn(a, "\n"), lw = strcspn(w, "\n");

		if (la != lw || memcmp(a, w, la) || !a[la] != !w[lw]) {
			size_t col = 0, from;

			while (col < la && col < lw && a[col] == w[col])
				col++;
			/* Long lines (the JSON is one): show the neighbourhood. */
			from = col > 40 ? col - 40 : 0;
			print_error("%s differs from the golden file at line %zu, column %zu:\n",
				    name, line, col + 1);
			show_line("expected:", w + from, (lw - from) > 100 ? 100 : lw - from);
			show_line("actual:  ", a + from, (la - from) > 100 ? 100 : la - from);
			break;
		}
		if (!a[la])
			break;
		a += la + 1;
		w += lw + 1;
		line++;
	}
	print_error("compare: diff -u %s %s\n"
		    "accept:  UPDATE_GOLDEN=1 build/san/unit/test_stat_report\n", gpath, apath);
	buf_release(&want);
	fail_msg("%s does not match %s", name, gpath);
}

/* ---- the reports ------------------------------------------------------- */

static void test_text_golden(void **state)
{
	struct fixture *fx = *state;
	struct buf *out = &fx->out;

	stat_report_text(out, &fx->r);
	golden_check("stat_report.txt", out);
	/* A few facts that must hold whatever the layout. */
	assert_non_null(strstr(out->buf, "pkg: " PKG "\n"));
	assert_non_null(strstr(out->buf, "\n" BENCH_A "  (N=200000, 6 reps)\n"));
	assert_non_null(strstr(out->buf, "\n" BENCH_B "  (N=5000, 2 reps)\n"));
	assert_non_null(strstr(out->buf, "not counted here: LLC-loads, LLC-load-misses, "
				"L1-dcache-load-misses (not counted)\n"));
	assert_null(strstr(out->buf, "no hardware PMU"));
	assert_non_null(strstr(out->buf, "M: perf multiplexed"));
	assert_int_equal(msgs.len, 0);
}

static int run_python_json(const char *path)
{
	static const char code[] = "import json,sys; json.load(open(sys.argv[1]))";
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		char *const argv[] = { (char *)"python3", (char *)"-c", (char *)code,
				       (char *)path, NULL };

		execvp("python3", argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

static void check_json_valid(const struct buf *json)
{
	const char *t = getenv("TMPDIR");
	char path[PATH_MAX];
	int fd, status;

	snprintf(path, sizeof(path), "%s/test_stat_report.XXXXXX", t && *t ? t : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, json->buf, json->len), (ssize_t)json->len);
	close(fd);
	status = run_python_json(path);
	unlink(path);
	if (status)
		fail_msg("python3 json.load rejected the report (status %d): %s", status,
			 json->buf);
}

static void test_json_golden(void **state)
{
	struct fixture *fx = *state;
	struct buf *out = &fx->out;

	stat_report_json(out, &fx->r);
	golden_check("stat_report.json", out);
	check_json_valid(out);
	/* The hostile name is escaped, the multiplexed counter flagged. */
	assert_non_null(strstr(out->buf,
		"\"name\":\"BenchmarkDecode/in=\\\"a|b\\\\c\\\"-2\""));
	assert_non_null(strstr(out->buf, "{\"metric\":\"cycles/op\",\"unit\":\"count\","
				"\"source\":\"perf\",\"multiplexed\":true,\"running\":0.75,"));
	assert_non_null(strstr(out->buf, "{\"metric\":\"IPC\",\"unit\":\"ratio\","
				"\"source\":\"derived\",\"multiplexed\":true,\"running\":0.75,"));
	assert_non_null(strstr(out->buf, "{\"event\":\"LLC-loads\",\"state\":\"unsupported\"}"));
	assert_non_null(strstr(out->buf, "{\"event\":\"L1-dcache-load-misses\","
				"\"state\":\"not_counted\"}"));
	assert_int_equal(out->buf[out->len - 1], '\n');
}

/* Without run, extras or samples the JSON is still a valid document. */
static void test_json_minimal(void **state)
{
	struct fixture *fx = *state;
	struct sample_list empty = SAMPLE_LIST_INIT;
	struct stat_run r;
	struct buf *out = &fx->out;

	stat_run_from_store(&r, NULL, &empty, NULL);
	stat_report_json(out, &r);
	stat_run_release(&r);
	assert_string_equal(out->buf, "{\"events\":[],\"benchmarks\":[],\"failures\":[]}\n");
	check_json_valid(out);
}

static void test_gobench_golden(void **state)
{
	struct fixture *fx = *state;
	struct buf *out = &fx->out;

	stat_report_gobench(out, &fx->r);
	golden_check("stat_report.gobench.txt", out);
}

/* What gb_parse reads back is what was stored. */
static void test_gobench_parses_back(void **state)
{
	struct fixture *fx = *state;
	const struct sample_list *l = &fx->samples;
	struct buf *out = &fx->out;
	struct gb_file *f = &fx->gb;
	size_t row = 0;
	int ret;

	stat_report_gobench(out, &fx->r);
	ret = gb_parse(out->buf, out->len, "stat_report.gobench", f);
	assert_int_equal(ret, 0);
	assert_int_equal(msgs.len, 0);               /* no line ignored with a warning */
	assert_int_equal(f->nr, 6 + 2);               /* one result per benchmark and rep */
	for (size_t i = 0; i < f->nr; i++) {
		const struct gb_result *r = &f->results[i];
		const struct sample_full *first = &l->rows[row];

		assert_string_equal(r->name, first->bench);
		assert_int_equal(r->procs, 2);
		assert_int_equal(r->iters, first->iterations);
		assert_string_equal(gb_config_get(f, r, "pkg"), PKG);
		assert_string_equal(gb_config_get(f, r, "goos"), "linux");
		assert_string_equal(gb_config_get(f, r, "goarch"), "amd64");
		/* Go's cpu string, not perfgo's probe; the commit is a comment, not a key. */
		assert_string_equal(gb_config_get(f, r, "cpu"), GO_CPU);
		assert_null(gb_config_get(f, r, "commit"));
		for (size_t k = 0; k < r->nvalues; k++, row++) {
			const struct sample_full *s = &l->rows[row];
			double want = s->value, got = r->values[k].value;

			assert_true(row < l->nr);
			assert_string_equal(s->bench, first->bench);
			assert_int_equal(s->rep, first->rep);
			assert_string_equal(r->values[k].unit, s->metric);
			/* %.10g: ten significant digits survive. */
			if (fabs(got - want) > 5e-10 * fabs(want))
				fail_msg("%s rep %d %s: read back %.17g, stored %.17g", s->bench,
					 s->rep, s->metric, got, want);
		}
	}
	assert_int_equal(row, l->nr);
	/* Go's own units need no metadata; perfgo's say which way is better. */
	assert_null(gb_unit_find(f, "ns/op"));
	assert_null(gb_unit_find(f, "MB/s"));
	assert_non_null(gb_unit_find(f, "IPC"));
	assert_int_equal(gb_unit_find(f, "IPC")->better, 1);
	assert_int_equal(gb_unit_find(f, "cycles/op")->better, -1);
	assert_int_equal(gb_unit_find(f, "task-clock-ns/op")->better, -1);
	assert_int_equal(gb_unit_find(f, "page-faults/op")->better, -1);
	assert_int_equal(f->nunits, 5);
	assert_non_null(strstr(out->buf, "\n# commit: 3f2a9c1d5e7b8f60a1b2c3d4e5f60718293a4b5c-dirty\n"));
}

/*
 * A run stored before perfgo kept the test binary's lines: goos, goarch
 * and pkg still (the runner's `go env` values), no cpu (perfgo's probe
 * may differ from what Go prints), and no configuration key beyond those.
 */
static void test_gobench_run_without_go_config(void **state)
{
	struct fixture *fx = *state;
	struct buf *out = &fx->out;
	struct gb_file *f = &fx->gb;

	fx->extras.ngoconf = 0;
	stat_run_release(&fx->r);
	stat_run_from_store(&fx->r, &run, &fx->samples, &fx->extras);
	stat_report_gobench(out, &fx->r);
	assert_int_equal(gb_parse(out->buf, out->len, "old", f), 0);
	assert_int_equal(f->nr, 6 + 2);
	assert_string_equal(gb_config_get(f, &f->results[0], "goos"), "linux");
	assert_string_equal(gb_config_get(f, &f->results[0], "goarch"), "amd64");
	assert_string_equal(gb_config_get(f, &f->results[0], "pkg"), PKG);
	assert_null(gb_config_get(f, &f->results[0], "cpu"));
	assert_int_equal(f->configs[f->results[0].config].nr, 3);
	assert_non_null(strstr(out->buf, "# perfgo-cpu-model: Intel(R) Xeon(R) CPU @ 2.20GHz\n"));
}

/* With no PMU the unsupported list says why; without extras there is none. */
static void test_text_no_pmu_and_no_extras(void **state)
{
	struct fixture *fx = *state;
	struct buf *out = &fx->out;

	fx->extras.fp.pmu = 0;
	stat_run_release(&fx->r);
	stat_run_from_store(&fx->r, &run, &fx->samples, &fx->extras);
	stat_report_text(out, &fx->r);
	assert_non_null(strstr(out->buf, "not counted here: LLC-loads, LLC-load-misses, "
				"L1-dcache-load-misses (not counted) (no hardware PMU on this "
				"runner)\n"));
	buf_reset(out);
	stat_run_release(&fx->r);
	stat_run_from_store(&fx->r, &run, &fx->samples, NULL);
	stat_report_text(out, &fx->r);
	assert_null(strstr(out->buf, "not counted here"));
	assert_non_null(strstr(out->buf, "pkg: " PKG "\n"));
	buf_reset(out);
	stat_report_gobench(out, &fx->r);
	assert_null(strstr(out->buf, "goos:"));
	assert_true(starts_with(out->buf, "# perfgo-run: "));
	assert_non_null(strstr(out->buf, "\n# commit: "));
}

/* One repetition: no spread; no multiplexing: no footnote; no samples at all. */
static void test_text_single_rep_and_empty(void **state)
{
	struct fixture *fx = *state;
	struct sample_list l = SAMPLE_LIST_INIT;
	struct sample_full row = { (char *)"p", (char *)"BenchmarkOne", (char *)"ns/op",
				   (char *)"ns", 0, 1000, 12.5, 1.0, SAMPLE_GO };
	struct stat_run r;
	struct buf *out = &fx->out;

	l.rows = &row;
	l.nr = 1;
	stat_run_from_store(&r, NULL, &l, NULL);
	stat_report_text(out, &r);
	assert_non_null(strstr(out->buf, "\nBenchmarkOne  (N=1000, 1 rep)\n"));
	assert_non_null(strstr(out->buf, "\n  ns/op                   12.50         -         "
				"12.50         12.50\n"));
	assert_null(strstr(out->buf, "M: perf multiplexed"));
	buf_reset(out);
	l.nr = 0;
	stat_run_release(&r);
	stat_run_from_store(&r, NULL, &l, NULL);
	stat_report_text(out, &r);
	assert_true(starts_with(out->buf, "no samples\n"));
	buf_reset(out);
	stat_report_gobench(out, &r);
	stat_run_release(&r);
	assert_string_equal(out->buf, "");
}

static void test_fmt_value(void **state)
{
	static const struct { double v; const char *out; } t[] = {
		{ 0, "0" }, { -0.0, "0" }, { NAN, "-" }, { INFINITY, "-" }, { -INFINITY, "-" },
		{ 0.5, "0.5000" }, { 2.1265, "2.1265" }, { 12.5, "12.50" }, { -12.5, "-12.50" },
		{ 150.25, "150.2" }, { 4105.25, "4105" }, { 240512, "240512" }, { -1500, "-1500" },
		{ 0.0001, "0.0001" }, { -0.00012, "-0.00012" }, { 2.5e9, "2.5e+09" },
		{ 1e9, "1e+09" }, { 999999999, "999999999" },
	};
	struct buf b = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		buf_reset(&b);
		fmt_value(&b, t[i].v);
		if (strcmp(b.buf, t[i].out))
			fail_msg("fmt_value(%.17g) = '%s', want '%s'", t[i].v, b.buf, t[i].out);
	}
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_text_golden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_golden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_minimal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gobench_golden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gobench_parses_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gobench_run_without_go_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_no_pmu_and_no_extras, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_single_rep_and_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fmt_value, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
