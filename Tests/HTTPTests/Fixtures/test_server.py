#!/usr/bin/env python3
"""A tiny scriptable HTTP server for the HTTP, Meta and Assistant tests.

Binds 127.0.0.1 on a free port and prints "PORT <n>" as its first line. Routes:
  /status/<code>          replies <code> with body "status <code>"
  /echo                   replies JSON {method, path, query, headers, body}
  /slow?ms=N              waits N ms, then 200 "slow"
  /delay?ms=N             like /slow, and counts concurrent requests (see /stats)
  /stats                  JSON {"max_concurrent": n, "requests": n}
  /big?bytes=N            N bytes of "x"
  POST /__script          body {"method","path","status","headers":{...},"body": str or JSON,
                          "times": n (optional, default unlimited), "delay_ms": n}: queue a scripted reply
                          for that method+path (query ignored); scripts for one route are used in order
  GET /__requests         JSON list of every request to a scripted route: {method, path, query, headers, body}
Anything else: 404 {"error": "no route"}.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

lock = threading.Lock()
state = {"current": 0, "max": 0, "requests": 0}
scripts = {}  # (method, path) -> list of script dicts
recorded = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=None):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = url.path
        with lock:
            state["requests"] += 1
        if path == "/__script" and self.command == "POST":
            item = json.loads(body)
            key = (item.get("method", "POST").upper(), item["path"])
            with lock:
                scripts.setdefault(key, []).append(item)
            return self.reply(200, "{}", {"Content-Type": "application/json"})
        if path == "/__requests":
            with lock:
                data = json.dumps(recorded)
            return self.reply(200, data, {"Content-Type": "application/json"})
        key = (self.command, path)
        with lock:
            queue = scripts.get(key)
            script = None
            if queue:
                script = queue[0]
                if "times" in script:
                    script["times"] -= 1
                    if script["times"] <= 0:
                        queue.pop(0)
        if script is not None:
            with lock:
                recorded.append({"method": self.command, "path": path, "query": url.query,
                                 "headers": {k.lower(): v for k, v in self.headers.items()},
                                 "body": body.decode("utf-8", "replace")})
            if script.get("delay_ms"):
                time.sleep(script["delay_ms"] / 1000)
            payload = script.get("body", "")
            if not isinstance(payload, str):
                payload = json.dumps(payload)
            headers = {"Content-Type": "application/json"}
            headers.update(script.get("headers", {}))
            return self.reply(int(script.get("status", 200)), payload, headers)
        if path.startswith("/status/"):
            code = int(path.split("/")[2])
            return self.reply(code, f"status {code}", {"X-Status": str(code)})
        if path == "/echo":
            data = {"method": self.command, "path": path, "query": url.query,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body.decode("utf-8", "replace")}
            return self.reply(200, json.dumps(data), {"Content-Type": "application/json", "X-Echo": "yes"})
        if path in ("/slow", "/delay"):
            ms = int(query.get("ms", ["1000"])[0])
            with lock:
                state["current"] += 1
                state["max"] = max(state["max"], state["current"])
            try:
                time.sleep(ms / 1000)
            finally:
                with lock:
                    state["current"] -= 1
            return self.reply(200, "slow")
        if path == "/stats":
            with lock:
                data = json.dumps({"max_concurrent": state["max"], "requests": state["requests"]})
            return self.reply(200, data, {"Content-Type": "application/json"})
        if path == "/big":
            return self.reply(200, b"x" * int(query.get("bytes", ["1024"])[0]))
        return self.reply(404, '{"error": "no route"}', {"Content-Type": "application/json"})

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024

    def handle_error(self, request, client_address):
        pass  # clients that abort (cancellation tests) are expected


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    # Exit when the test process closes our stdin (so a crashed test leaves no server behind).
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
