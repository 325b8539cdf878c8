#ifndef PERFGO_PERF_C2C_H
#define PERFGO_PERF_C2C_H

/*
 * Driving `perf c2c` on a runner (perfgo test c2c).  The contract with
 * perf, written out here so that tests can check it word for word:
 *
 *   record:  perf c2c record --control=<channel> -o <runner scratch>/c2c-<n>.data
 *                --delay=-1 -- <test binary> <args> -test.bench=^Name$ -test.run=^$ -test.v
 *   probe:   perf c2c record -o <runner scratch>/c2c-probe.data -- true
 *   report:  perf c2c report -i <data> --stdio --full-symbols -NN -c pid,iaddr
 *   attach:  perf c2c record -o <file in the perf pod> (-p <pid,...> | -a) -- sleep <seconds>
 *            (perfgo attach c2c; the same report follows there)
 *
 * --full-symbols keeps Go's long symbol names whole (perf cuts them at the
 * column width otherwise), -NN adds the CPU list per node, -c pid,iaddr
 * groups the Pareto rows per process and code address.
 *
 * The record is gated like perf stat's count (perf_gate.h): perf starts
 * with its events disabled (--delay=-1) and perfgo enables them on the
 * control channel (--control=fd:CTL,ACK locally, =fifo:CTL,ACK on a
 * remote runner) when the binary prints the benchmark's bare name
 * (-test.v; after runtime and package init), and disables them at the
 * PASS/FAIL line ending the run (the one benchmark, its sub-benchmarks
 * and -count rounds inside).  perf c2c record hands both words to perf
 * record unchanged: perf_c2c.c cites where perf 6.1's source does that.
 * A gate opened after the benchmark was over is recorded again, up to
 * MEASURE_GATE_ATTEMPTS processes, then an error.  What was verified
 * where: perf record with c2c's exact argv (memory events replaced by
 * cpu-clock) on this VM, for real (t7001); perf c2c record itself needs
 * memory sampling, which no machine used for this work has.
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

/* The argv words of an ungated record of `data_path` before the workload's (the probe). */
void perf_c2c_record_argv(struct strvec *argv, const char *data_path);
/*
 * A record of `data_path` gated to the benchmark (perf_gate.h): the argv
 * words before the workload's, and the control channel the runner adds
 * (`--control=...` after "perf c2c record").
 */
void perf_c2c_gated_argv(struct runner_job *job, const char *data_path);
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
