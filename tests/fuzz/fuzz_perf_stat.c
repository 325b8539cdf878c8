/*
 * libFuzzer target for harness/perf_stat.c: ps_parse_csv() with each
 * separator perfgo may use, ps_find() and ps_value_base() on what parsed,
 * and ps_split_events() / ps_event_members() on the input as an -e list.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collect/perf_stat.h"
#include "util/strvec.h"
#include "util/usage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(const char *line)
{
	(void)line;
}

static void check_result(const struct ps_result *r)
{
	int is_time;

	for (size_t i = 0; i < r->nr; i++) {
		const struct ps_counter *c = &r->c[i];

		if (!c->event[0] || !c->unit || !c->metric_unit || c->pct_running < 0)
			abort();
		if (!ps_find(r, c->event))
			abort();
		ps_value_base(c, &is_time);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char seps[] = { ',', ';', '\t' };
	struct strvec ev = STRVEC_INIT, members = STRVEC_INIT;
	char *spec;

	set_report_routine(quiet);
	for (size_t i = 0; i < sizeof(seps); i++) {
		struct ps_result r = PS_RESULT_INIT;

		ps_parse_csv((const char *)data, size, seps[i], "fuzz", &r);
		check_result(&r);
		ps_result_release(&r);
	}

	/* As an event list: a C string, so stop at the first NUL. */
	spec = malloc(size + 1);
	if (!spec)
		return 0;
	memcpy(spec, data, size);
	spec[size] = '\0';
	if (!ps_split_events(spec, &ev)) {
		for (size_t i = 0; i < ev.nr; i++) {
			if (!ev.v[i][0])
				abort();
			ps_event_members(ev.v[i], &members);
		}
	}
	ps_event_members(spec, &members);
	strvec_clear(&ev);
	strvec_clear(&members);
	free(spec);
	return 0;
}
