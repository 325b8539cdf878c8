/* JSON through jansson; see json.h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
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

/* ------------------------------------------------------------------ */
/* Writing without a tree, byte for byte as jansson writes            */
/* ------------------------------------------------------------------ */

/*
 * %.17g of a positive finite v computed exactly, for 1e-6 <= v < 1e17:
 * v = m 2^e (m < 2^53), so v 10^s with s = 16 - x (x the decimal
 * exponent, -6 <= x <= 16, s <= 22) is m 10^s / 2^-e, whose numerator is
 * below 2^53 10^22 < 2^127; rounded half to even as glibc's printf rounds.
 * Writes the digits jansson would and returns 1, or 0 to use snprintf().
 */
static int g17_fast(char *out, size_t *olen, double v)
{
	static const uint64_t p10[] = { 1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL,
		1000000ULL, 10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
		100000000000ULL, 1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
		1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
		1000000000000000000ULL, 10000000000000000000ULL };
	unsigned __int128 num, q, rem, half;
	char dig[20];
	int e, x, k, nd;
	double m;
	size_t n = 0;

	if (!(v >= 1e-6 && v < 1e17))
		return 0;
	m = frexp(v, &e);               /* v = m 2^e, 0.5 <= m < 1 */
	m = ldexp(m, 53);
	e -= 53;                        /* v = m 2^e, m an integer below 2^53 */
	if (e >= 0)
		return 0;
	x = (int)floor(log10(v));
	for (int tries = 0; tries < 3; tries++) {
		int s = 16 - x;

		if (s < 0 || s > 22 || -e > 126)
			return 0;
		num = (unsigned __int128)(uint64_t)m;
		if (s > 19) {
			num *= p10[19];
			num *= p10[s - 19];
		} else {
			num *= p10[s];
		}
		k = -e;
		q = num >> k;
		/* v < 10^x: the estimate was one too high (before rounding). */
		if (q < (unsigned __int128)p10[16]) {
			x--;
			continue;
		}
		rem = num - (q << k);
		half = (unsigned __int128)1 << (k - 1);
		if (rem > half || (rem == half && (q & 1)))
			q++;
		/* Rounded up to 10^17: %e style would say 1.000...e(x+1). */
		if (q >= (unsigned __int128)p10[17]) {
			x++;
			continue;
		}
		/* 17 digits of q, trailing zeros dropped as %g drops them. */
		uint64_t d = (uint64_t)q;

		for (int i = 16; i >= 0; i--) {
			dig[i] = (char)('0' + d % 10);
			d /= 10;
		}
		nd = 17;
		while (nd > 1 && dig[nd - 1] == '0')
			nd--;
		if (x < -4) {
			/* d.ddde-0X: jansson drops the exponent's leading zeros. */
			out[n++] = dig[0];
			if (nd > 1) {
				out[n++] = '.';
				memcpy(out + n, dig + 1, (size_t)nd - 1);
				n += (size_t)nd - 1;
			}
			n += (size_t)snprintf(out + n, 8, "e-%d", -x);
		} else if (x < 0) {
			out[n++] = '0';
			out[n++] = '.';
			for (int i = 0; i < -x - 1; i++)
				out[n++] = '0';
			memcpy(out + n, dig, (size_t)nd);
			n += (size_t)nd;
		} else {
			memcpy(out + n, dig, (size_t)x + 1 < (size_t)nd ? (size_t)x + 1 : (size_t)nd);
			n += (size_t)x + 1 < (size_t)nd ? (size_t)x + 1 : (size_t)nd;
			for (int i = nd; i < x + 1; i++)
				out[n++] = '0';
			if (nd > x + 1) {
				out[n++] = '.';
				memcpy(out + n, dig + x + 1, (size_t)(nd - x - 1));
				n += (size_t)(nd - x - 1);
			}
		}
		*olen = n;
		return 1;
	}
	return 0;
}

/* jansson's jsonp_dtostr(): %.17g, ".0" when it reads as an integer, exponent trimmed. */
static void real_to_buf(struct buf *out, double v)
{
	char tmp[64];
	size_t n;

	if (v < 0 && g17_fast(tmp + 1, &n, -v)) {
		tmp[0] = '-';
		n++;
	} else if (!(v > 0 && g17_fast(tmp, &n, v))) {
		char *e;

		n = (size_t)snprintf(tmp, sizeof(tmp) - 3, "%.17g", v);
		if (strspn(tmp, "0123456789-") == n) {
			memcpy(tmp + n, ".0", 3);
			n += 2;
		}
		e = strchr(tmp, 'e');
		if (e) {
			char *start = e + 1, *end = e + 2;

			if (*start == '-')
				start++;
			while (*end == '0')
				end++;
			if (end != start) {
				memmove(start, end, n - (size_t)(end - tmp) + 1);
				n -= (size_t)(end - start);
			}
		}
	}
	buf_add(out, tmp, n);
}

void json_num_to_buf(struct buf *out, double v)
{
	char tmp[32];
	int n;

	if (!isfinite(v)) {
		buf_add(out, "null", 4);
		return;
	}
	/* As json_num(): integral values below 1e17 are integers. */
	if (v == trunc(v) && fabs(v) < 1e17 && !(v == 0 && signbit(v))) {
		/* %lld by hand: the digits from the right. */
		uint64_t u = (uint64_t)fabs(v);

		n = (int)sizeof(tmp);
		do {
			tmp[--n] = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (v < 0)
			tmp[--n] = '-';
		buf_add(out, tmp + n, sizeof(tmp) - (size_t)n);
		return;
	}
	real_to_buf(out, v);
}

/* jansson's dump_string() without JSON_ENSURE_ASCII or JSON_ESCAPE_SLASH. */
static void escaped_to_buf(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t start = 0;

	buf_addch(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6];
		size_t elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(out, s + start, i - start);
		start = i + 1;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		buf_add(out, esc, elen);
	}
	buf_add(out, s + start, len - start);
	buf_addch(out, '"');
}

/* Is s[0..len) valid UTF-8, as jansson requires of strings and keys? */
static int utf8_valid(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t n = utf8_len((const unsigned char *)s + i);

		if (!n || i + n > len)
			return 0;
		i += n;
	}
	return 1;
}

void json_str_to_buf(struct buf *out, const char *s)
{
	struct buf b = BUF_INIT;
	size_t len;

	if (!s) {
		buf_add(out, "null", 4);
		return;
	}
	len = strlen(s);
	if (utf8_valid(s, len)) {
		escaped_to_buf(out, s, len);
		return;
	}
	/* As json_str(): each bad byte becomes U+FFFD. */
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_len(p);

		if (n)
			buf_add(&b, p, n);
		else
			buf_addstr(&b, "\xef\xbf\xbd");
		p += n ? n : 1;
	}
	escaped_to_buf(out, b.buf, b.len);
	buf_release(&b);
}

int json_key_to_buf(struct buf *out, const char *key)
{
	size_t len = strlen(key);

	if (!utf8_valid(key, len))
		return -1;
	escaped_to_buf(out, key, len);
	buf_addch(out, ':');
	return 0;
}
