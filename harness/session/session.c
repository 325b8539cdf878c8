/* One path for every measuring command; see session.h. */
#include <stdlib.h>
#include <string.h>

#include "session/session.h"
#include "util/buf.h"
#include "util/proc.h"
#include "util/usage.h"
#include "util/banned.h"

void session_init(struct session *s)
{
	memset(s, 0, sizeof(*s));
	runrec_init(&s->rr);
}

/* Before anything is created.  A remote runner's tools are checked once connected. */
static int preflight(const struct session *s, const struct session_opts *o)
{
	char *go;

	if (s->backend && s->backend->preflight && !o->remote) {
		int ret = s->backend->preflight();

		if (ret)
			return ret;
	}
	go = proc_which("go");
	if (!go)
		return error_code(PG_EENV, "'go' not found in PATH: install Go "
				  "(Debian: 'apt-get install golang-go')");
	free(go);
	return 0;
}

/* Locally, before anything: --counters sim, or auto where perf is missing and valgrind is there. */
static void choose_backend(struct session *s, const struct session_opts *o)
{
	char *perf, *vg;

	s->backend = o->backend;
	if (!s->backend || o->counters == COUNTERS_PERF)
		return;
	if (o->counters == COUNTERS_SIM) {
		s->backend = &backend_callgrind;
		return;
	}
	if (o->remote)
		return;            /* decided on the runner (open_runner) */
	perf = proc_which("perf");
	vg = proc_which("valgrind");
	if (!perf && vg) {
		s->backend = &backend_callgrind;
		note("counters: sim (callgrind): --counters auto and 'perf' is not installed here");
	}
	free(perf);
	free(vg);
}

/* The backend's facts and probe into the fingerprint. */
static int backend_facts(struct session *s, const struct backend *be, int check)
{
	int ret = 0;

	/* Locally the preflight checked the tool already; its facts are read either way. */
	if (be->check_runner)
		ret = be->check_runner(&s->runner, &s->fp, check);
	if (!ret && be->probe)
		ret = be->probe(&s->runner, &s->fp);
	return ret;
}

/* Does `tool --version` run on the runner?  1 yes, 0 no, or PG_EINTR/PG_EENV. */
static int runner_has(struct session *s, const char *tool)
{
	const char *argv[] = { tool, "--version", NULL };
	struct buf out = BUF_INIT;
	int code = s->runner.ops->query(&s->runner, argv, &out);

	buf_release(&out);
	return code < 0 ? code : !code;
}

/*
 * --counters auto after perf's probe: without a hardware PMU, the
 * simulation when the runner has valgrind.  Either way the choice is said.
 */
static int auto_counters(struct session *s, const struct session_opts *o)
{
	int has;

	if (o->counters != COUNTERS_AUTO || s->backend != &backend_perf_stat)
		return 0;
	if (s->fp.pmu) {
		note("counters: perf (--counters auto: hardware events count on this runner)");
		return 0;
	}
	has = runner_has(s, "valgrind");
	if (has < 0)
		return has;
	if (!has) {
		note("counters: perf, software events only (--counters auto: no hardware PMU "
		     "and no valgrind on this runner; install valgrind for simulated counts)");
		return 0;
	}
	note("counters: sim (callgrind; --counters auto: no hardware PMU on this runner); "
	     "ns/op from a plain run");
	s->backend = &backend_callgrind;
	return backend_facts(s, s->backend, 1);
}

/* Steps 5 and 6: the runner, its fingerprint and the backend's view of it. */
static int open_runner(struct session *s, const struct session_opts *o)
{
	int ret;

	ret = runner_open(&s->runner, o->remote, o->keep);
	if (ret)
		return ret;
	s->runner_open = 1;
	ret = s->runner.ops->probe(&s->runner, &s->fp);
	if (!s->backend || ret)
		return ret;
	/* --counters auto on a remote runner without perf: the simulation, when it has valgrind. */
	if (o->remote && o->counters == COUNTERS_AUTO && s->backend == &backend_perf_stat) {
		int perf = runner_has(s, "perf"), vg = perf ? 0 : runner_has(s, "valgrind");

		if (perf < 0 || vg < 0)
			return perf < 0 ? perf : vg;
		if (vg) {
			note("counters: sim (callgrind; --counters auto: no perf on '%s')", o->remote);
			s->backend = &backend_callgrind;
		}
	}
	ret = backend_facts(s, s->backend, o->remote != NULL);
	if (!ret)
		ret = auto_counters(s, o);
	/* What the backend learns is part of the fingerprint: before storing it. */
	if (!ret)
		ret = store_fingerprint(s->ws.st, &s->fp, &s->fp_id);
	return ret;
}

int session_open(struct session *s, const struct session_opts *o)
{
	int ret;

	s->ctx = o->ctx;
	choose_backend(s, o);
	ret = preflight(s, o);
	if (!ret && o->repo)
		ret = gitrepo_open(&s->repo, ".");
	if (!ret)
		ret = workspace_open(&s->ws, 1);
	if (!ret && o->resolve)
		ret = o->resolve(s, o->data);
	if (!ret)
		ret = open_runner(s, o);
	return ret;
}

int session_begin_run(struct session *s, struct runrec_args *a)
{
	a->fingerprint_id = s->fp_id;
	return runrec_begin(&s->rr, &s->ws, s->ctx, a);
}

int session_end_run(struct session *s, int err, int code)
{
	if (!s->rr.ri.id[0])
		return err;
	/* runrec_finish_exit() changes the code only when the status was not stored. */
	if (runrec_finish_exit(&s->rr, &s->ws, err, code) != code && !err)
		return PG_EENV;
	return err;
}

void session_close(struct session *s)
{
	runrec_release(&s->rr);
	if (s->runner_open)
		runner_close(&s->runner);
	gitrepo_close(s->repo);
	fingerprint_release(&s->fp);
	workspace_close(&s->ws);
	session_init(s);
}
