/*
 * Helpers the libFuzzer targets share (tests/fuzz/fuzz_*.c include it;
 * not a target itself).  Inputs are arbitrary bytes; these turn them into
 * what the code under test takes: NUL-separated words (an argv), parts
 * split at a separator, C strings.
 */
#ifndef PERFGO_FUZZ_COMMON_H
#define PERFGO_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/usage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Errors and warnings are expected; keep them off the fuzzer's output. */
static inline void fuzz_quiet_line(const char *line)
{
	(void)line;
}

static inline void fuzz_quiet(void)
{
	set_report_routine(fuzz_quiet_line);
}

/*
 * Code that prints straight to stdout or stderr (usage text, "see 'perfgo
 * help'") would flood the fuzzer's log: fuzz_mute() points fds 1 and 2 at
 * /dev/null until fuzz_unmute().  FUZZ_VERBOSE=1 keeps them, to read a
 * crash report from inside a muted call when reproducing it.
 */
#include <fcntl.h>
#include <unistd.h>

static int fuzz_saved_fd[3] = { -1, -1, -1 };

static inline void fuzz_mute(void)
{
	int null;

	if (getenv("FUZZ_VERBOSE") || fuzz_saved_fd[1] >= 0)
		return;
	fflush(stdout);
	fflush(stderr);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null < 0)
		return;
	for (int fd = 1; fd <= 2; fd++) {
		fuzz_saved_fd[fd] = fcntl(fd, F_DUPFD_CLOEXEC, 10);
		dup2(null, fd);
	}
	close(null);
}

static inline void fuzz_unmute(void)
{
	if (fuzz_saved_fd[1] < 0)
		return;
	fflush(stdout);
	fflush(stderr);
	for (int fd = 1; fd <= 2; fd++) {
		dup2(fuzz_saved_fd[fd], fd);
		close(fuzz_saved_fd[fd]);
		fuzz_saved_fd[fd] = -1;
	}
}

/* Words of the input split at NUL bytes, as an argv (argv[argc] == NULL). */
struct fuzz_argv {
	char *text;
	const char **argv;
	int argc;
};

static inline void fuzz_argv_init(struct fuzz_argv *a, const uint8_t *data, size_t size,
				  const char *argv0)
{
	size_t n = 2;

	for (size_t i = 0; i < size; i++)
		n += !data[i];
	a->text = malloc(size + 1);
	a->argv = calloc(n + 1, sizeof(*a->argv));
	if (!a->text || !a->argv)
		abort();
	memcpy(a->text, data, size);
	a->text[size] = '\0';
	a->argc = 0;
	if (argv0)
		a->argv[a->argc++] = argv0;
	for (size_t i = 0; i <= size; ) {
		a->argv[a->argc++] = a->text + i;
		i += strlen(a->text + i) + 1;
	}
	/* An input that ends in NUL has no empty last word. */
	if (size && !data[size - 1])
		a->argc--;
	a->argv[a->argc] = NULL;
}

static inline void fuzz_argv_release(struct fuzz_argv *a)
{
	free(a->text);
	free(a->argv);
}

/* The input as a C string (up to its first NUL); free() it. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
