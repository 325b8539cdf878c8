#ifndef PERFGO_JSON_H
#define PERFGO_JSON_H

/*
 * JSON goes through jansson (Debian libjansson-dev): every document perfgo
 * writes is built as a json_t tree and serialized here, and every document
 * it reads is parsed by jansson.  These helpers hold the few conventions
 * perfgo adds on top:
 *
 *  - Numbers: a double that is not finite is null; an integral double of
 *    magnitude below 1e17 is written as an integer ("5", not "5.0"), as
 *    "%.17g" writes it; anything else in jansson's "%.17g" spelling, which
 *    round-trips (jansson drops the '+' and leading zeros of an exponent:
 *    1e-07 is "1e-7", 1e+17 is "1e17"; -0.0 stays "-0.0").
 *  - Strings: NULL becomes null (json_str) or "" (json_str_or_empty).
 *  - Ownership: the json_t constructors return new references; the *_set
 *    helpers steal the value's reference as json_object_set_new does.
 */

#include <jansson.h>

#include "util/buf.h"
#include "util/strvec.h"

/* The number convention above; never NULL. */
json_t *json_num(double v);
/* A string, or null for NULL.  Invalid UTF-8 is replaced, never dropped. */
json_t *json_str(const char *s);
json_t *json_str_or_empty(const char *s);
/* An array of the strings of `v`. */
json_t *json_strvec(const struct strvec *v);

/*
 * Append `v` serialized with jansson `flags` (JSON_COMPACT, JSON_INDENT(n),
 * ...; keys keep insertion order) to `out`.  Returns 0, or -1 when jansson
 * fails (out of memory).  `v` is not released.
 */
int json_to_buf(struct buf *out, const json_t *v, size_t flags);

/*
 * Writing a document without building a tree, for large reports: the
 * bytes jansson's JSON_COMPACT would write for the same values.
 *  - json_num_to_buf(): json_num(v) as jansson serializes it (an exact
 *    %.17g computed without printf for 1e-6 <= |v| < 1e17);
 *  - json_str_to_buf(): json_str(s) serialized (null for NULL);
 *  - json_key_to_buf(): "key": for an object member; -1 (nothing
 *    written) when the key is not valid UTF-8, which jansson refuses too.
 */
void json_num_to_buf(struct buf *out, double v);
void json_str_to_buf(struct buf *out, const char *s);
int json_key_to_buf(struct buf *out, const char *key);

#endif
