/*
 * libFuzzer target for harness/gobench.c: gb_parse() on the whole input,
 * gb_classify_line() and gb_parse_result() on each line, and the lookups
 * and regexp quoting on whatever parsed.  The input is arbitrary bytes:
 * NULs, no final newline, CRs, overlong fields.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "collect/gobench.h"
#include "util/usage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(const char *line)
{
	(void)line;
}

static void check_file(const struct gb_file *f)
{
	struct buf re = BUF_INIT;

	for (size_t i = 0; i < f->nr; i++) {
		const struct gb_result *r = &f->results[i];

		if (!r->nvalues || !r->iters || r->procs < 1 || r->config >= f->nconfigs ||
		    strncmp(r->name, r->base, strlen(r->base)))
			abort();
		for (size_t j = 0; j < r->nvalues; j++) {
			gb_unit_find(f, r->values[j].unit);
			gb_unit_default_better(r->values[j].unit);
		}
		gb_config_get(f, r, "goos");
		buf_reset(&re);
		gb_bench_regexp(&re, r->base);
		if (re.len < 2 || re.buf[0] != '^' || re.buf[re.len - 1] != '$')
			abort();
	}
	buf_release(&re);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *p, *nl, *end = text + size;
	struct gb_file f = GB_FILE_INIT;
	struct gb_result r;
	char *name;

	set_report_routine(quiet);
	gb_parse(text, size, "fuzz", &f);
	check_file(&f);
	gb_file_release(&f);

	for (p = text; p < end; p = nl + 1) {
		size_t len;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		len = (size_t)(nl - p);
		switch (gb_classify_line(p, len, &name)) {
		case GB_START:
		case GB_BENCH_FAIL:
			if (!name)
				abort();
			break;
		case GB_RESULT:
			if (name || gb_parse_result(p, len, 0, &r))
				abort();
			gb_result_release(&r);
			break;
		default:
			if (name)
				abort();
			break;
		}
		free(name);
		if (!gb_parse_result(p, len, 2, &r))
			gb_result_release(&r);
	}
	return 0;
}
