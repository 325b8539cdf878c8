/* The profile model and its hashed tables; see profile.h. */
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"
#include "util/usage.h"
#include "util/banned.h"

/* FNV-1a over bytes, folded to 32 bits; 0 is kept for "empty". */
static uint32_t hash_bytes(uint64_t h, const void *data, size_t len)
{
	const unsigned char *s = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return (uint32_t)(h ^ (h >> 32));
}

#define HASH_SEED 14695981039346656037ull

/* A 64-bit mix (splitmix64's finalizer): every key bit reaches the low bits used as index. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Is row idx (1-based) the key?  One per table. */
typedef int (*phash_eq)(const struct profile *p, uint32_t idx, const void *key);

static void phash_grow(struct phash *h)
{
	size_t cap = h->cap ? h->cap * 2 : 1024;
	struct phash_slot *slot = xcalloc(cap, sizeof(*slot));

	for (size_t i = 0; i < h->cap; i++) {
		size_t j;

		if (!h->slot[i].idx)
			continue;
		for (j = h->slot[i].hash & (cap - 1); slot[j].idx; j = (j + 1) & (cap - 1))
			;
		slot[j] = h->slot[i];
	}
	free(h->slot);
	h->slot = slot;
	h->cap = cap;
}

/*
 * The row whose key is `key` (hash `hash`), or 0; with 0 returned, *at is
 * the slot a new row goes to (phash_put).
 */
static uint32_t phash_get(struct phash *h, const struct profile *p, uint32_t hash,
			  const void *key, phash_eq eq, size_t *at)
{
	size_t j;

	if ((h->nr + 1) * 4 > h->cap * 3)
		phash_grow(h);
	for (j = hash & (h->cap - 1); h->slot[j].idx; j = (j + 1) & (h->cap - 1))
		if (h->slot[j].hash == hash && eq(p, h->slot[j].idx, key))
			return h->slot[j].idx;
	*at = j;
	return 0;
}

static void phash_put(struct phash *h, size_t at, uint32_t hash, uint32_t idx)
{
	h->slot[at].hash = hash;
	h->slot[at].idx = idx;
	h->nr++;
}

void profile_init(struct profile *p)
{
	memset(p, 0, sizeof(*p));
	profile_str(p, "", 0);
}

void profile_release(struct profile *p)
{
	for (size_t i = 0; i < p->nstr; i++)
		free(p->str[i]);
	for (size_t i = 0; i < p->nmaps; i++) {
		free(p->maps[i].file);
		free(p->maps[i].build_id);
	}
	free(p->str);
	free(p->str_h.slot);
	free(p->maps);
	free(p->funcs);
	free(p->func_h.slot);
	free(p->locs);
	free(p->loc_slot);
	free(p->lines);
	free(p->stacks);
	free(p->samples);
	free(p->sample_h.slot);
	free(p->event);
	free(p->benchmark);
	memset(p, 0, sizeof(*p));
}

struct str_key { const char *s; size_t len; };

static int str_eq(const struct profile *p, uint32_t idx, const void *key)
{
	const struct str_key *k = key;
	const char *s = p->str[idx - 1];
	size_t n = strnlen(s, k->len + 1);

	return n == k->len && !memcmp(s, k->s, n);
}

uint32_t profile_str(struct profile *p, const char *s, size_t len)
{
	struct str_key k = { s, len };
	uint32_t hash = hash_bytes(HASH_SEED, s, len), idx;
	size_t at;

	idx = phash_get(&p->str_h, p, hash, &k, str_eq, &at);
	if (idx)
		return idx - 1;
	ALLOC_GROW(p->str, p->nstr + 1, p->astr);
	p->str[p->nstr++] = xstrndup(s, len);
	phash_put(&p->str_h, at, hash, (uint32_t)p->nstr);
	return (uint32_t)p->nstr - 1;
}

uint32_t profile_map(struct profile *p, uint64_t start, uint64_t limit, uint64_t offset,
		     const char *file)
{
	struct prof_map *m;

	ALLOC_GROW(p->maps, p->nmaps + 1, p->amaps);
	m = &p->maps[p->nmaps++];
	memset(m, 0, sizeof(*m));
	m->start = start;
	m->limit = limit;
	m->offset = offset;
	m->file = xstrdup(file);
	return (uint32_t)p->nmaps;
}

static int func_eq(const struct profile *p, uint32_t idx, const void *key)
{
	const struct prof_func *f = &p->funcs[idx - 1], *k = key;

	return f->name == k->name && f->file == k->file;
}

uint32_t profile_func(struct profile *p, uint32_t name, uint32_t file, int64_t start_line)
{
	struct prof_func k = { name, file, start_line };
	uint32_t key[2] = { name, file };
	uint32_t hash = hash_bytes(HASH_SEED, key, sizeof(key)), idx;
	size_t at;

	idx = phash_get(&p->func_h, p, hash, &k, func_eq, &at);
	if (idx)
		return idx;
	ALLOC_GROW(p->funcs, p->nfuncs + 1, p->afuncs);
	p->funcs[p->nfuncs++] = k;
	phash_put(&p->func_h, at, hash, (uint32_t)p->nfuncs);
	return (uint32_t)p->nfuncs;
}

static void loc_grow(struct profile *p)
{
	size_t cap = p->loc_cap ? p->loc_cap * 2 : 4096;
	struct loc_slot *slot = xcalloc(cap, sizeof(*slot));

	for (size_t i = 0; i < p->loc_cap; i++) {
		const struct loc_slot *o = &p->loc_slot[i];
		size_t j;

		if (!o->idx)
			continue;
		for (j = mix64(o->addr ^ (uint64_t)o->map << 48) & (cap - 1); slot[j].idx;
		     j = (j + 1) & (cap - 1))
			;
		slot[j] = *o;
	}
	free(p->loc_slot);
	p->loc_slot = slot;
	p->loc_cap = cap;
}

uint32_t profile_loc(struct profile *p, uint32_t map, uint64_t addr, int *created)
{
	struct loc_slot *sl;
	size_t j;

	if ((p->nlocs + 1) * 4 > p->loc_cap * 3)
		loc_grow(p);
	for (j = mix64(addr ^ (uint64_t)map << 48) & (p->loc_cap - 1);; j = (j + 1) & (p->loc_cap - 1)) {
		sl = &p->loc_slot[j];
		if (!sl->idx)
			break;
		if (sl->addr == addr && sl->map == map) {
			*created = 0;
			return sl->idx;
		}
	}
	ALLOC_GROW(p->locs, p->nlocs + 1, p->alocs);
	memset(&p->locs[p->nlocs], 0, sizeof(*p->locs));
	p->locs[p->nlocs].map = map;
	p->locs[p->nlocs].addr = addr;
	p->nlocs++;
	sl->addr = addr;
	sl->map = map;
	sl->idx = (uint32_t)p->nlocs;
	*created = 1;
	return sl->idx;
}

void profile_loc_lines(struct profile *p, uint32_t loc, const struct prof_line *l, size_t n)
{
	struct prof_loc *lc = &p->locs[loc - 1];

	ALLOC_GROW(p->lines, p->nlines + n, p->alines);
	memcpy(p->lines + p->nlines, l, n * sizeof(*l));
	lc->line0 = (uint32_t)p->nlines;
	lc->nline = (uint32_t)n;
	p->nlines += n;
}

void profile_main_map(struct profile *p, uint32_t map)
{
	struct prof_map m;

	if (map <= 1 || map > p->nmaps)
		return;
	m = p->maps[map - 1];
	memmove(p->maps + 1, p->maps, (map - 1) * sizeof(*p->maps));
	p->maps[0] = m;
	for (size_t i = 0; i < p->nlocs; i++) {
		uint32_t *id = &p->locs[i].map;

		if (*id == map)
			*id = 1;
		else if (*id && *id < map)
			(*id)++;
	}
}

struct sample_key { const uint32_t *stack; size_t n; int64_t tid; };

static int sample_eq(const struct profile *p, uint32_t idx, const void *key)
{
	const struct prof_sample *s = &p->samples[idx - 1];
	const struct sample_key *k = key;

	return s->tid == k->tid && s->nstack == k->n &&
	       !memcmp(p->stacks + s->stack0, k->stack, k->n * sizeof(*k->stack));
}

void profile_sample(struct profile *p, const uint32_t *stack, size_t n, int64_t tid,
		    int64_t period)
{
	struct sample_key k = { stack, n, tid };
	uint64_t h = HASH_SEED ^ (uint64_t)tid;
	uint32_t hash, idx;
	struct prof_sample *s;
	size_t at;

	/* A word at a time: this runs once per sample, over the whole stack. */
	for (size_t i = 0; i < n; i++)
		h = (h ^ stack[i]) * 1099511628211ull;
	hash = (uint32_t)mix64(h);
	p->total_samples++;
	idx = phash_get(&p->sample_h, p, hash, &k, sample_eq, &at);
	if (idx) {
		s = &p->samples[idx - 1];
		s->count++;
		s->period += period;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct prof_loc *l = &p->locs[stack[i] - 1];

		if (i)
			l->caller = 1;
		else
			l->leaf = 1;
	}
	ALLOC_GROW(p->stacks, p->nstacks + n, p->astacks);
	memcpy(p->stacks + p->nstacks, stack, n * sizeof(*stack));
	ALLOC_GROW(p->samples, p->nsamples + 1, p->asamples);
	s = &p->samples[p->nsamples++];
	s->stack0 = (uint32_t)p->nstacks;
	s->nstack = (uint32_t)n;
	s->tid = tid;
	s->count = 1;
	s->period = period;
	p->nstacks += n;
	phash_put(&p->sample_h, at, hash, (uint32_t)p->nsamples);
}
