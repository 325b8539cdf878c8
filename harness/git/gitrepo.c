/* The repository handle through libgit2; see gitrepo.h. */
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "git/gitrepo.h"
#include "git/gitrepo_internal.h"
#include "util/usage.h"
#include "util/banned.h"

const char *gitrepo_errmsg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

int gitrepo_open(struct gitrepo **out, const char *dir)
{
	struct gitrepo *r;
	const char *wd;
	int rc;

	*out = NULL;
	git_libgit2_init();
	r = xcalloc(1, sizeof(*r));
	rc = git_repository_open_ext(&r->repo, dir, 0, NULL);
	if (rc == GIT_ENOTFOUND) {
		free(r);
		git_libgit2_shutdown();
		if (!strcmp(dir, "."))
			return error_code(PG_EUSAGE, "not in a git repository: commits need one "
					  "(run perfgo inside it, or use -C <dir>)");
		return error_code(PG_EUSAGE, "'%s' is not in a git repository", dir);
	}
	if (rc < 0) {
		int ret = error_code(PG_EENV, "cannot open the git repository at '%s': %s",
				     dir, gitrepo_errmsg());

		free(r);
		git_libgit2_shutdown();
		return ret;
	}
	wd = git_repository_workdir(r->repo);
	if (!wd) {
		gitrepo_close(r);
		return error_code(PG_EUSAGE, "'%s' is a bare repository: nothing to build", dir);
	}
	r->top = xstrdup(wd);
	if (strlen(r->top) > 1 && r->top[strlen(r->top) - 1] == '/')
		r->top[strlen(r->top) - 1] = '\0';
	*out = r;
	return 0;
}

void gitrepo_close(struct gitrepo *r)
{
	if (!r)
		return;
	git_repository_free(r->repo);
	free(r->top);
	free(r);
	git_libgit2_shutdown();
}

const char *gitrepo_top(const struct gitrepo *r)
{
	return r->top;
}

int gitrepo_is_shallow(const struct gitrepo *r)
{
	return git_repository_is_shallow(r->repo) == 1;
}

int gitrepo_is_dirty(struct gitrepo *r, int *dirty)
{
	git_status_options opts;
	git_status_list *list = NULL;

	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, r->repo, &opts) < 0)
		return error_code(PG_EENV, "cannot read the repository status: %s", gitrepo_errmsg());
	*dirty = git_status_list_entrycount(list) > 0;
	git_status_list_free(list);
	return 0;
}
