/*
 * The perf record backend: one process per repetition with the leaf's
 * fixed N,
 *
 *     perf record -o DATA -D -1 --control=<channel> -e EVENT [-c P | -F F]
 *         --call-graph fp|dwarf|lbr -- pkg.test ...
 *
 * gated as perf stat is (backend_perf_stat.h): recording is enabled when
 * the binary prints the bare benchmark name and disabled at its result
 * line, so runtime and package init are not in the profile.  collect runs
 * `perf script` on the runner, streams its lines into the parser
 * (collect/perf_script.h), symbolizes the test binary's locations here
 * with llvm-symbolizer, stores the binary once by content hash as
 * .perfgo/binaries/<sha256>/<pkg>.test (the mapping names it relative to
 * .perfgo) and writes runs/<id>/<benchmark>.pb.gz and its flame graph
 * <benchmark>.flame.html; the raw artifact profiles.txt lists each profile
 * with its sample counts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/io.h"
#include "util/sha256.h"
#include "collect/gobench.h"
#include "collect/perf_script.h"
#include "measure/backend.h"
#include "measure/measure.h"
#include "measure/perf.h"
#include "measure/perf_gate.h"
#include "measure/samples.h"
#include "profile/flame.h"
#include "profile/pprof.h"
#include "profile/symbolize.h"
#include "util/usage.h"
#include "util/banned.h"

struct pr_job {
	struct buf data;           /* perf.data on the runner */
	struct perf_gate gate;
	int empty;                 /* gated, yet not one sample: recorded again */
};

static int pr_preflight(void)
{
	return perf_preflight();
}

/*
 * One event: the user's (perf rejects it: PG_EUSAGE with perf's reason),
 * else cycles where it counts, else cpu-clock (no PMU).
 */
static int pr_events(struct runner *r, struct store *st, const char *run_id,
		     const struct strvec *requested, int detail, struct strvec *counted)
{
	struct strvec wanted = STRVEC_INIT;
	struct perf_probe pp;
	int ret;

	(void)detail;
	if (requested->nr > 1)
		return error_code(PG_EUSAGE, "'perfgo test profile' records one event; got %zu '-e'",
				  requested->nr);
	perf_probe_init(&pp);
	strvec_push(&wanted, requested->nr ? requested->v[0] : "cycles");
	ret = perf_probe_events(r, &wanted, &pp);
	if (ret)
		goto out;
	if (pp.counted.nr) {
		strvec_push(counted, pp.counted.v[0]);
		store_add_event(st, run_id, pp.counted.v[0], EVENT_COUNTED);
	} else if (requested->nr) {
		store_add_event(st, run_id, requested->v[0], EVENT_UNSUPPORTED);
		ret = error_code(PG_EUSAGE, "event '%s' is not supported on this runner%s",
				 requested->v[0], pp.pmu ? "" : " (no hardware PMU: use a software "
				 "event such as cpu-clock)");
	} else {
		store_add_event(st, run_id, "cycles", EVENT_UNSUPPORTED);
		store_add_event(st, run_id, "cpu-clock", EVENT_COUNTED);
		strvec_push(counted, "cpu-clock");
	}
	if (!ret)
		note("profiling event: %s%s", counted->v[0],
		     requested->nr || strcmp(counted->v[0], "cpu-clock") ? "" :
		     " (cycles does not count here: no hardware PMU)");
out:
	perf_probe_release(&pp);
	strvec_clear(&wanted);
	return ret;
}

/* One process: N. */
static size_t pr_points(uint64_t n, int count, uint64_t out[BACKEND_MAX_POINTS],
			int kind[BACKEND_MAX_POINTS])
{
	(void)count;
	kind[0] = 0;
	out[0] = n;
	return 1;
}

static int pr_job_begin(struct backend_job *bj, struct runner_job *job)
{
	struct runner *r = bj->mc->runner;
	const struct strvec *args = bj->mo->backend_args;
	struct pr_job *pj = xcalloc(1, sizeof(*pj));
	int call_graph = 0;

	bj->priv = pj;
	buf_init(&pj->data);
	buf_addf(&pj->data, "%s/job.data", r->scratch);
	strvec_pushl(&job->argv, "perf", "record", "-q", "-o", pj->data.buf, "-D", "-1",
		     "-e", bj->mo->events->v[0], NULL);
	for (size_t i = 0; args && i < args->nr; i++) {
		call_graph |= !strcmp(args->v[i], "--call-graph");
		strvec_push(&job->argv, args->v[i]);
	}
	if (!call_graph)
		strvec_pushl(&job->argv, "--call-graph", "fp", NULL);
	strvec_push(&job->argv, "--");
	perf_gate_job(job, 2);         /* after "perf record" */
	return 0;
}

static int pr_leaf_started(struct backend_job *bj, struct runner_job *job)
{
	return perf_gate_open(&((struct pr_job *)bj->priv)->gate, job);
}

static int pr_leaf_ended(struct backend_job *bj, struct runner_job *job)
{
	return perf_gate_close(&((struct pr_job *)bj->priv)->gate, job);
}

static int pr_tool_failed(struct backend_job *bj, int status, const char *err)
{
	if (status == 255 && strstr(err, "Workload failed"))
		return error_code(PG_EENV, "perf could not start the test binary of '%s'",
				  bj->pl->pkg->import_path);
	return 0;
}

/*
 * Recording never switched on before the benchmark ended, or switched on
 * so late that perf took no sample (a busy machine: perf handles the
 * enable only when it is scheduled): measured again (measure.h).
 */
static int pr_gate_missed(const struct backend_job *bj)
{
	const struct pr_job *pj = bj->priv;

	return pj && (pj->gate.late || pj->empty);
}

static const char *pr_gate_missed_why(const struct backend_job *bj, const char **fix)
{
	const struct pr_job *pj = bj->priv;

	if (!pj || pj->gate.late)
		return NULL;
	*fix = "raise -benchtime or the sampling frequency (-F)";
	return "left no samples in its profile";
}

static int pr_judge(struct backend_job *bj)
{
	struct pr_job *pj = bj->priv;

	return perf_gate_judge(&pj->gate, "recording", bj->pl->pkg->import_path, bj->lf->name);
}

static int script_line(struct runner_job *job, const char *line, size_t len)
{
	pscript_line(job->data, line, len);
	return 0;
}

/* Stream `perf script` of the job's data on the runner into `ps`. */
static int run_script(struct backend_job *bj, struct pr_job *pj, struct pscript *ps)
{
	struct runner *r = bj->mc->runner;
	struct runner_job job;
	struct buf errpath = BUF_INIT, err = BUF_INIT;
	FILE *ef = NULL;
	int ret;

	runner_job_init(&job);
	buf_addf(&errpath, "%s/script.err", r->local_scratch);
	ef = fopen(errpath.buf, "w+e");
	if (!ef) {
		ret = error_code(PG_EENV, "cannot create '%s': %s", errpath.buf, strerror(errno));
		goto out;
	}
	strvec_pushl(&job.argv, "perf", "script", "-i", pj->data.buf, "-F", PERFSCRIPT_FIELDS,
		     "--show-mmap-events", NULL);
	strvec_push(&job.env, "LC_ALL=C");
	job.dir = r->scratch;
	job.stdout_fd = -1;
	job.stderr_fd = fileno(ef);
	job.on_line = script_line;
	job.data = ps;
	ret = r->ops->exec(r, &job);
	pscript_finish(ps);
	if (!ret && job.status) {
		buf_read_file(&err, errpath.buf, 4096);
		buf_rtrim(&err);
		ret = error_code(PG_EENV, "'perf script' failed on the profile of '%s' (exit %d): %s",
				 bj->lf->name, job.status, err.len ? err.buf : "no message");
	}
out:
	if (ef)
		fclose(ef);
	unlink(errpath.buf);
	runner_job_release(&job);
	buf_release(&errpath);
	buf_release(&err);
	return ret;
}

/* The .perfgo directory: run_dir is <it>/runs/<id>. */
static void store_root(const char *run_dir, struct buf *out)
{
	const char *s = strstr(run_dir, "/runs/");
	const char *last = s;

	while (s && (s = strstr(s + 1, "/runs/")))
		last = s;
	buf_add(out, run_dir, last ? (size_t)(last - run_dir) : strlen(run_dir));
}

/*
 * Keep the test binary once by content: <root>/binaries/<sha256>/<name>,
 * an artifact of the run (gc keeps it while a run names it); its path
 * relative to root into `rel`.
 */
static int store_binary(struct measure_ctx *mc, const char *root, const char *bin,
			const char *name, struct buf *rel)
{
	struct buf dir = BUF_INIT, dst = BUF_INIT, tmp = BUF_INIT, data = BUF_INIT;
	char hex[SHA256_HEX_SIZE];
	uint64_t size;
	int ret = 0;

	if (sha256_file(bin, hex, &size))
		return error_code(PG_EENV, "cannot read '%s': %s", bin, strerror(errno));
	buf_addf(rel, "binaries/%s/%s", hex, name);
	buf_addf(&dir, "%s/binaries/%s", root, hex);
	buf_addf(&dst, "%s/%s", root, rel->buf);
	buf_addf(&tmp, "%s.tmp%ld", dst.buf, (long)getpid());
	if (access(dst.buf, F_OK) &&
	    (mkdir_p(dir.buf, 0755) || buf_read_file(&data, bin, (size_t)size + 1) < 0 ||
	     buf_write_file(&data, tmp.buf) || chmod(tmp.buf, 0755) || rename(tmp.buf, dst.buf))) {
		ret = error_code(PG_EENV, "cannot store the test binary as '%s': %s", dst.buf,
				 strerror(errno));
		unlink(tmp.buf);
	}
	if (!ret)
		ret = store_add_artifact(mc->st, mc->run_id, "binary", rel->buf, size, hex);
	buf_release(&dir);
	buf_release(&dst);
	buf_release(&tmp);
	buf_release(&data);
	return ret;
}

/* "<benchmark>-<P>.pb.gz" with what a file name should not hold replaced; .2, .3 ... when taken. */
static void profile_name(const char *run_dir, const char *bench, struct buf *name)
{
	struct buf path = BUF_INIT;

	for (int k = 1;; k++) {
		buf_reset(name);
		for (const char *s = bench; *s; s++)
			buf_addch(name, (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
				  (*s >= '0' && *s <= '9') || *s == '-' || *s == '.' ? *s : '_');
		if (k > 1)
			buf_addf(name, ".%d", k);
		buf_addstr(name, ".pb.gz");
		buf_reset(&path);
		buf_addf(&path, "%s/%s", run_dir, name->buf);
		if (access(path.buf, F_OK))
			break;
	}
	buf_release(&path);
}

/* The package's last path element + ".test": the stored binary's name. */
static void binary_name(const char *import_path, struct buf *out)
{
	const char *slash = strrchr(import_path, '/');

	buf_addf(out, "%s.test", slash ? slash + 1 : import_path);
}

static int convert(struct backend_job *bj, struct pr_job *pj, struct profile *p,
		   struct pscript *ps)
{
	struct measure_ctx *mc = bj->mc;
	const struct pscript_map *m = pscript_find_map(ps, bj->pl->bin);
	struct buf root = BUF_INIT, rel = BUF_INIT, bname = BUF_INIT, name = BUF_INIT;
	struct buf path = BUF_INIT, line = BUF_INIT;
	struct elf_info ei = { 0 };
	char hex[SHA256_HEX_SIZE];
	uint64_t size;
	int ret = 0;

	store_root(mc->run_dir, &root);
	binary_name(bj->pl->pkg->import_path, &bname);
	if (m) {
		uint32_t id = m->id;

		ret = elf_read_info(bj->pl->local_bin, &ei);
		if (!ret)
			ret = symbolize_map(p, id, bj->pl->local_bin, &ei, mc->runner->local_scratch);
		if (ret == PG_EINTR)
			goto out;
		if (ret)
			warning("the profile of '%s' keeps perf's symbols only", bj->lf->name);
		ret = store_binary(mc, root.buf, bj->pl->local_bin, bname.buf, &rel);
		if (ret)
			goto out;
		free(p->maps[id - 1].file);
		p->maps[id - 1].file = xstrdup(rel.buf);
		p->maps[id - 1].build_id = ei.build_id ? xstrdup(ei.build_id) : NULL;
		profile_main_map(p, id);
	}
	buf_addstr(&line, bj->lf->name);
	if (bj->lf->procs != 1)
		buf_addf(&line, "-%d", bj->lf->procs);
	p->benchmark = buf_detach(&line);
	p->event = xstrdup(bj->mo->events->v[0]);
	/* With -c the period is fixed: the profile says so (else the mean is written). */
	for (size_t i = 0; bj->mo->backend_args && i + 1 < bj->mo->backend_args->nr; i++)
		if (!strcmp(bj->mo->backend_args->v[i], "-c"))
			p->period = strtoll(bj->mo->backend_args->v[i + 1], NULL, 10);
	p->time_ns = pj->gate.enable_wall;
	p->duration_ns = pj->gate.disable_mono > pj->gate.enable_mono ?
			 pj->gate.disable_mono - pj->gate.enable_mono : 0;
	profile_name(mc->run_dir, p->benchmark, &name);
	buf_addf(&path, "%s/%s", mc->run_dir, name.buf);
	ret = pprof_write(p, path.buf);
	if (!ret && !sha256_file(path.buf, hex, &size)) {
		buf_addf(&line, "runs/%s/%s", mc->run_id, name.buf);
		ret = store_add_artifact(mc->st, mc->run_id, "pprof", line.buf, size, hex);
		buf_reset(&line);
	}
	/* The flame graph next to it: <name>.flame.html for <name>.pb.gz. */
	if (!ret) {
		struct buf title = BUF_INIT;

		buf_setlen(&path, path.len - strlen(".pb.gz"));
		buf_addstr(&path, ".flame.html");
		buf_addf(&title, "%s: %s, %llu samples", p->benchmark, p->event,
			 (unsigned long long)ps->samples);
		ret = flame_write(p, title.buf, path.buf);
		if (!ret && !sha256_file(path.buf, hex, &size)) {
			buf_addf(&line, "runs/%s/%s", mc->run_id, strrchr(path.buf, '/') + 1);
			ret = store_add_artifact(mc->st, mc->run_id, "flamegraph", line.buf, size, hex);
			buf_reset(&line);
		}
		buf_release(&title);
	}
	if (!ret) {
		buf_addf(&line, "%s benchmark=%s event=%s samples=%llu stacks=%zu unreadable-lines=%llu\n",
			 name.buf, p->benchmark, p->event, (unsigned long long)ps->samples,
			 p->nsamples, (unsigned long long)ps->bad);
		ret = measure_save_raw(mc, line.buf, line.len);
	}
out:
	elf_info_release(&ei);
	buf_release(&root);
	buf_release(&rel);
	buf_release(&bname);
	buf_release(&name);
	buf_release(&path);
	buf_release(&line);
	return ret;
}

static int pr_collect(struct backend_job *bj)
{
	struct pr_job *pj = bj->priv;
	struct profile p;
	struct pscript ps;
	int ret;

	profile_init(&p);
	pscript_init(&ps, &p);
	ret = run_script(bj, pj, &ps);
	/* Nothing to convert: pr_gate_missed() has it recorded again. */
	pj->empty = !ret && !ps.samples;
	if (!ret && !pj->empty)
		ret = convert(bj, pj, &p, &ps);
	if (!bj->mc->runner->dest)
		unlink(pj->data.buf);
	pscript_release(&ps);
	profile_release(&p);
	return ret;
}

/* A crashed or failing benchmark: its profile up to the end, when perf wrote one. */
static void pr_salvage(struct backend_job *bj)
{
	struct pr_job *pj = bj->priv;

	if (!pj->gate.enabled)
		return;
	if (!pr_collect(bj) && !pj->empty)
		warning("kept the partial profile of '%s' (up to its failure)", bj->lf->name);
}

static void pr_job_release(struct backend_job *bj)
{
	struct pr_job *pj = bj->priv;

	if (!pj)
		return;
	buf_release(&pj->data);
	free(pj);
	bj->priv = NULL;
}

static int pr_samples(struct rep_samples *rs, int64_t bench_id, int rep,
		      const struct gb_result *go, const struct backend_job *jobs, size_t njobs)
{
	(void)jobs;
	(void)njobs;
	rep_samples_add_go(rs, bench_id, rep, go);
	return 0;
}

const struct backend backend_perf_record = {
	.name = "perf-record",
	.artifact = "profiles.txt",
	.artifact_kind = "profile-index",
	.preflight = pr_preflight,
	.check_runner = perf_check_runner,
	.events = pr_events,
	.points = pr_points,
	.job_begin = pr_job_begin,
	.leaf_started = pr_leaf_started,
	.leaf_ended = pr_leaf_ended,
	.tool_failed = pr_tool_failed,
	.judge = pr_judge,
	.gate_missed = pr_gate_missed,
	.gate_missed_why = pr_gate_missed_why,
	.collect = pr_collect,
	.salvage = pr_salvage,
	.job_release = pr_job_release,
	.samples = pr_samples,
};
