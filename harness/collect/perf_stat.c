/*
 * perf stat's CSV output and perf's event-list syntax; see perf_stat.h.
 *
 * A CSV line cannot be split naively: the event field is printed verbatim,
 * so "cpu/event=0x2e,umask=0x41/" spans two fields with -x, and perf 6.12
 * added a metric-threshold column at the end.  The layout is therefore
 * anchored on both sides: value and unit are the first two fields; the
 * event runs from the third field up to the first pair "run time,
 * percentage running" (an unsigned integer, then a number with a decimal
 * point) that is followed by 0, 2 or 3 metric fields; a variance "N.NN%"
 * just before that pair is the -r column.  No valid event name has a piece
 * that is an integer followed by a decimal number, so the split is exact.
 *
 * perf formats numbers with the C library, so in a decimal-comma locale
 * "226.21" comes out as "226,21" and shifts every field.  perfgo runs perf
 * with LC_ALL=C; when a line does not parse and looks like that, the error
 * says so instead of a vaguer "bad field".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/parse.h"
#include "collect/perf_stat.h"
#include "util/strvec.h"
#include "util/usage.h"
#include "util/banned.h"

#define QUOTE_MAX 120

static int quote_len(size_t len)
{
	return (int)(len < QUOTE_MAX ? len : QUOTE_MAX);
}

struct ps_field {
	const char *p;
	size_t len;
};

/* The fields of one line, reused from line to line. */
struct ps_fields {
	struct ps_field *f;
	size_t nr, alloc;
};

static void fields_split(struct ps_fields *fl, const char *line, size_t len,
			 char sep)
{
	const char *end = line + len, *s;

	fl->nr = 0;
	for (;;) {
		s = memchr(line, sep, (size_t)(end - line));
		ALLOC_GROW(fl->f, fl->nr + 1, fl->alloc);
		fl->f[fl->nr].p = line;
		fl->f[fl->nr].len = (size_t)((s ? s : end) - line);
		fl->nr++;
		if (!s)
			break;
		line = s + 1;
	}
}

static int field_is(const struct ps_field *f, const char *lit)
{
	return strlen(lit) == f->len && !memcmp(f->p, lit, f->len);
}

static int all_digits(const char *s, size_t len)
{
	if (!len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* A field as a double; embedded NULs and over-long fields are refused. */
static int field_double(const struct ps_field *f, double *out)
{
	if (memchr(f->p, '\0', f->len))
		return PG_EPARSE;
	return parse_double_n(f->p, f->len, out);
}

static int field_u64(const struct ps_field *f, uint64_t *out)
{
	char tmp[32];

	if (!all_digits(f->p, f->len) || f->len >= sizeof(tmp))
		return PG_EPARSE;
	memcpy(tmp, f->p, f->len);
	tmp[f->len] = '\0';
	return parse_u64(tmp, out);
}

/*
 * The running percentage is printed "%.2f", so it always has a decimal
 * point; requiring one is what keeps a decimal-comma "100,00" from being
 * read as 100 followed by a metric value of 0.
 */
static int field_pct(const struct ps_field *f, double *out)
{
	if (!memchr(f->p, '.', f->len) || field_double(f, out) || *out < 0)
		return PG_EPARSE;
	return 0;
}

/* "0.73%": the relative standard deviation printed with -r. */
static int field_variance(const struct ps_field *f, double *out)
{
	struct ps_field num = { f->p, f->len - 1 };

	if (!f->len || f->p[f->len - 1] != '%' || !num.len)
		return PG_EPARSE;
	return field_double(&num, out);
}

/*
 * Does this unparseable line look like perf ran in a decimal-comma
 * locale?  With -x, a fraction becomes two integer fields, the second of
 * two digits ("100,00", "0,73%"); with another separator a field contains
 * "digit,digit".
 */
static int looks_decimal_comma(const struct ps_fields *fl, char sep)
{
	for (size_t i = 0; i < fl->nr; i++) {
		const struct ps_field *f = &fl->f[i];

		if (sep != ',') {
			for (size_t j = 1; j + 1 < f->len; j++)
				if (f->p[j] == ',' && isdigit((unsigned char)f->p[j - 1]) &&
				    isdigit((unsigned char)f->p[j + 1]))
					return 1;
			continue;
		}
		if (i + 1 < fl->nr && all_digits(f->p, f->len)) {
			const struct ps_field *g = &fl->f[i + 1];
			size_t n = g->len && g->p[g->len - 1] == '%' ? g->len - 1 : g->len;

			if (n == 2 && all_digits(g->p, n))
				return 1;
		}
	}
	return 0;
}

/*
 * Find the "run time, percentage running" pair: the first one after the
 * event that leaves 0 (no metric columns), 2 (metric value and unit) or 3
 * (plus the threshold of perf 6.12+) fields, with a metric value that is
 * empty or a number.  Returns its index and fills in c->run_time_ns and
 * c->pct_running, or returns 0.
 */
static size_t find_running(const struct ps_fields *fl, struct ps_counter *c)
{
	double mv;

	for (size_t p = 3; p + 1 < fl->nr; p++) {
		size_t rest = fl->nr - p - 2;

		if (rest != 0 && rest != 2 && rest != 3)
			continue;
		if (field_u64(&fl->f[p], &c->run_time_ns) ||
		    field_pct(&fl->f[p + 1], &c->pct_running))
			continue;
		if (rest && fl->f[p + 2].len && field_double(&fl->f[p + 2], &mv))
			continue;
		return p;
	}
	c->run_time_ns = 0;
	c->pct_running = 0;
	return 0;
}

struct csv_ctx {
	const char *name;
	size_t lineno;
	char sep;
};

static int bad_line(const struct csv_ctx *cx, const struct ps_fields *fl,
		    const char *what, const struct ps_field *f)
{
	if (looks_decimal_comma(fl, cx->sep))
		return error_code(PG_EPARSE, "'%s' line %zu: perf stat output uses a decimal comma: run perf with LC_ALL=C",
				  cx->name, cx->lineno);
	return error_code(PG_EPARSE, "'%s' line %zu: %s '%.*s'", cx->name,
			  cx->lineno, what, quote_len(f->len), f->p);
}

static int parse_value(struct ps_counter *c, const struct ps_field *f)
{
	if (field_is(f, "<not supported>"))
		c->status = PS_NOT_SUPPORTED;
	else if (field_is(f, "<not counted>"))
		c->status = PS_NOT_COUNTED;
	else if (field_double(f, &c->value))
		return PG_EPARSE;
	return 0;
}

/*
 * A unit is a word such as "msec" or "Joules", or empty.  Something that
 * starts like a number or "<not counted>" means the line has an extra
 * leading field (-I, --per-thread) or a decimal comma.
 */
static int unit_ok(const struct ps_field *f)
{
	unsigned char c = f->len ? (unsigned char)f->p[0] : 'a';

	return !isdigit(c) && c != '.' && c != '<' && c != '-' && c != '+' &&
	       !isspace(c);
}

static int parse_counter(const struct csv_ctx *cx, const struct ps_fields *fl,
			 struct ps_counter *c)
{
	const struct ps_field *f = fl->f;
	const struct ps_field *last = &f[fl->nr - 1];
	struct ps_field whole = { f[0].p, (size_t)(last->p + last->len - f[0].p) };
	size_t p, ev_end;

	memset(c, 0, sizeof(*c));
	if (fl->nr < 5)
		return bad_line(cx, fl, "too few fields for perf stat CSV in", &whole);
	if (parse_value(c, &f[0]))
		return bad_line(cx, fl, "bad counter value", &f[0]);
	if (!unit_ok(&f[1]))
		return bad_line(cx, fl, "bad unit (interval or per-thread output is not supported)",
				&f[1]);
	p = find_running(fl, c);
	if (!p)
		return bad_line(cx, fl, "no run time and running percentage in", &whole);
	ev_end = p;
	if (p > 3 && f[p - 1].len && f[p - 1].p[f[p - 1].len - 1] == '%') {
		if (field_variance(&f[p - 1], &c->variance_pct))
			return bad_line(cx, fl, "bad variance", &f[p - 1]);
		c->has_variance = 1;
		ev_end = p - 1;
	}
	if (!f[2].len || !f[ev_end - 1].len)
		return bad_line(cx, fl, "empty event name in", &whole);

	/* find_running() checked that a non-empty metric value parses. */
	if (p + 3 < fl->nr && f[p + 2].len)
		c->has_metric = !field_double(&f[p + 2], &c->metric_value);
	c->metric_unit = p + 3 < fl->nr ? xstrndup(f[p + 3].p, f[p + 3].len) : xstrdup("");
	c->unit = xstrndup(f[1].p, f[1].len);
	c->event = xstrndup(f[2].p, (size_t)(f[ev_end - 1].p + f[ev_end - 1].len - f[2].p));
	if (c->status != PS_COUNTED)
		c->value = 0;
	return 0;
}

static void counter_release(struct ps_counter *c)
{
	free(c->event);
	free(c->unit);
	free(c->metric_unit);
}

/*
 * perf prints a counter's second and later metrics, and metric-group
 * headers, on lines of their own whose value, unit and event are empty.
 * Only the first metric is kept.
 */
static int is_metric_only(const struct ps_fields *fl)
{
	return fl->nr >= 4 && !fl->f[0].len && !fl->f[1].len && !fl->f[2].len;
}

/* Blank lines and "# started on ..." (written by -o) carry no counter. */
static int is_comment_or_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return s[i] == '#';
	return 1;
}

int ps_parse_csv(const char *text, size_t len, char sep, const char *name,
		 struct ps_result *out)
{
	struct ps_fields fl = { NULL, 0, 0 };
	struct csv_ctx cx = { name ? name : "<input>", 0, sep };
	const char *p = text, *end = text + len, *nl;
	struct ps_counter c;
	size_t n;
	int ret = 0;

	/* These occur inside numbers, units and "<not counted>". */
	if (!sep || isalnum((unsigned char)sep) || strchr(".%<>-+_\n\r", sep))
		return error_code(PG_EUSAGE, "perf stat separator 0x%02x cannot delimit its fields",
				  (unsigned char)sep);

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl ? nl : end) - p);
		cx.lineno++;
		if (n && p[n - 1] == '\r')
			n--;
		if (memchr(p, '\0', n)) {
			/* C strings would silently cut the event name short. */
			ret = error_code(PG_EPARSE, "'%s' line %zu: NUL byte in perf stat output",
					 cx.name, cx.lineno);
			goto out;
		}
		if (!is_comment_or_blank(p, n)) {
			fields_split(&fl, p, n, sep);
			if (!is_metric_only(&fl)) {
				ret = parse_counter(&cx, &fl, &c);
				if (ret)
					goto out;
				ALLOC_GROW(out->c, out->nr + 1, out->alloc);
				out->c[out->nr++] = c;
			}
		}
		p = nl ? nl + 1 : end;
	}
out:
	free(fl.f);
	return ret;
}

void ps_result_release(struct ps_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nr; i++)
		counter_release(&r->c[i]);
	free(r->c);
	r->c = NULL;
	r->nr = r->alloc = 0;
}

/*
 * perf's event modifiers (parse-events.l, "modifier_event"): u k h I G H
 * p P S D W e b R.  "cycles:u" is cycles with a modifier; the tracepoint
 * "sched:sched_switch" is not sched with one.
 */
static int is_modifier_list(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr("ukhIGHpPSDWebR", *s))
			return 0;
	return 1;
}

const struct ps_counter *ps_find(const struct ps_result *r, const char *event)
{
	size_t len;

	if (!r || !event)
		return NULL;
	len = strlen(event);
	for (size_t i = 0; i < r->nr; i++)
		if (!strcmp(r->c[i].event, event))
			return &r->c[i];
	for (size_t i = 0; i < r->nr; i++) {
		const char *e = r->c[i].event;

		if (!strncmp(e, event, len) && e[len] == ':' &&
		    is_modifier_list(e + len + 1))
			return &r->c[i];
	}
	return NULL;
}

double ps_value_base(const struct ps_counter *c, int *is_time)
{
	static const struct {
		const char *unit;
		double ns;
	} time_units[] = {
		{ "ns", 1.0 },
		{ "usec", 1e3 },
		{ "msec", 1e6 },
		{ "sec", 1e9 },
	};
	const char *unit = c->unit ? c->unit : "";

	for (size_t i = 0; i < ARRAY_SIZE(time_units); i++) {
		if (!strcmp(unit, time_units[i].unit)) {
			if (is_time)
				*is_time = 1;
			return c->value * time_units[i].ns;
		}
	}
	if (is_time)
		*is_time = 0;
	return c->value;
}

/*
 * Scan one element of an event list from s: stop at a comma outside
 * braces and outside a PMU term list "pmu/.../", or at the end.  Sets
 * *bad for an unbalanced brace or slash.  A breakpoint event
 * "mem:0x1000/8:rw" uses a single slash for its length, so slashes do
 * not open term lists in an element that starts with "mem:".
 */
static const char *element_end(const char *s, int *bad)
{
	int depth = 0, in_terms = 0, breakpoint;

	while (isspace((unsigned char)*s))
		s++;
	breakpoint = !strncmp(s, "mem:", 4);
	for (; *s; s++) {
		if (*s == '/' && !breakpoint) {
			in_terms = !in_terms;
		} else if (in_terms) {
			continue;
		} else if (*s == '{') {
			depth++;
		} else if (*s == '}') {
			if (depth)
				depth--;
			else
				*bad = 1;
		} else if (*s == ',') {
			if (!depth)
				break;
		}
		if (*s == '{' || *s == ',') {
			const char *t = s + 1;

			while (isspace((unsigned char)*t))
				t++;
			breakpoint = !strncmp(t, "mem:", 4);
		}
	}
	if (depth || in_terms)
		*bad = 1;
	return s;
}

static void push_trimmed(struct strvec *sv, const char *s, const char *e)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if (s < e) {
		char *t = xstrndup(s, (size_t)(e - s));

		strvec_push(sv, t);
		free(t);
	}
}

static int is_empty_group(const char *event)
{
	struct strvec members = STRVEC_INIT;
	int empty;

	if (*event != '{')
		return 0;
	ps_event_members(event, &members);
	empty = !members.nr;
	strvec_clear(&members);
	return empty;
}

int ps_split_events(const char *spec, struct strvec *out)
{
	struct strvec tmp = STRVEC_INIT;
	const char *s = spec, *e;
	size_t before;
	int ret = 0, bad;

	for (;;) {
		bad = 0;
		e = element_end(s, &bad);
		if (bad) {
			ret = error_code(PG_EUSAGE, "unbalanced braces or slashes in event '%.*s'",
					 quote_len((size_t)(e - s)), s);
			goto out;
		}
		before = tmp.nr;
		push_trimmed(&tmp, s, e);
		if (tmp.nr == before || is_empty_group(tmp.v[tmp.nr - 1])) {
			ret = error_code(PG_EUSAGE, "empty event in event list '%.*s'",
					 quote_len(strlen(spec)), spec);
			goto out;
		}
		if (!*e)
			break;
		s = e + 1;
	}
	strvec_pushv(out, tmp.v);
out:
	strvec_clear(&tmp);
	return ret;
}

void ps_event_members(const char *event, struct strvec *out)
{
	const char *s = event, *close, *e;
	int depth = 0, in_terms = 0, bad = 0;

	while (isspace((unsigned char)*s))
		s++;
	if (*s != '{') {
		push_trimmed(out, s, s + strlen(s));
		return;
	}
	/* The matching '}'; without one the element is not a group. */
	for (close = s; *close; close++) {
		if (*close == '/')
			in_terms = !in_terms;
		else if (in_terms)
			continue;
		else if (*close == '{')
			depth++;
		else if (*close == '}' && !--depth)
			break;
	}
	if (!*close) {
		push_trimmed(out, s, s + strlen(s));
		return;
	}
	/* Group modifiers (":S", ":u") stay off: ps_find() ignores them. */
	for (s++; s < close; s = e + 1) {
		e = element_end(s, &bad);
		if (e > close)
			e = close;
		push_trimmed(out, s, e);
		if (e == close)
			break;
	}
}
