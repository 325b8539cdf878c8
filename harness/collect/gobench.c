/*
 * The Go benchmark data format (proposal 14313) as a file: configuration
 * lines, results, Unit metadata and failures, read by gb_parse(); see
 * gobench.h.  gobench_line.c takes single lines apart.
 *
 * The rules follow golang.org/x/perf/benchfmt/reader.go, which is what
 * benchstat reads, with one deliberate difference here: malformed Unit
 * lines are errors rather than warnings, because a wrong better= direction
 * silently flips every verdict.
 */
#include <stdlib.h>
#include <string.h>

#include "collect/gobench.h"
#include "collect/gobench_internal.h"
#include "util/usage.h"
#include "util/banned.h"

/* Longest piece of an offending line quoted in a diagnostic. */
#define QUOTE_MAX 120

static int quote_len(size_t len)
{
	return (int)(len < QUOTE_MAX ? len : QUOTE_MAX);
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
	int rewritten;           /* ... by more than new keys at the end */
	int has_snapshot;        /* `snapshot` is this reader's last one */
	size_t snapshot;
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
		if (gb_mem_eq(key, klen, rd->kv[i].key))
			break;
	if (!vlen) {
		if (i == rd->nkv)
			return;
		rd->dirty = rd->rewritten = 1;
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
	} else {
		rd->rewritten = 1;
	}
	free(rd->kv[i].value);
	rd->kv[i].value = xstrndup(val, vlen);
	rd->dirty = 1;
}

static void pool_add(struct gb_file *f, const struct gb_kv *kv)
{
	ALLOC_GROW(f->kv_pool, f->kv_nr + 1, f->kv_alloc);
	f->kv_pool[f->kv_nr].key = xstrdup(kv->key);
	f->kv_pool[f->kv_nr].value = xstrdup(kv->value);
	f->kv_nr++;
}

/*
 * The index of a snapshot of the configuration now in effect.  When the
 * only change since this reader's last snapshot is keys added at the end,
 * and that snapshot ends the pool, the new one extends it in place: a
 * stream of new keys, each followed by a result, then stores each key
 * once instead of copying the whole configuration per result.
 */
static size_t reader_snapshot(struct gb_reader *rd)
{
	struct gb_file *f = rd->f;
	const struct gb_config *last;
	struct gb_config *c;
	size_t off = f->kv_nr, from = 0;

	if (!rd->dirty && f->nconfigs)
		return f->nconfigs - 1;
	last = rd->has_snapshot ? &f->configs[rd->snapshot] : NULL;
	if (last && !rd->rewritten && last->off + last->nr == f->kv_nr) {
		off = last->off;
		from = last->nr;
	}
	for (size_t i = from; i < rd->nkv; i++)
		pool_add(f, &rd->kv[i]);
	ALLOC_GROW(f->configs, f->nconfigs + 1, f->configs_alloc);
	c = &f->configs[f->nconfigs];
	c->kv = NULL;            /* set by configs_point() */
	c->nr = rd->nkv;
	c->off = off;
	rd->snapshot = f->nconfigs++;
	rd->has_snapshot = 1;
	rd->dirty = rd->rewritten = 0;
	return rd->snapshot;
}

/* Point every configuration into the pool, which may have moved. */
static void configs_point(struct gb_file *f)
{
	for (size_t i = 0; i < f->nconfigs; i++)
		f->configs[i].kv = f->configs[i].nr ? f->kv_pool + f->configs[i].off : NULL;
}

static const char *reader_name(const struct gb_reader *rd)
{
	return rd->name ? rd->name : "<input>";
}

static struct gb_unit *unit_get(struct gb_file *f, const char *unit, size_t len)
{
	struct gb_unit *u;

	for (size_t i = 0; i < f->nunits; i++)
		if (gb_mem_eq(unit, len, f->units[i].unit))
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
	if (gb_mem_eq(kv, klen, "better")) {
		if (gb_mem_eq(val, vlen, "higher"))
			better = 1;
		else if (gb_mem_eq(val, vlen, "lower"))
			better = -1;
	} else if (gb_mem_eq(kv, klen, "assume")) {
		if (gb_mem_eq(val, vlen, "exact"))
			exact = 1;
		else if (gb_mem_eq(val, vlen, "nothing"))
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
static int reader_unit(struct gb_reader *rd, struct gb_fields *fs)
{
	const char *unit, *kv;
	size_t ulen, kvlen;
	int ret;

	if (!gb_fields_next(fs, &unit, &ulen))
		return error_code(PG_EPARSE, "'%s' line %zu: Unit line without a unit",
				  reader_name(rd), rd->lineno);
	while (gb_fields_next(fs, &kv, &kvlen)) {
		ret = reader_unit_kv(rd, unit, ulen, kv, kvlen);
		if (ret)
			return ret;
	}
	return 0;
}

static void file_add_failed(struct gb_file *f, const char *name, size_t len)
{
	for (size_t i = 0; i < f->nfailed; i++)
		if (gb_mem_eq(name, len, f->failed[i]))
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
	struct gb_fields fs;
	const char *fld;
	size_t flen;

	if (gb_parse_result(line, len, 0, &r)) {
		/* A bare name, or not a benchmark at all, is no malformed result. */
		gb_fields_init(&fs, line, len);
		if (!gb_fields_next(&fs, &fld, &flen) || !gb_is_bench_name(fld, flen) ||
		    !gb_fields_next(&fs, &fld, &flen))
			return;
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
	struct gb_fields fs;
	const char *a, *b;
	size_t alen, blen;

	switch (gb_classify_status(line, len)) {
	case GB_PASS:
		rd->f->saw_pass = 1;
		return 0;
	case GB_FAIL:
		rd->f->saw_fail = 1;
		return 0;
	default:
		break;
	}
	if (gb_parse_bench_fail(line, len, &a, &alen)) {
		file_add_failed(rd->f, a, alen);
		return 0;
	}
	if (len && line[0] == 'B') {
		reader_result(rd, line, len);
		return 0;
	}
	gb_fields_init(&fs, line, len);
	if (len && line[0] == 'U' && gb_fields_next(&fs, &a, &alen) &&
	    gb_mem_eq(a, alen, "Unit"))
		return reader_unit(rd, &fs);
	if (gb_parse_config_line(line, len, &a, &alen, &b, &blen))
		reader_config(rd, a, alen, b, blen);
	return 0;
}

int gb_parse(const char *text, size_t len, const char *name, struct gb_file *out)
{
	struct gb_reader rd = { out, name, 0, NULL, 0, 0, 1, 0, 0, 0 };
	const char *p = text, *end = text + len, *nl;
	int ret = 0;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		rd.lineno++;
		if ((size_t)((nl ? nl : end) - p) > GB_MAX_LINE) {
			ret = error_code(PG_EPARSE, "'%s' line %zu is longer than %zu MiB, the longest line "
					 "perfgo reads in Go benchmark format", name, rd.lineno, GB_MAX_LINE >> 20);
			break;
		}
		ret = reader_line(&rd, p, gb_trim_eol(p, (size_t)((nl ? nl : end) - p)));
		if (ret)
			break;
		p = nl ? nl + 1 : end;
	}
	configs_point(out);
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
	free(f->configs);
	for (size_t i = 0; i < f->kv_nr; i++) {
		free(f->kv_pool[i].key);
		free(f->kv_pool[i].value);
	}
	free(f->kv_pool);
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
