#!/usr/bin/env python3
"""Include cycles between modules (a .c and its .h) and between folders.

A module is harness/<folder>/<name> (name.c + name.h), reporters/<name> or
stats/<name>.  `a` depends on `b` when a.c or a.h includes b.h.  Private
headers (*_internal.h, *_impl.h) belong to their folder's implementation:
an implementation including the interface it implements is not a cycle.
Prints every cycle found and exits 1, or exits 0.
"""
import glob
import os
import re
import sys


def module_of(path):
    return os.path.splitext(path)[0]


def resolve(inc, src):
    for cand in ("harness/" + inc, "reporters/" + inc, "stats/" + inc,
                 os.path.join(os.path.dirname(src), inc)):
        if os.path.exists(cand):
            return cand
    return None


def graph():
    g = {}
    for f in sorted(glob.glob("harness/*/*.[ch]") + glob.glob("reporters/*.[ch]") +
                    glob.glob("stats/*.[ch]")):
        m = module_of(f)
        g.setdefault(m, set())
        with open(f, encoding="utf-8", errors="replace") as fh:
            for inc in re.findall(r'^#include "([^"]+)"', fh.read(), re.M):
                r = resolve(inc, f)
                if not r or r.endswith(("_internal.h", "_impl.h")):
                    continue
                if module_of(r) != m:
                    g[m].add(module_of(r))
    return g


def sccs(g):
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def main():
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    g = graph()
    folders = {}
    for a, deps in g.items():
        for b in deps:
            fa, fb = os.path.dirname(a), os.path.dirname(b)
            if fa != fb:
                folders.setdefault(fa, set()).add(fb)
    bad = 0
    for comp in sccs(g):
        print("checksrc: include cycle between modules: " + " <-> ".join(comp), file=sys.stderr)
        bad = 1
    for comp in sccs(folders):
        print("checksrc: include cycle between folders: " + " <-> ".join(comp), file=sys.stderr)
        bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
