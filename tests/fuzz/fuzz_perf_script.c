/*
 * libFuzzer target for harness/collect/perf_script.c: the input, split into
 * lines, goes through the parser into a profile, which is then checked for
 * consistency (every id in range, stacks within the pool, counts adding
 * up) and encoded as pprof (profile/pprof.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collect/perf_script.h"
#include "profile/pprof.h"
#include "profile/profile.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct profile *p, const struct pscript *ps)
{
	uint64_t total = 0;

	for (size_t i = 0; i < p->nlocs; i++) {
		const struct prof_loc *l = &p->locs[i];

		if (l->map > p->nmaps || (size_t)l->line0 + l->nline > p->nlines)
			abort();
		for (uint32_t k = 0; k < l->nline; k++)
			if (!p->lines[l->line0 + k].func || p->lines[l->line0 + k].func > p->nfuncs)
				abort();
	}
	for (size_t i = 0; i < p->nfuncs; i++)
		if (p->funcs[i].name >= p->nstr || p->funcs[i].file >= p->nstr)
			abort();
	for (size_t i = 0; i < p->nsamples; i++) {
		const struct prof_sample *s = &p->samples[i];

		if (!s->nstack || (size_t)s->stack0 + s->nstack > p->nstacks || s->count < 1)
			abort();
		for (uint32_t k = 0; k < s->nstack; k++)
			if (!p->stacks[s->stack0 + k] || p->stacks[s->stack0 + k] > p->nlocs)
				abort();
		total += (uint64_t)s->count;
	}
	if (total != ps->samples || total != p->total_samples)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size;
	struct profile p;
	struct pscript ps;
	struct buf out = BUF_INIT;

	profile_init(&p);
	pscript_init(&ps, &p);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		pscript_line(&ps, s, n);
		s += n + (nl != NULL);
	}
	pscript_finish(&ps);
	check(&p, &ps);
	if (pprof_encode(&p, &out))
		abort();
	buf_release(&out);
	pscript_release(&ps);
	profile_release(&p);
	return 0;
}
