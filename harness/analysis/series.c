/* Series sets: the input of analysis; see series.h. */
#include <stdlib.h>
#include <string.h>

#include "analysis/series.h"
#include "util/usage.h"
#include "util/banned.h"

static uint64_t hash_str(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	/* A separator, so that ("ab", "c") and ("a", "bc") differ. */
	h ^= 0xff;
	return h * 0x100000001b3ULL;
}

static void key_init(struct series_key *k, const char *pkg, const char *name,
		     const char *unit)
{
	k->pkg = pkg;
	k->name = name;
	k->unit = unit;
	k->hash = hash_str(hash_str(0xcbf29ce484222325ULL, pkg), name);
	if (unit)
		k->hash = hash_str(k->hash, unit);
}

static int key_eq(const struct series_key *a, const struct series_key *b)
{
	return a->hash == b->hash && !strcmp(a->name, b->name) && !strcmp(a->pkg, b->pkg) &&
	       (a->unit == b->unit || (a->unit && b->unit && !strcmp(a->unit, b->unit)));
}

static const struct series_key *key_at(const void *items, size_t stride, size_t i)
{
	return (const struct series_key *)(const void *)((const char *)items + i * stride);
}

/* The slot holding k, or the empty slot where it belongs. */
static size_t *index_slot(const struct series_index *ix, const void *items, size_t stride,
			  const struct series_key *k)
{
	size_t mask = ix->cap - 1;

	for (size_t i = (size_t)k->hash & mask;; i = (i + 1) & mask) {
		size_t *s = &ix->slot[i];

		if (!*s || key_eq(key_at(items, stride, *s - 1), k))
			return s;
	}
}

/* Make room for one more item, keeping the load under a half. */
static void index_reserve(struct series_index *ix, const void *items, size_t stride, size_t n)
{
	size_t cap = ix->cap ? ix->cap : 64;

	if (ix->cap && ix->cap >= 2 * (n + 1))
		return;
	while (cap < 2 * (n + 1))
		cap *= 2;
	free(ix->slot);
	ix->slot = xcalloc(cap, sizeof(*ix->slot));
	ix->cap = cap;
	for (size_t i = 0; i < n; i++)
		*index_slot(ix, items, stride, key_at(items, stride, i)) = i + 1;
}

void series_set_set_label(struct series_set *set, const char *label)
{
	free(set->label);
	set->label = label ? xstrdup(label) : NULL;
}

size_t series_set_add_bench(struct series_set *set, const char *pkg, const char *name)
{
	struct series_key k;
	size_t *s;

	key_init(&k, pkg, name, NULL);
	index_reserve(&set->bx, set->bench, sizeof(*set->bench), set->nbench);
	s = index_slot(&set->bx, set->bench, sizeof(*set->bench), &k);
	if (*s)
		return *s - 1;
	ALLOC_GROW(set->bench, set->nbench + 1, set->bench_alloc);
	/* The copies live as long as the set: the index keys point at them. */
	key_init(&set->bench[set->nbench].k, xstrdup(pkg), xstrdup(name), NULL);
	*s = ++set->nbench;
	return set->nbench - 1;
}

static const char *intern_unit(struct series_set *set, const char *unit)
{
	for (size_t i = set->nunits; i-- > 0;)
		if (!strcmp(set->units[i], unit))
			return set->units[i];
	ALLOC_GROW(set->units, set->nunits + 1, set->units_alloc);
	set->units[set->nunits] = xstrdup(unit);
	return set->units[set->nunits++];
}

size_t series_set_add_sample(struct series_set *set, const char *pkg, const char *name,
			     const char *unit, double v)
{
	struct series *se;
	struct series_key k;
	size_t *s;

	key_init(&k, pkg, name, unit);
	index_reserve(&set->sx, set->s, sizeof(*set->s), set->ns);
	s = index_slot(&set->sx, set->s, sizeof(*set->s), &k);
	if (!*s) {
		size_t b = series_set_add_bench(set, pkg, name);

		ALLOC_GROW(set->s, set->ns + 1, set->s_alloc);
		se = &set->s[set->ns];
		memset(se, 0, sizeof(*se));
		se->bench = b;
		key_init(&se->k, set->bench[b].k.pkg, set->bench[b].k.name, intern_unit(set, unit));
		*s = ++set->ns;
	}
	series_set_append(set, *s - 1, v);
	return *s - 1;
}

void series_set_append(struct series_set *set, size_t series, double v)
{
	struct series *se = &set->s[series];

	ALLOC_GROW(se->v, se->n + 1, se->alloc);
	se->v[se->n++] = v;
}

void series_set_add_config(struct series_set *set, const char *key, const char *value)
{
	ALLOC_GROW(set->config, set->nconfig + 1, set->config_alloc);
	set->config[set->nconfig].key = xstrdup(key);
	set->config[set->nconfig++].value = xstrdup(value);
}

void series_set_set_unit(struct series_set *set, const char *unit, int better,
			 int assume_exact)
{
	struct series_unit_meta *m = (struct series_unit_meta *)series_set_unit_meta(set, unit);

	if (!m) {
		ALLOC_GROW(set->meta, set->nmeta + 1, set->meta_alloc);
		m = &set->meta[set->nmeta++];
		m->unit = xstrdup(unit);
		m->max_spread = 0;
	}
	m->better = better;
	m->assume_exact = assume_exact;
}

void series_set_set_unit_spread(struct series_set *set, const char *unit, double max_spread)
{
	struct series_unit_meta *m = (struct series_unit_meta *)series_set_unit_meta(set, unit);

	if (m)
		m->max_spread = max_spread;
}

const char *series_set_note(const struct series_set *set, const char *pkg, const char *name,
			    const char *unit)
{
	for (size_t i = 0; i < set->nnotes; i++) {
		const struct series_note *n = &set->notes[i];

		if (!strcmp(n->pkg, pkg) && !strcmp(n->name, name) && !strcmp(n->unit, unit))
			return n->why;
	}
	return NULL;
}

void series_set_add_note(struct series_set *set, const char *pkg, const char *name,
			 const char *unit, const char *why)
{
	struct series_note *n;

	series_set_add_bench(set, pkg, name);
	if (series_set_note(set, pkg, name, unit))
		return;
	ALLOC_GROW(set->notes, set->nnotes + 1, set->notes_alloc);
	n = &set->notes[set->nnotes++];
	n->pkg = xstrdup(pkg);
	n->name = xstrdup(name);
	n->unit = xstrdup(unit);
	n->why = xstrdup(why);
}

void series_set_release(struct series_set *set)
{
	for (size_t i = 0; i < set->nnotes; i++) {
		free(set->notes[i].pkg);
		free(set->notes[i].name);
		free(set->notes[i].unit);
		free(set->notes[i].why);
	}
	free(set->notes);
	for (size_t i = 0; i < set->nbench; i++) {
		free((char *)set->bench[i].k.pkg);
		free((char *)set->bench[i].k.name);
	}
	for (size_t i = 0; i < set->ns; i++)
		free(set->s[i].v);
	for (size_t i = 0; i < set->nunits; i++)
		free(set->units[i]);
	for (size_t i = 0; i < set->nconfig; i++) {
		free(set->config[i].key);
		free(set->config[i].value);
	}
	for (size_t i = 0; i < set->nmeta; i++)
		free(set->meta[i].unit);
	free(set->label);
	free(set->bench);
	free(set->s);
	free(set->units);
	free(set->config);
	free(set->meta);
	free(set->bx.slot);
	free(set->sx.slot);
	memset(set, 0, sizeof(*set));
}

const struct series *series_set_find(const struct series_set *set, const char *pkg,
				     const char *name, const char *unit)
{
	struct series_key k;
	size_t *s;

	if (!set->sx.cap)
		return NULL;
	key_init(&k, pkg, name, unit);
	s = index_slot(&set->sx, set->s, sizeof(*set->s), &k);
	return *s ? &set->s[*s - 1] : NULL;
}

int series_set_has_bench(const struct series_set *set, const char *pkg, const char *name)
{
	struct series_key k;

	if (!set->bx.cap)
		return 0;
	key_init(&k, pkg, name, NULL);
	return *index_slot(&set->bx, set->bench, sizeof(*set->bench), &k) != 0;
}

int series_set_has_unit(const struct series_set *set, const char *unit)
{
	for (size_t i = 0; i < set->nunits; i++)
		if (!strcmp(set->units[i], unit))
			return 1;
	return 0;
}

const char *series_set_config(const struct series_set *set, const char *key)
{
	for (size_t i = 0; i < set->nconfig; i++)
		if (!strcmp(set->config[i].key, key))
			return set->config[i].value;
	return NULL;
}

const struct series_unit_meta *series_set_unit_meta(const struct series_set *set,
						    const char *unit)
{
	for (size_t i = 0; i < set->nmeta; i++)
		if (!strcmp(set->meta[i].unit, unit))
			return &set->meta[i];
	return NULL;
}
