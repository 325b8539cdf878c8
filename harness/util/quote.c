/* Shell quoting; see quote.h. */
#include <ctype.h>
#include <string.h>

#include "util/quote.h"
#include "util/banned.h"

void sq_quote_buf(struct buf *out, const char *word)
{
	buf_addch(out, '\'');
	for (; *word; word++) {
		if (*word == '\'')
			buf_addstr(out, "'\\''");
		else
			buf_addch(out, *word);
	}
	buf_addch(out, '\'');
}

void sq_quote_word(struct buf *out, const char *word)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-";

	if (*word && strspn(word, safe) == strlen(word))
		buf_addstr(out, word);
	else
		sq_quote_buf(out, word);
}

int looks_like_option(const char *s)
{
	return s[0] == '-';
}

void uri_quote_path(struct buf *out, const char *path)
{
	buf_addstr(out, "file:");
	for (const unsigned char *c = (const unsigned char *)path; *c; c++) {
		if (isalnum(*c) || strchr("/-._~", *c))
			buf_addch(out, (char)*c);
		else
			buf_addf(out, "%%%02X", *c);
	}
}
