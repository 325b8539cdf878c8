#ifndef PERFGO_GOTOOL_H
#define PERFGO_GOTOOL_H

/*
 * The Go toolchain: environment, package resolution and test builds.
 *
 * Every go command runs with an explicit GOCACHE (the user's GOCACHE, else
 * Go's own default under XDG_CACHE_HOME or HOME, else a cache inside the
 * .perfgo directory, so that HOME may be unset) and GOTOOLCHAIN=local (a
 * go.mod asking for a newer Go must fail clearly, not download).
 *
 * A private checkout of a commit (`root`, .perfgo/trees/<sha>/) lies inside
 * the user's repository.  The go command looks for go.mod and go.work in
 * the directory it runs in and in every parent, so it would take the
 * working tree's module or workspace for the commit's own and build the
 * working tree's packages under the commit's name.  In a checkout go runs
 * with GOWORK=off, and a checkout with no go.mod between the package
 * directory and its root is refused (PG_EUSAGE) rather than built wrong,
 * unless it is built in GOPATH mode: `gopath` (buildmode.h) is then its
 * private GOPATH, `dir` the package directory inside it, and go runs with
 * GO111MODULE=off.  In module mode a checkout that vendors its
 * dependencies (vendor/modules.txt) builds with -mod=vendor, and a build
 * that fails for a requirement missing from the module cache says so in
 * one line naming the module (go's own output only with --verbose).  The
 * user's own tree (root NULL) keeps go's usual rules and the user's
 * GOFLAGS.
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

/*
 * The packages of `go list -json` output (json, len bytes: a stream of
 * objects) into `out`: those with test files; one without is an error
 * unless the arguments had a pattern (any_pattern), when it is skipped.
 * `first` names the arguments in the error when none is left.  Returns 0,
 * PG_EUSAGE or PG_EENV (output that is not go list's), reported.
 */
int gotool_parse_list(const char *json, size_t len, int any_pattern, const char *first,
		      struct gopkg_list *out);

/* Set up the go environment delta (GOCACHE, GOTOOLCHAIN) in `env`. */
void gotool_env(struct strvec *env, const char *store_dir);

/*
 * Resolve package arguments with `go list`, run in `dir` (NULL: the
 * current directory) inside the private checkout `root` (NULL: the user's
 * own tree, where go's usual rules apply), so that "." and "./..." mean what they mean there
 * (build flags such as -tags
 * apply).  Patterns keep only packages that have test files and say so
 * when none are left; an explicit package without tests is an error.
 * Returns 0, PG_EUSAGE (unknown package, reported with go's message) or
 * PG_EENV (go missing or failing).
 */
int gotool_list(const char *dir, const char *root, const char *gopath,
		const struct strvec *patterns, const struct strvec *build_flags,
		const char *store_dir, struct gopkg_list *out);

/*
 * `go test -c -o <out> <build flags> <import path>` in `dir` (NULL: the
 * current directory) inside the private checkout `root` (or NULL), with go's work directory (GOTMPDIR) in the
 * directory of `out`.  A compile error shows go's output and returns PG_ECODE.
 */
int gotool_build(const char *dir, const char *root, const char *gopath, const struct gopkg *pkg,
		 const struct strvec *build_flags,
		 const struct strvec *extra_env, const char *store_dir, const char *out);

/* "go version go1.19.8 linux/amd64" -> "go1.19.8"; NULL if go is missing. */
char *gotool_version(void);

#endif
