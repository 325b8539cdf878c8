#ifndef PERFGO_QUOTE_H
#define PERFGO_QUOTE_H

/*
 * POSIX shell single-quoting (git quote.c).  The only shell strings perfgo
 * builds are the remote command for ssh and logs; each word goes through
 * here.  `'` becomes `'\''`.
 */

#include "util/buf.h"

/* Always quote: 'word'. */
void sq_quote_buf(struct buf *out, const char *word);
/* Quote only when the word holds characters outside [A-Za-z0-9_@%+=:,./-]. */
void sq_quote_word(struct buf *out, const char *word);
/* True when `s` would be read as an option by the program receiving it. */
int looks_like_option(const char *s);
/* "file:" and `path` percent-encoded, for an SQLite URI (a query may follow). */
void uri_quote_path(struct buf *out, const char *path);

#endif
