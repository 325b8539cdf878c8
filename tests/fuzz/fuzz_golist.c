/*
 * libFuzzer target for `go list -json` output parsing
 * (gobuild/gotool.c: gotool_parse_list()): the input is go's stdout, a
 * stream of JSON objects; the first byte says whether the arguments had a
 * pattern.  Checked: on success at least one package, each with an import
 * path, a directory, a name and test files; on failure no package is
 * half-made (the list holds only complete ones).
 */
#include "fuzz_common.h"

#include "gobuild/gotool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gopkg_list l = GOPKG_LIST_INIT;
	int ret;

	if (!size)
		return 0;
	fuzz_quiet();
	ret = gotool_parse_list((const char *)data + 1, size - 1, data[0] & 1, "./...", &l);
	if (ret > 0 || (!ret && !l.nr))
		abort();
	for (size_t i = 0; i < l.nr; i++)
		if (!l.pkgs[i].import_path || !l.pkgs[i].dir || !l.pkgs[i].name ||
		    l.pkgs[i].ntests < 1)
			abort();
	gopkg_list_release(&l);
	return 0;
}
