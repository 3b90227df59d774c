#!/usr/bin/env python3
"""Prints the worker's per-step timers (woodstock_messaging_stage, a Prometheus histogram; `queue` is
process-message's wait from enqueue to start, woodstock_jobs_queue_wait; `pg-pool-wait` every statement's wait
for a PostgreSQL connection, woodstock_postgres_pool_wait) as
count / mean / p50 / p99, the percentiles read off the bucket bounds (an upper estimate)."""
import re, sys

def read(path):
    """(buckets, sums, counts) of the families this report reads."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return {}, {}, {}
    buckets, sums, counts = {}, {}, {}
    for line in text.splitlines():
        m = re.match(r'woodstock_(messaging_stage|jobs_queue_wait|postgres_pool_wait)_(bucket|sum|count)(?:\{(.*)\})? ([0-9.e+-]+)$', line)
        if not m:
            continue
        family, kind, value = m.group(1), m.group(2), float(m.group(4))
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(3) or ""))
        if family == "jobs_queue_wait" and labels.get("job") != "process-message":
            continue
        stage = labels.get("stage", "pg-pool-wait" if family == "postgres_pool_wait" else "queue")
        if kind == "bucket":
            le = labels["le"]
            buckets.setdefault(stage, []).append((float("inf") if le == "+Inf" else float(le), value))
        elif kind == "sum":
            sums[stage] = value
        else:
            counts[stage] = value
    return buckets, sums, counts


def main(path, before_path=None):
    buckets, sums, counts = read(path)
    if before_path:
        # Only what happened after the `before` scrape (the warm-up is left out).
        old_buckets, old_sums, old_counts = read(before_path)
        for stage in counts:
            counts[stage] -= old_counts.get(stage, 0)
            sums[stage] -= old_sums.get(stage, 0)
            old = dict(old_buckets.get(stage, []))
            buckets[stage] = [(bound, value - old.get(bound, 0)) for bound, value in buckets[stage]]
    if not counts:
        print("  worker stages: no timers exported")
        return
    def quantile(stage, q):
        pairs = sorted(buckets.get(stage, []))
        total = counts[stage]
        for bound, cumulative in pairs:
            if cumulative >= q * total:
                return "≤ %s ms" % ("inf" if bound == float("inf") else f"{bound * 1000:g}")
        return "?"
    parts = []
    for stage in ["queue", "pg-pool-wait", "intake", "meter", "assistant", "claim", "send", "record", "profile"]:
        if counts.get(stage):
            mean = sums[stage] / counts[stage] * 1000
            parts.append(f"{stage} {int(counts[stage])}× mean {mean:.1f} ms, p50 {quantile(stage, .5)}, p99 {quantile(stage, .99)}")
    print("  worker stages: " + "; ".join(parts))

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
