/* One path for every measuring command; see session.h. */
#include <stdlib.h>
#include <string.h>

#include "session/session.h"
#include "util/proc.h"
#include "util/usage.h"
#include "util/banned.h"

void session_init(struct session *s)
{
	memset(s, 0, sizeof(*s));
	runrec_init(&s->rr);
}

/* Before anything is created.  A remote runner's tools are checked once connected. */
static int preflight(const struct session_opts *o)
{
	char *go;

	if (o->backend && o->backend->preflight && !o->remote) {
		int ret = o->backend->preflight();

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

/* Steps 5 and 6: the runner, its fingerprint and the backend's view of it. */
static int open_runner(struct session *s, const struct session_opts *o)
{
	const struct backend *be = s->backend;
	int ret;

	ret = runner_open(&s->runner, o->remote, o->keep);
	if (ret)
		return ret;
	s->runner_open = 1;
	ret = s->runner.ops->probe(&s->runner, &s->fp);
	if (!be || ret)
		return ret;
	/* Locally the preflight checked the tool already; its facts are read either way. */
	if (be->check_runner)
		ret = be->check_runner(&s->runner, &s->fp, o->remote != NULL);
	/* What the backend learns is part of the fingerprint: before storing it. */
	if (!ret && be->probe)
		ret = be->probe(&s->runner, &s->fp);
	if (!ret)
		ret = store_fingerprint(s->ws.st, &s->fp, &s->fp_id);
	return ret;
}

int session_open(struct session *s, const struct session_opts *o)
{
	int ret;

	s->ctx = o->ctx;
	s->backend = o->backend;
	ret = preflight(o);
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
