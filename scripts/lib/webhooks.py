#!/usr/bin/env python3
"""Signed Meta webhooks for scripts/demo and scripts/bench: send one message, or a paced load whose
end-to-end latency (webhook POST -> the sandbox receiving the reply on the Graph send endpoint) is
measured from the sandbox's own record of each send."""
import argparse, hashlib, hmac, http.client, json, socket, sys, threading, time, urllib.parse, urllib.request


def body_for(account, customer, mid, text):
    now = int(time.time() * 1000)
    return json.dumps({"object": "instagram", "entry": [{"id": account, "time": now, "messaging": [
        {"sender": {"id": customer}, "recipient": {"id": account}, "timestamp": now,
         "message": {"mid": mid, "text": text}}]}]}, separators=(",", ":")).encode()


def signature(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(serve, secret, body):
    request = urllib.request.Request(serve + "/webhooks/meta", data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": signature(secret, body)})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def sent(sandbox, since=0):
    with urllib.request.urlopen(f"{sandbox}/_sandbox/sent?since={since}", timeout=10) as response:
        data = json.load(response)
    return data.get("sent", data) if isinstance(data, dict) else data


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Sender:
    """One keep-alive connection to serve (reconnects once when the server closed it)."""

    def __init__(self, serve):
        url = urllib.parse.urlsplit(serve)
        self.host, self.port = url.hostname, url.port or 80
        self.connection = None

    def post(self, body, sig):
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sig}
        for attempt in (0, 1):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
                    self.connection.connect()
                    self.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                t0 = time.time()
                self.connection.request("POST", "/webhooks/meta", body=body, headers=headers)
                response = self.connection.getresponse()
                response.read()
                return t0, response.status
            except (http.client.HTTPException, OSError):
                self.connection = None
                if attempt == 1:
                    raise


def warm_up(args, accounts):
    """Sends the same paced traffic for args.warmup seconds (customers of their own) and waits for its replies, so
    the measured run starts on warm processes: connections dialled, statements prepared, caches filled."""
    total = int(args.rate * args.warmup)
    if total <= 0:
        return
    run = str(int(time.time()))
    customers = set()
    start_seq = max([s["seq"] for s in sent(args.sandbox)] or [0])

    def worker(indices, t_start):
        sender = Sender(args.serve)
        for i in indices:
            delay = t_start + i / args.rate - time.time()
            if delay > 0:
                time.sleep(delay)
            customer = f"warm-{run}-{i}"
            body = body_for(accounts[i % len(accounts)], customer, f"warm-{run}-{i}", "Hello!")
            sender.post(body, signature(args.secret, body))

    t_start = time.time() + 0.1
    threads = [threading.Thread(target=worker, args=(range(k, total, 4), t_start)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    deadline = time.time() + args.drain
    while time.time() < deadline and len(customers) < total:
        for s in sent(args.sandbox, start_seq):
            start_seq = max(start_seq, s["seq"])
            if s["recipient"].startswith(f"warm-{run}-"):
                customers.add(s["recipient"])
        time.sleep(0.2)


def load(args):
    """Paced load: every webhook is signed before the run (so signing costs nothing on the clock), sent on a
    keep-alive connection at its due time, timestamped just before its bytes go out, and matched to the
    sandbox's record of the reply by its unique customer id. Prints p50/p99/max and the achieved rate."""
    accounts = args.accounts.split(",")
    start_seq = max([s["seq"] for s in sent(args.sandbox)] or [0])
    start_llm_seq = 0
    if args.llm_latency_ms is not None:
        with urllib.request.urlopen(f"{args.sandbox}/_sandbox/llm-calls", timeout=10) as response:
            start_llm_seq = max([c["seq"] for c in json.load(response)] or [0])
    interval = 1.0 / args.rate
    total = int(args.rate * args.seconds)
    run = str(int(time.time()))
    prepared = []
    for i in range(total):
        customer = f"load-{run}-{i}"
        # The index in the text lets the stage breakdown find this message's LLM call (the sandbox records
        # the last user text).
        body = body_for(accounts[i % len(accounts)], customer, f"mid-{run}-{i}", f"Do you ship to Riga? #{i}")
        prepared.append((customer, body, signature(args.secret, body)))
    posted = {}
    late = []
    lock = threading.Lock()

    def worker(indices):
        sender = Sender(args.serve)
        for i in indices:
            due = t_start + i * interval
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
            customer, body, sig = prepared[i]
            t0, status = sender.post(body, sig)
            with lock:
                posted[customer] = (t0, status)
                late.append(t0 - due)

    cpu_start = time.process_time()
    t_start = time.time() + 0.3
    threads = [threading.Thread(target=worker, args=(range(k, total, args.senders),)) for k in range(args.senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    deadline = time.time() + args.drain
    replies = {}
    since = start_seq
    while time.time() < deadline and len(replies) < total:
        for s in sent(args.sandbox, since):
            since = max(since, s["seq"])
            if s["recipient"] in posted and s["recipient"] not in replies:
                replies[s["recipient"]] = s["time_ms"] / 1000.0
        if len(replies) < total:
            time.sleep(0.25)
    if args.cpu_file:
        with open(args.cpu_file, "w") as f:
            f.write(f"{time.process_time() - cpu_start:.2f}\n")
    latencies = [(replies[c] - posted[c][0]) * 1000 for c in replies]
    ok = sum(1 for c in posted if posted[c][1] == 200)
    achieved = total / (max(p[0] for p in posted.values()) - t_start) if posted else 0
    if not latencies:
        print(f"e2e: {total} webhooks posted ({ok} accepted), no replies received")
        return 1
    # Conversations in flight (webhook posted, reply not yet sent): the peak over the run, by a sweep.
    events = sorted([(posted[c][0], 1) for c in replies] + [(replies[c], -1) for c in replies])
    in_flight = peak = 0
    for _, step in events:
        in_flight += step
        peak = max(peak, in_flight)
    print(f"e2e: {total} webhooks at {args.rate:.0f}/s offered ({achieved:.0f}/s achieved, {ok} accepted, "
          f"sender lag p99 {percentile(late, 99) * 1000:.1f} ms), {len(latencies)} replies; "
          f"latency webhook->reply p50 {percentile(latencies, 50):.1f} ms, p90 {percentile(latencies, 90):.1f} ms, "
          f"p99 {percentile(latencies, 99):.1f} ms, max {max(latencies):.1f} ms; peak {peak} conversations in flight")
    if args.llm_latency_ms is not None:
        print_stages(args, posted, replies, [c for c, _, _ in prepared], start_llm_seq)
    if args.timeline:
        print_timeline(posted, replies, t_start)
    return 0 if len(latencies) == total else 1


def print_timeline(posted, replies, t_start):
    """Latency by the second the webhook was posted in: shows whether a tail belongs to the ramp-up or to the
    steady state."""
    buckets = {}
    for customer, (t0, _) in posted.items():
        if customer in replies:
            buckets.setdefault(int(t0 - t_start), []).append((replies[customer] - t0) * 1000)
    for second in sorted(buckets):
        values = buckets[second]
        print(f"  second {second:3d}: {len(values):4d} replies, p50 {percentile(values, 50):8.1f} ms, "
              f"p99 {percentile(values, 99):8.1f} ms, max {max(values):8.1f} ms")


def print_stages(args, posted, replies, customers, since):
    """Where the time went, from the sandbox's own clocks: before the LLM (webhook, queue, intake, metering:
    LLM call answered minus its configured latency minus the post time) and after it (the reply's arrival at
    the Graph send endpoint minus the LLM's answer: client wake-up, storing, sending)."""
    with urllib.request.urlopen(f"{args.sandbox}/_sandbox/llm-calls?since={since}", timeout=30) as response:
        calls = json.load(response)
    answered = {}
    for call in calls:
        text = call.get("last_user") or ""
        if "#" in text:
            answered.setdefault(text.rsplit("#", 1)[1], call["time_ms"] / 1000.0)
    before, after = [], []
    for i, customer in enumerate(customers):
        llm = answered.get(str(i))
        if llm is None or customer not in replies:
            continue
        before.append((llm - args.llm_latency_ms / 1000.0 - posted[customer][0]) * 1000)
        after.append((replies[customer] - llm) * 1000)
    if not before:
        print("  stages: no LLM call matched")
        return
    print(f"  stages ({len(before)} matched): webhook->LLM call p50 {percentile(before, 50):.1f} ms, "
          f"p99 {percentile(before, 99):.1f} ms; LLM answer->reply sent p50 {percentile(after, 50):.1f} ms, "
          f"p99 {percentile(after, 99):.1f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["send", "load", "warmup"])
    parser.add_argument("--serve", required=True)
    parser.add_argument("--sandbox")
    parser.add_argument("--secret", required=True)
    parser.add_argument("--account")
    parser.add_argument("--accounts")
    parser.add_argument("--customer")
    parser.add_argument("--mid")
    parser.add_argument("--text")
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--senders", type=int, default=16)
    parser.add_argument("--drain", type=float, default=30)
    parser.add_argument("--llm-latency-ms", type=float,
                        help="the sandbox LLM's configured latency: print the time before and after the LLM call")
    parser.add_argument("--warmup", type=float, default=2,
                        help="warmup mode: seconds of the same traffic, sent and answered")
    parser.add_argument("--timeline", action="store_true", help="print the latency by second of the run")
    parser.add_argument("--cpu-file", help="write the CPU seconds this generator used while sending and draining")
    args = parser.parse_args()
    if args.mode == "send":
        print(post(args.serve, args.secret, body_for(args.account, args.customer, args.mid, args.text)))
        return 0
    if args.mode == "warmup":
        warm_up(args, args.accounts.split(","))
        return 0
    return load(args)


if __name__ == "__main__":
    sys.exit(main())
