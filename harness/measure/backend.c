/* The table of measurement backends; see backend.h. */
#include <string.h>

#include "measure/backend.h"
#include "util/banned.h"

static const struct backend *const backend_table[] = {
	&backend_perf_stat,
	&backend_perf_record,
};

const struct backend *backend_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(backend_table); i++)
		if (!strcmp(backend_table[i]->name, name))
			return backend_table[i];
	return NULL;
}
