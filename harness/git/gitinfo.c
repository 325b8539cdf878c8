/* Repository facts through libgit2; see gitinfo.h. */
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "git/gitinfo.h"
#include "git/gitrepo_internal.h"
#include "util/usage.h"
#include "util/banned.h"

static int read_dirty(git_repository *repo, int *dirty)
{
	git_status_options opts;
	git_status_list *list = NULL;

	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, repo, &opts) < 0)
		return error("cannot read the status of the repository: %s", gitrepo_errmsg());
	*dirty = git_status_list_entrycount(list) > 0;
	git_status_list_free(list);
	return 0;
}

int gitinfo_read(struct gitinfo *gi, const char *dir)
{
	git_repository *repo = NULL;
	git_reference *head = NULL;
	const char *wd;
	int ret = 0, rc;

	memset(gi, 0, sizeof(*gi));
	git_libgit2_init();
	rc = git_repository_open_ext(&repo, dir, 0, NULL);
	if (rc == GIT_ENOTFOUND)
		goto out;
	if (rc < 0) {
		/* An unreadable repository is not fatal: record nothing about it. */
		warning("cannot open the git repository at '%s': %s", dir, gitrepo_errmsg());
		goto out;
	}
	wd = git_repository_workdir(repo);
	if (!wd)
		goto out;	/* bare repository: nothing checked out to measure */
	gi->in_repo = 1;
	gi->toplevel = xstrdup(wd);
	if (strlen(gi->toplevel) > 1 && gi->toplevel[strlen(gi->toplevel) - 1] == '/')
		gi->toplevel[strlen(gi->toplevel) - 1] = '\0';

	rc = git_repository_head(&head, repo);
	if (!rc) {
		char hex[GIT_OID_HEXSZ + 1];
		const git_oid *oid = git_reference_target(head);

		if (oid) {
			git_oid_tostr(hex, sizeof(hex), oid);
			gi->commit = xstrdup(hex);
		}
		if (git_reference_is_branch(head))
			gi->branch = xstrdup(git_reference_shorthand(head));
	} else if (rc != GIT_EUNBORNBRANCH && rc != GIT_ENOTFOUND) {
		warning("cannot resolve HEAD: %s", gitrepo_errmsg());
	}
	ret = read_dirty(repo, &gi->dirty);
out:
	git_reference_free(head);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}

void gitinfo_release(struct gitinfo *gi)
{
	free(gi->toplevel);
	free(gi->commit);
	free(gi->branch);
	memset(gi, 0, sizeof(*gi));
}
