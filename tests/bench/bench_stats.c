/*
 * How fast is stats/?  Times the whole compare pipeline on two sets of
 * 1,000 benchmarks x 20 samples (summaries, U test, effect CI, Holm,
 * verdicts), with the default Hodges-Lehmann effect and with the
 * bootstrap (B = 2000), and change-point detection on a 10,000-point
 * history.  Prints wall-clock times (best and median of several rounds);
 * it never fails on time, it only reports (DESIGN §9).
 */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>

#include "stats.h"
#include "bench.h"

#define NBENCH 1000
#define NSAMP 20
#define NHIST 10000

static double base[NBENCH][NSAMP], head[NBENCH][NSAMP];
static struct cmp_result res[NBENCH];
static double p[NBENCH], adj[NBENCH];
static double hist[NHIST];

static void make_data(void)
{
	struct rng r;

	rng_seed(&r, 1);
	for (int b = 0; b < NBENCH; b++) {
		/* One benchmark in ten is 5 % slower; noise is 2 % lognormal. */
		double shift = b % 10 == 0 ? log(1.05) : 0.0;
		double center = 100.0 * (1 + b % 37);

		for (int i = 0; i < NSAMP; i++) {
			base[b][i] = center * exp(0.02 * rng_normal(&r));
			head[b][i] = center * exp(shift + 0.02 * rng_normal(&r));
		}
	}
	for (int i = 0; i < NHIST; i++)
		hist[i] = 1000.0 * (1 + 0.05 * (i / 1500)) + 10.0 * rng_normal(&r);
}

/* The compare pipeline; returns the number of regressions found. */
static int pipeline(enum effect_method em)
{
	struct cmp_opts o = CMP_OPTS_INIT;
	struct metric_info mi;
	int regressions = 0;

	o.effect.method = em;
	metric_lookup(NULL, "ns/op", &mi);
	for (int b = 0; b < NBENCH; b++) {
		if (cmp_pair(base[b], NSAMP, head[b], NSAMP, &o, &res[b])) {
			fprintf(stderr, "bench_stats: cmp_pair failed\n");
			exit(1);
		}
		p[b] = res[b].test.p_two;
	}
	if (padj_holm(p, NBENCH, adj)) {
		fprintf(stderr, "bench_stats: padj_holm failed\n");
		exit(1);
	}
	for (int b = 0; b < NBENCH; b++) {
		struct verdict_in vi = VERDICT_IN_INIT;

		vi.p_adj = adj[b];
		vi.ratio = res[b].eff.ratio;
		vi.lo = res[b].eff.lo;
		vi.hi = res[b].eff.hi;
		vi.theta = mi.theta;
		vi.better = mi.better;
		regressions += verdict_decide(&vi) == VERDICT_REGRESSION;
	}
	return regressions;
}

static size_t changepoints(void)
{
	struct cp_result cr = CP_RESULT_INIT;
	size_t n;

	if (cp_detect(hist, NHIST, NULL, &cr)) {
		fprintf(stderr, "bench_stats: cp_detect failed\n");
		exit(1);
	}
	n = cr.nr;
	cp_result_release(&cr);
	return n;
}

int main(void)
{
	double t[ROUNDS];
	char extra[64];
	int found = 0;
	size_t ncp = 0;

	make_data();
	for (int k = 0; k < ROUNDS; k++) {
		double t0 = bench_now();

		found = pipeline(EFFECT_HL_LOG);
		t[k] = bench_now() - t0;
	}
	snprintf(extra, sizeof(extra), "(%d regressions of 100 planted)", found);
	bench_report("compare 1000 x 20 vs 20, Hodges-Lehmann CI", t, extra);

	for (int k = 0; k < ROUNDS; k++) {
		double t0 = bench_now();

		found = pipeline(EFFECT_BOOTSTRAP);
		t[k] = bench_now() - t0;
	}
	snprintf(extra, sizeof(extra), "(%d regressions of 100 planted)", found);
	bench_report("compare 1000 x 20 vs 20, bootstrap CI (B = 2000)", t, extra);

	for (int k = 0; k < ROUNDS; k++) {
		double t0 = bench_now();

		ncp = changepoints();
		t[k] = bench_now() - t0;
	}
	snprintf(extra, sizeof(extra), "(%zu change points of 6 planted)", ncp);
	bench_report("change points, 10000-point history", t, extra);
	return 0;
}
