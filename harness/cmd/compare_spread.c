/*
 * The note a comparison gets when ns/op varies much between processes of
 * benchmarks run with GOMAXPROCS > 1; see compare_revs.h.
 *
 * Measured on the 2-vCPU VM this was built on (README, "Noise between
 * processes"): of what keeps the code as it is, neither a warm-up process
 * before each measured one nor ASLR off lowered the spread of the
 * examples' ns/op between processes, while GOMAXPROCS=1 (-cpu 1) cut it
 * from 28-31 % to 6-7 % (MAD) in the two parallel ones.  -cpu 1 changes
 * what is measured, so perfgo does not do it: the report suggests it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/compare_revs.h"
#include "util/buf.h"
#include "util/banned.h"

/* The spread (MAD as a fraction of the median) above which the note is given. */
#define SPREAD_NOTE 0.10
/* Benchmarks named in the note, at most. */
#define SPREAD_NAMES 3

/* GOMAXPROCS from the -P suffix Go prints for P > 1 ("BenchmarkX-4"); 1 without one. */
static int procs_of(const char *name)
{
	const char *dash = strrchr(name, '-');
	char *end;
	long p;

	if (!dash || !dash[1] || strspn(dash + 1, "0123456789") != strlen(dash + 1))
		return 1;
	p = strtol(dash + 1, &end, 10);
	return p > 1 && p < 100000 ? (int)p : 1;
}

static double spread(const struct summary *s)
{
	return s->n >= 5 && s->median > 0 ? s->mad / s->median : 0;
}

void compare_spread_note(const struct compare_report *rep, struct strvec *notes)
{
	struct buf names = BUF_INIT, b = BUF_INIT;
	size_t n = 0;

	for (size_t i = 0; i < rep->nblocks; i++)
		for (size_t t = 0; t < rep->blocks[i].ntables; t++) {
			const struct compare_table *tb = &rep->blocks[i].tables[t];

			if (strcmp(tb->unit, "ns/op") && strcmp(tb->unit, "sec/op"))
				continue;
			for (size_t r = 0; r < tb->nr; r++) {
				const struct compare_row *row = &tb->rows[r];
				double s = fmax(row->has_old ? spread(&row->old) : 0,
						row->has_new ? spread(&row->new) : 0);

				if (s <= SPREAD_NOTE || procs_of(row->name) < 2)
					continue;
				if (n < SPREAD_NAMES)
					buf_addf(&names, "%s%s ±%.0f %%", n ? ", " : "", row->name,
						 100 * s);
				n++;
			}
		}
	if (n) {
		buf_addf(&b, "ns/op varies between processes by more than %.0f %% (MAD) in %zu "
			 "benchmark%s run with GOMAXPROCS > 1 (%s%s): much of that is the "
			 "scheduler; '-cpu 1' (GOMAXPROCS=1) usually steadies it, but then "
			 "measures the code on one P, which is not what a parallel benchmark is for",
			 100 * SPREAD_NOTE, n, n == 1 ? "" : "s", names.buf, n > SPREAD_NAMES ? ", ..." : "");
		strvec_push(notes, b.buf);
	}
	buf_release(&names);
	buf_release(&b);
}
