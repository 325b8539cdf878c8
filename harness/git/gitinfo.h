#ifndef PERFGO_GITINFO_H
#define PERFGO_GITINFO_H

/*
 * What perfgo records about the repository a run was made in, read with
 * libgit2: top-level directory, HEAD commit, branch and whether tracked
 * files differ from HEAD (untracked files do not count, as with
 * `git describe --dirty`).  Outside a repository in_repo is 0 and the
 * call still succeeds.  A repository without commits has commit NULL.
 */

struct gitinfo {
	int in_repo;
	char *toplevel;   /* absolute, no trailing slash */
	char *commit;     /* 40 hex, or NULL */
	char *branch;     /* short name, or NULL when detached */
	int dirty;
};

#define GITINFO_INIT { 0, NULL, NULL, NULL, 0 }

int gitinfo_read(struct gitinfo *gi, const char *dir);
void gitinfo_release(struct gitinfo *gi);

#endif
