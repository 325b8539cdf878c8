#ifndef PERFGO_USAGE_H
#define PERFGO_USAGE_H

/*
 * Diagnostics and exit codes.
 *
 * Lower layers report a failure once, where it happens, with
 * `return error("...")`, and hand the negative code upwards; layers above
 * propagate it without printing again.  Only main.c and cmd_*.c decide the
 * exit code.  Messages are one line, lowercase, without a final full stop,
 * with the subject in single quotes.
 */

#include <stdarg.h>

#ifdef __GNUC__
#define PG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define PG_NORETURN __attribute__((noreturn))
#else
#define PG_PRINTF(f, a)
#define PG_NORETURN
#endif

/* Exit codes (DESIGN §7). */
enum pg_exit {
	EXIT_OK = 0,          /* success, no regression */
	EXIT_REGRESSION = 1,  /* a regression verdict under --fail-on */
	EXIT_USAGE = 2,       /* bad command line or bad input */
	EXIT_ENV = 3,         /* perf/go/ssh/database missing or failing */
	EXIT_CODE = 4,        /* the code under test failed to build or run */
	EXIT_SIGNAL = 128     /* + signal number */
};

/*
 * Error codes returned by lower layers.  -1 is a generic failure that has
 * already been reported; the others let callers choose an exit code.
 */
enum pg_err {
	PG_ERROR = -1,       /* generic, already reported */
	PG_ENOTFOUND = -2,   /* the named thing does not exist */
	PG_EAMBIGUOUS = -3,  /* a prefix matched several things */
	PG_EPARSE = -4,      /* malformed input */
	PG_EUSAGE = -5,      /* the caller's arguments are wrong */
	PG_EENV = -6,        /* a tool or the environment failed */
	PG_ECODE = -7,       /* the code under test failed */
	PG_EINTR = -8        /* interrupted by a signal */
};

/* Map an enum pg_err to an exit code (PG_ERROR maps to EXIT_ENV). */
int pg_err_exit_code(int err);

/* Print "perfgo: error: ..." and return -1. */
int error(const char *fmt, ...) PG_PRINTF(1, 2);
/* Print "perfgo: error: ..." and return `code` (a negative enum pg_err). */
int error_code(int code, const char *fmt, ...) PG_PRINTF(2, 3);
/* Print "perfgo: warning: ...". */
void warning(const char *fmt, ...) PG_PRINTF(1, 2);
/* Print "perfgo: ..." unless quiet; progress and notes for the user. */
void note(const char *fmt, ...) PG_PRINTF(1, 2);
/* Print "perfgo: ..." only with --verbose. */
void verbose(const char *fmt, ...) PG_PRINTF(1, 2);
/* An impossible state: print and abort. */
PG_NORETURN void BUG_fl(const char *file, int line, const char *fmt, ...)
	PG_PRINTF(3, 4);
#define BUG(...) BUG_fl(__FILE__, __LINE__, __VA_ARGS__)

/* Verbosity: -1 quiet, 0 normal, 1 verbose. */
extern int pg_verbosity;

/*
 * Tests replace the routine that writes a finished message line
 * ("perfgo: error: ...", without newline) to capture diagnostics.
 */
typedef void (*report_fn)(const char *line);
void set_report_routine(report_fn fn);

/* Allocation that never returns NULL: on failure it aborts. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grow an array to hold at least `nr` items (git ALLOC_GROW). */
#define ALLOC_GROW(x, nr, alloc)                                       \
	do {                                                            \
		if ((size_t)(nr) > (alloc)) {                           \
			(alloc) = (alloc) < 8 ? 8 : (alloc) * 2;        \
			if ((alloc) < (size_t)(nr))                     \
				(alloc) = (nr);                         \
			(x) = xrealloc((x), (alloc) * sizeof(*(x)));    \
		}                                                       \
	} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
