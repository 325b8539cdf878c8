/*
 * Unit tests for the escaping of every output format: reporters/escape.c
 * (xml_escape, md_cell_escape, md_code_span, each with a table of exact
 * outputs for hostile inputs) and JSON strings and numbers as perfgo writes
 * them through jansson (util/json.c).
 *
 * The exact tables are backed by real parsers: a JSON document and an XML
 * document built with these functions are read back by python3's json and
 * xml.etree modules (run through fork/execv, never a shell), and what they
 * decode must be the original strings.  Numbers written by json_num must
 * match the JSON number grammar and read back bit for bit with strtod().
 */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "common.h"
#include "util/buf.h"
#include "escape.h"
#include "util/json.h"
#include "util/usage.h"

struct scase {
	const char *in, *out;
};

static void check_table(void (*fn)(struct buf *, const char *), const char *fname,
			const struct scase *t, size_t n)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		buf_reset(&b);
		fn(&b, t[i].in);
		if (strcmp(b.buf, t[i].out))
			buf_addf(&failures, "%s(<%s>) = <%s>, want <%s>\n", fname, t[i].in, b.buf,
				 t[i].out);
	}
	/* Every function appends to what the buffer holds. */
	buf_reset(&b);
	buf_addstr(&b, "keep:");
	fn(&b, "x");
	if (!starts_with(b.buf, "keep:"))
		buf_addf(&failures, "%s does not append: <%s>\n", fname, b.buf);
	buf_release(&b);
	failures_check("%s", fname);
}

/* Run python3 with `code` and one file argument; collect stdout; the wait status or -1. */
static int run_python(const char *code, const char *file, struct buf *out)
{
	const char *argv[] = { "python3", "-c", code, file, NULL };

	return run_argv(argv, NULL, out, 0);
}

/* Hostile strings every format must carry (no NUL: these are C strings). */
static const char *const hostile[] = {
	"", "plain", "a\"b", "a\\b", "\\\"", "line1\nline2", "tab\there", "\x01\x02\x1f",
	"\b\f", "\x7f", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "</script>", "a&b<c>d",
	"'single'", "]]>", "BenchmarkX/in=\"a|b\\c\"-2", "%s%n", "{\"k\":1}", "\xe2\x80\xa8",
};

/* ---- JSON strings (util/json.c through jansson) ---------------------- */

/* python3 reads back exactly the strings json_str() carried. */
static void test_json_quote_python(void **state)
{
	static const char code[] =
		"import json,sys\n"
		"v=json.load(open(sys.argv[1],encoding='utf-8'))\n"
		"sys.stdout.buffer.write('\\0'.join(v).encode('utf-8'))\n";
	struct buf doc = BUF_INIT, out = BUF_INIT, want = BUF_INIT;
	char path[PATH_MAX];
	int status;

	(void)state;
	json_t *arr = json_array();

	for (size_t i = 0; i < ARRAY_SIZE(hostile); i++) {
		if (i)
			buf_addch(&want, '\0');
		json_array_append_new(arr, json_str(hostile[i]));
		buf_addstr(&want, hostile[i]);
	}
	assert_int_equal(json_to_buf(&doc, arr, JSON_COMPACT), 0);
	json_decref(arr);
	assert_int_equal(tmpfile_write(path, sizeof(path), "test_escape", &doc), 0);
	status = run_python(code, path, &out);
	unlink(path);
	if (status)
		fail_msg("python3 rejected <%s> (status %d)", doc.buf, status);
	if (out.len != want.len || memcmp(out.buf, want.buf, want.len))
		fail_msg("python3 decoded %zu bytes, want %zu", out.len, want.len);
	buf_release(&doc);
	buf_release(&out);
	buf_release(&want);
}

/* ---- JSON numbers (util/json.c json_num) ------------------------------ */

/* RFC 8259: number = [ minus ] int [ frac ] [ exp ] */
static int is_json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return 0;
	if (*s == '.') {
		s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return !*s;
}

/* json_num() round-trips: strtod gives back the very same bits, for many doubles. */
static void test_json_number_round_trip(void **state)
{
	struct buf b = BUF_INIT;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t checked = 0;

	(void)state;
	assert_true(is_json_number("-0.5e+3"));
	assert_false(is_json_number("01"));
	assert_false(is_json_number("1."));
	assert_false(is_json_number("inf"));
	assert_false(is_json_number("nan"));
	for (int i = 0; i < 200000; i++) {
		double v, back;
		uint64_t bits;
		json_t *num;

		/* xorshift64: every exponent, sign and mantissa pattern. */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		bits = x;
		memcpy(&v, &bits, sizeof(v));
		if (i % 4 == 1)
			v = (double)(x % 100000000) / 1000.0;   /* ordinary per-op values */
		else if (i % 4 == 2)
			v = (double)(int64_t)(x >> 11);        /* large integers */
		buf_reset(&b);
		num = json_num(v);
		assert_int_equal(json_to_buf(&b, num, 0), 0);
		json_decref(num);
		if (!isfinite(v)) {
			assert_string_equal(b.buf, "null");
			continue;
		}
		if (!is_json_number(b.buf))
			fail_msg("json_num(%a) = <%s>: not a JSON number", v, b.buf);
		back = strtod(b.buf, NULL);
		if (memcmp(&back, &v, sizeof(v)))
			fail_msg("json_num(%a) = <%s> reads back as %a", v, b.buf, back);
		checked++;
	}
	assert_true(checked > 190000);
	buf_release(&b);
}

/* ---- xml_escape -------------------------------------------------------- */

static const struct scase xml_cases[] = {
	{ "", "" },
	{ "plain", "plain" },
	{ "&", "&amp;" },
	{ "<", "&lt;" },
	{ ">", "&gt;" },
	{ "\"", "&quot;" },
	{ "'", "&apos;" },
	{ "a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e&apos;f" },
	{ "&amp;", "&amp;amp;" },
	{ "]]>", "]]&gt;" },
	/*
	 * Tab, newline and CR are allowed in XML 1.0; other C0 controls are not
	 * and show as visible escapes, as DEL and C1 controls do (issue 11,
	 * defect 8); bytes that are not UTF-8 and U+FFFE/U+FFFF become U+FFFD.
	 */
	{ "\t\n\r", "\t\n\r" },
	{ "a\x01" "b\x08" "c\x0b" "d\x0c" "e\x0e" "f\x1f" "g",
	  "a\\x01b\\x08c\\x0bd\\x0ce\\x0ef\\x1fg" },
	{ "\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m" },
	{ "\x01", "\\x01" },
	{ "\x7f", "\\x7f" },
	{ "\xc2\x9b" "31m", "\\u009b31m" },
	{ "red\xff", "red\xef\xbf\xbd" },
	{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "a\xe2\x82", "a\xef\xbf\xbd\xef\xbf\xbd" },
	{ "\xef\xbf\xbe\xef\xbf\xbf", "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "<\xff&", "&lt;\xef\xbf\xbd&amp;" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
};

static void test_xml_escape(void **state)
{
	(void)state;
	check_table(xml_escape, "xml_escape", xml_cases, ARRAY_SIZE(xml_cases));
}

/*
 * python3's XML parser reads every escaped string back, as element text and
 * as an attribute value.  Expected: the input with controls escaped.
 * Strings with tab/newline/CR are left out of the attribute check (a
 * conforming parser normalises them to spaces there) and CR out of the text
 * check (normalised to newline).
 */
static void test_xml_escape_python(void **state)
{
	static const char code[] =
		"import sys,xml.etree.ElementTree as ET\n"
		"r=ET.parse(sys.argv[1]).getroot()\n"
		"out=[]\n"
		"for e in r:\n"
		"  out.append(e.text or '')\n"
		"  out.append(e.get('a'))\n"
		"sys.stdout.buffer.write('\\0'.join(out).encode('utf-8'))\n";
	struct buf doc = BUF_INIT, out = BUF_INIT, want = BUF_INIT;
	char path[PATH_MAX];
	int status;

	(void)state;
	buf_addstr(&doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r>");
	for (size_t i = 0; i < ARRAY_SIZE(hostile); i++) {
		const char *s = hostile[i];
		struct buf clean = BUF_INIT;

		for (const char *p = s; *p; p++)
			if (((unsigned char)*p >= 0x20 && *p != 0x7f) || *p == '\t' || *p == '\n' || *p == '\r')
				buf_addch(&clean, *p);
			else
				buf_addf(&clean, "\\x%02x", (unsigned char)*p);
		if (strpbrk(clean.buf, "\t\n\r")) {
			buf_release(&clean);
			continue;
		}
		buf_addstr(&doc, "<e a=\"");
		xml_escape(&doc, s);
		buf_addstr(&doc, "\">");
		xml_escape(&doc, s);
		buf_addstr(&doc, "</e>");
		/* Text, then attribute, each followed by the separator. */
		buf_addstr(&want, clean.buf);
		buf_addch(&want, '\0');
		buf_addstr(&want, clean.buf);
		buf_addch(&want, '\0');
		buf_release(&clean);
	}
	buf_addstr(&doc, "<e a=\"1\">text\nwith\ttabs</e></r>\n");
	buf_addstr(&want, "text\nwith\ttabs");
	buf_addch(&want, '\0');
	buf_addstr(&want, "1");
	assert_int_equal(tmpfile_write(path, sizeof(path), "test_escape", &doc), 0);
	status = run_python(code, path, &out);
	unlink(path);
	if (status)
		fail_msg("python3 rejected <%s> (status %d)", doc.buf, status);
	if (out.len != want.len || memcmp(out.buf, want.buf, want.len))
		fail_msg("python3 decoded <%.*s> (%zu bytes), want %zu bytes", (int)out.len,
			 out.buf, out.len, want.len);
	buf_release(&doc);
	buf_release(&out);
	buf_release(&want);
}

/* ---- text_sanitize ----------------------------------------------------- */

static const struct scase text_cases[] = {
	{ "", "" },
	{ "plain |`*", "plain |`*" },
	{ "\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m" },
	{ "a\nb\tc\rd", "a\\x0ab\\x09c\\x0dd" },
	{ "\x7f\xc2\x9b\xc2\xa0", "\\x7f\\u009b\xc2\xa0" },
	{ "red\xff", "red\xef\xbf\xbd" },
	{ "\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbe", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbe" },
};

static void test_text_sanitize(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	check_table(text_sanitize, "text_sanitize", text_cases, ARRAY_SIZE(text_cases));
	/* In place over a report's tail: newlines kept, what came before untouched. */
	buf_addstr(&b, "\x1b keep\n");
	buf_addstr(&b, "row \x1b[2J\xff\nnext\x07\n");
	text_sanitize_tail(&b, 7);
	assert_string_equal(b.buf, "\x1b keep\nrow \\x1b[2J\xef\xbf\xbd\nnext\\x07\n");
	buf_release(&b);
}

/* ---- md_cell_escape ---------------------------------------------------- */

static const struct scase md_cases[] = {
	{ "", "" },
	{ "plain", "plain" },
	{ "a|b", "a\\|b" },
	{ "||", "\\|\\|" },
	{ "a\\b", "a\\\\b" },
	{ "\\|", "\\\\\\|" },
	{ "l1\nl2", "l1 l2" },
	{ "l1\r\nl2", "l1  l2" },
	{ "\n", " " },
	{ "BenchmarkX/in=\"a|b\"-2", "BenchmarkX/in=\"a\\|b\"-2" },
	{ "caf\xc3\xa9", "caf\xc3\xa9" },
	{ "**bold** _it_", "**bold** _it_" },
	{ "\x1b[31mred\xff|", "\\x1b[31mred\xef\xbf\xbd\\|" },
};

static void test_md_cell_escape(void **state)
{
	(void)state;
	check_table(md_cell_escape, "md_cell_escape", md_cases, ARRAY_SIZE(md_cases));
}

/* Whatever the input, an escaped cell never ends the row or splits the cell. */
static void test_md_cell_never_splits(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(hostile); i++) {
		buf_reset(&b);
		md_cell_escape(&b, hostile[i]);
		assert_null(strchr(b.buf, '\n'));
		assert_null(strchr(b.buf, '\r'));
		/* Every '|' is preceded by an odd number of backslashes. */
		for (size_t k = 0; k < b.len; k++) {
			size_t bs = 0;

			if (b.buf[k] != '|')
				continue;
			while (bs < k && b.buf[k - 1 - bs] == '\\')
				bs++;
			if (bs % 2 == 0)
				fail_msg("unescaped '|' in <%s> from <%s>", b.buf, hostile[i]);
		}
	}
	buf_release(&b);
}

/* ---- md_code_span ------------------------------------------------------ */

static const struct scase code_cases[] = {
	{ "", "``" },
	{ "x", "`x`" },
	{ "a|b`c", "``a\\|b`c``" },
	{ "\x1b[31mred\xff", "`\\x1b[31mred\xef\xbf\xbd`" },
	{ "\xc2\x85\x7f", "`\\u0085\\x7f`" },
	{ "a``b", "```a``b```" },
	{ "`x", "`` `x ``" },
	{ "x`", "`` x` ``" },
	{ "a\\b", "`a\\b`" },
	{ "l1\nl2\r", "`l1 l2 `" },
};

/* Backslashes stay (a code span shows them), '|' is still escaped for the table. */
static void test_md_code_span(void **state)
{
	(void)state;
	check_table(md_code_span, "md_code_span", code_cases, ARRAY_SIZE(code_cases));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_quote_python),
		cmocka_unit_test(test_json_number_round_trip),
		cmocka_unit_test(test_text_sanitize),
		cmocka_unit_test(test_xml_escape),
		cmocka_unit_test(test_xml_escape_python),
		cmocka_unit_test(test_md_cell_escape),
		cmocka_unit_test(test_md_cell_never_splits),
		cmocka_unit_test(test_md_code_span),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
