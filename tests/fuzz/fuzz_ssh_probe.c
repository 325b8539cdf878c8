/*
 * libFuzzer target for what the ssh runner reads from the remote
 * (runner/): the setup command's output as facts (ssh_parse_facts(): 
 * "key=value" and "cpuinfo=" lines) and the fingerprint fields they give
 * (ssh_facts_fingerprint(), probe_cpu_model()), hashed as the store does
 * (fingerprint_hash()); the os/arch facts through the uname mapping
 * (ssh_go_target_code()); and the input as the end of a job's stderr,
 * where ssh_take_status() looks for the exit marker.  Checked: facts hold
 * no newline; a mapped target is a known GOOS/GOARCH pair; a taken status
 * is 0..999 and the stderr left is a prefix of the input without it.
 */
#include "fuzz_common.h"

#include "runner/fingerprint.h"
#include "runner/ssh_internal.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/strvec.h"

static const char *fact(const struct ssh_state *ss, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = 0; i < ss->facts.nr; i++)
		if (!strncmp(ss->facts.v[i], key, klen) && ss->facts.v[i][klen] == '=')
			return ss->facts.v[i] + klen + 1;
	return "";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ssh_state ss;
	struct fingerprint fp;
	struct buf tail = BUF_INIT;
	const char *goos, *goarch, *goarm;
	char *hash;
	int status = -1;

	fuzz_quiet();
	memset(&ss, 0, sizeof(ss));
	strvec_init(&ss.facts);
	buf_init(&ss.cpuinfo);
	ssh_parse_facts(&ss, (const char *)data, size);
	for (size_t i = 0; i < ss.facts.nr; i++)
		if (strchr(ss.facts.v[i], '\n'))
			abort();
	memset(&fp, 0, sizeof(fp));
	ssh_facts_fingerprint(&ss, &fp);
	if (fp.cpu_model && strchr(fp.cpu_model, '\n'))
		abort();
	hash = fingerprint_hash(&fp);
	if (!hash || !*hash)
		abort();
	free(hash);
	fingerprint_release(&fp);

	if (!ssh_go_target_code(fact(&ss, "os"), fact(&ss, "arch"), &goos, &goarch, &goarm)) {
		if (!goos || !goarch || !*goos || !*goarch)
			abort();
	}

	buf_add(&tail, data, size);
	if (ssh_take_status(&tail, &status)) {
		if (status < 0 || status > 999 || tail.len >= size || memcmp(tail.buf, data, tail.len))
			abort();
	}
	buf_release(&tail);
	strvec_clear(&ss.facts);
	buf_release(&ss.cpuinfo);
	return 0;
}
