#!/bin/sh
# t8000: `perfgo compare --github` against a stand-in for GitHub's REST API
# (issue 14).
#
# GitHub cannot be reached from here, and a test must not post check runs
# to a real repository, so tests/github/stub.py plays the API on loopback.
# It is a stand-in, but a strict one: every request is validated against
# the operations of GitHub's own OpenAPI description (the committed subset
# of @octokit/openapi, tests/github/openapi-subset.json) with jsonschema,
# with GitHub's header rules and the token checked; it keeps the check
# runs and comments as GitHub would, and injects 502s, secondary rate
# limits (403/429 with Retry-After) and a read-only token's 403.  Every
# request is logged; the test asserts on the log and the stub's state.
#
# What it proves, on a small repository with a real regression (head runs
# BenchmarkEncode's two sub-benchmarks 3x slower, and moves the function
# down three lines):
#  - on by default under GITHUB_ACTIONS=true: the check run is created
#    in_progress on the pull request's head (the event payload's SHA, not
#    GITHUB_SHA) before the first side is measured, after a 502 retried;
#    completed with conclusion failure after a 429 retried; the annotations
#    are failures on the `func BenchmarkEncode(` line of the head's
#    codec/codec_test.go for both sub-benchmarks, and nothing else;
#  - $GITHUB_STEP_SUMMARY holds the Markdown report, $GITHUB_OUTPUT the
#    counts, the verdict and report paths that exist;
#  - --github-comment posts one comment (found past 120 others, on page 2)
#    and a second run updates it in place instead of adding another; a
#    measured head that is not the event's head is warned about;
#  - on files: 120 regressions/improvements go in 3 updates of 50, 50, 20,
#    the last completing; a summary over 65,535 characters is truncated
#    with the note; a read-only token (403 on check runs) gives one
#    warning, ::error/::notice workflow commands (stderr) and still exit 1;
#  - --no-github sends nothing; the token is nowhere in stdout, stderr,
#    the summary, the outputs or .perfgo/.
. "$(dirname "$0")/lib.sh"

python3 -c 'import jsonschema' 2>/dev/null ||
	fail "python3-jsonschema is missing (ci/deps.sh installs it)"

S=$(bench_suffix)
TOKEN=ghs_t8000NotARealTokenButSecret42
SUBSET=$SRC_ROOT/tests/github/openapi-subset.json
STUBS=0

# start_stub [--inject ...]: a fresh stand-in; sets LOG, STATE, API.
start_stub() {
	STUBS=$((STUBS + 1))
	d=$TRASH/stub$STUBS
	mkdir -p "$d"
	LOG=$d/log.jsonl STATE=$d/state.json
	python3 "$SRC_ROOT/tests/github/stub.py" --subset "$SUBSET" --token "$TOKEN" \
		--port-file "$d/port" --log "$LOG" --state "$STATE" --comments 120 "$@" \
		2>"$d/stderr" &
	wait_until 20 test -f "$d/port" || { show "$d/stderr"; fail "the stub did not start"; }
	API=http://127.0.0.1:$(cat "$d/port")
	: >"$LOG"
}

# check_log: the stub found nothing wrong with any request.
check_log() {
	py '
import json, sys
bad = [r for r in map(json.loads, open(sys.argv[1])) if r["errors"]]
for r in bad:
    print(r["method"], r["path"], r["errors"])
sys.exit(1 if bad else 0)' "$LOG" || fail "the stub rejected requests (above)"
}

make_module repo example.com/gh
mkdir -p repo/codec
cat >repo/codec/codec.go <<'GO'
package codec

var Sink uint64

func Work(rounds int) {
	x := uint64(1)
	for i := 0; i < rounds; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	Sink += x
}
GO
cat >repo/codec/codec_test.go <<'GO'
package codec

import "testing"

func BenchmarkEncode(b *testing.B) {
	for _, size := range []string{"small", "large"} {
		b.Run(size, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				Work(20000)
			}
		})
	}
}

func BenchmarkStable(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Work(20000)
	}
}
GO
printf '.perfgo/\n' >repo/.gitignore
git_init repo
cd "$TRASH/repo" || fail "cd"
sed -i -e 's/Work(20000)/Work(ROUNDS)/' -e '1,/^func BenchmarkEncode/s/^func BenchmarkEncode/\/\/ BenchmarkEncode encodes.\n\/\/ (Three lines of comment\n\/\/ move it down.)\nfunc BenchmarkEncode/' codec/codec_test.go
# Only BenchmarkEncode's loop is slower; BenchmarkStable keeps 20000.
py '
import sys
p = sys.argv[1]; s = open(p).read()
head, tail = s.split("func BenchmarkStable")
open(p, "w").write(head.replace("Work(ROUNDS)", "Work(60000)") + "func BenchmarkStable" + tail.replace("Work(ROUNDS)", "Work(20000)"))' codec/codec_test.go
git commit -q -am "codec: Encode 3x slower" || fail "commit"
HEAD_SHA=$(git rev-parse HEAD)
LINE=$(grep -n '^func BenchmarkEncode(' codec/codec_test.go | cut -d: -f1)
assert_eq 8 "$LINE" "BenchmarkEncode's line at head"

printf '{"pull_request": {"number": 7, "head": {"sha": "%s"}}}\n' "$HEAD_SHA" >"$TRASH/event.json"
export GITHUB_ACTIONS=true GITHUB_REPOSITORY=octo/gh GITHUB_TOKEN="$TOKEN" \
	GITHUB_SHA=1111111111111111111111111111111111111111 GITHUB_EVENT_PATH="$TRASH/event.json" \
	GITHUB_SERVER_URL=https://github.example GITHUB_RUN_ID=4242 \
	GITHUB_STEP_SUMMARY="$TRASH/summary.md" GITHUB_OUTPUT="$TRASH/outputs.txt"
# 10 repetitions a side: at compare's α of 0.01 six could not establish the
# tripling after Holm (p=0.019 at 6+6).
BENCH="-e task-clock -- ./... -bench=. -benchtime=2000x -count 10"

say "a regression: check run created before measuring, annotated, completed as failure"
start_stub --inject POST:/check-runs:502::1 --inject PATCH:/check-runs/:429:1:1
GITHUB_API_URL=$API && export GITHUB_API_URL
# The stand-in can fail: requests GitHub's schemas reject get 422 and are logged as errors.
py '
import json, sys, urllib.request, urllib.error
def post(path, body):
    req = urllib.request.Request(sys.argv[1] + path, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": "Bearer " + sys.argv[2], "Accept": "application/vnd.github+json",
                 "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json"})
    try:
        return urllib.request.urlopen(req).status
    except urllib.error.HTTPError as e:
        return e.code
ann = [{"path": "a_test.go", "start_line": 1, "end_line": 1, "annotation_level": "failure", "message": "m"}] * 51
assert post("/repos/octo/gh/check-runs", {"name": "perfgo"}) == 422            # no head_sha
assert post("/repos/octo/gh/check-runs", {"name": "p", "head_sha": "0" * 40,
            "output": {"title": "t", "summary": "s", "annotations": ann}}) == 422   # 51 > maxItems
assert post("/repos/octo/gh/check-runs", {"name": "p", "head_sha": "0" * 40, "conclusion": "passed"}) == 422
assert post("/repos/octo/gh/issues/x/comments", {"body": "b"}) == 422          # issue_number: integer
' "$API" "$TOKEN" || fail "the stub accepts requests GitHub rejects"
[ "$(grep -c '"errors": \[\]' "$LOG")" -eq 0 ] || fail "the stub logged a rejected request without errors"
assert_eq 4 "$(line_count "$LOG")" "requests logged by the self-check"
: >"$LOG"
expect_code 1 perfgo compare --github-comment HEAD~1 HEAD $BENCH
cp "$OUT" "$TRASH/run1.out"
cp "$ERR" "$TRASH/run1.err"
check_log
grep -q "^BenchmarkEncode/small$S .*regression" "$OUT" || { show "$OUT"; fail "no regression measured"; }
assert_contains "$ERR" "POST /repos/octo/gh/check-runs: HTTP 502; trying again in 1s"
assert_contains "$ERR" "HTTP 429 (rate limited); trying again in 1s"
BASE_NS=$(sql "SELECT min(started_ns) FROM runs WHERE command = 'compare base'")
py '
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
calls = ["%s %s %d" % (r["method"], r["op"], r["status"]) for r in log]
want = ["POST checks/create 502", "POST checks/create 201",
        "PATCH checks/update 429", "PATCH checks/update 200",
        "GET issues/list-comments 200", "GET issues/list-comments 200",
        "POST issues/create-comment 201"]
assert calls == want, calls
create = log[1]["body"]
assert create["name"] == "perfgo" and create["status"] == "in_progress", create
assert create["head_sha"] == sys.argv[2], (create["head_sha"], sys.argv[2])
assert create["details_url"] == "https://github.example/octo/gh/actions/runs/4242", create
# Created before the base side was measured.
assert log[1]["time"] * 1e9 < int(sys.argv[3]), (log[1]["time"], sys.argv[3])
assert [r["query"] for r in log[4:6]] == ["per_page=100&page=1", "per_page=100&page=2"]
st = json.load(open(sys.argv[4]))
(cr,) = st["check_runs"].values()
assert cr["status"] == "completed" and cr["conclusion"] == "failure", cr
assert cr["head_sha"] == sys.argv[2]
assert cr["output"]["title"].startswith("2 regressions in "), cr["output"]["title"]
assert "BenchmarkEncode/small" in cr["output"]["summary"]
assert "BenchmarkStable" in cr["output"]["text"]
ann = sorted((a["path"], a["start_line"], a["end_line"], a["annotation_level"], a["title"])
             for a in cr["annotations"])
s = sys.argv[5]
assert ann == [("codec/codec_test.go", 8, 8, "failure", "Regression: BenchmarkEncode/large%s ns/op" % s),
               ("codec/codec_test.go", 8, 8, "failure", "Regression: BenchmarkEncode/small%s ns/op" % s)], ann
(c,) = [c for c in st["comments"]["7"] if "perfgo:compare-comment" in c["body"]]
assert "BenchmarkEncode/small" in c["body"] and len(st["comments"]["7"]) == 121
' "$LOG" "$HEAD_SHA" "$BASE_NS" "$STATE" "$S" || fail "the requests (above)"

say "the job summary and the step outputs"
assert_contains "$TRASH/summary.md" "BenchmarkEncode/small$S"
CMP_ID=$(sql "SELECT id FROM runs WHERE command = 'compare'")
cmp -s "$TRASH/summary.md" ".perfgo/runs/$CMP_ID/report.md" ||
	{ show "$TRASH/summary.md"; fail "the job summary is not the Markdown report"; }
assert_contains "$TRASH/outputs.txt" "regressions=2"
assert_contains "$TRASH/outputs.txt" "improvements=0"
assert_contains "$TRASH/outputs.txt" "regressed-benchmarks=2"
assert_contains "$TRASH/outputs.txt" "verdict=fail"
for k in report-markdown report-json report-junit report-text; do
	p=$(sed -n "s/^$k=//p" "$TRASH/outputs.txt")
	case $p in "$TRASH/repo/.perfgo/runs/$CMP_ID/"*) ;; *) fail "output $k: '$p' is not in the comparison's run directory" ;; esac
	[ -s "$p" ] || { show "$TRASH/outputs.txt"; fail "output $k: no report at '$p'"; }
done

say "again (stored samples): the comment is updated in place, the merge-commit head is warned about"
printf '{"pull_request": {"number": 7, "head": {"sha": "%s"}}}\n' 2222222222222222222222222222222222222222 >"$TRASH/event.json"
: >"$LOG"
expect_code 1 perfgo compare --reuse --github-comment HEAD~1 HEAD $BENCH
check_log
assert_contains "$ERR" "the measured head ${HEAD_SHA%????????????????????????????} is not the commit under review 222222222222"
py '
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
calls = ["%s %s %d" % (r["method"], r["op"], r["status"]) for r in log]
assert calls == ["POST checks/create 201", "PATCH checks/update 200",
                 "GET issues/list-comments 200", "GET issues/list-comments 200",
                 "PATCH issues/update-comment 200"], calls
st = json.load(open(sys.argv[2]))
ours = [c for c in st["comments"]["7"] if "perfgo:compare-comment" in c["body"]]
assert len(ours) == 1 and ours[0]["updated"] == 1 and len(st["comments"]["7"]) == 121, ours
' "$LOG" "$STATE" || fail "the comment was not updated in place (above)"

say "the token is nowhere"
for f in "$TRASH/run1.out" "$TRASH/run1.err" "$OUT" "$ERR" "$TRASH/summary.md" "$TRASH/outputs.txt"; do
	assert_not_contains "$f" "$TOKEN"
done
if grep -r -a -q -F -e "$TOKEN" .perfgo; then
	fail "the token is in .perfgo: $(grep -r -a -l -F -e "$TOKEN" .perfgo)"
fi

say "--no-github: nothing sent, nothing written"
: >"$LOG"
rm -f "$TRASH/summary.md" "$TRASH/outputs.txt"
expect_code 1 perfgo compare --no-github --reuse HEAD~1 HEAD $BENCH
assert_empty "$LOG"
[ ! -e "$TRASH/summary.md" ] && [ ! -e "$TRASH/outputs.txt" ] || fail "--no-github wrote the job summary"

say "on files: 120 annotations in batches of 50, a summary truncated at 65,535 characters"
mkdir -p many
py '
import random, sys
random.seed(8000)
long = "x" * 300
with open("many/many_test.go", "w") as src:
    src.write("package many\n\nimport \"testing\"\n")
    for i in range(120):
        src.write("\nfunc BenchmarkM%03d(b *testing.B) {\n\tb.Run(\"%s\", func(b *testing.B) {})\n}\n" % (i, long))
for name, new in (("old.txt", False), ("new.txt", True)):
    with open(name, "w") as f:
        f.write("goos: linux\ngoarch: amd64\npkg: example.com/gh/many\n")
        for r in range(10):
            for i in range(120):
                k = (1.5 if i % 2 else 0.6) if new else 1.0
                f.write("BenchmarkM%03d/%s-2 1000 %.3f ns/op\n" % (i, long, 100 * k + random.random()))
'
M12=$(grep -n '^func BenchmarkM012(' many/many_test.go | cut -d: -f1)
: >"$LOG"
expect_code 1 perfgo compare old.txt new.txt
check_log
py '
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
calls = ["%s %s %d" % (r["method"], r["op"], r["status"]) for r in log]
assert calls == ["POST checks/create 201"] + ["PATCH checks/update 200"] * 3, calls
n = [len(r["body"]["output"]["annotations"]) for r in log[1:]]
assert n == [50, 50, 20], n
assert [r["body"].get("conclusion") for r in log[1:]] == [None, None, "failure"]
st = json.load(open(sys.argv[2]))
cr = max(st["check_runs"].values(), key=lambda c: c["id"])
a = {x["title"].split()[1]: x for x in cr["annotations"]}
assert len(a) == 120
m12 = a[[k for k in a if k.startswith("BenchmarkM012/")][0]]
assert (m12["path"], m12["start_line"], m12["annotation_level"]) == ("many/many_test.go", int(sys.argv[3]), "notice"), m12
assert sum(x["annotation_level"] == "failure" for x in cr["annotations"]) == 60
s = cr["output"]["summary"]
assert 65000 < len(s) <= 65535 and "**Truncated** to GitHub" in s and "https://github.example/octo/gh/actions/runs/4242" in s, len(s)
assert cr["output"]["title"] == "60 regressions, 60 improvements in 120 comparisons", cr["output"]["title"]
' "$LOG" "$STATE" "$M12" || fail "batches or truncation (above)"

say "a read-only token (403): one warning, workflow commands, the exit code still gates"
start_stub --inject POST:/check-runs:403::0
GITHUB_API_URL=$API && export GITHUB_API_URL
head -n 3 old.txt >old4.txt && head -n 3 new.txt >new4.txt
sed -n '4,$p' old.txt | grep '^BenchmarkM00[01]/' >>old4.txt
sed -n '4,$p' new.txt | grep '^BenchmarkM00[01]/' >>new4.txt
expect_code 1 perfgo compare --github-comment old4.txt new4.txt
check_log
assert_eq 1 "$(grep -c 'may not create check runs' "$ERR")" "warnings about the read-only token"
assert_eq 1 "$(grep -c 'warning' "$ERR")" "warnings"
assert_eq 1 "$(grep -c '^::notice file=many/many_test.go,line=' "$ERR")" "::notice commands"
assert_eq 1 "$(grep -c '^::error file=many/many_test.go,line=' "$ERR")" "::error commands"
assert_not_contains "$OUT" "::error"
assert_eq 1 "$(line_count "$LOG")" "requests (the refused create only)"
for f in "$OUT" "$ERR"; do
	assert_not_contains "$f" "$TOKEN"
done

say "no token: one warning, nothing sent; --github-token-env names another variable"
start_stub
GITHUB_API_URL=$API && export GITHUB_API_URL
unset GITHUB_TOKEN
expect_code 1 perfgo compare old4.txt new4.txt
assert_eq 1 "$(grep -c 'no GitHub token in \$GITHUB_TOKEN' "$ERR")" "warnings about the missing token"
assert_eq 1 "$(grep -c '^::error file=many/many_test.go,line=' "$ERR")" "::error commands"
assert_empty "$LOG"
PERFGO_GH_TOKEN=$TOKEN expect_code 1 perfgo compare --github-token-env PERFGO_GH_TOKEN old4.txt new4.txt
check_log
assert_eq 2 "$(line_count "$LOG")" "requests with the named variable's token (create, complete)"
assert_not_contains "$ERR" "::error"

say "the token never goes to a plain http:// API off this machine"
GITHUB_TOKEN=$TOKEN GITHUB_API_URL=http://api.github.example expect_code 2 perfgo compare old4.txt new4.txt
assert_contains "$ERR" "perfgo: error: GITHUB_API_URL 'http://api.github.example' is not https://"
assert_not_contains "$ERR" "$TOKEN"
# A host hidden behind a user part ("localhost:1@host") is not this machine.
GITHUB_TOKEN=$TOKEN GITHUB_API_URL=http://localhost:1@api.github.example expect_code 2 perfgo compare old4.txt new4.txt
assert_contains "$ERR" "no user part"

say "a batch refused: the check run is still completed, not left in progress"
start_stub --inject PATCH:/check-runs/:403::1
GITHUB_API_URL=$API && export GITHUB_API_URL
GITHUB_TOKEN=$TOKEN expect_code 1 perfgo compare old.txt new.txt
check_log
py '
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
calls = ["%s %s %d" % (r["method"], r["op"], r["status"]) for r in log]
assert calls == ["POST checks/create 201", "PATCH checks/update 403", "PATCH checks/update 200"], calls
assert log[2]["body"]["conclusion"] == "failure" and "annotations" not in log[2]["body"]["output"]
' "$LOG" || fail "the check run was left in progress (above)"
assert_contains "$ERR" "HTTP 403: Resource not accessible by integration"
