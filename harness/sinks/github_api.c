/* GitHub's REST API over libcurl; see github_api.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "sinks/github_api.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/banned.h"

/* What the response headers say about retrying. */
struct hdrs {
	long retry_after;       /* seconds, -1: none */
	int exhausted;          /* x-ratelimit-remaining: 0 */
};

static size_t on_body(char *p, size_t size, size_t n, void *data)
{
	buf_add(data, p, size * n);
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *data)
{
	struct hdrs *h = data;
	size_t len = size * n;
	char line[128];

	if (len >= sizeof(line))
		return len;
	memcpy(line, p, len);
	line[len] = '\0';
	if (!strncasecmp(line, "retry-after:", 12))
		h->retry_after = strtol(line + 12, NULL, 10);
	else if (!strncasecmp(line, "x-ratelimit-remaining:", 22))
		h->exhausted = strtol(line + 22, NULL, 10) == 0;
	return len;
}

int gh_api_init(struct gh_api *a, const char *base, const char *token)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(base);

	memset(a, 0, sizeof(*a));
	while (n && base[n - 1] == '/')
		n--;
	/* The token never crosses a network in clear: http:// only to this machine. */
	if (strchr(base, '@') || (!starts_with(base, "https://") &&
	    !starts_with(base, "http://127.0.0.1:") && !starts_with(base, "http://localhost:") &&
	    !starts_with(base, "http://[::1]:")))
		return error_code(PG_EUSAGE, "GITHUB_API_URL '%s' is not https:// (plain http only "
				  "to 127.0.0.1, localhost or [::1]; no user part)", base);
	if (curl_global_init(CURL_GLOBAL_DEFAULT))
		return error_code(PG_EENV, "cannot initialise libcurl");
	a->curl = curl_easy_init();
	if (!a->curl)
		return error_code(PG_EENV, "cannot initialise libcurl");
	a->base = xstrndup(base, n);
	buf_addf(&b, "Authorization: Bearer %s", token);
	a->auth = buf_detach(&b);
	return 0;
}

void gh_api_release(struct gh_api *a)
{
	if (a->curl)
		curl_easy_cleanup(a->curl);
	if (a->auth) {
		/* The secret does not outlive its use. */
		memset(a->auth, 0, strlen(a->auth));
		free(a->auth);
	}
	free(a->base);
	memset(a, 0, sizeof(*a));
}

/* Sleep `s` seconds unless a signal comes: 0 or PG_EINTR. */
static int wait_s(long s)
{
	for (long ms = s * 1000; ms > 0; ms -= 100) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		if (sig_pending())
			return PG_EINTR;
		nanosleep(&ts, NULL);
	}
	return sig_pending() ? PG_EINTR : 0;
}

/* A secondary rate limit: 403 or 429 saying so (docs.github.com, "rate limits"). */
static int rate_limited(long status, const struct hdrs *h, const struct buf *resp)
{
	if (status == 429)
		return 1;
	if (status != 403)
		return 0;
	return h->retry_after >= 0 || h->exhausted ||
		(resp->buf && strstr(resp->buf, "secondary rate limit"));
}

static CURLcode send_once(struct gh_api *a, const char *method, const char *url,
			  const char *body, struct curl_slist *hl, struct hdrs *h,
			  struct buf *resp, long *status)
{
	CURL *c = a->curl;
	CURLcode rc;

	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "perfgo/" PERFGO_VERSION);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	rc = curl_easy_perform(c);
	a->requests++;
	*status = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	return rc;
}

int gh_api_request(struct gh_api *a, const char *method, const char *path, const char *body,
		   long *status, struct buf *resp)
{
	struct curl_slist *hl = NULL;
	struct buf url = BUF_INIT;
	CURLcode rc = CURLE_OK;
	int ret = 0;

	buf_addf(&url, "%s%s", a->base, path);
	hl = curl_slist_append(hl, "Accept: application/vnd.github+json");
	hl = curl_slist_append(hl, "X-GitHub-Api-Version: 2022-11-28");
	hl = curl_slist_append(hl, a->auth);
	if (body)
		hl = curl_slist_append(hl, "Content-Type: application/json");
	for (int attempt = 1;; attempt++) {
		struct hdrs h = { -1, 0 };
		long wait = 1L << (attempt - 1);
		int again;

		buf_reset(resp);
		rc = send_once(a, method, url.buf, body, hl, &h, resp, status);
		again = rc != CURLE_OK || *status >= 500 || rate_limited(*status, &h, resp);
		if (!again || attempt == GH_API_TRIES)
			break;
		if (h.retry_after >= 0)
			wait = h.retry_after;
		if (wait > GH_API_MAX_WAIT_S)
			wait = GH_API_MAX_WAIT_S;
		if (rc != CURLE_OK)
			warning("GitHub API: %s %s: %s; trying again in %lds", method, path,
				curl_easy_strerror(rc), wait);
		else
			warning("GitHub API: %s %s: HTTP %ld%s; trying again in %lds", method, path,
				*status, *status < 500 ? " (rate limited)" : "", wait);
		ret = wait_s(wait);
		if (ret)
			goto out;
	}
	if (rc != CURLE_OK) {
		/* A warning: GitHub's failures never decide perfgo's exit code. */
		warning("GitHub API: %s %s: %s", method, path, curl_easy_strerror(rc));
		ret = PG_EENV;
	}
out:
	curl_slist_free_all(hl);
	buf_release(&url);
	return ret;
}
