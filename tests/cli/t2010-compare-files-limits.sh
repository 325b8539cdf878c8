#!/bin/sh
# t2010: `perfgo compare` on files that are too large, and Ctrl-C.
#
# Proves: /dev/zero (endless input) and a file over the 64 MiB limit are
# refused in a fraction of a second with one line naming the file and the
# limit, exit 2; a 2 MB line (a binary or a log with no newline) is refused
# naming the file, the line and the 1 MiB limit, exit 2.  SIGINT while a
# large comparison (two generated files of 25,000 benchmarks x 10 samples x
# 3 units, seconds of statistics) runs stops it: exit 130, a note on
# stderr, nothing on stdout.  Before the fix it ran to the end and exited 0.
. "$(dirname "$0")/lib.sh"

D=$SRC_ROOT/tests/data/compare
cp "$D/old.txt" . || fail "copy inputs"

say "/dev/zero: refused at the size limit, exit 2"
expect_code 2 perfgo compare old.txt /dev/zero
assert_eq 1 "$(line_count "$ERR")" "lines on stderr"
assert_contains "$ERR" "perfgo: error: '/dev/zero' is larger than 64 MiB, the most perfgo reads from a file in Go benchmark format"
assert_empty "$OUT"

say "a file of 64 MiB + 1 byte: refused; 64 MiB exactly: read"
head -c 67108864 /dev/zero | tr '\0' '\n' >big.txt
cat old.txt >>big.txt
head -c "$(( 67108864 - $(wc -c <old.txt) ))" big.txt >exact.txt
cat old.txt >>exact.txt
assert_eq 67108864 "$(wc -c <exact.txt | tr -d ' ')" "size of exact.txt"
expect_code 2 perfgo compare old.txt big.txt
assert_contains "$ERR" "perfgo: error: 'big.txt' is larger than 64 MiB"
expect_code 0 perfgo compare old.txt exact.txt
assert_contains "$OUT" "0 regressions"
rm -f big.txt exact.txt

say "a line of 2 MB: refused naming the line, exit 2"
{ cat old.txt; head -c 2000000 /dev/zero | tr '\0' 'x'; echo; } >long.txt
expect_code 2 perfgo compare old.txt long.txt
assert_eq 1 "$(line_count "$ERR")" "lines on stderr"
assert_contains "$ERR" "perfgo: error: 'long.txt' line $(( $(line_count old.txt) + 1 )) is longer than 1 MiB, the longest line perfgo reads in Go benchmark format"

say "SIGINT during a large comparison: exit 130, nothing written"
py '
import random
random.seed(1)
for name, shift in (("a.txt", 1.0), ("b.txt", 1.02)):
    with open(name, "w") as f:
        f.write("goos: linux\ngoarch: amd64\npkg: example.com/x\n")
        for b in range(25000):
            for c in range(10):
                f.write("BenchmarkF%d-2\t1000\t%.1f ns/op\t64 B/op\t2 allocs/op\n"
                        % (b, 100 * shift * (1 + random.random() * 0.05)))
'
"$PERFGO" compare a.txt b.txt >"$OUT" 2>"$ERR" &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || { show "$ERR"; fail "exit $rc after SIGINT, expected 130 (0: the comparison ran to the end)"; }
assert_empty "$OUT"
assert_contains "$ERR" "perfgo: interrupted: nothing written"
