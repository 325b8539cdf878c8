/*
 * perfgo bisect [<options>] <good> <bad> -- <pkg> -bench=<X> [go test flags]
 *
 * Find the first commit on <bad>'s first-parent chain after <good> where a
 * benchmark's metric moved as it did from <good> to <bad>.  Each step
 * measures one commit with the compare protocol against <good>, both
 * sides interleaved A B B A (with --reuse, the stored runs of commits
 * measured alike, by `perfgo run` or an earlier step, are taken instead:
 * faster, but drift of the machine between measurements is then not
 * controlled) and takes compare's verdict on the
 * metric: the move of <bad> (regression or improvement) makes the commit
 * bad, "~" makes it good, anything else (inconclusive, the other way, not
 * comparable) stops the search and says so, as does a commit that does
 * not build or whose benchmark fails.  The search itself is
 * analysis/trend.h's struct bisect.
 *
 * Exit: 0 the first bad commit is named; 1 no commit named (good and bad
 * do not differ, or a step was inconclusive); 4 a commit did not build or
 * its benchmark failed; 2, 3, 130 as usual.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "cli/cli.h"
#include "analysis/compare.h"
#include "analysis/trend.h"
#include "cmd/compare_sides.h"
#include "session/session.h"
#include "store/store_series.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/banned.h"

static const char bisect_usage[] =
	"usage: perfgo bisect [<options>] <good> <bad> -- <pkg> -bench=<X> [go test flags]\n"
	"\n"
	"Binary search over <bad>'s first-parent commits after <good> for the first one\n"
	"where <X>'s metric (--metric, default ns/op) moved as it did from <good> to <bad>.\n"
	"Each step compares a commit against <good> with the protocol of 'perfgo compare'\n"
	"(interleaved, -count defaults to 10); --reuse takes stored runs of commits measured\n"
	"alike instead.  It stops, saying so, on an inconclusive step or a commit that does\n"
	"not build: it never guesses.  Exit 0: found; 1: no commit named; 4: a build failed.\n";

struct bisect_opts {
	const char *metric;
	const char *import_path;
	int reuse;
	struct strvec events;
};

struct bisector {
	struct session s;
	struct ctx *ctx;
	const struct bisect_opts *bo;
	const struct strvec *revs;
	struct testargs ta;
	struct strvec chain;         /* chain[0] = good, chain[n] = bad */
	char *pkg, *name;            /* the benchmark, once the first step found it */
	enum verdict moved;          /* what bad did: regression or improvement */
};

static int resolve(struct session *s, void *data)
{
	struct bisector *b = data;
	char good[41], bad[41];
	struct commit_info ci;
	int ret;

	ret = gitrev_resolve(s->repo, b->revs->v[0], good);
	if (!ret)
		ret = gitrev_resolve(s->repo, b->revs->v[1], bad);
	if (ret)
		return ret;
	strvec_push(&b->chain, good);
	ret = gitrev_range(s->repo, good, bad, 1, &b->chain);
	if (ret)
		return ret;
	if (b->chain.nr < 2)
		return error_code(PG_EUSAGE, "'%s' is not after '%s' on its first-parent chain: "
				  "nothing to bisect", b->revs->v[1], b->revs->v[0]);
	ret = gitrev_commit_info(s->repo, b->chain.v[1], &ci);
	if (ret)
		return ret;
	if (strncmp(ci.parents, good, 40))
		ret = error_code(PG_EUSAGE, "'%s' is not on the first-parent chain of '%s': "
				 "give a good commit that is", b->revs->v[0], b->revs->v[1]);
	commit_info_release(&ci);
	for (size_t i = 0; !ret && i < b->chain.nr; i++) {
		ret = gitrev_commit_info(s->repo, b->chain.v[i], &ci);
		if (!ret)
			ret = store_add_commit(s->ws.st, &ci);
		if (!ret)
			commit_info_release(&ci);
	}
	return ret;
}

static int side_of(struct bisector *b, size_t i, struct compare_side *side)
{
	struct buf label = BUF_INIT;

	memset(side, 0, sizeof(*side));
	memcpy(side->sha, b->chain.v[i], 41);
	buf_addf(&label, "%.12s", side->sha);
	side->label = buf_detach(&label);
	return 0;
}

static int interrupted(void *arg)
{
	(void)arg;
	return sig_pending() != 0;
}

/* The row of the metric of the one benchmark selected. */
static int pick_row(struct bisector *b, struct compare_report *rep, struct compare_row **out)
{
	struct compare_row *found = NULL;
	size_t n = 0;

	if (b->name) {
		*out = compare_find_row(rep, b->bo->metric, b->pkg, b->name);
		if (!*out)
			return error_code(PG_EUSAGE, "no '%s' of '%s' in this step's comparison",
					  b->bo->metric, b->name);
		return 0;
	}
	for (size_t k = 0; k < rep->nblocks; k++)
		for (size_t t = 0; t < rep->blocks[k].ntables; t++) {
			struct compare_table *tb = &rep->blocks[k].tables[t];

			if (strcmp(tb->unit, b->bo->metric))
				continue;
			for (size_t r = 0; r < tb->nr; r++, n++)
				found = &tb->rows[r];
		}
	if (!n)
		return error_code(PG_EUSAGE, "no metric '%s' was measured: see 'perfgo compare' for "
				  "the metrics of '-bench=%s'", b->bo->metric,
				  b->ta.bench ? b->ta.bench : ".");
	if (n > 1)
		return error_code(PG_EUSAGE, "'-bench=%s' selects %zu benchmarks: bisect follows "
				  "one, anchor the regex (e.g. '-bench=^BenchmarkX$')",
				  b->ta.bench ? b->ta.bench : ".", n);
	b->pkg = xstrdup(found->pkg);
	b->name = xstrdup(found->name);
	*out = found;
	return 0;
}

/* Compare chain[i] against chain[base]; *row_out is a copy of the metric's row. */
static int step(struct bisector *b, size_t base, size_t i, struct compare_row *row_out)
{
	struct compare_side good, mid;
	struct compare_sides_opts co = { 0 };
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct series_set sides[2] = { SERIES_SET_INIT, SERIES_SET_INIT };
	struct compare_report rep = COMPARE_REPORT_INIT;
	struct compare_row *row;
	const char *metrics[1];
	int ret;

	side_of(b, base, &good);
	side_of(b, i, &mid);
	ret = compare_sides_buildmodes(&b->s.ws, b->s.repo, b->bo->import_path, &good, &mid);
	co.ta = &b->ta;
	co.events = &b->bo->events;
	co.detail = -1;
	co.reuse = b->bo->reuse;
	co.backend = b->s.backend;
	co.tool = b->s.fp.perf_version;
	if (!ret)
		ret = compare_sides_measure(&b->s.ws, b->s.repo, b->ctx, &b->s.runner, &b->s.fp,
					    b->s.fp_id, &co, &good, &mid);
	if (!ret)
		ret = store_run_series(b->s.ws.st, good.run_id, good.label, &sides[0]);
	if (!ret)
		ret = store_run_series(b->s.ws.st, mid.run_id, mid.label, &sides[1]);
	metrics[0] = b->bo->metric;
	o.metrics = metrics;
	o.nmetrics = 1;
	o.gate = metrics;
	o.ngate = 1;
	o.cancelled = interrupted;
	if (!ret) {
		ret = compare_build(&rep, &sides[0], &sides[1], 1, &o);
		if (ret == COMPARE_ECANCELED)
			ret = PG_EINTR;
		else if (ret)
			ret = error_code(PG_EUSAGE, "cannot compare: %s", stats_strerror(ret));
	}
	if (!ret)
		ret = pick_row(b, &rep, &row);
	if (!ret) {
		*row_out = *row;
		/* The row borrows from the report: keep only its numbers. */
		row_out->pkg = row_out->name = NULL;
		row_out->old_v = row_out->new_v = NULL;
		row_out->why = row->why;
		row_out->test = NULL;
		note("step: %.12s (run %.8s) against %.12s (run %.8s)", mid.sha, mid.run_id,
		     good.sha, good.run_id);
	}
	compare_report_release(&rep);
	series_set_release(&sides[0]);
	series_set_release(&sides[1]);
	compare_side_release(&good);
	compare_side_release(&mid);
	return ret;
}

static void evidence(struct buf *out, const struct compare_row *r)
{
	buf_addf(out, "%s", verdict_name(r->verdict));
	if (r->comparable)
		buf_addf(out, "  %+.1f%% [%+.1f%%, %+.1f%%]  p=%.2g  medians %.4g -> %.4g (n %zu, %zu)",
			 (r->ratio - 1) * 100, (r->lo - 1) * 100, (r->hi - 1) * 100, r->p,
			 r->old.median, r->new.median, r->old.n, r->new.n);
	else if (r->why)
		buf_addf(out, " (%s)", r->why);
}

static void say_step(const struct bisector *b, size_t i, const char *what, const char *vs,
		     const struct compare_row *r)
{
	struct buf line = BUF_INIT;

	buf_addf(&line, "%-5s %.12s  %s vs %s: ", what, b->chain.v[i], b->bo->metric, vs);
	if (r)
		evidence(&line, r);
	printf("%s\n", line.buf);
	fflush(stdout);
	buf_release(&line);
}

/*
 * Commit i against good: the move of the bad side makes it bad, "~" good.
 * Anything else (inconclusive on a noisy runner, most often) asks the bad
 * side too: a commit that differs from bad the other way is good, one
 * that is "~" to bad is bad; otherwise the step is undecided.
 */
static int judge(struct bisector *b, size_t i, enum bisect_outcome *o)
{
	size_t n = b->chain.nr - 1;
	enum verdict back = b->moved == VERDICT_REGRESSION ? VERDICT_IMPROVEMENT :
			    VERDICT_REGRESSION;
	struct compare_row r;
	int ret = step(b, 0, i, &r);

	if (ret)
		return ret;
	*o = r.verdict == b->moved ? BISECT_BAD : r.verdict == VERDICT_SAME ? BISECT_GOOD :
	     BISECT_UNDECIDED;
	say_step(b, i, *o == BISECT_GOOD ? "good" : *o == BISECT_BAD ? "bad" : "?", "good", &r);
	if (*o != BISECT_UNDECIDED)
		return 0;
	ret = step(b, n, i, &r);
	if (ret)
		return ret;
	*o = r.verdict == back ? BISECT_GOOD : r.verdict == VERDICT_SAME ? BISECT_BAD :
	     BISECT_UNDECIDED;
	say_step(b, i, *o == BISECT_GOOD ? "good" : *o == BISECT_BAD ? "bad" : "?", "bad", &r);
	return 0;
}

/* The search; returns an error or the exit code in *code. */
static int search(struct bisector *b, int *code)
{
	size_t n = b->chain.nr - 1, i;
	struct compare_row r;
	struct bisect bs;
	int ret;
	enum bisect_outcome o;

	note("bisecting %zu commit%s between %.12s (good) and %.12s (bad)", n - 1,
	     n == 2 ? "" : "s", b->chain.v[0], b->chain.v[n]);
	ret = step(b, 0, n, &r);
	if (ret == PG_ECODE) {
		printf("bad   %.12s does not build or its benchmark fails: bisect needs a measured "
		       "bad side\n", b->chain.v[n]);
		*code = EXIT_CODE;
		return 0;
	}
	if (ret)
		return ret;
	say_step(b, n, "bad", "good", &r);
	if (r.verdict != VERDICT_REGRESSION && r.verdict != VERDICT_IMPROVEMENT) {
		printf("no first bad commit: %.12s and %.12s do not differ in %s of %s (%s); "
		       "nothing to bisect\n", b->chain.v[0], b->chain.v[n], b->bo->metric, b->name,
		       verdict_name(r.verdict));
		*code = EXIT_REGRESSION;
		return 0;
	}
	b->moved = r.verdict;
	bisect_init(&bs, n);
	while ((i = bisect_next(&bs))) {
		ret = judge(b, i, &o);
		if (ret == PG_ECODE) {
			o = BISECT_BROKEN;
			printf("broken %.12s: does not build or its benchmark fails\n", b->chain.v[i]);
		} else if (ret) {
			return ret;
		}
		bisect_mark(&bs, i, o);
	}
	if (bs.stopped && bs.why == BISECT_BROKEN) {
		printf("stopped: %.12s does not build or its benchmark fails; the first bad commit is "
		       "after %.12s and at or before %.12s (%zu commit%s judged)\n",
		       b->chain.v[bs.stopped_at], b->chain.v[bs.lo], b->chain.v[bs.hi], bs.steps,
		       bs.steps == 1 ? "" : "s");
		*code = EXIT_CODE;
	} else if (bs.stopped) {
		printf("stopped: %.12s is inconclusive (against good: neither '~' nor the move of the "
		       "bad side; against bad: neither '~' nor the way back); the first bad commit is after %.12s and at or before %.12s; "
		       "re-run with a higher -count (%zu commit%s judged)\n",
		       b->chain.v[bs.stopped_at], b->chain.v[bs.lo], b->chain.v[bs.hi], bs.steps,
		       bs.steps == 1 ? "" : "s");
		*code = EXIT_REGRESSION;
	} else {
		struct commit_info ci;

		ret = gitrev_commit_info(b->s.repo, b->chain.v[bs.first_bad], &ci);
		if (ret)
			return ret;
		printf("first bad commit: %s %s\n  %s of %s moved (%s) here; %.12s before it is "
		       "%s; %zu of the %zu commits between good and bad judged\n", ci.sha,
		       ci.subject, b->bo->metric, b->name, verdict_name(b->moved),
		       b->chain.v[bs.first_bad - 1], bs.first_bad - 1 ? "good" : "the good side",
		       bs.steps, n - 1);
		commit_info_release(&ci);
		*code = EXIT_OK;
	}
	return 0;
}

int cmd_bisect(int argc, const char **argv, struct ctx *ctx)
{
	struct bisect_opts bo = { "ns/op", NULL, 0, STRVEC_INIT };
	struct opt opts[] = {
		OPT_STR_("metric", 0, &bo.metric, "<m>", "the metric to follow (default ns/op)"),
		OPT_BOOL_("reuse", 0, &bo.reuse, "take stored runs of commits measured alike (no interleaving)"),
		OPT_LIST_("event", 'e', &bo.events, "<event>", "perf event(s) to count; repeatable"),
		OPT_STR_("import-path", 0, &bo.import_path, "<path>", "import path of the repository's top directory, for commits without go.mod"),
		OPT_END_()
	};
	struct strvec revs = STRVEC_INIT, words = STRVEC_INIT;
	struct session_opts so = { 0 };
	struct bisector b;
	int ret, dashdash, code = EXIT_OK;

	memset(&b, 0, sizeof(b));
	session_init(&b.s);
	testargs_init(&b.ta);
	strvec_init(&b.chain);
	b.bo = &bo;
	b.ctx = ctx;
	b.revs = &revs;
	ret = cli_parse_split("bisect", bisect_usage, opts, argc, argv, &revs, &words, &dashdash);
	if (ret) {
		ret = ret > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (revs.nr != 2)
		ret = error("name a good and a bad commit, e.g. 'perfgo bisect v1.2 HEAD -- ./pkg "
			    "-bench=BenchmarkX'");
	else if (!words.nr)
		ret = error("name the benchmark after '--', e.g. '-- ./pkg -bench=BenchmarkX'");
	else if (parse_bench_args(&words, &b.ta))
		ret = PG_EUSAGE;
	if (ret) {
		cli_hint("bisect");
		ret = EXIT_USAGE;
		goto out;
	}
	testargs_own_options(&b.ta, opts);
	if (!b.ta.count)
		b.ta.count = 10;
	so.ctx = ctx;
	so.backend = &backend_perf_stat;
	so.repo = 1;
	so.resolve = resolve;
	so.data = &b;
	/* What counts, as compare decides it ($PERFGO_COUNTERS, else auto). */
	ret = counters_parse(NULL, &so.counters);
	if (!ret)
		ret = session_open(&b.s, &so);
	if (!ret)
		ret = search(&b, &code);
	ret = ret ? exit_code_for(ret) : code;
out:
	session_close(&b.s);
	testargs_release(&b.ta);
	strvec_clear(&b.chain);
	strvec_clear(&revs);
	strvec_clear(&words);
	strvec_clear(&bo.events);
	free(b.pkg);
	free(b.name);
	return ret;
}
