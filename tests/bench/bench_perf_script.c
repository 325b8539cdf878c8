/*
 * How fast is the perf script -> pprof conversion?  Generates a perf
 * script text of 1,000,000 samples in $TMPDIR (the format of
 * collect/perf_script.h: one executable mapping, 20,000 distinct stacks of
 * 4-20 frames over 3,000 functions, 8 threads, a kernel frame on one
 * sample in ten), then times streaming it from the file through the parser
 * into a profile and encoding the gzipped pprof, and reports the peak RSS
 * of the whole program.  The budget is 3 s and 300 MB.
 *
 * Then the merge alone, on the first 100,000 samples' stacks: the hashed
 * aggregation (profile_sample) against the original tool's linear scan
 * over every unique stack so far (reference §7.2: O(samples x unique
 * stacks)), with the extrapolation to 1,000,000 samples.  It never fails
 * on time, it only reports (DESIGN §9).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "collect/perf_script.h"
#include "profile/pprof.h"
#include "profile/profile.h"
#include "util/buf.h"

#define NSAMPLES 1000000
#define NSTACKS 20000
#define NFUNCS 3000
#define MAXDEPTH 20
#define NMERGE 100000

static uint32_t stacks[NSTACKS][MAXDEPTH];
static int depth[NSTACKS];
static uint32_t *order;         /* the stack of each sample */

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void make_stacks(void)
{
	for (int s = 0; s < NSTACKS; s++) {
		depth[s] = 4 + (int)(rnd() % (MAXDEPTH - 3));
		for (int d = 0; d < depth[s]; d++)
			stacks[s][d] = (uint32_t)(rnd() % NFUNCS);
	}
	order = malloc(NSAMPLES * sizeof(*order));
	if (!order)
		abort();
	/* Skewed: a few hot stacks, a long tail. */
	for (int i = 0; i < NSAMPLES; i++) {
		uint64_t r = rnd() % NSTACKS;

		order[i] = (uint32_t)(rnd() % 2 ? r % 200 : r);
	}
}

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static size_t write_script(const char *path)
{
	FILE *f = fopen(path, "w");
	long size;

	if (!f)
		abort();
	fprintf(f, "swapper     0/0         0.000000: PERF_RECORD_MMAP -1/0: [0xffffffff81000000(0x1269a88) "
		"@ 0xffffffff81000000]: x [kernel.kallsyms]_text\n");
	fprintf(f, "pkg.test 4242/4242 100.000000: PERF_RECORD_MMAP2 4242/4242: [0x400000(0xf7000) @ 0 "
		"fe:00 11052529 1034114173]: r-xp /tmp/work/b001/pkg.test\n");
	for (int i = 0; i < NSAMPLES; i++) {
		uint32_t s = order[i];

		fprintf(f, "pkg.test %d/%d %d.%06d:     250000 cpu-clock:ppp: \n", 4242, 4242 + i % 8,
			100 + i / 4000, (i % 4000) * 250);
		if (i % 10 == 0)
			fprintf(f, "\tffffffff8160702d __handle_mm_fault ([kernel.kallsyms])\n");
		for (int d = 0; d < depth[s]; d++)
			fprintf(f, "\t%16x example.com/project/pkg/sub.function%u (/tmp/work/b001/pkg.test)\n",
				0x1000 + stacks[s][d] * 0x40 + (unsigned)d, stacks[s][d]);
		fputc('\n', f);
	}
	size = ftell(f);
	fclose(f);
	return (size_t)size;
}

/* Stream the file through the parser and encode: the conversion. */
static size_t convert(const char *path, uint64_t *nsamples, size_t *nstacks)
{
	struct profile p;
	struct pscript ps;
	struct buf pending = BUF_INIT, out = BUF_INIT;
	char chunk[1 << 16];
	int fd = open(path, O_RDONLY);
	ssize_t n;
	size_t len;

	if (fd < 0)
		abort();
	profile_init(&p);
	pscript_init(&ps, &p);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		size_t at = 0;

		buf_add(&pending, chunk, (size_t)n);
		for (;;) {
			char *nl = memchr(pending.buf + at, '\n', pending.len - at);

			if (!nl)
				break;
			pscript_line(&ps, pending.buf + at, (size_t)(nl - pending.buf - at));
			at = (size_t)(nl - pending.buf) + 1;
		}
		memmove(pending.buf, pending.buf + at, pending.len - at);
		buf_setlen(&pending, pending.len - at);
	}
	close(fd);
	pscript_finish(&ps);
	p.event = strdup("cpu-clock");
	if (pprof_encode(&p, &out))
		abort();
	*nsamples = ps.samples;
	*nstacks = p.nsamples;
	len = out.len;
	buf_release(&out);
	buf_release(&pending);
	pscript_release(&ps);
	profile_release(&p);
	return len;
}

/* The original merge: compare with every unique stack so far. */
static size_t merge_linear(int n)
{
	uint32_t **uniq = malloc((size_t)n * sizeof(*uniq));
	int *ulen = malloc((size_t)n * sizeof(*ulen));
	int64_t *val = malloc((size_t)n * sizeof(*val));
	size_t nu = 0;

	for (int i = 0; i < n; i++) {
		uint32_t *st = stacks[order[i]];
		int d = depth[order[i]];
		size_t j;

		for (j = 0; j < nu; j++)
			if (ulen[j] == d && !memcmp(uniq[j], st, (size_t)d * sizeof(*st)))
				break;
		if (j == nu) {
			uniq[nu] = st;
			ulen[nu] = d;
			val[nu++] = 0;
		}
		val[j] += 250000;
	}
	free(uniq);
	free(ulen);
	free(val);
	return nu;
}

static size_t merge_hashed(int n)
{
	struct profile p;
	size_t nu;

	profile_init(&p);
	/* Locations exist already in a real conversion. */
	for (int f = 0; f < NFUNCS; f++) {
		int created;

		profile_loc(&p, 1, (uint64_t)f, &created);
	}
	for (int i = 0; i < n; i++) {
		uint32_t st[MAXDEPTH];
		int d = depth[order[i]];

		for (int k = 0; k < d; k++)
			st[k] = stacks[order[i]][k] + 1;
		profile_sample(&p, st, (size_t)d, 0, 250000);
	}
	nu = p.nsamples;
	profile_release(&p);
	return nu;
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char path[4096], extra[160];
	double t[ROUNDS], t0, cpu[ROUNDS], c0;
	size_t size, gz = 0, nstacks = 0, u1 = 0, u2 = 0;
	uint64_t nsamples = 0;
	struct rusage ru;

	snprintf(path, sizeof(path), "%s/perfgo-bench-script.%d.txt", tmp && *tmp ? tmp : "/tmp",
		 (int)getpid());
	make_stacks();
	size = write_script(path);
	for (int r = 0; r < ROUNDS; r++) {
		t0 = bench_now();
		c0 = cpu_now();
		gz = convert(path, &nsamples, &nstacks);
		t[r] = bench_now() - t0;
		cpu[r] = cpu_now() - c0;
	}
	unlink(path);
	getrusage(RUSAGE_SELF, &ru);
	qsort(cpu, ROUNDS, sizeof(*cpu), bench_cmp_double);
	snprintf(extra, sizeof(extra), "CPU best %.2f s; %llu samples, %zu MB text -> %zu stacks, "
		 "%zu KB pprof; peak RSS %ld MB", cpu[0], (unsigned long long)nsamples, size >> 20,
		 nstacks, gz >> 10, ru.ru_maxrss / 1024);
	bench_report("perf script -> pprof, 1M samples (parse+encode)", t, extra);

	for (int r = 0; r < ROUNDS; r++) {
		t0 = bench_now();
		u1 = merge_hashed(NMERGE);
		t[r] = bench_now() - t0;
	}
	snprintf(extra, sizeof(extra), "%zu unique stacks", u1);
	bench_report("merge 100k samples: hashed (perfgo)", t, extra);
	/* One round: it is slow. */
	t0 = bench_now();
	u2 = merge_linear(NMERGE);
	t[0] = bench_now() - t0;
	for (int r = 1; r < ROUNDS; r++)
		t[r] = t[0];
	snprintf(extra, sizeof(extra), "%zu unique stacks; 1M samples ~%.0f s (x10: unique stacks saturate)",
		 u2, t[0] * 10);
	bench_report("merge 100k samples: linear scan (original, §7.2)", t, extra);
	free(order);
	return u1 == u2 ? 0 : 1;
}
