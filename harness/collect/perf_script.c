/* The perf script parser; see perf_script.h for the format. */
#include <stdlib.h>
#include <string.h>

#include "collect/perf_script.h"
#include "util/usage.h"
#include "util/banned.h"

#define KERNEL_DSO "[kernel.kallsyms]"

void pscript_init(struct pscript *ps, struct profile *prof)
{
	memset(ps, 0, sizeof(*ps));
	ps->prof = prof;
}

void pscript_release(struct pscript *ps)
{
	for (size_t i = 0; i < ps->nmaps; i++)
		free(ps->maps[i].path);
	free(ps->maps);
	free(ps->stack);
	memset(ps, 0, sizeof(*ps));
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* s[0..len) as a hex number with an optional 0x; 0 or -1. */
static int span_hex(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
	}
	if (!len || len > 16)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int d = hexval(s[i]);

		if (d < 0)
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return 0;
}

/* s[0..len) as a decimal number (a leading '-' allowed); 0 or -1. */
static int span_dec(const char *s, size_t len, int64_t *out)
{
	int neg = len && *s == '-';
	uint64_t v = 0;

	s += neg;
	len -= (size_t)neg;
	if (!len || len > 18)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

/* The word ending at `end` (exclusive), skipping spaces before `end`; its start. */
static const char *word_before(const char *line, const char *end, const char **wend)
{
	const char *e = end, *b;

	while (e > line && is_space(e[-1]))
		e--;
	for (b = e; b > line && !is_space(b[-1]); b--)
		;
	*wend = e;
	return b;
}

/* "...: PERF_RECORD_MMAP[2] <pid>/<tid>: [0xSTART(0xLEN) @ PGOFF ...]: PROT PATH" */
static void mmap_line(struct pscript *ps, const char *line, size_t len)
{
	const char *end = line + len, *s = memchr(line, '[', len), *p, *q;
	uint64_t start, size, pgoff;
	struct pscript_map *m;
	struct profile *prof = ps->prof;

	if (!s || !(p = memchr(s, '(', (size_t)(end - s))) ||
	    span_hex(s + 1, (size_t)(p - s - 1), &start) ||
	    !(q = memchr(p, ')', (size_t)(end - p))) || span_hex(p + 1, (size_t)(q - p - 1), &size) ||
	    (size_t)(end - q) < 4 || memcmp(q, ") @ ", 4)) {
		ps->bad++;
		return;
	}
	p = q + 4;
	for (q = p; q < end && !is_space(*q) && *q != ']'; q++)
		;
	if (span_hex(p, (size_t)(q - p), &pgoff) || !(p = memchr(q, ']', (size_t)(end - q))) ||
	    end - p < 3 || p[1] != ':' || p[2] != ' ') {
		ps->bad++;
		return;
	}
	/* Protection ("r-xp", "x"), then the path to the end of the line. */
	p += 3;
	q = memchr(p, ' ', (size_t)(end - p));
	if (!q || !memchr(p, 'x', (size_t)(q - p)) || q + 1 >= end)
		return;       /* not executable: no code runs there */
	q++;
	ALLOC_GROW(ps->maps, ps->nmaps + 1, ps->amaps);
	m = &ps->maps[ps->nmaps++];
	if ((size_t)(end - q) >= strlen(KERNEL_DSO) && !memcmp(q, KERNEL_DSO, strlen(KERNEL_DSO)))
		m->path = xstrdup(KERNEL_DSO);   /* "[kernel.kallsyms]_text" */
	else
		m->path = xstrndup(q, (size_t)(end - q));
	m->len = strlen(m->path);
	m->start = start;
	m->limit = start + size;
	m->pgoff = pgoff;
	m->id = profile_map(prof, start, start + size, pgoff, m->path);
}

const struct pscript_map *pscript_find_map(const struct pscript *ps, const char *path)
{
	for (size_t i = 0; i < ps->nmaps; i++)
		if (!strcmp(ps->maps[i].path, path))
			return &ps->maps[i];
	return NULL;
}

static void end_sample(struct pscript *ps)
{
	if (ps->in_sample && !ps->skip && ps->nstack) {
		profile_sample(ps->prof, ps->stack, ps->nstack, ps->tid, ps->period);
		ps->samples++;
	}
	ps->in_sample = ps->skip = 0;
	ps->nstack = 0;
}

/* "<comm> <pid>/<tid> <sec>.<usec>: <period> <event>:" read from the right. */
static void header_line(struct pscript *ps, const char *line, size_t len)
{
	const char *e, *b, *slash;
	int64_t period, pid, tid, sec, usec;
	const char *dot;

	end_sample(ps);
	ps->in_sample = 1;
	b = word_before(line, line + len, &e);          /* event: */
	if (b == e || e[-1] != ':') {
		ps->skip = 1;
		ps->bad++;
		return;
	}
	b = word_before(line, b, &e);                   /* period */
	if (span_dec(b, (size_t)(e - b), &period) || period < 0)
		goto bad;
	b = word_before(line, b, &e);                   /* time: */
	if (b == e || e[-1] != ':' || !(dot = memchr(b, '.', (size_t)(e - b))) ||
	    span_dec(b, (size_t)(dot - b), &sec) || span_dec(dot + 1, (size_t)(e - 1 - dot - 1), &usec))
		goto bad;
	b = word_before(line, b, &e);                   /* pid/tid */
	if (b == line || !(slash = memchr(b, '/', (size_t)(e - b))) ||
	    span_dec(b, (size_t)(slash - b), &pid) || span_dec(slash + 1, (size_t)(e - slash - 1), &tid))
		goto bad;
	ps->pid = pid;
	ps->tid = tid;
	ps->period = period;
	{
		uint64_t ns = (uint64_t)sec * 1000000000u + (uint64_t)usec * 1000u;

		if (!ps->first_ns || ns < ps->first_ns)
			ps->first_ns = ns;
		if (ns > ps->last_ns)
			ps->last_ns = ns;
	}
	if (!ps->prof->pid)
		ps->prof->pid = pid;
	return;
bad:
	ps->skip = 1;
	ps->bad++;
}

/* The mapping a frame belongs to and its runtime address; NULL: none known. */
static const struct pscript_map *frame_map(struct pscript *ps, const char *dso, size_t dlen,
					   uint64_t ip, uint64_t *addr)
{
	const struct pscript_map *rel = NULL;

	*addr = ip;
	for (size_t i = 0; i < ps->nmaps; i++) {
		const struct pscript_map *m = &ps->maps[i];

		if (m->len != dlen || memcmp(m->path, dso, dlen))
			continue;
		if (ip >= m->start && ip < m->limit)
			return m;           /* an absolute address (the kernel's) */
		if (!rel && ip >= m->pgoff && ip - m->pgoff < m->limit - m->start)
			rel = m;
	}
	if (rel)
		*addr = ip - rel->pgoff + rel->start;
	return rel;
}

/* A dso perf had no mmap record of: a mapping of its own, without a range. */
static uint32_t orphan_map(struct pscript *ps, const char *dso, size_t dlen)
{
	struct pscript_map *m;

	for (size_t i = 0; i < ps->nmaps; i++)
		if (ps->maps[i].len == dlen && !memcmp(ps->maps[i].path, dso, dlen) &&
		    ps->maps[i].start == ps->maps[i].limit)
			return ps->maps[i].id;
	ALLOC_GROW(ps->maps, ps->nmaps + 1, ps->amaps);
	m = &ps->maps[ps->nmaps++];
	memset(m, 0, sizeof(*m));
	m->path = xstrndup(dso, dlen);
	m->len = dlen;
	m->id = profile_map(ps->prof, 0, 0, 0, m->path);
	return m->id;
}

/* "<hex ip> <sym> (<dso>)": the dso is the last balanced parenthesis group. */
static void frame_line(struct pscript *ps, const char *line, size_t len)
{
	const char *end = line + len, *s = line, *p, *sym, *symend, *dso = NULL;
	const struct pscript_map *m;
	size_t dlen = 0;
	uint64_t ip, addr;
	uint32_t map = 0, loc;
	int created;

	while (s < end && is_space(*s))
		s++;
	for (p = s; p < end && !is_space(*p); p++)
		;
	if (span_hex(s, (size_t)(p - s), &ip)) {
		ps->bad++;
		return;
	}
	while (p < end && is_space(*p))
		p++;
	sym = p;
	symend = end;
	while (symend > sym && is_space(symend[-1]))
		symend--;
	if (symend > sym && symend[-1] == ')') {
		int depth = 0;

		for (const char *q = symend - 1; q >= sym; q--) {
			depth += *q == ')' ? 1 : *q == '(' ? -1 : 0;
			if (!depth) {
				dso = q + 1;
				dlen = (size_t)(symend - 1 - dso);
				symend = q;
				break;
			}
		}
	}
	while (symend > sym && is_space(symend[-1]))
		symend--;
	if (!dso)
		ps->bad++;        /* truncated: keep the address, no mapping */
	addr = ip;
	if (dso && !(dlen == 9 && !memcmp(dso, "[unknown]", 9))) {
		m = frame_map(ps, dso, dlen, ip, &addr);
		map = m ? m->id : orphan_map(ps, dso, dlen);
	}
	loc = profile_loc(ps->prof, map, addr, &created);
	if (created) {
		struct prof_line l = { 0, 0 };

		if (symend == sym || (symend - sym == 9 && !memcmp(sym, "[unknown]", 9)))
			l.func = 0;
		else
			l.func = profile_func(ps->prof, profile_str(ps->prof, sym, (size_t)(symend - sym)),
					      0, 0);
		if (l.func)
			profile_loc_lines(ps->prof, loc, &l, 1);
	}
	ALLOC_GROW(ps->stack, ps->nstack + 1, ps->astack);
	ps->stack[ps->nstack++] = loc;
}

void pscript_line(struct pscript *ps, const char *line, size_t len)
{
	ps->lines++;
	/* perf prints no NUL: such a line is not perf's (and would cut names short). */
	if (memchr(line, '\0', len)) {
		ps->bad++;
		return;
	}
	while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	if (!len) {
		end_sample(ps);
		return;
	}
	if (is_space(line[0])) {
		size_t i = 0;

		while (i < len && is_space(line[i]))
			i++;
		if (i == len) {
			end_sample(ps);
		} else if (!ps->in_sample) {
			ps->bad++;
		} else if (!ps->skip) {
			frame_line(ps, line, len);
		}
		return;
	}
	if (memmem(line, len, " PERF_RECORD_MMAP", 17)) {
		end_sample(ps);
		mmap_line(ps, line, len);
		return;
	}
	if (memmem(line, len, " PERF_RECORD_", 13)) {
		end_sample(ps);
		return;
	}
	header_line(ps, line, len);
}

void pscript_finish(struct pscript *ps)
{
	end_sample(ps);
}
