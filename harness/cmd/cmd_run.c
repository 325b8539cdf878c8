/*
 * perfgo run [<options>] <rev>|<a>..<b>... [-- <pkg>... [go test flags]]
 *
 * Measure commits into the history: each commit is checked out with
 * libgit2 into a private tree under .perfgo/trees/ (the user's working
 * tree, index and HEAD are never touched), built, and its benchmarks
 * measured with the protocol of `test stat` into one run per commit.
 * Commits already measured with the same configuration on a runner of the
 * same fingerprint class are skipped unless --force.  A commit that does
 * not build, or whose benchmarks fail, is recorded as failed and the
 * others go on.  After each commit measured, the gated metrics whose
 * median moved beyond the learned threshold are printed (print_moved()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "cli/cli.h"
#include "cmd/history_load.h"
#include "git/gitrev.h"
#include "gobuild/buildmode.h"
#include "measure/bench_tree.h"
#include "measure/config.h"
#include "session/session.h"
#include "util/sig.h"
#include "runner/runner.h"
#include "stats.h"
#include "util/usage.h"
#include "util/banned.h"

/* Private trees kept for reuse; older ones are pruned. */
#define KEEP_TREES 8

static const char run_usage[] =
	"usage: perfgo run [<options>] <rev>|<a>..<b>... [-- <pkg>... [go test flags]]\n"
	"\n"
	"Measure commits into the history in .perfgo/: each commit in a private checkout,\n"
	"with the protocol of 'perfgo test stat'.  <a>..<b> is every commit reachable from\n"
	"<b> and not from <a>, oldest first, following first parents (--all-parents: all).\n"
	"Packages default to './...' and -bench to '.'.  With --remote-host the commits are\n"
	"built here and measured on that host over ssh.  A commit without go.mod is built in\n"
	"GOPATH mode (see --import-path).  After each commit measured, the gated metrics whose\n"
	"median moved from the previous measured commit beyond the learned threshold are\n"
	"listed ('moved'); 'perfgo history' shows the whole history.\n";

struct run_opts {
	struct strvec events;
	int detail;
	int force;
	int all_parents;
	const char *remote;     /* --remote-host, or NULL */
	int keep;
	const char *import_path;        /* --import-path, or NULL */
	const char *counters;           /* --counters, or NULL */
};

/* Expand the revision arguments into commits, oldest first, without repeats. */
static int expand_revs(struct gitrepo *repo, const struct strvec *revs, int first_parent,
		       struct strvec *shas)
{
	for (size_t i = 0; i < revs->nr; i++) {
		const char *arg = revs->v[i], *dots = strstr(arg, "..");
		struct strvec one = STRVEC_INIT;
		int ret;

		if (dots && dots[2] == '.')
			return error_code(PG_EUSAGE, "'%s': 'perfgo run' takes a..b ranges; "
					  "a...b is for 'perfgo compare'", arg);
		if (dots) {
			char *a = xstrndup(arg, (size_t)(dots - arg));

			ret = gitrev_range(repo, *a ? a : "HEAD", dots[2] ? dots + 2 : "HEAD",
					   first_parent, &one);
			free(a);
		} else {
			char sha[41];

			ret = gitrev_resolve(repo, arg, sha);
			if (!ret)
				strvec_push(&one, sha);
		}
		for (size_t j = 0; !ret && j < one.nr; j++)
			if (strvec_find(shas, one.v[j]) < 0)
				strvec_push(shas, one.v[j]);
		strvec_clear(&one);
		if (ret)
			return ret;
	}
	return 0;
}

struct run_ctx {
	struct session s;
	const struct run_opts *ro;
	const struct strvec *revs;
	struct strvec shas;         /* the commits to measure, oldest first */
	struct buildmode *modes;    /* how each is built */
};

/* Measure one commit into its own run.  Returns the run's error code. */
static int measure_commit(struct run_ctx *rc, const struct testargs *ta, const char *sha,
			  const struct buildmode *bm, const char *config, char run_id[33])
{
	struct session *s = &rc->s;
	struct commit_info ci;
	struct runrec rr;
	struct runrec_args ra = { 0 };
	struct strvec events = STRVEC_INIT;
	struct measure_ctx mc;
	struct measure_opts mo;
	struct bench_tree bt = { 0 };
	struct buf trees = BUF_INIT, dir = BUF_INIT, pkgs = BUF_INIT, gopath = BUF_INIT;
	struct tree_lease tree = { NULL, -1 };
	int ret;

	runrec_init(&rr);
	ret = gitrev_commit_info(s->repo, sha, &ci);
	if (ret)
		return ret;
	for (size_t i = 0; i < ta->packages.nr; i++)
		buf_addf(&pkgs, "%s%s", i ? " " : "", ta->packages.v[i]);
	ra.command = "run";
	ra.packages = pkgs.buf;
	ra.commit = sha;
	ra.fingerprint_id = s->fp_id;
	ra.config_json = config;
	ra.backend = s->backend;
	ret = store_add_commit(s->ws.st, &ci);
	if (!ret)
		ret = runrec_begin(&rr, &s->ws, s->ctx, &ra);
	if (!rr.ri.id[0])
		goto out;
	memcpy(run_id, rr.ri.id, 33);
	buf_addf(&trees, "%s/trees", s->ws.dir);
	if (!ret)
		ret = gitrev_materialise(s->repo, sha, trees.buf, KEEP_TREES, &tree);
	if (!ret)
		ret = s->backend->events(&s->runner, s->ws.st, rr.ri.id, &rc->ro->events,
					 rc->ro->detail, &events);
	if (!ret && bm->gopath) {
		ret = buildmode_place(bm, tree.dir, s->ws.workdir, &dir, &gopath);
		bt.gopath = gopath.buf;
	} else if (!ret) {
		buf_addf(&dir, "%s/%s", tree.dir, s->ws.workdir);
	}
	if (!ret) {
		bt.dir = dir.buf;
		bt.root = tree.dir;
		runrec_measure_ctx(&rr, &s->runner, s->ws.st, &mc);
		measure_opts_init(&mo, ta, &events, s->fp.gomaxprocs);
		ret = bench_tree_prepare(&bt, &mc, &mo, ta, s->ws.dir);
		if (!ret && !bt.nleaves)
			ret = error_code(PG_EUSAGE, "%.12s: no benchmark matches '-bench=%s'", sha,
					 ta->bench ? ta->bench : ".");
		mc.progress.total = bt.nleaves * (size_t)mo.count;
		if (!ret)
			ret = bench_tree_measure(&bt, &mc, &mo);
		progress_done(&mc.progress);
	}
	runrec_finish(&rr, &s->ws, ret);
out:
	printf("%.12s  %-11s  %.8s  %s\n", sha, ret == PG_EINTR ? "interrupted" : ret ? "failed" : "measured",
	       rr.ri.id[0] ? rr.ri.id : "-", ci.subject);
	fflush(stdout);
	commit_info_release(&ci);
	bench_tree_release(&bt);
	runrec_release(&rr);
	strvec_clear(&events);
	buf_release(&trees);
	buf_release(&dir);
	buf_release(&gopath);
	buf_release(&pkgs);
	tree_lease_release(&tree);
	return ret;
}

/*
 * After a commit's "measured" line: the gated metrics whose median at
 * this commit moved from the previous measured commit of its first-parent
 * chain beyond the learned threshold (analysis/trend.h).  Informational:
 * a history that cannot be read is a warning, never the run's failure.
 */
static void print_moved(struct run_ctx *rc, const char *sha)
{
	struct history_query q = { 0 };
	struct history_set h = { 0 };
	struct metric_policy pol;

	q.head = sha;
	metric_policy_init(&pol);
	if (history_load(rc->s.ws.st, rc->s.repo, &q, &h)) {
		warning("%.12s: cannot read the history to say what moved", sha);
		return;
	}
	for (size_t i = 0; i < h.nt; i++) {
		const struct trend *t = &h.t[i];
		struct metric_info mi;

		metric_lookup(&pol, t->metric, &mi);
		if (!mi.gate)
			continue;
		for (size_t j = 0; j < t->ns; j++) {
			const struct trend_series *ts = &t->s[j];
			const struct trend_point *p = ts->n ? &ts->pts[ts->n - 1] : NULL;

			if (!p || !p->moved || strcmp(p->sha, sha))
				continue;
			printf("              moved  %s %s %+.1f%% (threshold %.1f%%): %.6g -> %.6g\n",
			       t->name, t->metric, p->rel * 100.0, p->theta * 100.0,
			       ts->pts[ts->n - 2].median, p->median);
		}
	}
	fflush(stdout);
	history_set_release(&h);
}

/*
 * Session step 4: the commits and how each is built, before any runner is
 * opened: a commit whose import path is unknown stops the run before
 * anything is measured.  The go.mod of a commit without one is looked for
 * in the later commits of the range, nearest first (buildmode.h).
 */
static int resolve_commits(struct session *s, void *data)
{
	struct run_ctx *rc = data;
	int ret = expand_revs(s->repo, rc->revs, !rc->ro->all_parents, &rc->shas);

	if (!ret && !rc->shas.nr)
		ret = error_code(PG_EUSAGE, "no commits to measure in '%s'", rc->revs->v[0]);
	if (!ret)
		rc->modes = xcalloc(rc->shas.nr, sizeof(*rc->modes));
	for (size_t i = 0; !ret && i < rc->shas.nr; i++) {
		struct buildmode_hints h = { 0 };

		h.import_path = rc->ro->import_path;
		h.workdir = s->ws.workdir;
		h.later = rc->shas.v + i + 1;
		h.nlater = rc->shas.nr - i - 1;
		h.worktree_top = s->ws.top;
		ret = buildmode_decide(s->repo, rc->shas.v[i], &h, &rc->modes[i]);
	}
	return ret;
}

static int run_session(struct run_ctx *rc, const struct testargs *ta, struct ctx *ctx)
{
	const struct run_opts *ro = rc->ro;
	const struct strvec *shas = &rc->shas;
	struct session_opts so = { 0 };
	int ret, failed = 0;

	so.ctx = ctx;
	so.backend = &backend_perf_stat;
	so.remote = ro->remote;
	so.keep = ro->keep;
	/* Commits need a repository: say so before creating any store. */
	so.repo = 1;
	so.resolve = resolve_commits;
	so.data = rc;
	ret = counters_parse(ro->counters, &so.counters);
	if (!ret)
		ret = session_open(&rc->s, &so);
	if (ret)
		return ret;
	for (size_t i = 0; i < shas->nr; i++) {
		char id[33] = "";
		char *config = config_add_counters(bench_config_json(ta, &ro->events, ro->detail,
								     &rc->modes[i]),
						   rc->s.backend, rc->s.fp.perf_version);

		if (!ro->force && !store_find_measured(rc->s.ws.st, "run", shas->v[i], config,
						       rc->s.fp_id, id)) {
			printf("%.12s  %-11s  %.8s\n", shas->v[i], "skipped", id);
			note("%.12s was measured already (run %.8s); --force measures it again",
			     shas->v[i], id);
			free(config);
			continue;
		}
		note("measuring %.12s (%zu of %zu)", shas->v[i], i + 1, shas->nr);
		if (rc->modes[i].gopath) {
			struct buf b = BUF_INIT;

			buildmode_describe(&rc->modes[i], shas->v[i], &b);
			note("%s", b.buf);
			buf_release(&b);
		}
		ret = measure_commit(rc, ta, shas->v[i], &rc->modes[i], config, id);
		free(config);
		if (!ret)
			print_moved(rc, shas->v[i]);
		if (ret == PG_ECODE || ret == PG_EUSAGE) {
			/* This commit's code is at fault: record it and go on. */
			failed = 1;
			ret = 0;
		}
		if (ret)
			break;
	}
	if (!ret && failed)
		ret = PG_ECODE;
	return ret;
}

int cmd_run(int argc, const char **argv, struct ctx *ctx)
{
	struct run_opts ro = { STRVEC_INIT, -1, 0, 0, NULL, 0, NULL };
	struct opt opts[] = {
		OPT_LIST_("event", 'e', &ro.events, "<event>", "perf event(s) to count; repeatable"),
		OPT_BOOL_("detail", 0, &ro.detail, "count L1-dcache and LLC events too (default on)"),
		OPT_BOOL_("force", 0, &ro.force, "measure commits that were measured already"),
		OPT_BOOL_("all-parents", 0, &ro.all_parents, "follow every parent in a..b ranges"),
		OPT_STR_("remote-host", 0, &ro.remote, "<host>", "measure on this ssh host ([user@]host or an alias)"),
		OPT_BOOL_("keep", 0, &ro.keep, "keep the (remote) scratch directory"),
		OPT_STR_("import-path", 0, &ro.import_path, "<path>", "import path of the repository's top directory, for commits without go.mod"),
		OPT_STR_("counters", 0, &ro.counters, "<src>", "perf, sim (callgrind) or auto (default: perf with a hardware PMU, else sim)"),
		OPT_END_()
	};
	struct strvec revs = STRVEC_INIT, bench_words = STRVEC_INIT;
	struct testargs ta;
	struct run_ctx rc;
	int ret, dashdash;

	memset(&rc, 0, sizeof(rc));
	session_init(&rc.s);
	rc.ro = &ro;
	rc.revs = &revs;
	strvec_init(&rc.shas);
	testargs_init(&ta);
	ret = cli_parse_split("run", run_usage, opts, argc, argv, &revs, &bench_words,
			      &dashdash);
	if (ret) {
		ret = ret > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (!revs.nr) {
		error("name the commits to measure, e.g. 'perfgo run HEAD' or 'perfgo run main..HEAD'");
		cli_hint("run");
		ret = EXIT_USAGE;
		goto out;
	}
	if (ro.remote && runner_check_dest(ro.remote)) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (parse_bench_args(&bench_words, &ta)) {
		cli_hint("run");
		ret = EXIT_USAGE;
		goto out;
	}
	testargs_own_options(&ta, opts);
	ret = exit_code_for(run_session(&rc, &ta, ctx));
out:
	session_close(&rc.s);
	for (size_t k = 0; rc.modes && k < rc.shas.nr; k++)
		buildmode_release(&rc.modes[k]);
	free(rc.modes);
	strvec_clear(&rc.shas);
	testargs_release(&ta);
	strvec_clear(&revs);
	strvec_clear(&bench_words);
	strvec_clear(&ro.events);
	return ret;
}
