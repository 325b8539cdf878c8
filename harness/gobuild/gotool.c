/* The Go toolchain; see gotool.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gobuild/gotool.h"
#include "util/json.h"
#include "util/parse.h"
#include "util/proc.h"
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
	/* go refuses to run with neither GOPATH nor HOME; modules without deps do not need it. */
	if (!getenv("GOPATH") && !(home && *home))
		strvec_pushf(env, "GOPATH=%s/gopath", store_dir);
}

/*
 * The go environment of a private checkout (gotool.h): no workspace from
 * above, and a go.mod of the checkout's own between `dir` and `root`.
 */
static int checkout_env(struct strvec *env, const char *dir, const char *root)
{
	struct buf path = BUF_INIT;
	const char *commit = strrchr(root, '/');
	size_t rootlen = strlen(root);
	int found = 0;

	strvec_push(env, "GOWORK=off");
	/* From the package directory up to the checkout's root, never above. */
	if (dir && !strncmp(dir, root, rootlen) && (!dir[rootlen] || dir[rootlen] == '/'))
		buf_addstr(&path, dir);
	else
		buf_addstr(&path, root);
	for (;;) {
		size_t len = path.len, up = len;
		struct stat sb;

		buf_addstr(&path, "/go.mod");
		found = !stat(path.buf, &sb);
		buf_setlen(&path, len);
		if (found || len <= rootlen)
			break;
		while (up > rootlen && path.buf[up - 1] != '/')
			up--;
		buf_setlen(&path, up > rootlen ? up - 1 : rootlen);
	}
	buf_release(&path);
	if (found)
		return 0;
	commit = commit ? commit + 1 : root;
	return error_code(PG_EUSAGE, "commit %.12s has no go.mod: perfgo cannot build commits "
			  "from before Go modules yet (go would build the working tree's "
			  "module in its place)", commit);
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
static int next_list_object(const struct buf *b, size_t *pos, struct gopkg *pkg)
{
	json_error_t jerr;
	json_t *o, *t, *x;
	const char *path, *dir, *name;
	int ret = PG_EPARSE;

	while (*pos < b->len && strchr(" \t\r\n", b->buf[*pos]))
		(*pos)++;
	if (*pos >= b->len)
		return 0;
	o = json_loadb(b->buf + *pos, b->len - *pos, JSON_DISABLE_EOF_CHECK, &jerr);
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

int gotool_list(const char *dir, const char *root, const struct strvec *patterns,
		const struct strvec *build_flags, const char *store_dir, struct gopkg_list *out)
{
	struct proc p;
	struct buf sout = BUF_INIT, serr = BUF_INIT, msg = BUF_INIT;
	int any_pattern = 0, ret, code, rc;
	size_t pos = 0;

	proc_init(&p);
	p.dir = dir;
	gotool_env(&p.env, store_dir);
	if (root && (ret = checkout_env(&p.env, dir, root)))
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
	for (;;) {
		struct gopkg pkg = { 0 };

		rc = next_list_object(&sout, &pos, &pkg);
		if (!rc)
			break;
		if (rc < 0) {
			ret = error_code(PG_EENV, "unexpected output from 'go list -json' at byte %zu",
					 pos);
			goto out;
		}
		if (!pkg.ntests) {
			if (!any_pattern) {
				ret = error_code(PG_EUSAGE, "package '%s' has no test files", pkg.import_path);
				free(pkg.import_path);
				free(pkg.dir);
				free(pkg.name);
				goto out;
			}
			verbose("skipping '%s': no test files", pkg.import_path);
			free(pkg.import_path);
			free(pkg.dir);
			free(pkg.name);
			continue;
		}
		ALLOC_GROW(out->pkgs, out->nr + 1, out->alloc);
		out->pkgs[out->nr++] = pkg;
	}
	if (!out->nr) {
		ret = error_code(PG_EUSAGE, "'%s' matches no package with tests", patterns->v[0]);
		goto out;
	}
	ret = 0;
out:
	proc_release(&p);
	buf_release(&sout);
	buf_release(&serr);
	buf_release(&msg);
	return ret;
}

int gotool_build(const char *dir, const char *root, const struct gopkg *pkg,
		 const struct strvec *build_flags,
		 const struct strvec *extra_env, const char *store_dir, const char *out)
{
	struct proc p;
	struct buf serr = BUF_INIT, sout = BUF_INIT;
	const char *slash;
	int code, ret;

	proc_init(&p);
	p.dir = dir;
	gotool_env(&p.env, store_dir);
	if (root)
		strvec_push(&p.env, "GOWORK=off");
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
	if (code < 0) {
		ret = code;
	} else if (code) {
		/* The compiler's own words are the useful part: show them whole. */
		fputs(sout.buf, stderr);
		fputs(serr.buf, stderr);
		ret = error_code(PG_ECODE, "cannot build the tests of '%s' (go exited with %d)",
				 pkg->import_path, code);
	} else {
		ret = 0;
	}
	proc_release(&p);
	buf_release(&serr);
	buf_release(&sout);
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
