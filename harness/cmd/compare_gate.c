/* --gate names checked against what was compared; see compare_revs.h. */
#include "cmd/compare_revs.h"
#include "util/buf.h"
#include "util/strvec.h"
#include "util/usage.h"
#include "util/banned.h"

int compare_check_gate(const struct compare_report *rep, const struct compare_opts *o)
{
	const char *name = compare_gate_unmatched(rep, o);
	struct strvec seen = STRVEC_INIT;
	struct buf units = BUF_INIT;
	int ret;

	if (!name)
		return 0;
	/* The fix: the units there are, once each, in table order. */
	for (size_t b = 0; b < rep->nblocks; b++)
		for (size_t t = 0; t < rep->blocks[b].ntables; t++) {
			const char *u = rep->blocks[b].tables[t].unit;

			if (strvec_find(&seen, u) >= 0)
				continue;
			strvec_push(&seen, u);
			buf_addf(&units, "%s%s", units.len ? ", " : "", u);
		}
	ret = error_code(PG_EUSAGE, "--gate '%s' matches no compared unit: gate one of %s",
			 name, units.len ? units.buf : "none (nothing was compared)");
	strvec_clear(&seen);
	buf_release(&units);
	return ret;
}
