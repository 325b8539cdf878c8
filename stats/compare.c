/*
 * One (benchmark, metric) pair from base and head samples: both
 * summaries, the U test, the effect and the minimum detectable effect.
 * The family-wide steps (p adjustment, verdicts) stay with the caller,
 * which is the only one that sees the whole family.
 */
#include <math.h>

#include "stats.h"

int cmp_pair(const double *base, size_t nb, const double *head, size_t nh,
		const struct cmp_opts *opts, struct cmp_result *out)
{
	struct cmp_opts def = CMP_OPTS_INIT;
	const struct cmp_opts *o = opts ? opts : &def;
	int err;

	if (!out)
		return STATS_EINVAL;
	err = summary_compute(&out->base, base, nb, o->conf);
	if (!err)
		err = summary_compute(&out->head, head, nh, o->conf);
	if (!err)
		err = mwu_test(head, nh, base, nb, o->mwu, &out->test);
	if (!err)
		err = effect_estimate(base, nb, head, nh, &o->effect, &out->eff);
	if (!err && o->no_mde)
		out->mde = NAN;
	else if (!err)
		err = stats_mde(&out->base, &out->head, o->alpha, o->power, &out->mde);
	return err;
}
