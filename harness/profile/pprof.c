/* Encoding a profile as gzipped profile.proto; see pprof.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "profile.pb-c.h"
#include "profile/pprof.h"
#include "util/io.h"
#include "util/usage.h"
#include "util/banned.h"

typedef Perftools__Profiles__Profile PbProfile;
typedef Perftools__Profiles__ValueType PbValueType;
typedef Perftools__Profiles__Sample PbSample;
typedef Perftools__Profiles__Label PbLabel;
typedef Perftools__Profiles__Mapping PbMapping;
typedef Perftools__Profiles__Location PbLocation;
typedef Perftools__Profiles__Line PbLine;
typedef Perftools__Profiles__Function PbFunction;

const char *pprof_event_unit(const char *event)
{
	size_t n = strcspn(event, ":/");

	if ((n == 9 && !strncmp(event, "cpu-clock", n)) || (n == 10 && !strncmp(event, "task-clock", n)))
		return "nanoseconds";
	return "count";
}

/* Strings the encoder adds; the table is copied so the profile stays const. */
struct strtab {
	char **v;
	size_t nr, alloc;
};

static int64_t strtab_add(struct strtab *t, const char *s)
{
	for (size_t i = 0; i < t->nr; i++)
		if (!strcmp(t->v[i], s))
			return (int64_t)i;
	ALLOC_GROW(t->v, t->nr + 1, t->alloc);
	t->v[t->nr] = (char *)s;
	return (int64_t)t->nr++;
}

static int gzip_buf(const uint8_t *in, size_t len, struct buf *out)
{
	z_stream z;
	int zr;

	memset(&z, 0, sizeof(z));
	/* 15 + 16: a gzip wrapper, as pprof expects on disk. */
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return error("cannot start zlib");
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	do {
		buf_grow(out, 1 << 16);
		z.next_out = (Bytef *)out->buf + out->len;
		z.avail_out = (uInt)(out->alloc - out->len - 1);
		zr = deflate(&z, Z_FINISH);
		buf_setlen(out, (size_t)((char *)z.next_out - out->buf));
	} while (zr == Z_OK || zr == Z_BUF_ERROR);
	deflateEnd(&z);
	return zr == Z_STREAM_END ? 0 : error("zlib failed to compress a profile");
}

/* The parts of the message that point into arrays allocated here. */
struct pb_arena {
	PbValueType vt[3];
	PbValueType *vtp[2];
	PbSample *samples, **samplep;
	PbLabel *labels, **labelp;
	int64_t *values;
	uint64_t *locids;
	PbMapping *maps, **mapp;
	PbLocation *locs, **locp;
	PbLine *lines, **linep;
	PbFunction *funcs, **funcp;
	struct strtab st;
};

static void arena_release(struct pb_arena *a)
{
	free(a->samples); free(a->samplep); free(a->labels); free(a->labelp);
	free(a->values); free(a->locids); free(a->maps); free(a->mapp);
	free(a->locs); free(a->locp); free(a->lines); free(a->linep);
	free(a->funcs); free(a->funcp); free(a->st.v);
}

/* Label keys kbench (0: no benchmark label), kpid, ktid; bench is the value. */
static void fill_samples(const struct profile *p, struct pb_arena *a, PbProfile *pb,
			 int64_t kbench, int64_t bench, int64_t kpid, int64_t ktid)
{
	size_t n = p->nsamples;

	a->samples = xcalloc(n ? n : 1, sizeof(*a->samples));
	a->samplep = xcalloc(n ? n : 1, sizeof(*a->samplep));
	a->labels = xcalloc(n ? 3 * n : 1, sizeof(*a->labels));
	a->labelp = xcalloc(n ? 3 * n : 1, sizeof(*a->labelp));
	a->values = xcalloc(n ? 2 * n : 1, sizeof(*a->values));
	a->locids = xcalloc(p->nstacks ? p->nstacks : 1, sizeof(*a->locids));
	for (size_t i = 0; i < p->nstacks; i++)
		a->locids[i] = p->stacks[i];
	for (size_t i = 0; i < n; i++) {
		const struct prof_sample *s = &p->samples[i];
		PbSample *ps = &a->samples[i];
		PbLabel *l = &a->labels[3 * i];

		perftools__profiles__sample__init(ps);
		ps->n_location_id = s->nstack;
		ps->location_id = a->locids + s->stack0;
		a->values[2 * i] = s->count;
		a->values[2 * i + 1] = s->period;
		ps->n_value = 2;
		ps->value = a->values + 2 * i;
		for (int k = 0; k < 3; k++) {
			perftools__profiles__label__init(&l[k]);
			a->labelp[3 * i + (size_t)k] = &l[k];
		}
		l[0].key = kbench;
		l[0].str = bench;
		l[1].key = kpid;
		l[1].num = p->pid;
		l[2].key = ktid;
		l[2].num = s->tid;
		ps->n_label = kbench ? 3 : 2;
		ps->label = a->labelp + 3 * i + (kbench ? 0 : 1);
		a->samplep[i] = ps;
	}
	pb->n_sample = n;
	pb->sample = a->samplep;
}

static void fill_tables(const struct profile *p, struct pb_arena *a, PbProfile *pb)
{
	a->maps = xcalloc(p->nmaps + 1, sizeof(*a->maps));
	a->mapp = xcalloc(p->nmaps + 1, sizeof(*a->mapp));
	for (size_t i = 0; i < p->nmaps; i++) {
		const struct prof_map *m = &p->maps[i];
		PbMapping *pm = &a->maps[i];

		perftools__profiles__mapping__init(pm);
		pm->id = i + 1;
		pm->memory_start = m->start;
		pm->memory_limit = m->limit;
		pm->file_offset = m->offset;
		pm->filename = strtab_add(&a->st, m->file);
		pm->build_id = m->build_id ? strtab_add(&a->st, m->build_id) : 0;
		pm->has_functions = 1;
		pm->has_filenames = pm->has_line_numbers = pm->has_inline_frames = m->symbolized != 0;
		a->mapp[i] = pm;
	}
	pb->n_mapping = p->nmaps;
	pb->mapping = a->mapp;

	a->lines = xcalloc(p->nlines + 1, sizeof(*a->lines));
	a->linep = xcalloc(p->nlines + 1, sizeof(*a->linep));
	for (size_t i = 0; i < p->nlines; i++) {
		perftools__profiles__line__init(&a->lines[i]);
		a->lines[i].function_id = p->lines[i].func;
		a->lines[i].line = p->lines[i].line;
		a->linep[i] = &a->lines[i];
	}
	a->locs = xcalloc(p->nlocs + 1, sizeof(*a->locs));
	a->locp = xcalloc(p->nlocs + 1, sizeof(*a->locp));
	for (size_t i = 0; i < p->nlocs; i++) {
		const struct prof_loc *l = &p->locs[i];
		PbLocation *pl = &a->locs[i];

		perftools__profiles__location__init(pl);
		pl->id = i + 1;
		pl->mapping_id = l->map;
		pl->address = l->addr;
		pl->n_line = l->nline;
		pl->line = a->linep + l->line0;
		a->locp[i] = pl;
	}
	pb->n_location = p->nlocs;
	pb->location = a->locp;

	a->funcs = xcalloc(p->nfuncs + 1, sizeof(*a->funcs));
	a->funcp = xcalloc(p->nfuncs + 1, sizeof(*a->funcp));
	for (size_t i = 0; i < p->nfuncs; i++) {
		PbFunction *pf = &a->funcs[i];

		perftools__profiles__function__init(pf);
		pf->id = i + 1;
		pf->name = pf->system_name = p->funcs[i].name;
		pf->filename = p->funcs[i].file;
		pf->start_line = p->funcs[i].start_line;
		a->funcp[i] = pf;
	}
	pb->n_function = p->nfuncs;
	pb->function = a->funcp;
}

int pprof_encode(const struct profile *p, struct buf *out)
{
	struct pb_arena a;
	PbProfile pb;
	const char *event = p->event ? p->event : "samples";
	const char *unit = pprof_event_unit(event);
	int64_t bench, kpid, ktid, period = p->period;
	uint8_t *packed;
	size_t len;
	int ret;

	memset(&a, 0, sizeof(a));
	perftools__profiles__profile__init(&pb);
	/* The profile's own strings first: their indices stay valid. */
	for (size_t i = 0; i < p->nstr; i++) {
		ALLOC_GROW(a.st.v, a.st.nr + 1, a.st.alloc);
		a.st.v[a.st.nr++] = p->str[i];
	}
	for (int i = 0; i < 3; i++)
		perftools__profiles__value_type__init(&a.vt[i]);
	a.vt[0].type = strtab_add(&a.st, "samples");
	a.vt[0].unit = strtab_add(&a.st, "count");
	a.vt[1].type = a.vt[2].type = strtab_add(&a.st, event);
	a.vt[1].unit = a.vt[2].unit = strtab_add(&a.st, unit);
	a.vtp[0] = &a.vt[0];
	a.vtp[1] = &a.vt[1];
	pb.n_sample_type = 2;
	pb.sample_type = a.vtp;
	pb.period_type = &a.vt[2];
	pb.default_sample_type = a.vt[1].type;
	bench = p->benchmark ? strtab_add(&a.st, p->benchmark) : 0;
	kpid = strtab_add(&a.st, "pid");
	ktid = strtab_add(&a.st, "tid");
	if (!period && p->nsamples) {
		int64_t n = 0, sum = 0;

		for (size_t i = 0; i < p->nsamples; i++) {
			n += p->samples[i].count;
			sum += p->samples[i].period;
		}
		period = n ? sum / n : 0;
	}
	pb.period = period;
	pb.time_nanos = p->time_ns;
	pb.duration_nanos = p->duration_ns;
	fill_samples(p, &a, &pb, bench ? strtab_add(&a.st, "benchmark") : 0, bench, kpid, ktid);
	fill_tables(p, &a, &pb);
	pb.n_string_table = a.st.nr;
	pb.string_table = a.st.v;

	len = perftools__profiles__profile__get_packed_size(&pb);
	packed = xmalloc(len ? len : 1);
	perftools__profiles__profile__pack(&pb, packed);
	ret = gzip_buf(packed, len, out);
	free(packed);
	arena_release(&a);
	return ret;
}

int pprof_write(const struct profile *p, const char *path)
{
	struct buf b = BUF_INIT;
	int ret = pprof_encode(p, &b);

	if (!ret && buf_write_file(&b, path))
		ret = error_code(PG_EENV, "cannot write '%s': %s", path, strerror(errno));
	buf_release(&b);
	return ret;
}
