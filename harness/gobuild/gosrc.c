/* Go source and go.mod text; see gosrc.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "gobuild/gosrc.h"
#include "util/buf.h"
#include "util/usage.h"
#include "util/banned.h"

struct cursor {
	const char *s, *end;
};

static int at(const struct cursor *c, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(c->end - c->s) >= n && !memcmp(c->s, word, n);
}

static void skip_blanks(struct cursor *c)
{
	while (c->s < c->end && (*c->s == ' ' || *c->s == '\t' || *c->s == '\r'))
		c->s++;
}

/* Skip white space and comments before the package clause; 0, or -1 at an unterminated comment. */
static int skip_space_and_comments(struct cursor *c)
{
	for (;;) {
		while (c->s < c->end && isspace((unsigned char)*c->s))
			c->s++;
		if (at(c, "//")) {
			while (c->s < c->end && *c->s != '\n')
				c->s++;
		} else if (at(c, "/*")) {
			const char *e;

			c->s += 2;
			for (e = c->s; e + 1 < c->end && (e[0] != '*' || e[1] != '/'); e++)
				;
			if (e + 1 >= c->end)
				return -1;
			c->s = e + 2;
		} else {
			return 0;
		}
	}
}

static int is_ident(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || (unsigned char)ch >= 0x80;
}

int gosrc_valid_import_path(const char *p)
{
	const char *elem = p;

	if (!*p || *p == '/' || *p == '-')
		return 0;
	for (const char *s = p; ; s++) {
		if (!*s || *s == '/') {
			size_t n = (size_t)(s - elem);

			if (!n || (n == 1 && elem[0] == '.') || (n == 2 && !memcmp(elem, "..", 2)))
				return 0;
			if (!*s)
				return 1;
			elem = s + 1;
			continue;
		}
		if ((unsigned char)*s <= ' ' || *s == 0x7f || strchr("\"`'\\:;<>|*?!{}[]()#%^,=", *s))
			return 0;
	}
}

int gosrc_import_comment(const char *src, size_t len, char **path_out)
{
	struct cursor c = { src, src + len };
	int block;
	char quote;
	const char *start;
	char *path;

	*path_out = NULL;
	if (at(&c, "\xef\xbb\xbf"))
		c.s += 3;	/* a byte order mark, as go/scanner skips it */
	if (skip_space_and_comments(&c) || !at(&c, "package"))
		return 0;
	c.s += strlen("package");
	if (c.s >= c.end || (*c.s != ' ' && *c.s != '\t'))
		return 0;
	skip_blanks(&c);
	if (c.s >= c.end || !is_ident(*c.s))
		return 0;
	while (c.s < c.end && is_ident(*c.s))
		c.s++;
	skip_blanks(&c);
	if (at(&c, ";"))
		c.s++, skip_blanks(&c);
	if (!at(&c, "//") && !at(&c, "/*"))
		return 0;
	block = c.s[1] == '*';
	c.s += 2;
	skip_blanks(&c);
	if (!at(&c, "import"))
		return 0;
	c.s += strlen("import");
	if (c.s >= c.end || (*c.s != ' ' && *c.s != '\t'))
		return 0;    /* "importer", "import:" - another comment */
	skip_blanks(&c);
	if (c.s >= c.end || (*c.s != '"' && *c.s != '`'))
		return PG_EPARSE;
	quote = *c.s++;
	for (start = c.s; c.s < c.end && *c.s != quote && *c.s != '\n'; c.s++)
		if (*c.s == '\\' || !*c.s)
			return PG_EPARSE;
	if (c.s >= c.end || *c.s != quote)
		return PG_EPARSE;
	path = xstrndup(start, (size_t)(c.s - start));
	c.s++;
	skip_blanks(&c);
	if ((block ? !at(&c, "*/") : c.s < c.end && *c.s != '\n') ||
	    !gosrc_valid_import_path(path)) {
		free(path);
		return PG_EPARSE;
	}
	*path_out = path;
	return 1;
}

/* The next line of go.mod text, without its // comment and surrounding blanks. */
static int next_line(struct cursor *c, struct buf *line)
{
	const char *nl, *cm;

	if (c->s >= c->end)
		return 0;
	nl = memchr(c->s, '\n', (size_t)(c->end - c->s));
	if (!nl)
		nl = c->end;
	buf_reset(line);
	while (c->s < nl && (*c->s == ' ' || *c->s == '\t'))
		c->s++;
	buf_add(line, c->s, (size_t)(nl - c->s));
	c->s = nl < c->end ? nl + 1 : nl;
	cm = strstr(line->buf, "//");
	if (cm)
		buf_setlen(line, (size_t)(cm - line->buf));
	buf_rtrim(line);
	return 1;
}

/* Split a go.mod line into words, unquoting "x"; PG_EPARSE on a bad quote. */
static int words(const char *s, struct strvec *out)
{
	while (*s) {
		const char *e;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (*s == '"' || *s == '`') {
			e = strchr(s + 1, *s);
			if (!e)
				return PG_EPARSE;
			strvec_pushf(out, "%.*s", (int)(e - s - 1), s + 1);
			s = e + 1;
			continue;
		}
		for (e = s; *e && *e != ' ' && *e != '\t'; e++)
			;
		strvec_pushf(out, "%.*s", (int)(e - s), s);
		s = e;
	}
	return 0;
}

int gosrc_module_path(const char *src, size_t len, char **path_out)
{
	struct cursor c = { src, src + len };
	struct buf line = BUF_INIT;
	int ret = 0;

	*path_out = NULL;
	while (!ret && next_line(&c, &line)) {
		struct strvec w = STRVEC_INIT;

		if (words(line.buf, &w)) {
			ret = starts_with(line.buf, "module") ? PG_EPARSE : 0;
		} else if (w.nr && !strcmp(w.v[0], "module")) {
			if (w.nr == 2 && gosrc_valid_import_path(w.v[1])) {
				*path_out = xstrdup(w.v[1]);
				ret = 1;
			} else {
				ret = PG_EPARSE;
			}
		}
		strvec_clear(&w);
	}
	buf_release(&line);
	return ret;
}

int gosrc_requires(const char *src, size_t len, struct strvec *out)
{
	struct cursor c = { src, src + len };
	struct buf line = BUF_INIT;
	struct strvec req = STRVEC_INIT, replaced = STRVEC_INIT;
	const char *block = NULL;	/* "require" or "replace" inside ( ) */
	int ret = 0;

	while (!ret && next_line(&c, &line)) {
		struct strvec w = STRVEC_INIT;
		size_t i = 0;
		const char *verb = block;

		if (words(line.buf, &w)) {
			ret = PG_EPARSE;
		} else if (!w.nr) {
			/* blank */
		} else if (block && !strcmp(w.v[0], ")")) {
			block = NULL;
		} else {
			if (!block) {
				verb = !strcmp(w.v[0], "require") ? "require" :
				       !strcmp(w.v[0], "replace") ? "replace" : NULL;
				i = 1;
				if (verb && w.nr == 2 && !strcmp(w.v[1], "(")) {
					block = verb;
					verb = NULL;
				}
			}
			if (verb && !strcmp(verb, "require")) {
				if (w.nr - i != 2)
					ret = PG_EPARSE;
				else
					strvec_pushf(&req, "%s@%s", w.v[i], w.v[i + 1]);
			} else if (verb && w.nr > i) {
				strvec_push(&replaced, w.v[i]);
			}
		}
		strvec_clear(&w);
	}
	for (size_t i = 0; !ret && i < req.nr; i++) {
		size_t n = strcspn(req.v[i], "@");
		int skip = 0;

		for (size_t j = 0; j < replaced.nr; j++)
			skip |= strlen(replaced.v[j]) == n && !memcmp(replaced.v[j], req.v[i], n);
		if (!skip)
			strvec_push(out, req.v[i]);
	}
	strvec_clear(&req);
	strvec_clear(&replaced);
	buf_release(&line);
	return ret;
}

void gosrc_escape_module(struct buf *out, const char *path)
{
	for (const char *s = path; *s; s++) {
		if (isupper((unsigned char)*s)) {
			buf_addch(out, '!');
			buf_addch(out, (char)tolower((unsigned char)*s));
		} else {
			buf_addch(out, *s);
		}
	}
}
