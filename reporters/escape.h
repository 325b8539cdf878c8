#ifndef PERFGO_ESCAPE_H
#define PERFGO_ESCAPE_H

/*
 * Escaping for the text formats, in one place (JSON strings and numbers go
 * through jansson: util/json.h).  Each function appends to a struct buf;
 * none allocates anything the caller must free.
 */

#include "util/buf.h"

/*
 * Names come from files anyone can write: every function below shows
 * control characters (C0 such as ESC, DEL, C1 such as U+009B CSI) as a
 * visible escape ("\x1b", "\u009b") so that no terminal acts on them, and
 * bytes that are not UTF-8 as U+FFFD, so that the output is valid UTF-8
 * (as Go's testing package prints such names).
 */

/* Text for a terminal: every control character escaped, newline included. */
void text_sanitize(struct buf *out, const char *s);
/* The same in place over b from `from` on, keeping newlines (a whole report). */
void text_sanitize_tail(struct buf *b, size_t from);

/*
 * XML 1.0 text or attribute content: & < > " ' escaped; tab, newline and CR
 * kept; other control characters escaped visibly (XML 1.0 cannot carry
 * them), U+FFFE/U+FFFF and non-UTF-8 bytes as U+FFFD: always well-formed.
 */
void xml_escape(struct buf *out, const char *s);

/* A Markdown table cell: '|' and backslash escaped, newlines as spaces. */
void md_cell_escape(struct buf *out, const char *s);
/*
 * Inline code in a GFM table cell: a backtick fence longer than any run
 * inside, '|' as "\|", newlines as spaces; backslashes kept as they are.
 */
void md_code_span(struct buf *out, const char *s);

#endif
