/*
 * Unit tests for harness/collect/perf_script.c (the perf script parser and
 * its aggregation into a profile) on a real recording from this machine's
 * perf 6.1 (tests/data/perfscript/README.txt) and on hand-made input:
 * kernel frames, [unknown], comm and dso paths with spaces and
 * parentheses, truncated and garbage lines, a last sample without its
 * blank line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common.h"
#include "collect/perf_script.h"
#include "profile/profile.h"
#include "util/buf.h"

static void feed(struct pscript *ps, const char *text, size_t len)
{
	const char *s = text, *end = text + len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		pscript_line(ps, s, n);
		s += n + (nl != NULL);
	}
	pscript_finish(ps);
}

/* The name of location `loc`'s first (innermost) line's function, or "". */
static const char *loc_func(const struct profile *p, uint32_t loc)
{
	const struct prof_loc *l = &p->locs[loc - 1];

	if (!l->nline)
		return "";
	return p->str[p->funcs[p->lines[l->line0].func - 1].name];
}

static uint32_t find_loc(const struct profile *p, uint32_t map, uint64_t addr)
{
	for (size_t i = 0; i < p->nlocs; i++)
		if (p->locs[i].map == map && p->locs[i].addr == addr)
			return (uint32_t)i + 1;
	return 0;
}

static void test_recorded(void **state)
{
	struct buf b = BUF_INIT;
	struct profile p;
	struct pscript ps;
	const struct pscript_map *bin, *kern;
	int64_t count = 0, period = 0;
	uint32_t loc;
	(void)state;

	read_fixture(&b, "tests/data/perfscript/branch-random.txt");
	profile_init(&p);
	pscript_init(&ps, &p);
	feed(&ps, b.buf, b.len);
	/* 23 sample headers in the file, none unreadable. */
	assert_int_equal(ps.samples, 23);
	assert_int_equal(ps.bad, 0);
	assert_int_equal(p.total_samples, 23);
	assert_int_equal(p.pid, 18525);
	for (size_t i = 0; i < p.nsamples; i++) {
		count += p.samples[i].count;
		period += p.samples[i].period;
	}
	assert_int_equal(count, 23);
	assert_int_equal(period, 23 * 2000000LL);

	bin = pscript_find_map(&ps, "/tmp/prof/bp/bp.test");
	assert_non_null(bin);
	assert_int_equal(bin->start, 0x400000);
	assert_int_equal(bin->limit, 0x4f7000);
	assert_int_equal(bin->pgoff, 0);
	kern = pscript_find_map(&ps, "[kernel.kallsyms]");
	assert_non_null(kern);
	assert_int_equal(kern->start, 0xffffffff81000000ull);
	/* "b23b runtime.lock2": relative to the mapping, so 0x40b23b at run time. */
	loc = find_loc(&p, bin->id, 0x40b23b);
	assert_true(loc > 0);
	assert_string_equal(loc_func(&p, loc), "runtime.lock2");
	assert_true(p.locs[loc - 1].leaf);
	/* testing.(*M).Run at b99b1 is a caller, never a leaf. */
	loc = find_loc(&p, bin->id, 0x4b99b1);
	assert_true(loc > 0);
	assert_string_equal(loc_func(&p, loc), "testing.(*M).Run");
	assert_true(p.locs[loc - 1].caller);
	assert_false(p.locs[loc - 1].leaf);
	/* Kernel addresses are absolute. */
	for (size_t i = 0; i < p.nlocs; i++)
		if (p.locs[i].map == kern->id)
			assert_true(p.locs[i].addr >= kern->start);
	/* 1.7 ms between the first and the last sample's time stamps, or so. */
	assert_true(ps.last_ns > ps.first_ns);
	pscript_release(&ps);
	profile_release(&p);
	buf_release(&b);
}

static const char handmade[] =
	"my prog 12 100/101 5.000001: PERF_RECORD_MMAP2 100/101: [0x400000(0x1000) @ 0 fe:00 1 2]: r-xp /opt/my dir (v2)/a.out\n"
	"my prog 12 100/101 5.000002: PERF_RECORD_MMAP2 100/101: [0x600000(0x1000) @ 0 fe:00 1 2]: r--p /opt/data\n"
	"my prog 12 100/101 5.000003: PERF_RECORD_COMM exec: my prog 12:100/101\n"
	"my prog 12   100/101   10.500000:     1000 cpu-clock:ppp: \n"
	"\t            10 main.f (/opt/my dir (v2)/a.out)\n"
	"\t            20 operator() (int) const (/opt/my dir (v2)/a.out)\n"
	"\t  7fff00001234 [unknown] ([unknown])\n"
	"\t  7f0000000010 memcpy (/lib/libc.so.6)\n"
	"\n"
	"my prog 12   100/101   10.600000:     3000 cpu-clock:ppp: \n"
	"\t            10 main.f (/opt/my dir (v2)/a.out)\n"
	"\t            20 operator() (int) const (/opt/my dir (v2)/a.out)\n"
	"\t  7fff00001234 [unknown] ([unknown])\n"
	"\t  7f0000000010 memcpy (/lib/libc.so.6)\n"
	"\n"
	/* Another thread: its own sample. */
	"my prog 12   100/102   10.700000:     1000 cpu-clock:ppp: \n"
	"\t            10 main.f (/opt/my dir (v2)/a.out)\n"
	"\n"
	/* Truncated header: the whole sample is skipped. */
	"my prog 12   100/102   10.8000\n"
	"\t            10 main.f (/opt/my dir (v2)/a.out)\n"
	"\n"
	/* Garbage frame and a truncated frame (no dso): counted, the latter kept. */
	"my prog 12   100/101   11.000000:     1000 cpu-clock:ppp: \n"
	"\tzzzz not an address\n"
	"\t            30 main.g (/opt/my dir (v2\n"
	"\t            10 main.f (/opt/my dir (v2)/a.out)\n"
	"\n"
	/* A frame line with no sample header before it. */
	"\t            10 main.f (/opt/my dir (v2)/a.out)\n"
	/* Last sample without its blank line. */
	"x 1/2 3.000004: 5 cpu-clock:\n"
	"\tffffffff81000010 do_syscall ([kernel.kallsyms])\n";

static void test_handmade(void **state)
{
	struct profile p;
	struct pscript ps;
	const struct pscript_map *bin;
	uint32_t f, g;
	(void)state;

	profile_init(&p);
	pscript_init(&ps, &p);
	feed(&ps, handmade, strlen(handmade));
	/* Samples: 2 same stack, 1 other thread, 1 with a truncated frame, 1 last. */
	assert_int_equal(ps.samples, 5);
	/* Bad: the truncated header, the garbage frame, the truncated frame, the orphan frame. */
	assert_int_equal(ps.bad, 4);
	assert_int_equal(p.nsamples, 4);
	assert_int_equal(p.samples[0].count, 2);
	assert_int_equal(p.samples[0].period, 4000);
	assert_int_equal(p.samples[0].tid, 101);
	assert_int_equal(p.samples[0].nstack, 4);
	assert_int_equal(p.samples[1].tid, 102);
	assert_int_equal(p.samples[3].tid, 2);
	assert_int_equal(p.samples[3].period, 5);
	/* The executable mapping with spaces and parentheses in its path; not the data one. */
	bin = pscript_find_map(&ps, "/opt/my dir (v2)/a.out");
	assert_non_null(bin);
	assert_null(pscript_find_map(&ps, "/opt/data"));
	f = find_loc(&p, bin->id, 0x400010);
	assert_true(f > 0);
	assert_string_equal(loc_func(&p, f), "main.f");
	assert_string_equal(loc_func(&p, find_loc(&p, bin->id, 0x400020)), "operator() (int) const");
	/* [unknown]: no mapping, no function. */
	assert_int_equal(p.locs[p.stacks[p.samples[0].stack0 + 2] - 1].map, 0);
	assert_int_equal(p.locs[p.stacks[p.samples[0].stack0 + 2] - 1].nline, 0);
	/* A dso without an mmap record gets a mapping of its own, with no range. */
	assert_non_null(pscript_find_map(&ps, "/lib/libc.so.6"));
	assert_int_equal(pscript_find_map(&ps, "/lib/libc.so.6")->start, 0);
	/* The truncated frame kept its address, without a mapping. */
	g = find_loc(&p, 0, 0x30);
	assert_true(g > 0);
	pscript_release(&ps);
	profile_release(&p);
}

/* Hashing, not a merge: many samples over few stacks stay few rows. */
static void test_aggregation(void **state)
{
	struct profile p;
	uint32_t stack[3];
	int created;
	(void)state;

	profile_init(&p);
	for (int i = 0; i < 3; i++)
		stack[i] = profile_loc(&p, 0, 0x1000 + (uint64_t)i, &created);
	for (int i = 0; i < 100000; i++)
		profile_sample(&p, stack + (i % 2), 3 - (size_t)(i % 2), i % 3, 10);
	assert_int_equal(p.nlocs, 3);
	assert_int_equal(p.nsamples, 6);
	assert_int_equal(p.total_samples, 100000);
	{
		int64_t sum = 0;

		for (size_t i = 0; i < p.nsamples; i++)
			sum += p.samples[i].period;
		assert_int_equal(sum, 1000000);
	}
	/* The same location again is not a new one. */
	assert_int_equal(profile_loc(&p, 0, 0x1001, &created), stack[1]);
	assert_false(created);
	profile_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_recorded, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_handmade, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_aggregation, setup_capture, teardown_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
