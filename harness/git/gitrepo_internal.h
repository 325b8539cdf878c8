#ifndef PERFGO_GITREPO_INTERNAL_H
#define PERFGO_GITREPO_INTERNAL_H

/*
 * Shared by the files of git/ only: the layout of struct gitrepo
 * (gitrepo.c) for gitrev.c, and libgit2's last error message for every
 * file that reports one.  The rest of perfgo never sees a libgit2 type.
 */

#include <git2.h>

#include "git/gitrepo.h"

struct gitrepo {
	git_repository *repo;
	char *top;               /* working tree, no trailing slash */
};

/* libgit2's message for the last failure on this thread, never NULL. */
const char *gitrepo_errmsg(void);

#endif
