#ifndef PERFGO_PARSE_H
#define PERFGO_PARSE_H

/*
 * Strict number parsing: the whole string must be a number, with no
 * leading or trailing junk, no overflow, and (for doubles) no NaN or
 * infinity.  Each returns 0 on success and PG_EPARSE otherwise, without
 * printing: callers know what the number meant and say so.
 */

#include <stddef.h>
#include <stdint.h>

int parse_i64(const char *s, int64_t *out);
int parse_u64(const char *s, uint64_t *out);
int parse_int(const char *s, int *out);
int parse_double(const char *s, double *out);
/* Parse the first `len` bytes of s as a double. */
int parse_double_n(const char *s, size_t len, double *out);

#endif
