/*
 * Unit tests for harness/util/json.c, perfgo's conventions on top of
 * jansson: the number spelling (non-finite -> null, integral -> integer,
 * otherwise %.17g as the hand-written JSON had it, but with jansson's
 * exponent: no '+', no leading zeros), strings (NULL -> null, invalid
 * UTF-8 -> U+FFFD per bad byte, valid UTF-8 kept byte for byte), string
 * vectors, and json_to_buf() with compact and default flags.  Every case
 * serializes the value and compares the exact bytes.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common.h"
#include "util/json.h"
#include "util/strvec.h"
#include "util/usage.h"

/* The compact serialization of `v`, which is released. */
static void check_json(const char *row, json_t *v, const char *want)
{
	struct buf b = BUF_INIT;

	if (!v)
		buf_addstr(&b, "(NULL json_t)");
	else if (json_to_buf(&b, v, JSON_COMPACT))
		buf_addstr(&b, "(json_to_buf failed)");
	json_decref(v);
	check_str(row, "json", b.buf, want);
	buf_release(&b);
}

/* ---- json_num ---------------------------------------------------------- */

static void test_num(void **state)
{
	static const struct {
		const char *row;
		double v;
		const char *want;
	} cases[] = {
		{ "nan", NAN, "null" },
		{ "+inf", INFINITY, "null" },
		{ "-inf", -INFINITY, "null" },
		{ "zero", 0.0, "0" },
		/* jansson keeps the sign of zero as a real; the old writer said "-0". */
		{ "negative zero", -0.0, "-0.0" },
		{ "integral", 5.0, "5" },
		{ "negative integral", -1234.0, "-1234" },
		{ "half", 1.5, "1.5" },
		{ "tenth", 0.1, "0.10000000000000001" },
		{ "third", 1.0 / 3, "0.33333333333333331" },
		{ "1e-07", 1e-07, "9.9999999999999995e-8" },
		{ "small", 2.5e-300, "2.5e-300" },
		{ "3.3e-09", 3.3e-09, "3.3000000000000002e-9" },
		{ "7.1e-05", 7.1e-05, "7.1000000000000005e-5" },
		{ "smallest denormal", 4.9406564584124654e-324, "4.9406564584124654e-324" },
		{ "2^53 - 1", 9007199254740991.0, "9007199254740991" },
		/* %.17g writes every integral double below 1e17 as digits. */
		{ "2^53", 9007199254740992.0, "9007199254740992" },
		{ "2^53 + 2", 9007199254740994.0, "9007199254740994" },
		{ "-2^53", -9007199254740992.0, "-9007199254740992" },
		{ "1e16", 1e16, "10000000000000000" },
		{ "largest below 1e17", 99999999999999984.0, "99999999999999984" },
		{ "1e17", 1e17, "1e17" },
		{ "-1e17", -1e17, "-1e17" },
		{ "1.2345678901234568e17", 123456789012345678.0, "1.2345678901234568e17" },
		{ "2^63", 9223372036854775808.0, "9.2233720368547758e18" },
		{ "max", DBL_MAX, "1.7976931348623157e308" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		check_json(cases[i].row, json_num(cases[i].v), cases[i].want);
	failures_check("json_num");
}

/* Every finite double reads back as itself (the point of 17 digits). */
static void test_num_round_trip(void **state)
{
	static const double values[] = {
		0.1, 1.0 / 3, 1e-07, 2.5e-300, 123.456, -7.25e10, 9007199254740993.0,
		1e17, 6.02214076e23, DBL_MIN, DBL_MAX, DBL_EPSILON, 4.9406564584124654e-324,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
		struct buf b = BUF_INIT;
		json_t *v = json_num(values[i]), *back;

		assert_int_equal(json_to_buf(&b, v, JSON_COMPACT), 0);
		back = json_loads(b.buf, JSON_DECODE_ANY, NULL);
		assert_non_null(back);
		if (json_number_value(back) != values[i])
			fail_msg("%.17g written as %s reads back as %.17g", values[i], b.buf,
				 json_number_value(back));
		json_decref(back);
		json_decref(v);
		buf_release(&b);
	}
}

/* ---- json_str, json_str_or_empty, json_strvec ------------------------- */

static void test_str(void **state)
{
	static const struct {
		const char *row;
		const char *in;
		const char *want;
	} cases[] = {
		{ "NULL", NULL, "null" },
		{ "empty", "", "\"\"" },
		{ "plain", "BenchmarkSum-2", "\"BenchmarkSum-2\"" },
		{ "escapes", "a\"b\\c\nd\te\rf/", "\"a\\\"b\\\\c\\nd\\te\\rf/\"" },
		/* jansson's spelling of other control characters: upper-case hex. */
		{ "controls", "\x01\x1f\x7f", "\"\\u0001\\u001F\x7f\"" },
		{ "two-byte", "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
		{ "three-byte", "\xe2\x82\xac", "\"\xe2\x82\xac\"" },
		{ "four-byte", "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"" },
		{ "last code point", "\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"" },
		{ "bad byte", "a\xff" "b", "\"a\xef\xbf\xbd" "b\"" },
		{ "truncated at the end", "a\xc3", "\"a\xef\xbf\xbd\"" },
		{ "truncated before ascii", "\xe2\x82z", "\"\xef\xbf\xbd\xef\xbf\xbdz\"" },
		{ "lone continuation", "\x80", "\"\xef\xbf\xbd\"" },
		{ "overlong slash", "\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "overlong three-byte", "\xe0\x80\xaf",
		  "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "surrogate", "\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "past U+10FFFF", "\xf4\x90\x80\x80",
		  "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "valid kept beside bad", "\xc3\xa9\xff\xc3\xa9", "\"\xc3\xa9\xef\xbf\xbd\xc3\xa9\"" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		check_json(cases[i].row, json_str(cases[i].in), cases[i].want);
	check_json("or_empty NULL", json_str_or_empty(NULL), "\"\"");
	check_json("or_empty text", json_str_or_empty("x"), "\"x\"");
	check_json("or_empty bad", json_str_or_empty("\xfe"), "\"\xef\xbf\xbd\"");
	failures_check("json_str");
}

static void test_strvec(void **state)
{
	struct strvec v = STRVEC_INIT;

	(void)state;
	check_json("empty", json_strvec(&v), "[]");
	strvec_pushl(&v, "perfgo", "test", "-bench=Sum\xff", "", "a\"b", NULL);
	check_json("argv", json_strvec(&v), "[\"perfgo\",\"test\",\"-bench=Sum\xef\xbf\xbd\",\"\",\"a\\\"b\"]");
	strvec_clear(&v);
	failures_check("json_strvec");
}

/* ---- json_to_buf ------------------------------------------------------- */

static json_t *sample_doc(void)
{
	json_t *o = json_object(), *a = json_array();

	json_object_set_new(o, "schema", json_str("perfgo.test/1"));
	json_object_set_new(o, "n", json_num(3));
	json_array_append_new(a, json_num(1.5));
	json_array_append_new(a, json_num(NAN));
	json_object_set_new(o, "values", a);
	json_object_set_new(o, "empty", json_object());
	json_object_set_new(o, "ok", json_true());
	return o;
}

static void test_to_buf(void **state)
{
	json_t *doc = sample_doc();
	struct buf b = BUF_INIT;

	(void)state;
	/* Appends; keys in insertion order. */
	buf_addstr(&b, "before:");
	assert_int_equal(json_to_buf(&b, doc, JSON_COMPACT), 0);
	assert_string_equal(b.buf, "before:{\"schema\":\"perfgo.test/1\",\"n\":3,"
			    "\"values\":[1.5,null],\"empty\":{},\"ok\":true}");

	/* Default flags: one line, a space after ':' and ','. */
	buf_reset(&b);
	assert_int_equal(json_to_buf(&b, doc, 0), 0);
	assert_string_equal(b.buf, "{\"schema\": \"perfgo.test/1\", \"n\": 3, "
			    "\"values\": [1.5, null], \"empty\": {}, \"ok\": true}");

	buf_reset(&b);
	assert_int_equal(json_to_buf(&b, doc, JSON_INDENT(2)), 0);
	assert_string_equal(b.buf, "{\n  \"schema\": \"perfgo.test/1\",\n  \"n\": 3,\n"
			    "  \"values\": [\n    1.5,\n    null\n  ],\n  \"empty\": {},\n"
			    "  \"ok\": true\n}");

	/* A bare scalar is a document too (JSON_ENCODE_ANY). */
	buf_reset(&b);
	json_decref(doc);
	doc = json_num(42);
	assert_int_equal(json_to_buf(&b, doc, JSON_COMPACT), 0);
	assert_string_equal(b.buf, "42");
	json_decref(doc);

	/* No value: an error, nothing appended. */
	buf_reset(&b);
	assert_int_equal(json_to_buf(&b, NULL, JSON_COMPACT), -1);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

/* What jansson writes for json_num(v) / json_str(s), to compare the tree-less writers with. */
static void via_jansson(struct buf *out, json_t *v)
{
	buf_reset(out);
	assert_int_equal(json_to_buf(out, v, JSON_COMPACT), 0);
	json_decref(v);
}

static uint64_t next_bits(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void check_num(struct buf *want, struct buf *got, double v)
{
	via_jansson(want, json_num(v));
	buf_reset(got);
	json_num_to_buf(got, v);
	if (strcmp(want->buf, got->buf))
		fail_msg("%.17g (%a): jansson '%s', json_num_to_buf '%s'", v, v, want->buf, got->buf);
}

/*
 * json_num_to_buf() writes what jansson writes for json_num(): special
 * values, the decimals benchmark files hold, values near powers of ten
 * and ties of the 17th digit, and random bit patterns over every range.
 */
static void test_num_to_buf(void **state)
{
	static const double special[] = { 0.0, -0.0, 1.0, -1.0, 0.5, 1e-6, 9.999999999999999e-7,
		1e-7, 1e16, 1e17, 99999999999999984.0, 1e17 - 16, 0.1, 0.3, 1.0 / 3, 2.0 / 3,
		DBL_MIN, DBL_MAX, -DBL_MAX, 5e-324, 123456.789, 0.05, 0.95, 0.8, 1.05,
		9.9999999999999995e-5, 0.00010000000000000001, NAN, INFINITY, -INFINITY };
	struct buf want = BUF_INIT, got = BUF_INIT;
	uint64_t x = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		check_num(&want, &got, special[i]);
	for (int i = 0; i < 200000; i++) {
		uint64_t b = next_bits(&x);
		double v;

		/* A decimal m / 10^k as `go test` prints them, and its neighbours. */
		v = (double)(b % 100000000) / pow(10.0, (double)((b >> 40) % 12));
		check_num(&want, &got, v);
		check_num(&want, &got, nextafter(v, 0.0));
		check_num(&want, &got, -nextafter(v, INFINITY));
		/* Any exponent between 1e-8 and 1e18, any mantissa. */
		v = ldexp((double)(b >> 11) / 9007199254740992.0 + 0.5, (int)((b & 127) % 90) - 30);
		check_num(&want, &got, v);
		/* Raw bit patterns: every range, fast path or not. */
		memcpy(&v, &b, sizeof(v));
		check_num(&want, &got, v);
	}
	buf_release(&want);
	buf_release(&got);
}

/* json_str_to_buf() and json_key_to_buf() write what jansson writes. */
static void test_str_to_buf(void **state)
{
	static const char *const strs[] = { "", "plain", "quote \" back\\slash /", "\x01\x1f\x7f",
		"tab\tnl\ncr\rbs\bff\f", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		"bad \xff\xfe byte", "\xc0\xaf overlong", "\xed\xa0\x80 surrogate",
		"cut \xe2\x82", "BenchmarkX/size=1-8" };
	struct buf want = BUF_INIT, got = BUF_INIT;
	uint64_t x = 7;
	char rnd[16];

	(void)state;
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		json_t *o = json_object();

		via_jansson(&want, json_str(strs[i]));
		buf_reset(&got);
		json_str_to_buf(&got, strs[i]);
		assert_string_equal(got.buf, want.buf);
		/* As a key: jansson keeps valid UTF-8 keys only. */
		buf_reset(&got);
		buf_addch(&got, '{');
		if (!json_key_to_buf(&got, strs[i]))
			buf_addstr(&got, "1");
		buf_addch(&got, '}');
		json_object_set_new(o, strs[i], json_integer(1));
		via_jansson(&want, o);
		assert_string_equal(got.buf, want.buf);
	}
	via_jansson(&want, json_str(NULL));
	buf_reset(&got);
	json_str_to_buf(&got, NULL);
	assert_string_equal(got.buf, want.buf);
	for (int i = 0; i < 20000; i++) {
		for (size_t j = 0; j + 1 < sizeof(rnd); j++) {
			rnd[j] = (char)(next_bits(&x) % 255 + 1);
			if (rnd[j] & 0x80 && next_bits(&x) % 2)
				rnd[j] = (char)((rnd[j] & 0x7f) | 0x40);
		}
		rnd[sizeof(rnd) - 1] = '\0';
		via_jansson(&want, json_str(rnd));
		buf_reset(&got);
		json_str_to_buf(&got, rnd);
		assert_string_equal(got.buf, want.buf);
	}
	buf_release(&want);
	buf_release(&got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_num),
		cmocka_unit_test(test_num_round_trip),
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_strvec),
		cmocka_unit_test(test_to_buf),
		cmocka_unit_test(test_num_to_buf),
		cmocka_unit_test(test_str_to_buf),
	};

	return cmocka_run_group_tests(tests, setup_capture, teardown_capture);
}
