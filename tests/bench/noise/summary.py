#!/usr/bin/env python3
import json, statistics, sys
from collections import defaultdict
d = defaultdict(list)
for line in open(sys.argv[1]):
    r = json.loads(line); d[(r["bench"], r["config"])].append(r["ns"])
def mad(x):
    m = statistics.median(x); return statistics.median([abs(v - m) for v in x])
print("%-14s %-12s %4s %12s %8s %8s" % ("bench", "config", "n", "median ns", "MAD %", "range %"))
for (b, c) in sorted(d):
    x = d[(b, c)]; m = statistics.median(x)
    print("%-14s %-12s %4d %12.1f %8.2f %8.1f" % (b, c, len(x), m, 100 * mad(x) / m, 100 * (max(x) - min(x)) / m))
