/* Recording a run; see runrec.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "session/runrec.h"
#include "util/sha256.h"
#include "util/sig.h"
#include "util/io.h"
#include "util/usage.h"
#include "util/banned.h"

void runrec_init(struct runrec *rr)
{
	memset(rr, 0, sizeof(*rr));
	rr->out_fd = rr->err_fd = rr->raw_fd = -1;
}

static int open_artifact(const char *run_dir, const char *name)
{
	struct buf p = BUF_INIT;
	int fd;

	buf_addf(&p, "%s/%s", run_dir, name);
	fd = open(p.buf, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		error("cannot create '%s': %s", p.buf, strerror(errno));
	buf_release(&p);
	return fd;
}

int runrec_begin(struct runrec *rr, struct workspace *ws, const struct ctx *ctx,
		 const struct runrec_args *a)
{
	struct buf b = BUF_INIT;
	int ret;

	runrec_init(rr);
	rr->argv_json = cli_argv_json(ctx);
	rr->backend = a->backend;
	rr->ri.command = a->command;
	rr->ri.argv_json = rr->argv_json;
	rr->ri.workdir = ws->workdir;
	rr->ri.packages = a->packages;
	rr->ri.commit = a->commit;
	rr->ri.branch = a->branch;
	rr->ri.dirty = a->dirty;
	rr->ri.fingerprint_id = a->fingerprint_id;
	rr->ri.config_json = a->config_json;
	ret = store_run_begin(ws->st, &rr->ri);
	if (ret)
		return ret;
	buf_addf(&b, "%s/runs/%s", ws->dir, rr->ri.id);
	rr->dir = buf_detach(&b);
	ret = mkdir_p(rr->dir, 0755);
	if (ret)
		return ret;
	rr->out_fd = open_artifact(rr->dir, "stdout.txt");
	rr->err_fd = open_artifact(rr->dir, "stderr.txt");
	if (rr->backend)
		rr->raw_fd = open_artifact(rr->dir, rr->backend->artifact);
	if (rr->out_fd < 0 || rr->err_fd < 0 || (rr->backend && rr->raw_fd < 0))
		return PG_EENV;
	return 0;
}

static void record_artifact(struct runrec *rr, struct workspace *ws, const char *kind,
			    const char *file)
{
	struct buf path = BUF_INIT, rel = BUF_INIT;
	char hex[65];
	uint64_t size;

	buf_addf(&path, "%s/%s", rr->dir, file);
	buf_addf(&rel, "runs/%s/%s", rr->ri.id, file);
	if (!access(path.buf, F_OK) && !sha256_file(path.buf, hex, &size)) {
		if (size)
			store_add_artifact(ws->st, rr->ri.id, kind, rel.buf, size, hex);
		else
			unlink(path.buf);
	}
	buf_release(&path);
	buf_release(&rel);
}

static void record_artifacts(struct runrec *rr, struct workspace *ws)
{
	static const char *const outputs[][2] = {
		{ "stdout", "stdout.txt" }, { "stderr", "stderr.txt" },
	};
	static const char *const reports[][2] = {
		{ "report-text", "report.txt" }, { "report-markdown", "report.md" },
		{ "report-json", "report.json" }, { "report-junit", "junit.xml" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(outputs); i++)
		record_artifact(rr, ws, outputs[i][0], outputs[i][1]);
	if (rr->backend)
		record_artifact(rr, ws, rr->backend->artifact_kind, rr->backend->artifact);
	for (size_t i = 0; i < ARRAY_SIZE(reports); i++)
		record_artifact(rr, ws, reports[i][0], reports[i][1]);
}

int runrec_finish(struct runrec *rr, struct workspace *ws, int err)
{
	return runrec_finish_exit(rr, ws, err, exit_code_for(err));
}

int runrec_finish_exit(struct runrec *rr, struct workspace *ws, int err, int code)
{
	enum run_status st = err == PG_EINTR ? RUN_INTERRUPTED : err ? RUN_FAILED : RUN_OK;

	if (!rr->ri.id[0])
		return code;
	if (rr->dir)
		record_artifacts(rr, ws);
	if (store_run_finish(ws->st, rr->ri.id, st, code, 0) && !err)
		code = EXIT_ENV;
	return code;
}

void runrec_release(struct runrec *rr)
{
	if (rr->out_fd >= 0)
		close(rr->out_fd);
	if (rr->err_fd >= 0)
		close(rr->err_fd);
	if (rr->raw_fd >= 0)
		close(rr->raw_fd);
	free(rr->dir);
	free(rr->argv_json);
	runrec_init(rr);
}

void runrec_measure_ctx(const struct runrec *rr, struct runner *r, struct store *st,
			struct measure_ctx *mc)
{
	measure_ctx_init(mc, rr->backend, r, st, rr->ri.id);
	mc->run_dir = rr->dir;
	mc->out_fd = rr->out_fd;
	mc->err_fd = rr->err_fd;
	mc->raw_fd = rr->raw_fd;
}
