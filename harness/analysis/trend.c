/* A benchmark's history with its decisions, and bisect's search; see trend.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/trend.h"
#include "stats.h"
#include "util/usage.h"
#include "util/banned.h"

const char *trend_samples_own(struct trend_samples *l, char *s)
{
	ALLOC_GROW(l->owned, l->nowned + 1, l->owned_alloc);
	l->owned[l->nowned++] = s;
	return s;
}

void trend_samples_release(struct trend_samples *l)
{
	for (size_t i = 0; i < l->nowned; i++)
		free(l->owned[i]);
	free(l->owned);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void trend_release(struct trend *t)
{
	for (size_t i = 0; i < t->ns; i++)
		free(t->s[i].pts);
	free(t->s);
	memset(t, 0, sizeof(*t));
}

/* A sample with its commit's position in the order. */
struct keyed {
	const struct trend_sample *s;
	size_t pos;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c;

	c = strcmp(x->s->fp_class, y->s->fp_class);
	if (c)
		return c;
	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	if (x->s->time != y->s->time)
		return x->s->time < y->s->time ? -1 : 1;
	c = strcmp(x->s->sha, y->s->sha);
	if (c)
		return c;
	/* Newest run first: its samples make the point. */
	if (x->s->run_seq != y->s->run_seq)
		return x->s->run_seq > y->s->run_seq ? -1 : 1;
	return 0;
}

/* The position of every sha of `order`, sorted by sha for lookups. */
struct order_ent {
	const char *sha;
	size_t pos;
};

static int cmp_order(const void *a, const void *b)
{
	const struct order_ent *x = a, *y = b;
	int c = strcmp(x->sha, y->sha);

	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int find_pos(const struct order_ent *ix, size_t n, const char *sha, size_t *pos)
{
	size_t lo = 0, hi = n;

	/* The first entry of the sha: its oldest position. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ix[mid].sha, sha) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n || strcmp(ix[lo].sha, sha))
		return 0;
	*pos = ix[lo].pos;
	return 1;
}

/*
 * hist_predict() (stats/history.c) with the t quantile of each df computed
 * once per series: t_quantile() inverts the incomplete beta iteratively
 * and dominated a 10,000-point history (tests/bench/bench_trend.c).  Same
 * formula, same result (test_trend.c compares them).
 */
static void predict(const double *logs, size_t n, double l_new, double *tq,
		    struct hist_pi *out)
{
	double sum = 0.0, ss = 0.0, half;

	for (size_t i = 0; i < n; i++)
		sum += logs[i];
	out->n = n;
	out->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (logs[i] - out->mean) * (logs[i] - out->mean);
	out->sd = sqrt(ss / (double)(n - 1));
	if (!tq[n - 1])
		tq[n - 1] = t_quantile(0.99, (double)(n - 1));
	half = tq[n - 1] * out->sd * sqrt(1.0 + 1.0 / (double)n);
	out->lo = exp(out->mean - half);
	out->hi = exp(out->mean + half);
	out->position = l_new > out->mean + half ? 1 : l_new < out->mean - half ? -1 : 0;
}

/* Mark change points, prediction-interval outliers and moves on one series. */
static int decide(struct trend *t, struct trend_series *s)
{
	struct cp_opts co = CP_OPTS_INIT;
	struct cp_result cr = CP_RESULT_INIT;
	double *m = xmalloc((s->n ? s->n : 1) * sizeof(*m));
	double *logs = xmalloc((s->n ? s->n : 1) * sizeof(*logs));
	double tq[TREND_PI_MAX] = { 0 };
	size_t seg = 0, c = 0;
	int positive = 1, ret;

	for (size_t i = 0; i < s->n; i++) {
		m[i] = s->pts[i].median;
		if (!(m[i] > 0.0))
			positive = 0;
		logs[i] = positive ? log(m[i]) : 0.0;
	}
	ret = s->n >= 4 ? cp_detect(m, s->n, &co, &cr) : 0;
	if (ret)
		goto out;
	for (size_t k = 0; k < cr.nr; k++) {
		struct trend_point *p = &s->pts[cr.points[k].index];

		p->change = 1;
		p->change_rel = cr.points[k].rel_change;
		p->change_p = cr.points[k].p;
	}
	s->nchanges = cr.nr;
	for (size_t i = 0; i < s->n; i++) {
		struct trend_point *p = &s->pts[i], *q;
		struct hist_threshold th;
		struct hist_pi pi;
		size_t from;

		if (c < cr.nr && cr.points[c].index == i) {
			/* The change point is judged against the segment it leaves. */
			if (c)
				seg = cr.points[c - 1].index;
			c++;
		} else if (c) {
			seg = cr.points[c - 1].index;
		}
		from = i - seg > TREND_PI_MAX ? i - TREND_PI_MAX : seg;
		/* On logs: a history with a value <= 0 has no interval. */
		if (i - from >= TREND_PI_MIN && positive) {
			predict(logs + from, i - from, logs[i], tq, &pi);
			p->pi_ok = 1;
			p->pi_lo = pi.lo;
			p->pi_hi = pi.hi;
			p->outlier = pi.position;
		}
		if (!i || m[i - 1] == 0.0)
			continue;
		p->rel = m[i] / m[i - 1] - 1.0;
		p->theta = t->class_theta;
		if (!hist_learn_threshold(m, i, TREND_THETA_WINDOW, &th) && th.theta > p->theta)
			p->theta = th.theta;
		/*
		 * Beyond the threshold, with evidence: both medians' intervals
		 * known and apart, or both points exact (every repetition equal).
		 */
		q = &s->pts[i - 1];
		p->moved = fabs(p->rel) > p->theta &&
			   ((p->ci_ok && q->ci_ok && (p->ci_lo > q->ci_hi || p->ci_hi < q->ci_lo)) ||
			    (p->exact && q->exact));
	}
out:
	cp_result_release(&cr);
	free(m);
	free(logs);
	return ret;
}

/* Close the point being gathered: its summary. */
static int point_finish(struct trend_point *p, double *v, size_t n)
{
	struct summary sm;
	int ret = summary_compute(&sm, v, n, 0.95);

	if (ret)
		return ret;
	p->n = n;
	p->median = sm.median;
	p->ci_ok = sm.ci_ok;
	p->ci_lo = sm.ci_lo;
	p->ci_hi = sm.ci_hi;
	p->exact = sm.constant && n >= 3;
	return 0;
}

static int gather(struct trend *out, const struct keyed *k, size_t nk)
{
	double *v = xmalloc((nk ? nk : 1) * sizeof(*v));
	size_t nv = 0, alloc = 0;
	int64_t point_run = 0;
	int ret = 0;

	for (size_t i = 0; !ret && i < nk; i++) {
		const struct trend_sample *cur = k[i].s;
		struct trend_series *s = out->ns ? &out->s[out->ns - 1] : NULL;
		struct trend_point *p;

		if (!s || strcmp(s->fp_class, cur->fp_class)) {
			ALLOC_GROW(out->s, out->ns + 1, alloc);
			s = &out->s[out->ns++];
			memset(s, 0, sizeof(*s));
			s->fp_class = cur->fp_class;
			s->pts = xcalloc(nk, sizeof(*s->pts));
		}
		p = s->n ? &s->pts[s->n - 1] : NULL;
		if (p && !strcmp(p->sha, cur->sha)) {
			/* Only the newest run of a commit counts (sorted first). */
			if (cur->run_seq == point_run)
				v[nv++] = cur->value;
		} else {
			if (p)
				ret = point_finish(p, v, nv);
			nv = 0;
			p = &s->pts[s->n++];
			p->sha = cur->sha;
			p->subject = cur->subject;
			p->time = cur->time;
			point_run = cur->run_seq;
			v[nv++] = cur->value;
		}
		/* The last sample of a series (or of everything) closes its point. */
		if (!ret && (i + 1 == nk || strcmp(k[i + 1].s->fp_class, cur->fp_class)))
			ret = point_finish(&s->pts[s->n - 1], v, nv), nv = 0;
	}
	free(v);
	return ret;
}

int trend_build(struct trend *out, const char *package, const char *name, const char *metric,
		const struct trend_samples *in, const char *const *order, size_t norder)
{
	struct order_ent *ix = NULL;
	struct keyed *k = xmalloc((in->nr ? in->nr : 1) * sizeof(*k));
	struct metric_policy pol;
	struct metric_info mi;
	size_t nk = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	out->package = package;
	out->name = name;
	out->metric = metric;
	metric_policy_init(&pol);
	metric_lookup(&pol, metric, &mi);
	out->class_theta = mi.theta;
	out->better = mi.better;
	if (order) {
		ix = xmalloc((norder ? norder : 1) * sizeof(*ix));
		for (size_t i = 0; i < norder; i++) {
			ix[i].sha = order[i];
			ix[i].pos = i;
		}
		qsort(ix, norder, sizeof(*ix), cmp_order);
	}
	for (size_t i = 0; i < in->nr; i++) {
		size_t pos = 0;

		if (order && !find_pos(ix, norder, in->v[i].sha, &pos)) {
			out->dropped++;
			continue;
		}
		k[nk].s = &in->v[i];
		k[nk++].pos = pos;
	}
	qsort(k, nk, sizeof(*k), cmp_keyed);
	ret = gather(out, k, nk);
	for (size_t i = 0; !ret && i < out->ns; i++)
		ret = decide(out, &out->s[i]);
	if (ret) {
		size_t dropped = out->dropped;

		trend_release(out);
		out->dropped = dropped;
	}
	free(ix);
	free(k);
	return ret;
}

void bisect_init(struct bisect *b, size_t n)
{
	memset(b, 0, sizeof(*b));
	b->hi = n;
	if (n <= 1) {
		b->done = 1;
		b->first_bad = n;
	}
}

size_t bisect_next(const struct bisect *b)
{
	if (b->done || b->stopped || b->hi - b->lo <= 1)
		return 0;
	return b->lo + (b->hi - b->lo) / 2;
}

void bisect_mark(struct bisect *b, size_t i, enum bisect_outcome o)
{
	if (b->done || b->stopped || i <= b->lo || i >= b->hi)
		return;
	b->steps++;
	switch (o) {
	case BISECT_GOOD:
		b->lo = i;
		break;
	case BISECT_BAD:
		b->hi = i;
		break;
	default:
		b->stopped = 1;
		b->stopped_at = i;
		b->why = o;
		return;
	}
	if (b->hi - b->lo <= 1) {
		b->done = 1;
		b->first_bad = b->hi;
	}
}
