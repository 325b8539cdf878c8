/* Locating the store; see workspace.h. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "session/workspace.h"
#include "util/io.h"
#include "util/usage.h"
#include "util/banned.h"

static char *relative_to(const char *top, const char *cwd)
{
	size_t n = strlen(top);

	if (!strcmp(top, cwd))
		return xstrdup(".");
	if (!strncmp(top, cwd, n) && cwd[n] == '/')
		return xstrdup(cwd + n + 1);
	return xstrdup(cwd);
}

int workspace_open(struct workspace *ws, int create)
{
	char cwd[PATH_MAX];
	const char *env = getenv("PERFGO_DIR");
	struct buf b = BUF_INIT;
	int ret;

	memset(ws, 0, sizeof(*ws));
	if (!getcwd(cwd, sizeof(cwd)))
		return error("cannot read the current directory: %s", strerror(errno));
	ret = gitinfo_read(&ws->git, cwd);
	if (ret)
		return ret;
	ws->top = xstrdup(ws->git.in_repo ? ws->git.toplevel : cwd);
	ws->workdir = relative_to(ws->top, cwd);
	if (env && *env) {
		ws->dir = xstrdup(env);
	} else {
		buf_addf(&b, "%s/.perfgo", ws->top);
		ws->dir = buf_detach(&b);
		if (!ws->git.in_repo && create)
			note("not in a git repository: results go to '%s'", ws->dir);
	}
	return store_open(&ws->st, ws->dir, create);
}

int workspace_open_user(struct workspace *ws)
{
	const char *env = getenv("PERFGO_DIR"), *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	struct gitinfo git;
	char cwd[PATH_MAX];
	struct buf b = BUF_INIT;
	int ret, in_repo;

	if (!getcwd(cwd, sizeof(cwd)))
		return error("cannot read the current directory: %s", strerror(errno));
	ret = gitinfo_read(&git, cwd);
	if (ret)
		return ret;
	in_repo = git.in_repo;
	gitinfo_release(&git);
	if (in_repo || (env && *env))
		return workspace_open(ws, 1);
	if (xdg && *xdg == '/')
		buf_addf(&b, "%s/perfgo", xdg);
	else if (home && *home == '/')
		buf_addf(&b, "%s/.local/share/perfgo", home);
	else
		return workspace_open(ws, 1);
	ret = mkdir_p(b.buf, 0700);
	if (ret) {
		buf_release(&b);
		return ret;
	}
	note("not in a git repository: results go to '%s' (set PERFGO_DIR to choose)", b.buf);
	setenv("PERFGO_DIR", b.buf, 1);
	buf_release(&b);
	return workspace_open(ws, 1);
}

void workspace_close(struct workspace *ws)
{
	store_close(ws->st);
	gitinfo_release(&ws->git);
	free(ws->top);
	free(ws->dir);
	free(ws->workdir);
	memset(ws, 0, sizeof(*ws));
}
