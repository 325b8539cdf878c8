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
	pol->gate = NULL;
	pol->ngate = 0;
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
	/* The simulation's counts ("instructions:sim/op") are classed as the PMU's. */
	else if (q && !strcmp(q, ":sim"))
		*q = '\0';
}

struct rule {
	const char *name;
	enum metric_class cls;
	int better;
	int gate;              /* in the default gate */
};

static const struct rule rules[] = {
	{ "instructions", METRIC_EXACTISH, -1, 1 },
	{ "inst_retired.any", METRIC_EXACTISH, -1, 1 },
	{ "branches", METRIC_EXACTISH, -1, 0 },
	{ "branch-instructions", METRIC_EXACTISH, -1, 0 },
	{ "allocs", METRIC_EXACTISH, -1, 1 },
	{ "b", METRIC_EXACTISH, -1, 1 },
	{ "l1-dcache-loads", METRIC_EXACTISH, -1, 0 },
	{ "l1-dcache-stores", METRIC_EXACTISH, -1, 0 },
	{ "data-reads", METRIC_EXACTISH, -1, 0 },      /* callgrind's Dr (--counters sim) */
	{ "data-writes", METRIC_EXACTISH, -1, 0 },     /* callgrind's Dw */
	{ "ns", METRIC_CPU, -1, 1 },
	{ "sec", METRIC_CPU, -1, 1 },
	{ "cycles", METRIC_CPU, -1, 0 },
	{ "cpu-cycles", METRIC_CPU, -1, 0 },
	{ "ref-cycles", METRIC_CPU, -1, 0 },
	{ "task-clock", METRIC_CPU, -1, 0 },
	{ "cpu-clock", METRIC_CPU, -1, 0 },
	{ "ipc", METRIC_CPU, 1, 0 },
	{ "insn-per-cycle", METRIC_CPU, 1, 0 },
	{ "cache-references", METRIC_NOISY, -1, 0 },
	{ "llc-loads", METRIC_NOISY, -1, 0 },
	{ "llc-stores", METRIC_NOISY, -1, 0 },
	{ "context-switches", METRIC_NOISY, -1, 0 },
	{ "cs", METRIC_NOISY, -1, 0 },
	{ "cpu-migrations", METRIC_NOISY, -1, 0 },
	{ "migrations", METRIC_NOISY, -1, 0 },
	{ "page-faults", METRIC_NOISY, -1, 0 },
	{ "faults", METRIC_NOISY, -1, 0 },
	{ "minor-faults", METRIC_NOISY, -1, 0 },
	{ "major-faults", METRIC_NOISY, -1, 0 },
	{ "alignment-faults", METRIC_NOISY, -1, 0 },
	{ "emulation-faults", METRIC_NOISY, -1, 0 },
	{ "cgroup-switches", METRIC_NOISY, -1, 0 },
	{ "bus-cycles", METRIC_CPU, -1, 0 },
	{ "stalled-cycles-frontend", METRIC_NOISY, -1, 0 },
	{ "stalled-cycles-backend", METRIC_NOISY, -1, 0 },
};

static const struct rule *find_rule(const char *norm)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(norm, rules[i].name))
			return &rules[i];
	return NULL;
}

static void classify(const char *norm, struct metric_info *out)
{
	size_t len = strlen(norm);
	const struct rule *r = find_rule(norm);

	out->cls = METRIC_NOISY;
	out->better = -1;
	out->known = 0;
	out->gate = 1;         /* a custom unit */
	if (r) {
		out->cls = r->cls;
		out->better = r->better;
		out->known = 1;
		out->gate = r->gate;
		return;
	}
	if (strstr(norm, "miss")) {
		/* cache-misses, branch-misses, LLC-load-misses, miss rates. */
		out->known = 1;
		out->gate = 0;
	} else if (ends_with(norm, len, "/s")) {
		/* Throughput (MB/s, ops/s) is derived from time. */
		out->cls = METRIC_CPU;
		out->better = 1;
		out->known = 1;
		out->gate = 0;
	} else if (ends_with(norm, len, "-ns")) {
		/* perfgo's per-op time events ("task-clock-ns/op"): diagnostics, as the events. */
		char base[NAME_MAX_LEN];

		memcpy(base, norm, len - 3);
		base[len - 3] = '\0';
		r = find_rule(base);
		if (r && !r->gate)
			out->gate = 0;
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
	if (pol->ngate) {
		out->gate = 0;
		for (size_t i = 0; i < pol->ngate && !out->gate; i++) {
			normalise(pol->gate[i] ? pol->gate[i] : "", other, sizeof(other));
			out->gate = !strcmp(norm, other);
		}
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

double mwu_min_p(size_t nb, size_t nh)
{
	double p;

	if (!nb || !nh)
		return 1.0;
	/* 2 / C(nb + nh, nb): both extreme rank orders of a two-sided test. */
	p = 2.0 * exp(lgamma((double)nb + 1.0) + lgamma((double)nh + 1.0) -
		      lgamma((double)(nb + nh) + 1.0));
	return p < 1.0 ? p : 1.0;
}

size_t mwu_n_for_level(double alpha)
{
	size_t n = 2;

	if (!(alpha > 0.0 && alpha < 1.0))
		return 0;
	while (mwu_min_p(n, n) >= alpha && n < 1000)
		n++;
	return n;
}

/* The sd of log(X) for a lognormal X with this mean and sd: sqrt(log(1 + CV^2)). */
static double log_sd(const struct summary *s)
{
	double cv = s->sd / s->mean;

	return sqrt(log1p(cv * cv));
}

int stats_mde(const struct summary *b, const struct summary *h, double alpha,
		double power, double *mde)
{
	double nb, nh, vb, vh, df, se;

	if (!b || !h || !mde || !b->n || !h->n || !(alpha > 0.0 && alpha < 1.0) ||
	    !(power > 0.0 && power < 1.0))
		return STATS_EINVAL;
	nb = (double)b->n;
	nh = (double)h->n;
	if (b->n < 2 || h->n < 2 || mwu_min_p(b->n, h->n) >= alpha) {
		*mde = INFINITY;
		return 0;
	}
	if (b->sd == 0.0 && h->sd == 0.0) {
		*mde = 0.0;
		return 0;
	}
	/* A ratio, and so a log-ratio, needs both sides positive. */
	if (!(b->mean > 0.0) || !(h->mean > 0.0)) {
		*mde = INFINITY;
		return 0;
	}
	vb = log_sd(b);
	vb = vb * vb / nb;
	vh = log_sd(h);
	vh = vh * vh / nh;
	se = sqrt(vb + vh);
	/* Welch-Satterthwaite; the pooled nb + nh - 2 when the spreads agree. */
	df = (vb + vh) * (vb + vh) / (vb * vb / (nb - 1.0) + vh * vh / (nh - 1.0));
	*mde = expm1((t_quantile(1.0 - alpha / 2.0, df) + t_quantile(power, df)) * se *
		     sqrt(M_PI / 3.0));
	return 0;
}
