/*
 * libFuzzer target for `perfgo compare <old> <new>` on files, end to end
 * without the I/O: the input is split at its first NUL into two Go
 * benchmark files, each parsed (gb_parse()) and turned into series
 * (gb_file_series()); the comparison is built (compare_build(): medians,
 * CIs, Mann-Whitney, Holm/BH, MDE, verdicts) with options the last byte
 * chooses (confidence, a --metric, a --gate), and every renderer in the
 * compare_formats table writes it.  Checked: every report is valid UTF-8
 * with no C0 control but tab, newline (and CR) — names come from the
 * files, and no terminal or XML reader may see ESC or NUL — and, but for
 * JSON (exact strings: DEL and U+0080..U+009F are valid JSON text), no DEL
 * or C1 control either; the JSON report parses as JSON; the JUnit report has balanced testsuite
 * tags; every renderer writes something when there are rows.
 */
#include "fuzz_common.h"

#include <jansson.h>

#include "analysis/compare.h"
#include "collect/gobench.h"
#include "collect/gobench_series.h"
#include "compare_formats.h"
#include "util/buf.h"

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/*
 * Valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF), no
 * C0 control but \t \n \r, and unless `json`, no DEL or C1 control.
 */
static int clean_utf8(const unsigned char *s, size_t n, int json)
{
	for (size_t i = 0; i < n; ) {
		unsigned c = s[i], cp, len;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c == 0x7f && !json))
				return 0;
			i++;
			continue;
		}
		len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
		if (!len || c > 0xf4 || i + len > n)
			return 0;
		cp = c & (0x7f >> len);
		for (unsigned k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f && !json))
			return 0;
		i += len;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *nul = memchr(data, '\0', size);
	size_t n0 = nul ? (size_t)(nul - text) : size;
	struct gb_file f[2] = { GB_FILE_INIT, GB_FILE_INIT };
	struct series_set sets[2];
	struct compare_report rep = COMPARE_REPORT_INIT;
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct junit_meta meta = { "old.txt", "new.txt", NULL, NULL, NULL, NULL };
	static const char *const metric[] = { "ns/op" };
	static const char *const gate[] = { "B/op", "custom/op" };
	unsigned char knob = size ? data[size - 1] : 0;

	fuzz_quiet();
	memset(sets, 0, sizeof(sets));
	gb_parse(text, n0, "old.txt", &f[0]);
	gb_parse(nul ? nul + 1 : text + size, nul ? size - n0 - 1 : 0, "new.txt", &f[1]);
	gb_file_series(&f[0], "old.txt", &sets[0]);
	gb_file_series(&f[1], "new.txt", &sets[1]);
	if (knob & 1)
		o.conf = 0.99;
	if (knob & 2) {
		o.metrics = metric;
		o.nmetrics = 1;
	}
	if (knob & 4) {
		o.gate = gate;
		o.ngate = 2;
	}
	if (!compare_build(&rep, &sets[0], &sets[1], 1, &o)) {
		for (size_t i = 0; i < COMPARE_FORMATS_NR; i++) {
			struct buf out = BUF_INIT;

			compare_formats[i].render(&out, &rep, &meta);
			if ((rep.rows && !out.len) || !clean_utf8((const unsigned char *)out.buf, out.len, i == COMPARE_FORMAT_JSON))
				abort();
			if (i == COMPARE_FORMAT_JSON) {
				json_error_t err;
				json_t *j = json_loadb(out.buf, out.len, 0, &err);

				if (!j)
					abort();
				json_decref(j);
			}
			if (i == COMPARE_FORMAT_JUNIT &&
			    count(out.buf, "<testsuite ") != count(out.buf, "</testsuite>"))
				abort();
			buf_release(&out);
		}
	}
	compare_report_release(&rep);
	for (int i = 0; i < 2; i++) {
		series_set_release(&sets[i]);
		gb_file_release(&f[i]);
	}
	return 0;
}
