#ifndef PERFGO_BUF_H
#define PERFGO_BUF_H

/*
 * A growable, always NUL-terminated byte buffer (git strbuf, curl dynbuf).
 *
 * `buf` points at a static empty string until the first addition, so a
 * freshly initialised buffer can be read as "" without allocating.  The
 * buffer owns its memory; buf_release() frees it and re-initialises,
 * buf_detach() hands it to the caller (who frees it with free()).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "util/usage.h"

struct buf {
	char *buf;
	size_t len;
	size_t alloc;
};

extern char buf_empty[];
#define BUF_INIT { buf_empty, 0, 0 }

void buf_init(struct buf *b);
void buf_release(struct buf *b);
/* Return the contents (never NULL) and leave `b` empty. */
char *buf_detach(struct buf *b);
/* Make room for `extra` more bytes plus the terminator. */
void buf_grow(struct buf *b, size_t extra);
void buf_reset(struct buf *b);
void buf_setlen(struct buf *b, size_t len);

void buf_add(struct buf *b, const void *data, size_t len);
void buf_addstr(struct buf *b, const char *s);
void buf_addch(struct buf *b, int c);
void buf_addf(struct buf *b, const char *fmt, ...) PG_PRINTF(2, 3);
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Append `n` copies of `c`. */
void buf_addchars(struct buf *b, int c, size_t n);

/* Remove trailing whitespace. */
void buf_rtrim(struct buf *b);
int buf_starts_with(const struct buf *b, const char *prefix);

/* Bytes and characters helpers shared by formatters. */
int starts_with(const char *s, const char *prefix);
int ends_with(const char *s, const char *suffix);
/* If `s` starts with `prefix`, set *rest past it and return 1. */
int skip_prefix(const char *s, const char *prefix, const char **rest);

#endif
