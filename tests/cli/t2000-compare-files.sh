#!/bin/sh
# t2000: `perfgo compare OLD NEW...` on files in Go benchmark format.
#
# Proves, with the real binary: exit codes (0 same, 1 regression, 0 under
# --fail-on none, 2 for every bad value, missing, malformed or conflicting
# file, with a one-line error and the help hint where an option is at
# fault); the verdicts on the hand-made files of tests/data/compare/ (see
# make_inputs.py there: a 3x slowdown, an improvement, an MB/s drop, added
# and removed benchmarks, assume=exact units); --filter, --metric and
# --threshold; several NEW files; JSON that python3 parses, with the
# documented fields; Markdown with its summary line and <details>; and
# that the output of a real `perfgo test stat --format gobench` run (a tiny
# module made here, -benchtime=200000x -count 5: loops of milliseconds, so
# that perf's counters are enabled well before the loop ends even on a
# loaded machine) compares against itself with no regression.  The gate
# policy: MB/s is a diagnostic (shown, Benjamini-Hochberg, never gating),
# the summary counts benchmarks that regressed and names their units, 3+3
# samples that cannot reach α say so first and --fail-on unreachable fails
# on it, one sample per side is never a verdict, negligible per-op counters
# collapse into one line.
#
# No hardware PMU here: the real run carries Go's metrics and software
# counters only.
. "$(dirname "$0")/lib.sh"

D=$SRC_ROOT/tests/data/compare
cp "$D/old.txt" "$D/new.txt" "$D/slow.txt" "$D/few-old.txt" "$D/few-new.txt" \
	"$D/one-old.txt" "$D/one-new.txt" . || fail "copy inputs"

say "identical files: everything ~, exit 0"
expect_code 0 perfgo compare old.txt old.txt
assert_contains "$OUT" "gated: 0 regressions, 0 improvements, 0 inconclusive, 24 ~, 0 not comparable"
assert_contains "$OUT" "diagnostics (never gate): 0 regressions, 0 improvements, 0 inconclusive, 2 ~,"
assert_eq "no gated regression" "$(sed -n 6p "$OUT")" "the decision leads"
assert_contains "$OUT" "ns/op: lower is better, θ 3%"
assert_not_contains "$OUT" "regression "
assert_empty "$ERR"

say "a 3x slowdown: regression, exit 1; --fail-on none: exit 0"
expect_code 1 perfgo compare old.txt slow.txt
assert_contains "$OUT" "gated: 1 regression, 0 improvements"
assert_eq "1 benchmark regressed: BenchmarkFib/n=20-2 (ns/op)" "$(sed -n 6p "$OUT")" "the decision"
grep -E '^BenchmarkFib/n=20-2 .*\+[0-9.]+%.*\(p=0\.000 n=10\+10\).*regression' "$OUT" >/dev/null ||
	{ show "$OUT"; fail "no regression row for BenchmarkFib"; }
expect_code 0 perfgo compare --fail-on none old.txt slow.txt
assert_contains "$OUT" "1 regression,"
expect_code 0 perfgo compare --fail-on=none --format json old.txt slow.txt
assert_eq 1 "$(py 'import json,sys; print(json.load(open(sys.argv[1]))["regressions"])' "$OUT")" \
	"regressions in JSON under --fail-on none"

say "improvement, higher-is-better drop, added and removed, assume=exact"
expect_code 1 perfgo compare old.txt new.txt
cp "$OUT" text.out
assert_contains text.out "gated: 4 regressions, 4 improvements, 0 inconclusive, 12 ~, 8 not comparable (Holm over 20 comparisons"
# One finding per benchmark, naming its units; MB/s (ns/op inverted) is not one.
assert_eq "3 benchmarks regressed: BenchmarkEncode/format=gob-2 (ns/op), BenchmarkFib/n=20-2 (ns/op, instructions/op), BenchmarkParse-2 (ns/op)" \
	"$(sed -n 6p text.out)" "the decision counts benchmarks"
assert_contains text.out "diagnostics (never gate): 1 regression, 1 improvement, 0 inconclusive, 0 ~, 0 not comparable (Benjamini-Hochberg over 2 comparisons)"
assert_contains text.out "MB/s: higher is better, θ 3%"
assert_contains text.out "instructions/op: lower is better, θ 1%, assume=exact"
row() { # unit name -> the row of that benchmark in that unit's table
	awk -v u="$1:" -v n="$2" '$1 == u { t = 1; next } /^$/ { t = 0 } t && $1 == n' text.out
}
case "$(row MB/s BenchmarkEncode/format=gob-2)" in
*-9.91%*regression*) ;; *) fail "MB/s drop is not a regression: $(row MB/s BenchmarkEncode/format=gob-2)" ;;
esac
case "$(row ns/op BenchmarkEncode/format=json-2)" in
*-20.08%*improvement*) ;; *) fail "json encode is not an improvement" ;;
esac
case "$(row ns/op BenchmarkRemoved-2)" in
*"not comparable: removed"*) ;; *) fail "removed benchmark: '$(row ns/op BenchmarkRemoved-2)'" ;;
esac
case "$(row allocs/op BenchmarkAdded-2)" in
*"not comparable: added"*) ;; *) fail "added benchmark" ;;
esac
case "$(row instructions/op BenchmarkSort/n=1000-2)" in
*"(exact n=10+10)"*"values vary"*) ;; *) fail "assume=exact with varying values" ;;
esac
case "$(row ns/op BenchmarkParse-2)" in
*+5.17%*regression*) ;; *) fail "5 % slower Parse is not a regression at θ 3 %" ;;
esac
grep -q '^geomean ' text.out || fail "no geomean row"

say "--threshold raises θ: the 5 % change becomes ~"
expect_code 0 perfgo compare --threshold ns/op=10 --metric ns/op --filter 'Parse|Sort' old.txt new.txt
grep -E '^BenchmarkParse-2 .*\+5\.17% .* ~$' "$OUT" >/dev/null || { show "$OUT"; fail "Parse not ~ at θ 10 %"; }
assert_contains "$OUT" "ns/op: lower is better, θ 10%"
assert_not_contains "$OUT" "MB/s"
assert_not_contains "$OUT" "BenchmarkFib"

say "--metric keeps only the named units, in that order (gated ones first)"
expect_code 1 perfgo compare --metric MB/s --metric allocs/op --metric ns/op old.txt new.txt
assert_eq "allocs/op:
ns/op:
MB/s:" "$(grep -E '^[^ ]+: (lower|higher) is better' "$OUT" | cut -d' ' -f1)" "tables"
# MB/s, the one regressed unit here, is a diagnostic: no gate failure.
expect_code 0 perfgo compare --metric MB/s --metric allocs/op old.txt new.txt

say "several NEW files: one block each"
expect_code 1 perfgo compare old.txt new.txt slow.txt
assert_contains "$OUT" "== new.txt vs old.txt"
assert_contains "$OUT" "== slow.txt vs old.txt"
assert_eq 2 "$(grep -c '(Holm over' "$OUT")" "summary lines"

say "JSON: parses, documented fields, exact numbers"
expect_code 1 perfgo compare --format json old.txt new.txt
py '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "perfgo.compare/1", d["schema"]
assert d["alpha"] == 0.05 and d["confidence"] == 0.95
assert d["config"]["pkg"] == "example.com/codec"
assert d["regressions"] == 4 and d["regressed_benchmarks"] == 3 and d["unreachable"] == 0
c = d["comparisons"][0]
assert (c["old"], c["new"], c["family"]) == ("old.txt", "new.txt", 20), c["family"]
assert c["counts"] == {"same": 12, "regression": 4, "improvement": 4,
                       "inconclusive": 0, "not_comparable": 8}, c["counts"]
assert c["diagnostic_family"] == 2 and c["diagnostic_counts"]["regression"] == 1
assert [(f["name"], f["units"]) for f in c["regressed"]] == [
    ("BenchmarkEncode/format=gob-2", ["ns/op"]),
    ("BenchmarkFib/n=20-2", ["ns/op", "instructions/op"]),
    ("BenchmarkParse-2", ["ns/op"])], c["regressed"]
assert c["unreachable"] is None
units = {u["unit"]: u for u in c["units"]}
assert list(units) == ["ns/op", "MB/s", "B/op", "allocs/op", "instructions/op"]
assert units["MB/s"]["better"] == "higher" and not units["MB/s"]["gated"]
assert units["ns/op"]["gated"] and units["instructions/op"]["gated"]
assert units["instructions/op"]["assume"] == "exact"
assert units["instructions/op"]["better_source"] == "metadata"
rows = {r["name"]: r for r in units["ns/op"]["rows"]}
fib = rows["BenchmarkFib/n=20-2"]
assert fib["verdict"] == "regression" and fib["presence"] == "both"
assert 2.9 < fib["ratio"] < 3.1 and fib["ratio_ci"][0] > 1.03
assert len(fib["old"]["samples"]) == 10 and fib["old"]["n"] == 10
assert fib["p_adj"] < 0.05 and fib["test"] == "exact"
assert rows["BenchmarkAdded-2"]["old"] is None
assert rows["BenchmarkAdded-2"]["verdict"] == "not_comparable"
assert rows["BenchmarkAdded-2"]["reason"] == "added"
assert rows["BenchmarkRemoved-2"]["presence"] == "removed"
old = [float(l.split()[2]) for l in open("old.txt") if l.startswith("BenchmarkParse-2")]
assert rows["BenchmarkParse-2"]["old"]["samples"] == old
' "$OUT" || fail "JSON checks"

say "Markdown: summary line, changes table, <details>, method"
expect_code 1 perfgo compare --format markdown old.txt new.txt
head -1 "$OUT" | grep -F -q '**perfgo compare** `old.txt` → `new.txt`: **3 benchmarks regressed**: `BenchmarkEncode/format=gob-2` (ns/op), `BenchmarkFib/n=20-2` (ns/op, instructions/op)' ||
	{ show "$OUT"; fail "markdown summary line"; }
assert_contains "$OUT" "| \`BenchmarkFib/n=20-2\` | ns/op |"
assert_contains "$OUT" "<details><summary>All gated results"
assert_contains "$OUT" "<details><summary>Diagnostics (never gate): 1 unit, Benjamini-Hochberg over 2 comparisons"
assert_contains "$OUT" "</details>"
assert_contains "$OUT" "<sub>Method:"

say "3+3 samples: α out of reach, said first; --fail-on unreachable fails the gate"
expect_code 0 perfgo compare few-old.txt few-new.txt
assert_eq "no gated regression" "$(sed -n 6p "$OUT")" "decision"
sed -n 7p "$OUT" | grep -q '^warning: cannot reach α=0.05: with n=3+3 the smallest possible p is 0.1, and Holm over 4 gated comparisons needs p < 0.0125, so 2 of them can never be significant; use -count 5 or more' ||
	{ show "$OUT"; fail "the unreachable warning is not second"; }
case "$(grep '^BenchmarkBranchless-2 ' "$OUT" | head -1)" in
*+583.15%*inconclusive*under-powered*) ;; *) show "$OUT"; fail "6.8x slowdown at 3+3 is not inconclusive" ;;
esac
assert_contains "$OUT" "negligible (|median| under 0.001 per op, or negative; not compared): context-switches/op (2), page-faults/op (1)"
assert_not_contains "$OUT" "context-switches/op: "
expect_code 1 perfgo compare --fail-on unreachable few-old.txt few-new.txt
assert_contains "$ERR" "perfgo: the gate fails: 2 gated comparisons cannot reach α at these sample sizes (--fail-on unreachable)"
expect_code 1 perfgo compare --fail-on regression,unreachable --format junit few-old.txt few-new.txt
assert_contains "$OUT" '<failure type="PerfUnderpowered" message="cannot reach α=0.05'
expect_code 0 perfgo compare --format markdown few-old.txt few-new.txt
assert_eq "> **Warning: cannot reach α=0.05: with n=3+3 the smallest possible p is 0.1, and Holm over 4 gated comparisons needs p < 0.0125, so 2 of them can never be significant; use -count 5 or more, or gate fewer metrics (--gate)**" \
	"$(sed -n 3p "$OUT")" "markdown warning"
expect_code 0 perfgo compare --format json few-old.txt few-new.txt
py '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["unreachable"] == 2, d["unreachable"]
u = d["comparisons"][0]["unreachable"]
assert (u["pairs"], u["n_old"], u["n_new"], u["count_needed"]) == (2, 3, 3, 5), u
assert u["message"].startswith("cannot reach"), u
' "$OUT" || fail "JSON unreachable"

say "--gate: choose what gates; MB/s then gates, ns/op does not"
expect_code 1 perfgo compare --gate MB/s,allocs/op old.txt new.txt
assert_eq "1 benchmark regressed: BenchmarkEncode/format=gob-2 (MB/s)" "$(sed -n 6p "$OUT")" "--gate decision"
assert_contains "$OUT" "(Holm over 7 comparisons"
expect_code 0 perfgo compare --gate task-clock-ns/op few-old.txt few-new.txt
assert_contains "$OUT" "(Holm over 2 comparisons"

say "one sample per side: never a verdict"
expect_code 0 perfgo compare one-old.txt one-new.txt
assert_contains "$OUT" "not comparable: one sample per side"
assert_eq "no gated comparison could be made (see the not comparable rows)" "$(sed -n 6p "$OUT")" "n=1 decision"

say "errors: one line, exit 2"
expect_code 2 perfgo compare old.txt HEAD~1
assert_eq "perfgo: error: 'HEAD~1' is not a file in Go benchmark format" "$(cat "$ERR")" "missing file"
assert_empty "$OUT"
expect_code 2 perfgo compare old.txt "$TRASH"
assert_eq 1 "$(line_count "$ERR")" "directory error lines"
expect_code 2 perfgo compare old.txt
assert_contains "$ERR" "compare needs two files"
printf 'just some text\n' >empty.txt
expect_code 2 perfgo compare old.txt empty.txt
assert_contains "$ERR" "'empty.txt' is not a file in Go benchmark format: no benchmark results"
printf 'Unit ns/op better=sideways\nBenchmarkA 1 1 ns/op\n' >bad.txt
expect_code 2 perfgo compare old.txt bad.txt
assert_contains "$ERR" "'bad.txt' line 1"
printf 'Unit MB/s better=lower\nBenchmarkA 1 1 MB/s\n' >flip.txt
printf 'Unit MB/s better=higher\nBenchmarkA 1 1 MB/s\n' >flop.txt
expect_code 2 perfgo compare flip.txt flop.txt
assert_contains "$ERR" "unit 'MB/s' is better=lower in 'flip.txt' but better=higher in 'flop.txt'"
if [ "$(id -u)" -ne 0 ]; then
	cp old.txt locked.txt && chmod 000 locked.txt
	expect_code 2 perfgo compare old.txt locked.txt
	assert_contains "$ERR" "cannot read 'locked.txt'"
fi
for bad in "--alpha 0" "--alpha 1" "--alpha x" "--confidence 95" "--threshold ns/op" \
	"--threshold ns/op=0" "--threshold =5" "--threshold ns/op=abc" "--filter (" \
	"--fail-on always" "--fail-on none,regression" "--gate ," "--format html" "--metric nosuch/op" "--filter NoSuchBench" "--nosuch"; do
	# shellcheck disable=SC2086
	expect_code 2 perfgo compare $bad old.txt new.txt
	assert_eq 2 "$(line_count "$ERR")" "stderr lines for '$bad'"
	head -1 "$ERR" | grep -q '^perfgo: error: ' || { show "$ERR"; fail "error line for '$bad'"; }
	assert_eq "perfgo: see 'perfgo help compare'" "$(tail -1 "$ERR")" "hint for '$bad'"
	assert_empty "$OUT"
done
expect_code 0 perfgo compare --help
assert_contains "$OUT" "usage: perfgo compare"
expect_code 0 perfgo help compare
assert_contains "$OUT" "--threshold"

say "a real 'perfgo test stat --format gobench' run compares against itself"
make_module tiny example.com/tiny
cat >tiny/tiny_test.go <<'EOF'
package tiny

import "testing"

var sink int

func BenchmarkLoop(b *testing.B) {
	for i := 0; i < b.N; i++ {
		for j := 0; j < 100; j++ {
			sink += j
		}
	}
}

func BenchmarkAlloc(b *testing.B) {
	for i := 0; i < b.N; i++ {
		s := make([]byte, 64+i%2)
		sink += len(s)
	}
}
EOF
cd tiny || fail "cd tiny"
expect_code 0 perfgo test stat --format gobench -- . -benchtime=200000x -count 5
cp "$OUT" ../run.txt
cd .. || fail "cd .."
S=$(bench_suffix)
assert_contains run.txt "pkg: example.com/tiny"
assert_eq 5 "$(grep -c "^BenchmarkLoop$S	" run.txt)" "BenchmarkLoop lines"
expect_code 0 perfgo compare run.txt run.txt
assert_contains "$OUT" "pkg: example.com/tiny"
assert_contains "$OUT" "gated: 0 regressions, 0 improvements, 0 inconclusive,"
grep -q "^BenchmarkLoop$S " "$OUT" || { show "$OUT"; fail "no BenchmarkLoop row"; }
assert_contains "$OUT" "task-clock-ns/op: lower is better"
expect_code 0 perfgo compare --format json run.txt run.txt
py '
import json, sys
d = json.load(open(sys.argv[1]))
c = d["comparisons"][0]
assert d["regressions"] == 0 and c["counts"]["regression"] == 0
assert c["counts"]["same"] == c["family"] > 0, c["counts"]
units = [u["unit"] for u in c["units"]]
for u in ("ns/op", "B/op", "allocs/op", "task-clock-ns/op"):
    assert u in units, units
for u in c["units"]:
    for r in u["rows"]:
        assert r["old"]["n"] == 5 and r["old"]["samples"] == r["new"]["samples"], r
        # Per-op counters at 2000 iterations may have a negative median
        # (differential noise): no ratio, hence not comparable.  The Go
        # units never do.
        # As diagnostics these are "negligible", as are medians under 0.001/op.
        if r["verdict"] == "not_comparable":
            assert r["reason"] == "negligible" and r["negligible"], r
            assert not u["gated"] and (r["old"]["median"] < 0 or abs(r["old"]["median"]) < 0.001), r
        else:
            assert r["verdict"] == "same" and r["ratio"] == 1 and r["p_adj"] == 1, r
' "$OUT" || fail "JSON of the real run"
