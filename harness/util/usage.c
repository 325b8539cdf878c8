/*
 * Diagnostics: one line per message on stderr, routed through a
 * replaceable routine so that unit tests can capture what would be shown.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/usage.h"
#include "util/banned.h"

int pg_verbosity;

static void default_report(const char *line)
{
	fprintf(stderr, "%s\n", line);
}

static report_fn report_routine = default_report;

void set_report_routine(report_fn fn)
{
	report_routine = fn ? fn : default_report;
}

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char msg[4096];
	size_t len;
	int n;

	n = snprintf(msg, sizeof(msg), "%s", prefix);
	if (n < 0)
		return;
	len = (size_t)n;
	if (len < sizeof(msg))
		vsnprintf(msg + len, sizeof(msg) - len, fmt, ap);
	/* One message, one line: a newline in a subject must not forge a second. */
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	report_routine(msg);
}

int pg_err_exit_code(int err)
{
	switch (err) {
	case 0:
		return EXIT_OK;
	case PG_ENOTFOUND:
	case PG_EAMBIGUOUS:
	case PG_EUSAGE:
	case PG_EPARSE:
		return EXIT_USAGE;
	case PG_ECODE:
		return EXIT_CODE;
	case PG_EINTR:
		return EXIT_SIGNAL + 2;
	default:
		return EXIT_ENV;
	}
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("perfgo: error: ", fmt, ap);
	va_end(ap);
	return PG_ERROR;
}

int error_code(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("perfgo: error: ", fmt, ap);
	va_end(ap);
	return code;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	if (pg_verbosity < 0)
		return;
	va_start(ap, fmt);
	vreport("perfgo: warning: ", fmt, ap);
	va_end(ap);
}

void note(const char *fmt, ...)
{
	va_list ap;

	if (pg_verbosity < 0)
		return;
	va_start(ap, fmt);
	vreport("perfgo: ", fmt, ap);
	va_end(ap);
}

void verbose(const char *fmt, ...)
{
	va_list ap;

	if (pg_verbosity < 1)
		return;
	va_start(ap, fmt);
	vreport("perfgo: ", fmt, ap);
	va_end(ap);
}

void BUG_fl(const char *file, int line, const char *fmt, ...)
{
	char where[256];
	va_list ap;

	snprintf(where, sizeof(where), "perfgo: BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vreport(where, fmt, ap);
	va_end(ap);
	abort();
}

static void *nomem(size_t n)
{
	fprintf(stderr, "perfgo: error: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	return p ? p : nomem(n);
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	return p ? p : nomem(nmemb * size);
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	return q ? q : nomem(n);
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	return p ? p : nomem(strlen(s) + 1);
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	return p ? p : nomem(n + 1);
}
