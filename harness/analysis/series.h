#ifndef PERFGO_SERIES_H
#define PERFGO_SERIES_H

/*
 * A series set: the samples of one side of a comparison, as data.  It is
 * what analysis takes as input, whatever the samples came from: a file in
 * Go benchmark format (collect/gobench_series.c) or a stored run
 * (store/store_series.c).
 *
 *  - benchmarks: (package, name) in order of first appearance; the name is
 *    the full one, with any -N GOMAXPROCS suffix; the package is "" when
 *    unknown.  A benchmark may have no samples at all.
 *  - series: one per (benchmark, unit), in order of its first sample, each
 *    with its samples in the order they were taken (repetitions).
 *  - units: every unit of a sample, in order of first appearance.
 *  - config: the configuration (goos, cpu, pkg, ...) shared by every result
 *    of the set, in the order the source gave it.
 *  - unit metadata: the direction (better=) and assume=exact of a unit,
 *    as the source declared them; a unit without any has none, and the
 *    source format's convention (default_better) may still say one.
 *
 * Ownership: the set owns copies of every string and every sample; the
 * pointers it hands out live until series_set_release().  Lookups by name
 * are hashed, so that building and comparing large sets stays linear.
 */

#include <stddef.h>
#include <stdint.h>

/* The first member of a benchmark and of a series; unit NULL for a benchmark. */
struct series_key {
	const char *pkg, *name, *unit;
	uint64_t hash;
};

struct series_bench {
	struct series_key k;
};

struct series {
	struct series_key k;          /* pkg and name are the benchmark's */
	size_t bench;                 /* index into series_set.bench */
	double *v;
	size_t n, alloc;
};

struct series_kv {
	char *key, *value;
};

struct series_unit_meta {
	char *unit;
	int better;                   /* -1 lower is better, +1 higher, 0 not said */
	int assume_exact;             /* assume=exact: repetitions carry no information */
	/*
	 * > 0: the repetitions of an assume=exact unit must agree to this
	 * relative spread ((max - min) / |median|) or its rows are "not
	 * repeatable" (compare.h); 0: no limit (benchstat's assume=exact).
	 */
	double max_spread;
};

/* A (benchmark, unit) with no samples for a stated reason (a backend could not count it). */
struct series_note {
	char *pkg, *name, *unit, *why;
};

/* Open addressing on a key's hash; a slot holds an item index + 1. */
struct series_index {
	size_t *slot;
	size_t cap;
};

struct series_set {
	char *label;                  /* shown as the column title; may be NULL */
	/*
	 * The source format's convention for the direction of a unit that
	 * has no metadata (-1 lower is better, +1 higher, 0 no opinion);
	 * NULL: none.  Go benchmark data sets gb_unit_default_better().
	 */
	int (*default_better)(const char *unit);
	struct series_bench *bench;
	size_t nbench, bench_alloc;
	struct series *s;
	size_t ns, s_alloc;
	char **units;
	size_t nunits, units_alloc;
	struct series_kv *config;
	size_t nconfig, config_alloc;
	struct series_unit_meta *meta;
	size_t nmeta, meta_alloc;
	struct series_note *notes;    /* compare shows them as not comparable rows */
	size_t nnotes, notes_alloc;
	struct series_index bx, sx;   /* private: benchmarks and series by key */
};

#define SERIES_SET_INIT { 0 }

void series_set_set_label(struct series_set *set, const char *label);
/* Add benchmark (pkg, name) if it is new; returns its index. */
size_t series_set_add_bench(struct series_set *set, const char *pkg, const char *name);
/*
 * Append one sample of `unit` to benchmark (pkg, name), adding both as
 * needed; returns the index of the series in set->s, for
 * series_set_append() to add further samples without looking it up.
 */
size_t series_set_add_sample(struct series_set *set, const char *pkg, const char *name,
			     const char *unit, double v);
void series_set_append(struct series_set *set, size_t series, double v);
/* Append a configuration key/value (the caller keeps keys unique). */
void series_set_add_config(struct series_set *set, const char *key, const char *value);
/* Declare a unit's metadata; a later declaration of the same unit replaces it. */
void series_set_set_unit(struct series_set *set, const char *unit, int better,
			 int assume_exact);
/*
 * Say why benchmark (pkg, name), added if new, has no (usable) samples of
 * `unit` ("valgrind: ..."): compare makes the row not comparable with
 * that reason, whatever samples there are.  The first note stays.
 */
void series_set_add_note(struct series_set *set, const char *pkg, const char *name,
			 const char *unit, const char *why);
/* The note of (pkg, name, unit), or NULL. */
const char *series_set_note(const struct series_set *set, const char *pkg, const char *name,
			    const char *unit);
/* Set a declared unit's max_spread (series_unit_meta); nothing if it is not declared. */
void series_set_set_unit_spread(struct series_set *set, const char *unit, double max_spread);
void series_set_release(struct series_set *set);

/* The series of (pkg, name, unit), or NULL. */
const struct series *series_set_find(const struct series_set *set, const char *pkg,
				     const char *name, const char *unit);
int series_set_has_bench(const struct series_set *set, const char *pkg, const char *name);
int series_set_has_unit(const struct series_set *set, const char *unit);
/* The value of configuration key `key`, or NULL. */
const char *series_set_config(const struct series_set *set, const char *key);
/* The metadata declared for `unit`, or NULL. */
const struct series_unit_meta *series_set_unit_meta(const struct series_set *set,
						    const char *unit);

#endif
