#!/bin/sh
# Smoke-run every libFuzzer target: its seed corpus plus a bounded number of
# mutations.  Long fuzzing sessions: build/fuzz/<target> tests/fuzz/corpus/<name>.
set -eu
here=$(dirname "$0")
runs=${FUZZ_RUNS:-20000}
for f in "$@"; do
	name=$(basename "$f")
	corpus="$here/corpus/${name#fuzz_}"
	work=$(mktemp -d)
	[ -d "$corpus" ] && cp -r "$corpus/." "$work/"
	echo "fuzz: $name ($runs runs)"
	if ! "$f" -runs="$runs" -max_len=4096 "$work" >"$work.log" 2>&1; then
		tail -40 "$work.log" >&2
		rm -rf "$work" "$work.log"
		exit 1
	fi
	rm -rf "$work" "$work.log"
done
