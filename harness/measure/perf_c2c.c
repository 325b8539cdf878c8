/* Driving perf c2c on a runner; see perf_c2c.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/io.h"
#include "util/proc.h"
#include "measure/perf.h"
#include "measure/perf_c2c.h"
#include "measure/perf_gate.h"
#include "util/usage.h"
#include "util/banned.h"

void perf_c2c_record_argv(struct strvec *argv, const char *data_path)
{
	strvec_pushl(argv, "perf", "c2c", "record", "-o", data_path, "--", NULL);
}

/*
 * How perf 6.1 hands these words on (linux 6.1.187, Debian's linux-perf
 * 6.1.187-1, as on our machines): cmd_c2c() in tools/perf/builtin-c2c.c
 * stops at "record" and perf_c2c__record() first fails without memory
 * events ("failed: memory events not supported", before any option is
 * read), then parses its own options (-e -u -k -l, and -v from
 * c2c_options) with parse_options(..., PARSE_OPT_KEEP_UNKNOWN).  In
 * tools/lib/subcmd/parse-options.c, parse_options_step() copies every
 * word it does not know to the output in order, unchanged (label
 * `unknown:`): a long option is unknown when parse_long_opt() finds no
 * c2c option it abbreviates ("delay", "control" abbreviate none), so
 * `--delay=-1` and `--control=fd:CTL,ACK` / `--control=fifo:CTL,ACK` pass
 * as one word each; the "--" is dropped (no PARSE_OPT_KEEP_DASHDASH) and
 * the words after it follow unparsed (parse_options_end()).
 * perf_c2c__record() then calls cmd_record() with "record -W -d
 * --phys-data --sample-cpu -e <load event> -e <store event>", the kept
 * words, then the workload, which perf record's own parse stops at
 * (PARSE_OPT_STOP_AT_NON_OPTION; our binary paths are absolute).  The
 * two-word `-D -1` would pass too, but only by luck: "-1" is read as a
 * cluster of short options and kept because '1' is none of c2c's; a value
 * starting with e, u, k, l, v or h would be eaten.  Hence the single words.
 */
void perf_c2c_gated_argv(struct runner_job *job, const char *data_path)
{
	strvec_pushl(&job->argv, "perf", "c2c", "record", "-o", data_path, "--delay=-1", "--",
		     NULL);
	perf_gate_job(job, 3);         /* --control=... after "perf c2c record" */
}

void perf_c2c_attach_argv(struct strvec *argv, const char *data_path, const char *pids,
			  int seconds)
{
	strvec_pushl(argv, "perf", "c2c", "record", "-o", data_path, NULL);
	if (pids)
		strvec_pushl(argv, "-p", pids, NULL);
	else
		strvec_push(argv, "-a");
	strvec_pushl(argv, "--", "sleep", NULL);
	strvec_pushf(argv, "%d", seconds);
}

int perf_c2c_no_memory(const char *where, const char *perf_says, const char *way_out)
{
	return error_code(PG_EENV, "'perf c2c record' cannot sample memory accesses on %s "
			  "(perf: '%s'; it needs Intel load-latency events, AMD IBS or Arm SPE, "
			  "which VMs and most CI runners lack): %s", where, perf_says, way_out);
}

void perf_c2c_report_argv(struct strvec *argv, const char *data_path)
{
	strvec_pushl(argv, "perf", "c2c", "report", "-i", data_path, "--stdio",
		     "--full-symbols", "-NN", "-c", "pid,iaddr", NULL);
}

/* The last non-empty line of `s` (perf's reason), in place. */
static const char *last_line(struct buf *s)
{
	char *p;

	buf_rtrim(s);
	if (!s->len)
		return "no message";
	p = strrchr(s->buf, '\n');
	return p ? p + 1 : s->buf;
}

/* Run `argv` on the runner; its stdout into `out` (or NULL), stderr into `err`. */
static int run_on(struct runner *r, struct strvec *argv, struct buf *out, struct buf *err,
		  int *status)
{
	struct runner_job job;
	struct buf opath = BUF_INIT, epath = BUF_INIT;
	int ofd = -1, efd = -1, ret;
	static int seq;

	buf_addf(&opath, "%s/c2c-%d.out", r->local_scratch, seq);
	buf_addf(&epath, "%s/c2c-%d.err", r->local_scratch, seq++);
	ofd = open(opath.buf, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	efd = open(epath.buf, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (ofd < 0 || efd < 0) {
		ret = error("cannot create '%s': %s", opath.buf, strerror(errno));
		goto out;
	}
	runner_job_init(&job);
	strvec_pushv(&job.argv, argv->v);
	strvec_push(&job.env, "LC_ALL=C");
	job.stdout_fd = ofd;
	job.stderr_fd = efd;
	ret = r->ops->exec(r, &job);
	*status = job.status;
	runner_job_release(&job);
	if (!ret && out && (lseek(ofd, 0, SEEK_SET) < 0 || buf_read_fd(out, ofd, 0) < 0))
		ret = error("cannot read '%s': %s", opath.buf, strerror(errno));
	if (!ret && (lseek(efd, 0, SEEK_SET) < 0 || buf_read_fd(err, efd, 0) < 0))
		ret = error("cannot read '%s': %s", epath.buf, strerror(errno));
out:
	if (ofd >= 0)
		close(ofd);
	if (efd >= 0)
		close(efd);
	unlink(opath.buf);
	unlink(epath.buf);
	buf_release(&opath);
	buf_release(&epath);
	return ret;
}

static int c2c_probe(struct runner *r, struct fingerprint *fp)
{
	struct strvec argv = STRVEC_INIT;
	struct buf err = BUF_INIT, data = BUF_INIT;
	int status = 0, ret;

	buf_addf(&data, "%s/c2c-probe.data", r->scratch);
	perf_c2c_record_argv(&argv, data.buf);
	strvec_push(&argv, "true");
	ret = run_on(r, &argv, NULL, &err, &status);
	if (!ret && status) {
		struct buf where = BUF_INIT;

		if (r->dest)
			buf_addf(&where, "'%s'", r->dest);
		else
			buf_addstr(&where, "this machine");
		ret = perf_c2c_no_memory(where.buf, last_line(&err), "run it on a bare-metal Linux "
					 "host with --remote-host, or analyse a report made there "
					 "with --input");
		buf_release(&where);
	}
	if (!ret)
		fp->pmu = 1;
	strvec_clear(&argv);
	buf_release(&err);
	buf_release(&data);
	return ret;
}

int perf_c2c_report(struct runner *r, const char *data_path, struct buf *out)
{
	struct strvec argv = STRVEC_INIT;
	struct buf err = BUF_INIT;
	int status = 0, ret;

	perf_c2c_report_argv(&argv, data_path);
	ret = run_on(r, &argv, out, &err, &status);
	if (!ret && status)
		ret = error_code(PG_EENV, "'perf c2c report' failed on '%s' (exit %d): %s",
				 data_path, status, last_line(&err));
	strvec_clear(&argv);
	buf_release(&err);
	return ret;
}

int perf_c2c_report_local(const char *data_path, struct buf *out)
{
	struct proc p;
	struct buf err = BUF_INIT;
	char *perf = proc_which("perf");
	int ret;

	if (!perf)
		return error_code(PG_EENV, "'perf' not found in PATH: '%s' is a perf.data file and "
				  "'perf c2c report' reads it (Debian: 'apt-get install "
				  "linux-perf'), or pass its --stdio output", data_path);
	free(perf);
	proc_init(&p);
	perf_c2c_report_argv(&p.args, data_path);
	strvec_push(&p.env, "LC_ALL=C");
	ret = proc_capture(&p, out, &err);
	proc_release(&p);
	if (ret > 0)
		ret = error_code(PG_EENV, "'perf c2c report' failed on '%s' (exit %d): %s",
				 data_path, ret, last_line(&err));
	buf_release(&err);
	return ret;
}

static int c2c_preflight(void)
{
	return perf_preflight();
}

const struct backend backend_perf_c2c = {
	.name = "perf-c2c",
	.artifact = "c2c-report.txt",
	.artifact_kind = "c2c-report",
	.preflight = c2c_preflight,
	.check_runner = perf_check_runner,
	.probe = c2c_probe,
};
