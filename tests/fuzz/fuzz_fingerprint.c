/*
 * libFuzzer target for the runner fingerprint's parsers (runner/probe.c):
 * the input as /proc/cpuinfo text (probe_cpu_model()) and as the output of
 * `go env GOVERSION GOOS GOARCH GOAMD64` (probe_go_env_parse()), then the
 * fingerprint hashed as the store keys it (fingerprint_hash()).  Checked:
 * a cpu model and the go facts are single non-empty lines; the hash is
 * 64 hex digits and ignores the host name (comparability class).
 */
#include "fuzz_common.h"

#include "runner/fingerprint.h"
#include "runner/runner_impl.h"
#include "store/store.h"

static void one_line(const char *s)
{
	if (s && (!*s || strchr(s, '\n')))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size), *h1, *h2;
	struct fingerprint fp;

	fuzz_quiet();
	memset(&fp, 0, sizeof(fp));
	fp.cpu_model = probe_cpu_model(text);
	if (fp.cpu_model && strchr(fp.cpu_model, '\n'))
		abort();
	probe_go_env_parse(&fp, text);
	one_line(fp.go_version);
	one_line(fp.goos);
	one_line(fp.goarch);
	one_line(fp.goamd64);
	h1 = fingerprint_hash(&fp);
	fp.host = strdup("another-host");
	h2 = fingerprint_hash(&fp);
	if (!h1 || !h2 || strlen(h1) != 64 || strspn(h1, "0123456789abcdef") != 64 || strcmp(h1, h2))
		abort();
	free(h1);
	free(h2);
	fingerprint_release(&fp);
	free(text);
	return 0;
}
