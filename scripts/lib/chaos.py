#!/usr/bin/env python3
"""The load, fault and report half of scripts/chaos (which starts the private servers and the stack).

Load: signed Instagram webhooks at --rate for --seconds, one new customer and a unique text per webhook;
a delivery that is not answered 200 is redelivered (as Meta does) up to 4 times.
Faults, on a fixed timeline relative to the start: kill -9 of a `work` process every few seconds (restarted
at once), kill -9 + restart of redis-server, SIGSTOP of Redis for 10 s, a fast restart of PostgreSQL, and a
Sentinel failover in sentinel mode.
Report: from the sandbox's own records (every Graph send, every LLM call), the database (stored inbound
messages) and serve's /metrics; each loss or duplicate is attributed to the fault closest before it.
"""
import argparse, collections, hashlib, hmac, json, os, random, re, signal, subprocess, sys, threading, time
import urllib.error, urllib.request

RETRY_DELAYS = [2, 4, 8, 16]


def now():
    return time.time()


class Timeline:
    def __init__(self):
        self.events = []  # (start, end, kind, detail)
        self.lock = threading.Lock()
        self.t0 = now()

    def add(self, start, end, kind, detail=""):
        with self.lock:
            self.events.append((start, end, kind, detail))
        print(f"  t={start - self.t0:6.1f}s  {kind:<22} {detail} ({end - start:.1f}s)", flush=True)

    def cause_before(self, t, window, servers_first=False):
        """The fault that started last before t and ended at most `window` seconds before it, or None.
        With servers_first, a Redis/PostgreSQL fault in that range wins over a later worker kill (a worker kill
        cannot lose an acknowledged webhook: serve only talks to Redis)."""
        hits = [(start, kind) for start, end, kind, _ in self.events if start <= t and t - min(end, t) <= window]
        if servers_first and any(not kind.startswith("work") for _, kind in hits):
            hits = [h for h in hits if not h[1].startswith("work")]
        return max(hits)[1] if hits else None

    def first_after(self, t, window):
        """The first fault in progress at t or starting within `window` seconds after it, or None."""
        hits = [(start, kind) for start, end, kind, _ in self.events if end >= t - 1 and start <= t + window]
        return min(hits)[1] if hits else None

    def active_at(self, t):
        """The fault in progress at t; a server fault wins over a worker kill (serve never talks to workers)."""
        hits = [kind for start, end, kind, _ in self.events if start - 0.5 <= t <= end + 1.0]
        hits.sort(key=lambda kind: kind.startswith("work"))
        return hits[0] if hits else None


class Stack:
    def __init__(self, args, timeline):
        self.args, self.timeline = args, timeline
        self.workers = [None] * args.workers
        self.logs = [open(os.path.join(args.dir, f"work-{i}.log"), "ab") for i in range(args.workers)]
        for i in range(args.workers):
            self.start_worker(i)

    def start_worker(self, i):
        self.workers[i] = subprocess.Popen([os.path.join(self.args.bin, "woodstock"), "work"],
                                           stdout=self.logs[i], stderr=subprocess.STDOUT)

    def kill_worker(self, i):
        start = now()
        self.workers[i].kill()
        self.workers[i].wait()
        self.start_worker(i)
        self.timeline.add(start, now(), "work kill -9", f"worker {i}")

    def stop_workers(self):
        for w in self.workers:
            w.send_signal(signal.SIGTERM)
        for w in self.workers:
            try:
                w.wait(timeout=40)
            except subprocess.TimeoutExpired:
                w.kill()

    def redis_pid(self):
        if self.args.redis_mode == "sentinel":
            port = self.sentinel_master_port()
            info = subprocess.run(["redis-cli", "-p", str(port), "info", "server"], capture_output=True, text=True)
            m = re.search(r"process_id:(\d+)", info.stdout)
            return int(m.group(1)) if m else None
        with open(os.path.join(self.args.dir, "redis", "redis.pid")) as f:
            return int(f.read().strip())

    def sentinel_master_port(self):
        port = os.environ["TOPO_SENTINEL_PORTS"].split()[0]
        out = subprocess.run(["redis-cli", "-p", port, "sentinel", "get-master-addr-by-name",
                              os.environ.get("TOPO_SENTINEL_NAME", "woodstock")], capture_output=True, text=True)
        return int(out.stdout.split()[1])

    def redis_ping(self, port):
        return subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True,
                              text=True).stdout.strip() == "PONG"

    def restart_redis(self):
        start = now()
        pid = self.redis_pid()
        os.kill(pid, signal.SIGKILL)
        while os.path.exists(f"/proc/{pid}"):
            time.sleep(0.02)
        subprocess.run(["redis-server"] + self.args.redis_args.split(), check=True)
        while not self.redis_ping(self.args.redis_port):
            time.sleep(0.05)
        # The AOF is loaded before the server answers PING with PONG (it answers LOADING until then).
        self.timeline.add(start, now(), "redis kill -9+restart", f"appendfsync {self.args.aof}")

    def pause_redis(self, seconds=10):
        start = now()
        pid = self.redis_pid()
        os.kill(pid, signal.SIGSTOP)
        time.sleep(seconds)
        os.kill(pid, signal.SIGCONT)
        self.timeline.add(start, now(), "redis SIGSTOP 10s", f"pid {pid}")

    def restart_postgres(self):
        start = now()
        cmd = [os.path.join(self.args.pg_bin, "pg_ctl"), "-D", self.args.pg_data, "-m", "fast", "-w", "restart"]
        if os.getuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.timeline.add(start, now(), "postgres restart", "pg_ctl restart -m fast")

    def sentinel_failover(self):
        start = now()
        out = subprocess.run(["bash", "-c", f"source {self.args.root}/scripts/lib/redis-topologies.sh; "
                              "topo_sentinel_failover"], capture_output=True, text=True)
        self.timeline.add(start, now(), "sentinel failover", out.stdout.strip() or out.stderr.strip()[-80:])


class Load:
    def __init__(self, args, run):
        self.args, self.run = args, run
        self.accounts = args.accounts.split(",")
        self.records = {}  # mid -> dict
        self.lock = threading.Lock()

    def body(self, i):
        mid = f"chaos-{self.run}-{i}"
        account = self.accounts[i % len(self.accounts)]
        t = int(now() * 1000)
        return mid, json.dumps({"object": "instagram", "entry": [{"id": account, "time": t, "messaging": [
            {"sender": {"id": mid}, "recipient": {"id": account}, "timestamp": t,
             "message": {"mid": mid, "text": f"[{mid}] do you ship to Riga?"}}]}]}, separators=(",", ":")).encode()

    def post(self, body):
        signature = "sha256=" + hmac.new(self.args.secret.encode(), body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(self.args.serve + "/webhooks/meta", data=body, method="POST", headers={
            "Content-Type": "application/json", "X-Hub-Signature-256": signature})
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except Exception as error:  # timeout, refused, reset
            return type(error).__name__

    def deliver(self, i, due):
        delay = due - now()
        if delay > 0:
            time.sleep(delay)
        mid, body = self.body(i)
        record = {"first": now(), "ack": None, "failures": []}
        for attempt in range(len(RETRY_DELAYS) + 1):
            t = now()
            status = self.post(body)
            if status == 200:
                record["ack"] = now()
                break
            record["failures"].append((t, status))
            if attempt < len(RETRY_DELAYS):
                time.sleep(RETRY_DELAYS[attempt])
        with self.lock:
            self.records[mid] = record

    def run_load(self):
        total = int(self.args.rate * self.args.seconds)
        t_start = now() + 0.2
        counter = iter(range(total))
        counter_lock = threading.Lock()

        def sender():
            while True:
                with counter_lock:
                    i = next(counter, None)
                if i is None:
                    return
                self.deliver(i, t_start + i / self.args.rate)

        threads = [threading.Thread(target=sender, daemon=True) for _ in range(96)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def fetch_json(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def faults(args, stack, stop):
    s = args.seconds
    plan = [(0.20 * s, stack.restart_redis if args.redis_mode == "single" else stack.sentinel_failover),
            (0.45 * s, stack.pause_redis), (0.70 * s, stack.restart_postgres)]
    if args.redis_mode == "sentinel":
        plan.append((0.85 * s, stack.sentinel_failover))
    kill_every = max(4.0, s / 30)
    t0 = stack.timeline.t0
    next_kill = t0 + 5
    rng = random.Random(args.seed)
    while not stop.is_set() and now() < t0 + s:
        if plan and now() >= t0 + plan[0][0]:
            try:
                plan.pop(0)[1]()
            except Exception as error:
                print(f"  fault failed: {error}", flush=True)
        elif now() >= next_kill:
            stack.kill_worker(rng.randrange(args.workers))
            next_kill = now() + kill_every
        else:
            time.sleep(0.1)


def main():
    p = argparse.ArgumentParser()
    for name in ["bin", "dir", "serve", "sandbox", "secret", "accounts", "redis-args", "pg-data", "pg-bin"]:
        p.add_argument("--" + name, required=True)
    p.add_argument("--seconds", type=float, default=180)
    p.add_argument("--rate", type=float, default=15)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--drain", type=float, default=120)
    p.add_argument("--redis-mode", default="single")
    p.add_argument("--redis-port", type=int, required=True)
    p.add_argument("--aof", default="always")
    p.add_argument("--lease", type=float, default=5)
    p.add_argument("--seed", type=int, default=9)
    args = p.parse_args()
    args.root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

    timeline = Timeline()
    stack = Stack(args, timeline)
    load = Load(args, str(int(now())))
    stop = threading.Event()
    fault_thread = threading.Thread(target=faults, args=(args, stack, stop), daemon=True)
    fault_thread.start()
    load.run_load()
    stop.set()
    fault_thread.join()
    load_end = now()

    acked = {mid: r for mid, r in load.records.items() if r["ack"]}
    print(f"  load done at t={load_end - timeline.t0:.0f}s; draining (up to {args.drain:.0f}s)", flush=True)
    deadline = now() + args.drain
    replied = set()
    while now() < deadline:
        replied = {s["recipient"] for s in fetch_json(args.sandbox + "/_sandbox/sent") if s.get("text")}
        # Every reply out, and no message job left waiting (a reply in doubt waits out the in-flight window, then
        # its lookup runs: the report counts how it ended).
        if all(mid in replied for mid in acked) and messages_queue_idle(args):
            break
        time.sleep(2)
    stack.stop_workers()
    report(args, timeline, load, acked)


def messages_queue_idle(args):
    """True when the messages queue has nothing ready, running, scheduled or waiting to retry."""
    out = subprocess.run([os.path.join(args.bin, "woodstock"), "queues"], capture_output=True, text=True)
    for line in out.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == "messages":
            return all(p == "0" for p in parts[1:5])
    return False


def psql(args, sql):
    url = os.environ["DATABASE_URL"]
    out = subprocess.run(["psql", "-X", "-qtA", "-v", "ON_ERROR_STOP=1", url, "-c", sql], capture_output=True,
                         text=True)
    if out.returncode != 0:
        print(f"  (query failed: {out.stderr.strip()})", flush=True)
    return [line for line in out.stdout.splitlines() if line]


def in_doubt(args):
    """Counts, from the workers' logs, the replies whose outcome a killed run left unrecorded, and how each ended."""
    jobs, found, resent, refused = set(), 0, 0, 0
    for i in range(args.workers):
        with open(os.path.join(args.dir, f"work-{i}.log"), errors="replace") as log:
            for line in log:
                if "waiting for its echo" in line:
                    m = re.search(r"job\.id=(\S+)", line)
                    jobs.add(m.group(1) if m else line)
                found += "delivery lookup: the earlier run's reply was delivered" in line
                resent += "delivery lookup: sending the parts" in line
                refused += "delivery lookup refused" in line
    return {"jobs": len(jobs), "found": found, "resent": resent, "refused": refused}


def report(args, timeline, load, acked):
    window = args.lease + 15
    sent = [s for s in fetch_json(args.sandbox + "/_sandbox/sent") if s.get("text")]
    calls = fetch_json(args.sandbox + "/_sandbox/llm-calls")
    stored = set(psql(args, "SELECT mid FROM chatbot_messages WHERE direction = 'in' AND mid LIKE 'chaos-%'"))
    metrics = urllib.request.urlopen(args.serve + "/metrics", timeout=10).read().decode()
    enqueued = sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
                   if line.startswith("woodstock_jobs_enqueued") and 'queue="messages"' in line)

    runs = collections.defaultdict(list)  # mid -> times the AI was asked (one per run that reached it)
    for c in calls:
        m = re.match(r"\[(chaos-[0-9]+-[0-9]+)\]", c.get("last_user") or "")
        if m and c.get("last_role") == "user":
            runs[m.group(1)].append(c["time_ms"] / 1000)
    sends = collections.defaultdict(list)  # (mid, text) -> send times
    for s in sent:
        if s["recipient"].startswith("chaos-"):
            sends[(s["recipient"], s["text"])].append(s["time_ms"] / 1000)

    def cause(t, servers_first=False):
        return timeline.cause_before(t, window, servers_first) or "no fault nearby"

    posted = len(load.records)
    redelivered = sum(1 for r in acked.values() if r["failures"])
    never = {mid: r for mid, r in load.records.items() if not r["ack"]}
    lost = [mid for mid in acked if mid not in stored and not any(k[0] == mid for k in sends)]
    unanswered = [mid for mid in acked if mid in stored and not any(k[0] == mid for k in sends)]
    twice = {mid: sorted(t) for mid, t in runs.items() if len(t) > 1}
    replies_twice = {k: sorted(t) for k, t in sends.items() if len(t) > 1}

    by = collections.Counter
    print()
    persistence = f"appendfsync {args.aof}" if args.redis_mode == "single" else "master + replica, no AOF"
    print(f"chaos report ({args.seconds:.0f}s at {args.rate:.0f}/s, {args.workers} workers, redis {args.redis_mode}, "
          f"{persistence}, lease {args.lease:.0f}s)")
    print("  faults: " + ", ".join(f"{k} x{n}" for k, n in by(e[2] for e in timeline.events).items()))
    print(f"  webhooks posted               {posted}")
    print(f"  acknowledged (200)            {len(acked)}  ({redelivered} only after a redelivery: "
          + ", ".join(f"{k} {n}" for k, n in by(timeline.active_at(r['failures'][0][0]) or 'no fault'
                                                 for r in acked.values() if r['failures']).items()) + ")")
    print(f"  never acknowledged            {len(never)}"
          + ("  (" + ", ".join(f"{k} {n}" for k, n in by(timeline.active_at(r['failures'][0][0]) or 'no fault'
                                                        for r in never.values()).items()) + ")" if never else ""))
    print(f"  jobs enqueued (serve metrics) {enqueued:.0f}  (enqueue calls that returned; a redelivery dropped as a"
          " duplicate is not counted)")
    print(f"  jobs run (inbound stored)     {len(stored & set(acked))}   reached the AI: {len(runs)}")
    print(f"  replies sent                  {len({k[0] for k in sends})}")
    print(f"  LOST (acked, nothing stored, no reply)  {len(lost)}"
          + ("  by cause: " + ", ".join(f"{k} {n}" for k, n in by(cause(acked[m]['ack'] + 1, True) for m in lost).items())
             if lost else ""))
    print(f"  stored but not answered       {len(unanswered)}"
          + ("  by cause: " + ", ".join(f"{k} {n}" for k, n in by(timeline.first_after(acked[m]['ack'], window) or "no fault nearby" for m in unanswered).items())
             if unanswered else ""))
    if unanswered:
        keys = ",".join(f"'reply:{m}:0'" for m in unanswered)
        states = psql(args, f"SELECT coalesce(send_state, 'none') || ' ' || count(*) FROM chatbot_messages "
                            f"WHERE direction = 'out' AND send_key IN ({keys}) GROUP BY send_state")
        note = (" (pending = claimed, then the worker died before recording the send: in doubt, so never resent"
                " blindly; an echo webhook from Meta resolves it)" if any("pending" in x for x in states) else
                " (none = the job vanished after storing the message: its Redis state was lost)")
        print(f"    their reply rows: {', '.join(states) or 'none'}{note}")
    doubt = in_doubt(args)
    print(f"  replies in doubt (a worker died between claiming a reply and recording its send)  {doubt['jobs']}:"
          f" delivered, found by the lookup {doubt['found']}; not delivered, sent after the lookup {doubt['resent']};"
          f" still in doubt {doubt['refused']}")
    print(f"  run twice (AI asked >1 time)  {len(twice)}"
          + ("  by cause: " + ", ".join(f"{k} {n}" for k, n in by(cause(t[1]) for t in twice.values()).items())
             if twice else ""))
    print(f"  REPLIES SENT TWICE            {len(replies_twice)}"
          + ("  by cause: " + ", ".join(f"{k} {n}" for k, n in by(cause(t[1]) for t in replies_twice.values()).items())
             if replies_twice else ""))
    queues = subprocess.run([os.path.join(args.bin, "woodstock"), "queues"], capture_output=True, text=True)
    print("  queues at the end:\n    " + "\n    ".join(queues.stdout.strip().splitlines()))
    with open(os.path.join(args.dir, "report.json"), "w") as f:
        json.dump({"events": timeline.events, "records": load.records, "runs": runs, "lost": lost, "unanswered": unanswered, "twice": twice,
                   "replies_twice": [list(k) for k in replies_twice]}, f)
    sys.exit(1 if lost or replies_twice else 0)


if __name__ == "__main__":
    main()
