/*
 * From numbers to decisions: metric classes with their practical
 * thresholds, the verdict of one (benchmark, metric) pair, and the
 * minimum detectable effect that tells whether a threshold is within
 * reach of the sample sizes at all.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "stats.h"

#define NAME_MAX_LEN 128

static const double default_theta[METRIC_NCLASSES] = { 0.01, 0.03, 0.10 };

void metric_policy_init(struct metric_policy *pol)
{
	for (int i = 0; i < METRIC_NCLASSES; i++)
		pol->theta[i] = default_theta[i];
	pol->over = NULL;
	pol->nover = 0;
}

const char *metric_class_name(enum metric_class cls)
{
	switch (cls) {
	case METRIC_EXACTISH:
		return "exact";
	case METRIC_CPU:
		return "cpu";
	case METRIC_NOISY:
		return "noisy";
	default:
		return "?";
	}
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(s + len - n, suffix, n);
}

/*
 * Lowercase; drop a "/op" suffix; reduce a PMU-qualified event
 * "cpu_core/instructions/" to "instructions"; drop perf modifiers
 * (":u", ":ppp", ...).  The result fits `out` (truncated otherwise).
 */
static void normalise(const char *name, char *out, size_t size)
{
	size_t len = 0, n;
	char *p, *q;

	for (; name[len] && len + 1 < size; len++)
		out[len] = (char)tolower((unsigned char)name[len]);
	out[len] = '\0';
	if (ends_with(out, len, "/op")) {
		len -= 3;
		out[len] = '\0';
	}
	p = strchr(out, '/');
	if (p && len > 1 && out[len - 1] == '/' && p != out + len - 1 && !strchr(p + 1, '=')) {
		n = (size_t)(out + len - 1 - (p + 1));
		memmove(out, p + 1, n);
		len = n;
		out[len] = '\0';
	}
	q = strrchr(out, ':');
	if (q && q[1] && strspn(q + 1, "ukhpgiswdeb") == strlen(q + 1))
		*q = '\0';
}

struct rule {
	const char *name;
	enum metric_class cls;
	int better;
};

static const struct rule rules[] = {
	{ "instructions", METRIC_EXACTISH, -1 },
	{ "inst_retired.any", METRIC_EXACTISH, -1 },
	{ "branches", METRIC_EXACTISH, -1 },
	{ "branch-instructions", METRIC_EXACTISH, -1 },
	{ "allocs", METRIC_EXACTISH, -1 },
	{ "b", METRIC_EXACTISH, -1 },
	{ "l1-dcache-loads", METRIC_EXACTISH, -1 },
	{ "l1-dcache-stores", METRIC_EXACTISH, -1 },
	{ "ns", METRIC_CPU, -1 },
	{ "sec", METRIC_CPU, -1 },
	{ "cycles", METRIC_CPU, -1 },
	{ "cpu-cycles", METRIC_CPU, -1 },
	{ "ref-cycles", METRIC_CPU, -1 },
	{ "task-clock", METRIC_CPU, -1 },
	{ "cpu-clock", METRIC_CPU, -1 },
	{ "ipc", METRIC_CPU, 1 },
	{ "insn-per-cycle", METRIC_CPU, 1 },
	{ "cache-references", METRIC_NOISY, -1 },
	{ "llc-loads", METRIC_NOISY, -1 },
	{ "llc-stores", METRIC_NOISY, -1 },
	{ "context-switches", METRIC_NOISY, -1 },
	{ "cs", METRIC_NOISY, -1 },
	{ "cpu-migrations", METRIC_NOISY, -1 },
	{ "migrations", METRIC_NOISY, -1 },
	{ "page-faults", METRIC_NOISY, -1 },
	{ "faults", METRIC_NOISY, -1 },
	{ "minor-faults", METRIC_NOISY, -1 },
	{ "major-faults", METRIC_NOISY, -1 },
};

static void classify(const char *norm, struct metric_info *out)
{
	size_t len = strlen(norm);

	out->cls = METRIC_NOISY;
	out->better = -1;
	out->known = 0;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (!strcmp(norm, rules[i].name)) {
			out->cls = rules[i].cls;
			out->better = rules[i].better;
			out->known = 1;
			return;
		}
	}
	if (strstr(norm, "miss")) {
		/* cache-misses, branch-misses, LLC-load-misses, miss rates. */
		out->known = 1;
	} else if (ends_with(norm, len, "/s")) {
		/* Throughput (MB/s, ops/s) is derived from time. */
		out->cls = METRIC_CPU;
		out->better = 1;
		out->known = 1;
	}
}

void metric_lookup(const struct metric_policy *pol, const char *name,
		struct metric_info *out)
{
	char norm[NAME_MAX_LEN], other[NAME_MAX_LEN];
	struct metric_policy def;

	if (!pol) {
		metric_policy_init(&def);
		pol = &def;
	}
	normalise(name ? name : "", norm, sizeof(norm));
	classify(norm, out);
	out->theta = pol->theta[out->cls];
	for (size_t i = 0; i < pol->nover; i++) {
		const struct metric_override *o = &pol->over[i];

		normalise(o->name ? o->name : "", other, sizeof(other));
		if (strcmp(norm, other))
			continue;
		if (o->cls >= 0 && o->cls < METRIC_NCLASSES) {
			out->cls = (enum metric_class)o->cls;
			out->theta = pol->theta[out->cls];
		}
		if (o->better)
			out->better = o->better > 0 ? 1 : -1;
		if (o->theta > 0.0)
			out->theta = o->theta;
		out->known = 1;
	}
}

enum verdict verdict_decide(const struct verdict_in *in)
{
	double up, down;
	int above, below;

	if (!in || !in->comparable || isnan(in->p_adj) || isnan(in->ratio) ||
	    isnan(in->lo) || isnan(in->hi))
		return VERDICT_NOT_COMPARABLE;
	/*
	 * Compare ratios with 1 +/- theta rather than ratio - 1 with theta:
	 * 1.03 - 1 is a hair above 0.03 in binary.
	 */
	up = 1.0 + fabs(in->theta);
	down = 1.0 - fabs(in->theta);
	above = in->p_adj < in->alpha && in->lo > up;     /* whole CI above */
	below = in->p_adj < in->alpha && in->hi < down;   /* whole CI below */
	if (above)
		return in->better > 0 ? VERDICT_IMPROVEMENT : VERDICT_REGRESSION;
	if (below)
		return in->better > 0 ? VERDICT_REGRESSION : VERDICT_IMPROVEMENT;
	if (in->ratio > up || in->ratio < down)
		return VERDICT_INCONCLUSIVE;
	return VERDICT_SAME;
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_SAME:
		return "~";
	case VERDICT_REGRESSION:
		return "regression";
	case VERDICT_IMPROVEMENT:
		return "improvement";
	case VERDICT_INCONCLUSIVE:
		return "inconclusive";
	case VERDICT_NOT_COMPARABLE:
		return "not comparable";
	}
	return "?";
}

int stats_mde(const struct summary *b, const struct summary *h, double alpha,
		double power, double *mde)
{
	double nb, nh, df, sd, minp;

	if (!b || !h || !mde || !b->n || !h->n || !(alpha > 0.0 && alpha < 1.0) ||
	    !(power > 0.0 && power < 1.0))
		return STATS_EINVAL;
	nb = (double)b->n;
	nh = (double)h->n;
	df = nb + nh - 2.0;
	/* Smallest two-sided exact p: 2 / C(nb + nh, nb). */
	minp = 2.0 * exp(lgamma(nb + 1.0) + lgamma(nh + 1.0) - lgamma(nb + nh + 1.0));
	if (df < 1.0 || minp > alpha) {
		*mde = INFINITY;
		return 0;
	}
	sd = sqrt(((nb - 1.0) * b->sd * b->sd + (nh - 1.0) * h->sd * h->sd) / df);
	if (sd == 0.0) {
		*mde = 0.0;
		return 0;
	}
	if (b->mean == 0.0) {
		*mde = INFINITY;
		return 0;
	}
	*mde = (t_quantile(1.0 - alpha / 2.0, df) + t_quantile(power, df)) *
		sqrt(1.0 / nb + 1.0 / nh) * sd / fabs(b->mean) * sqrt(M_PI / 3.0);
	return 0;
}
