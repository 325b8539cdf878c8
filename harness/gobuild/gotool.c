/* The Go toolchain; see gotool.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gobuild/gosrc.h"
#include "gobuild/gotool.h"
#include "util/json.h"
#include "util/parse.h"
#include "util/proc.h"
#include "util/io.h"
#include "util/usage.h"
#include "util/banned.h"

void gopkg_list_release(struct gopkg_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		free(l->pkgs[i].import_path);
		free(l->pkgs[i].dir);
		free(l->pkgs[i].name);
	}
	free(l->pkgs);
	memset(l, 0, sizeof(*l));
}

void gotool_env(struct strvec *env, const char *store_dir)
{
	const char *gocache = getenv("GOCACHE");
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	/* Keep the user's cache when Go could find it; builds stay incremental. */
	if (gocache && *gocache)
		strvec_pushf(env, "GOCACHE=%s", gocache);
	else if (xdg && *xdg)
		strvec_pushf(env, "GOCACHE=%s/go-build", xdg);
	else if (home && *home)
		strvec_pushf(env, "GOCACHE=%s/.cache/go-build", home);
	else
		strvec_pushf(env, "GOCACHE=%s/go-build", store_dir);
	strvec_push(env, "GOTOOLCHAIN=local");
}

/* go refuses to run with neither GOPATH nor HOME; modules without deps do not need it. */
static void default_gopath(struct strvec *env, const char *store_dir)
{
	const char *home = getenv("HOME");

	if (!getenv("GOPATH") && !(home && *home))
		strvec_pushf(env, "GOPATH=%s/gopath", store_dir);
}

/* The user's GOFLAGS without -mod=..., plus `add` (or nothing). */
static void goflags(struct strvec *env, const char *add)
{
	const char *s = getenv("GOFLAGS");
	struct buf b = BUF_INIT;

	buf_addstr(&b, "GOFLAGS=");
	while (s && *s) {
		size_t n;

		s += strspn(s, " \t");
		n = strcspn(s, " \t");
		if (n && !starts_with(s, "-mod=") && !starts_with(s, "--mod="))
			buf_addf(&b, "%s%.*s", b.len > 8 ? " " : "", (int)n, s);
		s += n;
	}
	if (add)
		buf_addf(&b, "%s%s", b.len > 8 ? " " : "", add);
	strvec_push(env, b.buf);
	buf_release(&b);
}

/*
 * The go environment of a private checkout (gotool.h).  GOPATH mode: the
 * checkout's private GOPATH, GO111MODULE=off, and PWD naming `dir` through
 * the GOPATH's link.  Module mode: no workspace from above, a go.mod of
 * the checkout's own between `dir` and `root` (its directory in *modroot),
 * and -mod=vendor when the module vendors its dependencies.
 */
static int checkout_env(struct strvec *env, const char *dir, const char *root,
			const char *gopath, struct buf *modroot)
{
	struct buf path = BUF_INIT;
	const char *commit = strrchr(root, '/');
	size_t rootlen = strlen(root);
	struct stat sb;
	int found = 0;

	strvec_push(env, "GOWORK=off");
	if (gopath) {
		strvec_pushf(env, "GOPATH=%s", gopath);
		strvec_push(env, "GO111MODULE=off");
		if (dir)
			strvec_pushf(env, "PWD=%s", dir);
		goflags(env, NULL);
		return 0;
	}
	/* From the package directory up to the checkout's root, never above. */
	if (dir && !strncmp(dir, root, rootlen) && (!dir[rootlen] || dir[rootlen] == '/'))
		buf_addstr(&path, dir);
	else
		buf_addstr(&path, root);
	for (;;) {
		size_t len = path.len, up = len;

		buf_addstr(&path, "/go.mod");
		found = !stat(path.buf, &sb);
		buf_setlen(&path, len);
		if (found || len <= rootlen)
			break;
		while (up > rootlen && path.buf[up - 1] != '/')
			up--;
		buf_setlen(&path, up > rootlen ? up - 1 : rootlen);
	}
	if (found) {
		buf_addstr(modroot, path.buf);
		buf_addstr(&path, "/vendor/modules.txt");
		if (!stat(path.buf, &sb))
			goflags(env, "-mod=vendor");
	}
	buf_release(&path);
	if (found)
		return 0;
	/* buildmode_decide() chooses GOPATH mode for such a commit; this is the fence. */
	commit = commit ? commit + 1 : root;
	return error_code(PG_EUSAGE, "commit %.12s has no go.mod and is not built in GOPATH mode "
			  "(go would build the working tree's module in its place)", commit);
}

/* The environment of every go command: the toolchain's, then the checkout's. */
static int go_env(struct strvec *env, const char *dir, const char *root, const char *gopath,
		  const char *store_dir, struct buf *modroot)
{
	gotool_env(env, store_dir);
	if (!gopath)
		default_gopath(env, store_dir);
	return root ? checkout_env(env, dir, root, gopath, modroot) : 0;
}

/* First non-empty line of go's stderr, for a one-line error. */
static void first_line(const struct buf *b, struct buf *out)
{
	const char *s = b->buf;

	while (*s == '\n')
		s++;
	buf_add(out, s, strcspn(s, "\n"));
}

/* A string member of a `go list -json` object, or NULL. */
static const char *member_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/*
 * The next object of `go list -json` output (a stream of objects) from
 * *pos: 1 and *pkg filled, 0 at the end, PG_EPARSE.  JSON keeps any byte
 * of a path (a newline, a tab) intact, where a -f format could not.
 */
static int next_list_object(const char *s, size_t len, size_t *pos, struct gopkg *pkg)
{
	json_error_t jerr;
	json_t *o, *t, *x;
	const char *path, *dir, *name;
	int ret = PG_EPARSE;

	while (*pos < len && (s[*pos] == ' ' || s[*pos] == '\t' || s[*pos] == '\r' || s[*pos] == '\n'))
		(*pos)++;
	if (*pos >= len)
		return 0;
	o = json_loadb(s + *pos, len - *pos, JSON_DISABLE_EOF_CHECK, &jerr);
	if (!o)
		return PG_EPARSE;
	*pos += (size_t)jerr.position;
	path = member_str(o, "ImportPath");
	dir = member_str(o, "Dir");
	name = member_str(o, "Name");
	t = json_object_get(o, "TestGoFiles");
	x = json_object_get(o, "XTestGoFiles");
	if (path && dir && name) {
		pkg->import_path = xstrdup(path);
		pkg->dir = xstrdup(dir);
		pkg->name = xstrdup(name);
		pkg->ntests = (int)(json_array_size(t) + json_array_size(x));
		ret = 1;
	}
	json_decref(o);
	return ret;
}

static int is_pattern(const char *arg)
{
	return strstr(arg, "...") != NULL;
}

int gotool_parse_list(const char *json, size_t len, int any_pattern, const char *first,
		      struct gopkg_list *out)
{
	size_t pos = 0;
	int rc;

	for (;;) {
		struct gopkg pkg = { 0 };

		rc = next_list_object(json, len, &pos, &pkg);
		if (!rc)
			break;
		if (rc < 0)
			return error_code(PG_EENV, "unexpected output from 'go list -json' at byte %zu",
					  pos);
		if (!pkg.ntests) {
			if (!any_pattern)
				rc = error_code(PG_EUSAGE, "package '%s' has no test files", pkg.import_path);
			else
				verbose("skipping '%s': no test files", pkg.import_path);
			free(pkg.import_path);
			free(pkg.dir);
			free(pkg.name);
			if (rc < 0)
				return rc;
			continue;
		}
		ALLOC_GROW(out->pkgs, out->nr + 1, out->alloc);
		out->pkgs[out->nr++] = pkg;
	}
	if (!out->nr)
		return error_code(PG_EUSAGE, "'%s' matches no package with tests", first);
	return 0;
}

int gotool_list(const char *dir, const char *root, const char *gopath,
		const struct strvec *patterns, const struct strvec *build_flags,
		const char *store_dir, struct gopkg_list *out)
{
	struct proc p;
	struct buf sout = BUF_INIT, serr = BUF_INIT, msg = BUF_INIT, modroot = BUF_INIT;
	int any_pattern = 0, ret, code;

	proc_init(&p);
	p.dir = dir;
	if ((ret = go_env(&p.env, dir, root, gopath, store_dir, &modroot)))
		goto out;
	strvec_pushl(&p.args, "go", "list", "-e=false", "-json", NULL);
	for (size_t i = 0; i < build_flags->nr; i++)
		strvec_push(&p.args, build_flags->v[i]);
	strvec_push(&p.args, "--");
	for (size_t i = 0; i < patterns->nr; i++) {
		strvec_push(&p.args, patterns->v[i]);
		any_pattern |= is_pattern(patterns->v[i]);
	}
	code = proc_capture(&p, &sout, &serr);
	if (code < 0) {
		ret = code;
		goto out;
	}
	if (code) {
		first_line(&serr, &msg);
		ret = error_code(PG_EUSAGE, "cannot resolve package '%s': %s",
				 patterns->v[0], msg.len ? msg.buf : "go list failed");
		goto out;
	}
	ret = gotool_parse_list(sout.buf, sout.len, any_pattern, patterns->v[0], out);
out:
	proc_release(&p);
	buf_release(&sout);
	buf_release(&serr);
	buf_release(&msg);
	buf_release(&modroot);
	return ret;
}

/* Whether the module cache has path@version's go.mod and its source. */
static int in_cache(const char *cache, const char *req)
{
	struct buf p = BUF_INIT;
	const char *at = strrchr(req, '@');
	struct stat sb;
	char *path = xstrndup(req, (size_t)(at - req));
	int ok;

	buf_addf(&p, "%s/cache/download/", cache);
	gosrc_escape_module(&p, path);
	buf_addstr(&p, "/@v/");
	gosrc_escape_module(&p, at + 1);
	buf_addstr(&p, ".mod");
	ok = !stat(p.buf, &sb);
	buf_reset(&p);
	buf_addf(&p, "%s/", cache);
	gosrc_escape_module(&p, req);
	ok = ok && !stat(p.buf, &sb);
	buf_release(&p);
	free(path);
	return ok;
}

/*
 * After a failed build in module mode: a requirement of the module at
 * `modroot` missing from the module cache, that go's output names or
 * blames on the cache or the network.  Returns it (caller frees) or NULL.
 */
static char *missing_module(const struct strvec *env, const char *modroot, const struct buf *goerr,
			    char **cache_out)
{
	static const char *const offline[] = {
		"module lookup disabled", "missing go.sum entry", "dial tcp", "no such host",
		"cannot find module", "GOPROXY", NULL
	};
	struct proc p;
	struct buf gomod = BUF_INIT, cache = BUF_INIT, path = BUF_INIT;
	struct strvec reqs = STRVEC_INIT;
	char *found = NULL, *blamed = NULL;
	int net = 0;

	*cache_out = NULL;
	for (size_t i = 0; offline[i]; i++)
		net |= strstr(goerr->buf, offline[i]) != NULL;
	buf_addf(&path, "%s/go.mod", modroot);
	if (buf_read_file(&gomod, path.buf, 1 << 20) || gosrc_requires(gomod.buf, gomod.len, &reqs))
		goto out;
	proc_init(&p);
	strvec_pushv(&p.env, env->v);
	strvec_pushl(&p.args, "go", "env", "GOMODCACHE", NULL);
	if (proc_capture(&p, &cache, NULL) == 0)
		buf_rtrim(&cache);
	proc_release(&p);
	if (!cache.len)
		goto out;
	for (size_t i = 0; i < reqs.nr && !found; i++) {
		size_t n = strcspn(reqs.v[i], "@");
		struct buf name = BUF_INIT;

		if (in_cache(cache.buf, reqs.v[i]))
			continue;
		buf_add(&name, reqs.v[i], n);
		if (strstr(goerr->buf, name.buf))
			found = xstrdup(reqs.v[i]);
		else if (net && !blamed)
			blamed = xstrdup(reqs.v[i]);
		buf_release(&name);
	}
	if (!found) {
		found = blamed;
		blamed = NULL;
	}
	if (found)
		*cache_out = buf_detach(&cache);
out:
	free(blamed);
	strvec_clear(&reqs);
	buf_release(&gomod);
	buf_release(&cache);
	buf_release(&path);
	return found;
}

int gotool_build(const char *dir, const char *root, const char *gopath, const struct gopkg *pkg,
		 const struct strvec *build_flags,
		 const struct strvec *extra_env, const char *store_dir, const char *out)
{
	struct proc p;
	struct buf serr = BUF_INIT, sout = BUF_INIT, modroot = BUF_INIT;
	const char *slash;
	char *missing = NULL, *cache = NULL;
	int code, ret;

	proc_init(&p);
	p.dir = dir;
	ret = go_env(&p.env, dir, root, gopath, store_dir, &modroot);
	if (ret)
		goto done;
	/*
	 * go's work directory goes next to the binary, in perfgo's private
	 * scratch directory: a killed go leaves it behind, and perfgo removes
	 * its scratch directory on every exit path.
	 */
	slash = strrchr(out, '/');
	if (slash)
		strvec_pushf(&p.env, "GOTMPDIR=%.*s", (int)(slash - out), out);
	if (extra_env)
		strvec_pushv(&p.env, extra_env->v);
	strvec_pushl(&p.args, "go", "test", "-c", "-o", out, NULL);
	for (size_t i = 0; i < build_flags->nr; i++)
		strvec_push(&p.args, build_flags->v[i]);
	strvec_push(&p.args, pkg->import_path);
	code = proc_capture(&p, &sout, &serr);
	if (code > 0 && modroot.len)
		missing = missing_module(&p.env, modroot.buf, &serr, &cache);
	if (code < 0) {
		ret = code;
	} else if (missing) {
		/* A dependency go cannot get is one line, not a page of go's output. */
		verbose("go test -c: %s", serr.buf);
		ret = error_code(PG_ECODE, "commit %.12s: cannot build the tests of '%s': module %s "
				 "is not in the module cache (%s) and go cannot download it; run "
				 "'go mod download %s' where the network is available, or vendor it",
				 strrchr(root, '/') ? strrchr(root, '/') + 1 : root, pkg->import_path,
				 missing, cache, missing);
	} else if (code) {
		/* The compiler's own words are the useful part: show them whole. */
		fputs(sout.buf, stderr);
		fputs(serr.buf, stderr);
		ret = error_code(PG_ECODE, "cannot build the tests of '%s' (go exited with %d)",
				 pkg->import_path, code);
	} else {
		ret = 0;
	}
done:
	proc_release(&p);
	buf_release(&serr);
	buf_release(&sout);
	buf_release(&modroot);
	free(missing);
	free(cache);
	return ret;
}

char *gotool_version(void)
{
	struct proc p;
	struct buf sout = BUF_INIT;
	char *v = NULL;
	const char *s;

	proc_init(&p);
	strvec_pushl(&p.args, "go", "env", "GOVERSION", NULL);
	strvec_push(&p.env, "GOTOOLCHAIN=local");
	if (proc_capture(&p, &sout, NULL) == 0) {
		buf_rtrim(&sout);
		s = sout.buf;
		if (*s)
			v = xstrdup(s);
	}
	proc_release(&p);
	buf_release(&sout);
	return v;
}
