/*
 * SHA-256 against the FIPS 180-2 / NIST example vectors, streaming in
 * awkward chunk sizes, and sha256_file() on a real temporary file.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common.h"
#include "util/sha256.h"
#include "util/usage.h"

static const char *const hex_abc =
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char *const hex_empty =
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
static const char *const hex_448 =
	"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
static const char *const hex_million_a =
	"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
static const char msg_448[] =
	"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

static void test_vectors(void **state)
{
	char out[SHA256_HEX_SIZE];

	(void)state;
	sha256_hex("abc", 3, out);
	assert_string_equal(out, hex_abc);
	sha256_hex("", 0, out);
	assert_string_equal(out, hex_empty);
	/* 56 bytes: the padding needs a second block. */
	sha256_hex(msg_448, strlen(msg_448), out);
	assert_string_equal(out, hex_448);
}

static void test_million_a(void **state)
{
	char *a = xmalloc(1000000);
	char out[SHA256_HEX_SIZE];

	(void)state;
	memset(a, 'a', 1000000);
	sha256_hex(a, 1000000, out);
	assert_string_equal(out, hex_million_a);
	free(a);
}

/* Chunks that straddle block boundaries must not change the digest. */
static void test_streaming(void **state)
{
	static const size_t chunks[] = { 1, 3, 63, 64, 65, 127, 1000 };
	char out[SHA256_HEX_SIZE];
	struct sha256 c;
	char block[1000];
	size_t left;

	(void)state;
	memset(block, 'a', sizeof(block));
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		sha256_init(&c);
		for (left = 1000000; left; ) {
			size_t n = chunks[i] < left ? chunks[i] : left;

			sha256_update(&c, block, n);
			left -= n;
		}
		sha256_final_hex(&c, out);
		assert_string_equal(out, hex_million_a);
	}
	/* A context is reusable after sha256_init(). */
	sha256_init(&c);
	sha256_update(&c, "ab", 2);
	sha256_update(&c, "c", 1);
	sha256_final_hex(&c, out);
	assert_string_equal(out, hex_abc);
}

static void test_file(void **state)
{
	struct buf million = BUF_INIT;
	char path[4096], out[SHA256_HEX_SIZE];
	uint64_t size = 0;
	FILE *f;

	(void)state;
	/* More than one 64 KiB read, and not a multiple of it. */
	buf_addchars(&million, 'a', 1000000);
	assert_int_equal(tmpfile_write(path, sizeof(path), "test_sha256", &million), 0);
	buf_release(&million);
	assert_int_equal(sha256_file(path, out, &size), 0);
	assert_string_equal(out, hex_million_a);
	assert_int_equal(size, 1000000);

	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(sha256_file(path, out, NULL), 0);
	assert_string_equal(out, hex_empty);
	unlink(path);

	capture_start();
	assert_int_equal(sha256_file(path, out, &size), PG_EENV);
	capture_stop();
	assert_int_equal(nmsg, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_streaming),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
