#!/usr/bin/env python3
"""A `perf` stand-in with a hardware PMU, for tests/cli/t1070-pmu.sh (and
t1060-claims.sh, for a slow control channel).

Why a stand-in: this machine (and most CI runners) has no hardware PMU, so
the real perf prints `<not supported>` for instructions, cycles, ... and
perfgo's hardware path (the pmu flag of the fingerprint, hardware counters
per op, IPC and the miss rates, the multiplexed flag) can never run here.
Placed first in PATH under the name `perf`, this script makes it run end
to end through the same code as a live run:

- `perf stat ...` runs the REAL perf (the first other `perf` in PATH, or
  $FAKEPERF_REAL) on the real workload for every event that is not a
  hardware event (task-clock, page-faults, ...), with the same -x, -o, -D
  and workload, so Go's output, ns/op and the software counts are real and
  gated by the real perf.  The control channel perfgo hands over
  (`--control=fd:CTL,ACK`) is relayed: every command line goes to the real
  perf's own control pipe and its "ack" comes back, so perfgo's gate drives
  the real counters, and the stand-in knows whether the events were enabled
  and disabled.
- The hardware events requested (instructions, cycles, branches,
  branch-misses, cache-references, cache-misses, L1-dcache-loads,
  L1-dcache-load-misses, LLC-loads, LLC-load-misses, any :u/:k/... modifier)
  are written into the same CSV, in request order, in the layout real perf
  6.1 writes (`perf stat -x,`: value,unit,event,run time ns,percentage
  running,metric value,metric unit; see tests/data/perfstat/README.txt and
  handmade-pmu-r3-multiplexed.csv, and perf6.1-D-1-not-counted.csv for
  `<not counted>`).  The run time is the real task-clock's.
- Counts model a benchmark that costs a fixed number of events per
  iteration.  From the workload's -test.benchtime=Nx the loop runs N
  iterations after Go's b.N=1 probe run, so a counter enabled for the
  benchmark counts SETUP + RATE * (N + 1); START-UP counts are added only
  when counting started at exec (no `-D -1`), TEARDOWN only when no
  `disable` was acknowledged before the workload exited.  Never enabled
  under `-D -1`: `<not counted>`, as real perf prints.  perfgo's
  differential (C(N) - C(N/2)) / (N - N/2) must therefore give RATE exactly.
- One event is multiplexed: it ran MUX_PCT % of the time (default
  cache-misses at 75.00 %; $FAKEPERF_MULTIPLEX="event=pct", "" for none).
  Like real perf, its printed value is already scaled to the full time.
- Rates per benchmark: the file `fakeperf.rates` in the workload's
  directory (perfgo runs it in the package directory), lines
  `<BenchmarkName|*> event=rate ...`, overrides the defaults below, so a
  commit can change a benchmark's instructions per op.
- $FAKEPERF_CTL_DELAY_MS delays the first "enable" (a slow control
  channel), so that a short benchmark is over before the gate opens;
  with $FAKEPERF_CTL_DELAY_JOBS=N only in the first N gated processes (a
  busy moment), counted in the file $FAKEPERF_CTL_DELAY_JOBS_FILE.
- Anything else (`perf --version`, ...) is the real perf.
"""
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

HW = ["instructions", "cycles", "branches", "branch-misses", "cache-references",
      "cache-misses", "L1-dcache-loads", "L1-dcache-load-misses", "LLC-loads",
      "LLC-load-misses"]
# Events per benchmark iteration: IPC 1.5, branch-miss 2 %, cache-miss 10 %,
# L1-dcache-miss 5 %, LLC-miss 10 %.
RATE = {"instructions": 2400, "cycles": 1600, "branches": 400, "branch-misses": 8,
        "cache-references": 60, "cache-misses": 6, "L1-dcache-loads": 900,
        "L1-dcache-load-misses": 45, "LLC-loads": 30, "LLC-load-misses": 3}
SETUP = 3000000     # x rate/1000: b.ResetTimer setup inside the gate
STARTUP = 2000000   # x rate/1000: runtime and package init, before the gate
TEARDOWN = 20000    # x rate/1000: after the result line
# A slow control channel (a remote perf over a WAN): the first "enable" is
# passed on after this many ms ($FAKEPERF_CTL_DELAY_MS, default 0).
CTL_DELAY = float(os.environ.get("FAKEPERF_CTL_DELAY_MS", "0")) / 1000


def delay_this_job():
    """With FAKEPERF_CTL_DELAY_JOBS=N, only the first N gated processes wait."""
    n = os.environ.get("FAKEPERF_CTL_DELAY_JOBS")
    if n is None:
        return True
    path = os.environ["FAKEPERF_CTL_DELAY_JOBS_FILE"]
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        import fcntl
        fcntl.flock(fd, fcntl.LOCK_EX)
        done = int(os.read(fd, 32) or b"0")
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, str(done + 1).encode())
    finally:
        os.close(fd)
    return done < int(n)

# perf 6.1's metric column for each event (stat-shadow.c), in CSV.
METRIC = {"instructions": ("cycles", 1.0, "%.2f", "insn per cycle"),
          "branch-misses": ("branches", 100.0, "%.2f", "of all branches"),
          "cache-misses": ("cache-references", 100.0, "%.3f", "of all cache refs"),
          "L1-dcache-load-misses": ("L1-dcache-loads", 100.0, "%.2f", "of all L1-dcache accesses"),
          "LLC-load-misses": ("LLC-loads", 100.0, "%.2f", "of all LL-cache accesses")}


def real_perf():
    if os.environ.get("FAKEPERF_REAL"):
        return os.environ["FAKEPERF_REAL"]
    me = os.path.realpath(sys.argv[0])
    for d in os.environ.get("PATH", "").split(":"):
        p = os.path.join(d or ".", "perf")
        if os.access(p, os.X_OK) and os.path.realpath(p) != me:
            return p
    sys.exit("fakeperf: no real perf in PATH")


def split_top(s):
    """perf's event list: commas inside {...} and /.../ do not split."""
    out, cur, brace, slash = [], "", 0, False
    for ch in s:
        if ch == "," and not brace and not slash:
            out.append(cur)
            cur = ""
            continue
        if ch == "{":
            brace += 1
        elif ch == "}":
            brace -= 1
        elif ch == "/":
            slash = not slash
        cur += ch
    out.append(cur)
    return [e for e in out if e]


def hw_base(ev):
    m = re.fullmatch(r"([A-Za-z0-9-]+)(?::([ukhGHpPSD]+))?", ev)
    return m.group(1) if m and m.group(1) in HW else None


def members(ev):
    """Lines perf prints for one element (a group prints each member)."""
    if ev.startswith("{"):
        return len(split_top(ev.strip("{}").split("}")[0]))
    return 1


class Relay(threading.Thread):
    """perfgo's control channel <-> the real perf's; remembers the gate."""

    def __init__(self, ctl, ack, pctl, pack):
        super().__init__(daemon=True)
        self.ctl, self.ack, self.pctl, self.pack = ctl, ack, pctl, pack
        self.enabled = self.disabled = False

    def readline(self, fd):
        line = b""
        while not line.endswith(b"\n"):
            c = os.read(fd, 1)
            if not c:
                return None
            line += c
        return line

    def run(self):
        try:
            while True:
                cmd = self.readline(self.ctl)
                if cmd is None:
                    break
                if cmd.strip() == b"enable" and not self.enabled and delay_this_job():
                    time.sleep(CTL_DELAY)
                os.write(self.pctl, cmd)
                a = self.readline(self.pack)
                if a is None:
                    break
                word = cmd.strip()
                if word == b"enable":
                    self.enabled = True
                elif word == b"disable" and self.enabled:
                    self.disabled = True
                os.write(self.ack, a)
        except OSError:
            pass
        # perf gone: perfgo sees the channel close, as with the real one.
        for fd in (self.ctl, self.ack):
            try:
                os.close(fd)
            except OSError:
                pass


def rates_for(bench):
    r = dict(RATE)
    try:
        lines = open("fakeperf.rates").read().splitlines()
    except OSError:
        return r
    for line in lines:
        f = line.split()
        if not f or f[0].startswith("#") or f[0] not in ("*", bench):
            continue
        for kv in f[1:]:
            k, v = kv.split("=")
            r[k] = float(v)
    return r


def main():
    args = sys.argv[1:]
    real = real_perf()
    if not args or args[0] != "stat":
        os.execv(real, [real] + args)

    sep, out, delay, control, events, passthru = ",", None, None, None, [], []
    i = 1
    while i < len(args) and args[i] != "--":
        a = args[i]
        nxt = args[i + 1] if i + 1 < len(args) else None
        if a.startswith("--control="):
            control = a[len("--control="):]
        elif a == "--control":
            control, i = nxt, i + 1
        elif a.startswith("-x") and len(a) > 2:
            sep = a[2:]
        elif a == "-x":
            sep, i = nxt, i + 1
        elif a == "-o":
            out, i = nxt, i + 1
        elif a in ("-D", "--delay"):
            delay, i = nxt, i + 1
        elif a in ("-e", "--event"):
            events += split_top(nxt)
            i += 1
        elif a.startswith("-e") and len(a) > 2:
            events += split_top(a[2:])
        else:
            passthru.append(a)
        i += 1
    workload = args[i + 1:]
    if out is None or not workload or (control and not control.startswith("fd:")):
        os.execv(real, [real] + args)   # not a form perfgo uses: no PMU then

    hw = [e for e in events if hw_base(e)]
    sw = [e for e in events if not hw_base(e)]
    extra = "task-clock" not in sw      # for the run time; dropped below
    fd, tmp = tempfile.mkstemp(prefix="fakeperf.", suffix=".csv",
                               dir=os.path.dirname(os.path.abspath(out)))
    os.close(fd)
    argv = [real, "stat", "-x" + sep, "-o", tmp] + passthru
    if delay is not None:
        argv += ["-D", delay]
    relay, keep = None, []
    if control:
        ctl, ack = (int(x) for x in control[3:].split(","))
        pctl_r, pctl_w = os.pipe()
        pack_r, pack_w = os.pipe()
        argv.append("--control=fd:%d,%d" % (pctl_r, pack_w))
        keep = [pctl_r, pack_w]
        relay = Relay(ctl, ack, pctl_w, pack_r)
    for e in sw:
        argv += ["-e", e]
    if extra:
        argv += ["-e", "task-clock"]
    argv += ["--"] + workload
    proc = subprocess.Popen(argv, pass_fds=keep)
    for k in keep:
        os.close(k)
    if relay:
        relay.start()
    status = proc.wait()

    with open(tmp) as f:
        text = f.read()
    os.unlink(tmp)
    head = [l for l in text.splitlines(True) if l.startswith("#") or not l.strip()]
    lines = [l.rstrip("\n") for l in text.splitlines() if l.strip() and not l.startswith("#")]
    clock = [l.split(sep) for l in lines if l.split(sep)[2:3] == ["task-clock"]]
    if extra and lines:
        lines.pop()
    run_ns = int(clock[-1][3]) if clock else 0
    counted = bool(clock) and not clock[-1][0].startswith("<")
    if status != 0 or not lines and sw:
        open(out, "w").write(text)
        sys.exit(status)

    # The benchmark's iterations and name, from Go's flags.
    n, bench = 0, "*"
    for w in workload:
        m = re.fullmatch(r"-test\.benchtime=(\d+)x", w)
        if m:
            n = int(m.group(1))
        m = re.fullmatch(r"-test\.bench=\^(Benchmark[^$]*)\$.*", w)
        if m:
            bench = m.group(1)
    rate = rates_for(bench)
    gated = delay == "-1"
    enabled = not gated or (relay is not None and relay.enabled)
    mux = os.environ.get("FAKEPERF_MULTIPLEX", "cache-misses=75")
    mux_ev, mux_pct = (mux.split("=") + ["100"])[:2] if mux else ("", "100")

    counts = {}
    for e in hw:
        b = hw_base(e)
        r = rate[b]
        c = 0.0
        if n and enabled:
            c += SETUP * r / 1000 + r * (n + 1)
            if relay is None or not relay.disabled:
                c += TEARDOWN * r / 1000
        if not gated:
            c += STARTUP * r / 1000
        counts[e] = c

    res, sw_lines = [], iter(lines)
    for e in events:
        b = hw_base(e)
        if not b:
            for _ in range(members(e)):
                res.append(next(sw_lines, ""))
            continue
        if not (enabled and counted):
            res.append(sep.join(["<not counted>", "", e, "0", "100.00", "", ""]))
            continue
        pct = float(mux_pct) if e == mux_ev else 100.0
        metric = ["", ""]
        if b in METRIC:
            den_b, scale, fmt, unit = METRIC[b]
            den = [x for x in hw if hw_base(x) == den_b and x[len(den_b):] == e[len(b):]]
            if den and counts[den[0]] > 0:
                metric = [fmt % (scale * counts[e] / counts[den[0]]), unit]
        elif run_ns:
            per_s = counts[e] / (run_ns / 1e9)
            metric = (["%.3f" % (per_s / 1e9), "GHz"] if b == "cycles"
                      else ["%.3f" % (per_s / 1e6), "M/sec"])
        res.append(sep.join(["%.0f" % counts[e], "", e, "%d" % int(run_ns * pct / 100),
                             "%.2f" % pct] + metric))
    with open(out, "w") as f:
        f.write("".join(head) + "".join(l + "\n" for l in res if l))
    sys.exit(status)


if __name__ == "__main__":
    main()
