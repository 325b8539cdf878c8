#ifndef PERFGO_SHA256_H
#define PERFGO_SHA256_H

/*
 * SHA-256 (FIPS 180-4), small and dependency-free: the store digests
 * runner fingerprints with it and records the content hash of every
 * artifact.  Digests are printed as 64 lowercase hex digits plus a NUL.
 *
 * Streaming use: sha256_init(), any number of sha256_update(), then
 * sha256_final() or sha256_final_hex(); the context holds no heap memory
 * and may be reused after sha256_init().
 */

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_HEX_SIZE 65

struct sha256 {
	uint32_t h[8];
	uint64_t len;                  /* bytes hashed so far */
	unsigned char block[64];
	size_t nblock;                 /* bytes waiting in block[] */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, unsigned char digest[SHA256_DIGEST_SIZE]);
void sha256_final_hex(struct sha256 *c, char out[SHA256_HEX_SIZE]);

/* The digest of one buffer. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_SIZE]);

/*
 * The digest of a file's contents, and its size in `size_out` (may be
 * NULL).  Reports a failure to open or read it and returns PG_EENV.
 */
int sha256_file(const char *path, char out[SHA256_HEX_SIZE], uint64_t *size_out);

#endif
