#!/usr/bin/env python3
"""A stand-in for GitHub's REST API on loopback, for perfgo's tests.

GitHub itself cannot be reached from the test machines (and a test must not
create check runs on a real repository), so this server plays the few
operations perfgo calls, and is strict where GitHub is:

  - every request is matched to an operation of GitHub's own OpenAPI
    description (tests/github/openapi-subset.json, extracted from the npm
    package @octokit/openapi by extract-openapi.py); its path and query
    parameters and its JSON body are validated against that description's
    schemas with jsonschema (python3-jsonschema) -- an invalid request gets
    GitHub's 422 and is recorded as an error;
  - the headers GitHub requires: Authorization with the expected token,
    Accept application/vnd.github+json, a User-Agent, Content-Type on bodies;
  - it keeps state (check runs with their appended annotations, issue
    comments) and answers as GitHub does (201/200 with ids).

Faults are injected with --inject METHOD:PATH-SUBSTRING:STATUS:RETRY-AFTER:TIMES
(TIMES 0: always): 5xx, 403/429 secondary rate limits (with Retry-After and
GitHub's message), and 403 "Resource not accessible by integration" (a
read-only token).  Every request is appended to --log as one JSON line:
method, path, query, operation, status, body, errors, time.  The state is
written to --state after every request.
"""
import argparse
import json
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import jsonschema

DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time")
def _date_time(v):
    return not isinstance(v, str) or bool(DATE_TIME.match(v))


def template_regex(path):
    return re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path)) + "$")


class Stub:
    def __init__(self, args):
        subset = json.load(open(args.subset))
        self.source = subset["source"]
        self.ops = [(o, template_regex(o["path"])) for o in subset["operations"]]
        self.token = args.token
        self.log = args.log
        self.state_path = args.state
        self.injects = []
        for spec in args.inject or []:
            m, sub, status, ra, times = spec.split(":")
            self.injects.append({"method": m, "sub": sub, "status": int(status),
                                 "retry_after": ra, "left": int(times) or -1})
        self.check_runs = {}
        self.comments = {}
        self.next_id = 1000
        for i in range(args.comments):
            self.comments.setdefault(str(args.pr), []).append(
                {"id": self.new_id(), "body": "an unrelated comment %d" % i})

    def new_id(self):
        self.next_id += 1
        return self.next_id

    def save(self):
        with open(self.state_path, "w") as f:
            json.dump({"check_runs": self.check_runs, "comments": self.comments,
                       "openapi": self.source}, f, indent=1)


def validate_param(p, value, errors):
    schema = p.get("schema", {})
    if schema.get("type") == "integer":
        if not re.match(r"^-?\d+$", value):
            errors.append("%s parameter %s=%r is not an integer" % (p["in"], p["name"], value))
            return
        value = int(value)
    try:
        jsonschema.validate(value, schema, format_checker=FORMATS)
    except jsonschema.ValidationError as e:
        errors.append("%s parameter %s: %s" % (p["in"], p["name"], e.message))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    stub = None

    def log_message(self, fmt, *a):
        pass

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_PATCH(self):
        self.handle_any()

    def reply(self, status, obj, headers=None):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        st = self.stub
        url = urlsplit(self.path)
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        errors, body, op, params = [], None, None, {}
        for o, rx in st.ops:
            m = rx.match(url.path)
            if m and o["method"] == self.command:
                op, params = o, m.groupdict()
                break
        if self.headers.get("Authorization") != "Bearer " + st.token:
            errors.append("Authorization is not 'Bearer <the token>'")
        if "application/vnd.github+json" not in (self.headers.get("Accept") or ""):
            errors.append("Accept is not application/vnd.github+json")
        if not self.headers.get("User-Agent"):
            errors.append("no User-Agent (GitHub rejects such requests)")
        if not self.headers.get("X-GitHub-Api-Version"):
            errors.append("no X-GitHub-Api-Version")
        if st.token.encode() in raw or st.token in self.path:
            errors.append("the token is in the request's body or URL")
        if op is None:
            errors.append("no operation %s %s in the OpenAPI subset" % (self.command, url.path))
        else:
            query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            known = {p["name"]: p for p in op["parameters"]}
            for name, value in list(params.items()) + list(query.items()):
                if name not in known:
                    errors.append("unknown parameter %r" % name)
                else:
                    validate_param(known[name], value, errors)
            for p in op["parameters"]:
                if p.get("required") and p["name"] not in params and p["name"] not in query:
                    errors.append("missing parameter %r" % p["name"])
            if op["requestBody"] is not None:
                if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                    errors.append("a body without Content-Type: application/json")
                try:
                    body = json.loads(raw)
                except ValueError as e:
                    errors.append("the body is not JSON: %s" % e)
                else:
                    v = jsonschema.Draft7Validator(op["requestBody"], format_checker=FORMATS)
                    for e in v.iter_errors(body):
                        errors.append("body %s: %s" % ("/".join(map(str, e.path)), e.message[:300]))
            elif raw:
                errors.append("a body on an operation that takes none")
        status, obj, headers = self.respond(op, params, body, url, errors)
        rec = {"method": self.command, "path": url.path, "query": url.query,
               "op": op and op["operationId"], "status": status, "body": body,
               "errors": errors, "time": time.time()}
        with open(st.log, "a") as f:
            f.write(json.dumps(rec) + "\n")
        st.save()
        self.reply(status, obj, headers)

    def respond(self, op, params, body, url, errors):
        st = self.stub
        if errors:
            return 422, {"message": "Validation Failed", "errors": errors}, None
        for inj in st.injects:
            if inj["left"] != 0 and inj["method"] == self.command and inj["sub"] in url.path:
                inj["left"] -= 1
                headers = {"Retry-After": inj["retry_after"]} if inj["retry_after"] else None
                if inj["status"] in (403, 429) and inj["retry_after"]:
                    msg = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
                elif inj["status"] == 403:
                    msg = "Resource not accessible by integration"
                else:
                    msg = "Server Error"
                return inj["status"], {"message": msg}, headers
        oid = op["operationId"]
        if oid == "checks/create":
            cid = st.new_id()
            st.check_runs[str(cid)] = {"id": cid, "name": body["name"], "head_sha": body["head_sha"],
                                       "status": body.get("status", "queued"),
                                       "conclusion": body.get("conclusion"),
                                       "output": body.get("output"), "annotations": [],
                                       "updates": []}
            return 201, {"id": cid, "head_sha": body["head_sha"], "status": body.get("status")}, None
        if oid == "checks/update":
            cr = st.check_runs.get(params["check_run_id"])
            if cr is None:
                return 404, {"message": "Not Found"}, None
            if cr["status"] == "completed":
                errors.append("update of a completed check run")
            out = body.get("output") or {}
            cr["annotations"] += out.get("annotations", [])
            cr["updates"].append({"status": body.get("status"), "conclusion": body.get("conclusion"),
                                  "annotations": len(out.get("annotations", []))})
            if "status" in body:
                cr["status"] = body["status"]
            if "conclusion" in body:
                cr["conclusion"], cr["status"] = body["conclusion"], "completed"
            if out:
                cr["output"] = {k: v for k, v in out.items() if k != "annotations"}
            return 200, {"id": cr["id"], "status": cr["status"]}, None
        if oid == "issues/list-comments":
            lst = st.comments.get(params["issue_number"], [])
            q = parse_qs(url.query)
            per = int(q.get("per_page", ["30"])[0])
            page = int(q.get("page", ["1"])[0])
            return 200, lst[(page - 1) * per:page * per], None
        if oid == "issues/create-comment":
            c = {"id": st.new_id(), "body": body["body"]}
            st.comments.setdefault(params["issue_number"], []).append(c)
            return 201, c, None
        if oid == "issues/update-comment":
            for lst in st.comments.values():
                for c in lst:
                    if str(c["id"]) == params["comment_id"]:
                        c["body"] = body["body"]
                        c["updated"] = c.get("updated", 0) + 1
                        return 200, c, None
            return 404, {"message": "Not Found"}, None
        return 404, {"message": "Not Found"}, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--subset", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--state", required=True)
    ap.add_argument("--inject", action="append")
    ap.add_argument("--comments", type=int, default=0)
    ap.add_argument("--pr", type=int, default=7)
    args = ap.parse_args()
    Handler.stub = Stub(args)
    srv = HTTPServer(("127.0.0.1", 0), Handler)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(args.port_file + ".tmp", args.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
