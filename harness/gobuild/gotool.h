#ifndef PERFGO_GOTOOL_H
#define PERFGO_GOTOOL_H

/*
 * The Go toolchain: environment, package resolution and test builds.
 *
 * Every go command runs with an explicit GOCACHE (the user's GOCACHE, else
 * Go's own default under XDG_CACHE_HOME or HOME, else a cache inside the
 * .perfgo directory, so that HOME may be unset) and GOTOOLCHAIN=local (a
 * go.mod asking for a newer Go must fail clearly, not download).
 */

#include "util/buf.h"
#include "util/strvec.h"

struct gopkg {
	char *import_path;
	char *dir;          /* absolute package directory */
	char *name;         /* package name */
	int ntests;         /* _test.go files (internal + external) */
};

struct gopkg_list {
	struct gopkg *pkgs;
	size_t nr, alloc;
};

#define GOPKG_LIST_INIT { NULL, 0, 0 }
void gopkg_list_release(struct gopkg_list *l);

/* Set up the go environment delta (GOCACHE, GOTOOLCHAIN) in `env`. */
void gotool_env(struct strvec *env, const char *store_dir);

/*
 * Resolve package arguments with `go list`, run in `dir` (NULL: the
 * current directory), so that "." and "./..." mean what they mean there
 * (build flags such as -tags
 * apply).  Patterns keep only packages that have test files and say so
 * when none are left; an explicit package without tests is an error.
 * Returns 0, PG_EUSAGE (unknown package, reported with go's message) or
 * PG_EENV (go missing or failing).
 */
int gotool_list(const char *dir, const struct strvec *patterns,
		const struct strvec *build_flags, const char *store_dir, struct gopkg_list *out);

/*
 * `go test -c -o <out> <build flags> <import path>` in `dir` (NULL: the
 * current directory), with go's work directory (GOTMPDIR) in the
 * directory of `out`.  A compile error shows go's output and returns PG_ECODE.
 */
int gotool_build(const char *dir, const struct gopkg *pkg, const struct strvec *build_flags,
		 const struct strvec *extra_env, const char *store_dir, const char *out);

/* "go version go1.19.8 linux/amd64" -> "go1.19.8"; NULL if go is missing. */
char *gotool_version(void);

#endif
