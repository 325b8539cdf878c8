/* Loading histories for the commands that show them; see history_load.h. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/history_load.h"
#include "git/gitrev.h"
#include "store/store_trend.h"
#include "util/usage.h"
#include "util/banned.h"

void history_set_release(struct history_set *h)
{
	for (size_t i = 0; i < h->nt; i++)
		trend_release(&h->t[i]);
	free(h->t);
	for (size_t i = 0; i < h->nsamples; i++)
		trend_samples_release(&h->samples[i]);
	free(h->samples);
	for (size_t i = 0; i < h->nkeys; i++) {
		free(h->keys[i].package);
		free(h->keys[i].name);
		free(h->keys[i].metric);
	}
	free(h->keys);
	strvec_clear(&h->order);
	memset(h, 0, sizeof(*h));
}

/* "YYYY-MM-DD" as seconds since the epoch (UTC midnight); 0 if not a date. */
static int parse_date(const char *s, long long *out)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end)
		return 0;
	*out = (long long)timegm(&tm);
	return 1;
}

static int want_metric(const struct strvec *m, const char *metric)
{
	if (!m || !m->nr || strvec_find(m, "all") >= 0)
		return 1;
	return strvec_find(m, metric) >= 0;
}

/* The chain of commits, cut at --since when it names a revision. */
static int chain(struct gitrepo *repo, const struct history_query *q, int since_is_date,
		 struct strvec *order)
{
	char since[41];
	int ret = gitrev_first_parents(repo, q->head ? q->head : "HEAD", 0, order);

	if (ret || !q->since || since_is_date)
		return ret;
	ret = gitrev_resolve(repo, q->since, since);
	if (ret)
		return ret;
	for (size_t i = 0; i < order->nr; i++)
		if (!strcmp(order->v[i], since)) {
			struct strvec cut = STRVEC_INIT;

			for (size_t j = i; j < order->nr; j++)
				strvec_push(&cut, order->v[j]);
			strvec_clear(order);
			*order = cut;
			return 0;
		}
	return error_code(PG_EUSAGE, "--since '%s' is not on the first-parent chain of %s",
			  q->since, q->head ? q->head : "HEAD");
}

int history_load(struct store *st, struct gitrepo *repo, const struct history_query *q,
		 struct history_set *out)
{
	struct trend_keys keys = TREND_KEYS_INIT;
	regex_t re;
	long long since_time = 0;
	int since_is_date = q->since && parse_date(q->since, &since_time);
	int have_re = 0, ret = 0;
	size_t salloc = 0;

	memset(out, 0, sizeof(*out));
	strvec_init(&out->order);
	if (q->bench_regex) {
		if (regcomp(&re, q->bench_regex, REG_EXTENDED | REG_NOSUB))
			return error_code(PG_EUSAGE, "'%s' is not a valid regular expression",
					  q->bench_regex);
		have_re = 1;
	}
	if (q->since && !since_is_date && !repo)
		ret = error_code(PG_EUSAGE, "--since '%s': not a date (YYYY-MM-DD), and revisions "
				 "need a git repository", q->since);
	if (!ret && repo)
		ret = chain(repo, q, since_is_date, &out->order);
	if (!ret)
		ret = store_trend_keys(st, NULL, &keys);
	for (size_t i = 0; !ret && i < keys.nr; i++) {
		struct trend_key *k = &keys.v[i];
		struct trend_samples *s;
		struct trend tr;

		if (!want_metric(q->metrics, k->metric) ||
		    (have_re && regexec(&re, k->name, 0, NULL, 0)))
			continue;
		ALLOC_GROW(out->samples, out->nsamples + 1, salloc);
		s = &out->samples[out->nsamples++];
		memset(s, 0, sizeof(*s));
		ret = store_trend_samples(st, k->bench_id, k->metric, s);
		if (ret)
			break;
		if (since_is_date) {
			size_t kept = 0;

			for (size_t j = 0; j < s->nr; j++)
				if (s->v[j].time >= since_time)
					s->v[kept++] = s->v[j];
			s->nr = kept;
		}
		if (trend_build(&tr, k->package, k->name, k->metric, s,
				repo ? (const char *const *)out->order.v : NULL, out->order.nr)) {
			ret = error_code(PG_EENV, "cannot analyse the history of '%s' %s: values "
					 "out of range", k->name, k->metric);
			break;
		}
		out->dropped += tr.dropped;
		if (!tr.ns) {
			trend_release(&tr);
			continue;
		}
		ALLOC_GROW(out->t, out->nt + 1, out->alloc);
		out->t[out->nt++] = tr;
	}
	/* The trends borrow the keys' strings: keep them all. */
	out->keys = keys.v;
	out->nkeys = keys.nr;
	if (have_re)
		regfree(&re);
	if (ret)
		history_set_release(out);
	return ret;
}

int history_view_open(struct history_view *v, const struct history_query *q)
{
	int ret;

	memset(v, 0, sizeof(*v));
	ret = workspace_open(&v->ws, 0);
	if (ret == PG_ENOTFOUND) {
		v->empty = 1;
		return 0;
	}
	if (ret)
		return ret;
	if (v->ws.git.in_repo && gitrepo_open(&v->repo, v->ws.top))
		v->repo = NULL;
	return history_load(v->ws.st, v->repo, q, &v->h);
}

void history_view_release(struct history_view *v)
{
	history_set_release(&v->h);
	gitrepo_close(v->repo);
	workspace_close(&v->ws);
	memset(v, 0, sizeof(*v));
}
