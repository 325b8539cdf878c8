/* perf c2c report --stdio: sections, key/value lines, the table; see c2c_parse.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "collect/c2c_parse.h"
#include "collect/c2c_internal.h"
#include "util/parse.h"
#include "util/usage.h"
#include "util/banned.h"

enum section { S_TRACE, S_GLOBAL, S_DETAILS, S_TABLE, S_PARETO, S_OTHER };

static struct c2c_text trim(struct c2c_text t)
{
	while (t.len && isspace((unsigned char)*t.s)) {
		t.s++;
		t.len--;
	}
	while (t.len && isspace((unsigned char)t.s[t.len - 1]))
		t.len--;
	return t;
}

static int text_eq(struct c2c_text t, const char *s)
{
	return t.len == strlen(s) && !memcmp(t.s, s, t.len);
}

char *c2c_strndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int c2c_tokens(const char *s, size_t len, struct c2c_tok *t, int max)
{
	int n = 0;
	size_t i = 0;

	while (i < len) {
		size_t j;

		while (i < len && isspace((unsigned char)s[i]))
			i++;
		if (i >= len)
			break;
		for (j = i; j < len && !isspace((unsigned char)s[j]); j++)
			;
		if (n == max)
			return max + 1;
		t[n].s = s + i;
		t[n].len = j - i;
		n++;
		i = j;
	}
	return n;
}

static int tok_copy(const struct c2c_tok *t, char *buf, size_t size)
{
	if (!t->len || t->len >= size)
		return -1;
	memcpy(buf, t->s, t->len);
	buf[t->len] = '\0';
	return 0;
}

int c2c_tok_hex(const struct c2c_tok *t, uint64_t *out)
{
	char b[40];

	if (tok_copy(t, b, sizeof(b)) || b[0] != '0' || (b[1] != 'x' && b[1] != 'X') || !b[2])
		return -1;
	for (const char *p = b + 2; *p; p++)
		if (!isxdigit((unsigned char)*p))
			return -1;
	*out = strtoull(b + 2, NULL, 16);
	return 0;
}

int c2c_tok_int(const struct c2c_tok *t, int64_t *out)
{
	char b[32];

	return tok_copy(t, b, sizeof(b)) || parse_i64(b, out) ? -1 : 0;
}

int c2c_tok_pct(const struct c2c_tok *t, double *out)
{
	if (t->len < 2 || t->s[t->len - 1] != '%')
		return -1;
	return parse_double_n(t->s, t->len - 1, out) || *out < 0 ? -1 : 0;
}

/* All `c` after blanks, at least 10 of them. */
static int is_rule(struct c2c_text t, char c)
{
	t = trim(t);
	if (t.len < 10)
		return 0;
	for (size_t i = 0; i < t.len; i++)
		if (t.s[i] != c)
			return 0;
	return 1;
}

int c2c_is_dots(struct c2c_text t)
{
	int dots = 0;

	t = trim(t);
	if (!t.len || t.s[0] != '#')
		return 0;
	for (size_t i = 1; i < t.len; i++) {
		if (t.s[i] == '.')
			dots = 1;
		else if (t.s[i] != ' ')
			return 0;
	}
	return dots;
}

/* The segment of `t` around column `pos` bounded by two blanks, cleaned of dashes. */
static void group_at(struct c2c_text g, size_t start, size_t end, char *out, size_t size)
{
	size_t a = start, b;

	out[0] = '\0';
	/* The first non-blank in [start, end), else none. */
	while (a < end && a < g.len && g.s[a] == ' ')
		a++;
	if (a >= end || a >= g.len)
		return;
	/* Widen to the segment: stop at a double blank (or the '#'). */
	while (a > 0 && g.s[a - 1] != '#' && !(g.s[a - 1] == ' ' && (a < 2 || g.s[a - 2] == ' ')))
		a--;
	for (b = a; b < g.len && !(g.s[b] == ' ' && (b + 1 >= g.len || g.s[b + 1] == ' ')); b++)
		;
	while (a < b && (g.s[a] == '-' || g.s[a] == ' '))
		a++;
	while (b > a && (g.s[b - 1] == '-' || g.s[b - 1] == ' '))
		b--;
	if (b - a < size) {
		memcpy(out, g.s + a, b - a);
		out[b - a] = '\0';
	}
}

int c2c_cols_parse(struct c2c_text g, struct c2c_text l, struct c2c_text dots,
		   struct c2c_cols *out)
{
	size_t i = 0, prev = 0;

	out->n = 0;
	while (i < dots.len && dots.s[i] != '#')
		i++;
	prev = ++i;
	while (i < dots.len) {
		struct c2c_col *c;
		size_t j, a, b;

		if (dots.s[i] != '.') {
			i++;
			continue;
		}
		for (j = i; j < dots.len && dots.s[j] == '.'; j++)
			;
		if (out->n == C2C_MAXCOLS)
			return -1;
		c = &out->c[out->n++];
		c->start = i;
		c->end = j;
		/* The label: right-aligned to the span; the last one may run past it. */
		a = prev;
		b = j < dots.len ? j : l.len;
		if (j >= dots.len || j + 1 >= dots.len)
			b = l.len;
		if (b > l.len)
			b = l.len;
		if (a > b)
			a = b;
		while (a < b && l.s[a] == ' ')
			a++;
		while (b > a && l.s[b - 1] == ' ')
			b--;
		c->label[0] = '\0';
		if (b - a < sizeof(c->label)) {
			memcpy(c->label, l.s + a, b - a);
			c->label[b - a] = '\0';
		}
		group_at(g, i, j, c->group, sizeof(c->group));
		prev = j;
		i = j;
	}
	return out->n ? 0 : -1;
}

static int64_t *kv_target(struct c2c_summary *s, enum section sec, const char *key)
{
	static const struct { enum section sec; const char *key; size_t off; } map[] = {
		{ S_TRACE, "Total records", offsetof(struct c2c_summary, total_records) },
		{ S_TRACE, "Load Operations", offsetof(struct c2c_summary, loads) },
		{ S_TRACE, "Store Operations", offsetof(struct c2c_summary, stores) },
		{ S_TRACE, "Load Local HITM", offsetof(struct c2c_summary, lcl_hitm) },
		{ S_TRACE, "Load Remote HITM", offsetof(struct c2c_summary, rmt_hitm) },
		{ S_TRACE, "Load HIT Local Peer", offsetof(struct c2c_summary, lcl_peer) },
		{ S_TRACE, "Load HIT Peer", offsetof(struct c2c_summary, lcl_peer) },
		{ S_TRACE, "Load HIT Remote Peer", offsetof(struct c2c_summary, rmt_peer) },
		{ S_GLOBAL, "Total Shared Cache Lines", offsetof(struct c2c_summary, shared_lines) },
		{ S_GLOBAL, "Load HITs on shared lines", offsetof(struct c2c_summary, shared_load_hits) },
		{ S_GLOBAL, "Store HITs on shared lines", offsetof(struct c2c_summary, shared_store_hits) },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].sec == sec && !strcmp(map[i].key, key))
			return (int64_t *)((char *)s + map[i].off);
	return NULL;
}

static void set_str(char **dst, const char *v, int append)
{
	if (append && *dst) {
		size_t a = strlen(*dst), b = strlen(v);
		char *p = xmalloc(a + b + 3);

		memcpy(p, *dst, a);
		memcpy(p + a, ", ", 2);
		memcpy(p + a + 2, v, b + 1);
		free(*dst);
		*dst = p;
		return;
	}
	free(*dst);
	*dst = c2c_strndup(v, strlen(v));
}

/* `key : value` in a key/value section; 0 if it was one. */
static int parse_kv(struct c2c_report *r, enum section sec, struct c2c_text t, char **last_key)
{
	static const char *const names[] = { "trace", "global", "details" };
	const char *colon = memchr(t.s, ':', t.len);
	struct c2c_text k, v;
	struct c2c_kv *kv;
	int64_t *num, n;
	char *key, *val;

	if (!colon || t.len < 2 || t.s[0] != ' ')
		return -1;
	k = trim((struct c2c_text){ t.s, (size_t)(colon - t.s) });
	v = trim((struct c2c_text){ colon + 1, t.len - (size_t)(colon - t.s) - 1 });
	if (!v.len)
		return -1;
	if (!k.len && !*last_key)
		return -1;
	key = k.len ? c2c_strndup(k.s, k.len) : c2c_strndup(*last_key, strlen(*last_key));
	val = c2c_strndup(v.s, v.len);
	if (r->nkv == r->kv_alloc) {
		r->kv_alloc = r->kv_alloc ? 2 * r->kv_alloc : 32;
		r->kv = xrealloc(r->kv, r->kv_alloc * sizeof(*r->kv));
	}
	kv = &r->kv[r->nkv++];
	kv->section = c2c_strndup(names[sec], strlen(names[sec]));
	kv->key = key;
	kv->value = val;
	*last_key = key;
	num = kv_target(&r->sum, sec, key);
	if (num && !parse_i64(val, &n))
		*num = n;
	if (sec == S_DETAILS && !strcmp(key, "Events"))
		set_str(&r->sum.events, val, !k.len);
	else if (sec == S_DETAILS && !strcmp(key, "Cachelines sort on"))
		set_str(&r->sum.sort_on, val, 0);
	else if (sec == S_DETAILS && (!strcmp(key, "Cacheline data grouping") ||
				      !strcmp(key, "Cacheline data groupping")))
		set_str(&r->sum.grouping, val, 0);
	return 0;
}

enum tcol { T_NONE, T_INDEX, T_ADDR, T_NODE, T_PACNT, T_PCT, T_PEERPCT, T_SNOOP, T_HITM_TOT,
	    T_LCL_HITM, T_RMT_HITM, T_PEER_TOT, T_LCL_PEER, T_RMT_PEER, T_RECORDS, T_LOADS,
	    T_STORES, T_ST_L1HIT, T_ST_L1MISS, T_ST_NA };

static enum tcol table_col(const struct c2c_col *c)
{
	const char *g = c->group, *l = c->label;

	if (!strcmp(l, "Index"))
		return T_INDEX;
	if (!strcmp(l, "Address") || !strcmp(l, "Cacheline"))
		return T_ADDR;
	if (!strcmp(l, "Node"))
		return T_NODE;
	if (!strcmp(l, "PA cnt"))
		return T_PACNT;
	if (!strcmp(l, "Hitm"))
		return T_PCT;
	if (!strcmp(g, "Peer") && !strcmp(l, "Snoop"))
		return T_PEERPCT;
	if (!strcmp(g, "Snoop") && !strcmp(l, "Peer"))
		return T_SNOOP;
	if (strstr(g, "Load Hitm")) {
		if (!strcmp(l, "Total"))
			return T_HITM_TOT;
		if (!strcmp(l, "LclHitm") || !strcmp(l, "Lcl"))
			return T_LCL_HITM;
		if (!strcmp(l, "RmtHitm") || !strcmp(l, "Rmt"))
			return T_RMT_HITM;
	}
	if (!strcmp(g, "Load Peer"))
		return !strcmp(l, "Total") ? T_PEER_TOT : !strcmp(l, "Local") ? T_LCL_PEER :
			!strcmp(l, "Remote") ? T_RMT_PEER : T_NONE;
	if (!strcmp(l, "records"))
		return T_RECORDS;
	if (!strcmp(g, "Total") && !strcmp(l, "Loads"))
		return T_LOADS;
	if ((!strcmp(g, "Total") && !strcmp(l, "Stores")) ||
	    (!strcmp(g, "Store Reference") && !strcmp(l, "Total")))
		return T_STORES;
	if (!strcmp(g, "Stores") || !strcmp(g, "Store Reference"))
		return !strcmp(l, "L1Hit") ? T_ST_L1HIT : !strcmp(l, "L1Miss") ? T_ST_L1MISS :
			!strcmp(l, "N/A") ? T_ST_NA : T_NONE;
	return T_NONE;
}

static int table_cell(struct c2c_report *r, struct c2c_line *tmp, enum tcol k,
		      const struct c2c_tok *t)
{
	int64_t *dst = NULL;
	double pct;

	switch (k) {
	case T_INDEX: dst = &tmp->index; break;
	case T_ADDR: return c2c_tok_hex(t, &tmp->address);
	case T_NODE:
		free(tmp->node);
		tmp->node = c2c_strndup(t->s, t->len);
		return 0;
	case T_PACNT: dst = &tmp->pa_cnt; break;
	case T_PEERPCT:
		r->peer_display = 1;
		/* fall through */
	case T_PCT:
		if (c2c_tok_pct(t, &pct))
			return -1;
		tmp->hitm_pct = pct;
		return 0;
	case T_SNOOP:
		/* v3: a % column first ("Snoop Peer"), a count after the HITM group. */
		if (!c2c_tok_pct(t, &pct)) {
			r->peer_display = 1;
			tmp->hitm_pct = pct;
			return 0;
		}
		dst = &tmp->peer_total;
		break;
	case T_HITM_TOT: dst = &tmp->hitm_total; break;
	case T_LCL_HITM: dst = &tmp->lcl_hitm; break;
	case T_RMT_HITM: dst = &tmp->rmt_hitm; break;
	case T_PEER_TOT: dst = &tmp->peer_total; break;
	case T_LCL_PEER: dst = &tmp->lcl_peer; break;
	case T_RMT_PEER: dst = &tmp->rmt_peer; break;
	case T_RECORDS: dst = &tmp->records; break;
	case T_LOADS: dst = &tmp->loads; break;
	case T_STORES: dst = &tmp->stores; break;
	case T_ST_L1HIT: dst = &tmp->st_l1hit; break;
	case T_ST_L1MISS: dst = &tmp->st_l1miss; break;
	case T_ST_NA: dst = &tmp->st_na; break;
	case T_NONE: return 0;
	}
	return c2c_tok_int(t, dst);
}

/* Copy the table's numbers onto the report's line (fields it printed). */
static void merge_line(struct c2c_line *d, struct c2c_line *s)
{
#define TAKE(f) do { if (s->f >= 0) d->f = s->f; } while (0)
	TAKE(index); TAKE(pa_cnt); TAKE(hitm_pct); TAKE(hitm_total); TAKE(lcl_hitm);
	TAKE(rmt_hitm); TAKE(peer_total); TAKE(lcl_peer); TAKE(rmt_peer); TAKE(records);
	TAKE(loads); TAKE(stores); TAKE(st_l1hit); TAKE(st_l1miss); TAKE(st_na);
#undef TAKE
	if (s->node) {
		free(d->node);
		d->node = s->node;
		s->node = NULL;
	}
	d->in_table = 1;
}

static void table_row(struct c2c_report *r, const struct c2c_cols *cols, struct c2c_text t)
{
	struct c2c_tok tok[C2C_MAXTOK];
	int n = c2c_tokens(t.s, t.len, tok, C2C_MAXTOK);
	struct c2c_line tmp, *l;
	int bad = n > cols->n || n < 2, have_addr = 0;

	memset(&tmp, 0, sizeof(tmp));
	tmp.index = tmp.pa_cnt = tmp.hitm_total = tmp.lcl_hitm = tmp.rmt_hitm = -1;
	tmp.peer_total = tmp.lcl_peer = tmp.rmt_peer = tmp.records = tmp.loads = -1;
	tmp.stores = tmp.st_l1hit = tmp.st_l1miss = tmp.st_na = -1;
	tmp.hitm_pct = -1;
	/* A copy may cut the row short: the cells present are taken. */
	for (int i = 0; !bad && i < n; i++) {
		enum tcol k = table_col(&cols->c[i]);

		if (table_cell(r, &tmp, k, &tok[i]))
			bad = 1;
		have_addr |= k == T_ADDR;
	}
	if (bad || !have_addr) {
		r->nskipped++;
		free(tmp.node);
		return;
	}
	l = c2c_line_get(r, tmp.address);
	merge_line(l, &tmp);
	free(tmp.node);
	r->has_table = 1;
}

static enum section section_of(struct c2c_text title)
{
	if (text_eq(title, "Trace Event Information"))
		return S_TRACE;
	if (text_eq(title, "Global Shared Cache Line Event Information"))
		return S_GLOBAL;
	if (text_eq(title, "c2c details"))
		return S_DETAILS;
	if (text_eq(title, "Shared Data Cache Line Table"))
		return S_TABLE;
	if (text_eq(title, "Shared Cache Line Distribution Pareto"))
		return S_PARETO;
	return S_OTHER;
}

struct parser {
	struct c2c_report *r;
	struct c2c_text *lines;
	size_t n;
	enum section sec;
	int seen;                 /* anything of a c2c report */
	char *last_key;
	struct c2c_text hdr[2];   /* the last two '#' header lines of the table */
	struct c2c_cols tcols;
	int have_tcols;
	struct c2c_pareto_state ps;
};

/* A banner at line i: returns the lines it took (0: not a banner). */
static size_t banner(struct parser *p, size_t i)
{
	struct c2c_text title;
	size_t used = 1;

	if (!is_rule(p->lines[i], '='))
		return 0;
	if (i + 1 < p->n && !is_rule(p->lines[i + 1], '=') &&
	    !memchr(p->lines[i + 1].s, ':', p->lines[i + 1].len)) {
		title = trim(p->lines[i + 1]);
		p->sec = section_of(title);
		used = 2;
		if (i + 2 < p->n && is_rule(p->lines[i + 2], '='))
			used = 3;
		if (p->sec == S_PARETO)
			memset(&p->ps, 0, sizeof(p->ps));
		if (p->sec == S_PARETO)
			p->r->has_pareto = 1;
		p->have_tcols = 0;
		p->hdr[0].s = p->hdr[1].s = NULL;
		p->last_key = NULL;
		p->seen = 1;
	}
	return used;
}

static void table_line(struct parser *p, struct c2c_text t)
{
	struct c2c_text tt = trim(t);

	/* Blank, or an author's "[...]" in a mail copy. */
	if (!tt.len || text_eq(tt, "[...]"))
		return;
	if (tt.s[0] == '#') {
		if (c2c_is_dots(t) && p->hdr[0].s && p->hdr[1].s)
			p->have_tcols = !c2c_cols_parse(p->hdr[0], p->hdr[1], t, &p->tcols);
		else if (tt.len > 1) {
			p->hdr[0] = p->hdr[1];
			p->hdr[1] = t;
		}
		return;
	}
	if (p->have_tcols)
		table_row(p->r, &p->tcols, t);
	else
		p->r->nskipped++;
}

static void parse_lines(struct parser *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct c2c_text t = p->lines[i];
		size_t used = banner(p, i);

		if (used) {
			i += used - 1;
			continue;
		}
		switch (p->sec) {
		case S_TRACE: case S_GLOBAL: case S_DETAILS:
			if (c2c_is_dashes(t)) {
				/* A Pareto block copied without its banner. */
				p->sec = S_PARETO;
				p->r->has_pareto = p->seen = 1;
				c2c_pareto_line(p->r, &p->ps, t);
			} else if (!parse_kv(p->r, p->sec, t, &p->last_key))
				p->seen = 1;
			break;
		case S_TABLE:
			table_line(p, t);
			break;
		case S_PARETO:
			c2c_pareto_line(p->r, &p->ps, t);
			break;
		case S_OTHER:
			break;
		}
	}
}

int c2c_parse(const char *buf, size_t len, const char *name, struct c2c_report *r)
{
	struct parser p;
	size_t alloc = 64, i = 0;

	memset(&p, 0, sizeof(p));
	p.r = r;
	p.sec = S_TRACE;  /* a copy may have lost the first banner */
	p.lines = xmalloc(alloc * sizeof(*p.lines));
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - buf) : len;
		struct c2c_text t = { buf + i, e - i };

		if (t.len && t.s[t.len - 1] == '\r')
			t.len--;
		if (p.n == alloc) {
			alloc *= 2;
			p.lines = xrealloc(p.lines, alloc * sizeof(*p.lines));
		}
		p.lines[p.n++] = t;
		i = e + 1;
	}
	parse_lines(&p);
	free(p.lines);
	if (!p.seen && !r->nr)
		return error_code(PG_EPARSE, "'%s' is not a 'perf c2c report --stdio' output "
				  "(no c2c section found)", name);
	return 0;
}
