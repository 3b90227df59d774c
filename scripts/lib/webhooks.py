#!/usr/bin/env python3
"""Signed Meta webhooks for scripts/demo and scripts/bench: send one message, or a paced load whose
end-to-end latency (webhook POST -> the sandbox receiving the reply on the Graph send endpoint) is
measured from the sandbox's own record of each send."""
import argparse, hashlib, hmac, json, sys, threading, time, urllib.request


def body_for(account, customer, mid, text):
    now = int(time.time() * 1000)
    return json.dumps({"object": "instagram", "entry": [{"id": account, "time": now, "messaging": [
        {"sender": {"id": customer}, "recipient": {"id": account}, "timestamp": now,
         "message": {"mid": mid, "text": text}}]}]}, separators=(",", ":")).encode()


def post(serve, secret, body):
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(serve + "/webhooks/meta", data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": signature})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def sent(sandbox, since=0):
    with urllib.request.urlopen(f"{sandbox}/_sandbox/sent?since={since}", timeout=10) as response:
        data = json.load(response)
    return data.get("sent", data) if isinstance(data, dict) else data


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def load(args):
    accounts = args.accounts.split(",")
    start_seq = max([s["seq"] for s in sent(args.sandbox)] or [0])
    posted = {}
    lock = threading.Lock()
    interval = 1.0 / args.rate
    total = int(args.rate * args.seconds)
    run = str(int(time.time()))

    def worker(indices):
        for i in indices:
            due = t_start + i * interval
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
            customer = f"load-{run}-{i}"
            body = body_for(accounts[i % len(accounts)], customer, f"mid-{run}-{i}", "Do you ship to Riga?")
            t0 = time.time()
            status = post(args.serve, args.secret, body)
            with lock:
                posted[customer] = (t0, status)

    t_start = time.time() + 0.2
    threads = [threading.Thread(target=worker, args=(range(k, total, args.senders),)) for k in range(args.senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    deadline = time.time() + args.drain
    replies = {}
    while time.time() < deadline and len(replies) < total:
        for s in sent(args.sandbox, start_seq):
            if s["recipient"] in posted and s["recipient"] not in replies:
                replies[s["recipient"]] = s["time_ms"] / 1000.0
        time.sleep(0.5)
    latencies = [(replies[c] - posted[c][0]) * 1000 for c in replies]
    ok = sum(1 for c in posted if posted[c][1] == 200)
    achieved = total / (max(p[0] for p in posted.values()) - t_start) if posted else 0
    if not latencies:
        print(f"e2e: {total} webhooks posted ({ok} accepted), no replies received")
        return 1
    print(f"e2e: {total} webhooks at {args.rate}/s offered ({achieved:.0f}/s achieved, {ok} accepted), "
          f"{len(latencies)} replies; latency webhook->reply p50 {percentile(latencies, 50):.1f} ms, "
          f"p99 {percentile(latencies, 99):.1f} ms, max {max(latencies):.1f} ms")
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["send", "load"])
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
    parser.add_argument("--senders", type=int, default=32)
    parser.add_argument("--drain", type=float, default=30)
    args = parser.parse_args()
    if args.mode == "send":
        print(post(args.serve, args.secret, body_for(args.account, args.customer, args.mid, args.text)))
        return 0
    return load(args)


if __name__ == "__main__":
    sys.exit(main())
