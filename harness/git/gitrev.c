/* Revisions, commits and trees through libgit2; see gitrev.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/strvec.h"
#include "git/gitrev.h"
#include "git/gitrepo_internal.h"
#include "util/io.h"
#include "util/usage.h"
#include "util/banned.h"

#define COMPLETE_MARKER ".perfgo-complete"

static int resolve_commit(struct gitrepo *r, const char *rev, git_commit **out)
{
	git_object *obj = NULL;
	int rc;

	*out = NULL;
	/*
	 * A revision reaches here as a positional argument (after
	 * --end-of-options when it starts with '-', e.g. a branch '-x') and
	 * goes to libgit2, never to a command line: no option to inject.
	 */
	if (!*rev)
		return error_code(PG_EUSAGE, "bad revision '%s'", rev);
	rc = git_revparse_single(&obj, r->repo, rev);
	if (rc < 0) {
		if (gitrepo_is_shallow(r))
			return error_code(PG_EUSAGE, "unknown revision '%s' in a shallow clone: "
					  "fetch the history (actions/checkout: 'fetch-depth: 0', "
					  "or 'git fetch --unshallow')", rev);
		if (rc == GIT_ENOTFOUND)
			return error_code(PG_EUSAGE, "unknown revision '%s'", rev);
		if (rc == GIT_EAMBIGUOUS)
			return error_code(PG_EUSAGE, "ambiguous revision '%s': give more of the hash", rev);
		return error_code(PG_EUSAGE, "bad revision '%s': %s", rev, gitrepo_errmsg());
	}
	rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return error_code(PG_EUSAGE, "revision '%s' is not a commit", rev);
	return 0;
}

int gitrev_lookup(struct gitrepo *r, const char *rev, char sha_out[41])
{
	git_object *obj = NULL;
	git_commit *c = NULL;
	int ok = *rev && git_revparse_single(&obj, r->repo, rev) == 0 &&
		 git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT) == 0;

	git_object_free(obj);
	if (!ok)
		return PG_ENOTFOUND;
	git_oid_tostr(sha_out, 41, git_commit_id(c));
	git_commit_free(c);
	return 0;
}

int gitrev_resolve(struct gitrepo *r, const char *rev, char sha_out[41])
{
	git_commit *c;
	int ret = resolve_commit(r, rev, &c);

	if (ret)
		return ret;
	git_oid_tostr(sha_out, 41, git_commit_id(c));
	git_commit_free(c);
	return 0;
}

int gitrev_merge_base(struct gitrepo *r, const char *a, const char *b, char sha_out[41])
{
	git_commit *ca = NULL, *cb = NULL;
	git_oid base;
	int ret, rc;

	ret = resolve_commit(r, a, &ca);
	if (!ret)
		ret = resolve_commit(r, b, &cb);
	if (ret)
		goto out;
	rc = git_merge_base(&base, r->repo, git_commit_id(ca), git_commit_id(cb));
	if (rc == GIT_ENOTFOUND)
		ret = error_code(PG_EUSAGE, "'%s' and '%s' have no common ancestor%s", a, b,
				 gitrepo_is_shallow(r) ? " in this shallow clone: fetch the history "
				 "(actions/checkout: 'fetch-depth: 0')" : "");
	else if (rc < 0)
		ret = error_code(PG_EENV, "cannot find the merge base of '%s' and '%s': %s",
				 a, b, gitrepo_errmsg());
	else
		git_oid_tostr(sha_out, 41, &base);
out:
	git_commit_free(ca);
	git_commit_free(cb);
	return ret;
}

int gitrev_range(struct gitrepo *r, const char *a, const char *b, int first_parent,
		 struct strvec *shas_out)
{
	git_commit *ca = NULL, *cb = NULL;
	git_revwalk *walk = NULL;
	git_oid oid;
	int ret, rc;

	ret = resolve_commit(r, a, &ca);
	if (!ret)
		ret = resolve_commit(r, b, &cb);
	if (ret)
		goto out;
	if (git_revwalk_new(&walk, r->repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(walk, git_commit_id(cb)) < 0 ||
	    git_revwalk_hide(walk, git_commit_id(ca)) < 0) {
		ret = error_code(PG_EENV, "cannot walk '%s..%s': %s", a, b, gitrepo_errmsg());
		goto out;
	}
	if (first_parent)
		git_revwalk_simplify_first_parent(walk);
	while (!(rc = git_revwalk_next(&oid, walk))) {
		char hex[41];

		git_oid_tostr(hex, sizeof(hex), &oid);
		strvec_push(shas_out, hex);
	}
	if (rc != GIT_ITEROVER)
		ret = error_code(PG_EUSAGE, "cannot walk '%s..%s': %s%s", a, b, gitrepo_errmsg(),
				 gitrepo_is_shallow(r) ? " (shallow clone: use 'fetch-depth: 0')" : "");
out:
	git_revwalk_free(walk);
	git_commit_free(ca);
	git_commit_free(cb);
	return ret;
}

int gitrev_first_parents(struct gitrepo *r, const char *rev, size_t max,
			 struct strvec *shas_out)
{
	git_commit *c = NULL;
	git_revwalk *walk = NULL;
	struct strvec rev_order = STRVEC_INIT;
	git_oid oid;
	int ret, rc;

	ret = resolve_commit(r, rev, &c);
	if (ret)
		return ret;
	if (git_revwalk_new(&walk, r->repo) < 0 ||
	    git_revwalk_push(walk, git_commit_id(c)) < 0) {
		ret = error_code(PG_EENV, "cannot walk '%s': %s", rev, gitrepo_errmsg());
		goto out;
	}
	git_revwalk_simplify_first_parent(walk);
	while ((!max || rev_order.nr < max) && !(rc = git_revwalk_next(&oid, walk))) {
		char hex[41];

		git_oid_tostr(hex, sizeof(hex), &oid);
		strvec_push(&rev_order, hex);
	}
	for (size_t i = rev_order.nr; i-- > 0;)
		strvec_push(shas_out, rev_order.v[i]);
out:
	strvec_clear(&rev_order);
	git_revwalk_free(walk);
	git_commit_free(c);
	return ret;
}

int gitrev_commit_info(struct gitrepo *r, const char *sha, struct commit_info *out)
{
	git_commit *c;
	const char *summary;
	struct buf parents = BUF_INIT;
	int ret = resolve_commit(r, sha, &c);

	memset(out, 0, sizeof(*out));
	if (ret)
		return ret;
	git_oid_tostr(out->sha, sizeof(out->sha), git_commit_id(c));
	for (unsigned i = 0; i < git_commit_parentcount(c); i++) {
		char hex[41];

		git_oid_tostr(hex, sizeof(hex), git_commit_parent_id(c, i));
		buf_addf(&parents, "%s%s", i ? " " : "", hex);
	}
	out->parents = buf_detach(&parents);
	out->time = (long long)git_commit_time(c);
	summary = git_commit_summary(c);
	out->subject = xstrdup(summary ? summary : "");
	git_commit_free(c);
	return 0;
}

void commit_info_release(struct commit_info *ci)
{
	free(ci->parents);
	free(ci->subject);
	memset(ci, 0, sizeof(*ci));
}

/* The tree of `sha`, or the subtree at `dir` ("" for the top); PG_ENOTFOUND unreported. */
static int commit_tree_at(struct gitrepo *r, const char *sha, const char *dir, git_tree **out)
{
	git_commit *c = NULL;
	git_tree *top = NULL;
	git_tree_entry *e = NULL;
	int ret = resolve_commit(r, sha, &c);

	*out = NULL;
	if (ret)
		return ret;
	if (git_commit_tree(&top, c) < 0) {
		ret = error_code(PG_EENV, "cannot read the tree of %.12s: %s", sha, gitrepo_errmsg());
		goto out;
	}
	if (!*dir) {
		*out = top;
		top = NULL;
	} else if (git_tree_entry_bypath(&e, top, dir) < 0 ||
		   git_tree_entry_type(e) != GIT_OBJECT_TREE ||
		   git_tree_lookup(out, r->repo, git_tree_entry_id(e)) < 0) {
		ret = PG_ENOTFOUND;
	}
out:
	git_tree_entry_free(e);
	git_tree_free(top);
	git_commit_free(c);
	return ret;
}

int gitrev_read_file(struct gitrepo *r, const char *sha, const char *path, size_t cap,
		     struct buf *out)
{
	git_tree *top = NULL;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	int ret = commit_tree_at(r, sha, "", &top);

	if (ret)
		return ret;
	if (git_tree_entry_bypath(&e, top, path) < 0 || git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
	    git_blob_lookup(&blob, r->repo, git_tree_entry_id(e)) < 0) {
		ret = PG_ENOTFOUND;
	} else {
		size_t n = (size_t)git_blob_rawsize(blob);

		buf_add(out, git_blob_rawcontent(blob), n < cap ? n : cap);
	}
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(top);
	return ret;
}

int gitrev_list_files(struct gitrepo *r, const char *sha, const char *dir, struct strvec *names)
{
	git_tree *t = NULL;
	int ret = commit_tree_at(r, sha, dir, &t);

	if (ret)
		return ret;
	for (size_t i = 0; i < git_tree_entrycount(t); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);

		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB)
			strvec_push(names, git_tree_entry_name(e));
	}
	git_tree_free(t);
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) && errno != ENOENT ? -1 : 0;
}

int remove_tree(const char *path)
{
	if (access(path, F_OK))
		return 0;
	if (nftw(path, rm_entry, 32, FTW_DEPTH | FTW_PHYS))
		return error("cannot remove '%s': %s", path, strerror(errno));
	return 0;
}

/*
 * Write the commit's tree into the empty directory `dest`.  The baseline is
 * an empty in-memory index, so every file is written whatever the user's
 * index holds, and GIT_CHECKOUT_DONT_UPDATE_INDEX keeps the user's index
 * untouched (without it libgit2 rewrites the repository's index).
 */
static int export_tree(struct gitrepo *r, const char *sha, const char *dest)
{
	git_commit *c = NULL;
	git_index *empty = NULL;
	git_checkout_options co;
	int ret = resolve_commit(r, sha, &c);

	if (ret)
		return ret;
	if (git_index_new(&empty) < 0) {
		ret = error_code(PG_EENV, "cannot create an index: %s", gitrepo_errmsg());
		goto out;
	}
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DONT_UPDATE_INDEX |
			       GIT_CHECKOUT_DONT_WRITE_INDEX;
	co.target_directory = dest;
	co.baseline_index = empty;
	if (git_checkout_tree(r->repo, (const git_object *)c, &co) < 0)
		ret = error_code(PG_EENV, "cannot check out %.12s into '%s': %s", sha, dest,
				 gitrepo_errmsg());
out:
	git_index_free(empty);
	git_commit_free(c);
	return ret;
}

/*
 * The completion marker names the commit and the number of files checked:
 * a tree is reused only when its marker says so.  (perfgo before this
 * format built trees in place and could leave an empty marker on a partial
 * tree; such trees are rebuilt.)
 */
#define MARKER_MAGIC "perfgo-tree 2 "

struct verify_ctx {
	const char *dest;
	size_t files;
	int bad;
};

static int verify_entry(const char *root, const git_tree_entry *e, void *data)
{
	struct verify_ctx *v = data;
	git_filemode_t mode = git_tree_entry_filemode(e);
	struct buf p = BUF_INIT;
	struct stat st;
	int ok;

	if (mode == GIT_FILEMODE_TREE || mode == GIT_FILEMODE_COMMIT)
		return 0;
	buf_addf(&p, "%s/%s%s", v->dest, root, git_tree_entry_name(e));
	ok = !lstat(p.buf, &st) &&
	     (mode == GIT_FILEMODE_LINK ? S_ISLNK(st.st_mode) : S_ISREG(st.st_mode));
	if (!ok && !v->bad)
		error("checkout of '%s' is incomplete: '%s%s' is missing", v->dest, root,
		      git_tree_entry_name(e));
	v->bad |= !ok;
	v->files++;
	buf_release(&p);
	return ok ? 0 : -1;
}

/* Every file of the commit's tree is in `dest`; the count in *files. */
static int verify_tree(struct gitrepo *r, const char *sha, const char *dest, size_t *files)
{
	struct verify_ctx v = { dest, 0, 0 };
	git_commit *c = NULL;
	git_tree *t = NULL;
	int ret = resolve_commit(r, sha, &c);

	if (ret)
		return ret;
	if (git_commit_tree(&t, c) < 0)
		ret = error_code(PG_EENV, "cannot read the tree of %.12s: %s", sha, gitrepo_errmsg());
	else if (git_tree_walk(t, GIT_TREEWALK_PRE, verify_entry, &v) < 0 || v.bad)
		ret = v.bad ? PG_EENV : error_code(PG_EENV, "cannot walk the tree of %.12s: %s",
						   sha, gitrepo_errmsg());
	*files = v.files;
	git_tree_free(t);
	git_commit_free(c);
	return ret;
}

/* 1 when `marker` is a completion marker for `sha`. */
static int marker_ok(const char *marker, const char *sha)
{
	struct buf text = BUF_INIT, want = BUF_INIT;
	int ok;

	buf_addf(&want, MARKER_MAGIC "%s ", sha);
	ok = !access(marker, F_OK) && !buf_read_file(&text, marker, 4096) &&
	     text.len > want.len && !memcmp(text.buf, want.buf, want.len);
	buf_release(&text);
	buf_release(&want);
	return ok;
}

/* Remove what a killed perfgo left half built; the cache lock is held. */
static void sweep_builds(const char *cache_dir)
{
	DIR *d = opendir(cache_dir);
	struct dirent *e;
	struct strvec stale = STRVEC_INIT;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, ".build-", 7)) {
			struct buf p = BUF_INIT;

			buf_addf(&p, "%s/%s", cache_dir, e->d_name);
			strvec_push(&stale, p.buf);
			buf_release(&p);
		}
	closedir(d);
	for (size_t i = 0; i < stale.nr; i++)
		remove_tree(stale.v[i]);
	strvec_clear(&stale);
}

/* Check out `sha` aside, verify it, and rename it to `dir`; the lock is held. */
static int build_tree(struct gitrepo *r, const char *sha, const char *cache_dir, const char *dir)
{
	struct buf tmp = BUF_INIT, marker = BUF_INIT, text = BUF_INIT;
	size_t files = 0;
	int ret = 0;

	buf_addf(&tmp, "%s/.build-%.12s-XXXXXX", cache_dir, sha);
	if (!mkdtemp(tmp.buf)) {
		ret = error("cannot create '%s': %s", tmp.buf, strerror(errno));
		goto out;
	}
	ret = export_tree(r, sha, tmp.buf);
	if (!ret)
		ret = verify_tree(r, sha, tmp.buf, &files);
	if (!ret) {
		buf_addf(&marker, "%s/" COMPLETE_MARKER, tmp.buf);
		buf_addf(&text, MARKER_MAGIC "%s %zu\n", sha, files);
		ret = buf_write_file(&text, marker.buf);
	}
	/* An old partial tree (no valid marker) is nobody's: replace it. */
	if (!ret)
		ret = remove_tree(dir);
	if (!ret && rename(tmp.buf, dir))
		ret = error("cannot rename '%s' to '%s': %s", tmp.buf, dir, strerror(errno));
	if (ret)
		remove_tree(tmp.buf);
out:
	buf_release(&tmp);
	buf_release(&marker);
	buf_release(&text);
	return ret;
}

void tree_lease_release(struct tree_lease *t)
{
	if (t->dir)
		close(t->fd);
	free(t->dir);
	t->dir = NULL;
	t->fd = -1;
}

static int lock_fd(int fd, int how)
{
	int rc;

	while ((rc = flock(fd, how)) && errno == EINTR)
		;
	return rc;
}

struct tree_age {
	char *path;
	struct timespec used;
};

static int cmp_age(const void *a, const void *b)
{
	const struct tree_age *x = a, *y = b;

	if (x->used.tv_sec != y->used.tv_sec)
		return (x->used.tv_sec > y->used.tv_sec) - (x->used.tv_sec < y->used.tv_sec);
	return (x->used.tv_nsec > y->used.tv_nsec) - (x->used.tv_nsec < y->used.tv_nsec);
}

/* Remove `path` unless another perfgo holds its marker (a tree in use). */
static void prune_one(const char *path)
{
	struct buf m = BUF_INIT;
	int fd;

	buf_addf(&m, "%s/" COMPLETE_MARKER, path);
	fd = open(m.buf, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !lock_fd(fd, LOCK_EX | LOCK_NB))
		remove_tree(path);
	if (fd >= 0)
		close(fd);
	buf_release(&m);
}

/*
 * Keep the `keep` most recently used trees in cache_dir, never `current`
 * (just materialised) nor a tree another perfgo is using.  The cache lock
 * is held.
 */
static void prune(const char *cache_dir, int keep, const char *current)
{
	DIR *d = opendir(cache_dir);
	struct tree_age *t = NULL;
	size_t nr = 0, alloc = 0;
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct buf p = BUF_INIT;
		struct stat st;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, current))
			continue;
		buf_addf(&p, "%s/%s/" COMPLETE_MARKER, cache_dir, e->d_name);
		if (stat(p.buf, &st))
			st.st_mtim.tv_sec = st.st_mtim.tv_nsec = 0;
		buf_reset(&p);
		buf_addf(&p, "%s/%s", cache_dir, e->d_name);
		ALLOC_GROW(t, nr + 1, alloc);
		t[nr].path = buf_detach(&p);
		t[nr].used = st.st_mtim;
		nr++;
	}
	closedir(d);
	if (nr)
		qsort(t, nr, sizeof(*t), cmp_age);
	for (size_t i = 0; i < nr; i++) {
		/* `current` counts as one of the `keep`. */
		if (nr - i + 1 > (size_t)keep)
			prune_one(t[i].path);
		free(t[i].path);
	}
	free(t);
}

int gitrev_materialise(struct gitrepo *r, const char *sha, const char *cache_dir,
		       int keep, struct tree_lease *out)
{
	struct buf dir = BUF_INIT, marker = BUF_INIT, lock = BUF_INIT;
	int lfd = -1, fd = -1, ret;

	out->dir = NULL;
	out->fd = -1;
	buf_addf(&dir, "%s/%s", cache_dir, sha);
	buf_addf(&marker, "%s/" COMPLETE_MARKER, dir.buf);
	buf_addf(&lock, "%s/.lock", cache_dir);
	ret = mkdir_p(cache_dir, 0755);
	if (ret)
		goto out;
	lfd = open(lock.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lfd < 0 || lock_fd(lfd, LOCK_EX)) {
		ret = error("cannot lock '%s': %s", lock.buf, strerror(errno));
		goto out;
	}
	sweep_builds(cache_dir);
	if (marker_ok(marker.buf, sha))
		/* Reuse; touching the marker records the use for pruning. */
		utimensat(AT_FDCWD, marker.buf, NULL, 0);
	else
		ret = build_tree(r, sha, cache_dir, dir.buf);
	if (ret)
		goto out;
	/* Held until the caller is done: pruning leaves the tree alone. */
	fd = open(marker.buf, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || lock_fd(fd, LOCK_SH)) {
		ret = error("cannot lock '%s': %s", marker.buf, strerror(errno));
		goto out;
	}
	prune(cache_dir, keep, sha);
	out->dir = buf_detach(&dir);
	out->fd = fd;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	if (lfd >= 0)
		close(lfd);
	buf_release(&dir);
	buf_release(&marker);
	buf_release(&lock);
	return ret;
}
