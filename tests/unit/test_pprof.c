/*
 * Unit tests for harness/profile/pprof.c: a profile built by hand is
 * encoded, gunzipped with zlib and decoded back with protobuf-c's unpack
 * of the same profile.proto, and every field pprof reads is asserted:
 * sample and period types with their units, period, time and duration,
 * labels, mappings (range, offset, file, build ID, symbolization flags),
 * locations with inlined lines (innermost first) and functions with their
 * files.  (t7100 reads real profiles with the real go tool pprof.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "common.h"
#include "profile.pb-c.h"
#include "profile/pprof.h"
#include "profile/profile.h"
#include "util/buf.h"

static Perftools__Profiles__Profile *decode(const struct buf *gz)
{
	z_stream z;
	struct buf raw = BUF_INIT;
	Perftools__Profiles__Profile *pb;
	int zr;

	/* A gzip stream (windowBits 15 + 16), as on disk. */
	assert_true(gz->len > 2 && (unsigned char)gz->buf[0] == 0x1f && (unsigned char)gz->buf[1] == 0x8b);
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)gz->buf;
	z.avail_in = (uInt)gz->len;
	do {
		buf_grow(&raw, 1 << 16);
		z.next_out = (Bytef *)raw.buf + raw.len;
		z.avail_out = (uInt)(raw.alloc - raw.len - 1);
		zr = inflate(&z, Z_NO_FLUSH);
		buf_setlen(&raw, (size_t)((char *)z.next_out - raw.buf));
	} while (zr == Z_OK);
	inflateEnd(&z);
	assert_int_equal(zr, Z_STREAM_END);
	pb = perftools__profiles__profile__unpack(NULL, raw.len, (const uint8_t *)raw.buf);
	buf_release(&raw);
	assert_non_null(pb);
	return pb;
}

static const char *str(const Perftools__Profiles__Profile *pb, int64_t i)
{
	assert_true(i >= 0 && (size_t)i < pb->n_string_table);
	return pb->string_table[i];
}

static void test_roundtrip(void **state)
{
	struct profile p;
	struct buf gz = BUF_INIT;
	Perftools__Profiles__Profile *pb;
	uint32_t m1, m2, l1, l2, l3, stack[3];
	struct prof_line inl[2];
	int created;
	(void)state;

	profile_init(&p);
	m1 = profile_map(&p, 0xffffffff81000000ull, 0xffffffff82000000ull, 0xffffffff81000000ull,
			 "[kernel.kallsyms]");
	m2 = profile_map(&p, 0x400000, 0x4f7000, 0, "/tmp/x/pkg.test");
	l1 = profile_loc(&p, m2, 0x401000, &created);
	l2 = profile_loc(&p, m2, 0x402000, &created);
	l3 = profile_loc(&p, m1, 0xffffffff81000100ull, &created);
	/* l1: leaf() inlined into caller(); innermost first. */
	inl[0].func = profile_func(&p, profile_str(&p, "pkg.leaf", 8), profile_str(&p, "/src/a.go", 9), 10);
	inl[0].line = 12;
	inl[1].func = profile_func(&p, profile_str(&p, "pkg.caller", 10), profile_str(&p, "/src/a.go", 9), 20);
	inl[1].line = 25;
	profile_loc_lines(&p, l1, inl, 2);
	inl[0].func = profile_func(&p, profile_str(&p, "pkg.Bench", 9), profile_str(&p, "/src/a_test.go", 14), 0);
	inl[0].line = 40;
	profile_loc_lines(&p, l2, inl, 1);
	inl[0].func = profile_func(&p, profile_str(&p, "do_syscall", 10), 0, 0);
	inl[0].line = 0;
	profile_loc_lines(&p, l3, inl, 1);
	p.maps[m2 - 1].symbolized = 1;
	p.maps[m2 - 1].build_id = strdup("go-build-id/xyz");
	profile_main_map(&p, m2);
	stack[0] = l3;
	stack[1] = l1;
	stack[2] = l2;
	profile_sample(&p, stack + 1, 2, 7, 250000);
	profile_sample(&p, stack + 1, 2, 7, 250000);
	profile_sample(&p, stack, 3, 8, 250000);
	p.event = strdup("cpu-clock");
	p.benchmark = strdup("BenchmarkX-2");
	p.pid = 4242;
	p.time_ns = 1700000000000000000LL;
	p.duration_ns = 123456789;

	assert_int_equal(pprof_encode(&p, &gz), 0);
	pb = decode(&gz);

	assert_string_equal(str(pb, 0), "");
	assert_int_equal(pb->n_sample_type, 2);
	assert_string_equal(str(pb, pb->sample_type[0]->type), "samples");
	assert_string_equal(str(pb, pb->sample_type[0]->unit), "count");
	assert_string_equal(str(pb, pb->sample_type[1]->type), "cpu-clock");
	assert_string_equal(str(pb, pb->sample_type[1]->unit), "nanoseconds");
	assert_string_equal(str(pb, pb->default_sample_type), "cpu-clock");
	assert_non_null(pb->period_type);
	assert_string_equal(str(pb, pb->period_type->type), "cpu-clock");
	assert_string_equal(str(pb, pb->period_type->unit), "nanoseconds");
	assert_int_equal(pb->period, 250000);      /* the mean: no nominal period given */
	assert_int_equal(pb->time_nanos, 1700000000000000000LL);
	assert_int_equal(pb->duration_nanos, 123456789);

	/* Samples: aggregated by (stack, tid), values [count, period sum], three labels. */
	assert_int_equal(pb->n_sample, 2);
	assert_int_equal(pb->sample[0]->n_value, 2);
	assert_int_equal(pb->sample[0]->value[0], 2);
	assert_int_equal(pb->sample[0]->value[1], 500000);
	assert_int_equal(pb->sample[0]->n_location_id, 2);
	assert_int_equal(pb->sample[0]->location_id[0], l1);
	assert_int_equal(pb->sample[1]->n_location_id, 3);
	assert_int_equal(pb->sample[1]->location_id[0], l3);
	assert_int_equal(pb->sample[0]->n_label, 3);
	assert_string_equal(str(pb, pb->sample[0]->label[0]->key), "benchmark");
	assert_string_equal(str(pb, pb->sample[0]->label[0]->str), "BenchmarkX-2");
	assert_string_equal(str(pb, pb->sample[0]->label[1]->key), "pid");
	assert_int_equal(pb->sample[0]->label[1]->num, 4242);
	assert_string_equal(str(pb, pb->sample[1]->label[2]->key), "tid");
	assert_int_equal(pb->sample[1]->label[2]->num, 8);

	/* Mappings: the main binary first, ids renumbered. */
	assert_int_equal(pb->n_mapping, 2);
	assert_int_equal(pb->mapping[0]->id, 1);
	assert_string_equal(str(pb, pb->mapping[0]->filename), "/tmp/x/pkg.test");
	assert_string_equal(str(pb, pb->mapping[0]->build_id), "go-build-id/xyz");
	assert_int_equal(pb->mapping[0]->memory_start, 0x400000);
	assert_int_equal(pb->mapping[0]->memory_limit, 0x4f7000);
	assert_int_equal(pb->mapping[0]->file_offset, 0);
	assert_true(pb->mapping[0]->has_functions && pb->mapping[0]->has_filenames &&
		    pb->mapping[0]->has_line_numbers && pb->mapping[0]->has_inline_frames);
	assert_string_equal(str(pb, pb->mapping[1]->filename), "[kernel.kallsyms]");
	assert_true(pb->mapping[1]->has_functions);
	assert_false(pb->mapping[1]->has_line_numbers);
	assert_int_equal(pb->mapping[1]->build_id, 0);

	/* Locations and their lines; functions with files and start lines. */
	assert_int_equal(pb->n_location, 3);
	{
		const Perftools__Profiles__Location *loc = pb->location[l1 - 1];
		const Perftools__Profiles__Function *fn;

		assert_int_equal(loc->id, l1);
		assert_int_equal(loc->mapping_id, 1);
		assert_int_equal(loc->address, 0x401000);
		assert_int_equal(loc->n_line, 2);
		fn = pb->function[loc->line[0]->function_id - 1];
		assert_int_equal(fn->id, loc->line[0]->function_id);
		assert_string_equal(str(pb, fn->name), "pkg.leaf");
		assert_string_equal(str(pb, fn->filename), "/src/a.go");
		assert_int_equal(fn->start_line, 10);
		assert_int_equal(loc->line[0]->line, 12);
		fn = pb->function[loc->line[1]->function_id - 1];
		assert_string_equal(str(pb, fn->name), "pkg.caller");
		assert_int_equal(loc->line[1]->line, 25);
		assert_int_equal(pb->location[l3 - 1]->mapping_id, 2);
	}
	perftools__profiles__profile__free_unpacked(pb, NULL);
	buf_release(&gz);
	profile_release(&p);
}

static void test_units(void **state)
{
	(void)state;
	assert_string_equal(pprof_event_unit("cpu-clock"), "nanoseconds");
	assert_string_equal(pprof_event_unit("cpu-clock:ppp"), "nanoseconds");
	assert_string_equal(pprof_event_unit("task-clock"), "nanoseconds");
	assert_string_equal(pprof_event_unit("cycles"), "count");
	assert_string_equal(pprof_event_unit("cpu/event=0x3c/"), "count");
	assert_string_equal(pprof_event_unit("cpu-clocks"), "count");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_units, setup_capture, teardown_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
