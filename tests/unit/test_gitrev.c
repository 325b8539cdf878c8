/*
 * gitrepo.c and gitrev.c against real repositories made with the git CLI
 * in a temporary directory: revision syntax, A...B merge bases, ranges,
 * commit facts, materialising trees without touching the user's index or
 * working tree, reuse, crash leftovers, pruning, and shallow clones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "common.h"
#include "util/buf.h"
#include "util/io.h"
#include "git/gitrev.h"
#include "util/usage.h"
#include "session/workspace.h"

static char tmp[4096];
static char repo[4200], shallow[4200], cache[4200];

/* Run a command (argv, no shell) in `dir`, quietly; fail the test if it fails. */
static void run_in(const char *dir, const char *const *argv)
{
	assert_int_equal(run_argv(argv, dir, NULL, 1), 0);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	struct buf p = BUF_INIT, b = BUF_INIT;

	buf_addf(&p, "%s/%s", dir, name);
	buf_addstr(&b, text);
	assert_int_equal(buf_write_file(&b, p.buf), 0);
	buf_release(&p);
	buf_release(&b);
}

static void commit(const char *msg)
{
	const char *add[] = { "git", "add", "-A", NULL };
	const char *ci[] = { "git", "-c", "user.name=t", "-c", "user.email=t@t", "commit",
			     "-q", "-m", msg, NULL };

	run_in(repo, add);
	run_in(repo, ci);
}

static int setup(void **state)
{
	const char *init[] = { "git", "init", "-q", "-b", "main", ".", NULL };
	const char *branch[] = { "git", "branch", "side", "HEAD~1", NULL };
	const char *tag[] = { "git", "tag", "v1", "HEAD~2", NULL };
	struct buf url = BUF_INIT;

	(void)state;
	assert_int_equal(tmpdir_make(tmp, sizeof(tmp), "perfgo-test-gitrev"), 0);
	snprintf(repo, sizeof(repo), "%s/repo", tmp);
	snprintf(shallow, sizeof(shallow), "%s/shallow", tmp);
	snprintf(cache, sizeof(cache), "%s/cache", tmp);
	assert_int_equal(mkdir(repo, 0755), 0);
	run_in(repo, init);
	write_file(repo, "a.txt", "version 1\n");
	commit("first");
	write_file(repo, "a.txt", "version 2\n");
	write_file(repo, "b.txt", "bee\n");
	commit("second");
	write_file(repo, "a.txt", "version 3\n");
	commit("third\n\nbody text");
	run_in(repo, branch);
	run_in(repo, tag);
	buf_addf(&url, "file://%s", repo);
	{
		const char *clone[] = { "git", "clone", "-q", "--depth", "1", url.buf, shallow, NULL };

		run_in(tmp, clone);
	}
	buf_release(&url);
	capture_start();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	capture_stop();
	return rm_rf(tmp);
}

static void test_resolve(void **state)
{
	struct gitrepo *r;
	char head[41], prev[41], v1[41], side[41], abbrev[41], mb[41];
	char prefix[9];

	(void)state;
	assert_int_equal(gitrepo_open(&r, repo), 0);
	assert_int_equal(gitrev_resolve(r, "HEAD", head), 0);
	assert_int_equal(gitrev_resolve(r, "HEAD~1", prev), 0);
	assert_int_equal(gitrev_resolve(r, "v1", v1), 0);
	assert_int_equal(gitrev_resolve(r, "side", side), 0);
	assert_string_equal(side, prev);
	assert_int_equal(strlen(head), 40);
	assert_string_not_equal(head, prev);
	memcpy(prefix, head, 8);
	prefix[8] = '\0';
	assert_int_equal(gitrev_resolve(r, prefix, abbrev), 0);
	assert_string_equal(abbrev, head);
	assert_int_equal(gitrev_merge_base(r, "side", "main", mb), 0);
	assert_string_equal(mb, prev);

	assert_int_equal(gitrev_resolve(r, "nope", abbrev), PG_EUSAGE);
	assert_non_null(strstr(last_msg, "unknown revision 'nope'"));
	assert_int_equal(gitrev_resolve(r, "--output=x", abbrev), PG_EUSAGE);
	assert_non_null(strstr(last_msg, "unknown revision '--output=x'"));
	/* A branch whose name starts with '-', by its short and its full name. */
	{
		const char *mk[] = { "git", "update-ref", "refs/heads/-x", "HEAD~1", NULL };
		const char *rm[] = { "git", "update-ref", "-d", "refs/heads/-x", NULL };
		char dash[41];

		run_in(repo, mk);
		gitrepo_close(r);
		assert_int_equal(gitrepo_open(&r, repo), 0);
		assert_int_equal(gitrev_resolve(r, "-x", dash), 0);
		assert_string_equal(dash, prev);
		assert_int_equal(gitrev_resolve(r, "refs/heads/-x", dash), 0);
		assert_string_equal(dash, prev);
		assert_int_equal(gitrev_resolve(r, "-x~1", dash), 0);
		run_in(repo, rm);
	}
	gitrepo_close(r);
}

static void test_range_and_info(void **state)
{
	struct gitrepo *r;
	struct strvec shas = STRVEC_INIT;
	struct commit_info ci;
	char head[41], prev[41];

	(void)state;
	assert_int_equal(gitrepo_open(&r, repo), 0);
	assert_int_equal(gitrev_resolve(r, "HEAD", head), 0);
	assert_int_equal(gitrev_resolve(r, "HEAD~1", prev), 0);
	assert_int_equal(gitrev_range(r, "v1", "HEAD", 1, &shas), 0);
	assert_int_equal(shas.nr, 2);
	assert_string_equal(shas.v[0], prev);   /* oldest first */
	assert_string_equal(shas.v[1], head);
	assert_int_equal(gitrev_commit_info(r, "HEAD", &ci), 0);
	assert_string_equal(ci.sha, head);
	assert_string_equal(ci.subject, "third");
	assert_string_equal(ci.parents, prev);
	assert_true(ci.time > 1600000000);
	commit_info_release(&ci);
	strvec_clear(&shas);
	gitrepo_close(r);
}

static void read_text(const char *dir, const char *name, struct buf *out)
{
	struct buf p = BUF_INIT;

	buf_reset(out);
	buf_addf(&p, "%s/%s", dir, name);
	assert_int_equal(buf_read_file(out, p.buf, 0), 0);
	buf_release(&p);
}

static void test_materialise(void **state)
{
	struct gitrepo *r;
	struct buf text = BUF_INIT, index_before = BUF_INIT, index_after = BUF_INIT;
	char prev[41], first[41], head[41];
	struct tree_lease l1 = { NULL, -1 }, l2 = { NULL, -1 };
	char *dir = NULL, *dir2 = NULL;
	struct stat st;
	int dirty;

	(void)state;
	/* A dirty working tree and staged change must survive untouched. */
	write_file(repo, "a.txt", "local edit\n");
	read_text(repo, ".git/index", &index_before);
	assert_int_equal(gitrepo_open(&r, repo), 0);
	assert_int_equal(gitrepo_is_dirty(r, &dirty), 0);
	assert_true(dirty);
	assert_int_equal(gitrev_resolve(r, "HEAD~1", prev), 0);
	assert_int_equal(gitrev_resolve(r, "HEAD~2", first), 0);

	assert_int_equal(gitrev_materialise(r, prev, cache, 2, &l1), 0);
	dir = xstrdup(l1.dir);
	tree_lease_release(&l1);
	read_text(dir, "a.txt", &text);
	assert_string_equal(text.buf, "version 2\n");
	read_text(dir, "b.txt", &text);
	assert_string_equal(text.buf, "bee\n");
	read_text(repo, "a.txt", &text);
	assert_string_equal(text.buf, "local edit\n");
	read_text(repo, ".git/index", &index_after);
	assert_int_equal(index_before.len, index_after.len);
	assert_memory_equal(index_before.buf, index_after.buf, index_before.len);

	/* Reuse: a file added by hand stays, proving nothing was rewritten. */
	write_file(dir, "marker-of-reuse", "x");
	assert_int_equal(gitrev_materialise(r, prev, cache, 2, &l2), 0);
	dir2 = xstrdup(l2.dir);
	tree_lease_release(&l2);
	assert_string_equal(dir, dir2);
	assert_int_equal(stat(dir2, &st), 0);
	{
		struct buf p = BUF_INIT;

		buf_addf(&p, "%s/marker-of-reuse", dir2);
		assert_int_equal(access(p.buf, F_OK), 0);
		/* A partial tree (no completion marker) is written again from scratch. */
		buf_reset(&p);
		buf_addf(&p, "%s/.perfgo-complete", dir2);
		assert_int_equal(unlink(p.buf), 0);
		free(dir2);
		assert_int_equal(gitrev_materialise(r, prev, cache, 2, &l2), 0);
		dir2 = xstrdup(l2.dir);
		tree_lease_release(&l2);
		buf_reset(&p);
		buf_addf(&p, "%s/marker-of-reuse", dir2);
		assert_int_not_equal(access(p.buf, F_OK), 0);
		buf_release(&p);
	}
	free(dir2);

	/* Pruning keeps the two most recently used trees. */
	sleep(1);
	assert_int_equal(gitrev_materialise(r, first, cache, 2, &l2), 0);
	tree_lease_release(&l2);
	sleep(1);
	assert_int_equal(gitrev_resolve(r, "HEAD", head), 0);
	assert_int_equal(gitrev_materialise(r, head, cache, 2, &l2), 0);
	assert_int_not_equal(access(dir, F_OK), 0);
	tree_lease_release(&l2);

	gitrepo_close(r);
	free(dir);
	buf_release(&text);
	buf_release(&index_before);
	buf_release(&index_after);
}

/* Set the mtime of <cache_dir>/<sha>/.perfgo-complete. */
static void set_used(const char *cache_dir, const char *sha, time_t sec, long nsec)
{
	struct buf p = BUF_INIT;
	struct timespec ts[2] = { { sec, nsec }, { sec, nsec } };

	buf_addf(&p, "%s/%s/.perfgo-complete", cache_dir, sha);
	assert_int_equal(utimensat(AT_FDCWD, p.buf, ts, 0), 0);
	buf_release(&p);
}

static int tree_exists(const char *cache_dir, const char *sha)
{
	struct buf p = BUF_INIT;
	int ok;

	buf_addf(&p, "%s/%s/a.txt", cache_dir, sha);
	ok = !access(p.buf, F_OK);
	buf_release(&p);
	return ok;
}

/*
 * Pruning orders by the marker's mtime in nanoseconds (two uses in one
 * second do not tie), never removes the tree just materialised, and never
 * removes a tree another user still leases.
 */
static void test_prune_order(void **state)
{
	struct gitrepo *r;
	struct tree_lease l = { NULL, -1 }, held = { NULL, -1 };
	char c1[41], c2[41], c3[41];
	char dir[4300];
	time_t later = time(NULL) + 100;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/prune", tmp);
	assert_int_equal(gitrepo_open(&r, repo), 0);
	assert_int_equal(gitrev_resolve(r, "HEAD~2", c1), 0);
	assert_int_equal(gitrev_resolve(r, "HEAD~1", c2), 0);
	assert_int_equal(gitrev_resolve(r, "HEAD", c3), 0);
	assert_int_equal(gitrev_materialise(r, c1, dir, 8, &l), 0);
	tree_lease_release(&l);
	assert_int_equal(gitrev_materialise(r, c2, dir, 8, &l), 0);
	tree_lease_release(&l);
	/* c2 used later than c1 within one second; both "after" now. */
	set_used(dir, c1, later, 100000000);
	set_used(dir, c2, later, 900000000);
	assert_int_equal(gitrev_materialise(r, c3, dir, 2, &l), 0);
	assert_true(tree_exists(dir, c3));       /* just materialised: kept */
	assert_true(tree_exists(dir, c2));       /* used last */
	assert_false(tree_exists(dir, c1));      /* least recently used */
	tree_lease_release(&l);

	/* A leased tree survives pruning even when it is the oldest. */
	assert_int_equal(gitrev_materialise(r, c2, dir, 2, &held), 0);
	set_used(dir, c2, 1000, 0);
	assert_int_equal(gitrev_materialise(r, c1, dir, 1, &l), 0);
	tree_lease_release(&l);
	assert_true(tree_exists(dir, c2));
	assert_false(tree_exists(dir, c3));
	tree_lease_release(&held);
	/* Released, it goes at the next prune. */
	assert_int_equal(gitrev_materialise(r, c3, dir, 1, &l), 0);
	tree_lease_release(&l);
	assert_false(tree_exists(dir, c2));
	assert_false(tree_exists(dir, c1));
	assert_true(tree_exists(dir, c3));
	gitrepo_close(r);
}

/*
 * A tree left by an older perfgo with an empty marker but files missing
 * (the in-place race) is rebuilt, not reused; a half-built tree left by a
 * killed perfgo is removed.
 */
static void test_materialise_partial(void **state)
{
	struct gitrepo *r;
	struct tree_lease l = { NULL, -1 };
	struct buf p = BUF_INIT, text = BUF_INIT;
	char c2[41];
	char dir[4300];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/partial", tmp);
	assert_int_equal(gitrepo_open(&r, repo), 0);
	assert_int_equal(gitrev_resolve(r, "HEAD~1", c2), 0);
	buf_addf(&p, "%s/%s", dir, c2);
	assert_int_equal(mkdir_p(p.buf, 0755), 0);
	write_file(p.buf, ".perfgo-complete", "");
	write_file(p.buf, "a.txt", "version 2\n");       /* b.txt is missing */
	buf_reset(&p);
	buf_addf(&p, "%s/.build-%.12s-abcdef", dir, c2);
	assert_int_equal(mkdir_p(p.buf, 0755), 0);
	assert_int_equal(gitrev_materialise(r, c2, dir, 8, &l), 0);
	read_text(l.dir, "b.txt", &text);
	assert_string_equal(text.buf, "bee\n");
	read_text(l.dir, ".perfgo-complete", &text);
	assert_true(starts_with(text.buf, "perfgo-tree 2 "));
	assert_int_not_equal(access(p.buf, F_OK), 0);
	tree_lease_release(&l);
	buf_release(&p);
	buf_release(&text);
	gitrepo_close(r);
}

static void test_shallow(void **state)
{
	struct gitrepo *r;
	char sha[41];

	(void)state;
	assert_int_equal(gitrepo_open(&r, shallow), 0);
	assert_true(gitrepo_is_shallow(r));
	assert_int_equal(gitrev_resolve(r, "HEAD", sha), 0);
	assert_int_equal(gitrev_resolve(r, "HEAD~1", sha), PG_EUSAGE);
	assert_non_null(strstr(last_msg, "fetch-depth: 0"));
	gitrepo_close(r);
}

static void test_not_a_repo(void **state)
{
	struct gitrepo *r;

	(void)state;
	assert_int_equal(gitrepo_open(&r, "/"), PG_EUSAGE);
	assert_null(r);
	assert_non_null(strstr(last_msg, "not in a git repository"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_range_and_info),
		cmocka_unit_test(test_materialise),
		cmocka_unit_test(test_prune_order),
		cmocka_unit_test(test_materialise_partial),
		cmocka_unit_test(test_shallow),
		cmocka_unit_test(test_not_a_repo),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
