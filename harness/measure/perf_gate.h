#ifndef PERFGO_PERF_GATE_H
#define PERFGO_PERF_GATE_H

/*
 * perf's gate over a benchmark (DESIGN §4): perf starts with its events
 * disabled (`-D -1`, or `--delay=-1`) and listens on a control channel
 * (`--control=fd:CTL,ACK` locally, `--control=fifo:CTL,ACK` on a remote
 * runner: perf_gate_job() sets the job up); perfgo sends `enable` when the
 * test binary prints the bare benchmark name (-test.v: after runtime and
 * package init) and `disable` at its result line.  Shared by perf stat
 * (backend_perf_stat.c), perf record (backend_perf_record.c) and perf c2c
 * record (cmd/test_c2c.c through perf_c2c.h).
 *
 * A gate opened too late (perf already gone when `enable` arrived: the
 * benchmark was over, e.g. on a busy machine) sets `late`; the caller
 * measures again (backend.h gate_missed) and judges it with
 * perf_gate_judge() after the last attempt.
 */

#include <stdint.h>

#include "runner/runner.h"

struct perf_gate {
	int enabled, disabled;
	int late;                  /* perf was gone before the enable arrived */
	int64_t enable_wall;       /* clock_wall_ns() when enable was sent */
	int64_t enable_mono;       /* clock_mono_ns() when enable was sent */
	int64_t disable_mono;      /* clock_mono_ns() when disable was acknowledged */
};

/*
 * Give `job` perf's control channel: the runner inserts the --control
 * word (one argv word, see perf_gate_control_word()) before argv[at].
 */
void perf_gate_job(struct runner_job *job, size_t at);

/* "--control=fd:CTL,ACK" or "--control=fifo:CTL,ACK" for channel `ch` (allocated). */
char *perf_gate_control_word(const struct runner_chan *ch);

/*
 * The benchmark started: send `enable` once.  perf gone already marks the
 * gate late (judged when the job is over: a crash explains it better).
 * 0, PG_EINTR or PG_EENV (reported).
 */
int perf_gate_open(struct perf_gate *g, struct runner_job *job);

/*
 * The benchmark ended: send `disable` once, if enabled.  perf gone
 * already is fine: the workload exited, counting stopped with it.
 */
int perf_gate_close(struct perf_gate *g, struct runner_job *job);

/*
 * After a clean exit: 0 when the benchmark was gated, else PG_EENV
 * (reported) saying why.  `what` names what perf gated ("counters",
 * "recording").
 */
int perf_gate_judge(const struct perf_gate *g, const char *what, const char *pkg,
		    const char *bench);

#endif
