#!/bin/sh
# t9011: `perfgo gc` sweeps .perfgo/binaries/ (test binaries kept once by
# content for profiles and attach runs).
#
# Three `perfgo test profile` runs of one package: P1 on the first source,
# P2 and P3 on a changed one (two binaries, h1 for P1 and h2 shared by P2
# and P3; each profile's main mapping names its binary), and a `test stat`
# run S given an artifact row "binaries/<h3>/burn" by hand: the row `attach
# c2c` and `attach profile` write for the executable they copy out of a pod
# (t7210 and t7211 assert those rows; no cluster runs here).  Plus a
# binaries/<sha256>/ directory no run names (what a run killed between
# storing its binary and writing its profile leaves) and an entry that is
# not a sha256, which gc must never touch.
#
# Proves: --dry-run says which binaries would go with the runs that would
# go and removes nothing; while a run is marked running (it may be storing
# a binary it has not named yet) no binary is removed and gc says so, though
# runs still go; a profile that cannot be read keeps every binary, with a
# warning, exit 0; otherwise exactly the binaries no remaining run names go
# (the one left by the earlier gc whose run went, and the unnamed one), with
# their files and bytes counted, and each remaining profile's mapping (read
# with the real `go tool pprof -raw`) still names a file in the store; a
# binary named only by an artifact row stays while its run stays; when the
# last runs go every binary goes, and the non-sha256 entry stays.
. "$(dirname "$0")/lib.sh"

make_module repo example.com/spin
cat >repo/spin.go <<'EOT'
package spin

var Sink uint64

const rounds = 20000

func Spin() {
	x := Sink | 1
	for i := 0; i < rounds; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	Sink = x
}
EOT
cat >repo/spin_test.go <<'EOT'
package spin

import "testing"

func BenchmarkSpin(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Spin()
	}
}
EOT
git_init repo
cd "$TRASH/repo" || fail "cd"
BIN=.perfgo/binaries
PROFILE="-- . -bench=Spin -benchtime=3000x"

# The binaries/ entries, one a line, sorted.
bins() { ls "$BIN" | sort; }
# The file the main mapping of run $1's profile names (relative to .perfgo).
mapped() {
	go tool pprof -raw .perfgo/runs/"$1"/*.pb.gz >"$TRASH/raw.txt" 2>&1 ||
		{ show "$TRASH/raw.txt"; fail "pprof -raw of run $1"; }
	awk '/^Mappings/ { getline; print $3; exit }' "$TRASH/raw.txt"
}

say "three profile runs over two binaries, a stat run naming a third"
expect_code 0 perfgo test profile $PROFILE
p1=$(last_run)
h1=$(bins)
assert_eq 64 "${#h1}" "one stored binary after P1: '$h1'"
assert_eq "binaries/$h1/spin.test" "$(mapped "$p1")" "P1's mapping"
sed -i 's/^const rounds = 20000/const rounds = 20001/' spin.go
expect_code 0 perfgo test profile $PROFILE
p2=$(last_run)
h2=$(bins | grep -v "^$h1\$")
assert_eq 64 "${#h2}" "a second stored binary after P2: '$(bins | tr '\n' ' ')'"
expect_code 0 perfgo test profile $PROFILE
p3=$(last_run)
assert_eq 2 "$(bins | wc -l | tr -d ' ')" "binaries after P3 (P2's binary again)"
assert_eq "binaries/$h2/spin.test" "$(mapped "$p3")" "P3's mapping"
expect_code 0 perfgo test stat -- . -bench=Spin -benchtime=300x -count 1
s=$(last_run)
head -c 5000 /dev/urandom >"$TRASH/burn"
h3=$(sha256sum "$TRASH/burn" | cut -c1-64)
mkdir -p "$BIN/$h3" && cp "$TRASH/burn" "$BIN/$h3/burn"
sql "INSERT INTO artifacts (run_seq, kind, path, size, sha256)
	SELECT seq, 'binary', 'binaries/$h3/burn', 5000, '$h3' FROM runs WHERE id = '$s'"
orphan=0000000000000000000000000000000000000000000000000000000000000000
mkdir -p "$BIN/$orphan" "$BIN/notabinary"
head -c 700 /dev/zero >"$BIN/$orphan/spin.test.tmp4242"
head -c 10 /dev/zero >"$BIN/notabinary/keep"
size1=$(stat -c %s "$BIN/$h1/spin.test")
bins >"$TRASH/bins-before"
assert_eq 5 "$(line_count "$TRASH/bins-before")" "binaries/ entries"

say "--dry-run: P1's binary and the unnamed one would go; nothing changes"
expect_code 0 perfgo gc --keep 3 --dry-run
assert_contains "$OUT" "would remove 1 of 4 runs"
assert_contains "$OUT" "would free 2 stored binaries (2 files, $((size1 + 700)) bytes); kept 2 that a run names"
bins | cmp -s - "$TRASH/bins-before" || fail "a dry run changed binaries/"
assert_eq 4 "$(sql "SELECT count(*) FROM runs")" "runs after a dry run"

say "a run marked running: runs go, binaries stay"
sql "UPDATE runs SET status = 'running', finished_ns = NULL, exit_code = NULL WHERE id = '$s'"
expect_code 0 perfgo gc --keep 3
assert_contains "$OUT" "removed 1 of 4 runs"
assert_contains "$OUT" "removed  $(echo "$p1" | cut -c1-8)  "
assert_contains "$OUT" "stored binaries: none removed while 1 run is marked running (it may be in progress, and a run stores a binary before it names it); 4 kept"
bins | cmp -s - "$TRASH/bins-before" || fail "binaries removed while a run was marked running"
[ ! -e ".perfgo/runs/$p1" ] || fail "P1's directory is left"
sql "UPDATE runs SET status = 'ok', exit_code = 0, finished_ns = started_ns WHERE id = '$s'"

say "a profile that cannot be read keeps every binary"
prof3=$(ls .perfgo/runs/"$p3"/*.pb.gz)
cp "$prof3" "$TRASH/p3.pb.gz"
printf 'not a profile' >"$prof3"
expect_code 0 perfgo gc --keep 3
assert_contains "$ERR" "perfgo: warning: cannot read the profile '$PWD/.perfgo/runs/$p3/"
assert_contains "$ERR" "no stored binary is removed (it may name any of them)"
assert_contains "$OUT" "stored binaries: none removed: a run's profile cannot be read (see the warning); 4 kept"
bins | cmp -s - "$TRASH/bins-before" || fail "binaries removed with a profile unread"
cp "$TRASH/p3.pb.gz" "$prof3"

say "gc removes the binaries no run names: P1's (its run went before) and the unnamed one"
expect_code 0 perfgo gc --keep 3
assert_contains "$OUT" "removed 0 of 3 runs"
assert_contains "$OUT" "freed 2 stored binaries (2 files, $((size1 + 700)) bytes); kept 2 that a run names"
assert_eq "$(printf '%s\n' "$h2" "$h3" notabinary | sort)" "$(bins)" "binaries/ after gc"
for r in "$p2" "$p3"; do
	f=$(mapped "$r")
	[ -f ".perfgo/$f" ] || fail "run $r's profile names '$f', not in the store"
done
expect_code 0 perfgo gc --keep 3
assert_contains "$OUT" "freed 0 stored binaries (0 files, 0 bytes); kept 2 that a run names"

say "the profile runs go: their binary goes, the artifact's stays with its run"
size2=$(stat -c %s "$BIN/$h2/spin.test")
expect_code 0 perfgo gc --keep 1
assert_contains "$OUT" "removed 2 of 3 runs"
assert_contains "$OUT" "freed 1 stored binaries (1 files, $size2 bytes); kept 1 that a run names"
assert_eq "$(printf '%s\n' "$h3" notabinary | sort)" "$(bins)" "binaries/ after the profile runs went"

say "the last run goes: so does its binary; the non-sha256 entry stays"
expect_code 0 perfgo gc --keep 0
assert_contains "$OUT" "removed 1 of 1 runs"
assert_contains "$OUT" "freed 1 stored binaries (1 files, 5000 bytes); kept 0 that a run names"
assert_eq notabinary "$(bins)" "binaries/ at the end"
assert_eq 10 "$(stat -c %s "$BIN/notabinary/keep")" "the non-sha256 entry's file"
echo "ok: $TEST_NAME"
