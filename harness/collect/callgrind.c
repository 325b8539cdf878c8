/*
 * callgrind's totals; see callgrind.h.  The input is a whole out file (or
 * valgrind's log), read line by line; only the lines named there matter.
 */
#include <stdlib.h>
#include <string.h>

#include "collect/callgrind.h"
#include "util/buf.h"
#include "util/usage.h"
#include "util/banned.h"

#define QUOTE_MAX 120

struct cg_line {
	const char *p;
	size_t len;
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Drop a valgrind log prefix "==1234== ". */
static void strip_log_prefix(struct cg_line *l)
{
	size_t i = 2;

	if (l->len < 5 || l->p[0] != '=' || l->p[1] != '=')
		return;
	while (i < l->len && l->p[i] >= '0' && l->p[i] <= '9')
		i++;
	if (i == 2 || i + 2 > l->len || l->p[i] != '=' || l->p[i + 1] != '=')
		return;
	i += 2;
	while (i < l->len && is_blank(l->p[i]))
		i++;
	l->p += i;
	l->len -= i;
}

/*
 * If the line is "<key><blanks>:<rest>" (blanks only when `loose`), point
 * `rest` past the colon and return 1.
 */
static int keyed(const struct cg_line *l, const char *key, int loose, struct cg_line *rest)
{
	size_t kl = strlen(key), i;

	if (l->len < kl + 1 || memcmp(l->p, key, kl))
		return 0;
	i = kl;
	while (loose && i < l->len && is_blank(l->p[i]))
		i++;
	if (i >= l->len || l->p[i] != ':')
		return 0;
	rest->p = l->p + i + 1;
	rest->len = l->len - i - 1;
	return 1;
}

static int bad_line(const char *name, const struct cg_line *l, const char *why)
{
	return error_code(PG_EPARSE, "%s: %s: '%.*s'", name, why,
			  (int)(l->len < QUOTE_MAX ? l->len : QUOTE_MAX), l->p);
}

/* The next blank-separated word of `rest`, or 0 at its end. */
static size_t next_word(struct cg_line *rest, const char **w)
{
	size_t n = 0;

	while (rest->len && is_blank(*rest->p)) {
		rest->p++;
		rest->len--;
	}
	*w = rest->p;
	while (n < rest->len && !is_blank(rest->p[n]))
		n++;
	rest->p += n;
	rest->len -= n;
	return n;
}

static void clear_events(struct cg_result *r)
{
	for (size_t i = 0; i < r->nr; i++) {
		free(r->event[i]);
		r->event[i] = NULL;
	}
	r->nr = 0;
}

static int parse_events(const char *name, const struct cg_line *l, struct cg_line rest,
			struct cg_result *r)
{
	struct cg_result ev = CG_RESULT_INIT;
	const char *w;
	size_t n;
	int ret = 0;

	while ((n = next_word(&rest, &w))) {
		if (ev.nr == CG_MAX_EVENTS) {
			ret = bad_line(name, l, "too many events");
			goto out;
		}
		ev.event[ev.nr++] = xstrndup(w, n);
	}
	if (!ev.nr) {
		ret = bad_line(name, l, "no events");
		goto out;
	}
	if (r->nr) {
		/* The log and the file may both name them: the same list only. */
		int same = r->nr == ev.nr;

		for (size_t i = 0; same && i < ev.nr; i++)
			same = !strcmp(r->event[i], ev.event[i]);
		if (!same)
			ret = bad_line(name, l, "a second, different events line");
		goto out;
	}
	for (size_t i = 0; i < ev.nr; i++) {
		r->event[i] = ev.event[i];
		ev.event[i] = NULL;
	}
	r->nr = ev.nr;
out:
	clear_events(&ev);
	return ret;
}

/* Counts into `out` (zeroed; trailing ones omitted by callgrind stay 0); returns how many. */
static int parse_counts(const char *name, const struct cg_line *l, struct cg_line rest,
			uint64_t out[CG_MAX_EVENTS], size_t *nr)
{
	const char *w;
	size_t n;

	*nr = 0;
	memset(out, 0, CG_MAX_EVENTS * sizeof(*out));
	while ((n = next_word(&rest, &w))) {
		uint64_t v = 0;

		if (*nr == CG_MAX_EVENTS)
			return bad_line(name, l, "too many counts");
		for (size_t i = 0; i < n; i++) {
			unsigned d = (unsigned char)w[i] - '0';

			if (d > 9)
				return bad_line(name, l, "not a count");
			if (v > (UINT64_MAX - d) / 10)
				return bad_line(name, l, "count out of range");
			v = v * 10 + d;
		}
		out[(*nr)++] = v;
	}
	if (!*nr)
		return bad_line(name, l, "no counts");
	return 0;
}

enum cg_source { CG_NONE, CG_COLLECTED, CG_SUMMARY, CG_TOTALS };

int cg_parse(const char *s, size_t len, const char *name, struct cg_result *r)
{
	uint64_t line_counts[CG_MAX_EVENTS], totals[CG_MAX_EVENTS] = { 0 };
	size_t width = 0, nc;
	enum cg_source src = CG_NONE;
	struct cg_line bad = { NULL, 0 };
	int ret = 0;

	memset(r, 0, sizeof(*r));
	while (len && !ret) {
		const char *nl = memchr(s, '\n', len);
		struct cg_line l = { s, nl ? (size_t)(nl - s) : len }, rest;
		enum cg_source this = CG_NONE;

		s += l.len + (nl != NULL);
		len -= l.len + (nl != NULL);
		if (l.len && l.p[l.len - 1] == '\r')
			l.len--;
		strip_log_prefix(&l);
		if (keyed(&l, "events", 0, &rest) || keyed(&l, "Events", 1, &rest)) {
			ret = parse_events(name, &l, rest, r);
			continue;
		}
		if (keyed(&l, "creator", 0, &rest)) {
			const char *w;
			size_t n = next_word(&rest, &w);

			if (n && !r->creator)
				r->creator = xstrndup(w, n);
			continue;
		}
		if (keyed(&l, "totals", 0, &rest))
			this = CG_TOTALS;
		else if (keyed(&l, "summary", 0, &rest))
			this = CG_SUMMARY;
		else if (keyed(&l, "Collected", 1, &rest))
			this = CG_COLLECTED;
		else
			continue;
		ret = parse_counts(name, &l, rest, line_counts, &nc);
		if (ret)
			break;
		if (nc > width) {
			width = nc;
			bad = l;
		}
		if (this < src)
			continue;          /* a better source was seen already */
		if (this > src || this != CG_TOTALS)
			memset(totals, 0, sizeof(totals));
		for (size_t i = 0; i < CG_MAX_EVENTS; i++) {
			if (totals[i] > UINT64_MAX - line_counts[i]) {
				ret = bad_line(name, &l, "totals out of range");
				break;
			}
			totals[i] += line_counts[i];
		}
		src = this;
	}
	if (ret)
		goto fail;
	if (!r->nr) {
		ret = error_code(PG_EPARSE, "%s: no 'events:' line (not callgrind output?)", name);
		goto fail;
	}
	if (src == CG_NONE) {
		ret = error_code(PG_EPARSE, "%s: no 'totals:', 'summary:' or 'Collected' line", name);
		goto fail;
	}
	if (width > r->nr) {
		ret = bad_line(name, &bad, "more counts than events");
		goto fail;
	}
	memcpy(r->count, totals, sizeof(r->count));
	return 0;
fail:
	cg_result_release(r);
	return ret;
}

int cg_count(const struct cg_result *r, const char *event, uint64_t *out)
{
	for (size_t i = 0; i < r->nr; i++) {
		if (!strcmp(r->event[i], event)) {
			*out = r->count[i];
			return 0;
		}
	}
	return -1;
}

void cg_result_release(struct cg_result *r)
{
	clear_events(r);
	free(r->creator);
	memset(r, 0, sizeof(*r));
}
