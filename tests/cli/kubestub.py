#!/usr/bin/env python3
"""A Kubernetes API server stand-in on loopback, for the real kubectl.

No cluster can run on these machines, so `perfgo attach` is tested by driving
the real kubectl against this server.  It serves what kubectl needs for
`get`, `create -f -`, `delete` and `exec`: discovery (/api, /apis,
/api/v1), pods (get, list by label, create, delete) with status transitions,
nodes, and exec over WebSocket (`v5.channel.k8s.io`/`v4.channel.k8s.io`, what
kubectl >= 1.30 speaks; the SPDY fallback is refused, so a kubectl that
cannot speak WebSocket fails loudly).  Exec runs the command on this host, so
a real process started by the test is measured by the real perf: the perf pod
is hostPID, and this host's /proc is what it would see.

A created pod is checked against the parts of the Pod schema perfgo uses
(types, required fields, unknown keys rejected as strict field validation
would) and against the rules perfgo promises (privileged hostPID perf
container, no service-account token, a deadline, a DNS-1123 name); any
violation is a 422 and is logged.  The Kubernetes OpenAPI document is not
available offline, so these are this file's own checks.

Failure modes, chosen by the test through the --config JSON:
  "pull_fail": image name  -> ErrImagePull, then ImagePullBackOff
  "unschedulable": node    -> PodScheduled=False, reason Unschedulable
  "restricted": namespace  -> 403 from PodSecurity admission on create

usage: kubestub.py --config FILE --log FILE --port-file FILE
The config holds "nodes" (name -> Node object) and "pods" (list of Pod
objects, the targets).  The log gets one JSON line per request of interest.
"""
import argparse, base64, hashlib, json, os, re, socket, struct, subprocess, sys
import threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATE = {"pods": {}, "nodes": {}, "cfg": {}}
LOG = None

def log(**kw):
    with LOCK:
        LOG.write(json.dumps(kw) + "\n")
        LOG.flush()

def status(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}

API_RESOURCES = {
    "kind": "APIResourceList", "groupVersion": "v1",
    "resources": [
        {"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod",
         "verbs": ["create", "delete", "get", "list"], "shortNames": ["po"]},
        {"name": "pods/exec", "singularName": "", "namespaced": True, "kind": "PodExecOptions",
         "verbs": ["create", "get"]},
        {"name": "nodes", "singularName": "node", "namespaced": False, "kind": "Node",
         "verbs": ["get", "list"], "shortNames": ["no"]},
        {"name": "namespaces", "singularName": "namespace", "namespaced": False,
         "kind": "Namespace", "verbs": ["get", "list"], "shortNames": ["ns"]},
    ],
}

DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")

# Keys perfgo may use at each level of a Pod; anything else is an error, as
# strict field validation would say.
POD_KEYS = {"apiVersion", "kind", "metadata", "spec"}
META_KEYS = {"name", "namespace", "labels", "annotations"}
SPEC_KEYS = {"nodeName", "hostPID", "restartPolicy", "activeDeadlineSeconds",
             "automountServiceAccountToken", "tolerations", "containers",
             "terminationGracePeriodSeconds", "enableServiceLinks", "priorityClassName"}
CTR_KEYS = {"name", "image", "command", "args", "securityContext", "resources",
            "imagePullPolicy", "stdin", "tty", "volumeMounts"}
TOL_KEYS = {"key", "operator", "value", "effect", "tolerationSeconds"}

def check_pod(p, ns):
    errs = []
    def keys(obj, allowed, where):
        if not isinstance(obj, dict):
            errs.append("%s: not an object" % where)
            return False
        for k in obj:
            if k not in allowed:
                errs.append('%s: unknown field "%s"' % (where, k))
        return True
    if not keys(p, POD_KEYS, "Pod"):
        return errs
    if p.get("apiVersion") != "v1" or p.get("kind") != "Pod":
        errs.append("apiVersion/kind must be v1/Pod")
    m, s = p.get("metadata", {}), p.get("spec", {})
    keys(m, META_KEYS, "metadata")
    name = m.get("name", "")
    if not isinstance(name, str) or len(name) > 63 or not DNS1123.match(name):
        errs.append("metadata.name %r is not a DNS-1123 label" % (name,))
    for k, v in (m.get("labels") or {}).items():
        if not isinstance(v, str) or len(v) > 63:
            errs.append("label %s: bad value %r" % (k, v))
    if m.get("namespace") not in (None, ns):
        errs.append("metadata.namespace does not match the URL")
    if keys(s, SPEC_KEYS, "spec"):
        if s.get("hostPID") is not True:
            errs.append("spec.hostPID must be true")
        if s.get("automountServiceAccountToken") is not False:
            errs.append("spec.automountServiceAccountToken must be false")
        ads = s.get("activeDeadlineSeconds")
        if not isinstance(ads, int) or isinstance(ads, bool) or ads < 1:
            errs.append("spec.activeDeadlineSeconds must be a positive integer")
        if s.get("restartPolicy") != "Never":
            errs.append("spec.restartPolicy must be Never")
        if not isinstance(s.get("nodeName"), str) or not s.get("nodeName"):
            errs.append("spec.nodeName missing")
        for i, t in enumerate(s.get("tolerations") or []):
            keys(t, TOL_KEYS, "spec.tolerations[%d]" % i)
        ctrs = s.get("containers")
        if not isinstance(ctrs, list) or len(ctrs) != 1:
            errs.append("spec.containers must hold one container")
        else:
            c = ctrs[0]
            keys(c, CTR_KEYS, "spec.containers[0]")
            if not isinstance(c.get("image"), str) or not c.get("image"):
                errs.append("container image missing")
            if not (c.get("securityContext") or {}).get("privileged") is True:
                errs.append("container must be privileged")
            for f in ("command", "args"):
                if f in c and not (isinstance(c[f], list) and all(isinstance(w, str) for w in c[f])):
                    errs.append("container %s must be a list of strings" % f)
            req = (c.get("resources") or {}).get("requests") or {}
            if "cpu" not in req or "memory" not in req:
                errs.append("container resources.requests needs cpu and memory")
    return errs

def new_pod_status(p):
    cfg = STATE["cfg"]
    s = p["spec"]
    image = s["containers"][0]["image"]
    node = s.get("nodeName")
    st = {"phase": "Pending", "conditions": [], "containerStatuses": [{
        "name": s["containers"][0]["name"], "image": image, "ready": False, "restartCount": 0,
        "state": {"waiting": {"reason": "ContainerCreating"}}}]}
    p["status"] = st
    def later():
        time.sleep(0.3)
        with LOCK:
            if (p["metadata"]["namespace"], p["metadata"]["name"]) not in STATE["pods"]:
                return
            if node in cfg.get("unschedulable", []):
                st["containerStatuses"] = []
                st["conditions"] = [{"type": "PodScheduled", "status": "False",
                                     "reason": "Unschedulable",
                                     "message": "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}."}]
            elif image in cfg.get("pull_fail", []):
                st["containerStatuses"][0]["state"] = {"waiting": {
                    "reason": "ErrImagePull",
                    "message": 'rpc error: code = NotFound desc = failed to pull and unpack image "%s": not found' % image}}
            else:
                st["phase"] = "Running"
                st["conditions"] = [{"type": "Ready", "status": "True"}]
                st["containerStatuses"][0]["ready"] = True
                st["containerStatuses"][0]["state"] = {"running": {"startedAt": "2026-12-04T00:00:00Z"}}
    threading.Thread(target=later, daemon=True).start()

# --- WebSocket (RFC 6455), server side --------------------------------------
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

def ws_send(sock, payload, opcode=2):
    n = len(payload)
    if n < 126:
        hdr = struct.pack("!BB", 0x80 | opcode, n)
    elif n < 65536:
        hdr = struct.pack("!BBH", 0x80 | opcode, 126, n)
    else:
        hdr = struct.pack("!BBQ", 0x80 | opcode, 127, n)
    sock.sendall(hdr + payload)

def recv_exact(sock, n):
    b = b""
    while len(b) < n:
        c = sock.recv(n - len(b))
        if not c:
            raise EOFError
        b += c
    return b

def ws_recv(sock):
    b0, b1 = recv_exact(sock, 2)
    opcode, masked, n = b0 & 0x0F, b1 & 0x80, b1 & 0x7F
    if n == 126:
        n = struct.unpack("!H", recv_exact(sock, 2))[0]
    elif n == 127:
        n = struct.unpack("!Q", recv_exact(sock, 8))[0]
    key = recv_exact(sock, 4) if masked else b"\0\0\0\0"
    data = bytearray(recv_exact(sock, n))
    for i in range(n):
        data[i] ^= key[i % 4]
    return opcode, bytes(data)

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            out = b""
            while True:
                n = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if n == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(n)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def route(self, method):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        parts = [urllib.parse.unquote(x) for x in u.path.strip("/").split("/")]
        return u.path, parts, q

    def do_GET(self):
        path, parts, q = self.route("GET")
        if path == "/version":
            return self.reply(200, {"major": "1", "minor": "32", "gitVersion": "v1.32.0",
                                    "platform": "linux/amd64"})
        if path == "/api":
            return self.reply(200, {"kind": "APIVersions", "versions": ["v1"],
                                    "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                                                    "serverAddress": "127.0.0.1"}]})
        if path == "/apis":
            return self.reply(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": []})
        if path == "/api/v1":
            return self.reply(200, API_RESOURCES)
        if parts[:3] == ["api", "v1", "nodes"] and len(parts) == 4:
            with LOCK:
                n = STATE["nodes"].get(parts[3])
            log(op="get-node", name=parts[3])
            return self.reply(200, n) if n else self.reply(404, status(404, "NotFound", 'nodes "%s" not found' % parts[3]))
        if parts[:3] == ["api", "v1", "pods"] and len(parts) == 3:
            return self.list_pods(None, q)
        if parts[:3] == ["api", "v1", "namespaces"] and len(parts) >= 5 and parts[4] == "pods":
            ns = parts[3]
            if len(parts) == 5:
                return self.list_pods(ns, q)
            if len(parts) == 7 and parts[6] == "exec":
                return self.exec(ns, parts[5], q)
            if len(parts) == 6:
                with LOCK:
                    p = STATE["pods"].get((ns, parts[5]))
                    p = json.loads(json.dumps(p)) if p else None
                return self.reply(200, p) if p else self.reply(404, status(404, "NotFound", 'pods "%s" not found' % parts[5]))
        return self.reply(404, status(404, "NotFound", "the server could not find the requested resource"))

    do_POST_exec = None

    def list_pods(self, ns, q):
        sel = (q.get("labelSelector") or [""])[0]
        want = dict(kv.split("=", 1) for kv in sel.split(",") if "=" in kv)
        with LOCK:
            items = [json.loads(json.dumps(p)) for (pns, _), p in sorted(STATE["pods"].items())
                     if (ns is None or pns == ns) and
                     all((p["metadata"].get("labels") or {}).get(k) == v for k, v in want.items())]
        log(op="list-pods", namespace=ns, selector=sel)
        return self.reply(200, {"kind": "PodList", "apiVersion": "v1", "metadata": {}, "items": items})

    def do_POST(self):
        path, parts, q = self.route("POST")
        if parts[:3] == ["api", "v1", "namespaces"] and len(parts) == 7 and parts[6] == "exec":
            # kubectl's SPDY fallback: refused, so the test notices.
            self.body()
            return self.reply(400, status(400, "BadRequest", "this stand-in speaks only WebSocket exec"))
        if parts[:3] == ["api", "v1", "namespaces"] and len(parts) == 5 and parts[4] == "pods":
            ns = parts[3]
            try:
                p = json.loads(self.body())
            except ValueError:
                return self.reply(400, status(400, "BadRequest", "bad JSON"))
            if ns in STATE["cfg"].get("restricted", []):
                log(op="create-refused", namespace=ns)
                name = p.get("metadata", {}).get("name", "")
                return self.reply(403, status(403, "Forbidden",
                    'pods "%s" is forbidden: violates PodSecurity "baseline:latest": host namespaces '
                    '(hostPID=true), privileged (container "perf" must not set '
                    'securityContext.privileged=true)' % name))
            errs = check_pod(p, ns)
            log(op="create-pod", namespace=ns, pod=p, errors=errs)
            if errs:
                return self.reply(422, status(422, "Invalid", "Pod is invalid: " + "; ".join(errs)))
            p["metadata"]["namespace"] = ns
            p["metadata"]["uid"] = hashlib.sha1(p["metadata"]["name"].encode()).hexdigest()
            p["metadata"]["creationTimestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            with LOCK:
                if (ns, p["metadata"]["name"]) in STATE["pods"]:
                    return self.reply(409, status(409, "AlreadyExists", 'pods "%s" already exists' % p["metadata"]["name"]))
                STATE["pods"][(ns, p["metadata"]["name"])] = p
                new_pod_status(p)
                out = json.loads(json.dumps(p))
            return self.reply(201, out)
        return self.reply(404, status(404, "NotFound", "not found"))

    def do_DELETE(self):
        path, parts, q = self.route("DELETE")
        self.body()
        if parts[:3] == ["api", "v1", "namespaces"] and len(parts) == 6 and parts[4] == "pods":
            ns, name = parts[3], parts[5]
            with LOCK:
                p = STATE["pods"].pop((ns, name), None)
            log(op="delete-pod", namespace=ns, name=name, found=p is not None)
            if not p:
                return self.reply(404, status(404, "NotFound", 'pods "%s" not found' % name))
            return self.reply(200, p)
        return self.reply(404, status(404, "NotFound", "not found"))

    def exec(self, ns, name, q):
        with LOCK:
            p = STATE["pods"].get((ns, name))
            running = p is not None and p.get("status", {}).get("phase") == "Running"
        cmd = q.get("command", [])
        container = (q.get("container") or [""])[0]
        log(op="exec", namespace=ns, name=name, container=container, command=cmd,
            stdin="true" in q.get("stdin", []), tty="true" in q.get("tty", []))
        if not running:
            return self.reply(400 if p else 404, status(400, "BadRequest",
                              'pod %s is not running' % name if p else 'pods "%s" not found' % name))
        if self.headers.get("Upgrade", "").lower() != "websocket":
            return self.reply(400, status(400, "BadRequest", "WebSocket upgrade required"))
        offered = [s.strip() for s in self.headers.get("Sec-WebSocket-Protocol", "").split(",")]
        proto = next((s for s in ("v5.channel.k8s.io", "v4.channel.k8s.io") if s in offered), None)
        if not proto:
            return self.reply(400, status(400, "BadRequest", "no supported subprotocol in %r" % offered))
        accept = base64.b64encode(hashlib.sha1((self.headers["Sec-WebSocket-Key"] + GUID).encode()).digest()).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.send_header("Sec-WebSocket-Protocol", proto)
        self.end_headers()
        self.wfile.flush()
        sock = self.connection
        want_in = "true" in q.get("stdin", [])
        wlock = threading.Lock()
        def send(ch, data):
            with wlock:
                ws_send(sock, bytes([ch]) + data)
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if want_in else subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    start_new_session=True)
        except OSError as e:
            send(3, json.dumps({"metadata": {}, "status": "Failure", "reason": "InternalError",
                                "message": "exec: %s" % e}).encode())
            with wlock:
                ws_send(sock, struct.pack("!H", 1000), opcode=8)
            self.close_connection = True
            return
        def pump(f, ch):
            while True:
                b = f.read1(65536) if hasattr(f, "read1") else f.read(65536)
                if not b:
                    return
                send(ch, b)
        def reader():
            try:
                while True:
                    op, data = ws_recv(sock)
                    if op == 8:
                        break
                    if op == 9:
                        with wlock:
                            ws_send(sock, data, opcode=10)
                        continue
                    if not data:
                        continue
                    ch, rest = data[0], data[1:]
                    if ch == 0 and proc.stdin:
                        try:
                            proc.stdin.write(rest)
                            proc.stdin.flush()
                        except BrokenPipeError:
                            pass
                    elif ch == 255 and rest[:1] == b"\0" and proc.stdin:
                        proc.stdin.close()
            except (EOFError, OSError):
                pass
            # The client went away: like a kubelet, end the command.
            if proc.poll() is None:
                log(op="exec-client-gone", namespace=ns, name=name, command=cmd)
                try:
                    os.killpg(proc.pid, 15)
                except OSError:
                    pass
        t1 = threading.Thread(target=pump, args=(proc.stdout, 1), daemon=True)
        t2 = threading.Thread(target=pump, args=(proc.stderr, 2), daemon=True)
        t3 = threading.Thread(target=reader, daemon=True)
        t1.start(); t2.start(); t3.start()
        code = proc.wait()
        t1.join(); t2.join()
        if code == 0:
            st = {"metadata": {}, "status": "Success"}
        else:
            code = code if code > 0 else 128 - code
            st = {"metadata": {}, "status": "Failure",
                  "message": "command terminated with non-zero exit code: exit status %d" % code,
                  "reason": "NonZeroExitCode",
                  "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]}}
        try:
            send(3, json.dumps(st).encode())
            with wlock:
                ws_send(sock, struct.pack("!H", 1000), opcode=8)
        except OSError:
            pass
        # The closing handshake: wait for the client's close frame before the
        # socket goes.  Closing with its frames unread makes the kernel reset
        # the connection, and the client may then lose the status frame it
        # has not read yet (kubectl: "error: closed all streams"; seen once
        # in t7200 on a loaded machine).
        t3.join(5)
        log(op="exec-done", namespace=ns, name=name, command=cmd, code=code)
        self.close_connection = True

def main():
    global LOG
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    a = ap.parse_args()
    cfg = json.load(open(a.config))
    STATE["cfg"] = cfg
    STATE["nodes"] = cfg.get("nodes", {})
    for p in cfg.get("pods", []):
        STATE["pods"][(p["metadata"]["namespace"], p["metadata"]["name"])] = p
    LOG = open(a.log, "a")
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(a.port_file + ".tmp", a.port_file)
    srv.serve_forever()

if __name__ == "__main__":
    main()
