#ifndef PERFGO_WORKSPACE_H
#define PERFGO_WORKSPACE_H

/*
 * Where a command's results live: `.perfgo/` at the git top level, or in
 * the current directory outside a repository (said once per invocation),
 * or wherever PERFGO_DIR points.
 */

#include "git/gitinfo.h"
#include "store/store.h"

struct workspace {
	struct gitinfo git;
	char *top;          /* git top level, or the current directory */
	char *dir;          /* the .perfgo directory */
	char *workdir;      /* current directory relative to `top` ("." at top) */
	struct store *st;
};

/*
 * Find the workspace and open its store.  With `create` the store is made
 * when missing; without it a missing store is PG_ENOTFOUND, not reported
 * (ws->dir is set, for the caller's message).
 */
int workspace_open(struct workspace *ws, int create);
/*
 * The same, creating the store, for commands that need no repository
 * (attach): outside one, without PERFGO_DIR, the store is the user's own,
 * $XDG_DATA_HOME/perfgo or ~/.local/share/perfgo (said once).
 */
int workspace_open_user(struct workspace *ws);
void workspace_close(struct workspace *ws);

#endif
