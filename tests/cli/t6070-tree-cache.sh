#!/bin/sh
# t6070: the private checkout cache (.perfgo/trees/) under concurrency.
#
# Proves: two `perfgo compare HEAD~1` started at once in a repository of a
# few thousand files, with no cached tree, both succeed (before: the second
# exited 3 "cannot remove '.perfgo/trees/...': Directory not empty" and the
# first could keep a partial tree with its completion marker) and both
# measure the right code on each side (the benchmark reports which commit
# it was built from); every cached tree is complete, carries a marker naming
# its commit, and no half-built tree is left behind; a tree left by an older
# perfgo with its marker but files missing is rebuilt, not reused.
. "$(dirname "$0")/lib.sh"

make_module repo example.com/cache
cat >repo/v.go <<'EOF2'
package cache

// version says which commit the code was built from.
const version = 1
EOF2
cat >repo/v_test.go <<'EOF2'
package cache

import "testing"

var sink uint64

func BenchmarkVersion(b *testing.B) {
	for i := 0; i < b.N; i++ {
		for j := 0; j < 5000; j++ {
			sink = sink*6364136223846793005 + 1442695040888963407
		}
	}
	b.ReportMetric(float64(version), "version")
}
EOF2
# A few thousand files, so that a checkout takes long enough to race.
mkdir -p repo/data
i=0
while [ $i -lt 40 ]; do
	mkdir -p repo/data/d$i
	j=0
	while [ $j -lt 100 ]; do
		echo "file $i $j" >repo/data/d$i/f$j.txt
		j=$((j + 1))
	done
	i=$((i + 1))
done
printf '.perfgo/\n' >repo/.gitignore
git_init repo
cd "$TRASH/repo" || fail "cd"
sed -i 's/^const version = 1$/const version = 2/' v.go
git commit -q -am "version 2" || fail "commit"
base=$(git rev-parse HEAD~1)
head=$(git rev-parse HEAD)

say "two compares at once, no cached tree"
for n in 1 2; do
	"$PERFGO" compare --format json --fail-on none HEAD~1 -- . -benchtime=2000x -count=3 \
		>"$TRASH/c$n.json" 2>"$TRASH/c$n.err" &
	eval "pid$n=\$!"
done
wait "$pid1"; rc1=$?
wait "$pid2"; rc2=$?
for n in 1 2; do
	eval "rc=\$rc$n"
	[ "$rc" -eq 0 ] || { show "$TRASH/c$n.err"; fail "compare $n exited $rc"; }
	# The 'version' metric: 1 on the base side, 2 on the head side.
	py '
import json, sys
doc = json.load(open(sys.argv[1]))
rows = [r for c in doc["comparisons"] for u in c["units"] if u["unit"] == "version"
        for r in u["rows"]]
assert rows, "no version rows"
for r in rows:
    assert r["old"]["median"] == 1 and r["new"]["median"] == 2, r
' "$TRASH/c$n.json" || { show "$TRASH/c$n.json"; fail "compare $n measured the wrong code"; }
done

say "the cached trees are complete and marked"
for sha in "$base" "$head"; do
	t=.perfgo/trees/$sha
	[ -d "$t" ] || fail "no cached tree for $sha"
	assert_eq 4000 "$(find "$t/data" -type f | wc -l | tr -d ' ')" "files in $t/data"
	assert_contains "$t/.perfgo-complete" "perfgo-tree 2 $sha "
done
assert_eq "" "$(ls -A .perfgo/trees | grep '^\.build-')" "half-built trees left"

say "a partial tree with a marker is rebuilt"
t=.perfgo/trees/$base
rm -rf "$t/data/d7"
: >"$t/.perfgo-complete"
expect_code 0 perfgo compare --format json --fail-on none HEAD~1 -- . -benchtime=2000x -count=3
assert_eq 4000 "$(find "$t/data" -type f | wc -l | tr -d ' ')" "files in the rebuilt tree"
assert_contains "$t/.perfgo-complete" "perfgo-tree 2 $base "
