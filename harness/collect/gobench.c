/*
 * The Go benchmark data format (proposal 14313) and the lines a test
 * binary prints around it; see gobench.h.
 *
 * The rules follow golang.org/x/perf/benchfmt/reader.go, which is what
 * benchstat reads, with two deliberate differences: a result name must be
 * "Benchmark" followed by an upper-case letter, a non-letter or nothing
 * (the rule `go test` itself uses, so "Benchmarking 1 2 ns/op" is not a
 * result), and malformed Unit lines are errors rather than warnings,
 * because a wrong better= direction silently flips every verdict.
 *
 * Fields are split on runs of ASCII white space.  Go rewrites white space
 * in sub-benchmark names to '_' and b.ReportMetric() refuses units with
 * white space, so non-ASCII spaces never separate fields in practice.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "collect/gobench.h"
#include "util/parse.h"
#include "util/usage.h"
#include "util/banned.h"

/* Longest piece of an offending line quoted in a diagnostic. */
#define QUOTE_MAX 120

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

static int is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static int is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

/* Drop the line terminator: "\n", "\r\n", or a stray '\r'. */
static size_t trim_eol(const char *line, size_t len)
{
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	return len;
}

static int mem_eq(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && !memcmp(s, lit, len);
}

static int quote_len(size_t len)
{
	return (int)(len < QUOTE_MAX ? len : QUOTE_MAX);
}

/* A cursor over the white-space separated fields of one line. */
struct fields {
	const char *p;
	const char *end;
};

static void fields_init(struct fields *fs, const char *line, size_t len)
{
	fs->p = line;
	fs->end = line + len;
}

/* Point *f, *flen at the next field; return 0 when there is none. */
static int fields_next(struct fields *fs, const char **f, size_t *flen)
{
	while (fs->p < fs->end && is_space(*fs->p))
		fs->p++;
	if (fs->p == fs->end)
		return 0;
	*f = fs->p;
	while (fs->p < fs->end && !is_space(*fs->p))
		fs->p++;
	*flen = (size_t)(fs->p - *f);
	return 1;
}

/*
 * Copy a field into a NUL-terminated string for the strict parsers.  A
 * field with an embedded NUL is refused: strtod() would stop there and
 * accept the junk after it.
 */
static char *field_str(const char *f, size_t len, char *stack, size_t size)
{
	char *s;

	if (memchr(f, '\0', len))
		return NULL;
	s = len < size ? stack : xmalloc(len + 1);
	memcpy(s, f, len);
	s[len] = '\0';
	return s;
}

static int field_double(const char *f, size_t len, double *out)
{
	char stack[64];
	char *s = field_str(f, len, stack, sizeof(stack));
	int ret;

	if (!s)
		return PG_EPARSE;
	ret = parse_double(s, out);
	if (s != stack)
		free(s);
	return ret;
}

static int field_u64(const char *f, size_t len, uint64_t *out)
{
	char stack[64];
	char *s = field_str(f, len, stack, sizeof(stack));
	int ret;

	if (!s)
		return PG_EPARSE;
	ret = parse_u64(s, out);
	if (s != stack)
		free(s);
	return ret;
}

/*
 * `go test` runs a function as a benchmark when its name is "Benchmark"
 * followed by nothing or by a rune that is not a lower-case letter
 * (testing.isTest); "Benchmarking" is an ordinary function.
 */
static int is_bench_name(const char *s, size_t len)
{
	static const char prefix[] = "Benchmark";
	size_t plen = sizeof(prefix) - 1;

	if (len < plen || memcmp(s, prefix, plen))
		return 0;
	return len == plen || !is_lower(s[plen]);
}

/*
 * Split the GOMAXPROCS suffix off r->name into r->base and r->procs.
 * Go appends "-N" only when N is not 1, so a trailing "-1" always belongs
 * to the name (a sub-benchmark "workers-1", say).
 */
static void result_split_procs(struct gb_result *r, int procs_hint)
{
	const char *dash = strrchr(r->name, '-');
	int n;

	if (dash && dash[1] && !dash[1 + strspn(dash + 1, "0123456789")] &&
	    !parse_int(dash + 1, &n) && n > 1 && (procs_hint <= 0 || n == procs_hint)) {
		r->base = xstrndup(r->name, (size_t)(dash - r->name));
		r->procs = n;
	} else {
		r->base = xstrdup(r->name);
		r->procs = 1;
	}
}

void gb_result_release(struct gb_result *r)
{
	if (!r)
		return;
	free(r->name);
	free(r->base);
	for (size_t i = 0; i < r->nvalues; i++)
		free(r->values[i].unit);
	free(r->values);
	memset(r, 0, sizeof(*r));
}

int gb_parse_result(const char *line, size_t len, int procs_hint,
		    struct gb_result *out)
{
	struct fields fs;
	const char *f, *u;
	size_t flen, ulen, alloc = 0;
	double v;

	memset(out, 0, sizeof(*out));
	len = trim_eol(line, len);
	/* Names and units become C strings: a NUL would cut them short. */
	if (memchr(line, '\0', len))
		return PG_EPARSE;
	fields_init(&fs, line, len);
	if (!fields_next(&fs, &f, &flen) || !is_bench_name(f, flen))
		return PG_EPARSE;
	out->name = xstrndup(f, flen);

	/*
	 * Go never prints a result for zero iterations, and callers divide
	 * counters by this number.
	 */
	if (!fields_next(&fs, &f, &flen) || field_u64(f, flen, &out->iters) ||
	    !out->iters)
		goto fail;

	while (fields_next(&fs, &f, &flen)) {
		if (field_double(f, flen, &v) || !fields_next(&fs, &u, &ulen))
			goto fail;
		ALLOC_GROW(out->values, out->nvalues + 1, alloc);
		out->values[out->nvalues].value = v;
		out->values[out->nvalues].unit = xstrndup(u, ulen);
		out->nvalues++;
	}
	if (!out->nvalues)
		goto fail;
	result_split_procs(out, procs_hint);
	return 0;

fail:
	gb_result_release(out);
	return PG_EPARSE;
}

/*
 * "key: value" as benchfmt reads it: the key starts with a lower-case
 * letter and has no white space and no upper-case letter; one or more
 * spaces or tabs follow the colon unless the value is empty.  An empty
 * value (also one of blanks only) means "delete the key".
 */
static int parse_config_line(const char *line, size_t len,
			     const char **key, size_t *klen,
			     const char **val, size_t *vlen)
{
	const char *v, *end = line + len;
	size_t i;

	if (!len || !is_lower(line[0]))
		return 0;
	for (i = 1; i < len && line[i] != ':'; i++)
		if (is_space(line[i]) || is_upper(line[i]))
			return 0;
	if (i == len)
		return 0;
	v = line + i + 1;
	if (v < end && *v != ' ' && *v != '\t')
		return 0;
	while (v < end && is_space(*v))
		v++;
	while (end > v && is_space(end[-1]))
		end--;
	*key = line;
	*klen = i;
	*val = v;
	*vlen = (size_t)(end - v);
	return 1;
}

/* "--- FAIL: BenchmarkX (0.00s)", possibly indented for sub-benchmarks. */
static int parse_bench_fail(const char *line, size_t len,
			    const char **name, size_t *nlen)
{
	static const char tag[] = "--- FAIL:";
	size_t tlen = sizeof(tag) - 1;
	struct fields fs;

	while (len && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	if (len < tlen || memcmp(line, tag, tlen))
		return 0;
	fields_init(&fs, line + tlen, len - tlen);
	return fields_next(&fs, name, nlen) && is_bench_name(*name, *nlen);
}

/* The last lines of a test binary or `go test`: PASS, ok, FAIL. */
static enum gb_line_kind classify_status(const char *line, size_t len)
{
	size_t n = len;

	while (n && is_space(line[n - 1]))
		n--;
	if (mem_eq(line, n, "PASS"))
		return GB_PASS;
	if (mem_eq(line, n, "FAIL"))
		return GB_FAIL;
	if (len > 2 && !memcmp(line, "ok", 2) && (line[2] == ' ' || line[2] == '\t'))
		return GB_PASS;
	if (len > 4 && !memcmp(line, "FAIL", 4) && (line[4] == ' ' || line[4] == '\t'))
		return GB_FAIL;
	return GB_OTHER;
}

enum gb_line_kind gb_classify_line(const char *line, size_t len, char **name_out)
{
	struct gb_result r;
	struct fields fs;
	const char *f, *k, *v;
	size_t flen, klen, vlen;
	enum gb_line_kind kind;

	if (name_out)
		*name_out = NULL;
	len = trim_eol(line, len);

	if (parse_bench_fail(line, len, &f, &flen)) {
		if (name_out)
			*name_out = xstrndup(f, flen);
		return GB_BENCH_FAIL;
	}
	kind = classify_status(line, len);
	if (kind != GB_OTHER)
		return kind;

	fields_init(&fs, line, len);
	if (len && line[0] == 'B' && fields_next(&fs, &f, &flen) &&
	    is_bench_name(f, flen)) {
		if (!fields_next(&fs, &k, &klen)) {
			if (name_out)
				*name_out = xstrndup(f, flen);
			return GB_START;
		}
		if (gb_parse_result(line, len, 0, &r))
			return GB_OTHER;
		gb_result_release(&r);
		return GB_RESULT;
	}
	fields_init(&fs, line, len);
	if (len && line[0] == 'U' && fields_next(&fs, &f, &flen) &&
	    mem_eq(f, flen, "Unit") && fields_next(&fs, &f, &flen))
		return GB_UNIT;
	if (parse_config_line(line, len, &k, &klen, &v, &vlen))
		return GB_CONFIG;
	return GB_OTHER;
}

/*
 * The state of one gb_parse() call: the configuration in effect (applied
 * to the results that follow, snapshotted lazily when a result needs it).
 */
struct gb_reader {
	struct gb_file *f;
	const char *name;
	size_t lineno;
	struct gb_kv *kv;
	size_t nkv, kv_alloc;
	int dirty;               /* kv changed since the last snapshot */
};

static void reader_release(struct gb_reader *rd)
{
	for (size_t i = 0; i < rd->nkv; i++) {
		free(rd->kv[i].key);
		free(rd->kv[i].value);
	}
	free(rd->kv);
	rd->kv = NULL;
	rd->nkv = rd->kv_alloc = 0;
}

static void reader_config(struct gb_reader *rd, const char *key, size_t klen,
			  const char *val, size_t vlen)
{
	size_t i;

	for (i = 0; i < rd->nkv; i++)
		if (mem_eq(key, klen, rd->kv[i].key))
			break;
	if (!vlen) {
		if (i == rd->nkv)
			return;
		rd->dirty = 1;
		free(rd->kv[i].key);
		free(rd->kv[i].value);
		/* Keep the order of the others: it is the order printed. */
		memmove(rd->kv + i, rd->kv + i + 1,
			(rd->nkv - i - 1) * sizeof(*rd->kv));
		rd->nkv--;
		return;
	}
	if (i == rd->nkv) {
		ALLOC_GROW(rd->kv, rd->nkv + 1, rd->kv_alloc);
		rd->kv[i].key = xstrndup(key, klen);
		rd->kv[i].value = NULL;
		rd->nkv++;
	}
	free(rd->kv[i].value);
	rd->kv[i].value = xstrndup(val, vlen);
	rd->dirty = 1;
}

/* The index of a snapshot of the configuration now in effect. */
static size_t reader_snapshot(struct gb_reader *rd)
{
	struct gb_file *f = rd->f;
	struct gb_config *c;

	if (rd->dirty || !f->nconfigs) {
		ALLOC_GROW(f->configs, f->nconfigs + 1, f->configs_alloc);
		c = &f->configs[f->nconfigs++];
		c->nr = rd->nkv;
		c->kv = rd->nkv ? xcalloc(rd->nkv, sizeof(*c->kv)) : NULL;
		for (size_t i = 0; i < rd->nkv; i++) {
			c->kv[i].key = xstrdup(rd->kv[i].key);
			c->kv[i].value = xstrdup(rd->kv[i].value);
		}
		rd->dirty = 0;
	}
	return f->nconfigs - 1;
}

static const char *reader_name(const struct gb_reader *rd)
{
	return rd->name ? rd->name : "<input>";
}

static struct gb_unit *unit_get(struct gb_file *f, const char *unit, size_t len)
{
	struct gb_unit *u;

	for (size_t i = 0; i < f->nunits; i++)
		if (mem_eq(unit, len, f->units[i].unit))
			return &f->units[i];
	ALLOC_GROW(f->units, f->nunits + 1, f->units_alloc);
	u = &f->units[f->nunits++];
	memset(u, 0, sizeof(*u));
	u->unit = xstrndup(unit, len);
	return u;
}

/* One key=value of a Unit line; unknown keys are left to other tools. */
static int reader_unit_kv(struct gb_reader *rd, const char *unit, size_t ulen,
			  const char *kv, size_t len)
{
	const char *eq = memchr(kv, '=', len);
	const char *val;
	size_t klen, vlen;
	struct gb_unit *u;
	int better = 0, exact = -1;

	if (!eq || eq == kv)
		return error_code(PG_EPARSE, "'%s' line %zu: expected key=value in Unit line, got '%.*s'",
				  reader_name(rd), rd->lineno, quote_len(len), kv);
	klen = (size_t)(eq - kv);
	val = eq + 1;
	vlen = len - klen - 1;
	if (mem_eq(kv, klen, "better")) {
		if (mem_eq(val, vlen, "higher"))
			better = 1;
		else if (mem_eq(val, vlen, "lower"))
			better = -1;
	} else if (mem_eq(kv, klen, "assume")) {
		if (mem_eq(val, vlen, "exact"))
			exact = 1;
		else if (mem_eq(val, vlen, "nothing"))
			exact = 0;
	} else {
		return 0;
	}
	if (!better && exact < 0)
		return error_code(PG_EPARSE, "'%s' line %zu: unknown value in '%.*s' (better=higher|lower, assume=exact|nothing)",
				  reader_name(rd), rd->lineno, quote_len(len), kv);

	u = unit_get(rd->f, unit, ulen);
	if (better && u->better && u->better != better)
		return error_code(PG_EPARSE, "'%s' line %zu: conflicting metadata for unit '%s': better=%s after better=%s",
				  reader_name(rd), rd->lineno, u->unit,
				  better > 0 ? "higher" : "lower",
				  u->better > 0 ? "higher" : "lower");
	if (exact >= 0 && u->assume_set && u->assume_exact != exact)
		return error_code(PG_EPARSE, "'%s' line %zu: conflicting metadata for unit '%s': assume=%s after assume=%s",
				  reader_name(rd), rd->lineno, u->unit,
				  exact ? "exact" : "nothing",
				  u->assume_exact ? "exact" : "nothing");
	if (better)
		u->better = better;
	if (exact >= 0) {
		u->assume_exact = exact;
		u->assume_set = 1;
	}
	return 0;
}

/* "Unit <unit> key=value ...", the "Unit" field already consumed. */
static int reader_unit(struct gb_reader *rd, struct fields *fs)
{
	const char *unit, *kv;
	size_t ulen, kvlen;
	int ret;

	if (!fields_next(fs, &unit, &ulen))
		return error_code(PG_EPARSE, "'%s' line %zu: Unit line without a unit",
				  reader_name(rd), rd->lineno);
	while (fields_next(fs, &kv, &kvlen)) {
		ret = reader_unit_kv(rd, unit, ulen, kv, kvlen);
		if (ret)
			return ret;
	}
	return 0;
}

static void file_add_failed(struct gb_file *f, const char *name, size_t len)
{
	for (size_t i = 0; i < f->nfailed; i++)
		if (mem_eq(name, len, f->failed[i]))
			return;
	ALLOC_GROW(f->failed, f->nfailed + 1, f->failed_alloc);
	f->failed[f->nfailed++] = xstrndup(name, len);
}

/*
 * A line that starts with a benchmark name: a bare name (printed by
 * -test.v when the benchmark starts) or a result.  benchstat warns about
 * malformed results and goes on; so do we.
 */
static void reader_result(struct gb_reader *rd, const char *line, size_t len)
{
	struct gb_file *f = rd->f;
	struct gb_result r;
	struct fields fs;
	const char *fld;
	size_t flen;

	fields_init(&fs, line, len);
	if (!fields_next(&fs, &fld, &flen) || !is_bench_name(fld, flen))
		return;
	if (!fields_next(&fs, &fld, &flen))
		return;
	if (gb_parse_result(line, len, 0, &r)) {
		warning("'%s' line %zu: malformed benchmark result ignored: '%.*s'",
			reader_name(rd), rd->lineno, quote_len(len), line);
		return;
	}
	r.config = reader_snapshot(rd);
	r.lineno = rd->lineno;
	ALLOC_GROW(f->results, f->nr + 1, f->alloc);
	f->results[f->nr++] = r;
}

static int reader_line(struct gb_reader *rd, const char *line, size_t len)
{
	struct fields fs;
	const char *a, *b;
	size_t alen, blen;

	switch (classify_status(line, len)) {
	case GB_PASS:
		rd->f->saw_pass = 1;
		return 0;
	case GB_FAIL:
		rd->f->saw_fail = 1;
		return 0;
	default:
		break;
	}
	if (parse_bench_fail(line, len, &a, &alen)) {
		file_add_failed(rd->f, a, alen);
		return 0;
	}
	if (len && line[0] == 'B') {
		reader_result(rd, line, len);
		return 0;
	}
	fields_init(&fs, line, len);
	if (len && line[0] == 'U' && fields_next(&fs, &a, &alen) &&
	    mem_eq(a, alen, "Unit"))
		return reader_unit(rd, &fs);
	if (parse_config_line(line, len, &a, &alen, &b, &blen))
		reader_config(rd, a, alen, b, blen);
	return 0;
}

int gb_parse(const char *text, size_t len, const char *name, struct gb_file *out)
{
	struct gb_reader rd = { out, name, 0, NULL, 0, 0, 1 };
	const char *p = text, *end = text + len, *nl;
	int ret = 0;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		rd.lineno++;
		ret = reader_line(&rd, p, trim_eol(p, (size_t)((nl ? nl : end) - p)));
		if (ret)
			break;
		p = nl ? nl + 1 : end;
	}
	reader_release(&rd);
	return ret;
}

void gb_file_release(struct gb_file *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nr; i++)
		gb_result_release(&f->results[i]);
	free(f->results);
	for (size_t i = 0; i < f->nconfigs; i++) {
		for (size_t j = 0; j < f->configs[i].nr; j++) {
			free(f->configs[i].kv[j].key);
			free(f->configs[i].kv[j].value);
		}
		free(f->configs[i].kv);
	}
	free(f->configs);
	for (size_t i = 0; i < f->nunits; i++)
		free(f->units[i].unit);
	free(f->units);
	for (size_t i = 0; i < f->nfailed; i++)
		free(f->failed[i]);
	free(f->failed);
	memset(f, 0, sizeof(*f));
}

const char *gb_config_get(const struct gb_file *f, const struct gb_result *r,
			  const char *key)
{
	const struct gb_config *c;

	if (!f || !r || r->config >= f->nconfigs)
		return NULL;
	c = &f->configs[r->config];
	for (size_t i = 0; i < c->nr; i++)
		if (!strcmp(c->kv[i].key, key))
			return c->kv[i].value;
	return NULL;
}

const struct gb_unit *gb_unit_find(const struct gb_file *f, const char *unit)
{
	if (!f || !unit)
		return NULL;
	for (size_t i = 0; i < f->nunits; i++)
		if (!strcmp(f->units[i].unit, unit))
			return &f->units[i];
	return NULL;
}

int gb_unit_default_better(const char *unit)
{
	size_t len;

	if (!unit)
		return 0;
	if (!strcmp(unit, "MB/s") || !strcmp(unit, "B/s") || !strcmp(unit, "IPC"))
		return 1;
	len = strlen(unit);
	/* ns/op, B/op, allocs/op, sec/op and counters such as instructions/op. */
	if (len > 3 && !strcmp(unit + len - 3, "/op"))
		return -1;
	return 0;
}

void gb_bench_regexp(struct buf *out, const char *name)
{
	const char *p;

	buf_addch(out, '^');
	for (p = name; *p; p++) {
		if (*p == '/') {
			/* Go matches each slash-separated element on its own. */
			buf_add(out, "$/^", 3);
			continue;
		}
		if (strchr("\\.+*?()|[]{}^$", *p))
			buf_addch(out, '\\');
		buf_addch(out, *p);
	}
	buf_addch(out, '$');
}
