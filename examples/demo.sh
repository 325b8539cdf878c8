#!/bin/sh
# `make demo`: perfgo's main job on a bundled example.  Measures the
# branch-prediction case study with `perfgo test stat`: predictable vs random
# branches vs branchless code, each benchmark in its own processes, counters
# per op with start-up excluded, five repetitions.  Results are stored in a
# throw-away .perfgo directory and shown again with `perfgo view`.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
perfgo="$top/perfgo"
work=$(mktemp -d "${TMPDIR:-/tmp}/perfgo-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

cp -r "$top/examples/branch-prediction" "$work/branch-prediction"
cd "$work/branch-prediction"
export PERFGO_DIR="$work/.perfgo"

echo "\$ perfgo test stat . -bench=. -count 5 -benchtime=2000x"
"$perfgo" test stat . -bench=. -count 5 -benchtime=2000x
echo
echo "\$ perfgo list"
"$perfgo" list
