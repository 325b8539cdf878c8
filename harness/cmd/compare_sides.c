/* The sides of a comparison on revisions, resolved and measured; see compare_sides.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/compare_sides.h"
#include "measure/config.h"
#include "measure/progress.h"
#include "util/json.h"
#include "util/usage.h"
#include "util/banned.h"

#define KEEP_TREES 8

void compare_side_release(struct compare_side *s)
{
	free(s->label);
	buildmode_release(&s->mode);
	memset(s, 0, sizeof(*s));
}

/* The build mode a stored configuration records (bench_config_json). */
static void mode_from_config(const char *config, struct buildmode *m)
{
	json_t *o = config ? json_loads(config, 0, NULL) : NULL;
	const char *build = json_string_value(json_object_get(o, "build"));
	const char *ip = json_string_value(json_object_get(o, "import_path"));
	const char *dir = json_string_value(json_object_get(o, "import_dir"));

	if (build && !strcmp(build, "gopath") && ip) {
		m->gopath = 1;
		m->import_path = xstrdup(ip);
		m->dir = xstrdup(dir ? dir : "");
		m->source = xstrdup("the stored run's configuration");
	}
	json_decref(o);
}

static int side_from_run(struct workspace *ws, const char *sel, struct compare_side *s)
{
	struct run_row row = { 0 };
	struct buf b = BUF_INIT;
	int ret = store_find_run(ws->st, sel, &row, NULL);

	if (ret == PG_ENOTFOUND || ret == PG_EUSAGE)
		return error_code(PG_EUSAGE, "no stored run 'run:%s'", sel);
	if (ret == PG_EAMBIGUOUS)
		return error_code(PG_EUSAGE, "run id 'run:%s' is ambiguous", sel);
	if (ret)
		return ret;
	memcpy(s->run_id, row.id, 33);
	if (row.commit)
		snprintf(s->sha, sizeof(s->sha), "%s", row.commit);
	s->stored = 1;
	s->from_run = 1;
	mode_from_config(row.config_json, &s->mode);
	buf_addf(&b, "run:%.8s", row.id);
	s->label = buf_detach(&b);
	run_row_release(&row);
	return 0;
}

void side_arg_parse(const char *arg, struct side_arg *out)
{
	const char *dots = strstr(arg, "...");

	memset(out, 0, sizeof(*out));
	if (starts_with(arg, "run:")) {
		out->kind = SIDE_RUN;
		out->a = xstrdup(arg + 4);
	} else if (dots) {
		out->kind = SIDE_MERGE_BASE;
		out->a = dots == arg ? xstrdup("HEAD") : xstrndup(arg, (size_t)(dots - arg));
		out->b = xstrdup(dots[3] ? dots + 3 : "HEAD");
	} else {
		out->kind = SIDE_REV;
		out->a = xstrdup(arg);
	}
}

void side_arg_release(struct side_arg *s)
{
	free(s->a);
	free(s->b);
	memset(s, 0, sizeof(*s));
}

const char *side_arg_implied_head(const char *base_arg)
{
	const char *dots = starts_with(base_arg, "run:") ? NULL : strstr(base_arg, "...");

	return dots && dots[3] ? dots + 3 : NULL;
}

static int side_from_arg(struct workspace *ws, struct gitrepo *repo, const char *arg,
			 struct compare_side *s)
{
	struct side_arg sa;
	struct buf b = BUF_INIT;
	int ret;

	side_arg_parse(arg, &sa);
	if (sa.kind == SIDE_RUN)
		ret = side_from_run(ws, sa.a, s);
	else if (sa.kind == SIDE_MERGE_BASE)
		ret = gitrev_merge_base(repo, sa.a, sa.b, s->sha);
	else
		ret = gitrev_resolve(repo, sa.a, s->sha);
	side_arg_release(&sa);
	if (ret || s->from_run)
		return ret;
	buf_addf(&b, "%.12s", s->sha);
	s->label = buf_detach(&b);
	return 0;
}

static int side_worktree(struct gitrepo *repo, struct compare_side *s)
{
	struct buf b = BUF_INIT;
	int ret = gitrev_resolve(repo, "HEAD", s->sha);

	if (ret)
		return ret;
	s->worktree = 1;
	buf_addf(&b, "%.12s+dirty", s->sha);
	s->label = buf_detach(&b);
	return 0;
}

int compare_sides_resolve(struct workspace *ws, struct gitrepo *repo, const char *base_arg,
			  const char *head_arg, struct compare_side *base,
			  struct compare_side *head, const char **chosen)
{
	int dirty = 0, ret;

	memset(base, 0, sizeof(*base));
	memset(head, 0, sizeof(*head));
	*chosen = NULL;
	if (!base_arg) {
		/* No revisions: the change being made, else the last commit. */
		ret = gitrepo_is_dirty(repo, &dirty);
		if (ret)
			return ret;
		if (dirty) {
			*chosen = "no revisions given and the working tree has changes: "
				"HEAD against the working tree";
			ret = side_from_arg(ws, repo, "HEAD", base);
			return ret ? ret : side_worktree(repo, head);
		}
		*chosen = "no revisions given and the working tree is clean: HEAD~1 against HEAD";
		base_arg = "HEAD~1";
	}
	ret = side_from_arg(ws, repo, base_arg, base);
	if (ret)
		return ret;
	if (!head_arg)
		head_arg = side_arg_implied_head(base_arg);
	if (head_arg)
		return side_from_arg(ws, repo, head_arg, head);
	ret = gitrepo_is_dirty(repo, &dirty);
	if (ret)
		return ret;
	return dirty ? side_worktree(repo, head) : side_from_arg(ws, repo, "HEAD", head);
}

static int side_mode(struct workspace *ws, struct gitrepo *repo, const char *import_path,
		     struct compare_side *s, const struct compare_side *other)
{
	struct buildmode_hints h = { 0 };
	const char *later[1];

	if (s->from_run || s->worktree)
		return 0;
	h.import_path = import_path;
	h.workdir = ws->workdir;
	h.worktree_top = ws->top;
	if (other->sha[0] && !other->from_run && strcmp(other->sha, s->sha)) {
		later[0] = other->sha;
		h.later = later;
		h.nlater = 1;
	}
	return buildmode_decide(repo, s->sha, &h, &s->mode);
}

int compare_sides_buildmodes(struct workspace *ws, struct gitrepo *repo, const char *import_path,
			     struct compare_side *base, struct compare_side *head)
{
	int ret = side_mode(ws, repo, import_path, base, head);

	return ret ? ret : side_mode(ws, repo, import_path, head, base);
}

/* One side being measured. */
struct side_run {
	struct compare_side *side;
	struct runrec rr;
	struct bench_tree bt;
	struct measure_ctx mc;
	struct buf dir, gopath;
	struct tree_lease tree;
	struct strvec events;
};

static int side_begin(struct workspace *ws, struct gitrepo *repo, struct ctx *ctx,
		      struct runner *r, int64_t fp_id, const struct compare_sides_opts *o,
		      const char *config, const char *command, struct side_run *cr)
{
	struct runrec_args ra = { 0 };
	struct buf trees = BUF_INIT, pkgs = BUF_INIT;
	int ret;

	for (size_t i = 0; i < o->ta->packages.nr; i++)
		buf_addf(&pkgs, "%s%s", i ? " " : "", o->ta->packages.v[i]);
	ra.command = command;
	ra.packages = pkgs.buf;
	ra.commit = cr->side->sha;
	ra.dirty = cr->side->worktree;
	ra.branch = cr->side->worktree ? ws->git.branch : NULL;
	ra.fingerprint_id = fp_id;
	ra.config_json = config;
	ra.backend = o->backend;
	ret = runrec_begin(&cr->rr, ws, ctx, &ra);
	if (cr->rr.ri.id[0])
		memcpy(cr->side->run_id, cr->rr.ri.id, 33);
	if (!ret && !cr->side->worktree) {
		buf_addf(&trees, "%s/trees", ws->dir);
		ret = gitrev_materialise(repo, cr->side->sha, trees.buf, KEEP_TREES, &cr->tree);
	}
	if (!ret)
		ret = cr->rr.backend->events(r, ws->st, cr->rr.ri.id, o->events, o->detail,
					     &cr->events);
	if (!ret && cr->side->mode.gopath) {
		struct buf b = BUF_INIT;

		buildmode_describe(&cr->side->mode, cr->side->sha, &b);
		note("%s", b.buf);
		buf_release(&b);
		ret = buildmode_place(&cr->side->mode, cr->tree.dir, ws->workdir, &cr->dir, &cr->gopath);
		cr->bt.gopath = cr->gopath.buf;
	} else if (!ret) {
		buf_addf(&cr->dir, "%s/%s", cr->side->worktree ? ws->top : cr->tree.dir, ws->workdir);
	}
	if (!ret) {
		cr->bt.dir = cr->dir.buf;
		cr->bt.root = cr->side->worktree ? NULL : cr->tree.dir;
		cr->bt.tag = command + strlen("compare ");
		runrec_measure_ctx(&cr->rr, r, ws->st, &cr->mc);
	}
	buf_release(&trees);
	buf_release(&pkgs);
	return ret;
}

static void side_end(struct workspace *ws, struct side_run *cr, int err)
{
	runrec_finish(&cr->rr, ws, err);
	runrec_release(&cr->rr);
	bench_tree_release(&cr->bt);
	buf_release(&cr->dir);
	buf_release(&cr->gopath);
	strvec_clear(&cr->events);
	tree_lease_release(&cr->tree);
}

static int wanted(const struct compare_sides_opts *o, const char *pkg, const char *name)
{
	struct buf key = BUF_INIT;
	int ok;

	if (!o->only)
		return 1;
	buf_addf(&key, "%s\t%s", pkg, name);
	ok = strvec_find(o->only, key.buf) >= 0;
	buf_release(&key);
	return ok;
}

/* Drop the leaves --confirm does not ask for; count what is left. */
static size_t filter_leaves(struct bench_tree *bt, const struct compare_sides_opts *o)
{
	size_t n = 0;

	for (size_t i = 0; i < bt->pkgs.nr; i++) {
		struct pkg_plan *pl = &bt->plans[i];
		size_t k = 0;

		for (size_t j = 0; j < pl->nr; j++) {
			struct buf full = BUF_INIT;

			buf_addstr(&full, pl->leaves[j].name);
			if (pl->leaves[j].procs != 1)
				buf_addf(&full, "-%d", pl->leaves[j].procs);
			if (wanted(o, pl->pkg->import_path, full.buf))
				pl->leaves[k++] = pl->leaves[j];
			else
				free(pl->leaves[j].name);
			buf_release(&full);
		}
		pl->nr = k;
		n += k;
	}
	bt->nleaves = n;
	return n;
}

static int bench_id_of(struct store *st, const struct pkg_plan *pl, const struct leaf *lf,
		       int64_t *id)
{
	struct buf name = BUF_INIT;
	int ret;

	buf_addstr(&name, lf->name);
	if (lf->procs != 1)
		buf_addf(&name, "-%d", lf->procs);
	ret = store_benchmark_id(st, pl->pkg->import_path, name.buf, id);
	buf_release(&name);
	return ret;
}

/* One repetition of a leaf on one side, with the shared progress line. */
static int one_rep(struct side_run *cr, const struct measure_opts *mo, struct pkg_plan *pl,
		   struct leaf *lf, int rep, size_t *done, size_t total, struct measure_ctx *shown)
{
	struct buf what = BUF_INIT;
	int64_t id;
	int ret = bench_id_of(cr->mc.st, pl, lf, &id);

	buf_addf(&what, "%s %s rep %d", cr->side->label, lf->name, rep + 1);
	shown->progress.done = *done;
	shown->progress.total = total;
	progress_update(&shown->progress, what.buf);
	buf_release(&what);
	if (!ret)
		ret = measure_rep(&cr->mc, mo, pl, lf, id, rep);
	(*done)++;
	return ret;
}

/*
 * A B B A: repetition r runs base first when r is even, head first when
 * odd, so that slow drift (thermal, background load) hits both sides
 * alike.  Benchmarks of one side only are measured on their side.
 */
static int interleave(struct side_run *a, struct side_run *b, const struct measure_opts *moa,
		      const struct measure_opts *mob)
{
	size_t total = 0, done = 0;
	int count = moa->count, ret = 0;

	for (size_t i = 0; i < a->bt.pkgs.nr; i++)
		total += a->bt.plans[i].nr * (size_t)count;
	for (size_t i = 0; i < b->bt.pkgs.nr; i++)
		total += b->bt.plans[i].nr * (size_t)count;
	for (size_t i = 0; i < a->bt.pkgs.nr && !ret; i++) {
		struct pkg_plan *pa = &a->bt.plans[i];

		for (size_t j = 0; j < pa->nr && !ret; j++) {
			struct leaf *la = &pa->leaves[j];
			struct pkg_plan *pb = NULL;
			struct leaf *lb = bench_tree_find(&b->bt, pa->pkg->import_path, la->name,
							  la->procs, &pb);

			if (lb)
				lb->iters = la->iters;	/* the same N on both sides */
			for (int rep = 0; rep < count && !ret; rep++) {
				int head_first = lb && (rep & 1);

				if (head_first)
					ret = one_rep(b, mob, pb, lb, rep, &done, total, &a->mc);
				if (!ret)
					ret = one_rep(a, moa, pa, la, rep, &done, total, &a->mc);
				if (!ret && lb && !head_first)
					ret = one_rep(b, mob, pb, lb, rep, &done, total, &a->mc);
			}
		}
	}
	/* Benchmarks only the head has. */
	for (size_t i = 0; i < b->bt.pkgs.nr && !ret; i++) {
		struct pkg_plan *pb = &b->bt.plans[i];

		for (size_t j = 0; j < pb->nr && !ret; j++) {
			struct leaf *lb = &pb->leaves[j];

			if (bench_tree_find(&a->bt, pb->pkg->import_path, lb->name, lb->procs, NULL))
				continue;
			for (int rep = 0; rep < count && !ret; rep++)
				ret = one_rep(b, mob, pb, lb, rep, &done, total, &a->mc);
		}
	}
	progress_done(&a->mc.progress);
	return ret;
}

/* A clean commit measured before with the same configuration and runner class. */
static void try_reuse(struct workspace *ws, const struct compare_sides_opts *o, const char *config,
		      int64_t fp_id, struct compare_side *s)
{
	if (!o->reuse || s->stored || s->worktree)
		return;
	if (!store_find_measured(ws->st, NULL, s->sha, config, fp_id, s->run_id)) {
		s->stored = 1;
		note("reusing run %.8s for %s", s->run_id, s->label);
	}
}

int compare_sides_measure(struct workspace *ws, struct gitrepo *repo, struct ctx *ctx,
			  struct runner *r, const struct fingerprint *fp, int64_t fp_id,
			  const struct compare_sides_opts *o, struct compare_side *base,
			  struct compare_side *head)
{
	struct side_run a, b;
	struct measure_opts moa, mob;
	char *config_a = config_add_counters(bench_config_json(o->ta, o->events, o->detail,
							       &base->mode), o->backend, o->tool);
	char *config_b = config_add_counters(bench_config_json(o->ta, o->events, o->detail,
							       &head->mode), o->backend, o->tool);
	int ret = 0, ra = 0, rb = 0;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.side = base;
	b.side = head;
	runrec_init(&a.rr);
	runrec_init(&b.rr);
	try_reuse(ws, o, config_a, fp_id, base);
	try_reuse(ws, o, config_b, fp_id, head);
	if (base->stored && head->stored)
		goto out;
	if (!base->stored)
		ret = side_begin(ws, repo, ctx, r, fp_id, o, config_a, "compare base", &a);
	if (!ret && !head->stored)
		ret = side_begin(ws, repo, ctx, r, fp_id, o, config_b, "compare head", &b);
	/* Plan the base first: its calibrated N is used on both sides. */
	if (!ret && !base->stored) {
		measure_opts_init(&moa, o->ta, &a.events, fp->gomaxprocs);
		ret = ra = bench_tree_prepare(&a.bt, &a.mc, &moa, o->ta, ws->dir);
		filter_leaves(&a.bt, o);
	}
	if (!ret && !head->stored) {
		measure_opts_init(&mob, o->ta, &b.events, fp->gomaxprocs);
		ret = rb = bench_tree_prepare(&b.bt, &b.mc, &mob, o->ta, ws->dir);
		filter_leaves(&b.bt, o);
	}
	if (!ret && !a.bt.nleaves && !b.bt.nleaves)
		ret = error_code(PG_EUSAGE, "no benchmark matches '-bench=%s' on either side",
				 o->ta->bench ? o->ta->bench : ".");
	if (!ret && base->stored)
		ret = bench_tree_measure(&b.bt, &b.mc, &mob);
	else if (!ret && head->stored)
		ret = bench_tree_measure(&a.bt, &a.mc, &moa);
	else if (!ret)
		ret = interleave(&a, &b, &moa, &mob);
out:
	/* A side that failed to build is recorded as failed; so is the other side. */
	if (!base->stored && a.rr.ri.id[0])
		side_end(ws, &a, ret ? (ra ? ra : ret) : 0);
	if (!head->stored && b.rr.ri.id[0])
		side_end(ws, &b, ret ? (rb ? rb : ret) : 0);
	free(config_a);
	free(config_b);
	return ret;
}
