#!/usr/bin/env python3
"""Webchat round trip through SSE: POST /webchat/{tenant}/messages → process-message → reply on the event stream.

Each visitor (a thread) holds one Server-Sent Events stream open and sends its messages one after the other;
a round trip is the time from sending the POST to reading the assistant's reply on the stream. Prints the
count and p50/p90/p99/max in milliseconds, then where the time went (from the stream entry ids, which carry
Redis's clock at each publish, 1 ms resolution): intake, queue + job, fan-out to the stream. Only talks to the loopback relay given by --serve.
"""
import argparse
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse


class KeptAlive:
    """One HTTP/1.1 connection reused for a visitor's requests (as a browser does), redialled once if it broke."""

    def __init__(self, base):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise


class Visitor(threading.Thread):
    def __init__(self, base, tenant, messages, results, errors, stages, pace_ms=0):
        super().__init__(daemon=True)
        self.base, self.tenant, self.messages, self.pace = base, tenant, messages, pace_ms / 1000
        self.results, self.errors, self.stages = results, errors, stages
        self.replies = {}
        self.published = {}
        self.cond = threading.Condition()

    def read_events(self, token):
        url = urllib.parse.urlsplit(self.base)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        conn.request("GET", f"/webchat/{self.tenant}/events",
                     headers={"X-Webchat-Token": token, "Accept": "text/event-stream"})
        response = conn.getresponse()
        if response.status != 200:
            self.errors.append(f"events {response.status}")
            return
        self.ready.set()
        data = ""
        while True:
            line = response.readline()
            if not line:
                return
            line = line.decode().rstrip("\n")
            if line.startswith("data: "):
                data = line[6:]
            elif line == "" and data:
                event = json.loads(data)
                data = ""
                # The stream entry id starts with Redis's clock in ms at the publish (same machine clock).
                published_ms = int(event.get("id", "0-0").split("-")[0])
                with self.cond:
                    if event.get("role") == "assistant":
                        self.replies[event["text"]] = (time.perf_counter(), time.time() * 1000, published_ms)
                        self.cond.notify_all()
                    elif event.get("role") == "visitor":
                        self.published[event["text"]] = published_ms

    def run(self):
        http = KeptAlive(self.base)
        status, body = http.request("POST", f"/webchat/{self.tenant}/visitors", b"{}",
                                    {"Content-Type": "application/json"})
        if status != 201:
            self.errors.append(f"visitor {status}")
            return
        token = json.loads(body)["token"]
        self.ready = threading.Event()
        threading.Thread(target=self.read_events, args=(token,), daemon=True).start()
        if not self.ready.wait(10):
            self.errors.append("events stream did not open")
            return
        # Paced visitors start at staggered times, as independent people would.
        if self.pace:
            time.sleep(random.random() * self.pace)
        for i in range(self.messages):
            text = f"{self.name} message {i}"
            expected = f'Sandbox AI: you said "{text}"'
            started = time.perf_counter()
            started_ms = time.time() * 1000
            status, _ = http.request("POST", f"/webchat/{self.tenant}/messages",
                                     json.dumps({"text": text}).encode(),
                                     {"Content-Type": "application/json", "X-Webchat-Token": token})
            if status != 202:
                self.errors.append(f"post {status}")
                continue
            with self.cond:
                if not self.cond.wait_for(lambda: expected in self.replies, timeout=10):
                    self.errors.append("reply timed out")
                    continue
                received, received_ms, reply_ms = self.replies[expected]
                self.results.append((received - started) * 1000)
                visitor_ms = self.published.get(text)
                if visitor_ms is not None:
                    self.stages.append((visitor_ms - started_ms, reply_ms - visitor_ms, received_ms - reply_ms))
            if self.pace:
                time.sleep(max(0.0, started + self.pace - time.perf_counter()))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", required=True)
    parser.add_argument("--tenant", required=True)
    parser.add_argument("--visitors", type=int, default=10)
    parser.add_argument("--messages", type=int, default=15, help="per visitor (the limit is 20 per minute)")
    parser.add_argument("--pace-ms", type=int, default=0,
                        help="each visitor sends at most one message per this many ms (0: the next one as soon as "
                             "the reply arrived, which keeps the stack saturated)")
    args = parser.parse_args()
    if urllib.parse.urlsplit(args.serve).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("--serve must be a loopback address")
    results, errors, stages = [], [], []
    visitors = [Visitor(args.serve, args.tenant, args.messages, results, errors, stages, args.pace_ms)
                for _ in range(args.visitors)]
    started = time.perf_counter()
    for v in visitors:
        v.start()
    for v in visitors:
        v.join(120)
    wall = time.perf_counter() - started
    if not results:
        sys.exit(f"no round trip completed: {errors[:5]}")
    mode = f"one message per {args.pace_ms} ms each" if args.pace_ms else "back to back"
    print(f"  webchat round trip (POST → process-message → SSE reply), {args.visitors} visitors x "
          f"{args.messages} messages {mode}, instant sandbox LLM: n={len(results)} errors={len(errors)} "
          f"p50={percentile(results, 50):.1f} ms p90={percentile(results, 90):.1f} ms "
          f"p99={percentile(results, 99):.1f} ms max={max(results):.1f} ms ({len(results) / wall:.0f} msg/s)")
    if stages:
        names = ["POST → visitor event stored (serve)", "visitor event → reply published (queue, worker, job)",
                 "reply published → read by the client (hub, SSE)"]
        for index, name in enumerate(names):
            values = [stage[index] for stage in stages]
            print(f"    {name}: p50={percentile(values, 50):.0f} ms p99={percentile(values, 99):.0f} ms "
                  f"max={max(values):.0f} ms")
    if errors:
        print(f"  first errors: {errors[:5]}")


if __name__ == "__main__":
    main()
