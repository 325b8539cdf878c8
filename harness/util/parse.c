/* Strict number parsing; see parse.h. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/parse.h"
#include "util/usage.h"
#include "util/banned.h"

int parse_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!*s || isspace((unsigned char)*s))
		return PG_EPARSE;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return PG_EPARSE;
	*out = v;
	return 0;
}

int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)*s))
		return PG_EPARSE;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return PG_EPARSE;
	*out = v;
	return 0;
}

int parse_int(const char *s, int *out)
{
	int64_t v;

	if (parse_i64(s, &v) || v < INT_MIN || v > INT_MAX)
		return PG_EPARSE;
	*out = (int)v;
	return 0;
}

int parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (!*s || isspace((unsigned char)*s))
		return PG_EPARSE;
	errno = 0;
	v = strtod(s, &end);
	if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
		return PG_EPARSE;
	if (*end || !isfinite(v))
		return PG_EPARSE;
	*out = v;
	return 0;
}

int parse_double_n(const char *s, size_t len, double *out)
{
	char tmp[128];

	if (!len || len >= sizeof(tmp))
		return PG_EPARSE;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return parse_double(tmp, out);
}
