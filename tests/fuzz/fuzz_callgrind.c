/*
 * libFuzzer target for harness/collect/callgrind.c: cg_parse() on any
 * input, and cg_count() for every event of what parsed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "collect/callgrind.h"
#include "util/usage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(const char *line)
{
	(void)line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cg_result r = CG_RESULT_INIT;

	set_report_routine(quiet);
	if (cg_parse((const char *)data, size, "fuzz", &r)) {
		if (r.nr || r.creator)
			abort();      /* a failed parse leaves nothing behind */
		return 0;
	}
	if (!r.nr || r.nr > CG_MAX_EVENTS)
		abort();
	for (size_t i = 0; i < r.nr; i++) {
		uint64_t v;

		if (!r.event[i] || cg_count(&r, r.event[i], &v))
			abort();
	}
	cg_result_release(&r);
	return 0;
}
