#!/bin/sh
# Run libFuzzer targets over their seed corpus (tests/fuzz/corpus/<name>,
# <name> being the target without "fuzz_").
#
# Short (make fuzz, part of make check): each target gets the seeds plus
# FUZZ_RUNS mutations (default 20000), at most FUZZ_MAX_TIME seconds
# (default 10), in a scratch copy of its corpus.  The mutations come from a
# fixed seed, FUZZ_SEED (default 1; 0 lets libFuzzer pick one), so a gate
# that passed on a commit passes again on it: the same inputs in the same
# order, only fewer of them when the time limit cuts a slow run short.
# Finding new bugs is fuzz-long's job, which always seeds at random.
#
# Long (make fuzz-long, FUZZ_SECONDS=N): each target runs N seconds; the
# corpus it grows is kept in build/fuzz-corpus/<name> (seeded from the
# committed one), with any crash, leak or timeout input beside it as
# crash-*, leak-*, timeout-*; the last lines of libFuzzer's log
# (executions, coverage) are printed per target.
set -eu
here=$(dirname "$0")
runs=${FUZZ_RUNS:-20000}
max=${FUZZ_MAX_TIME:-10}
seed=${FUZZ_SEED:-1}
long=${FUZZ_SECONDS:-}
status=0
# Leaks in third-party libraries only (see the file).
LSAN_OPTIONS="suppressions=$(cd "$here" && pwd)/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
for f in "$@"; do
	name=$(basename "$f")
	corpus="$here/corpus/${name#fuzz_}"
	if [ -n "$long" ]; then
		work="build/fuzz-corpus/${name#fuzz_}"
		mkdir -p "$work"
		[ -d "$corpus" ] && cp -r "$corpus/." "$work/"
		echo "fuzz: $name for ${long}s (corpus $work)"
		if ! "$f" -max_total_time="$long" -max_len=4096 -timeout=10 \
			-artifact_prefix="$work/" -print_final_stats=1 "$work" >"$work.log" 2>&1; then
			echo "fuzz: $name FAILED: see $work.log and $work/crash-* / leak-* / timeout-*" >&2
			tail -40 "$work.log" >&2
			status=1
		fi
		grep -E '^#[0-9]+.*(DONE|pulse|NEW)' "$work.log" | tail -1
		grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$work.log" || true
		continue
	fi
	work=$(mktemp -d)
	[ -d "$corpus" ] && cp -r "$corpus/." "$work/"
	echo "fuzz: $name ($runs runs, at most ${max}s, seed $seed)"
	if ! "$f" -seed="$seed" -runs="$runs" -max_total_time="$max" -max_len=4096 \
		"$work" >"$work.log" 2>&1; then
		tail -40 "$work.log" >&2
		rm -rf "$work" "$work.log"
		exit 1
	fi
	rm -rf "$work" "$work.log"
done
exit $status
