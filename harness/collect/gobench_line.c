/*
 * One line of a test binary's output: white-space separated fields,
 * classification (gb_classify_line) and result lines (gb_parse_result),
 * and the -test.bench regexp of a name; see gobench.h.  gobench.c builds
 * the file model from these.
 *
 * The rules follow golang.org/x/perf/benchfmt/reader.go, which is what
 * benchstat reads, with one deliberate difference here: a result name must
 * be "Benchmark" followed by an upper-case letter, a non-letter or nothing
 * (the rule `go test` itself uses, so "Benchmarking 1 2 ns/op" is not a
 * result).
 *
 * Fields are split on runs of ASCII white space.  Go rewrites white space
 * in sub-benchmark names to '_' and b.ReportMetric() refuses units with
 * white space, so non-ASCII spaces never separate fields in practice.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "collect/gobench.h"
#include "collect/gobench_internal.h"
#include "util/parse.h"
#include "util/usage.h"
#include "util/banned.h"

/* ' ', and '\t' '\n' '\v' '\f' '\r' (9 to 13). */
static int is_space(int c)
{
	return c == ' ' || (unsigned)(c - '\t') <= '\r' - '\t';
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
size_t gb_trim_eol(const char *line, size_t len)
{
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	return len;
}

int gb_mem_eq(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && !memcmp(s, lit, len);
}

void gb_fields_init(struct gb_fields *fs, const char *line, size_t len)
{
	fs->p = line;
	fs->end = line + len;
}

/* Point *f, *flen at the next field; return 0 when there is none. */
int gb_fields_next(struct gb_fields *fs, const char **f, size_t *flen)
{
	/* Locals: stores through fs (a char * may alias it) would be redone per byte. */
	const char *p = fs->p, *end = fs->end, *start;

	while (p < end && is_space(*p))
		p++;
	if (p == end) {
		fs->p = p;
		return 0;
	}
	start = p;
	while (p < end && !is_space(*p))
		p++;
	fs->p = p;
	*f = start;
	*flen = (size_t)(p - start);
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

/*
 * "[-]digits[.digits]" with at most 15 digits, the way `go test` prints
 * nearly every value: the digits as an integer m < 10^15 < 2^53 and 10^k
 * (k <= 15) are exact doubles, so m / 10^k is one correctly rounded
 * division, the double strtod() returns for the text (Clinger's fast
 * path).  Returns 0 when the field has another form.
 */
static int fast_decimal(const char *f, size_t len, double *out)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
					1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	size_t i = 0, digits = 0, frac = 0;
	int neg = 0, dot = 0;
	uint64_t m = 0;
	double v;

	if (i < len && f[i] == '-') {
		neg = 1;
		i++;
	}
	for (; i < len; i++) {
		if (f[i] >= '0' && f[i] <= '9') {
			if (++digits > 15)
				return 0;
			m = m * 10 + (uint64_t)(f[i] - '0');
			frac += dot;
		} else if (f[i] == '.' && !dot) {
			dot = 1;
		} else {
			return 0;
		}
	}
	if (!digits)
		return 0;
	v = (double)m / pow10[frac];
	*out = neg ? -v : v;
	return 1;
}

static int field_double(const char *f, size_t len, double *out)
{
	char stack[64];
	char *s;
	int ret;

	if (fast_decimal(f, len, out))
		return 0;
	s = field_str(f, len, stack, sizeof(stack));
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
	char *s;
	int ret;
	uint64_t v = 0;
	size_t i = 0;

	/* Up to 19 digits cannot overflow: what parse_u64() returns, without strtoull(). */
	while (i < len && i < 19 && f[i] >= '0' && f[i] <= '9')
		v = v * 10 + (uint64_t)(f[i++] - '0');
	if (len && i == len) {
		*out = v;
		return 0;
	}
	s = field_str(f, len, stack, sizeof(stack));
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
int gb_is_bench_name(const char *s, size_t len)
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
static void result_split_procs(struct gb_result *r, int procs_hint, char *base)
{
	const char *dash = strrchr(r->name, '-');
	size_t blen = strlen(r->name);
	int n;

	if (dash && dash[1] && !dash[1 + strspn(dash + 1, "0123456789")] &&
	    !parse_int(dash + 1, &n) && n > 1 && (procs_hint <= 0 || n == procs_hint)) {
		blen = (size_t)(dash - r->name);
		r->procs = n;
	} else {
		r->procs = 1;
	}
	memcpy(base, r->name, blen);
	base[blen] = '\0';
	r->base = base;
}

void gb_result_release(struct gb_result *r)
{
	if (!r)
		return;
	/* name, base and the units share one allocation, name's. */
	free(r->name);
	free(r->values);
	memset(r, 0, sizeof(*r));
}

int gb_parse_result(const char *line, size_t len, int procs_hint,
		    struct gb_result *out)
{
	struct gb_fields fs;
	const char *f, *u;
	size_t flen, ulen, alloc = 0;
	char *p;
	double v;

	memset(out, 0, sizeof(*out));
	len = gb_trim_eol(line, len);
	/* Names and units become C strings: a NUL would cut them short. */
	if (memchr(line, '\0', len))
		return PG_EPARSE;
	gb_fields_init(&fs, line, len);
	if (!gb_fields_next(&fs, &f, &flen) || !gb_is_bench_name(f, flen))
		return PG_EPARSE;
	/*
	 * The name, the units and the base name in one block: they and a
	 * separator each fit in the line, the base in the name.
	 */
	out->name = p = xmalloc(2 * len + 2);
	memcpy(p, f, flen);
	p[flen] = '\0';
	p += flen + 1;

	/*
	 * Go never prints a result for zero iterations, and callers divide
	 * counters by this number.
	 */
	if (!gb_fields_next(&fs, &f, &flen) || field_u64(f, flen, &out->iters) ||
	    !out->iters)
		goto fail;

	while (gb_fields_next(&fs, &f, &flen)) {
		if (field_double(f, flen, &v) || !gb_fields_next(&fs, &u, &ulen))
			goto fail;
		ALLOC_GROW(out->values, out->nvalues + 1, alloc);
		out->values[out->nvalues].value = v;
		memcpy(p, u, ulen);
		p[ulen] = '\0';
		out->values[out->nvalues].unit = p;
		p += ulen + 1;
		out->nvalues++;
	}
	if (!out->nvalues)
		goto fail;
	result_split_procs(out, procs_hint, p);
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
int gb_parse_config_line(const char *line, size_t len, const char **key, size_t *klen,
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
int gb_parse_bench_fail(const char *line, size_t len, const char **name, size_t *nlen)
{
	static const char tag[] = "--- FAIL:";
	size_t tlen = sizeof(tag) - 1;
	struct gb_fields fs;

	while (len && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	if (len < tlen || memcmp(line, tag, tlen))
		return 0;
	gb_fields_init(&fs, line + tlen, len - tlen);
	return gb_fields_next(&fs, name, nlen) && gb_is_bench_name(*name, *nlen);
}

/* The last lines of a test binary or `go test`: PASS, ok, FAIL. */
enum gb_line_kind gb_classify_status(const char *line, size_t len)
{
	size_t n = len;

	while (n && is_space(line[n - 1]))
		n--;
	if (gb_mem_eq(line, n, "PASS"))
		return GB_PASS;
	if (gb_mem_eq(line, n, "FAIL"))
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
	struct gb_fields fs;
	const char *f, *k, *v;
	size_t flen, klen, vlen;
	enum gb_line_kind kind;

	if (name_out)
		*name_out = NULL;
	len = gb_trim_eol(line, len);

	if (gb_parse_bench_fail(line, len, &f, &flen)) {
		if (name_out)
			*name_out = xstrndup(f, flen);
		return GB_BENCH_FAIL;
	}
	kind = gb_classify_status(line, len);
	if (kind != GB_OTHER)
		return kind;

	gb_fields_init(&fs, line, len);
	if (len && line[0] == 'B' && gb_fields_next(&fs, &f, &flen) &&
	    gb_is_bench_name(f, flen)) {
		if (!gb_fields_next(&fs, &k, &klen)) {
			if (name_out)
				*name_out = xstrndup(f, flen);
			return GB_START;
		}
		if (gb_parse_result(line, len, 0, &r))
			return GB_OTHER;
		gb_result_release(&r);
		return GB_RESULT;
	}
	gb_fields_init(&fs, line, len);
	if (len && line[0] == 'U' && gb_fields_next(&fs, &f, &flen) &&
	    gb_mem_eq(f, flen, "Unit") && gb_fields_next(&fs, &f, &flen))
		return GB_UNIT;
	if (gb_parse_config_line(line, len, &k, &klen, &v, &vlen))
		return GB_CONFIG;
	return GB_OTHER;
}

/*
 * The state of one gb_parse() call: the configuration in effect (applied
 * to the results that follow, snapshotted lazily when a result needs it).
 */

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
