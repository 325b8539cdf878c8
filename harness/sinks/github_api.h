#ifndef PERFGO_GITHUB_API_H
#define PERFGO_GITHUB_API_H

/*
 * A small client of GitHub's REST API over libcurl, for the GitHub sink
 * (github.h): one JSON request at a time, with
 *
 *  - the token in an `Authorization: Bearer` header only: it is never
 *    printed, logged, stored, nor part of any message (curl's verbose
 *    output stays off; errors name the method, the path and the status);
 *  - https:// only (plain http to loopback only, for tests), TLS
 *    verification on (libcurl's defaults, never turned off), a
 *    connect timeout of 10 s and a whole-request timeout of 30 s;
 *  - retries: up to GH_API_TRIES attempts on a transport failure, a 5xx,
 *    a 429, or a 403 that is a secondary rate limit (Retry-After, or
 *    x-ratelimit-remaining: 0); the wait is Retry-After's seconds when
 *    given (at most GH_API_MAX_WAIT_S), else 1 s, 2 s, 4 s, ...;
 *    an interrupting signal stops the waiting.
 */

#include "util/buf.h"

#define GH_API_TRIES 4
#define GH_API_MAX_WAIT_S 60

struct gh_api {
	char *base;             /* "https://api.github.com", no trailing '/' */
	char *auth;             /* the Authorization header line; secret */
	void *curl;             /* CURL * */
	int requests;           /* sent, retries included */
};

/* `base` from GITHUB_API_URL; `token` is copied into the header only. */
int gh_api_init(struct gh_api *a, const char *base, const char *token);
void gh_api_release(struct gh_api *a);

/*
 * METHOD base+path with `body` (JSON, or NULL): 0 with the final HTTP
 * status in *status and the response body in `resp` (whatever the status;
 * the caller decides), or PG_EENV (reported as a warning) when no response came after
 * the retries, or PG_EINTR when a signal stopped the waiting.
 */
int gh_api_request(struct gh_api *a, const char *method, const char *path, const char *body,
		   long *status, struct buf *resp);

#endif
