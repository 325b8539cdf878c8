/*
 * Unit tests for harness/gobuild/gosrc.c: the import comment of a package
 * clause (how perfgo learns the import path of a commit from before Go
 * modules), the module directive and the requirements of a go.mod, and
 * the module cache's case escaping.  Tables of exact results, with
 * malformed inputs: no package clause, a clause hidden in a comment,
 * unterminated comments and strings, paths go would refuse, a comment on
 * the next line, inputs cut short (len shorter than the string).
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
#include "util/buf.h"
#include "gobuild/gosrc.h"
#include "gobuild/gotool.h"
#include "util/usage.h"

struct icase {
	const char *src;
	int len;                /* -1: strlen(src) */
	int ret;
	const char *path;       /* when ret is 1 */
};

static const struct icase import_cases[] = {
	{ "package fastjson // import \"github.com/valyala/fastjson\"\n", -1, 1,
	  "github.com/valyala/fastjson" },
	{ "package x /* import \"example.com/x\" */\n\nimport \"fmt\"\n", -1, 1, "example.com/x" },
	{ "package x//import \"example.com/x\"", -1, 1, "example.com/x" },
	{ "package x // import `example.com/raw`\n", -1, 1, "example.com/raw" },
	{ "// Copyright 2018\n\n//go:build linux\n// +build linux\n\n/* doc\n package y */\n"
	  "package x // import \"example.com/a/b\"\r\n", -1, 1, "example.com/a/b" },
	{ "\xef\xbb\xbfpackage x // import \"example.com/bom\"\n", -1, 1, "example.com/bom" },
	{ "package x; // import \"example.com/semi\"\n", -1, 1, "example.com/semi" },
	/* none */
	{ "", -1, 0, NULL },
	{ "package x\n", -1, 0, NULL },
	{ "package x\n// import \"example.com/nextline\"\n", -1, 0, NULL },
	{ "package x // importer \"example.com/x\"\n", -1, 0, NULL },
	{ "package x // the import \"example.com/x\"\n", -1, 0, NULL },
	{ "// package x // import \"example.com/x\"\n", -1, 0, NULL },
	{ "/* package x // import \"example.com/x\"\n", -1, 0, NULL },
	{ "packagex // import \"example.com/x\"\n", -1, 0, NULL },
	{ "package // import \"example.com/x\"\n", -1, 0, NULL },
	{ "func main() {}\n", -1, 0, NULL },
	{ "package", -1, 0, NULL },
	/* malformed */
	{ "package x // import example.com/x\n", -1, PG_EPARSE, NULL },
	{ "package x // import \"example.com/x\n", -1, PG_EPARSE, NULL },
	{ "package x // import \"example.com/x\"", 30, PG_EPARSE, NULL },
	{ "package x /* import \"example.com/x\"\n", -1, PG_EPARSE, NULL },
	{ "package x // import \"\"\n", -1, PG_EPARSE, NULL },
	{ "package x // import \"/abs/path\"\n", -1, PG_EPARSE, NULL },
	{ "package x // import \"./rel\"\n", -1, PG_EPARSE, NULL },
	{ "package x // import \"a/../b\"\n", -1, PG_EPARSE, NULL },
	{ "package x // import \"a//b\"\n", -1, PG_EPARSE, NULL },
	{ "package x // import \"a/b/\"\n", -1, PG_EPARSE, NULL },
	{ "package x // import \"a b\"\n", -1, PG_EPARSE, NULL },
	{ "package x // import \"a\\\"b\"\n", -1, PG_EPARSE, NULL },
	{ "package x // import \"example.com/x\" trailing\n", -1, PG_EPARSE, NULL },
	{ "package x // import \"a\0b\"\n", 26, PG_EPARSE, NULL },
};

/* `go list -json` output: packages with tests kept, any byte of a path intact. */
static void test_parse_list(void **state)
{
	static const char two[] =
		"{\"Dir\": \"/s/m\", \"ImportPath\": \"m\", \"Name\": \"m\", \"TestGoFiles\": [\"a_test.go\"]}\n"
		"{\"Dir\": \"/s/n\", \"ImportPath\": \"m/n\", \"Name\": \"n\"}\n"
		"{\"Dir\": \"/s/a\\nb\", \"ImportPath\": \"m/a\", \"Name\": \"a\", \"XTestGoFiles\": [\"x_test.go\"]}\n";
	struct gopkg_list l = GOPKG_LIST_INIT;

	(void)state;
	capture_start();
	assert_int_equal(gotool_parse_list(two, sizeof(two) - 1, 1, "./...", &l), 0);
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.pkgs[1].dir, "/s/a\nb");
	assert_int_equal(l.pkgs[1].ntests, 1);
	gopkg_list_release(&l);
	/* Without a pattern, a package without tests is an error. */
	assert_int_equal(gotool_parse_list(two, sizeof(two) - 1, 0, "m/n", &l), PG_EUSAGE);
	gopkg_list_release(&l);
	assert_int_equal(gotool_parse_list("{\"Dir\": 1} x", strlen("{\"Dir\": 1} x"), 1, ".", &l), PG_EENV);
	gopkg_list_release(&l);
	assert_int_equal(gotool_parse_list("", 0, 1, "./...", &l), PG_EUSAGE);
	gopkg_list_release(&l);
	capture_stop();
}

static void test_import_comment(void **state)
{
	struct buf fails = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(import_cases); i++) {
		const struct icase *c = &import_cases[i];
		size_t len = c->len < 0 ? strlen(c->src) : (size_t)c->len;
		char *path = (char *)"unset";
		int ret = gosrc_import_comment(c->src, len, &path);

		if (ret != c->ret || (ret == 1 ? !path || strcmp(path, c->path) : path != NULL))
			buf_addf(&fails, "case %zu: got %d '%s', want %d '%s'\n", i, ret,
				 path ? path : "(null)", c->ret, c->path ? c->path : "(null)");
		if (ret == 1)
			free(path);
	}
	if (fails.len)
		print_error("%s", fails.buf);
	assert_int_equal(fails.len, 0);
	buf_release(&fails);
}

struct mcase {
	const char *src;
	int ret;
	const char *path;
};

static const struct mcase module_cases[] = {
	{ "module example.com/iso\n\ngo 1.19\n", 1, "example.com/iso" },
	{ "// comment\n  module   \"example.com/q\"  // trailing\n", 1, "example.com/q" },
	{ "go 1.19\nmodule example.com/late", 1, "example.com/late" },
	{ "", 0, NULL },
	{ "go 1.19\n// module example.com/commented\n", 0, NULL },
	{ "modules example.com/x\n", 0, NULL },
	{ "module\n", PG_EPARSE, NULL },
	{ "module a b\n", PG_EPARSE, NULL },
	{ "module \"unterminated\n", PG_EPARSE, NULL },
	{ "module /abs\n", PG_EPARSE, NULL },
};

static void test_module_path(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(module_cases); i++) {
		const struct mcase *c = &module_cases[i];
		char *path = NULL;
		int ret = gosrc_module_path(c->src, strlen(c->src), &path);

		if (ret != c->ret)
			print_error("module case %zu: got %d, want %d\n", i, ret, c->ret);
		assert_int_equal(ret, c->ret);
		if (c->path)
			assert_string_equal(path, c->path);
		else
			assert_null(path);
		free(path);
	}
}

static void test_requires(void **state)
{
	static const char gomod[] =
		"module example.com/m\n\ngo 1.19\n\n"
		"require github.com/a/b v1.2.3\n"
		"require (\n\tgithub.com/C/d v0.1.0 // indirect\n\n\t\"example.org/q\" v2.0.0+incompatible\n"
		"\tlocal.dev/x v1.0.0\n)\n"
		"replace local.dev/x => ../x\n"
		"replace (\n\tgithub.com/never/required v1.0.0 => github.com/fork/r v1.0.1\n)\n"
		"exclude github.com/a/b v1.0.0\n";
	struct strvec v = STRVEC_INIT;
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(gosrc_requires(gomod, strlen(gomod), &v), 0);
	assert_int_equal(v.nr, 3);
	assert_string_equal(v.v[0], "github.com/a/b@v1.2.3");
	assert_string_equal(v.v[1], "github.com/C/d@v0.1.0");
	assert_string_equal(v.v[2], "example.org/q@v2.0.0+incompatible");
	strvec_clear(&v);
	assert_int_equal(gosrc_requires("require a/b\n", 12, &v), PG_EPARSE);
	strvec_clear(&v);
	assert_int_equal(gosrc_requires("require (\n a/b v1 extra\n)\n", 25, &v), PG_EPARSE);
	strvec_clear(&v);
	assert_int_equal(gosrc_requires("require (\n\"a/b v1\n)\n", 19, &v), PG_EPARSE);
	strvec_clear(&v);
	assert_int_equal(gosrc_requires("", 0, &v), 0);
	assert_int_equal(v.nr, 0);

	gosrc_escape_module(&b, "github.com/BurntSushi/toml");
	assert_string_equal(b.buf, "github.com/!burnt!sushi/toml");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_import_comment),
		cmocka_unit_test(test_module_path),
		cmocka_unit_test(test_requires),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
