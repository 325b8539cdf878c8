#!/bin/sh
# Source rules that the compiler does not check (house style, DESIGN §3, §8).
set -u
cd "$(dirname "$0")/.." || exit 2
fail=0
complain() { echo "checksrc: $*" >&2; fail=1; }

# Every C file in the project includes banned.h last or lives in stats/,
# which has its own copy of the rule below.
for f in harness/*.c reporters/*.c; do
	[ -e "$f" ] || continue
	grep -q '#include "banned.h"' "$f" || complain "$f does not include banned.h"
done
# stats/ is pure: libc and libm only, no I/O, no exit.
if ls stats/*.c >/dev/null 2>&1; then
	grep -nE '\b(printf|fprintf|puts|fopen|exit|abort|system|getenv|time)\s*\(' stats/*.c stats/*.h &&
		complain "stats/ must not do I/O, exit or read the clock"
	grep -nE '#include "(store|proc|buf|usage)\.h"' stats/*.c stats/*.h &&
		complain "stats/ must not include harness headers"
	grep -nE '\b(sprintf|strcpy|strcat|strtok|atoi|gets)\s*\(' stats/*.c &&
		complain "banned function in stats/"
fi
# reporters/ format into buffers they are handed: no files, no processes.
if ls reporters/*.c >/dev/null 2>&1; then
	grep -nE '\b(fopen|open|exit|getenv|fork|exec[lv]p?)\s*\(' reporters/*.c &&
		complain "reporters/ must not open files, read the environment or exit"
fi
# Only main.c and cmd_*.c decide the exit code.
for f in harness/*.c; do
	case "$f" in harness/main.c|harness/cmd_*.c) continue ;; esac
	grep -nE '(^|[^_a-z])exit\s*\(' "$f" | grep -v '_exit' &&
		complain "$f calls exit(); only main.c and cmd_*.c may"
done
# No C++ comments, no trailing whitespace.
grep -nE '[[:space:]]+$' harness/*.[ch] stats/*.[ch] reporters/*.[ch] 2>/dev/null &&
	complain "trailing whitespace"
exit $fail
