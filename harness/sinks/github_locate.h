#ifndef PERFGO_GITHUB_LOCATE_H
#define PERFGO_GITHUB_LOCATE_H

/*
 * Where a benchmark is defined, for annotations: the `_test.go` file and
 * line of `func BenchmarkX(` in the sources of the head side, found by
 * scanning them (no go command).  A sub-benchmark (BenchmarkX/case-8) is
 * placed on its parent's line.
 *
 * The package's directory is found from its import path: the longest
 * trailing part of the path that names a directory (under the current
 * directory's path first, then from the top) whose _test.go files define
 * the function; the top directory last.  Paths are relative to the top
 * of the repository, "/"-separated, as GitHub wants them.
 */

#include "git/gitrepo.h"

struct gh_locator {
	struct gitrepo *repo;   /* with sha: read the commit's tree */
	const char *sha;        /* NULL: read the files under top */
	const char *top;        /* the working tree's top directory */
	const char *workdir;    /* the current directory relative to top, "" or "." at the top */
	struct gh_loc_dir *dirs;   /* scanned directories, cached */
	size_t ndirs;
};

/*
 * 1 with the file (caller frees) and line of benchmark `name` ("BenchmarkX",
 * "BenchmarkX/sub-8") of package `pkg`, or 0 when not found.
 */
int gh_locate(struct gh_locator *l, const char *pkg, const char *name, char **path, int *line);
void gh_locator_release(struct gh_locator *l);

/* The function of a benchmark's full name: "BenchmarkX/a=1-8" -> "BenchmarkX" (caller frees). */
char *gh_bench_func(const char *name);

#endif
