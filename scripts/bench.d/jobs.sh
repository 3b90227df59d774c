#!/usr/bin/env bash
# scripts/bench jobs: the job engine beside its ceiling, on one PRIVATE redis-server started here (own port and
# temp dir), so the command and round-trip counts are ours alone.
#
# Ceiling: `redis-benchmark -c 1 -P 1` and `-P 16` LPUSH/LPOP (one list push or pop per job is the least a
# Redis queue can do). Ours (woodstock-bench jobs): batched enqueue, drain of JOBS_BENCH_JOBS no-op jobs by one
# in-process worker, pickup latency p50/p99 at JOBS_BENCH_RATE jobs/s (beside a bare PING round trip), Redis
# commands (INFO commandstats, which counts commands run inside scripts) and round trips (total_reads_processed)
# per job, and the worker's RSS after JOBS_BENCH_RSS_JOBS jobs.
source "$(dirname "$0")/../lib/common.sh"
BIN="${BENCH_BIN:-$ROOT/.build-release/release}"
JOBS="${JOBS_BENCH_JOBS:-100000}"
RATE="${JOBS_BENCH_RATE:-1000}"
RSS_JOBS="${JOBS_BENCH_RSS_JOBS:-1000000}"
PORT="${JOBS_BENCH_REDIS_PORT:-56391}"
WORK="$(mktemp -d)"
REDIS_PID=""
cleanup() {
    [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
command -v redis-benchmark >/dev/null || { echo "redis-benchmark missing: apt-get install redis-tools" >&2; exit 1; }

redis-server --port "$PORT" --bind 127.0.0.1 --dir "$WORK" --save "" --appendonly no --daemonize no \
    --loglevel warning >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 1 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
redis-cli -p "$PORT" ping >/dev/null || { cat "$WORK/redis.log" >&2; exit 1; }

rate_of() { # $1 = test name as redis-benchmark prints it, rest = redis-benchmark arguments
    local name="$1"; shift
    redis-benchmark -h 127.0.0.1 -p "$PORT" -c 1 -n "$JOBS" -q "$@" 2>/dev/null | tr '\r' '\n' |
        awk -v n="$name" 'index($0, n ":") == 1 && /requests per second/ { split($0, a, " "); r = a[2] } END { printf "%d", r }'
}
lpush1=$(rate_of LPUSH -P 1 -t lpush)
lpop1=$(rate_of LPOP -P 1 -t lpop)
lpush16=$(rate_of LPUSH -P 16 -t lpush)
lpop16=$(rate_of LPOP -P 16 -t lpop)
redis-cli -p "$PORT" config resetstat >/dev/null

out=$("$BIN/woodstock-bench" jobs --url "redis://127.0.0.1:$PORT/0" --jobs "$JOBS" --rate "$RATE" --rss-jobs "$RSS_JOBS")
get() { echo "$out" | awk -F= -v k="$1" '$1 == k { print $2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "n/a" }'; }
row() { printf '%-52s %12s %14s %8s\n' "$@"; }

row "jobs (one process, private redis-server)" "ours" "ceiling" "ratio"
row "enqueue, batched (jobs/s) vs LPUSH -P 16" "$(get enqueue_jobs_per_s)" "$lpush16" "$(ratio "$(get enqueue_jobs_per_s)" "$lpush16")"
row "enqueue, batched (jobs/s) vs LPUSH -P 1" "$(get enqueue_jobs_per_s)" "$lpush1" "$(ratio "$(get enqueue_jobs_per_s)" "$lpush1")"
row "drain $JOBS no-op jobs (jobs/s) vs LPOP -P 16" "$(get drain_jobs_per_s)" "$lpop16" "$(ratio "$(get drain_jobs_per_s)" "$lpop16")"
row "drain $JOBS no-op jobs (jobs/s) vs LPOP -P 1" "$(get drain_jobs_per_s)" "$lpop1" "$(ratio "$(get drain_jobs_per_s)" "$lpop1")"
row "worker CPU per job: enqueue / drain (µs)" "$(get enqueue_cpu_us_per_job) / $(get drain_cpu_us_per_job)" "" ""
row "pickup latency p50 / p99 at $RATE jobs/s (ms)" "$(get pickup_p50_ms) / $(get pickup_p99_ms)" "goal p99 2" ""
row "enqueue: Redis commands / round trips per job" "$(get enqueue_commands_per_job) / $(get enqueue_round_trips_per_job)" "1 / 1" ""
row "drain: Redis commands / round trips per job" "$(get drain_commands_per_job) / $(get drain_round_trips_per_job)" "goal 3 / 0.1" ""
row "worker RSS start / after drain / after $(get rss_jobs) jobs (MB)" "$(get rss_start_mb) / $(get rss_after_drain_mb) / $(get rss_final_mb)" "goal 40" ""
row "keys left in Redis by finished jobs (jobs)" "$(get left_in_redis)" "0" ""
echo "(redis-benchmark: LPUSH -P1 $lpush1/s, LPOP -P1 $lpop1/s, LPUSH -P16 $lpush16/s, LPOP -P16 $lpop16/s)"
