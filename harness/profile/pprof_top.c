/* Reading a pprof file back for `perfgo view`: its top functions; see pprof_top.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "profile.pb-c.h"
#include "profile/pprof_top.h"
#include "util/io.h"
#include "util/usage.h"
#include "util/banned.h"

/* Profiles perfgo reads back are its own: a few MB; more is not one of them. */
#define MAX_PPROF (512u << 20)

static int gunzip(const struct buf *in, struct buf *out)
{
	z_stream z;
	int zr;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 32) != Z_OK)   /* gzip or zlib */
		return -1;
	z.next_in = (Bytef *)in->buf;
	z.avail_in = (uInt)in->len;
	do {
		buf_grow(out, 1 << 16);
		z.next_out = (Bytef *)out->buf + out->len;
		z.avail_out = (uInt)(out->alloc - out->len - 1);
		zr = inflate(&z, Z_NO_FLUSH);
		buf_setlen(out, (size_t)((char *)z.next_out - out->buf));
	} while (zr == Z_OK && out->len < MAX_PPROF);
	inflateEnd(&z);
	return zr == Z_STREAM_END ? 0 : -1;
}

struct fn_total { uint64_t id; int64_t flat, cum; uint64_t stamp; };

static int by_flat(const void *a, const void *b)
{
	const struct fn_total *x = a, *y = b;

	if (x->flat != y->flat)
		return x->flat < y->flat ? 1 : -1;
	if (x->cum != y->cum)
		return x->cum < y->cum ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static const char *pb_str(const Perftools__Profiles__Profile *pb, int64_t i)
{
	return i >= 0 && (size_t)i < pb->n_string_table ? pb->string_table[i] : "?";
}

static void fmt_value(struct buf *out, int64_t v, int ns)
{
	if (ns)
		buf_addf(out, "%9.2fms", (double)v / 1e6);
	else
		buf_addf(out, "%11lld", (long long)v);
}

/* Totals per function id (1-based, dense as perfgo writes them). */
static void totals(const Perftools__Profiles__Profile *pb, size_t vi, struct fn_total *t, size_t nt)
{
	for (size_t s = 0; s < pb->n_sample; s++) {
		const Perftools__Profiles__Sample *sm = pb->sample[s];
		int64_t v = vi < sm->n_value ? sm->value[vi] : 0;

		for (size_t k = 0; k < sm->n_location_id; k++) {
			uint64_t lid = sm->location_id[k];
			const Perftools__Profiles__Location *loc;

			if (!lid || lid > pb->n_location)
				continue;
			loc = pb->location[lid - 1];
			for (size_t l = 0; l < loc->n_line; l++) {
				uint64_t f = loc->line[l]->function_id;

				if (!f || f > nt)
					continue;
				if (!k && !l)
					t[f - 1].flat += v;
				if (t[f - 1].stamp != s + 1) {
					t[f - 1].stamp = s + 1;
					t[f - 1].cum += v;
				}
			}
		}
	}
}

/* The decoded message of the gzipped profile at `path`, or NULL (reported). */
/* The profile at `path`, or NULL (said, unless `quiet`). */
static Perftools__Profiles__Profile *load(const char *path, int quiet)
{
	struct buf gz = BUF_INIT, raw = BUF_INIT;
	Perftools__Profiles__Profile *pb = NULL;

	if (buf_read_file(&gz, path, MAX_PPROF) < 0) {
		if (!quiet)
			error("cannot read '%s': %s", path, strerror(errno));
	} else if (gunzip(&gz, &raw) ||
		   !(pb = perftools__profiles__profile__unpack(NULL, raw.len,
							       (const uint8_t *)raw.buf))) {
		if (!quiet)
			error("'%s' is not a pprof profile", path);
	}
	buf_release(&gz);
	buf_release(&raw);
	return pb;
}

/* The index of the default sample type, else the last one (pprof's rule). */
static size_t default_type(const Perftools__Profiles__Profile *pb)
{
	size_t vi = pb->n_sample_type ? pb->n_sample_type - 1 : 0;

	for (size_t i = 0; i < pb->n_sample_type; i++)
		if (pb->sample_type[i]->type == pb->default_sample_type)
			vi = i;
	return vi;
}

int pprof_read(const char *path, struct profile *p)
{
	Perftools__Profiles__Profile *pb = load(path, 0);
	uint32_t *sidx = NULL, *fidx = NULL, *stack = NULL;
	size_t vi;

	if (!pb)
		return PG_EENV;
	vi = default_type(pb);
	sidx = xcalloc(pb->n_string_table + 1, sizeof(*sidx));
	for (size_t i = 0; i < pb->n_string_table; i++)
		sidx[i] = profile_str(p, pb->string_table[i], strlen(pb->string_table[i]));
	fidx = xcalloc(pb->n_function + 1, sizeof(*fidx));
	for (size_t i = 0; i < pb->n_function; i++) {
		const Perftools__Profiles__Function *f = pb->function[i];

		if (f->id && f->id <= pb->n_function && f->name >= 0 && (size_t)f->name < pb->n_string_table &&
		    f->filename >= 0 && (size_t)f->filename < pb->n_string_table)
			fidx[f->id] = profile_func(p, sidx[f->name], sidx[f->filename], f->start_line);
	}
	/* Locations by id (map 0): the tree needs their lines, not their addresses. */
	for (size_t i = 0; i < pb->n_location; i++) {
		const Perftools__Profiles__Location *l = pb->location[i];
		struct prof_line lines[32];
		size_t n = 0;
		int created;
		uint32_t id = profile_loc(p, 0, l->id, &created);

		for (size_t k = 0; k < l->n_line && n < ARRAY_SIZE(lines); k++) {
			uint64_t f = l->line[k]->function_id;

			if (f && f <= pb->n_function && fidx[f]) {
				lines[n].func = fidx[f];
				lines[n++].line = l->line[k]->line;
			}
		}
		if (created && n)
			profile_loc_lines(p, id, lines, n);
	}
	for (size_t s = 0; s < pb->n_sample; s++) {
		const Perftools__Profiles__Sample *sm = pb->sample[s];
		size_t n = 0;
		int created;

		stack = xrealloc(stack, (sm->n_location_id + 1) * sizeof(*stack));
		for (size_t k = 0; k < sm->n_location_id; k++)
			stack[n++] = profile_loc(p, 0, sm->location_id[k], &created);
		if (n && vi < sm->n_value)
			profile_sample(p, stack, n, 0, sm->value[vi]);
	}
	if (pb->n_sample_type && !p->event) {
		const char *t = pb->string_table[pb->sample_type[vi]->type];

		p->event = xstrdup(t);
	}
	free(sidx);
	free(fidx);
	free(stack);
	perftools__profiles__profile__free_unpacked(pb, NULL);
	return 0;
}

int pprof_top(const char *path, size_t n, struct buf *out)
{
	Perftools__Profiles__Profile *pb = load(path, 0);
	struct fn_total *t = NULL;
	int64_t total = 0, samples = 0;
	size_t vi, nt;
	int ns, ret = 0;

	if (!pb)
		return PG_EENV;
	vi = default_type(pb);
	ns = pb->n_sample_type && !strcmp(pb_str(pb, pb->sample_type[vi]->unit), "nanoseconds");
	nt = pb->n_function;
	t = xcalloc(nt + 1, sizeof(*t));
	for (size_t i = 0; i < nt; i++)
		t[i].id = i + 1;
	totals(pb, vi, t, nt);
	for (size_t s = 0; s < pb->n_sample; s++) {
		total += vi < pb->sample[s]->n_value ? pb->sample[s]->value[vi] : 0;
		samples += pb->sample[s]->n_value ? pb->sample[s]->value[0] : 0;
	}
	qsort(t, nt, sizeof(*t), by_flat);
	buf_addf(out, "  %s, %lld samples, total ", pb->n_sample_type ?
		 pb_str(pb, pb->sample_type[vi]->type) : "?", (long long)samples);
	fmt_value(out, total, ns);
	buf_addstr(out, "\n       flat  flat%        cum   cum%  function\n");
	for (size_t i = 0; i < nt && i < n && t[i].flat + t[i].cum > 0; i++) {
		const Perftools__Profiles__Function *f = pb->function[t[i].id - 1];

		buf_addch(out, ' ');
		fmt_value(out, t[i].flat, ns);
		buf_addf(out, " %5.1f%% ", total ? 100.0 * (double)t[i].flat / (double)total : 0.0);
		fmt_value(out, t[i].cum, ns);
		buf_addf(out, " %5.1f%%  %s\n", total ? 100.0 * (double)t[i].cum / (double)total : 0.0,
			 pb_str(pb, f->name));
	}
	perftools__profiles__profile__free_unpacked(pb, NULL);
	free(t);
	return ret;
}

int pprof_mapping_files(const char *path, struct strvec *files)
{
	Perftools__Profiles__Profile *pb = load(path, 1);

	if (!pb)
		return PG_EENV;
	for (size_t i = 0; i < pb->n_mapping; i++) {
		int64_t k = pb->mapping[i]->filename;

		if (k > 0 && (size_t)k < pb->n_string_table && *pb->string_table[k])
			strvec_push(files, pb->string_table[k]);
	}
	perftools__profiles__profile__free_unpacked(pb, NULL);
	return 0;
}
