/* Escaping for XML and Markdown; see escape.h. */
#include <string.h>

#include "escape.h"
#include "util/banned.h"

void xml_escape(struct buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&':
			buf_addstr(out, "&amp;");
			break;
		case '<':
			buf_addstr(out, "&lt;");
			break;
		case '>':
			buf_addstr(out, "&gt;");
			break;
		case '"':
			buf_addstr(out, "&quot;");
			break;
		case '\'':
			buf_addstr(out, "&apos;");
			break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				break;
			buf_addch(out, c);
		}
	}
}

void md_cell_escape(struct buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '|':
			buf_addstr(out, "\\|");
			break;
		case '\\':
			buf_addstr(out, "\\\\");
			break;
		case '\n':
		case '\r':
			buf_addch(out, ' ');
			break;
		default:
			buf_addch(out, *s);
		}
	}
}

/*
 * Inline code that survives a GFM table cell: '|' must be "\|" even in a
 * code span, and the fence must be longer than any run of backticks
 * inside.  md_cell_escape() doubles backslashes, which code spans would
 * show literally, hence this.
 */
void md_code_span(struct buf *out, const char *s)
{
	size_t run = 0, longest = 0;
	int pad;

	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	pad = *s == '`' || (*s && s[strlen(s) - 1] == '`');
	buf_addchars(out, '`', longest + 1);
	if (pad)
		buf_addch(out, ' ');
	for (; *s; s++) {
		if (*s == '|')
			buf_addch(out, '\\');
		buf_addch(out, *s == '\n' || *s == '\r' ? ' ' : *s);
	}
	if (pad)
		buf_addch(out, ' ');
	buf_addchars(out, '`', longest + 1);
}
