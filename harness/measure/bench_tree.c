/* One source tree's benchmarks; see bench_tree.h. */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "measure/bench_tree.h"
#include "util/usage.h"
#include "util/banned.h"

int bench_tree_prepare(struct bench_tree *bt, struct measure_ctx *mc,
		       const struct measure_opts *mo, const struct testargs *ta,
		       const char *store_dir)
{
	struct buf names = BUF_INIT;
	int ret;

	ret = gotool_list(bt->dir, bt->root, bt->gopath, &ta->packages, &ta->build, store_dir, &bt->pkgs);
	if (ret)
		return ret;
	for (size_t i = 0; i < bt->pkgs.nr; i++)
		buf_addf(&names, "%s%s", i ? " " : "", bt->pkgs.pkgs[i].import_path);
	ret = store_run_set_packages(mc->st, mc->run_id, names.buf);
	buf_release(&names);
	if (ret)
		return ret;
	bt->plans = xcalloc(bt->pkgs.nr, sizeof(*bt->plans));
	for (size_t i = 0; i < bt->pkgs.nr && !ret; i++) {
		struct pkg_plan *pl = &bt->plans[i];
		struct buf bin = BUF_INIT;

		pl->pkg = &bt->pkgs.pkgs[i];
		buf_addf(&bin, "%s/%s%zu.test", mc->runner->local_scratch, bt->tag ? bt->tag : "", i);
		progress_update(&mc->progress, pl->pkg->import_path);
		ret = gotool_build(bt->dir, bt->root, bt->gopath, pl->pkg, &ta->build, &mc->runner->build_env, store_dir,
				   bin.buf);
		if (!ret)
			ret = mc->runner->ops->stage(mc->runner, bin.buf, pl->pkg->dir,
						     &pl->bin, &pl->dir);
		if (!ret)
			pl->local_bin = xstrdup(bin.buf);
		if (!ret)
			ret = measure_plan(mc, mo, pl);
		if (!ret && !pl->nr && bt->pkgs.nr > 1)
			verbose("no benchmark matches in '%s'", pl->pkg->import_path);
		bt->nleaves += pl->nr;
		buf_release(&bin);
	}
	return ret;
}

int bench_tree_measure(struct bench_tree *bt, struct measure_ctx *mc,
		       const struct measure_opts *mo)
{
	int ret = 0;

	for (size_t i = 0; i < bt->pkgs.nr && !ret; i++)
		ret = measure_run(mc, mo, &bt->plans[i]);
	return ret;
}

void bench_tree_release(struct bench_tree *bt)
{
	for (size_t i = 0; bt->plans && i < bt->pkgs.nr; i++)
		pkg_plan_release(&bt->plans[i]);
	free(bt->plans);
	gopkg_list_release(&bt->pkgs);
	bt->plans = NULL;
	bt->nleaves = 0;
}

struct leaf *bench_tree_find(struct bench_tree *bt, const char *pkg, const char *name,
			     int procs, struct pkg_plan **plan_out)
{
	for (size_t i = 0; i < bt->pkgs.nr; i++) {
		struct pkg_plan *pl = &bt->plans[i];

		if (strcmp(pl->pkg->import_path, pkg))
			continue;
		for (size_t j = 0; j < pl->nr; j++)
			if (pl->leaves[j].procs == procs && !strcmp(pl->leaves[j].name, name)) {
				if (plan_out)
					*plan_out = pl;
				return &pl->leaves[j];
			}
	}
	return NULL;
}
