/* The names the store writes for run statuses and event states (store_internal.h). */
#include <string.h>

#include "store/store.h"
#include "store/store_internal.h"
#include "util/usage.h"
#include "util/banned.h"

static const char *const status_names[] = {
	[RUN_RUNNING] = "running",
	[RUN_OK] = "ok",
	[RUN_FAILED] = "failed",
	[RUN_INTERRUPTED] = "interrupted",
};

static const char *const event_state_names[] = {
	[EVENT_COUNTED] = "counted",
	[EVENT_UNSUPPORTED] = "unsupported",
	[EVENT_NOT_COUNTED] = "not-counted",
};

const char *run_status_name(enum run_status s)
{
	if ((unsigned)s >= ARRAY_SIZE(status_names))
		return "unknown";
	return status_names[s];
}

enum run_status run_status_parse(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(status_names); i++)
		if (s && !strcmp(s, status_names[i]))
			return (enum run_status)i;
	/* The CHECK constraint forbids this; never let it look complete. */
	return RUN_RUNNING;
}

const char *event_state_name(enum event_state s)
{
	if ((unsigned)s >= ARRAY_SIZE(event_state_names))
		return "unknown";
	return event_state_names[s];
}

enum event_state event_state_parse(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(event_state_names); i++)
		if (s && !strcmp(s, event_state_names[i]))
			return (enum event_state)i;
	return EVENT_NOT_COUNTED;
}
