/* perf c2c report --stdio: the Shared Cache Line Distribution Pareto; see c2c_parse.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "collect/c2c_internal.h"
#include "util/usage.h"
#include "util/banned.h"

enum pcol { P_NONE, P_NUM, P_RMT, P_LCL, P_PEER, P_L1HIT, P_L1MISS, P_NA, P_OFF, P_DNODE,
	    P_PACNT, P_PID, P_TID, P_IADDR, P_CRMT, P_CLCL, P_CLOAD, P_CPEER, P_RECORDS, P_CPU,
	    P_SYM };

static enum pcol pareto_col(const struct c2c_col *c)
{
	static const struct { const char *label; enum pcol k; } plain[] = {
		{ "Num", P_NUM }, { "Offset", P_OFF }, { "Node", P_DNODE }, { "PA cnt", P_PACNT },
		{ "Pid", P_PID }, { "Tid", P_TID }, { "Code address", P_IADDR },
		{ "rmt hitm", P_CRMT }, { "rmt peer", P_CRMT }, { "lcl hitm", P_CLCL },
		{ "lcl peer", P_CLCL }, { "load", P_CLOAD }, { "peer", P_CPEER },
		{ "records", P_RECORDS }, { "cnt", P_CPU }, { "Symbol", P_SYM },
		{ "L1 Hit", P_L1HIT }, { "L1 Miss", P_L1MISS }, { "N/A", P_NA },
		{ "Rmt", P_RMT }, { "RmtHitm", P_RMT }, { "Lcl", P_LCL }, { "LclHitm", P_LCL },
	};

	if (!strcmp(c->group, "Snoop") && !strcmp(c->label, "Peer"))
		return P_PEER;
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!strcmp(plain[i].label, c->label))
			return plain[i].k;
	return P_NONE;
}

/* An author's copy without column headers (Lipeng Zhu 2023): the 5.1x order. */
static const enum pcol headerless[] = {
	P_RMT, P_LCL, P_L1HIT, P_L1MISS, P_OFF, P_DNODE, P_PACNT, P_IADDR, P_CRMT, P_CLCL,
	P_CLOAD, P_RECORDS, P_CPU, P_SYM
};

/* The row columns (without Num) up to Symbol; returns how many, -1 without Symbol. */
static int row_layout(const struct c2c_pareto_state *ps, enum pcol *out, int max)
{
	int n = 0;

	if (!ps->have_cols) {
		for (size_t i = 0; i < sizeof(headerless) / sizeof(headerless[0]); i++)
			out[n++] = headerless[i];
		return n - 1;
	}
	for (int i = 0; i < ps->cols.n && n < max; i++) {
		enum pcol k = pareto_col(&ps->cols.c[i]);

		if (k == P_NUM)
			continue;
		out[n++] = k;
		if (k == P_SYM)
			return n - 1;
	}
	return -1;
}

static int is_pct_col(enum pcol k)
{
	return k >= P_RMT && k <= P_NA;
}

/* The block header: Num, the counts of the % columns, the line's address. */
static void block_header(struct c2c_report *r, struct c2c_pareto_state *ps, struct c2c_text t)
{
	struct c2c_tok tok[C2C_MAXTOK];
	enum pcol lay[C2C_MAXCOLS];
	int n = c2c_tokens(t.s, t.len, tok, C2C_MAXTOK), nl = row_layout(ps, lay, C2C_MAXCOLS);
	int64_t v, idx;
	uint64_t addr;
	struct c2c_line *l;
	int ci = 1;

	ps->line = NULL;
	if (n < 3 || n > C2C_MAXTOK || c2c_tok_int(&tok[0], &idx) || c2c_tok_hex(&tok[n - 1], &addr)) {
		r->nskipped++;
		return;
	}
	l = c2c_line_get(r, addr);
	l->in_pareto = 1;
	if (l->index < 0)
		l->index = idx;
	for (int i = 0; i < nl && ci < n - 1; i++) {
		if (!is_pct_col(lay[i]))
			continue;
		if (c2c_tok_int(&tok[ci++], &v))
			break;
		switch (lay[i]) {
		case P_RMT: l->p_rmt = v; break;
		case P_LCL: l->p_lcl = v; break;
		case P_PEER: l->p_peer = v; break;
		case P_L1HIT: l->p_l1hit = v; break;
		case P_L1MISS: l->p_l1miss = v; break;
		case P_NA: l->p_na = v; break;
		default: break;
		}
	}
	ps->line = l;
}

static int is_node_tok(const struct c2c_tok *t)
{
	if (t->len == 3 && !memcmp(t->s, "N/A", 3))
		return 1;
	for (size_t i = 0; i < t->len; i++)
		if (!isdigit((unsigned char)t->s[i]))
			return 0;
	return t->len > 0;
}

/* A `N{...}` entry ending at token j: the index of its first token, or -1. */
static int brace_entry(const struct c2c_tok *t, int first, int j)
{
	if (!t[j].len || t[j].s[t[j].len - 1] != '}')
		return -1;
	for (int i = j; i >= first; i--) {
		const char *b = memchr(t[i].s, '{', t[i].len);

		if (b) {
			struct c2c_tok pre = { t[i].s, (size_t)(b - t[i].s) };

			return pre.len && is_node_tok(&pre) ? i : -1;
		}
		if (memchr(t[i].s, '}', t[i].len) && i != j)
			return -1;
	}
	return -1;
}

static double scale(double pct, int64_t count)
{
	return pct < 0 || count < 0 ? 0 : pct * (double)count / 100.0;
}

static int row_cell(struct c2c_row *w, enum pcol k, const struct c2c_tok *t)
{
	int64_t *dst = NULL;
	double *pct = NULL;

	switch (k) {
	case P_RMT: pct = &w->rmt_pct; break;
	case P_LCL: pct = &w->lcl_pct; break;
	case P_PEER: pct = &w->peer_pct; break;
	case P_L1HIT: pct = &w->st_l1hit_pct; break;
	case P_L1MISS: pct = &w->st_l1miss_pct; break;
	case P_NA: pct = &w->st_na_pct; break;
	case P_OFF: return c2c_tok_hex(t, &w->offset);
	case P_IADDR: return c2c_tok_hex(t, &w->iaddr);
	case P_DNODE:
		/* A header may name the column twice: the last cell wins, none leaks. */
		free(w->node);
		w->node = c2c_strndup(t->s, t->len);
		return 0;
	case P_TID: {
		/* "tid:comm" or a bare tid */
		const char *c = memchr(t->s, ':', t->len);
		struct c2c_tok n = { t->s, c ? (size_t)(c - t->s) : t->len };

		return c2c_tok_int(&n, &w->tid);
	}
	case P_PACNT: dst = &w->pa_cnt; break;
	case P_PID: dst = &w->pid; break;
	case P_CRMT: dst = &w->cyc_rmt; break;
	case P_CLCL: dst = &w->cyc_lcl; break;
	case P_CLOAD: dst = &w->cyc_load; break;
	case P_CPEER: dst = &w->cyc_peer; break;
	case P_RECORDS: dst = &w->records; break;
	case P_CPU: dst = &w->cpu_cnt; break;
	default: return 0;
	}
	if (pct)
		return c2c_tok_pct(t, pct);
	return c2c_tok_int(t, dst);
}

static void row_defaults(struct c2c_row *w)
{
	memset(w, 0, sizeof(*w));
	w->rmt_pct = w->lcl_pct = w->peer_pct = -1;
	w->st_l1hit_pct = w->st_l1miss_pct = w->st_na_pct = -1;
	w->pa_cnt = w->pid = w->tid = -1;
	w->cyc_rmt = w->cyc_lcl = w->cyc_load = w->cyc_peer = w->records = w->cpu_cnt = -1;
}

static void row_free(struct c2c_row *w)
{
	free(w->node);
	free(w->symbol);
	free(w->object);
	free(w->source);
	free(w->nodes);
}

/* Symbol, Object, Source:Line and the node list, read from the right. */
static int row_tail(struct c2c_row *w, const struct c2c_tok *tok, int k, int n,
		    const char *end)
{
	int j = n - 1, first;

	while (j >= k + 3) {
		int b = brace_entry(tok, k + 3, j);

		if (b >= 0)
			j = b - 1;
		else if (is_node_tok(&tok[j]))
			j--;
		else
			break;
	}
	if (j < k + 2)
		return -1;
	if (j + 1 < n)
		w->nodes = c2c_strndup(tok[j + 1].s, (size_t)(end - tok[j + 1].s));
	w->source = c2c_strndup(tok[j].s, tok[j].len);
	w->object = c2c_strndup(tok[j - 1].s, tok[j - 1].len);
	first = k;
	w->symbol = c2c_strndup(tok[first].s,
				(size_t)(tok[j - 2].s + tok[j - 2].len - tok[first].s));
	return 0;
}

static void data_row(struct c2c_report *r, struct c2c_pareto_state *ps, struct c2c_text t)
{
	struct c2c_tok tok[C2C_MAXTOK];
	enum pcol lay[C2C_MAXCOLS];
	int n = c2c_tokens(t.s, t.len, tok, C2C_MAXTOK), nl = row_layout(ps, lay, C2C_MAXCOLS);
	struct c2c_line *l = ps->line;
	struct c2c_row w;
	int k = -1;

	row_defaults(&w);
	for (int i = 0; i < n && i <= C2C_MAXTOK - 1; i++)
		if (tok[i].len == 3 && tok[i].s[0] == '[' && tok[i].s[2] == ']') {
			k = i;
			break;
		}
	if (!l || nl < 0 || n > C2C_MAXTOK || k != nl)
		goto bad;
	for (int i = 0; i < nl; i++)
		if (row_cell(&w, lay[i], &tok[i]))
			goto bad;
	w.kind = tok[k].s[1];
	if (row_tail(&w, tok, k + 1, n, tok[n - 1].s + tok[n - 1].len))
		goto bad;
	w.rmt = scale(w.rmt_pct, l->p_rmt);
	w.lcl = scale(w.lcl_pct, l->p_lcl);
	w.peer = scale(w.peer_pct, l->p_peer);
	w.stores = scale(w.st_l1hit_pct, l->p_l1hit) + scale(w.st_l1miss_pct, l->p_l1miss) +
		scale(w.st_na_pct, l->p_na);
	*c2c_row_add(l) = w;
	return;
bad:
	row_free(&w);
	r->nskipped++;
}

int c2c_is_dashes(struct c2c_text t)
{
	size_t i = 0, n = 0;

	while (i < t.len && t.s[i] == ' ')
		i++;
	for (; i < t.len && t.s[i] == '-'; i++)
		n++;
	while (i < t.len && isspace((unsigned char)t.s[i]))
		i++;
	return n >= 20 && i == t.len;
}

void c2c_pareto_line(struct c2c_report *r, struct c2c_pareto_state *ps, struct c2c_text t)
{
	struct c2c_tok first;
	size_t i = 0;

	while (i < t.len && isspace((unsigned char)t.s[i]))
		i++;
	if (i == t.len)
		return;
	if (t.s[i] == '#') {
		if (c2c_is_dots(t) && ps->nhdr >= 2)
			ps->have_cols = !c2c_cols_parse(ps->hdr[ps->nhdr - 2], ps->hdr[ps->nhdr - 1],
							t, &ps->cols);
		else if (t.len - i > 1) {
			if (ps->nhdr == 3) {
				ps->hdr[0] = ps->hdr[1];
				ps->hdr[1] = ps->hdr[2];
				ps->nhdr = 2;
			}
			ps->hdr[ps->nhdr++] = t;
		}
		return;
	}
	if (c2c_is_dashes(t)) {
		/* dashes, header, dashes, rows ... */
		ps->in_block = ps->in_block == 1 ? 2 : 1;
		return;
	}
	if (ps->in_block == 1) {
		block_header(r, ps, t);
		return;
	}
	/* A data row starts with a percentage; call graphs and "[...]" do not. */
	first.s = t.s + i;
	for (first.len = 0; i + first.len < t.len && !isspace((unsigned char)first.s[first.len]);)
		first.len++;
	if (ps->in_block == 2 && first.s[first.len - 1] == '%')
		data_row(r, ps, t);
}
