#ifndef PERFGO_PROFILE_H
#define PERFGO_PROFILE_H

/*
 * A sampled profile being built: the model of pprof's profile.proto
 * (strings, mappings, functions, locations with their lines, samples),
 * with every table deduplicated through a hash, so that adding a sample
 * costs O(stack depth) whatever the profile's size (the original tool
 * scanned every sample for each new one: reference §7.2).
 *
 * Ids are 1-based indices into the tables (0: none), as in pprof.
 * Samples are aggregated by (stack, thread): each keeps the number of
 * samples and the sum of their periods.  pprof.h writes the result.
 */

#include <stddef.h>
#include <stdint.h>

/* An open-addressing index over a table's rows, by a hash of their key. */
struct phash {
	struct phash_slot { uint32_t hash, idx; } *slot;   /* idx 0: empty */
	size_t cap, nr;
};

struct prof_map {
	uint64_t start, limit, offset;  /* runtime range, file offset of start */
	char *file;                     /* as the profile will name it */
	char *build_id;                 /* or NULL */
	int symbolized;                 /* lines carry files, numbers and inlining */
};

struct prof_line { uint32_t func; int64_t line; };

struct prof_loc {
	uint32_t map;                   /* mapping id, 0: unknown */
	uint64_t addr;                  /* runtime address */
	uint32_t line0, nline;          /* in profile.lines; innermost first */
	unsigned leaf:1, caller:1;      /* seen as a stack's leaf / as a return address */
};

struct prof_func { uint32_t name, file; int64_t start_line; };   /* string indices */

struct prof_sample {
	uint32_t stack0, nstack;        /* location ids in profile.stacks, leaf first */
	int64_t tid;
	int64_t count, period;          /* samples, sum of their periods */
};

struct profile {
	char **str;       size_t nstr, astr;      struct phash str_h;
	struct prof_map *maps;     size_t nmaps, amaps;
	struct prof_func *funcs;   size_t nfuncs, afuncs;   struct phash func_h;
	struct prof_loc *locs;     size_t nlocs, alocs;
	/* The hot table (a lookup per frame): keys in the slots, no indirection. */
	struct loc_slot { uint64_t addr; uint32_t map, idx; } *loc_slot;
	size_t loc_cap;
	struct prof_line *lines;   size_t nlines, alines;
	uint32_t *stacks;          size_t nstacks, astacks;
	struct prof_sample *samples; size_t nsamples, asamples; struct phash sample_h;

	/* What the file says about itself (pprof.h). */
	char *event;              /* the sampled event, e.g. "cpu-clock" */
	char *benchmark;          /* label of every sample */
	int64_t pid;
	int64_t period;           /* nominal period; 0: the mean of the samples' */
	int64_t time_ns, duration_ns;
	uint64_t total_samples;
};

void profile_init(struct profile *p);
void profile_release(struct profile *p);

/* The index of string s[0..len) in the string table (0 is ""). */
uint32_t profile_str(struct profile *p, const char *s, size_t len);
/* A new mapping; returns its id.  `file` is copied. */
uint32_t profile_map(struct profile *p, uint64_t start, uint64_t limit, uint64_t offset,
		     const char *file);
/* The function (name, file) (string indices); returns its id. */
uint32_t profile_func(struct profile *p, uint32_t name, uint32_t file, int64_t start_line);
/* The location (map, addr); *created tells whether it is new (it has no lines yet). */
uint32_t profile_loc(struct profile *p, uint32_t map, uint64_t addr, int *created);
/* Replace location `loc`'s lines (innermost first). */
void profile_loc_lines(struct profile *p, uint32_t loc, const struct prof_line *l, size_t n);
/*
 * Make mapping `map` the first (pprof's main binary), renumbering the
 * others; after the last profile_loc() (the location index keys on it).
 */
void profile_main_map(struct profile *p, uint32_t map);
/* One sample of `stack` (location ids, leaf first) on thread `tid` with `period`. */
void profile_sample(struct profile *p, const uint32_t *stack, size_t n, int64_t tid,
		    int64_t period);

#endif
