#!/bin/sh
# Source rules that the compiler does not check (house style, DESIGN §3, §8;
# the layout is drawn in README.md, "Architecture").
set -u
cd "$(dirname "$0")/.." || exit 2
fail=0
complain() { echo "checksrc: $*" >&2; fail=1; }

# Every C file in the project includes banned.h last or lives in stats/,
# which has its own copy of the rule below.
for f in harness/*/*.c reporters/*.c; do
	[ -e "$f" ] || continue
	grep -q '#include "util/banned.h"' "$f" || complain "$f does not include util/banned.h"
done
# Sources live in the folders of harness/, never at its top.
for f in harness/*.[ch]; do
	[ -e "$f" ] && complain "$f: harness/ sources belong in a folder (cli, cmd, session, ...)"
done
# stats/ is pure: libc and libm only, no I/O, no exit.
if ls stats/*.c >/dev/null 2>&1; then
	grep -nE '\b(printf|fprintf|puts|fopen|exit|abort|system|getenv|time)\s*\(' stats/*.c stats/*.h &&
		complain "stats/ must not do I/O, exit or read the clock"
	grep -nE '#include "[a-z]+/' stats/*.c stats/*.h &&
		complain "stats/ must not include harness headers"
	grep -nE '\b(sprintf|strcpy|strcat|strtok|atoi|gets)\s*\(' stats/*.c &&
		complain "banned function in stats/"
fi
# reporters/ format structs into buffers they are handed: no files, no
# processes, and of the harness only the buffer, jansson's helpers and the
# analysis structs.
if ls reporters/*.c >/dev/null 2>&1; then
	grep -nE '\b(fopen|open|exit|getenv|fork|exec[lv]p?)\s*\(' reporters/*.c &&
		complain "reporters/ must not open files, read the environment or exit"
	grep -nE '#include "[a-z]+/' reporters/*.c reporters/*.h |
		grep -vE '#include "(util/(buf|banned|strvec|json)|analysis/[a-z_]+)\.h"' &&
		complain "reporters/ may include only util/buf.h, util/strvec.h, util/json.h and analysis/ headers"
fi
# analysis/ builds results from data: no I/O, no processes, no store.
if ls harness/analysis/*.c >/dev/null 2>&1; then
	grep -nE '\b(printf|fprintf|fopen|open|exit|getenv|fork|exec[lv]p?|system)\s*\(' \
		harness/analysis/*.c &&
		complain "analysis/ must not do I/O or exit"
	grep -nE '#include "[a-z]+/' harness/analysis/*.[ch] |
		grep -vE '#include "(util|analysis)/[a-z_]+\.h"' &&
		complain "analysis/ may include only util/ and analysis/ headers"
fi
# runner/ knows where jobs run, not how they are counted.
grep -nE '#include "(measure|collect|store)/' harness/runner/*.[ch] &&
	complain "runner/ must not include measure/, collect/ or store/ headers"
grep -nwE 'perf' harness/runner/*.c | grep -vE '^\S+:\s*(/?\*|//)' | grep -E '"perf' &&
	complain "runner/ must not name perf"
# Only main.c and cmd_*.c decide the exit code.
for f in harness/*/*.c; do
	case "$f" in harness/cli/main.c|harness/cmd/cmd_*.c) continue ;; esac
	grep -nE '(^|[^_a-z])exit\s*\(' "$f" | grep -v '_exit' &&
		complain "$f calls exit(); only main.c and cmd_*.c may"
done
# No include cycles between modules or between folders (ci/cycles.py).
python3 ci/cycles.py || fail=1
# Small files: a source file over 600 lines is split by responsibility;
# so is a unit-test file, by subject (test_<subject>.c).
for f in harness/*/*.[ch] stats/*.[ch] reporters/*.[ch] tests/unit/*.[ch]; do
	n=$(wc -l < "$f")
	[ "$n" -le 600 ] || complain "$f has $n lines (at most 600)"
done
# No trailing whitespace.
grep -nE '[[:space:]]+$' harness/*/*.[ch] stats/*.[ch] reporters/*.[ch] 2>/dev/null &&
	complain "trailing whitespace"
exit $fail
