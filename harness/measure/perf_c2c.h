#ifndef PERFGO_PERF_C2C_H
#define PERFGO_PERF_C2C_H

/*
 * Driving `perf c2c` on a runner (perfgo test c2c).  The contract with
 * perf, written out here so that tests can check it word for word:
 *
 *   record:  perf c2c record -o <runner scratch>/c2c-<n>.data -- <test binary> <args>
 *   report:  perf c2c report -i <data> --stdio --full-symbols -NN -c pid,iaddr
 *   attach:  perf c2c record -o <file in the perf pod> (-p <pid,...> | -a) -- sleep <seconds>
 *            (perfgo attach c2c; the same report follows there)
 *
 * --full-symbols keeps Go's long symbol names whole (perf cuts them at the
 * column width otherwise), -NN adds the CPU list per node, -c pid,iaddr
 * groups the Pareto rows per process and code address.  Unlike perf
 * stat, the record is not gated to the benchmark loop: perf c2c record
 * hands perf record's -D/--control through, but that path cannot be
 * verified without memory sampling, so the whole process is sampled
 * (start-up included); the benchmark loop dominates a run of a second or
 * more.
 *
 * backend_perf_c2c is the backend row a session opens with: perf usable
 * (preflight, check_runner as for perf stat), and its probe records
 * nothing real: `perf c2c record -o <scratch>/c2c-probe.data -- true` on
 * the runner, which fails on machines without memory sampling (VMs, most
 * CI runners: "failed: memory events not supported", exit 255).  Then the
 * probe fails with PG_EENV and one line naming what is missing (Intel
 * load-latency events, AMD IBS, Arm SPE) and the ways out (--remote-host
 * to a bare-metal host, --input with a report made elsewhere), before any
 * run is recorded.
 */

#include "measure/backend.h"
#include "runner/runner.h"
#include "util/buf.h"
#include "util/strvec.h"

extern const struct backend backend_perf_c2c;

/* The argv words of a record of `data_path` before the workload's. */
void perf_c2c_record_argv(struct strvec *argv, const char *data_path);
/*
 * perfgo attach c2c: the record of `pids` ("1,2"; NULL: the whole node,
 * -a) for `seconds` into `data_path`.
 */
void perf_c2c_attach_argv(struct strvec *argv, const char *data_path, const char *pids,
			  int seconds);
/*
 * The one-line error when `perf c2c record` fails for want of memory
 * sampling: on `where` ("this machine", "'host'", "node 'n'"), perf's own
 * last line, then `way_out`.  Returns PG_EENV.
 */
int perf_c2c_no_memory(const char *where, const char *perf_says, const char *way_out);
/* The argv of the report of `data_path` (stdout: the --stdio text). */
void perf_c2c_report_argv(struct strvec *argv, const char *data_path);

/*
 * Run the report of `data_path` on the runner into `out`.  0, PG_EINTR, or
 * PG_EENV (reported with perf's last stderr line).
 */
int perf_c2c_report(struct runner *r, const char *data_path, struct buf *out);

/*
 * The report of a perf.data file on this machine (--input): as above, run
 * here.  0 or PG_EENV (reported).
 */
int perf_c2c_report_local(const char *data_path, struct buf *out);

#endif
