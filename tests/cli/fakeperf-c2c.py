#!/usr/bin/env python3
"""A `perf` stand-in that can `perf c2c record`, for tests/cli/t7000-c2c.sh.

Why a stand-in: `perf c2c record` needs memory sampling (Intel load-latency
events, AMD IBS, Arm SPE).  This machine, like VMs and most CI runners, has
none: the real perf fails with "failed: memory events not supported" (exit
255), which t7000 also checks for real.  So that perfgo's recording flow
(probe, build, per-benchmark record through the runner, report, parse,
symbolize, store, view) can run end to end here, this script takes the
name `perf` first in PATH and:

- `perf c2c record --control=fd:CTL,ACK|fifo:CTL,ACK -o FILE --delay=-1 --
  CMD...` (perfgo's gated record, measure/perf_c2c.h): insists on exactly
  that argv shape, really runs CMD (the test binary, with perfgo's flags,
  in perfgo's directory), passing its output on line by line, and speaks
  perf's control protocol: every "enable"/"disable" line read from CTL is
  answered "ack" on ACK and logged as ["control", CMD, "after", LINE],
  LINE being the last output line passed on before it.  So that the order
  is deterministic on a loaded machine, the stand-in holds the output after
  a bare benchmark name (Go's -test.v start line) and after "PASS"/"FAIL"
  until a command arrives (at most 5 s; a perfgo that sends none is only
  slower, and its log shows no command).  Writes FILE as a small JSON note
  of what ran.  Exit: CMD's.
  With $FAKEPERF_C2C_LATE_JOBS=N the first N gated records (counted in
  the file $FAKEPERF_C2C_LATE_FILE) close the channel before running CMD,
  as perf does when it is gone before the enable arrives (a busy machine).
- `perf c2c record -o FILE -- true`: perfgo's probe (ungated), runs it.
- `perf c2c record -o FILE (-p PIDS | -a) -- sleep N` (perfgo attach c2c,
  through tests/cli/kubestub.py's exec): insists on that shape, sleeps N,
  and notes the first PID's executable (/proc/PID/exe) as the binary whose
  addresses the report uses; -a (node mode) keeps the recorded addresses.
- `perf c2c report -i FILE --stdio --full-symbols -NN -c pid,iaddr`:
  insists on exactly that argv, reads FILE, and prints a recorded report:
  the real AMD IBS report of examples/false-sharing
  (tests/data/c2c/amd-perf6.x-2026-perfgo-ibs.stdio.txt, made on a
  machine with IBS by the original perfgo), with its two code addresses
  replaced by addresses of functions in the binary that just ran
  (falsesharing.Run and falsesharing.Run.func1, found with `nm`), so that
  perfgo's symbolization against that binary can be checked (a binary
  without those functions keeps the recorded addresses).  With
  $FAKEPERF_C2C_DATA_SYMBOL=<symbol>, the cache line moves from its heap
  address to the 64-byte line holding that global variable and the two
  offsets to its first two 8-byte words, so that naming data addresses
  (variable, struct field) can be checked too.
- With $FAKEPERF_C2C_REAL=1 (t7001) `perf c2c record` is not faked but
  done as perf 6.1's perf_c2c__record() does it (tools/perf/builtin-c2c.c;
  see measure/perf_c2c.c): c2c's own options are refused (perfgo sends
  none), every other word is kept in order, the first "--" dropped, and
  the REAL `perf record -W -d --phys-data --sample-cpu -e cpu-clock <kept
  words> <workload>` is exec'd: the memory events, which this machine
  cannot sample, replaced by cpu-clock; the control channel perfgo made is
  inherited as it would be by perf c2c.  `perf c2c report` then logs
  ["samples", N] (real `perf script` on FILE) and runs the real report.
- Every call is appended to $FAKEPERF_C2C_LOG (one JSON array per line).
- Anything else (perf --version, ...) runs the real perf.
"""
import json
import re
import os
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.realpath(__file__))
TEMPLATE = os.path.join(HERE, "..", "data", "c2c", "amd-perf6.x-2026-perfgo-ibs.stdio.txt")
REPORT_ARGV = ["--stdio", "--full-symbols", "-NN", "-c", "pid,iaddr"]


def real_perf():
    me = os.path.realpath(sys.argv[0])
    for d in os.environ.get("PATH", "").split(os.pathsep):
        p = os.path.join(d, "perf")
        if os.access(p, os.X_OK) and os.path.realpath(p) != me:
            return p
    sys.exit("fakeperf-c2c: no real perf in PATH")


def die(msg):
    sys.stderr.write("fakeperf-c2c: " + msg + "\n")
    sys.exit(129)


def symbol_address(binary, name):
    out = subprocess.run(["nm", binary], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[2] == name:
            return int(f[0], 16)
    return None


def record(args):
    # perfgo attach c2c: -o FILE (-p PID,... | -a) -- sleep N
    target = None
    if len(args) >= 6 and args[0] == "-o" and args[2] in ("-p", "-a"):
        if args[2] == "-p":
            if not re.fullmatch(r"[0-9]+(,[0-9]+)*", args[3]):
                die("record -p needs PID,PID...: %r" % (args,))
            target, args = args[3].split(","), args[:2] + args[4:]
        else:
            target, args = "all", args[:2] + args[3:]
        if args[2:3] != ["--"] or args[3:4] != ["sleep"] or len(args) != 5:
            die("attach record argv is not '-o FILE (-p PIDS | -a) -- sleep N': %r" % (args,))
    control = None
    if target is None and args[-1:] != ["true"]:
        if len(args) < 6 or not args[0].startswith("--control=") or args[1] != "-o" \
                or args[3:5] != ["--delay=-1", "--"]:
            die("record argv is not '--control=... -o FILE --delay=-1 -- CMD...': %r" % (args,))
        control, args = args[0], args[1:3] + args[4:]
    if len(args) < 4 or args[0] != "-o" or args[2] != "--":
        die("record argv is not '-o FILE -- CMD...': %r" % (args,))
    out, cmd = args[1], args[3:]
    rc = gated(cmd, control) if control else subprocess.call(cmd)
    # Attached to PIDs: the report names the first one's executable.
    binary = cmd[0]
    if isinstance(target, list):
        binary = os.readlink("/proc/%s/exe" % target[0])
    elif target == "all":
        binary = "true"
    with open(out, "w") as f:
        json.dump({"argv": cmd, "cwd": os.getcwd(), "target": target, "binary": binary}, f)
    return rc


def open_control(word):
    kind, _, spec = word[len("--control="):].partition(":")
    ctl, _, ack = spec.partition(",")
    if kind == "fd":
        return os.fdopen(int(ctl), "r"), os.fdopen(int(ack), "w")
    if kind == "fifo":
        # As perf does: O_RDWR, so that opening never blocks.
        return (os.fdopen(os.open(ctl, os.O_RDWR), "r"),
                os.fdopen(os.open(ack, os.O_RDWR), "w"))
    die("bad control word %r" % word)


def late_job():
    n = os.environ.get("FAKEPERF_C2C_LATE_JOBS")
    if n is None:
        return False
    path = os.environ["FAKEPERF_C2C_LATE_FILE"]
    done = int(open(path).read() or "0") if os.path.exists(path) else 0
    with open(path, "w") as f:
        f.write(str(done + 1))
    return done < int(n)


def gated(cmd, word):
    """Run cmd, passing its stdout on, answering perf's control commands."""
    ctl, ack = open_control(word)
    log = os.environ.get("FAKEPERF_C2C_LOG")
    if late_job():
        ctl.close()
        ack.close()
        if log:
            with open(log, "a") as f:
                f.write(json.dumps(["control-gone"]) + "\n")
        return subprocess.call(cmd)
    state = {"last": None}
    got = threading.Event()

    def serve():
        for line in ctl:
            c = line.strip()
            if log:
                with open(log, "a") as f:
                    f.write(json.dumps(["control", c, "after", state["last"]]) + "\n")
            ack.write("ack\n")
            ack.flush()
            got.set()

    threading.Thread(target=serve, daemon=True).start()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    for line in p.stdout:
        got.clear()
        # Noted before it is passed on: perfgo may answer it at once.
        state["last"] = line.rstrip("\n")
        sys.stdout.write(line)
        sys.stdout.flush()
        if re.fullmatch(r"Benchmark\S*", state["last"]) or state["last"] in ("PASS", "FAIL"):
            got.wait(5)
    return p.wait()


def real_record(args):
    """perf 6.1's perf_c2c__record(): parse_options(KEEP_UNKNOWN), then cmd_record()."""
    kept, rest = [], []
    for i, a in enumerate(args):
        if a == "--":
            rest = args[i + 1:]
            break
        name = a[2:].split("=")[0] if a.startswith("--") else None
        if (name is not None and any(l.startswith(name) for l in
                                     ("event", "all-user", "all-kernel", "ldlat", "verbose"))) \
                or (name is None and a.startswith("-") and len(a) > 1 and a[1] in "euklvh"):
            die("perfgo sent perf c2c record's own option %r" % a)
        kept.append(a)
    argv = ["perf", "record", "-W", "-d", "--phys-data", "--sample-cpu", "-e", "cpu-clock"]
    log = os.environ.get("FAKEPERF_C2C_LOG")
    if log:
        with open(log, "a") as f:
            f.write(json.dumps(["perf-record"] + argv[1:] + kept + rest) + "\n")
    os.execv(real_perf(), argv + kept + rest)


def report(args):
    if len(args) != 2 + len(REPORT_ARGV) or args[0] != "-i" or args[2:] != REPORT_ARGV:
        die("report argv is not '-i FILE %s': %r" % (" ".join(REPORT_ARGV), args))
    with open(args[1]) as f:
        rec = json.load(f)
    binary = rec.get("binary", rec["argv"][0])
    text = open(TEMPLATE).read()
    if os.path.basename(binary) != "true":
        run = symbol_address(binary, "example.com/perfgo/falsesharing.Run")
        func1 = symbol_address(binary, "example.com/perfgo/falsesharing.Run.func1")
        if run and func1:
            text = text.replace("0x53dc88", "%#x" % (func1 + 0x10))
            text = text.replace("0x53dbc8", "%#x" % (run + 0x10))
        data = os.environ.get("FAKEPERF_C2C_DATA_SYMBOL")
        if data:
            addr = symbol_address(binary, data)
            if not addr:
                die("no symbol %s in %s" % (data, binary))
            line = addr & ~63
            text = text.replace("0x20ea08034080", "%#x" % line)
            text = re.sub(r"(?<= )0x30(?= )", "%#x" % (addr - line), text)
            text = re.sub(r"(?<= )0x38(?= )", "%#x" % (addr - line + 8), text)
    sys.stdout.write(text)
    return 0


def main():
    args = sys.argv[1:]
    log = os.environ.get("FAKEPERF_C2C_LOG")
    if log:
        with open(log, "a") as f:
            f.write(json.dumps(args) + "\n")
    real = os.environ.get("FAKEPERF_C2C_REAL") == "1"
    if args[:2] == ["c2c", "record"]:
        if real:
            real_record(args[2:])
        sys.exit(record(args[2:]))
    if args[:2] == ["c2c", "report"]:
        if real:
            n = subprocess.run([real_perf(), "script", "-i", args[3], "-F", "time"],
                               capture_output=True, text=True).stdout.count("\n")
            if log:
                with open(log, "a") as f:
                    f.write(json.dumps(["samples", n]) + "\n")
            os.execv(real_perf(), ["perf"] + args)
        sys.exit(report(args[2:]))
    os.execv(real_perf(), ["perf"] + args)


main()
