/*
 * libFuzzer target for revision syntax: side_arg_parse() and
 * side_arg_implied_head() (cmd/compare_sides.c: "run:<sel>", "A...B",
 * a revision) on the input as one argument, then what the parse gives
 * resolved by gitrev_resolve() / gitrev_merge_base() (libgit2's rev-parse:
 * "-x", "@{-1}", "HEAD~3^2", ":/text", ...) in a small repository made at
 * start-up (two commits, branches "main" and "-x", a tag).  Checked: the
 * parts put back together give the argument; a resolved sha is 40 hex
 * digits of one of the repository's commits.
 */
#include "fuzz_common.h"

#include <git2.h>

#include "cmd/compare_sides.h"
#include "git/gitrepo.h"
#include "git/gitrev.h"
#include "util/buf.h"
#include "util/proc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct gitrepo *repo;
static char dir[] = "/tmp/perfgo-fuzz-revs.XXXXXX";

static void cleanup(void)
{
	gitrepo_close(repo);
	remove_tree(dir);
}
static char shas[2][41];

static void git(const char *dir, const char *const *words)
{
	struct proc p;
	struct buf out = BUF_INIT;

	proc_init(&p);
	strvec_pushl(&p.args, "git", "-C", dir, "-c", "user.name=f", "-c", "user.email=f@f.invalid",
		     NULL);
	strvec_pushv(&p.args, words);
	if (proc_capture(&p, &out, NULL))
		abort();
	proc_release(&p);
	buf_release(&out);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	if (!mkdtemp(dir))
		abort();
	atexit(cleanup);
	git(dir, (const char *[]){ "init", "-q", "-b", "main", NULL });
	git(dir, (const char *[]){ "commit", "-q", "--allow-empty", "-m", "one", NULL });
	git(dir, (const char *[]){ "tag", "-a", "v1", "-m", "tag", NULL });
	git(dir, (const char *[]){ "update-ref", "refs/heads/-x", "HEAD", NULL });
	git(dir, (const char *[]){ "commit", "-q", "--allow-empty", "-m", "two", NULL });
	if (gitrepo_open(&repo, dir) || gitrev_resolve(repo, "HEAD~1", shas[0]) ||
	    gitrev_resolve(repo, "HEAD", shas[1]))
		abort();
	return 0;
}

static void check_sha(const char *sha)
{
	if (strlen(sha) != 40 || strspn(sha, "0123456789abcdef") != 40 ||
	    (strcmp(sha, shas[0]) && strcmp(sha, shas[1])))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *arg = fuzz_cstr(data, size), sha[41] = "";
	struct side_arg sa;
	const char *head;
	const char *dots;

	side_arg_parse(arg, &sa);
	head = side_arg_implied_head(arg);
	switch (sa.kind) {
	case SIDE_RUN:
		if (strncmp(arg, "run:", 4) || strcmp(sa.a, arg + 4) || sa.b || head)
			abort();
		break;
	case SIDE_MERGE_BASE:
		/* The first "..." splits; an empty side is HEAD. */
		dots = strstr(arg, "...");
		if (!dots || (dots == arg ? strcmp(sa.a, "HEAD") :
			      strlen(sa.a) != (size_t)(dots - arg) || strncmp(sa.a, arg, strlen(sa.a))) ||
		    strcmp(sa.b, dots[3] ? dots + 3 : "HEAD") || head != (dots[3] ? dots + 3 : NULL))
			abort();
		if (gitrev_merge_base(repo, sa.a, sa.b, sha) == 0)
			check_sha(sha);
		break;
	case SIDE_REV:
		if (strcmp(sa.a, arg) || sa.b || head || strstr(arg, "..."))
			abort();
		if (gitrev_resolve(repo, sa.a, sha) == 0)
			check_sha(sha);
		break;
	default:
		abort();
	}
	side_arg_release(&sa);
	free(arg);
	return 0;
}
