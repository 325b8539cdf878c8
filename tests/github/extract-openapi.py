#!/usr/bin/env python3
"""Extract the GitHub REST operations perfgo calls from GitHub's OpenAPI
description into tests/github/openapi-subset.json, which the API stand-in
(tests/github/stub.py) validates every request against.

The description is the npm package @octokit/openapi (GitHub's own
api.github.com description, dereferenced).  Fetch and run:

    npm pack @octokit/openapi@<version>      # any machine with npm
    tests/github/extract-openapi.py octokit-openapi-<version>.tgz

The subset records the package's name, version and the tarball's SHA-256,
so a reader can check it against the registry.  Descriptions are dropped
(they are most of the bytes); every constraint (types, enums, required,
maxLength, maxItems, oneOf/anyOf) is kept as published.
"""
import hashlib
import json
import sys
import tarfile

OPERATIONS = [
    ("post", "/repos/{owner}/{repo}/check-runs"),
    ("patch", "/repos/{owner}/{repo}/check-runs/{check_run_id}"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("patch", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
]
DESCRIPTION = "package/generated/api.github.com.deref.json"
DROP = {"description", "examples", "example", "x-github", "externalDocs"}


def strip(v, names=False):
    """Drop annotations; the keys of a "properties" map are names, kept."""
    if isinstance(v, dict):
        return {k: strip(x, k == "properties" and not names) for k, x in v.items()
                if names or k not in DROP}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: extract-openapi.py <octokit-openapi-X.Y.Z.tgz> <out.json>")
    tgz, out = sys.argv[1], sys.argv[2]
    with open(tgz, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    with tarfile.open(tgz) as t:
        pkg = json.load(t.extractfile("package/package.json"))
        desc = json.load(t.extractfile(DESCRIPTION))
    ops = []
    for method, path in OPERATIONS:
        o = desc["paths"][path][method]
        ok = min(s for s in o["responses"] if s.startswith("2"))
        body = o.get("requestBody", {}).get("content", {}).get("application/json", {})
        resp = o["responses"][ok].get("content", {}).get("application/json", {})
        ops.append({
            "operationId": o["operationId"],
            "method": method.upper(),
            "path": path,
            "parameters": strip([p for p in o.get("parameters", [])]),
            "requestBody": strip(body.get("schema")),
            "requestBodyRequired": o.get("requestBody", {}).get("required", False),
            "successStatus": int(ok),
            "responseSchema": strip(resp.get("schema")),
        })
    subset = {
        "source": {
            "package": pkg["name"],
            "version": pkg["version"],
            "file": DESCRIPTION,
            "tarball_sha256": digest,
            "openapi": desc.get("openapi"),
            "api_version": desc.get("info", {}).get("version"),
        },
        "operations": ops,
    }
    with open(out, "w") as f:
        json.dump(subset, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
