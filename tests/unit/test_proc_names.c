/*
 * Unit tests for harness/util/proc.c: proc_describe() (a command line as the
 * shell would read it back) and proc_which() (finding a program in PATH).
 * Fixtures: proc_fixture.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "common.h"
#include "util/buf.h"
#include "util/io.h"
#include "util/proc.h"
#include "util/sig.h"
#include "util/usage.h"
#include "proc_fixture.h"

/* ---- describe and which ------------------------------------------------ */

static void test_describe(void **state)
{
	struct fixture *fx = *state;

	set_args(&fx->p, "perf", "stat", "-x,", "-e", "cycles,instructions", "--",
		 "./0.test", "-test.bench=^BenchmarkA$/^n=1\\.5$", "a b", "it's", "", NULL);
	proc_describe(&fx->p, &fx->out);
	assert_string_equal(fx->out.buf,
		"perf stat -x, -e cycles,instructions -- ./0.test "
		"'-test.bench=^BenchmarkA$/^n=1\\.5$' 'a b' 'it'\\''s' ''");
}

/* Make <tmpdir>/<dir>/pgprog: a directory, or a file with `mode`. */
static void make_candidate(const char *dir, int is_dir, mode_t mode)
{
	struct buf p = BUF_INIT;
	int fd;

	buf_addf(&p, "%s/%s", tmpdir, dir);
	assert_int_equal(mkdir(p.buf, 0755), 0);
	buf_addstr(&p, "/pgprog");
	if (is_dir) {
		assert_int_equal(mkdir(p.buf, 0755), 0);
	} else {
		fd = open(p.buf, O_WRONLY | O_CREAT, mode);
		assert_true(fd >= 0);
		close(fd);
	}
	buf_release(&p);
}

static void test_which(void **state)
{
	struct fixture *fx = *state;
	char *old = getenv("PATH") ? xstrdup(getenv("PATH")) : NULL;
	struct buf path = BUF_INIT;
	char *w;

	(void)fx;
	w = proc_which("sh");
	assert_non_null(w);
	assert_true(ends_with(w, "/sh"));
	assert_int_equal(access(w, X_OK), 0);
	free(w);
	w = proc_which("/bin/sh");
	assert_string_equal(w, "/bin/sh");
	free(w);
	assert_null(proc_which("perfgo-no-such-program-x1"));
	assert_null(proc_which("/nonexistent/sh"));

	/* A directory and a non-executable file of that name are skipped. */
	make_candidate("a", 1, 0);
	make_candidate("b", 0, 0644);
	make_candidate("c", 0, 0755);
	buf_addf(&path, "%s/a:%s/b:%s/c", tmpdir, tmpdir, tmpdir);
	setenv("PATH", path.buf, 1);
	w = proc_which("pgprog");
	if (old)
		setenv("PATH", old, 1);
	free(old);
	buf_reset(&path);
	buf_addf(&path, "%s/c/pgprog", tmpdir);
	fx->out.len = 0;
	buf_addstr(&fx->out, path.buf);
	buf_release(&path);
	assert_non_null(w);
	fx->err.len = 0;
	buf_addstr(&fx->err, w);
	free(w);
	assert_string_equal(fx->err.buf, fx->out.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_describe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_which, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
