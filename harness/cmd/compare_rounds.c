/* -count auto on revisions: its design from the options, and the repetitions used. */
#include <stdint.h>
#include <string.h>

#include "cmd/compare_revs.h"
#include "seq.h"
#include "util/parse.h"
#include "util/usage.h"
#include "util/banned.h"

/* The design of -count auto from --min-count, --count-step and --max-count. */
int compare_count_design(const struct compare_args *a, struct seq_design *d)
{
	const char *v[3] = { a->count_min, a->count_step, a->count_max };
	const char *name[3] = { "--min-count", "--count-step", "--max-count" };
	size_t *field[3] = { &d->nmin, &d->step, &d->cap };
	int n;

	*d = (struct seq_design)SEQ_DESIGN_INIT;
	for (int i = 0; i < 3; i++) {
		if (!v[i])
			continue;
		if (parse_int(v[i], &n) || n < (i == 1 ? 1 : 2) || n > 10000)
			return error_code(PG_EUSAGE, "invalid %s '%s': expected a whole number from %d "
					  "to 10000", name[i], v[i], i == 1 ? 1 : 2);
		*field[i] = (size_t)n;
	}
	if (d->cap < d->nmin)
		return error_code(PG_EUSAGE, "--max-count %zu is below --min-count %zu", d->cap,
				  d->nmin);
	return 0;
}

/* The span of repetitions each side got over a report's rows (the design left zero). */
void compare_reps_span(const struct compare_report *rep, struct compare_reps *c)
{
	memset(c, 0, sizeof(*c));
	c->base_lo = c->head_lo = SIZE_MAX;
	for (size_t b = 0; b < rep->nblocks; b++)
		for (size_t t = 0; t < rep->blocks[b].ntables; t++)
			for (size_t r = 0; r < rep->blocks[b].tables[t].nr; r++) {
				const struct compare_row *row = &rep->blocks[b].tables[t].rows[r];

				if (row->has_old) {
					c->base_lo = row->old.n < c->base_lo ? row->old.n : c->base_lo;
					c->base_hi = row->old.n > c->base_hi ? row->old.n : c->base_hi;
				}
				if (row->has_new) {
					c->head_lo = row->new.n < c->head_lo ? row->new.n : c->head_lo;
					c->head_hi = row->new.n > c->head_hi ? row->new.n : c->head_hi;
				}
			}
	if (c->base_lo == SIZE_MAX)
		c->base_lo = 0;
	if (c->head_lo == SIZE_MAX)
		c->head_lo = 0;
}
