/* Finding a benchmark's `func` line; see github_locate.h. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "sinks/github_locate.h"
#include "git/gitrev.h"
#include "util/io.h"
#include "util/strvec.h"
#include "util/usage.h"
#include "util/banned.h"

/* The most read of one _test.go file. */
#define LOCATE_MAX_FILE (8 << 20)

/* One `func Benchmark...(` found in a directory. */
struct gh_loc_fn {
	char *name, *file;
	int line;
};

struct gh_loc_dir {
	char *dir;
	struct gh_loc_fn *fn;
	size_t nfn;
};

char *gh_bench_func(const char *name)
{
	/* Identifiers have neither '/' nor '-': the function name ends at either. */
	return xstrndup(name, strcspn(name, "/-"));
}

/* Record every `func Benchmark<ident>(` at the start of a line of `src`. */
static void scan(struct gh_loc_dir *d, const char *file, const char *src, size_t len)
{
	int line = 1;

	for (size_t i = 0; i < len; line++) {
		const char *p = src + i, *nl = memchr(p, '\n', len - i);
		size_t n = nl ? (size_t)(nl - p) : len - i, id;

		if (n > 14 && !memcmp(p, "func Benchmark", 14)) {
			id = 5;
			while (id < n && p[id] != '(' && p[id] != ' ' && p[id] != '[')
				id++;
			if (id < n && p[id] == '(') {
				struct gh_loc_fn *f;

				d->fn = xrealloc(d->fn, (d->nfn + 1) * sizeof(*d->fn));
				f = &d->fn[d->nfn++];
				f->name = xstrndup(p + 5, id - 5);
				f->file = xstrdup(file);
				f->line = line;
			}
		}
		i += n + 1;
	}
}

static void join(struct buf *b, const char *a, const char *c)
{
	buf_reset(b);
	if (*a)
		buf_addf(b, "%s/", a);
	buf_addstr(b, c);
}

/* List and scan the _test.go files of `dir` (relative to the top). */
static void read_dir(struct gh_locator *l, struct gh_loc_dir *d)
{
	struct strvec names = STRVEC_INIT;
	struct buf path = BUF_INIT, src = BUF_INIT;

	if (l->sha) {
		if (gitrev_list_files(l->repo, l->sha, d->dir, &names))
			goto out;
	} else {
		DIR *dh;
		struct dirent *e;

		buf_addf(&path, "%s/%s", l->top, d->dir);
		dh = opendir(path.buf);
		if (!dh)
			goto out;
		while ((e = readdir(dh)))
			strvec_push(&names, e->d_name);
		closedir(dh);
	}
	for (size_t i = 0; i < names.nr; i++) {
		if (!ends_with(names.v[i], "_test.go"))
			continue;
		join(&path, d->dir, names.v[i]);
		buf_reset(&src);
		if (l->sha) {
			if (gitrev_read_file(l->repo, l->sha, path.buf, LOCATE_MAX_FILE, &src))
				continue;
		} else {
			struct buf full = BUF_INIT;
			int rc;

			buf_addf(&full, "%s/%s", l->top, path.buf);
			rc = buf_read_file(&src, full.buf, LOCATE_MAX_FILE);
			buf_release(&full);
			if (rc < 0)
				continue;
		}
		scan(d, path.buf, src.buf ? src.buf : "", src.len);
	}
out:
	strvec_clear(&names);
	buf_release(&path);
	buf_release(&src);
}

static struct gh_loc_dir *get_dir(struct gh_locator *l, const char *dir)
{
	struct gh_loc_dir *d;

	for (size_t i = 0; i < l->ndirs; i++)
		if (!strcmp(l->dirs[i].dir, dir))
			return &l->dirs[i];
	l->dirs = xrealloc(l->dirs, (l->ndirs + 1) * sizeof(*l->dirs));
	d = &l->dirs[l->ndirs++];
	memset(d, 0, sizeof(*d));
	d->dir = xstrdup(dir);
	read_dir(l, d);
	return d;
}

static int find_in(struct gh_locator *l, const char *dir, const char *fn, char **path, int *line)
{
	struct gh_loc_dir *d = get_dir(l, dir);

	for (size_t i = 0; i < d->nfn; i++)
		if (!strcmp(d->fn[i].name, fn)) {
			*path = xstrdup(d->fn[i].file);
			*line = d->fn[i].line;
			return 1;
		}
	return 0;
}

int gh_locate(struct gh_locator *l, const char *pkg, const char *name, char **path, int *line)
{
	const char *wd = l->workdir && strcmp(l->workdir, ".") ? l->workdir : "";
	char *fn = gh_bench_func(name);
	struct buf dir = BUF_INIT;
	int found = 0;

	/* pkg's trailing parts, longest first: under the current directory, then from the top. */
	for (const char *s = pkg; s && *s && !found; s = strchr(s, '/') ? strchr(s, '/') + 1 : NULL) {
		if (*wd) {
			join(&dir, wd, s);
			found = find_in(l, dir.buf, fn, path, line);
		}
		if (!found)
			found = find_in(l, s, fn, path, line);
	}
	if (!found && *wd)
		found = find_in(l, wd, fn, path, line);
	if (!found)
		found = find_in(l, "", fn, path, line);
	buf_release(&dir);
	free(fn);
	return found;
}

void gh_locator_release(struct gh_locator *l)
{
	for (size_t i = 0; i < l->ndirs; i++) {
		for (size_t j = 0; j < l->dirs[i].nfn; j++) {
			free(l->dirs[i].fn[j].name);
			free(l->dirs[i].fn[j].file);
		}
		free(l->dirs[i].fn);
		free(l->dirs[i].dir);
	}
	free(l->dirs);
	l->dirs = NULL;
	l->ndirs = 0;
}
