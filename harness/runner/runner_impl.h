#ifndef PERFGO_RUNNER_IMPL_H
#define PERFGO_RUNNER_IMPL_H

/*
 * For runner implementations only (the sources in runner/): the rows
 * of the runner table and the pieces every runner shares.  Nothing
 * above runner/ includes this header (the unit tests do).
 */

#include "runner/runner.h"
#include "util/buf.h"
#include "util/strvec.h"

/*
 * The rows of the table in runner.c.  `open` gets a runner already zeroed,
 * with build_env initialised, `keep` and `dest` set; it fills ops, priv
 * and the scratch directories; on failure runner_open() calls
 * runner_close(), so ops->cleanup must cope with a half-open runner.
 */
int runner_local_open(struct runner *r, const char *dest);
int runner_ssh_open(struct runner *r, const char *dest);
/*
 * The ssh row's check: 0, or PG_EUSAGE (reported) when `host` is empty,
 * starts with '-' (ssh would read it as an option) or holds whitespace or
 * control characters.
 */
int ssh_check_host(const char *host);

/*
 * A private "$TMPDIR/<name>-XXXXXX" (NULL: reported) that records its
 * owner (this process, by pid and a lock held until exit); first removes
 * the "$TMPDIR/<name>-*" directories whose owner is gone (a perfgo killed
 * with SIGKILL cannot clean up).
 */
char *runner_mkdtemp(const char *name);
/* A kept scratch directory (--keep) is no longer swept as stale. */
void runner_disown_scratch(const char *dir);
/* rm -r of a local directory; 0 or -1 with errno. */
int runner_remove_tree(const char *dir);

/*
 * The argv a job runs: job->argv, with the control word for `ch`
 * inserted before argv[control_at] when the job has a control channel.
 */
void runner_job_argv(const struct runner_job *job, const struct runner_chan *ch,
		     struct strvec *out);

/*
 * Stdout arrived in `pending`: hand its complete lines (all of it with
 * `final`) to job->on_line.  0 or the callback's first error.
 */
int runner_job_lines(struct runner_job *job, struct buf *pending, int final);

/*
 * The machine facts of this machine, for the local probe; the ssh probe
 * reuses the CPU model from /proc/cpuinfo text ("model name",
 * "Model Name", "Hardware" or "cpu model", in that order; newly
 * allocated, NULL when absent) and Go's facts (version, GOOS, GOARCH,
 * GOAMD64) of the local toolchain with `env` (the target's GOOS/GOARCH)
 * applied.  Unreadable facts stay NULL.
 */
int probe_local_machine(struct fingerprint *fp);
char *probe_cpu_model(const char *cpuinfo);
void probe_go_facts(struct fingerprint *fp, const struct strvec *env);
/* The output of `go env GOVERSION GOOS GOARCH GOAMD64` (a C string) into fp. */
void probe_go_env_parse(struct fingerprint *fp, const char *out);

#endif
