/*
 * perfgo test cache-to-cache|c2c [<options>] [--] <pkg>... [go test flags]
 * perfgo test c2c --input <report.txt|perf.data> [--binary <test binary>]
 *
 * Records every benchmark under `perf c2c record` (perf_c2c.h has the
 * contract), reads `perf c2c report` as data (collect/c2c_parse.h), names
 * its addresses from the test binary (symbol/symbolize.h) and says per
 * shared cache line whether it is false sharing, true sharing or neither
 * (analysis/cacheline.h), with the fix.  --input does the analysis on a
 * report (or perf.data) made on another machine.  Either way the result is
 * stored as a run: `perfgo view` shows it again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/io.h"
#include "cli/cli.h"
#include "cli/testargs.h"
#include "cmd/test_c2c.h"
#include "collect/c2c_parse.h"
#include "collect/gobench.h"
#include "c2c_report.h"
#include "gobuild/gotool.h"
#include "measure/measure.h"
#include "measure/perf_c2c.h"
#include "measure/perf_gate.h"
#include "runner/runner.h"
#include "session/session.h"
#include "symbol/symbolize.h"
#include "util/json.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/banned.h"

static const char c2c_usage[] =
	"usage: perfgo test cache-to-cache|c2c [<options>] [--] <pkg>... [go test flags]\n"
	"   or: perfgo test c2c --input <file> [--binary <test binary>] [<options>]\n"
	"\n"
	"Record every benchmark under 'perf c2c record' and say, per shared cache line,\n"
	"whether it is false sharing (different offsets written from several CPUs), true\n"
	"sharing (one offset) or neither, with the numbers, the code and the fix.  Needs\n"
	"memory sampling (Intel load-latency events, AMD IBS or Arm SPE): on a VM use\n"
	"--remote-host to a bare-metal host, or analyse a 'perf c2c report --stdio'\n"
	"output (or a perf.data) made there with --input.\n";

struct c2c_opts {
	const char *input, *binary, *format, *remote;
	int top, keep;
};

int c2c_check_format(const char *f)
{
	if (strcmp(f, "text") && strcmp(f, "markdown") && strcmp(f, "json"))
		return error_code(PG_EUSAGE, "unknown format '%s': use text, markdown or json", f);
	return 0;
}

int c2c_out_analyse(struct c2c_out *o, size_t top, const char *text, size_t len,
		    const char *name, const char *binary, const char *title, json_t *entry)
{
	struct c2c_report r;
	struct c2c_analysis a;
	int ret;

	c2c_report_init(&r);
	ret = c2c_parse(text, len, name, &r);
	if (ret)
		goto out;
	if (binary && r.nr && c2c_symbolize(&r, binary))
		warning("addresses left unnamed (see the error above)");
	c2c_analyse(&r, &a);
	if (title) {
		buf_addf(&o->text, "%s== %s ==\n", o->text.len ? "\n" : "", title);
		buf_addf(&o->md, "%s# %s\n\n", o->md.len ? "\n" : "", title);
	}
	c2c_report_text(&o->text, &r, &a, top);
	c2c_report_markdown(&o->md, &r, &a, top);
	json_object_set_new(entry, "report", c2c_report_json_tree(&r, &a));
	json_array_append_new(o->runs, entry);
	entry = NULL;
	c2c_analysis_release(&a);
out:
	json_decref(entry);
	c2c_report_release(&r);
	return ret;
}

int c2c_out_write(const char *dir, struct c2c_out *o, const char *format)
{
	struct buf js = BUF_INIT, path = BUF_INIT;
	json_t *doc = json_object();
	const struct buf *show;
	int ret = 0;

	json_object_set(doc, "runs", o->runs);
	if (json_to_buf(&js, doc, JSON_INDENT(1)))
		BUG("out of memory serializing JSON");
	buf_addch(&js, '\n');
	json_decref(doc);
	if (dir) {
		static const char *const names[] = { "report.txt", "report.md", "report.json" };
		const struct buf *bufs[] = { &o->text, &o->md, &js };

		for (size_t i = 0; i < 3 && !ret; i++) {
			buf_reset(&path);
			buf_addf(&path, "%s/%s", dir, names[i]);
			ret = buf_write_file(bufs[i], path.buf);
		}
	}
	show = !strcmp(format, "json") ? &js : !strcmp(format, "markdown") ? &o->md : &o->text;
	fwrite(show->buf, 1, show->len, stdout);
	buf_release(&js);
	buf_release(&path);
	return ret;
}

static char *config_json(const struct c2c_opts *co)
{
	json_t *o = json_object();
	struct buf b = BUF_INIT;

	json_object_set_new(o, "mode", json_string("c2c"));
	json_object_set_new(o, "input", json_str(co->input));
	json_object_set_new(o, "binary", json_str(co->binary));
	if (json_to_buf(&b, o, JSON_COMPACT))
		BUG("out of memory serializing JSON");
	json_decref(o);
	return buf_detach(&b);
}

/* --input: a report (or perf.data) made elsewhere, analysed and stored here. */
static int from_input(const struct c2c_opts *co, struct ctx *ctx, struct c2c_out *o)
{
	struct workspace ws;
	struct runrec rr;
	struct runrec_args ra = { 0 };
	struct buf text = BUF_INIT;
	char *cfg = NULL;
	json_t *e;
	int ret;

	memset(&ws, 0, sizeof(ws));
	runrec_init(&rr);
	if (buf_read_file(&text, co->input, 0) < 0) {
		ret = error_code(PG_EUSAGE, "cannot read '%s': %s", co->input, strerror(errno));
		goto out;
	}
	if (text.len >= 7 && !memcmp(text.buf, "PERFILE", 7)) {
		buf_reset(&text);
		ret = perf_c2c_report_local(co->input, &text);
		if (ret)
			goto out;
	}
	/* Bad input is reported before anything is stored. */
	e = json_object();
	json_object_set_new(e, "input", json_str(co->input));
	ret = c2c_out_analyse(o, (size_t)co->top, text.buf, text.len, co->input, co->binary, NULL, e);
	if (!ret)
		ret = workspace_open(&ws, 1);
	if (ret)
		goto out;
	cfg = config_json(co);
	ra.command = "test c2c";
	ra.packages = co->input;
	ra.commit = ws.git.commit;
	ra.branch = ws.git.branch;
	ra.dirty = ws.git.dirty;
	ra.config_json = cfg;
	ra.backend = &backend_perf_c2c;
	ret = runrec_begin(&rr, &ws, ctx, &ra);
	if (!ret && write_all(rr.raw_fd, text.buf, text.len))
		ret = error("cannot write '%s/c2c-report.txt': %s", rr.dir, strerror(errno));
	if (!ret)
		ret = c2c_out_write(rr.dir, o, co->format);
	ret = runrec_finish(&rr, &ws, ret) ? (ret ? ret : PG_EENV) : ret;
out:
	runrec_release(&rr);
	workspace_close(&ws);
	buf_release(&text);
	free(cfg);
	return ret;
}

/* The benchmarks of a staged binary matching -bench (Go's -test.list). */
static int list_benchmarks(struct session *s, const char *rbin, const char *rdir,
			   const struct testargs *ta, struct strvec *out)
{
	struct runner_job job;
	struct buf path = BUF_INIT, text = BUF_INIT;
	int fd, ret;

	buf_addf(&path, "%s/c2c-list.txt", s->runner.local_scratch);
	fd = open(path.buf, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = error("cannot create '%s': %s", path.buf, strerror(errno));
		buf_release(&path);
		return ret;
	}
	runner_job_init(&job);
	strvec_push(&job.argv, rbin);
	strvec_pushf(&job.argv, "-test.list=%s", ta->bench ? ta->bench : ".");
	job.dir = rdir;
	job.stdout_fd = fd;
	ret = s->runner.ops->exec(&s->runner, &job);
	if (!ret && job.status)
		ret = error_code(PG_ECODE, "'%s -test.list' failed (exit %d)", rbin, job.status);
	if (!ret && (lseek(fd, 0, SEEK_SET) < 0 || buf_read_fd(&text, fd, 0) < 0))
		ret = error("cannot read '%s': %s", path.buf, strerror(errno));
	for (char *l = text.buf; !ret && l && *l;) {
		char *e = strchr(l, '\n');

		if (e)
			*e = '\0';
		if (starts_with(l, "Benchmark"))
			strvec_push(out, l);
		l = e ? e + 1 : NULL;
	}
	runner_job_release(&job);
	close(fd);
	unlink(path.buf);
	buf_release(&path);
	buf_release(&text);
	return ret;
}

/* One record's gate: opened at the benchmark's start line, closed when the run ends. */
struct c2c_job {
	const char *bench;
	struct perf_gate gate;
};

/*
 * -test.bench=^Name$ runs one top-level benchmark: the gate opens at its
 * bare name (-test.v prints it after init, before the b.N=1 probe run)
 * and closes at the PASS/FAIL line that ends the run, so that its
 * sub-benchmarks and -count rounds are inside and init and exit are not.
 */
static int c2c_line(struct runner_job *job, const char *line, size_t len)
{
	struct c2c_job *cj = job->data;
	char *name = NULL;
	int ret = 0;

	switch (gb_classify_line(line, len, &name)) {
	case GB_START:
		if (!strcmp(name, cj->bench))
			ret = perf_gate_open(&cj->gate, job);
		break;
	case GB_PASS:
	case GB_FAIL:
	case GB_BENCH_FAIL:
		ret = perf_gate_close(&cj->gate, job);
		break;
	default:
		break;
	}
	free(name);
	return ret;
}

/* One process under the gated perf c2c record into `data`. */
static int record_once(struct session *s, const struct testargs *ta, const char *rbin,
		       const char *rdir, const char *data, struct c2c_job *cj)
{
	struct runner_job job;
	int ret;

	runner_job_init(&job);
	perf_c2c_gated_argv(&job, data);
	strvec_push(&job.argv, rbin);
	strvec_pushv(&job.argv, ta->test.v);
	/* After the user's flags: the last -test.bench, -test.run and -test.v win. */
	strvec_pushf(&job.argv, "-test.bench=^%s$", cj->bench);
	strvec_pushl(&job.argv, "-test.run=^$", "-test.v", NULL);
	job.dir = rdir;
	job.stdout_fd = s->rr.out_fd;
	job.stderr_fd = s->rr.err_fd;
	job.on_line = c2c_line;
	job.data = cj;
	ret = s->runner.ops->exec(&s->runner, &job);
	if (!ret && job.status)
		ret = error_code(PG_ECODE, "'%s' failed under perf c2c record (exit %d; output in "
				 "the run's stdout and stderr)", cj->bench, job.status);
	runner_job_release(&job);
	return ret;
}

/* One benchmark under perf c2c record (gated, perf_c2c.h), then its report, analysed. */
static int record_bench(struct session *s, const struct c2c_opts *co, const struct testargs *ta,
			const struct gopkg *pkg, const char *bin, const char *rbin,
			const char *rdir, const char *bench, size_t seq, struct c2c_out *o)
{
	struct c2c_job cj;
	struct buf data = BUF_INIT, text = BUF_INIT, title = BUF_INIT;
	json_t *e;
	int ret;

	buf_addf(&data, "%s/c2c-%zu.data", s->runner.scratch, seq);
	note("recording %s %s under perf c2c", pkg->import_path, bench);
	for (int attempt = 1;; attempt++) {
		memset(&cj, 0, sizeof(cj));
		cj.bench = bench;
		ret = record_once(s, ta, rbin, rdir, data.buf, &cj);
		if (ret || !cj.gate.late || attempt == MEASURE_GATE_ATTEMPTS)
			break;
		/* As measure.c does for perf stat: a busy machine, most likely. */
		warning("benchmark '%s' ended before perf's recording was enabled; recording it "
			"again (%d/%d)", bench, attempt + 1, MEASURE_GATE_ATTEMPTS);
	}
	if (!ret)
		ret = perf_gate_judge(&cj.gate, "recording", pkg->import_path, bench);
	if (!ret)
		ret = perf_c2c_report(&s->runner, data.buf, &text);
	buf_addf(&title, "%s %s", pkg->import_path, bench);
	if (!ret) {
		/* The raw reports, one after the other, each under a line naming it. */
		struct buf head = BUF_INIT;

		buf_addf(&head, "# perfgo: %s\n", title.buf);
		if (write_all(s->rr.raw_fd, head.buf, head.len) ||
		    write_all(s->rr.raw_fd, text.buf, text.len))
			ret = error("cannot write '%s/c2c-report.txt': %s", s->rr.dir, strerror(errno));
		buf_release(&head);
	}
	if (!ret) {
		e = json_object();
		json_object_set_new(e, "package", json_str(pkg->import_path));
		json_object_set_new(e, "benchmark", json_str(bench));
		ret = c2c_out_analyse(o, (size_t)co->top, text.buf, text.len, bench, bin, title.buf, e);
	}
	buf_release(&data);
	buf_release(&text);
	buf_release(&title);
	return ret;
}

static int record_pkgs(struct session *s, const struct c2c_opts *co, const struct testargs *ta,
		       struct c2c_out *o)
{
	struct gopkg_list pkgs = GOPKG_LIST_INIT;
	size_t seq = 0;
	int ret;

	ret = gotool_list(NULL, NULL, NULL, &ta->packages, &ta->build, s->ws.dir, &pkgs);
	for (size_t i = 0; i < pkgs.nr && !ret; i++) {
		const struct gopkg *pkg = &pkgs.pkgs[i];
		struct strvec benches = STRVEC_INIT;
		struct buf bin = BUF_INIT;
		char *rbin = NULL, *rdir = NULL;

		buf_addf(&bin, "%s/%zu.test", s->runner.local_scratch, i);
		ret = gotool_build(NULL, NULL, NULL, pkg, &ta->build, &s->runner.build_env,
				   s->ws.dir, bin.buf);
		if (!ret)
			ret = s->runner.ops->stage(&s->runner, bin.buf, pkg->dir, &rbin, &rdir);
		if (!ret)
			ret = list_benchmarks(s, rbin, rdir, ta, &benches);
		for (size_t j = 0; j < benches.nr && !ret; j++)
			ret = record_bench(s, co, ta, pkg, bin.buf, rbin, rdir, benches.v[j], seq++, o);
		strvec_clear(&benches);
		buf_release(&bin);
		free(rbin);
		free(rdir);
	}
	if (!ret && !seq)
		ret = error_code(PG_EUSAGE, "no benchmark matches '-bench=%s' in %s",
				 ta->bench ? ta->bench : ".",
				 pkgs.nr == 1 ? pkgs.pkgs[0].import_path : "these packages");
	gopkg_list_release(&pkgs);
	return ret;
}

/* Recording: perf c2c usable on the runner (the backend's probe), then every benchmark. */
static int record_run(const struct c2c_opts *co, struct testargs *ta, struct ctx *ctx,
		      struct c2c_out *o)
{
	struct session s;
	struct session_opts so = { 0 };
	struct runrec_args ra = { 0 };
	struct buf pkgs = BUF_INIT;
	char *cfg = NULL;
	int ret;

	session_init(&s);
	so.ctx = ctx;
	so.backend = &backend_perf_c2c;
	so.remote = co->remote;
	so.keep = co->keep;
	ret = session_open(&s, &so);
	if (ret)
		goto out;
	cfg = config_json(co);
	for (size_t i = 0; i < ta->packages.nr; i++)
		buf_addf(&pkgs, "%s%s", i ? " " : "", ta->packages.v[i]);
	ra.command = "test c2c";
	ra.packages = pkgs.buf;
	ra.commit = s.ws.git.commit;
	ra.branch = s.ws.git.branch;
	ra.dirty = s.ws.git.dirty;
	ra.config_json = cfg;
	ra.backend = &backend_perf_c2c;
	ret = session_begin_run(&s, &ra);
	if (!ret)
		ret = record_pkgs(&s, co, ta, o);
	if (!ret)
		ret = c2c_out_write(s.rr.dir, o, co->format);
	ret = session_end_run(&s, ret, exit_code_for(ret));
	if (ret == PG_EINTR)
		note("interrupted: run %.8s recorded as interrupted", s.rr.ri.id);
out:
	session_close(&s);
	buf_release(&pkgs);
	free(cfg);
	return ret;
}

int test_c2c(int argc, const char **argv, struct ctx *ctx)
{
	struct c2c_opts co = { NULL, NULL, "text", NULL, 10, 0 };
	struct opt opts[] = {
		OPT_STR_("input", 0, &co.input, "<file>",
			 "analyse this 'perf c2c report --stdio' output or perf.data"),
		OPT_STR_("binary", 0, &co.binary, "<file>",
			 "with --input: the test binary, to name code and data addresses"),
		OPT_STR_("format", 0, &co.format, "<fmt>", "text, markdown or json"),
		OPT_INT_("top", 0, &co.top, "<n>", "cache lines shown per report (0: all; default 10)"),
		OPT_STR_("remote-host", 0, &co.remote, "<host>",
			 "build here, record on [user@]host over ssh"),
		OPT_BOOL_("keep", 0, &co.keep, "keep the (remote) scratch directory"),
		OPT_END_()
	};
	struct strvec rest = STRVEC_INIT;
	struct testargs ta;
	struct c2c_out o = { BUF_INIT, BUF_INIT, json_array() };
	int ret;

	testargs_init(&ta);
	ret = cli_parse("test", c2c_usage, opts, argc - 1, argv + 1, OPTS_STOP_AT_NON_OPTION, &rest);
	if (ret) {
		ret = ret > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	ret = c2c_check_format(co.format);
	if (!ret && co.top < 0)
		ret = error_code(PG_EUSAGE, "'--top' must be 0 or more, not %d", co.top);
	if (!ret && co.input && (rest.nr || co.remote))
		ret = error_code(PG_EUSAGE, "'--input' analyses a report: it takes no packages "
				 "and no '--remote-host'");
	if (!ret && co.binary && !co.input)
		ret = error_code(PG_EUSAGE, "'--binary' goes with '--input' (a recording names "
				 "addresses from the binary it ran)");
	if (!ret && co.remote && runner_check_dest(co.remote))
		ret = PG_EUSAGE;
	if (!ret && !co.input && testargs_parse(&ta, (int)rest.nr, rest.v))
		ret = PG_EUSAGE;
	if (ret) {
		cli_hint("test");
		ret = EXIT_USAGE;
		goto out;
	}
	if (co.input)
		ret = exit_code_for(from_input(&co, ctx, &o));
	else
		ret = exit_code_for(record_run(&co, &ta, ctx, &o));
out:
	testargs_release(&ta);
	strvec_clear(&rest);
	buf_release(&o.text);
	buf_release(&o.md);
	json_decref(o.runs);
	return ret;
}
