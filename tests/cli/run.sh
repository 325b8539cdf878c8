#!/bin/sh
# Run every end-to-end test tests/cli/tNNNN-*.sh against $PERFGO (an
# absolute path to the perfgo binary under test).  Each test is a shell
# script sourcing lib.sh; it exits non-zero on failure.  T=tNNNN narrows
# the run to matching scripts.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${PERFGO:?set PERFGO to the perfgo binary under test}"
export PERFGO
fail=0; n=0
for t in "$here"/t[0-9]*.sh; do
	[ -e "$t" ] || continue
	case "$(basename "$t")" in ${T:-t}*) ;; *) continue ;; esac
	n=$((n + 1))
	start=$(date +%s)
	if sh "$t" >"/tmp/perfgo-cli-$$.log" 2>&1; then
		echo "ok   $(basename "$t") ($(( $(date +%s) - start ))s)"
	else
		echo "FAIL $(basename "$t")"
		sed 's/^/     | /' "/tmp/perfgo-cli-$$.log" | tail -60
		fail=$((fail + 1))
	fi
done
rm -f "/tmp/perfgo-cli-$$.log"
echo "cli: $n scripts, $fail failed"
[ "$fail" -eq 0 ]
