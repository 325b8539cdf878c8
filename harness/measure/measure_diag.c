/* Explaining a failed job; see measure_diag.h. */
#include <string.h>

#include "measure/measure_diag.h"
#include "util/parse.h"
#include "util/usage.h"
#include "util/banned.h"

/*
 * Show the end of a failed job's stdout and stderr: that is where Go says
 * why (a --- FAIL with its log lines, a panic and its stack, a bad flag).
 */
void measure_show_tail(const struct buf *tail, size_t max_lines)
{
	const char *s = tail->buf;
	size_t lines = 0, i = tail->len;

	while (i > 0 && lines <= max_lines)
		if (tail->buf[--i] == '\n')
			lines++;
	if (lines > max_lines)
		s = tail->buf + i + 1;
	fputs(s, stderr);
	if (tail->len && tail->buf[tail->len - 1] != '\n')
		fputc('\n', stderr);
}

/* The line a wrapper (perf) prints when the workload died by a signal ("x.test: Killed"). */
void measure_signal_line(const char *err, struct buf *out)
{
	static const char *const words[] = { "Killed", "Terminated", "Segmentation fault",
		"Aborted", "Bus error", "Illegal instruction", "Floating point exception",
		"Interrupt", "Hangup", "Quit", "Trace/breakpoint trap" };

	for (const char *l = err; *l; ) {
		size_t len = strcspn(l, "\n");

		for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
			size_t wl = strlen(words[i]);

			if (len >= wl + 2 && !memcmp(l + len - wl, words[i], wl) &&
			    l[len - wl - 1] == ' ' && l[len - wl - 2] == ':') {
				buf_add(out, words[i], wl);
				return;
			}
		}
		l += len + (l[len] == '\n');
	}
}

/* Is the flag the test binary names ("-format") one of `own` ("--format=json")? */
static const char *own_flag(const struct strvec *own, const char *flag, size_t len)
{
	size_t dashes = strspn(flag, "-");

	if (dashes > len)
		return NULL;
	flag += dashes;
	len -= dashes;
	for (size_t i = 0; own && i < own->nr; i++) {
		const char *w = own->v[i] + strspn(own->v[i], "-");
		size_t wl = strcspn(w, "=");

		if (wl == len && !memcmp(w, flag, wl))
			return own->v[i];
	}
	return NULL;
}

/*
 * The test binary's own one-line verdict on its arguments (Go 1.19: "flag
 * provided but not defined: -bnech" or "invalid value \"x\" for flag
 * -test.count: ..." before its usage, "testing: invalid regexp for ...",
 * "testing: invalid value ... for -test.cpu"): the user's arguments are
 * wrong, not the code under test.  PG_EUSAGE with that line, or 0.
 */
int measure_flag_diagnosis(const char *err, const char *pkg, const struct strvec *own)
{
	static const char undefined[] = "flag provided but not defined: ";
	static const char *const flagpkg[] = { undefined, "invalid value ", "invalid boolean value ",
		"invalid boolean flag ", "flag needs an argument: ", "bad flag syntax: " };

	for (const char *l = err; *l; ) {
		size_t len = strcspn(l, "\n");
		const char *next = l + len + (l[len] == '\n');

		if (starts_with(l, "testing: invalid regexp for ") || starts_with(l, "testing: invalid value "))
			return error_code(PG_EUSAGE, "the test binary of '%s' rejects its arguments: %.*s",
					  pkg, (int)len, l);
		for (size_t i = 0; i < ARRAY_SIZE(flagpkg); i++) {
			const char *flag, *word;

			/* The flag package prints its usage right after. */
			if (!starts_with(l, flagpkg[i]) || !starts_with(next, "Usage of "))
				continue;
			flag = l + strlen(undefined);
			if (i == 0 && (word = own_flag(own, flag, len - strlen(undefined))))
				return error_code(PG_EUSAGE, "'%s' is a perfgo option, not a flag of the test "
						  "binary of '%s': write it before the package (and before '--')",
						  word, pkg);
			return error_code(PG_EUSAGE, "the test binary of '%s' rejects its arguments: %.*s",
					  pkg, (int)len, l);
		}
		l = next;
	}
	return 0;
}

