#!/bin/sh
# t9000: histories users can see: `perfgo run` over a series of commits,
# `perfgo history`, `perfgo history --svg`, `perfgo bisect`, `perfgo report --html`.
#
# A real module in a real git repository with six commits; c4 makes Work
# three times slower and allocate twice per op instead of once (64 B each).
# The allocations are deterministic (Go's allocs/op and B/op), so the
# assertions on change points and bisect use allocs/op and hold on a loaded
# machine; ns/op moves too but its noise here is not asserted on.
#
# Proves: `run` lists c4 as "moved" in allocs/op (+100 %) and no other
# commit; `history --metric allocs/op` has one row per commit in
# first-parent order and the change point at c4 (+100.0 %) and nowhere
# else, in text, JSON and CSV alike, and -n 2 / --since narrow it; `--svg`
# writes well-formed SVG (xmllint) with the change linked to c4; `bisect
# --reuse` on the stored runs and `bisect` measuring fresh (interleaved,
# -count 3) both name c4 and exit 0, within log2(5)+1 steps; a bisect whose
# two ends do not differ says so and exits 1; `report --html` writes a
# well-formed, self-contained page (no http(s) URL to load) with one chart
# per benchmark and metric and the commits as link targets; when Chromium
# is installed (Debian's `chromium`, in ci/deps.sh) it renders the page
# headless and the screenshot holds the chart's line colour and the change
# point's red (decoded with a small PNG reader below; skipped and said when
# Chromium is missing).  Usage errors exit 2.
#
# No hardware PMU here: the runs count the software event task-clock.
. "$(dirname "$0")/lib.sh"

S=$(bench_suffix)
make_module repo example.com/hist
cat >repo/w.go <<'EOT'
package hist

// work is the number of rounds Work does per call; allocs the allocations.
const work = 20000
const allocs = 1

var Sink uint64
var Keep [][]byte

func spin(n int) uint64 {
	x := uint64(1)
	for i := 0; i < n; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

func Work() {
	Sink += spin(work)
	for i := 0; i < allocs; i++ {
		Keep = append(Keep[:0], make([]byte, 64))
	}
}
EOT
cat >repo/w_test.go <<'EOT'
package hist

import "testing"

func BenchmarkWork(b *testing.B) {
	Keep = make([][]byte, 0, 4)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Work()
	}
}
EOT
printf '.perfgo/\n' >repo/.gitignore
git_init repo
cd "$TRASH/repo" || fail "cd"
git commit -q --amend -m "c1: initial" || fail "commit"
for i in 2 3 4 5 6; do
	if [ "$i" = 4 ]; then
		sed -i 's/^const work = 20000/const work = 60000/; s/^const allocs = 1/const allocs = 2/' w.go
		git commit -qam "c4: three times the work, twice the allocations" || fail "commit"
	else
		echo "// c$i" >>w.go
		git commit -qam "c$i: a comment" || fail "commit"
	fi
done
c4=$(git rev-parse HEAD~2)
c4s=$(echo "$c4" | cut -c1-12)
c3s=$(git rev-parse --short=12 HEAD~3)

BENCH="-e task-clock -- . -bench=Work -benchtime=1000x -count 4"

say "run over six commits: c4 is the one that moved in allocs/op"
expect_code 0 perfgo run HEAD~5 HEAD~5..HEAD $BENCH
assert_eq 6 "$(grep -c '  measured  ' "$OUT")" "commits measured"
grep -A2 "^$c4s  measured" "$OUT" | grep -q "^ *moved  BenchmarkWork$S allocs/op +100.0% " ||
	{ show "$OUT"; fail "c4 not listed as moved in allocs/op"; }
assert_eq 1 "$(grep -c 'allocs/op' "$OUT")" "allocs/op moved once"

say "history: a row per commit, the change point at c4"
expect_code 0 perfgo history --metric allocs/op
assert_eq 6 "$(grep -c '^[0-9a-f]\{12\}  ' "$OUT")" "rows"
assert_eq "$(git log --first-parent --reverse --format=%h --abbrev=12 | tr '\n' ' ')" \
	"$(grep -o '^[0-9a-f]\{12\}' "$OUT" | tr '\n' ' ')" "first-parent order"
{ grep -c "change point [+-]" "$OUT" | grep -qx 1; } || { show "$OUT"; fail "not one change point"; }
assert_eq "$c4s" "$(grep -B1 'change point +100.0% p=' "$OUT" | head -1 | cut -c1-12)" "change at c4"
assert_contains "$OUT" "BenchmarkWork$S  allocs/op  (example.com/hist)  runner "
expect_code 0 perfgo history Work --format json --metric allocs/op --metric B/op
py '
import json, sys
d = json.load(open(sys.argv[1]))
assert [s["metric"] for s in d] == ["B/op", "allocs/op"], [s["metric"] for s in d]
for s in d:
    pts = s["points"]
    assert len(pts) == 6, len(pts)
    ch = [p["commit"] for p in pts if p["change"]]
    assert ch == [sys.argv[2]], ch
    assert abs(pts[3]["change"]["rel"] - 1.0) < 1e-9, pts[3]["change"]
    assert pts[3]["change"]["p"] < 0.001
    assert [p["median"] for p in pts] == ([64.0] * 3 + [128.0] * 3 if s["metric"] == "B/op"
                                         else [1.0] * 3 + [2.0] * 3)
    assert all(p["n"] == 4 for p in pts)
' "$OUT" "$c4" || fail "history json"
expect_code 0 perfgo history --format csv --metric allocs/op
assert_eq 7 "$(line_count "$OUT")" "csv lines"
head -1 "$OUT" | grep -q '^package,benchmark,metric,runner_class,commit,' || fail "csv header"
expect_code 0 perfgo history --metric allocs/op -n 2
assert_eq 2 "$(grep -c '^[0-9a-f]\{12\}  ' "$OUT")" "-n 2"
expect_code 0 perfgo history --metric allocs/op --since HEAD~1
assert_eq 2 "$(grep -c '^[0-9a-f]\{12\}  ' "$OUT")" "--since HEAD~1"
expect_code 0 perfgo history
assert_contains "$OUT" "BenchmarkWork$S  ns/op"

say "history --svg: one well-formed chart, the change linked to c4"
expect_code 0 perfgo history --metric allocs/op --svg "$TRASH/w.svg"
xmllint --noout "$TRASH/w.svg" || fail "svg not well-formed"
assert_contains "$TRASH/w.svg" "href=\"#c-$c4\""
assert_eq 6 "$(grep -o '<circle' "$TRASH/w.svg" | wc -l)" "points drawn"
expect_code 2 perfgo history --metric all --svg "$TRASH/x.svg"
assert_contains "$ERR" "--svg draws one chart"

say "bisect on the stored runs (--reuse) and measuring fresh"
runs=$(sql "SELECT count(*) FROM runs")
expect_code 0 perfgo bisect --reuse --metric allocs/op HEAD~5 HEAD $BENCH
assert_contains "$OUT" "first bad commit: $c4 c4: three times the work"
assert_eq "$runs" "$(sql "SELECT count(*) FROM runs")" "runs after bisect --reuse (nothing measured)"
expect_code 0 perfgo bisect --metric allocs/op HEAD~5 HEAD -e task-clock -- . -bench=Work -benchtime=1000x -count 3
assert_contains "$OUT" "first bad commit: $c4"
steps=$(grep -c '^\(good\|bad\|?\) ' "$OUT")
[ "$steps" -le 4 ] || { show "$OUT"; fail "$steps comparisons for 4 commits"; }
grep -q "^good  $c3s" "$OUT" || { show "$OUT"; fail "c3 not judged good"; }
expect_code 1 perfgo bisect --reuse --metric allocs/op HEAD~5 HEAD~3 $BENCH
assert_contains "$OUT" "do not differ in allocs/op"

say "report --html: a self-contained page, one chart per benchmark and metric"
expect_code 0 perfgo report --html "$TRASH/site"
xmllint --noout "$TRASH/site/index.html" || fail "page not well-formed"
nmetrics=$(sql "SELECT count(DISTINCT metric) FROM samples")
assert_eq "$nmetrics" "$(grep -o '<svg' "$TRASH/site/index.html" | wc -l)" "charts"
assert_contains "$TRASH/site/index.html" "id=\"c-$c4\""
assert_contains "$TRASH/site/index.html" "href=\"#c-$c4\""
assert_not_contains "$TRASH/site/index.html" "http://www.w3.org/1999"
if grep -o 'https\?://[^" ]*' "$TRASH/site/index.html" | grep -v '^http://www.w3.org/2000/svg$' | grep -q .; then
	fail "the page loads something from the network"
fi

if command -v chromium >/dev/null 2>&1; then
	say "the page in headless Chromium: the chart is drawn"
	expect_code 0 perfgo report --html "$TRASH/one" --metric allocs/op
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$TRASH/chromium" --window-size=900,700 \
		--screenshot="$TRASH/shot.png" "file://$TRASH/one/index.html" >/dev/null 2>&1
	[ -s "$TRASH/shot.png" ] || fail "no screenshot"
	py '
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), (depth, ctype)
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw, stride, prev, rows = zlib.decompress(idat), w * bpp, bytearray(w * bpp), []
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
def count(rgb):
    return sum(1 for r in rows for x in range(w)
               if all(abs(r[x * bpp + k] - rgb[k]) <= 12 for k in range(3)))
blue, red = count((0x1f, 0x6f, 0xb2)), count((0xd6, 0x28, 0x28))
assert blue > 100, "series line: %d pixels" % blue
assert red > 20, "change point: %d pixels" % red
' "$TRASH/shot.png" || fail "the screenshot has no chart"
else
	say "chromium not installed: the page was checked structurally only"
fi

say "usage errors"
expect_code 2 perfgo history --format xml
expect_code 2 perfgo history 'Work(' 
assert_contains "$ERR" "not a valid regular expression"
expect_code 2 perfgo bisect HEAD~1 -- . -bench=Work
assert_contains "$ERR" "name a good and a bad commit"
expect_code 2 perfgo report
assert_contains "$ERR" "perfgo report --html <dir>"
echo "ok: $TEST_NAME"
