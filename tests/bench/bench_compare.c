/*
 * How fast is `perfgo compare` on files?  Writes two Go benchmark files of
 * 1,000 benchmarks x 20 repetitions (ns/op, B/op, allocs/op on each line,
 * one benchmark in ten 5 % slower) into a private directory under /tmp,
 * then times reading and parsing them, the comparison (series sets, 3,000
 * cmp_pair()s, Holm, verdicts), the text and JSON reports, and the whole
 * command end to end with its output sent to /dev/null.  Prints wall-clock
 * times (best and median of several rounds); it never fails on time, only
 * reports (DESIGN §9).
 */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "analysis/compare.h"
#include "cli/cli.h"
#include "collect/gobench.h"
#include "collect/gobench_series.h"
#include "compare_formats.h"
#include "util/buf.h"
#include "util/io.h"
#include "stats.h"
#include "bench.h"
#include "gen_compare.h"

/* go test -count 20 style: each benchmark's repetitions one after the other. */
static void make_file(const char *path, struct rng *r, int slower)
{
	struct buf b = BUF_INIT;

	gen_compare_file(&b, r, slower);
	if (buf_write_file(&b, path))
		exit(1);
	buf_release(&b);
}

static void load(const char *path, struct gb_file *f)
{
	struct buf b = BUF_INIT;

	if (buf_read_file(&b, path, 0) < 0 || gb_parse(b.buf, b.len, path, f)) {
		fprintf(stderr, "bench_compare: cannot parse '%s'\n", path);
		exit(1);
	}
	buf_release(&b);
}

static int run_command(const char *old, const char *new)
{
	const char *argv[] = { "compare", old, new };
	struct ctx ctx = { 0 };
	int saved = dup(1), devnull = open("/dev/null", O_WRONLY), ret;

	fflush(stdout);
	dup2(devnull, 1);
	ret = cmd_compare(3, argv, &ctx);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(devnull);
	return ret;
}

int main(void)
{
	char dir[] = "/tmp/perfgo-bench-compare.XXXXXX";
	struct buf old = BUF_INIT, new = BUF_INIT, out = BUF_INIT;
	struct gb_file fo = GB_FILE_INIT, fn = GB_FILE_INIT;
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct series_set so = SERIES_SET_INIT, sn = SERIES_SET_INIT;
	struct compare_report rep;
	double t[ROUNDS], t0;
	char extra[96];
	struct rng r;
	int code = 0;

	if (!mkdtemp(dir))
		return 1;
	buf_addf(&old, "%s/old.txt", dir);
	buf_addf(&new, "%s/new.txt", dir);
	rng_seed(&r, 7);
	make_file(old.buf, &r, 0);
	make_file(new.buf, &r, 1);

	for (int k = 0; k < ROUNDS; k++) {
		gb_file_release(&fo);
		gb_file_release(&fn);
		t0 = bench_now();
		load(old.buf, &fo);
		load(new.buf, &fn);
		t[k] = bench_now() - t0;
	}
	snprintf(extra, sizeof(extra), "(%zu + %zu result lines)", fo.nr, fn.nr);
	bench_report("read + parse two files, 1000 benchmarks x 20", t, extra);

	for (int k = 0; k < ROUNDS; k++) {
		series_set_release(&so);
		series_set_release(&sn);
		t0 = bench_now();
		gb_file_series(&fo, "old.txt", &so);
		gb_file_series(&fn, "new.txt", &sn);
		compare_build(&rep, &so, &sn, 1, &o);
		t[k] = bench_now() - t0;
		if (k + 1 < ROUNDS)
			compare_report_release(&rep);
	}
	snprintf(extra, sizeof(extra), "(%zu pairs, %zu regressions of 100 planted)",
		 rep.blocks[0].family, rep.regressions);
	bench_report("series + compare_build: 3000 cmp_pair, Holm, verdicts", t, extra);

	for (int k = 0; k < ROUNDS; k++) {
		buf_reset(&out);
		t0 = bench_now();
		compare_report_text(&out, &rep);
		t[k] = bench_now() - t0;
	}
	snprintf(extra, sizeof(extra), "(%zu bytes)", out.len);
	bench_report("text report", t, extra);
	for (int k = 0; k < ROUNDS; k++) {
		buf_reset(&out);
		t0 = bench_now();
		compare_report_json(&out, &rep);
		t[k] = bench_now() - t0;
	}
	snprintf(extra, sizeof(extra), "(%zu bytes)", out.len);
	bench_report("json report", t, extra);
	compare_report_release(&rep);

	for (int k = 0; k < ROUNDS; k++) {
		t0 = bench_now();
		code = run_command(old.buf, new.buf);
		t[k] = bench_now() - t0;
	}
	snprintf(extra, sizeof(extra), "(exit %d)", code);
	bench_report("perfgo compare old.txt new.txt, end to end", t, extra);

	unlink(old.buf);
	unlink(new.buf);
	rmdir(dir);
	series_set_release(&so);
	series_set_release(&sn);
	gb_file_release(&fo);
	gb_file_release(&fn);
	buf_release(&old);
	buf_release(&new);
	buf_release(&out);
	return 0;
}
