#!/bin/sh
# t2030: `--format gobench` output is what benchstat compares with no flags.
#
# Proves, on two commits of a real repository measured with real go and
# perf: every line perfgo writes is one the Go benchmark format
# (golang.org/design/14313-benchmark-format) defines — a configuration line
# ("key: value", key starting lower-case with no space or upper-case), a
# result line, a `Unit` metadata line, or a line starting with '#', which
# the format says readers ignore; the configuration keys are exactly what
# `go test -bench` prints on this machine (goos, goarch, pkg, cpu), with
# the same values byte for byte (cpu as the Go test binary printed it, not
# perfgo's probe), identical in both files, so nothing splits benchstat's
# default tables (`-table .config`); the commit, branch and perfgo's facts
# are there as '#' lines, with the right SHA per file; `perfgo compare` on
# a perfgo file and a go test file does not call them different machines.
#
# Only when `benchstat` is on PATH (CI has none; this test then says it
# skipped that part): `benchstat a.txt b.txt` prints one table per unit
# with both files as columns and a delta, and so does
# `benchstat gotest.txt b.txt` for the units both have.
. "$(dirname "$0")/lib.sh"

S=$(bench_suffix)

make_module repo example.com/bstat
cat >repo/w.go <<'EOF'
package bstat

var Sink uint64

func spin(n int) uint64 {
	x := uint64(1)
	for i := 0; i < n; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}
EOF
cat >repo/w_test.go <<'EOF'
package bstat

import "testing"

func BenchmarkWork(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Sink += spin(20000)
	}
}
EOF
git_init repo
cd repo || fail "cd repo"
sha1=$(git rev-parse HEAD)

say "two commits in Go benchmark format"
expect_code 0 perfgo test stat --format gobench -e task-clock . -benchtime=3000x -count 4
cp "$OUT" "$TRASH/a.txt"
sed -i 's/spin(20000)/spin(40000)/' w_test.go
git commit -q -am "twice the work" || fail "commit"
sha2=$(git rev-parse HEAD)
expect_code 0 perfgo test stat --format gobench -e task-clock . -benchtime=3000x -count 4
cp "$OUT" "$TRASH/b.txt"

say "go test -bench on the same machine"
go test -run '^$' -bench . -benchmem -benchtime=3000x -count 4 . >"$TRASH/gotest.txt" 2>&1 ||
	{ show "$TRASH/gotest.txt"; fail "go test -bench"; }

say "every line is one the format defines; keys as go test prints them"
py '
import re, sys
a, b, gt, sha1, sha2, S = sys.argv[1:]

def config_line(l):
    # The spec: key starts with a lower-case letter, has no space and no
    # upper-case letter; a space (or tab) separates "key:" from the value.
    m = re.match(r"([^:]*):(.*)$", l)
    if not m or not m.group(1) or not m.group(1)[0].islower():
        return None
    k, v = m.group(1), m.group(2)
    if any(c.isspace() or c.isupper() for c in k):
        return None
    if v and v[0] not in " \t":
        return None
    return k, v.strip()

def result_line(l):
    f = l.split()
    if not f or not re.match(r"Benchmark($|[^a-z])", f[0]) or len(f) < 4 or len(f) % 2:
        return None
    int(f[1])
    for v in f[2::2]:
        float(v)
    return f[0]

def read(path, perfgo):
    conf, keys_at, comments = {}, [], {}
    for l in open(path).read().splitlines():
        if not l.strip() or l.startswith("#"):
            m = re.match(r"# ([a-z-]+): (.*)$", l)
            if m:
                comments[m.group(1)] = m.group(2)
            continue
        if l.startswith("Unit "):
            continue
        kv = config_line(l)
        if kv:
            if kv[1]:
                conf[kv[0]] = kv[1]
            else:
                conf.pop(kv[0], None)
            continue
        if result_line(l):
            keys_at.append(dict(conf))
            continue
        if perfgo:
            sys.exit("%s: a line the format does not define: %r" % (path, l))
    if not keys_at:
        sys.exit("%s: no results" % path)
    return keys_at, comments

ga, _ = read(gt, False)
want = ga[0]
if sorted(want) != ["cpu", "goarch", "goos", "pkg"] or want["pkg"] != "example.com/bstat":
    sys.exit("go test printed %r" % want)
for path, sha in ((a, sha1), (b, sha2)):
    keys_at, comments = read(path, True)
    for k in keys_at:
        if k != want:
            sys.exit("%s: configuration %r, go test printed %r" % (path, k, want))
    if comments.get("commit") != sha:
        sys.exit("%s: commit comment %r, want %s" % (path, comments.get("commit"), sha))
    if comments.get("branch") is None or comments.get("perfgo-run") is None:
        sys.exit("%s: perfgo facts missing: %r" % (path, comments))
' "$TRASH/a.txt" "$TRASH/b.txt" "$TRASH/gotest.txt" "$sha1" "$sha2" "$S" ||
	{ show "$TRASH/a.txt"; show "$TRASH/gotest.txt"; fail "keys against the format"; }
# The cpu string is Go's own, byte for byte, and the commit is no key.
assert_eq "$(grep '^cpu: ' "$TRASH/gotest.txt")" "$(grep '^cpu: ' "$TRASH/a.txt")" "cpu line"
grep -q '^commit:' "$TRASH/a.txt" && fail "a 'commit:' key splits benchstat's tables"

say "perfgo compare: a perfgo file and a go test file are one machine"
"$PERFGO" compare "$TRASH/gotest.txt" "$TRASH/b.txt" >"$OUT" 2>"$ERR"
rc=$?
[ "$rc" -le 1 ] || { show "$ERR"; fail "compare gotest.txt b.txt exited $rc"; }
assert_not_contains "$ERR" "different machines"
assert_contains "$OUT" "BenchmarkWork$S"

if ! command -v benchstat >/dev/null 2>&1; then
	say "skip: no benchstat on PATH, benchstat itself not run (the checks above hold)"
	exit 0
fi

say "benchstat a.txt b.txt: one table per unit, both columns, a delta"
(cd "$TRASH" && benchstat a.txt b.txt) >"$OUT" 2>"$ERR" || { show "$ERR"; fail "benchstat a b"; }
py '
import sys
lines = open(sys.argv[1]).read().splitlines()
heads = [l for l in lines if "a.txt" in l or "b.txt" in l]
if not heads or any(not ("a.txt" in l and "b.txt" in l) for l in heads):
    sys.exit("a table with one file only: %r" % heads)
if sum(l.startswith("cpu: ") for l in lines) != 1:
    sys.exit("not one configuration block")
sec = [i for i, l in enumerate(lines) if "sec/op" in l and "vs base" in l]
if not sec or not lines[sec[0] + 1].startswith("Work"):
    sys.exit("no sec/op delta row")
' "$OUT" || { show "$OUT"; fail "benchstat a.txt b.txt"; }

say "benchstat gotest.txt b.txt: the units both have share a table"
(cd "$TRASH" && benchstat gotest.txt b.txt) >"$OUT" 2>"$ERR" || { show "$ERR"; fail "benchstat gotest b"; }
py '
import sys
lines = open(sys.argv[1]).read().splitlines()
if sum(l.startswith("cpu: ") for l in lines) != 1:
    sys.exit("not one configuration block")
for unit in ("sec/op", "B/op", "allocs/op"):
    i = [j for j, l in enumerate(lines) if l.split("\u2502")[1:2] and unit in l and "vs base" in l]
    if not i or "gotest.txt" not in lines[i[0] - 1] or "b.txt" not in lines[i[0] - 1]:
        sys.exit("no shared %s table" % unit)
' "$OUT" || { show "$OUT"; fail "benchstat gotest.txt b.txt"; }
