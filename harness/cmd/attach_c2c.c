/*
 * perfgo attach cache-to-cache|c2c: `perf c2c record` on the target's PIDs
 * (node mode: the whole node, -a) in the perf pod for -d seconds, then
 * `perf c2c report` there with the options of `perfgo test c2c`
 * (measure/perf_c2c.h), its stdout brought back through kubectl exec and
 * parsed, symbolized, judged and reported as test c2c does (test_c2c.h).
 *
 * First a probe records `true` in the pod: a node without memory sampling
 * fails there with test c2c's one-line error naming the node, before any
 * run is recorded.  In pod mode the target's executables are copied out
 * of the pod (/proc/<pid>/exe, `kubectl exec cat`) and kept once by
 * content as binaries/<sha256>/<name> in the store, an artifact of the
 * run; when the target runs one binary, the report's addresses are named
 * from it.  The raw report is the run's c2c-report.txt, so `perfgo test
 * c2c --input` with `--binary` can analyse it again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/attach.h"
#include "cmd/test_c2c.h"
#include "measure/perf_c2c.h"
#include "session/runrec.h"
#include "util/io.h"
#include "util/json.h"
#include "util/sha256.h"
#include "util/usage.h"
#include "util/banned.h"

/* The last line of the command's stderr, not kubectl's "command terminated ...". */
static void perf_line(struct buf *err, struct buf *line)
{
	for (;;) {
		kube_last_line(err, line);
		if (!starts_with(line->buf, "command terminated with exit code"))
			return;
		/* Drop that line and look again. */
		buf_rtrim(err);
		while (err->len && err->buf[err->len - 1] != '\n')
			err->len--;
		err->buf[err->len] = '\0';
		if (!err->len) {
			buf_reset(line);
			buf_addstr(line, "no message");
			return;
		}
	}
}

static void remove_data(struct attach *a, const char *data)
{
	struct strvec argv = STRVEC_INIT;
	struct buf err = BUF_INIT;

	strvec_pushl(&argv, "rm", "-f", data, NULL);
	strvec_pushf(&argv, "%s.old", data);
	kube_exec(&a->k, a->pod.ns, a->pod.name, PERFPOD_CONTAINER, &argv, 0, NULL, &err);
	strvec_clear(&argv);
	buf_release(&err);
}

/* perf c2c record of `true` in the pod: can the node sample memory accesses? */
static int probe(struct attach *a, const char *data)
{
	struct strvec argv = STRVEC_INIT;
	struct buf err = BUF_INIT, line = BUF_INIT, where = BUF_INIT;
	int code;

	perf_c2c_record_argv(&argv, data);
	strvec_push(&argv, "true");
	code = kube_exec(&a->k, a->pod.ns, a->pod.name, PERFPOD_CONTAINER, &argv, 0, NULL, &err);
	if (code > 0) {
		perf_line(&err, &line);
		buf_addf(&where, "node '%s'", a->t.node);
		code = perf_c2c_no_memory(where.buf, line.buf, "attach to a workload on a "
					  "bare-metal node, or analyse a report made there with "
					  "'perfgo test c2c --input'");
	}
	remove_data(a, data);
	strvec_clear(&argv);
	buf_release(&err);
	buf_release(&line);
	buf_release(&where);
	return code;
}

/* A file name from the link /proc/<pid>/exe points to, safe for a path here. */
static void exe_name(struct buf *name, const struct buf *link)
{
	const char *s = link->buf ? link->buf : "";
	const char *base = strrchr(s, '/');
	size_t n;

	base = base ? base + 1 : s;
	n = strcspn(base, "\n");
	if (n > 10 && !strncmp(base + n - 10, " (deleted)", 10))
		n -= 10;
	for (size_t i = 0; i < n && i < 100; i++) {
		char c = base[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '-' || c == '+')
			buf_addch(name, c);
	}
	if (!name->len || name->buf[0] == '.') {
		buf_reset(name);
		buf_addstr(name, "exe");
	}
}

/* Keep `bin` as <store>/binaries/<hex>/<name> (once), an artifact of the run. */
static int keep_binary(struct workspace *ws, const char *run_id, const struct buf *bin,
		       const char *name, const char *hex, struct buf *path)
{
	struct buf dir = BUF_INIT, rel = BUF_INIT, tmp = BUF_INIT;
	int ret;

	buf_addf(&dir, "%s/binaries/%s", ws->dir, hex);
	buf_addf(&rel, "binaries/%s/%s", hex, name);
	buf_addf(path, "%s/%s", dir.buf, name);
	buf_addf(&tmp, "%s.tmp%d", path->buf, (int)getpid());
	ret = mkdir_p(dir.buf, 0755);
	if (!ret && access(path->buf, F_OK)) {
		ret = buf_write_file(bin, tmp.buf);
		if (!ret && rename(tmp.buf, path->buf))
			ret = error("cannot rename '%s': %s", tmp.buf, strerror(errno));
		if (ret)
			unlink(tmp.buf);
	}
	if (!ret)
		ret = store_add_artifact(ws->st, run_id, "binary", rel.buf, bin->len, hex);
	buf_release(&dir);
	buf_release(&rel);
	buf_release(&tmp);
	return ret;
}

/* `prog /proc/<pid>/exe` in the perf pod: its exit status, or PG_EINTR/PG_EENV. */
static int exec_on_exe(struct attach *a, const char *prog, int pid, struct buf *out)
{
	struct strvec argv = STRVEC_INIT;
	struct buf err = BUF_INIT;
	int code;

	strvec_push(&argv, prog);
	strvec_pushf(&argv, "/proc/%d/exe", pid);
	code = kube_exec(&a->k, a->pod.ns, a->pod.name, PERFPOD_CONTAINER, &argv, 0, out, &err);
	strvec_clear(&argv);
	buf_release(&err);
	return code;
}

/* 0 when /proc/<pid>/exe has `len` bytes, 1 when not, or PG_EINTR/PG_EENV. */
static int exec_size(struct attach *a, int pid, size_t len)
{
	struct strvec argv = STRVEC_INIT;
	struct buf out = BUF_INIT, err = BUF_INIT;
	long long size = -1;
	int code;

	strvec_pushl(&argv, "stat", "-L", "-c", "%s", NULL);
	strvec_pushf(&argv, "/proc/%d/exe", pid);
	code = kube_exec(&a->k, a->pod.ns, a->pod.name, PERFPOD_CONTAINER, &argv, 0, &out, &err);
	if (!code && (sscanf(out.buf ? out.buf : "", "%lld", &size) != 1 ||
		      size != (long long)len))
		code = 1;
	strvec_clear(&argv);
	buf_release(&out);
	buf_release(&err);
	return code;
}

int attach_copy_exe(struct attach *a, struct workspace *ws, const char *run_id, int pid,
		    const char *container, struct buf *link, struct buf *path)
{
	struct buf bin = BUF_INIT, name = BUF_INIT;
	char hex[SHA256_HEX_SIZE];
	int ret = 0, code = exec_on_exe(a, "readlink", pid, link);

	if (!code)
		code = exec_on_exe(a, "cat", pid, &bin);
	/* What came back is whole (kubectl's capture has a cap). */
	if (!code)
		code = exec_size(a, pid, bin.len);
	buf_rtrim(link);
	if (code < 0) {
		ret = code;
	} else if (code || !bin.len) {
		/* A process that ended meanwhile: its samples stay unnamed. */
		warning("cannot copy the executable of PID %d in container '%s'", pid, container);
	} else {
		exe_name(&name, link);
		sha256_hex(bin.buf, bin.len, hex);
		ret = keep_binary(ws, run_id, &bin, name.buf, hex, path);
	}
	buf_release(&bin);
	buf_release(&name);
	return ret;
}

/*
 * Copy each target PID's executable out of the pod and keep it.  `use`
 * gets the path of the one binary to name addresses from; empty when the
 * PIDs run several (a warning) or none could be read.
 */
static int copy_binaries(struct attach *a, struct workspace *ws, const char *run_id,
			 struct buf *use)
{
	struct strvec paths = STRVEC_INIT;
	int ret = 0;

	for (size_t i = 0; i < a->t.nr && !ret; i++) {
		for (size_t j = 0; j < a->t.c[i].npids && !ret; j++) {
			struct buf link = BUF_INIT, path = BUF_INIT;

			ret = attach_copy_exe(a, ws, run_id, (int)a->t.c[i].pids[j], a->t.c[i].name,
					      &link, &path);
			if (!ret && path.len && strvec_find(&paths, path.buf) < 0) {
				strvec_push(&paths, path.buf);
				buf_reset(use);
				buf_addstr(use, path.buf);
			}
			buf_release(&link);
			buf_release(&path);
		}
	}
	if (!ret && paths.nr > 1) {
		warning("the target runs %zu different executables: the report's addresses are "
			"left unnamed (they are kept under binaries/ for 'perfgo test c2c --input "
			"--binary')", paths.nr);
		buf_reset(use);
	}
	strvec_clear(&paths);
	return ret;
}

/* Record for -d seconds, then the report, into `text`. */
static int record_and_report(struct attach *a, const char *data, struct buf *text)
{
	struct strvec argv = STRVEC_INIT;
	char *pids = attach_pid_list(a);
	int ret;

	perf_c2c_attach_argv(&argv, data, a->o->pod ? pids : NULL, a->o->duration);
	note("recording %s under perf c2c for %d s", a->target, a->o->duration);
	ret = perfpod_exec(&a->pod, &argv, NULL, "perf c2c record");
	strvec_clear(&argv);
	/* Its stdout is the report: C locale, as perfgo test c2c runs it. */
	strvec_pushl(&argv, "env", "LC_ALL=C", NULL);
	perf_c2c_report_argv(&argv, data);
	if (!ret)
		ret = perfpod_exec(&a->pod, &argv, text, "perf c2c report");
	if (ret != PG_EINTR)
		remove_data(a, data);
	strvec_clear(&argv);
	free(pids);
	return ret;
}

static json_t *entry_json(const struct attach *a, const char *binary_rel)
{
	json_t *e = json_object(), *ctrs = json_array();

	for (size_t i = 0; a->o->pod && i < a->t.nr; i++) {
		json_t *pids = json_array();

		for (size_t j = 0; j < a->t.c[i].npids; j++)
			json_array_append_new(pids, json_integer(a->t.c[i].pids[j]));
		json_array_append_new(ctrs, json_pack("{s:s, s:o}", "name", a->t.c[i].name,
						      "pids", pids));
	}
	json_object_set_new(e, "target", json_str(a->target));
	json_object_set_new(e, "node", json_str(a->t.node));
	json_object_set_new(e, "containers", ctrs);
	json_object_set_new(e, "duration_s", json_integer(a->o->duration));
	json_object_set_new(e, "binary", json_str(binary_rel));
	return e;
}

int attach_c2c(struct attach *a, const struct ctx *ctx)
{
	struct workspace ws;
	struct fingerprint fp;
	struct runrec rr;
	struct runrec_args ra = { 0 };
	struct c2c_out out = { BUF_INIT, BUF_INIT, json_array() };
	struct buf data = BUF_INIT, text = BUF_INIT, bin = BUF_INIT;
	char *cfg = NULL;
	int ret;

	memset(&ws, 0, sizeof(ws));
	memset(&fp, 0, sizeof(fp));
	runrec_init(&rr);
	buf_addf(&data, "/tmp/%s-c2c.data", a->pod.name);
	ret = perfpod_probe(&a->pod, a->node, a->o->image, &fp);
	if (!ret)
		ret = probe(a, data.buf);
	if (!ret)
		ret = workspace_open_user(&ws);
	if (!ret)
		ret = store_fingerprint(ws.st, &fp, &ra.fingerprint_id);
	if (ret)
		goto out;
	cfg = attach_config_json(a, "attach c2c");
	ra.command = "attach c2c";
	ra.packages = a->target;
	ra.config_json = cfg;
	ra.backend = &backend_perf_c2c;
	ret = runrec_begin(&rr, &ws, ctx, &ra);
	if (!ret && a->o->pod)
		ret = copy_binaries(a, &ws, rr.ri.id, &bin);
	if (!ret)
		ret = record_and_report(a, data.buf, &text);
	if (!ret && write_all(rr.raw_fd, text.buf, text.len))
		ret = error("cannot write '%s/c2c-report.txt': %s", rr.dir, strerror(errno));
	if (!ret) {
		const char *rel = bin.len ? strstr(bin.buf, "binaries/") : NULL;

		ret = c2c_out_analyse(&out, (size_t)a->o->top, text.buf, text.len,
				      "the perf pod's 'perf c2c report'", bin.len ? bin.buf : NULL,
				      a->target, entry_json(a, rel));
	}
	if (!ret)
		ret = c2c_out_write(rr.dir, &out, a->o->format);
	ret = runrec_finish(&rr, &ws, ret) ? (ret ? ret : PG_EENV) : ret;
	if (ret == PG_EINTR)
		note("interrupted: run %.8s recorded as interrupted", rr.ri.id);
out:
	fingerprint_release(&fp);
	runrec_release(&rr);
	workspace_close(&ws);
	buf_release(&data);
	buf_release(&text);
	buf_release(&bin);
	buf_release(&out.text);
	buf_release(&out.md);
	json_decref(out.runs);
	free(cfg);
	return ret;
}
