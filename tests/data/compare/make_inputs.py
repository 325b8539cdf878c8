#!/usr/bin/env python3
"""Write the Go benchmark files that tests/unit/test_compare_*.c compare.

    python3 tests/data/compare/make_inputs.py    (from the repository root)

Deterministic (fixed seed): rerunning rewrites the same bytes.  Each file
has 10 repetitions per benchmark, printed as `go test -bench -benchmem
-count 10` prints them (Go's own number formatting, tab-separated), plus a
`Unit instructions/op better=lower assume=exact` line, as a harness that
reports counters would add.  Times carry lognormal noise; instructions are
constant, except in BenchmarkSort where they vary on purpose.

  old.txt   the base
  new.txt   against old.txt:
            Fib/n=20           3x slower (ns/op and instructions)  regression
            Encode/format=json 20 % faster, fewer bytes/allocs      improvement
            Encode/format=gob  11 % slower, so MB/s drops 10 %      regression (MB/s too)
            Parse              5 % slower with 0.5 % noise          regression at θ 3 %, ~ at 10 %
            Sort/n=1000        same distribution, fresh noise       ~ (instructions vary)
            Removed            only in old.txt                      removed
            Added              only in new.txt                      added
  slow.txt  old.txt's distributions with fresh noise, Fib/n=20 3x slower
"""
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
N = 10
ITERS = {"Fib/n=20": 50000, "Encode/format=json": 700000, "Encode/format=gob": 400000,
         "Parse": 1400000, "Sort/n=1000": 20000, "Removed": 10000000, "Added": 3000000}

HEADER = """goos: linux
goarch: amd64
pkg: example.com/codec
cpu: AMD EPYC 7B13
Unit instructions/op better=lower assume=exact
"""


def go_float(x):
    """Go's testing.prettyPrint: about 4 significant digits."""
    y = abs(x)
    if y == 0 or y >= 999.95:
        return "%.0f" % x
    if y >= 99.995:
        return "%.1f" % x
    if y >= 9.9995:
        return "%.2f" % x
    if y >= 0.99995:
        return "%.3f" % x
    if y >= 0.099995:
        return "%.4f" % x
    return "%.5f" % x


# name -> (ns/op, noise sd of log, bytes per op for MB/s or None, B/op, allocs/op, instructions/op)
BASE = {
    "Encode/format=json": (1718.0, 0.010, 4096, 512, 3, 5203),
    "Encode/format=gob": (3066.0, 0.010, 4096, 1024, 7, 9811),
    "Fib/n=20": (26500.0, 0.010, None, 0, 0, 71234),
    "Parse": (845.0, 0.005, None, 128, 2, 2950),
    "Sort/n=1000": (61000.0, 0.020, None, 8192, 1, 41200),
    "Removed": (100.0, 0.010, None, 0, 0, 310),
}


def changed(what):
    b = dict(BASE)
    if what == "new":
        ns, sd, mb, bo, al, ins = b["Fib/n=20"]
        b["Fib/n=20"] = (3 * ns, sd, mb, bo, al, 3 * ins)
        ns, sd, mb, bo, al, ins = b["Encode/format=json"]
        b["Encode/format=json"] = (0.8 * ns, sd, mb, 384, 2, 4100)
        ns, sd, mb, bo, al, ins = b["Encode/format=gob"]
        b["Encode/format=gob"] = (ns / 0.9, sd, mb, bo, al, ins)
        ns, sd, mb, bo, al, ins = b["Parse"]
        b["Parse"] = (1.05 * ns, sd, mb, bo, al, ins)
        del b["Removed"]
        b["Added"] = (330.0, 0.010, None, 64, 1, 1020)
    elif what == "slow":
        ns, sd, mb, bo, al, ins = b["Fib/n=20"]
        b["Fib/n=20"] = (3 * ns, sd, mb, bo, al, ins)
    return b


def write(path, benches, rng):
    lines = [HEADER]
    for name, (ns, sd, mb, bo, al, ins) in benches.items():
        full = "Benchmark%s-2" % name
        for _ in range(N):
            t = ns * math.exp(rng.gauss(0.0, sd))
            i = ins
            if name.startswith("Sort"):
                i = ins + rng.randrange(-40, 41)
            fields = ["%-30s" % full, "%8d" % ITERS[name], "%10s ns/op" % go_float(t)]
            if mb:
                fields.append("%8.2f MB/s" % (mb / t * 1e3))
            fields += ["%8d B/op" % bo, "%8d allocs/op" % al, "%8d instructions/op" % i]
            lines.append("\t".join(fields) + "\n")
    lines.append("PASS\nok  \texample.com/codec\t12.345s\n")
    with open(os.path.join(HERE, path), "w") as f:
        f.write("".join(lines))


def main():
    rng = random.Random(20261123)
    write("old.txt", changed("old"), rng)
    write("new.txt", changed("new"), rng)
    write("slow.txt", changed("slow"), rng)


if __name__ == "__main__":
    main()
