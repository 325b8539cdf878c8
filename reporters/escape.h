#ifndef PERFGO_ESCAPE_H
#define PERFGO_ESCAPE_H

/*
 * Escaping for the text formats, in one place (JSON strings and numbers go
 * through jansson: util/json.h).  Each function appends
 * to a struct buf; none allocates anything the caller must free.
 */

#include "util/buf.h"

/*
 * XML 1.0 text or attribute content: & < > " ' escaped; characters XML 1.0
 * forbids (C0 controls other than tab, newline, CR) dropped.
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
