#ifndef PERFGO_ESCAPE_H
#define PERFGO_ESCAPE_H

/*
 * Escaping for every output format, in one place.  Each function appends
 * to a struct buf; none allocates anything the caller must free.
 */

#include "util/buf.h"

/*
 * NEEDSWORK: json_quote() and json_number() are the hand-written JSON of
 * before util/json.h; the reporters no longer use them.  Remove them once
 * their last callers (cli.c, cmd_list.c, cmd_test.c, session/bench.c) build
 * jansson trees too.
 */
/* A JSON string literal, quotes included (control characters as \u00XX). */
void json_quote(struct buf *out, const char *s);
/* A JSON number; NaN and infinities (not valid JSON) become null. */
void json_number(struct buf *out, double v);

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
