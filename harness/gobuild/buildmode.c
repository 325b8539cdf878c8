/* How a commit is built; see buildmode.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gobuild/buildmode.h"
#include "gobuild/gosrc.h"
#include "git/gitrev.h"
#include "util/io.h"
#include "util/usage.h"
#include "util/banned.h"

/* Files read for an import comment or a module line are small; more is not read. */
#define READ_CAP (256 * 1024)

void buildmode_release(struct buildmode *m)
{
	free(m->import_path);
	free(m->dir);
	free(m->source);
	memset(m, 0, sizeof(*m));
}

void buildmode_copy(struct buildmode *to, const struct buildmode *from)
{
	memset(to, 0, sizeof(*to));
	to->gopath = from->gopath;
	if (from->gopath) {
		to->import_path = xstrdup(from->import_path);
		to->dir = xstrdup(from->dir);
		to->source = xstrdup(from->source);
	}
}

/* The directories from `workdir` up to the top: "a/b", "a", "". */
static void ancestors(const char *workdir, struct strvec *out)
{
	struct buf d = BUF_INIT;

	if (strcmp(workdir, "."))
		buf_addstr(&d, workdir);
	for (;;) {
		char *slash;

		strvec_push(out, d.buf);
		if (!d.len)
			break;
		slash = strrchr(d.buf, '/');
		buf_setlen(&d, slash ? (size_t)(slash - d.buf) : 0);
	}
	buf_release(&d);
}

static void join(struct buf *b, const char *dir, const char *name)
{
	buf_reset(b);
	if (*dir)
		buf_addf(b, "%s/", dir);
	buf_addstr(b, name);
}

/* The commit's own go.mod between the package directory and the top: 1 if there is one. */
static int has_gomod(struct gitrepo *r, const char *sha, const struct strvec *dirs, int *found)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	int ret = 0;

	*found = 0;
	for (size_t i = 0; !ret && !*found && i < dirs->nr; i++) {
		join(&path, dirs->v[i], "go.mod");
		ret = gitrev_read_file(r, sha, path.buf, 1, &text);
		*found = !ret;
		if (ret == PG_ENOTFOUND)
			ret = 0;
	}
	buf_release(&path);
	buf_release(&text);
	return ret;
}

static void set(struct buildmode *m, const char *ip, size_t iplen, const char *dir, struct buf *source)
{
	m->gopath = 1;
	m->import_path = xstrndup(ip, iplen);
	m->dir = xstrdup(dir);
	m->source = buf_detach(source);
}

/* 2: an import comment in the package directory, else in the top directory. */
static int from_import_comment(struct gitrepo *r, const char *sha, const struct strvec *dirs,
			       struct buildmode *m)
{
	struct buf path = BUF_INIT, text = BUF_INIT, src = BUF_INIT;
	const char *look[2] = { dirs->v[0], "" };
	int ret = 0;

	for (size_t d = 0; !ret && !m->gopath && d < (*look[0] ? 2u : 1u); d++) {
		struct strvec names = STRVEC_INIT;

		ret = gitrev_list_files(r, sha, look[d], &names);
		if (ret == PG_ENOTFOUND)
			ret = 0;
		for (size_t i = 0; !ret && !m->gopath && i < names.nr; i++) {
			const char *n = names.v[i], *dir = look[d];
			char *ip = NULL;
			size_t dl = strlen(dir), il;
			int got;

			if (!ends_with(n, ".go") || ends_with(n, "_test.go"))
				continue;
			join(&path, dir, n);
			buf_reset(&text);
			ret = gitrev_read_file(r, sha, path.buf, READ_CAP, &text);
			if (ret)
				break;
			got = gosrc_import_comment(text.buf, text.len, &ip);
			if (got < 0)
				verbose("%.12s: ignoring the malformed import comment of '%s'", sha, path.buf);
			if (got != 1)
				continue;
			buf_addf(&src, "the import comment in %s", path.buf);
			/* The comment names the package directory; the top is what it ends under. */
			il = strlen(ip);
			if (dl && il > dl + 1 && ip[il - dl - 1] == '/' && !strcmp(ip + il - dl, dir))
				set(m, ip, il - dl - 1, "", &src);
			else
				set(m, ip, il, dir, &src);
			free(ip);
		}
		strvec_clear(&names);
	}
	buf_release(&path);
	buf_release(&text);
	buf_release(&src);
	return ret;
}

/* A go.mod's module line, without a /vN suffix; 1 when it names one. */
static int module_of(const struct buf *text, struct buf *ip, int *stripped)
{
	char *mod = NULL;
	const char *v;

	if (gosrc_module_path(text->buf, text->len, &mod) != 1)
		return 0;
	buf_reset(ip);
	buf_addstr(ip, mod);
	v = strrchr(mod, '/');
	*stripped = v && v[1] == 'v' && v[2] >= '1' && v[2] <= '9' &&
		    strspn(v + 2, "0123456789") == strlen(v + 2) && strcmp(v + 2, "1");
	if (*stripped)
		buf_setlen(ip, (size_t)(v - mod));
	free(mod);
	return 1;
}

/* 3 and 4: the nearest later commit's go.mod, then the working tree's. */
static int from_gomod(struct gitrepo *r, const struct buildmode_hints *h, const struct strvec *dirs,
		      struct buildmode *m)
{
	struct buf path = BUF_INIT, text = BUF_INIT, ip = BUF_INIT, src = BUF_INIT;
	int ret = 0, stripped = 0;

	for (size_t c = 0; !ret && !m->gopath && c <= h->nlater; c++) {
		for (size_t i = 0; !ret && !m->gopath && i < dirs->nr; i++) {
			buf_reset(&text);
			buf_reset(&path);
			if (c < h->nlater) {
				join(&path, dirs->v[i], "go.mod");
				ret = gitrev_read_file(r, h->later[c], path.buf, READ_CAP, &text);
				if (ret == PG_ENOTFOUND) {
					ret = 0;
					continue;
				}
			} else if (h->worktree_top) {
				buf_addf(&path, "%s/%s%sgo.mod", h->worktree_top, dirs->v[i],
					 *dirs->v[i] ? "/" : "");
				if (buf_read_file(&text, path.buf, READ_CAP))
					continue;
			} else {
				break;
			}
			if (ret || !module_of(&text, &ip, &stripped))
				continue;
			buf_reset(&src);
			if (c < h->nlater)
				buf_addf(&src, "the go.mod of %.12s", h->later[c]);
			else
				buf_addstr(&src, "the working tree's go.mod");
			if (stripped)
				buf_addstr(&src, ", without its major version suffix");
			set(m, ip.buf, ip.len, dirs->v[i], &src);
		}
	}
	buf_release(&path);
	buf_release(&text);
	buf_release(&ip);
	buf_release(&src);
	return ret;
}

int buildmode_decide(struct gitrepo *r, const char *sha, const struct buildmode_hints *h,
		     struct buildmode *out)
{
	struct strvec dirs = STRVEC_INIT;
	struct buf src = BUF_INIT;
	int ret, found;

	memset(out, 0, sizeof(*out));
	ancestors(h->workdir ? h->workdir : ".", &dirs);
	ret = has_gomod(r, sha, &dirs, &found);
	if (ret || found)
		goto out;
	if (h->import_path) {
		if (!gosrc_valid_import_path(h->import_path)) {
			ret = error_code(PG_EUSAGE, "--import-path '%s' is not an import path",
					 h->import_path);
			goto out;
		}
		buf_addstr(&src, "--import-path");
		set(out, h->import_path, strlen(h->import_path), "", &src);
		goto out;
	}
	ret = from_import_comment(r, sha, &dirs, out);
	if (!ret && !out->gopath)
		ret = from_gomod(r, h, &dirs, out);
	if (!ret && !out->gopath)
		ret = error_code(PG_EUSAGE, "commit %.12s has no go.mod and no import comment, and no "
				 "later commit's go.mod names its import path: give it with "
				 "--import-path <path> (the import path of the repository's top "
				 "directory)", sha);
out:
	if (ret)
		buildmode_release(out);
	strvec_clear(&dirs);
	buf_release(&src);
	return ret;
}

void buildmode_describe(const struct buildmode *m, const char *sha, struct buf *out)
{
	buf_addf(out, "%.12s has no go.mod: built in GOPATH mode as '%s'", sha, m->import_path);
	if (*m->dir)
		buf_addf(out, " (the directory '%s')", m->dir);
	buf_addf(out, ", import path from %s", m->source);
}

int buildmode_place(const struct buildmode *m, const char *tree, const char *workdir,
		    struct buf *go_dir, struct buf *gopath)
{
	struct buf link = BUF_INIT, target = BUF_INIT;
	const char *rest = strcmp(workdir, ".") ? workdir : "";
	size_t dl = strlen(m->dir);
	int ret;

	/* The package directory must lie under the directory the import path names. */
	if (dl && (strncmp(rest, m->dir, dl) || (rest[dl] && rest[dl] != '/')))
		return error_code(PG_EUSAGE, "the package directory '%s' is not under '%s', whose "
				  "import path is '%s'", workdir, m->dir, m->import_path);
	rest += dl;
	while (*rest == '/')
		rest++;
	buf_reset(gopath);
	buf_addf(gopath, "%s/.perfgo-gopath", tree);
	/* A reused tree may hold a link for another import path: start afresh. */
	ret = remove_tree(gopath->buf);
	buf_addf(&link, "%s/src/%s", gopath->buf, m->import_path);
	buf_addstr(&target, link.buf);
	buf_setlen(&target, (size_t)(strrchr(target.buf, '/') - target.buf));
	if (!ret)
		ret = mkdir_p(target.buf, 0755);
	buf_reset(&target);
	buf_addstr(&target, tree);
	if (dl)
		buf_addf(&target, "/%s", m->dir);
	if (!ret && symlink(target.buf, link.buf))
		ret = error_code(PG_EENV, "cannot link '%s' into its GOPATH: %s", target.buf,
				 strerror(errno));
	buf_reset(go_dir);
	buf_addstr(go_dir, link.buf);
	if (*rest)
		buf_addf(go_dir, "/%s", rest);
	buf_release(&link);
	buf_release(&target);
	return ret;
}
