/*
 * libFuzzer target for the c2c parser (collect/c2c_parse.c, c2c_pareto.c):
 * c2c_parse() on the input, then the verdict and all three reporters over
 * whatever parsed, checking the invariants the reporters rely on.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "collect/c2c_parse.h"
#include "c2c_report.h"
#include "util/usage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(const char *line)
{
	(void)line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct c2c_report r;
	struct c2c_analysis a;
	struct buf out = BUF_INIT;

	set_report_routine(quiet);
	c2c_report_init(&r);
	c2c_parse((const char *)data, size, "fuzz", &r);
	c2c_analyse(&r, &a);
	if (a.nr != r.nr || a.nfalse + a.ntrue > a.nr)
		abort();
	for (size_t i = 0; i < r.nr; i++) {
		if (a.v[i].noffs > r.lines[i].nrows || a.v[i].ncontended > a.v[i].noffs)
			abort();
		for (size_t j = 0; j < r.lines[i].nrows; j++)
			if (!r.lines[i].rows[j].symbol || !r.lines[i].rows[j].source)
				abort();
	}
	c2c_report_text(&out, &r, &a, 0);
	c2c_report_markdown(&out, &r, &a, 0);
	c2c_report_json(&out, &r, &a);
	buf_release(&out);
	c2c_analysis_release(&a);
	c2c_report_release(&r);
	return 0;
}
