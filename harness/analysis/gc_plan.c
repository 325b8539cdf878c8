/* Choosing the runs `perfgo gc` removes; see gc_plan.h. */
#include <stdlib.h>

#include "analysis/gc_plan.h"
#include "util/usage.h"
#include "util/banned.h"

struct seq_ix {
	int64_t seq;
	size_t i;
};

static int cmp_seq_desc(const void *a, const void *b)
{
	const struct seq_ix *x = a, *y = b;

	return x->seq < y->seq ? 1 : x->seq > y->seq ? -1 : 0;
}

/* The index of run `seq` in `ix` (sorted newest first), or n. */
static size_t find_run(const struct seq_ix *ix, size_t n, int64_t seq)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix[mid].seq == seq)
			return ix[mid].i;
		if (ix[mid].seq > seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (size_t)-1;
}

static size_t uf_find(size_t *parent, size_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

size_t gc_plan(struct gc_run *runs, size_t n, const struct gc_link *links, size_t nlinks,
	       const struct gc_policy *p)
{
	struct seq_ix *ix = xcalloc(n ? n : 1, sizeof(*ix));
	size_t *parent = xcalloc(n ? n : 1, sizeof(*parent));
	unsigned char *group_kept = xcalloc(n ? n : 1, 1);
	size_t gone = 0;

	for (size_t i = 0; i < n; i++) {
		ix[i].seq = runs[i].seq;
		ix[i].i = i;
		parent[i] = i;
	}
	qsort(ix, n, sizeof(*ix), cmp_seq_desc);
	for (size_t r = 0; r < n; r++) {
		struct gc_run *g = &runs[ix[r].i];
		int old = !p->before_ns || g->started_ns < p->before_ns;
		int beyond = p->keep < 0 || r >= (size_t)p->keep;

		if (!old || !beyond)
			g->keep = GC_KEPT_LIMIT;
		else if (g->history && !p->history)
			g->keep = GC_KEPT_HISTORY;
		else if (g->running && !p->before_ns)
			g->keep = GC_KEPT_RUNNING;
		else
			g->keep = GC_REMOVE;
	}
	/* A comparison and its measured runs stay or go together. */
	for (size_t l = 0; l < nlinks; l++) {
		size_t a = find_run(ix, n, links[l].a), b = find_run(ix, n, links[l].b);

		if (a < n && b < n)
			parent[uf_find(parent, a)] = uf_find(parent, b);
	}
	for (size_t i = 0; i < n; i++)
		if (runs[i].keep != GC_REMOVE)
			group_kept[uf_find(parent, i)] = 1;
	for (size_t i = 0; i < n; i++) {
		if (runs[i].keep == GC_REMOVE && group_kept[uf_find(parent, i)])
			runs[i].keep = GC_KEPT_LINKED;
		gone += runs[i].keep == GC_REMOVE;
	}
	free(ix);
	free(parent);
	free(group_kept);
	return gone;
}
