/* Escaping for XML, Markdown and terminal text; see escape.h. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "util/banned.h"

/*
 * The length of the well-formed UTF-8 character at s (RFC 3629: no
 * overlong forms, no surrogates, at most U+10FFFF) and its code point, or
 * 0 when the bytes are not one.
 */
static size_t utf8_char(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f, min = 0x80;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * Append the character at s, made safe to show: a control character (C0,
 * DEL, C1) as a visible escape (\x1b, \u009b), a byte that is not UTF-8 as
 * U+FFFD, and for XML also U+FFFE and U+FFFF (not XML 1.0 characters) as
 * U+FFFD.  Returns the bytes of s consumed.
 */
static size_t safe_char(struct buf *out, const char *s, int xml)
{
	uint32_t cp;
	size_t n = utf8_char((const unsigned char *)s, &cp);

	if (!n) {
		buf_addstr(out, "\xef\xbf\xbd");
		return 1;
	}
	if (cp < 0x20 || cp == 0x7f)
		buf_addf(out, "\\x%02x", (unsigned)cp);
	else if (cp >= 0x80 && cp < 0xa0)
		buf_addf(out, "\\u%04x", (unsigned)cp);
	else if (xml && (cp == 0xfffe || cp == 0xffff))
		buf_addstr(out, "\xef\xbf\xbd");
	else
		buf_add(out, s, n);
	return n;
}

/* Does the character at s need safe_char()? ASCII printables never do. */
static int unsafe(const char *s)
{
	unsigned char c = (unsigned char)*s;

	return c < 0x20 || c >= 0x7f;
}

void text_sanitize(struct buf *out, const char *s)
{
	while (*s)
		if (unsafe(s))
			s += safe_char(out, s, 0);
		else
			buf_addch(out, *s++);
}

void text_sanitize_tail(struct buf *b, size_t from)
{
	struct buf t = BUF_INIT;
	const char *s;

	if (from >= b->len)
		return;
	s = b->buf + from;
	while (*s) {
		if (*s == '\n' || !unsafe(s))
			buf_addch(&t, *s++);
		else
			s += safe_char(&t, s, 0);
	}
	buf_setlen(b, from);
	buf_add(b, t.buf, t.len);
	buf_release(&t);
}

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
		case '\t':
		case '\n':
		case '\r':
			buf_addch(out, c);
			break;
		default:
			if (unsafe(s)) {
				s += safe_char(out, s, 1) - 1;
				break;
			}
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
			if (unsafe(s)) {
				s += safe_char(out, s, 0) - 1;
				break;
			}
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
	while (*s) {
		if (*s == '|')
			buf_addch(out, '\\');
		if (*s == '\n' || *s == '\r') {
			buf_addch(out, ' ');
			s++;
		} else if (unsafe(s))
			s += safe_char(out, s, 0);
		else
			buf_addch(out, *s++);
	}
	if (pad)
		buf_addch(out, ' ');
	buf_addchars(out, '`', longest + 1);
}
