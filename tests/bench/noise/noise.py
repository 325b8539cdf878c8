#!/usr/bin/env python3
"""Inter-process noise experiment (issue 10 item 3): one benchmark process per
sample, the configurations interleaved round by round (in random order) so that a
change in the machine's state hits all of them alike.

usage: noise.py OUT.jsonl ROUNDS [CONFIG,...]
Run it in a directory holding the examples' test binaries:
  for e in branch-prediction data-locality false-sharing; do
    (cd examples/$e && go test -c -o "$OLDPWD/$e.test" .); done
summary.py OUT.jsonl prints median, MAD % and range % per benchmark and
configuration.  The README's figures are 2026-12-04-vm.jsonl in this folder.
"""
import json, os, random, re, statistics, subprocess, sys, time

BENCH = [  # binary, benchmark, fixed N (~100 ms per process here)
    ("branch-prediction.test", "BranchRandom", 80),
    ("data-locality.test", "AverageAgeAoS", 8),
    ("false-sharing.test", "NoPadding", 10000000),
    ("false-sharing.test", "WithPadding", 10000000),
]

def cmd(binary, bench, n, procs):
    return ["./" + binary, "-test.run=^$", "-test.bench=^Benchmark%s$" % bench,
            "-test.benchtime=%dx" % n, "-test.cpu=%d" % procs, "-test.count=1"]

CONFIGS = {
    "default": lambda c: c,
    "pin-cpu1": lambda c: ["taskset", "-c", "1"] + c,
    "aslr-off": lambda c: ["setarch", "x86_64", "-R"] + c,
    "nice-20": lambda c: ["nice", "-n", "-20"] + c,
    "fifo": lambda c: ["chrt", "-f", "1"] + c,
    "warm": "warm",
    "gomaxprocs1": "procs1",
}

def run(argv):
    out = subprocess.run(argv, capture_output=True, text=True, env=dict(os.environ, LC_ALL="C")).stdout
    m = re.search(r"\s([0-9.]+) ns/op", out)
    if not m:
        raise SystemExit("no result from %s:\n%s" % (argv, out))
    return float(m.group(1))

def main():
    out, rounds = sys.argv[1], int(sys.argv[2])
    only = sys.argv[3].split(",") if len(sys.argv) > 3 else list(CONFIGS)
    with open(out, "a") as f:
        for r in range(rounds):
            order = list(only)
            random.shuffle(order)
            for name in order:
                for binary, bench, n in BENCH:
                    how = CONFIGS[name]
                    if how == "warm":
                        run(cmd(binary, bench, n, 2))
                        v = run(cmd(binary, bench, n, 2))
                    elif how == "procs1":
                        v = run(cmd(binary, bench, n, 1))
                    else:
                        v = run(how(cmd(binary, bench, n, 2)))
                    f.write(json.dumps({"t": time.time(), "round": r, "config": name,
                                        "bench": bench, "ns": v}) + "\n")
                    f.flush()

if __name__ == "__main__":
    main()
