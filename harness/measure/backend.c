/* The table of measurement backends; see backend.h. */
#include <stdlib.h>
#include <string.h>

#include "measure/backend.h"
#include "util/usage.h"
#include "util/banned.h"

static const struct backend *const backend_table[] = {
	&backend_perf_stat,
	&backend_callgrind,
	&backend_perf_record,
};

const struct backend *backend_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(backend_table); i++)
		if (!strcmp(backend_table[i]->name, name))
			return backend_table[i];
	return NULL;
}

int counters_parse(const char *word, enum counters *out)
{
	const char *from = "--counters";

	if (!word) {
		word = getenv("PERFGO_COUNTERS");
		from = "PERFGO_COUNTERS";
	}
	if (!word || !*word || !strcmp(word, "auto"))
		*out = COUNTERS_AUTO;
	else if (!strcmp(word, "perf"))
		*out = COUNTERS_PERF;
	else if (!strcmp(word, "sim"))
		*out = COUNTERS_SIM;
	else
		return error_code(PG_EUSAGE, "bad %s '%s': perf, sim or auto", from, word);
	return 0;
}
