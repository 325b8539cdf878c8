/*
 * Unit tests for the GitHub sink's pure parts: github_truncate() (GitHub's
 * character limits, cut at a UTF-8 boundary, the note appended),
 * gh_bench_func() (a benchmark's function from its full name) and
 * gh_locate() on a working tree of files (the package's directory from its
 * import path, the longest trailing part first, the current directory's
 * path before the top's; sub-benchmarks on the parent's line).  The
 * requests themselves are tested end to end against an API stand-in in
 * tests/cli/t8000-github.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "common.h"
#include "sinks/github.h"
#include "sinks/github_locate.h"
#include "util/io.h"
#include "util/usage.h"

static int valid_utf8(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;

		if (!len || i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++)
			if (((unsigned char)s[i + k] & 0xC0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

static void test_truncate(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_addstr(&b, "short");
	github_truncate(&b, 5, "[cut]");
	assert_string_equal(b.buf, "short");
	/* "ab€€€" is 11 bytes; at 9 with a 2-byte note the cut falls inside a €. */
	buf_reset(&b);
	buf_addstr(&b, "ab\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac");
	github_truncate(&b, 9, "!!");
	assert_string_equal(b.buf, "ab\xe2\x82\xac!!");
	assert_true(b.len <= 9 && valid_utf8(b.buf, b.len));
	/* Every cut of a long mixed text stays within the limit and valid. */
	for (size_t max = 20; max < 200; max += 7) {
		buf_reset(&b);
		for (int i = 0; i < 40; i++)
			buf_addstr(&b, "x\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
		github_truncate(&b, max, "\n[truncated]");
		assert_true(b.len <= max);
		assert_true(valid_utf8(b.buf, b.len));
		assert_true(ends_with(b.buf, "\n[truncated]"));
	}
	buf_release(&b);
}

static void test_bench_func(void **state)
{
	static const char *const cases[][2] = {
		{ "BenchmarkX", "BenchmarkX" },
		{ "BenchmarkX-8", "BenchmarkX" },
		{ "BenchmarkX/small-8", "BenchmarkX" },
		{ "BenchmarkX/a-b/c=1-2", "BenchmarkX" },
		{ "Benchmark_Y_2/x", "Benchmark_Y_2" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *f = gh_bench_func(cases[i][0]);

		assert_string_equal(f, cases[i][1]);
		free(f);
	}
}

static void write_file(const char *dir, const char *rel, const char *text)
{
	struct buf p = BUF_INIT, b = BUF_INIT;
	char *slash;

	buf_addf(&p, "%s/%s", dir, rel);
	slash = strrchr(p.buf, '/');
	*slash = '\0';
	assert_int_equal(mkdir_p(p.buf, 0755), 0);
	*slash = '/';
	buf_addstr(&b, text);
	assert_int_equal(buf_write_file(&b, p.buf), 0);
	buf_release(&p);
	buf_release(&b);
}

static void expect_loc(struct gh_locator *l, const char *pkg, const char *name,
		       const char *path, int line)
{
	char *got = NULL;
	int gl = 0, found = gh_locate(l, pkg, name, &got, &gl);

	if (!path) {
		assert_int_equal(found, 0);
		return;
	}
	assert_int_equal(found, 1);
	assert_string_equal(got, path);
	assert_int_equal(gl, line);
	free(got);
}

static void test_locate(void **state)
{
	char dir[4096];
	struct gh_locator l = { 0 };

	(void)state;
	assert_int_equal(tmpdir_make(dir, sizeof(dir), "ghloc"), 0);
	write_file(dir, "go.mod", "module example.com/m\n");
	write_file(dir, "top_test.go", "package m\n\nfunc BenchmarkTop(b *testing.B) {}\n");
	write_file(dir, "codec/codec_test.go",
		   "package codec\n\nimport \"testing\"\n\n// func BenchmarkEncode(b *testing.B) in a comment\n"
		   "func BenchmarkEncode(b *testing.B) {\n}\n\nfunc BenchmarkEncodeAll(b *testing.B) {}\n");
	write_file(dir, "codec/codec.go", "package codec\n\nfunc BenchmarkNotATest(b int) {}\n");
	/* The same names in a deeper package: the longest trailing part of the path decides. */
	write_file(dir, "x/codec/codec_test.go", "package codec\n\n\nfunc BenchmarkEncode(b *testing.B) {}\n");
	write_file(dir, "sub/codec/c_test.go", "package codec\nfunc BenchmarkEncode(b *testing.B) {}\n");
	l.top = dir;
	l.workdir = ".";
	expect_loc(&l, "example.com/m/codec", "BenchmarkEncode/small-8", "codec/codec_test.go", 6);
	expect_loc(&l, "example.com/m/codec", "BenchmarkEncodeAll-2", "codec/codec_test.go", 9);
	expect_loc(&l, "example.com/m/x/codec", "BenchmarkEncode", "x/codec/codec_test.go", 4);
	expect_loc(&l, "example.com/m", "BenchmarkTop-2", "top_test.go", 3);
	expect_loc(&l, "example.com/m/codec", "BenchmarkNotATest", NULL, 0);
	expect_loc(&l, "example.com/m/codec", "BenchmarkMissing", NULL, 0);
	gh_locator_release(&l);
	/* From the subdirectory sub/ (a module there): its path first, relative to the top. */
	l.workdir = "sub";
	expect_loc(&l, "example.com/s/codec", "BenchmarkEncode-2", "sub/codec/c_test.go", 2);
	gh_locator_release(&l);
	assert_int_equal(rm_rf(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_bench_func),
		cmocka_unit_test(test_locate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
