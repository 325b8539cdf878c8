#!/bin/sh
# t2020: hostile benchmark names in every report format.
#
# Proves (issue 11, defect 8): a benchmark name with a terminal escape
# sequence (ESC [ 31 m), a C1 control (U+009B, CSI) and a byte that is not
# UTF-8 (0xff), a `cpu:` value with an OSC sequence and a package path with
# ESC [ 2 J, compared from files: no ESC or C1 byte reaches the text report,
# the Markdown or the JUnit XML; the text and Markdown show them as \x1b and
# \u009b; every output is valid UTF-8; `xmllint --noout` accepts the JUnit
# and python3's json.load the JSON (which keeps the names as data, C0
# controls as \u001b).  Then a real Go benchmark,
# b.Run("\x1b[31mred\xff", ...), measured by `perfgo test stat` and written
# as JSON and gobench, compared as files into JUnit and JSON: well-formed
# too.  (Go's testing package itself prints such a name as `\x1b[31mred` +
# U+FFFD; the files are where raw bytes arrive.)
#
# No hardware PMU here: the real run counts the software event task-clock.
. "$(dirname "$0")/lib.sh"

command -v xmllint >/dev/null || fail "xmllint missing: run 'make deps' (libxml2-utils)"

# no_raw FILE: no ESC, no C1 control, valid UTF-8.
no_raw() {
	py '
import sys
b = open(sys.argv[1], "rb").read()
t = b.decode("utf-8")          # raises on invalid UTF-8
bad = [c for c in t if ord(c) < 0x20 and c not in "\n\t" or 0x7f <= ord(c) < 0xa0]
sys.exit("raw control characters %r in %s" % (bad[:5], sys.argv[1]) if bad else 0)
' "$1" || { show "$1"; fail "'$1' carries raw control bytes or invalid UTF-8"; }
}

say "hostile names in files: text, Markdown, JUnit, JSON"
printf 'goos: linux\ncpu: \033]0;pwned\007\npkg: example.com/\033[2Jx\n' >old.txt
for v in 10 11 10 12 10; do
	printf 'BenchmarkA/\033[31mred\377-2\t1\t%s ns/op\n' "$v" >>old.txt
	printf 'BenchmarkB/\302\23331m|`x`-2\t1\t%s ns/op\n' "$v" >>old.txt
done
sed 's/\t1\t1/\t1\t3/' old.txt >new.txt
expect_code 1 perfgo compare old.txt new.txt --markdown r.md --junit r.xml --json r.json
no_raw "$OUT"
no_raw r.md
no_raw r.xml
assert_contains "$OUT" 'BenchmarkA/\x1b[31mred'
assert_contains "$OUT" 'BenchmarkB/\u009b31m|`x`-2'
assert_contains "$OUT" 'cpu: \x1b]0;pwned\x07'
assert_contains "$OUT" 'pkg: example.com/\x1b[2Jx'
assert_contains r.md '`BenchmarkA/\x1b[31mred'
assert_contains r.md '\u009b31m\|'
xmllint --noout r.xml || { show r.xml; fail "xmllint rejects the JUnit report"; }
assert_contains r.xml 'BenchmarkA/\x1b[31mred'
py 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' r.json ||
	{ show r.json; fail "python3 rejects the JSON report"; }
for f in text markdown junit; do
	expect_code 1 perfgo compare --format "$f" old.txt new.txt
	no_raw "$OUT"
done
# JSON carries the names as data: C0 controls as \u001b, U+009B as itself.
expect_code 1 perfgo compare --format json old.txt new.txt
py 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$OUT" ||
	{ show "$OUT"; fail "python3 rejects the JSON on stdout"; }

say "a real Go benchmark named \\x1b[31mred\\xff"
make_module mod example.com/hostile
cat >mod/h_test.go <<'GO'
package hostile

import "testing"

func BenchmarkA(b *testing.B) {
	b.Run("\x1b[31mred\xff", func(b *testing.B) {
		s := 0
		for i := 0; i < b.N; i++ {
			for j := 0; j < 2000; j++ {
				s += j
			}
		}
		_ = s
	})
}
GO
cd mod || fail "cd"
expect_code 0 perfgo test stat -e task-clock --format gobench . -benchtime=2000x -count 3
no_raw "$OUT"
cp "$OUT" ../run.txt
expect_code 0 perfgo test stat -e task-clock --format json . -benchtime=2000x -count 2
py 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$OUT" ||
	{ show "$OUT"; fail "python3 rejects the stat JSON"; }
cd .. || fail "cd"
expect_code 0 perfgo compare run.txt run.txt --junit run.xml --json run.json
no_raw "$OUT"
xmllint --noout run.xml || { show run.xml; fail "xmllint rejects the JUnit report of a real run"; }
py 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' run.json ||
	{ show run.json; fail "python3 rejects the JSON report of a real run"; }
assert_contains run.xml 'red'
