#ifndef PERFGO_TEST_COMMON_H
#define PERFGO_TEST_COMMON_H

/*
 * What the unit tests share (tests/unit/common.c, linked into every test):
 *
 *  - capture: perfgo's diagnostics (error(), warning(), note() through
 *    util/usage.h) are collected here instead of printed, so that a test
 *    can assert on their text and on "nothing was printed";
 *  - cmocka setup/teardown functions that only capture;
 *  - private temporary directories and files, removed with all they hold;
 *  - running a child from an argv (no shell) with its stdout collected;
 *  - a few assertions and fixture reading.
 *
 * Include it after <cmocka.h> and its prerequisites.  Tests run from the
 * repository root (tests/run-unit.sh), so fixture paths are relative to it.
 */

#include <stddef.h>

#include "util/buf.h"

/* Every line reported since the last capture_start/reset, joined with '\n'. */
extern struct buf msgs;
/* The last line reported ("" when none) and how many lines there were. */
extern char last_msg[4096];
extern int nmsg;

/*
 * Route reports here, starting empty; capture_stop() routes them back to
 * stderr and frees `msgs` and `failures`.
 */
void capture_start(void);
void capture_stop(void);
/* Forget what was captured so far. */
void capture_reset(void);
/* cmocka fixtures that do only capture_start() and capture_stop(). */
int setup_capture(void **state);
int teardown_capture(void **state);

/*
 * Make a new directory "$TMPDIR/<name>.XXXXXX" (/tmp when TMPDIR is unset
 * or empty) and put its path in `out`.  Returns 0 or -1 (errno set).
 */
int tmpdir_make(char *out, size_t size, const char *name);
/*
 * Make a new file "$TMPDIR/<name>.XXXXXX" holding `b`, its path in `out`.
 * Returns 0 or -1.  The caller unlinks it.
 */
int tmpfile_write(char *out, size_t size, const char *name, const struct buf *b);
/*
 * Remove `path` and everything below it without following symbolic links.
 * A path that does not exist is not an error.  Returns 0 or -1.
 */
int rm_rf(const char *path);

/*
 * Run argv[0] (looked up in PATH; no shell) with argv, in `dir` (NULL: the
 * current directory).  Its stdout is appended to `out`, or discarded when
 * `out` is NULL; its stderr is discarded when `quiet`, else inherited.
 * stdin is /dev/null.  Returns the wait status (0: exited with 0), or -1 if
 * it could not run.
 */
int run_argv(const char *const *argv, const char *dir, struct buf *out, int quiet);

/*
 * Table-driven tests collect every mismatch in `failures` rather than
 * failing at the first: each failing row is listed, and what the code
 * under test allocated is released before cmocka jumps out of the test (so
 * LeakSanitizer reports only real leaks).
 */
extern struct buf failures;
/* Add "case '<row>': <field> is '<got>', want '<want>'" unless equal (NULL equals NULL). */
void check_str(const char *row, const char *field, const char *got, const char *want);
void check_int(const char *row, const char *field, int got, int want);
/*
 * If mismatches were collected, print them and fail the test with
 * "<fmt...>: mismatches listed above".  `failures` is empty afterwards.
 */
void failures_check(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The number of strings before the NULL that ends `argv`. */
int argv_count(const char *const *argv);

/* got == want within a relative 1e-9 (absolute below 1), or fail the test. */
void assert_near(double got, double want);
/* `needle` occurs in `hay`, or fail the test showing both. */
void assert_contains(const char *hay, const char *needle);
/* Read the file at `path` into `out`, or fail the test. */
void read_fixture(struct buf *out, const char *path);
/*
 * `got` equals the golden file at `path`, or fail the test showing the
 * first differing line; with UPDATE_GOLDEN set (not "0"), rewrite the file.
 */
void check_golden_file(const char *path, const struct buf *got);

#endif
