/* JSON through jansson; see json.h. */
#include <math.h>
#include <string.h>

#include "util/json.h"
#include "util/banned.h"

json_t *json_num(double v)
{
	if (!isfinite(v))
		return json_null();
	/*
	 * %.17g, which perfgo's JSON has always used, spells every integral
	 * double below 1e17 as plain digits; jansson would add ".0" to those,
	 * so they go out as integers (exactly: json_int_t has 63 bits).
	 */
	if (v == trunc(v) && fabs(v) < 1e17 && !(v == 0 && signbit(v)))
		return json_integer((json_int_t)v);
	return json_real(v);
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

json_t *json_str(const char *s)
{
	struct buf b = BUF_INIT;
	json_t *v;

	if (!s)
		return json_null();
	v = json_string(s);
	if (v)
		return v;
	/* Not UTF-8 (a benchmark name, a path): each bad byte becomes U+FFFD. */
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_len(p);

		if (n)
			buf_add(&b, p, n);
		else
			buf_addstr(&b, "\xef\xbf\xbd");
		p += n ? n : 1;
	}
	v = json_stringn(b.buf ? b.buf : "", b.len);
	buf_release(&b);
	return v ? v : json_null();
}

json_t *json_str_or_empty(const char *s)
{
	return json_str(s ? s : "");
}

json_t *json_strvec(const struct strvec *v)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < v->nr; i++)
		json_array_append_new(a, json_str(v->v[i]));
	return a;
}

static int dump_cb(const char *s, size_t len, void *data)
{
	buf_add(data, s, len);
	return 0;
}

int json_to_buf(struct buf *out, const json_t *v, size_t flags)
{
	return json_dump_callback(v, dump_cb, out, flags | JSON_ENCODE_ANY) ? -1 : 0;
}
