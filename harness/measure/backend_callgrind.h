#ifndef PERFGO_BACKEND_CALLGRIND_H
#define PERFGO_BACKEND_CALLGRIND_H

/*
 * The simulation backend (backend_callgrind in backend.h, `--counters
 * sim`): deterministic instruction, cache and branch counts from
 * valgrind's callgrind where there is no hardware PMU.  Each repetition is
 * three processes: the test binary alone with the leaf's N for Go's own
 * metrics (ns/op, B/op, allocs/op), then
 *
 *     GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 timeout --foreground -k 10 <cap>
 *         valgrind --tool=callgrind -q
 *         --cache-sim=yes --branch-sim=yes --I1=.. --D1=.. --LL=..
 *         --callgrind-out-file=F --toggle-collect=<pkg>.BenchmarkX ...
 *         --dump-before='testing.(*B).launch'
 *         pkg.test ... -test.benchtime=<n>x -test.cpu=1
 *
 * with n = S/2 and n = S (the two-point differential: what the benchmark
 * function does before its loop is the same in both and cancels).
 *
 * Parts.  Go runs a benchmark twice in each process, b.N=1 first, then
 * b.N=n, each time on a new goroutine, and callgrind follows calls by the
 * stack pointer: whether collection stays on through the b.N=1 run
 * depends on where Go places and grows that goroutine's stack, so that
 * run's set-up was counted in some processes and not in others (a
 * data-building benchmark: 5.6 M instructions in 1 process of 8, README).
 * --dump-before=testing.(*B).launch closes a part of the out file when
 * the main run starts (Go's launch runs only the b.N=n run), and again
 * whenever callgrind takes a goroutine's return into launch for an
 * entry; so the first part, F.1, holds start-up and the b.N=1 run, and
 * the main run is the sum of the others (F.2, ..., then F at exit).  No
 * parts (callgrind never saw launch begin): the whole of F.  F is named
 * per process (cg-<k>.callgrind) so that a failed process's parts never
 * mix with the next one's; the run's raw artifact is the summed parts,
 * one after the other.
 *
 * A benchmark valgrind cannot run (an instruction it does not know, a
 * crash under valgrind only, a simulated process past its cap) is not an
 * error of the run: tool_failed says BACKEND_ESKIP with the reason
 * (callgrind_failure()), measure.c records it, and that leaf's later
 * repetitions are the plain run alone; the other leaves go on.  The cap
 * of a simulated process is CG_CAP_FACTOR times its repetition's plain
 * run, at least CG_CAP_MIN_S (callgrind_cap()).
 * S = max(4, min(N, 64), N/50): the simulation is ~50x slower than the
 * machine.  The simulated counts repeat exactly, so only the first
 * CG_SIM_REPS repetitions simulate (CG_SIM_RECOUNT more while they do
 * not); the others are the plain run alone,
 * so that ns/op keeps every repetition its own statistics need (a change
 * that costs time but not instructions, a mispredicted branch, is still
 * gated on ns/op).
 *
 * GOMAXPROCS=1 and asyncpreemptoff are required: with more Ps the counts
 * vary 4x, and callgrind crashes on Go's preemption signals.  Collection
 * is toggled on the benchmark's own function (see callgrind_toggles()),
 * per thread, so the runtime's other threads are never counted.  The
 * cache geometry is fixed (CALLGRIND_GEOMETRY) so that every runner
 * simulates the same machine; it and valgrind's version are the runner
 * fingerprint's tool version, so a different simulator is a different
 * class.
 */

#include <stdint.h>

/* Repetitions that simulate; later ones only run the plain process... */
#define CG_SIM_REPS 3
/*
 * ...but for up to this many more while the simulated instructions of the
 * repetitions so far do not repeat (no strict majority within 0.1 % of
 * their median: compare's rule; measure.c): with 5, one more agreeing
 * repetition makes a majority of 3 where 3 could not.
 */
#define CG_SIM_RECOUNT 2

/* Where callgrind closes a part of its out file (see "Parts" above). */
#define CG_DUMP_BEFORE "testing.(*B).launch"
/* More parts than any process writes (2-3 seen): the listing's bound. */
#define CG_MAX_PARTS 4096

/*
 * A simulated process of S <= N iterations runs 27-78x slower than the
 * plain one of N (README): 200x its time is a cap with room for a loaded
 * machine, and never below 120 s (valgrind's start-up on a large binary).
 */
#define CG_CAP_FACTOR 200u
#define CG_CAP_MIN_S 120u

struct buf;

struct cg_result;
struct gb_result;
struct rep_samples;
struct strvec;

#define CALLGRIND_GEOMETRY "--I1=32768,8,64", "--D1=32768,8,64", "--LL=8388608,16,64"
#define CALLGRIND_GEOMETRY_TEXT "I1=32768,8,64 D1=32768,8,64 LL=8388608,16,64"

/*
 * The --toggle-collect patterns for leaf `leaf` ("BenchmarkX/a/b") of the
 * package with import path `import_path` and name `pkg_name`, appended to
 * `out` as whole options.  Callgrind matches them against the symbol names
 * Go writes ("example.com/p.BenchmarkX"; the last path element's dots
 * escaped as %2e; "main" for a main package; "<path>_test" for the external
 * test package), with '*' and '?' as wildcards.  A toggle nested inside
 * another toggles collection *off*, so exactly one frame may match at a
 * time:
 *
 *   BenchmarkX         the function itself
 *   BenchmarkX/a       its closures "BenchmarkX.func?" and ".func??":
 *                      a sub-benchmark's body runs in a goroutine of its
 *                      own (the parent's frame is not on that stack)
 *   BenchmarkX/a/b     "BenchmarkX.func?.?" ... ".func??.??"
 *
 * PG_EUSAGE (reported) for sub-benchmarks nested deeper than three levels.
 */
int callgrind_toggles(const char *import_path, const char *pkg_name, const char *leaf,
		      struct strvec *out);

/*
 * One repetition's samples: Go's metrics from `go` (the plain run), then
 * per op (hi - lo) / (n_hi - n_lo) of: instructions:sim (Ir),
 * data-reads:sim (Dr), data-writes:sim (Dw), L1-icache-misses:sim (I1mr),
 * L1-dcache-read-misses:sim (D1mr), L1-dcache-write-misses:sim (D1mw),
 * LL-misses:sim (ILmr + DLmr + DLmw) and, with --branch-sim, branches:sim
 * (Bc + Bi) and branch-misses:sim (Bcm + Bim), each flagged SAMPLE_SIM
 * with n_hi iterations.  Events the runs lack are left out.
 */
void callgrind_samples(struct rep_samples *rs, int64_t bench_id, int rep,
		       const struct gb_result *go, const struct cg_result *lo, uint64_t n_lo,
		       const struct cg_result *hi, uint64_t n_hi);

/*
 * The wall-clock cap of a simulated process, in seconds, after a plain run
 * of `plain_ns` (0: unknown): $PERFGO_SIM_TIMEOUT (whole seconds > 0) when
 * set, else max(CG_CAP_MIN_S, CG_CAP_FACTOR * plain run).
 */
uint64_t callgrind_cap(int64_t plain_ns);
/* $PERFGO_SIM_TIMEOUT in seconds, 0 when unset or not a whole number > 0. */
uint64_t callgrind_cap_override(void);

/*
 * Why a simulated process that exited with `status` (timeout(1)'s 124 or
 * 137 with `timed_out`: it ran past `cap_s`) and stderr `err` failed,
 * given that the repetition's plain run passed: 0 for status 0; PG_EENV
 * (reported) when valgrind itself refused to start ("valgrind: Bad option
 * ..."); else BACKEND_ESKIP with the reason appended to `why`:
 * "simulation timed out after 30 s", "valgrind: unsupported instruction
 * (bytes 0xf 0x38 0xc8 0xd1 ...) in example.com/p.f" (from Go's SIGILL
 * report, or valgrind's "unhandled instruction"), "valgrind: internal
 * error: ...", "valgrind: the benchmark failed under the simulation (exit 2)".
 */
int callgrind_failure(int status, const char *err, int timed_out, uint64_t cap_s,
		      struct buf *why);

#endif
