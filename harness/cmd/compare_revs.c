/* `perfgo compare` on revisions; see compare_revs.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "measure/config.h"
#include "session/session.h"
#include "util/buf.h"
#include "cmd/compare_sides.h"
#include "cmd/compare_revs.h"
#include "measure/perf.h"
#include "sinks/compare_outputs.h"
#include "sinks/github.h"
#include "store/store_series.h"
#include "util/json.h"
#include "util/parse.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/banned.h"

/* One comparison of revisions in progress. */
struct gate {
	const struct compare_args *a;
	const struct compare_opts *o;
	struct ctx *ctx;
	const struct strvec *revs;  /* the revision arguments */
	struct session s;           /* s.rr: the comparison run */
	struct testargs ta;
	struct compare_sides_opts cco;
	struct compare_side base, head;
	struct strvec notes;
	char *runner_line;
	struct github gh;           /* --github */
	struct compare_opts opts;   /* *o, with the design when both sides were measured in rounds */
	struct seq_design design;   /* -count auto */
	size_t looks, undecided_left;
	struct compare_reps reps;
};

/*
 * The comparison run's configuration: what decides the verdicts, and the
 * measurement.  Never equal to a measurement's own configuration, so that
 * reuse never mistakes a comparison for measured samples.
 */
static char *compare_config_json(const struct gate *g)
{
	struct buf b = BUF_INIT;
	char *measure = config_add_counters(bench_config_json(&g->ta, &g->a->events, g->a->detail,
							      NULL), g->s.backend, g->s.fp.perf_version);
	json_t *top = json_object(), *cmp = json_object();

	json_object_set_new(cmp, "alpha", json_num(g->o->alpha));
	json_object_set_new(cmp, "confidence", json_num(g->o->conf));
	json_object_set_new(cmp, "thresholds", json_strvec(&g->a->thresholds));
	json_object_set_new(cmp, "metrics", json_strvec(&g->a->metrics));
	json_object_set_new(cmp, "filter", json_str(g->a->filter));
	json_object_set_new(cmp, "confirm", json_boolean(g->a->confirm));
	json_object_set_new(cmp, "reuse", json_boolean(g->a->reuse));
	if (g->ta.count_auto) {
		json_t *c = json_object();

		json_object_set_new(c, "minimum", json_integer((json_int_t)g->design.nmin));
		json_object_set_new(c, "step", json_integer((json_int_t)g->design.step));
		json_object_set_new(c, "cap", json_integer((json_int_t)g->design.cap));
		json_object_set_new(c, "interim", json_num(g->design.interim));
		json_object_set_new(cmp, "count_auto", c);
	}
	json_object_set_new(top, "compare", cmp);
	/*
	 * The measurement's configuration as its own runs store it, read back:
	 * jansson writes what it read the same way, so these are its bytes.
	 */
	json_object_set_new(top, "measure", json_loads(measure, 0, NULL));
	json_to_buf(&b, top, JSON_COMPACT);
	json_decref(top);
	free(measure);
	return buf_detach(&b);
}

static void runner_line(struct gate *g)
{
	const struct fingerprint *fp = &g->s.fp;
	struct buf b = BUF_INIT;

	/* The simulation's tool version is valgrind's: say that the counters are simulated. */
	int sim = g->s.backend == &backend_callgrind;

	buf_addf(&b, "%s, %s, %d cores, Linux %s, %s %s, %s %s/%s, GOMAXPROCS %d, %s",
		 fp->host ? fp->host : "?", fp->cpu_model ? fp->cpu_model : "?", fp->cores,
		 fp->kernel ? fp->kernel : "?", sim ? "counters: sim," : "perf",
		 fp->perf_version ? fp->perf_version : "?",
		 fp->go_version ? fp->go_version : "?", fp->goos ? fp->goos : "?",
		 fp->goarch ? fp->goarch : "?", fp->gomaxprocs,
		 sim ? "simulated counts (callgrind), ns/op from a plain run" :
		 fp->pmu ? "hardware PMU" : "no hardware PMU (software events only)");
	g->runner_line = buf_detach(&b);
}

static void side_note(struct gate *g, const char *what, const struct compare_side *s, int reused)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s %s: run %.8s", what, s->label, s->run_id);
	if (s->from_run)
		buf_addstr(&b, " (stored samples)");
	else if (reused)
		buf_addstr(&b, " (reused: measured before with the same configuration)");
	strvec_push(&g->notes, b.buf);
	buf_release(&b);
}

/* How the sides were built, when not both as modules; a modules/GOPATH boundary above all. */
static void build_notes(struct gate *g)
{
	const struct compare_side *side[2] = { &g->base, &g->head };
	struct buf b = BUF_INIT;

	for (int i = 0; i < 2; i++) {
		if (!side[i]->mode.gopath)
			continue;
		buf_reset(&b);
		buf_addf(&b, "%s: ", i ? "head" : "base");
		buildmode_describe(&side[i]->mode, side[i]->sha, &b);
		strvec_push(&g->notes, b.buf);
	}
	if (g->base.mode.gopath != g->head.mode.gopath) {
		buf_reset(&b);
		buf_addf(&b, "the sides were built differently (base %s, head %s): across the "
			 "boundary of Go modules the dependencies come from GOPATH and vendor/ on one "
			 "side and from go.mod on the other, so a difference may be the build's as well "
			 "as the code's", g->base.mode.gopath ? "in GOPATH mode" : "as a Go module",
			 g->head.mode.gopath ? "in GOPATH mode" : "as a Go module");
		strvec_push(&g->notes, b.buf);
	} else if (g->base.mode.gopath && strcmp(g->base.mode.import_path, g->head.mode.import_path)) {
		buf_reset(&b);
		buf_addf(&b, "the sides were built under different import paths ('%s', '%s')",
			 g->base.mode.import_path, g->head.mode.import_path);
		strvec_push(&g->notes, b.buf);
	}
	buf_release(&b);
}

static int add_commit(struct gate *g, const struct compare_side *s)
{
	struct commit_info ci;
	int ret;

	if (s->from_run || !s->sha[0])
		return 0;
	ret = gitrev_commit_info(g->s.repo, s->sha, &ci);
	if (!ret)
		ret = store_add_commit(g->s.ws.st, &ci);
	if (!ret)
		commit_info_release(&ci);
	return ret;
}

/* Both sides' stored samples, compared. */
static int build(struct gate *g, const struct compare_side *base, const struct compare_side *head,
		 struct series_set *sides, struct compare_report *rep)
{
	int ret = store_run_series(g->s.ws.st, base->run_id, base->label, &sides[0]);

	if (!ret)
		ret = store_run_series(g->s.ws.st, head->run_id, head->label, &sides[1]);
	if (ret)
		return ret;
	ret = compare_build(rep, &sides[0], &sides[1], 1, &g->opts);
	if (ret == COMPARE_ECANCELED)
		return PG_EINTR;
	if (ret)
		return error_code(PG_EUSAGE, "cannot compare: %s", stats_strerror(ret));
	if (!rep->rows)
		return error_code(PG_EUSAGE, "nothing to compare%s%s%s",
				  g->a->filter ? ": no benchmark matches --filter '" : "",
				  g->a->filter ? g->a->filter : "", g->a->filter ? "'" : "");
	return compare_check_gate(rep, &g->opts);
}

static void copy_side(struct compare_side *to, const struct compare_side *from)
{
	memset(to, 0, sizeof(*to));
	memcpy(to->sha, from->sha, sizeof(to->sha));
	to->worktree = from->worktree;
	to->label = xstrdup(from->label);
	buildmode_copy(&to->mode, &from->mode);
}

/*
 * --confirm: measure the benchmarks with a regression again, fresh and
 * interleaved, and keep a regression only where the second round finds
 * it too; the others become inconclusive, marked "not confirmed".
 */
static int confirm(struct gate *g, struct compare_report *rep)
{
	struct strvec only = STRVEC_INIT;
	struct compare_side b2, h2;
	struct compare_sides_opts o2 = g->cco;
	struct series_set sides[2] = { SERIES_SET_INIT, SERIES_SET_INIT };
	struct compare_report rep2 = COMPARE_REPORT_INIT;
	size_t total = 0, kept = 0;
	struct buf msg = BUF_INIT;
	int ret;

	if (g->base.from_run || g->head.from_run) {
		warning("--confirm re-measures commits; a run:<id> side has only its stored samples, "
			"so nothing was confirmed");
		return 0;
	}
	for (size_t b = 0; b < rep->nblocks; b++)
		for (size_t t = 0; t < rep->blocks[b].ntables; t++)
			for (size_t r = 0; r < rep->blocks[b].tables[t].nr; r++) {
				const struct compare_row *row = &rep->blocks[b].tables[t].rows[r];
				struct buf key = BUF_INIT;

				/* Diagnostics never gate: nothing to confirm. */
				if (row->verdict != VERDICT_REGRESSION || !rep->blocks[b].tables[t].gated)
					continue;
				buf_addf(&key, "%s\t%s", row->pkg, row->name);
				if (strvec_find(&only, key.buf) < 0)
					strvec_push(&only, key.buf);
				buf_release(&key);
			}
	note("--confirm: measuring %zu benchmark%s again", only.nr, only.nr == 1 ? "" : "s");
	copy_side(&b2, &g->base);
	copy_side(&h2, &g->head);
	o2.only = &only;
	o2.reuse = 0;
	o2.seq = NULL;          /* a second round of the first look's size */
	ret = compare_sides_measure(&g->s.ws, g->s.repo, g->ctx, &g->s.runner, &g->s.fp,
				    g->s.fp_id, &o2, &b2, &h2);
	if (!ret)
		ret = build(g, &b2, &h2, sides, &rep2);
	for (size_t b = 0; !ret && b < rep->nblocks; b++) {
		struct compare_block *blk = &rep->blocks[b];

		for (size_t t = 0; t < blk->ntables; t++)
			for (size_t r = 0; r < blk->tables[t].nr; r++) {
				struct compare_row *row = &blk->tables[t].rows[r], *again;

				if (row->verdict != VERDICT_REGRESSION || !blk->tables[t].gated)
					continue;
				total++;
				again = compare_find_row(&rep2, blk->tables[t].unit, row->pkg, row->name);
				if (again && again->verdict == VERDICT_REGRESSION)
					kept++;
				else
					compare_unconfirm(rep, blk, row);
			}
	}
	if (!ret) {
		buf_addf(&msg, "--confirm: %zu of %zu regression%s repeated in a second interleaved "
			 "round (runs %.8s, %.8s)", kept, total, total == 1 ? "" : "s",
			 b2.run_id, h2.run_id);
		strvec_push(&g->notes, msg.buf);
	}
	buf_release(&msg);
	compare_report_release(&rep2);
	series_set_release(&sides[0]);
	series_set_release(&sides[1]);
	compare_side_release(&b2);
	compare_side_release(&h2);
	strvec_clear(&only);
	return ret;
}

/* The repetitions each side got, over its benchmarks, and how -count auto ended. */
static void reps_used(struct gate *g, const struct compare_report *rep)
{
	struct compare_reps *c = &g->reps;

	compare_reps_span(rep, c);
	if (!g->opts.seq)
		return;
	c->adaptive = 1;
	c->nmin = g->design.nmin;
	c->step = g->design.step;
	c->cap = g->design.cap;
	c->looks = g->looks;
	c->decided = g->looks < seq_looks(&g->design) || g->undecided_left == 0;
}

/* compare_sides_opts.undecided: the benchmarks with a gated pair not yet decided. */
static int undecided(void *arg, const struct compare_side *base, const struct compare_side *head,
		     struct strvec *leaves)
{
	struct gate *g = arg;
	struct series_set sides[2] = { SERIES_SET_INIT, SERIES_SET_INIT };
	struct compare_report rep = COMPARE_REPORT_INIT;
	int ret = build(g, base, head, sides, &rep);

	for (size_t b = 0; !ret && b < rep.nblocks; b++)
		for (size_t t = 0; t < rep.blocks[b].ntables; t++) {
			const struct compare_table *tb = &rep.blocks[b].tables[t];

			for (size_t r = 0; tb->gated && r < tb->nr; r++) {
				struct buf key = BUF_INIT;

				if (compare_row_decided(tb, &tb->rows[r]))
					continue;
				buf_addf(&key, "%s\t%s", tb->rows[r].pkg, tb->rows[r].name);
				if (strvec_find(leaves, key.buf) < 0)
					strvec_push(leaves, key.buf);
				buf_release(&key);
			}
		}
	g->undecided_left = leaves->nr;
	compare_report_release(&rep);
	series_set_release(&sides[0]);
	series_set_release(&sides[1]);
	return ret;
}

static void iso_now(char *out, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * The GitHub sink (--github): the check run completed, its annotations on
 * the head's sources (a commit's tree, or the working tree), the job
 * summary and outputs.  `rep` NULL: the comparison failed with `code`.
 */
static void github_report(struct gate *g, const struct compare_report *rep, int code)
{
	struct gh_locator loc = { 0 };
	struct github_result r = { 0 };

	if (!g->gh.on)
		return;
	loc.repo = g->s.repo;
	loc.sha = !g->head.worktree && g->head.sha[0] ? g->head.sha : NULL;
	loc.top = g->s.ws.top;
	loc.workdir = g->s.ws.workdir;
	r.rep = rep;
	r.exit_code = code;
	r.loc = &loc;
	r.run_dir = g->s.rr.dir;
	r.report_file = g->a->report_file;
	r.base_label = g->base.label;
	r.head_label = g->head.label;
	github_finish(&g->gh, &r);
	gh_locator_release(&loc);
}

/* Measured: compare, confirm, report.  Returns an error or the exit code via *exit_out. */
static int report(struct gate *g, int reused_base, int reused_head, int *exit_out)
{
	struct series_set sides[2] = { SERIES_SET_INIT, SERIES_SET_INIT };
	struct compare_report rep = COMPARE_REPORT_INIT;
	struct compare_outputs outs = { 0 };
	struct junit_meta meta = { 0 };
	char stamp[32];
	int ret;

	side_note(g, "base", &g->base, reused_base);
	side_note(g, "head", &g->head, reused_head);
	if (!g->base.stored && !g->head.stored) {
		struct buf b = BUF_INIT;

		if (g->opts.seq)
			buf_addf(&b, "-count auto: repetitions per side in looks at %zu, +%zu per "
				 "look, up to %zu, until every gated pair is decided; each benchmark "
				 "in its own processes, the sides interleaved A B B A with the same "
				 "iteration counts", g->design.nmin, g->design.step, g->design.cap);
		else
			buf_addf(&b, "%d repetitions per side, each benchmark in its own processes, "
				 "the sides interleaved A B B A with the same iteration counts",
				 g->ta.count);
		strvec_push(&g->notes, b.buf);
		buf_release(&b);
	} else {
		/* Say what interleaving no longer guards against. */
		strvec_push(&g->notes, "the sides were not measured together (stored samples): "
			    "drift of the machine between the measurements is not controlled");
	}
	build_notes(g);
	ret = build(g, &g->base, &g->head, sides, &rep);
	if (!ret && g->a->confirm && rep.regressions)
		ret = confirm(g, &rep);
	if (ret)
		goto out;
	runner_line(g);
	compare_spread_note(&rep, &g->notes);
	reps_used(g, &rep);
	rep.reps = &g->reps;
	rep.runner = g->runner_line;
	rep.notes = (const char *const *)g->notes.v;
	rep.nnotes = g->notes.nr;
	rep.fail_unreachable = !!(g->a->fail_mask & COMPARE_FAIL_UNREACHABLE);
	iso_now(stamp, sizeof(stamp));
	meta.base_label = g->base.label;
	meta.head_label = g->head.label;
	meta.base_sha = g->base.sha[0] ? g->base.sha : NULL;
	meta.head_sha = g->head.sha[0] ? g->head.sha : NULL;
	meta.runner = g->runner_line;
	meta.timestamp = stamp;
	outs.format = g->a->format;
	memcpy(outs.file, g->a->report_file, sizeof(outs.file));
	outs.run_dir = g->s.rr.dir;
	ret = compare_outputs_write(&outs, &rep, &meta);
	*exit_out = compare_gate_exit(&rep, g->a->fail_mask);
	if (!ret)
		github_report(g, &rep, *exit_out);
	if (rep.nregressed)
		note("%zu benchmark%s regressed: %s → %s", rep.nregressed,
		     rep.nregressed == 1 ? "" : "s", g->base.label, g->head.label);
out:
	compare_report_release(&rep);
	series_set_release(&sides[0]);
	series_set_release(&sides[1]);
	return ret;
}

int compare_gate_exit(const struct compare_report *rep, unsigned mask)
{
	if (rep->regressions && (mask & COMPARE_FAIL_REGRESSION))
		return EXIT_REGRESSION;
	if (rep->unreachable && (mask & COMPARE_FAIL_UNREACHABLE)) {
		note("the gate fails: %zu gated comparison%s cannot reach α at these sample sizes "
		     "(--fail-on unreachable)", rep->unreachable, rep->unreachable == 1 ? "" : "s");
		return EXIT_REGRESSION;
	}
	return EXIT_OK;
}

/* Session step 4: the sides, before any runner is opened. */
static int resolve_sides(struct session *s, void *data)
{
	struct gate *g = data;
	const struct strvec *revs = g->revs;
	const char *chosen;
	int ret;

	ret = compare_sides_resolve(&s->ws, s->repo, revs->nr ? revs->v[0] : NULL,
			 revs->nr > 1 ? revs->v[1] : NULL, &g->base, &g->head, &chosen);
	if (!ret && chosen) {
		note("%s", chosen);
		strvec_push(&g->notes, chosen);
	}
	if (!ret)
		ret = compare_sides_buildmodes(&s->ws, s->repo, g->a->import_path, &g->base, &g->head);
	if (!ret && !g->base.worktree && !g->head.worktree && !g->base.from_run &&
	    !g->head.from_run && !strcmp(g->base.sha, g->head.sha))
		note("both sides are %.12s: an A/A comparison", g->base.sha);
	return ret;
}

static int session(struct gate *g, const struct strvec *revs, int *exit_out)
{
	struct session_opts so = { 0 };
	struct runrec_args ra = { 0 };
	struct buf pkgs = BUF_INIT;
	char *cfg = NULL;
	int ret, reused_base, reused_head;

	so.ctx = g->ctx;
	so.backend = &backend_perf_stat;
	so.remote = g->a->remote;
	so.keep = g->a->keep;
	/* Revisions need a repository: say so before creating any store. */
	so.repo = 1;
	so.resolve = resolve_sides;
	so.data = g;
	g->revs = revs;
	ret = counters_parse(g->a->counters, &so.counters);
	if (!ret)
		ret = session_open(&g->s, &so);
	if (!ret)
		ret = add_commit(g, &g->base);
	if (!ret)
		ret = add_commit(g, &g->head);
	if (ret) {
		github_report(g, NULL, exit_code_for(ret));
		return ret;
	}
	github_start(&g->gh, g->head.worktree ? NULL : g->head.sha, g->base.label, g->head.label);

	for (size_t i = 0; i < g->ta.packages.nr; i++)
		buf_addf(&pkgs, "%s%s", i ? " " : "", g->ta.packages.v[i]);
	cfg = compare_config_json(g);
	ra.command = "compare";
	ra.packages = pkgs.buf;
	ra.commit = g->head.sha[0] ? g->head.sha : NULL;
	ra.dirty = g->head.worktree;
	ra.branch = g->head.worktree ? g->s.ws.git.branch : NULL;
	ra.config_json = cfg;
	ret = session_begin_run(&g->s, &ra);
	if (!ret) {
		g->cco.ta = &g->ta;
		g->cco.events = &g->a->events;
		g->cco.detail = g->a->detail;
		g->cco.reuse = g->a->reuse;
		g->cco.backend = g->s.backend;
		g->cco.tool = g->s.fp.perf_version;
		if (g->ta.count_auto) {
			g->cco.seq = &g->design;
			g->cco.undecided = undecided;
			g->cco.arg = g;
			g->cco.looks = &g->looks;
			/* Rounds only when both sides are measured here. */
			g->opts.seq = &g->design;
		}
		reused_base = g->base.stored;
		reused_head = g->head.stored;
		ret = compare_sides_measure(&g->s.ws, g->s.repo, g->ctx, &g->s.runner, &g->s.fp,
					    g->s.fp_id, &g->cco, &g->base, &g->head);
		/* compare_sides_measure marks reused sides stored; run:<id> ones were already. */
		reused_base = g->base.stored && !reused_base;
		reused_head = g->head.stored && !reused_head;
		if (g->base.stored || g->head.stored)
			g->opts.seq = NULL;
	}
	if (!ret)
		ret = store_add_comparison(g->s.ws.st, g->s.rr.ri.id, g->base.run_id, g->head.run_id);
	if (!ret)
		ret = report(g, reused_base, reused_head, exit_out);
	if (ret)
		github_report(g, NULL, exit_code_for(ret));
	ret = session_end_run(&g->s, ret, ret ? exit_code_for(ret) : *exit_out);
	if (ret == PG_EINTR)
		note("interrupted: comparison %.8s recorded as interrupted", g->s.rr.ri.id);
	buf_release(&pkgs);
	free(cfg);
	return ret;
}

int compare_revisions(const struct compare_args *a, const struct compare_opts *o,
		      const struct strvec *revs, const struct strvec *bench_words,
		      struct ctx *ctx)
{
	struct gate g;
	struct github_opts gho = { 0 };
	int ret, code = EXIT_OK;

	memset(&g, 0, sizeof(g));
	g.a = a;
	g.o = o;
	g.ctx = ctx;
	session_init(&g.s);
	testargs_init(&g.ta);
	g.ta.count_auto_ok = 1;
	strvec_init(&g.notes);
	if (parse_bench_args(bench_words, &g.ta)) {
		cli_hint("compare");
		ret = EXIT_USAGE;
		goto out;
	}
	testargs_own_options(&g.ta, a->opts);
	g.opts = *o;
	if (compare_count_design(a, &g.design)) {
		cli_hint("compare");
		ret = EXIT_USAGE;
		goto out;
	}
	/* -count auto is the default; -count N keeps N repetitions. */
	if (!g.ta.count) {
		g.ta.count_auto = 1;
		g.ta.count = (int)g.design.nmin;
	}
	gho.enabled = a->github;
	gho.comment = a->github_comment;
	gho.token_var = a->github_token_env;
	if (github_open(&g.gh, &gho)) {
		ret = EXIT_USAGE;
		goto out;
	}
	ret = session(&g, revs, &code);
	ret = ret ? exit_code_for(ret) : code;
out:
	compare_side_release(&g.base);
	compare_side_release(&g.head);
	session_close(&g.s);
	testargs_release(&g.ta);
	strvec_clear(&g.notes);
	free(g.runner_line);
	github_close(&g.gh);
	return ret;
}
