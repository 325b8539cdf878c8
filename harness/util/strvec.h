#ifndef PERFGO_STRVEC_H
#define PERFGO_STRVEC_H

/*
 * A NULL-terminated array of owned strings, the shape execve() wants
 * (git strvec).  `v` is never NULL: an empty strvec points at a static
 * { NULL }.  Every push copies its argument.
 */

#include <stddef.h>

#include "util/usage.h"

struct strvec {
	const char **v;
	size_t nr;
	size_t alloc;
};

extern const char *strvec_empty[];
#define STRVEC_INIT { strvec_empty, 0, 0 }

void strvec_init(struct strvec *sv);
void strvec_clear(struct strvec *sv);
const char *strvec_push(struct strvec *sv, const char *s);
const char *strvec_pushf(struct strvec *sv, const char *fmt, ...) PG_PRINTF(2, 3);
/* Push each string of a NULL-terminated list. */
void strvec_pushl(struct strvec *sv, ...);
void strvec_pushv(struct strvec *sv, const char *const *v);
/* Remove the last element. */
void strvec_pop(struct strvec *sv);
/* Index of the first element equal to s, or -1. */
int strvec_find(const struct strvec *sv, const char *s);

#endif
