#!/usr/bin/env python3
"""A `perf` stand-in that can `perf c2c record`, for tests/cli/t7000-c2c.sh.

Why a stand-in: `perf c2c record` needs memory sampling (Intel load-latency
events, AMD IBS, Arm SPE).  This machine, like VMs and most CI runners, has
none: the real perf fails with "failed: memory events not supported" (exit
255), which t7000 also checks for real.  So that perfgo's recording flow
(probe, build, per-benchmark record through the runner, report, parse,
symbolize, store, view) can run end to end here, this script takes the
name `perf` first in PATH and:

- `perf c2c record -o FILE -- CMD...`: insists on exactly that argv shape
  (perfgo's contract, measure/perf_c2c.h), really runs CMD (the test
  binary, with perfgo's flags, in perfgo's directory) and writes FILE as a
  small JSON note of what ran.  Exit: CMD's.
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
- Every call is appended to $FAKEPERF_C2C_LOG (one JSON array per line).
- Anything else (perf --version, ...) runs the real perf.
"""
import json
import re
import os
import subprocess
import sys

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
    if len(args) < 4 or args[0] != "-o" or args[2] != "--":
        die("record argv is not '-o FILE -- CMD...': %r" % (args,))
    out, cmd = args[1], args[3:]
    rc = subprocess.call(cmd)
    # Attached to PIDs: the report names the first one's executable.
    binary = cmd[0]
    if isinstance(target, list):
        binary = os.readlink("/proc/%s/exe" % target[0])
    elif target == "all":
        binary = "true"
    with open(out, "w") as f:
        json.dump({"argv": cmd, "cwd": os.getcwd(), "target": target, "binary": binary}, f)
    return rc


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
    if args[:2] == ["c2c", "record"]:
        sys.exit(record(args[2:]))
    if args[:2] == ["c2c", "report"]:
        sys.exit(report(args[2:]))
    os.execv(real_perf(), ["perf"] + args)


main()
