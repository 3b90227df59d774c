# End to end (issue 6): signed webhook in → serve → Redis → work → process-message → sandbox Graph send,
# measured by the time the sandbox recorded the reply. Two runs: an instant sandbox LLM at 200 msg/s,
# and an LLM answering in 1.5 s at 400 msg/s (≈ 600 conversations in flight in one worker process).
#
# Each run prints the latency percentiles, then where the CPU went: seconds of CPU per process group during the
# load (serve, work, sandbox, redis, postgres, the load generator) against what 2 cores offer in that time.
# The 400 msg/s run spreads over 8 accounts: process-message caps each account at 80 job starts/s (Meta's
# send limit is 100/s per account), so 4 accounts at 100/s each would queue by design, not by slowness.
# E2E_SECONDS (default 10) sets each run's length; E2E_RUNS (default "instant slow") picks the runs;
# E2E_TIMELINE=1 adds the latency by second of the run. Each run starts with E2E_WARMUP seconds (default 2) of
# the same traffic, answered before measuring: freshly started processes dial their PostgreSQL and HTTP
# connections and prepare their statements during the first second, which a running system has long done.
# Ports 28180/28181 lie below the ephemeral range (32768-60999), so an outgoing connection cannot hold them.
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/scripts/lib/stack.sh"
# E2E_SLOT=N (default 0) moves the ports, the Redis database, the PostgreSQL database and the log directory, so
# two checkouts can run this bench at the same time on one machine.
SLOT="${E2E_SLOT:-0}"
STACK_DIR="$VAR_DIR/bench-e2e${SLOT#0}"
REDIS_DB=$((SLOT == 0 ? 2 : 10 + SLOT))  # 3 is the dashboard bench's, 1 the demo's
SECONDS_PER_RUN="${E2E_SECONDS:-10}"
export WOODSTOCK_CONCURRENCY=1000 LOG_LEVEL=warning
export STACK_WORK_METRICS_PORT=$((28182 + 10 * SLOT))
trap stack_stop EXIT  # also when a run fails half-way (set -e skips the RETURN trap)

accounts_for() { # COUNT → comma-separated account ids
    local list=() i
    for i in $(seq 1 "$1"); do list+=("1784140000001$(printf '%04d' "$i")"); done
    local IFS=,
    echo "${list[*]}"
}

# cpu_ticks → "group ticks" lines: CPU (user+system, clock ticks) used so far by each process group.
cpu_ticks() {
    local pg_master redis_pid
    pg_master=$(pgrep -f -- "postgres -D .* -p $PG_PORT( |$)" | head -1 || true)
    redis_pid=$(redis-cli -p "$REDIS_PORT" info server 2>/dev/null | awk -F: '/^process_id/ {print $2}' | tr -d '\r')
    {
        echo "sandbox ${STACK_PIDS[0]}"
        echo "serve ${STACK_PIDS[1]}"
        echo "work ${STACK_PIDS[2]}"
        echo "schedule ${STACK_PIDS[3]}"
        [ -n "$redis_pid" ] && echo "redis $redis_pid"
        if [ -n "$pg_master" ]; then
            echo "postgres $pg_master"
            for child in $(pgrep -P "$pg_master"); do echo "postgres $child"; done
        fi
    } | while read -r group pid; do
        [ -r "/proc/$pid/stat" ] || continue
        # Fields 14 and 15 of /proc/PID/stat (after the parenthesised command name) are utime and stime.
        awk -v g="$group" '{sub(/^.*\) /, ""); print g, $12 + $13}' "/proc/$pid/stat"
    done | awk '{t[$1] += $2} END {for (g in t) print g, t[g]}'
}

# cpu_report BEFORE AFTER WALL_SECONDS GENERATOR_CPU_SECONDS
cpu_report() {
    local hz
    hz=$(getconf CLK_TCK)
    awk -v hz="$hz" -v wall="$3" -v gen="$4" -v cores="$(nproc)" '
        NR == FNR { before[$1] = $2; next }
        { used[$1] = ($2 - before[$1]) / hz }
        END {
            used["generator"] = gen
            total = 0
            line = ""
            n = split("serve work sandbox redis postgres generator schedule", order, " ")
            for (i = 1; i <= n; i++) { g = order[i]; total += used[g]; line = line sprintf(" %s %.1f", g, used[g]) }
            printf "  CPU seconds during the run (%.1f s wall, %d cores = %.1f CPU-s):%s; total %.1f (%.0f%% of the machine)\n",
                wall, cores, wall * cores, line, total, 100 * total / (wall * cores)
        }' "$1" "$2"
}

run() { # llm-latency-ms rate accounts
    trap stack_stop RETURN
    redis-cli -p "$REDIS_PORT" -n "$REDIS_DB" flushdb >/dev/null
    stack_start "$BENCH_BIN" "woodstock_bench${SLOT#0}" "$REDIS_DB" $((28181 + 10 * SLOT)) $((28180 + 10 * SLOT)) --llm-latency-ms "$1" --record-capacity 100000
    local accounts account
    accounts=$(accounts_for "$3")
    local i=0
    for account in ${accounts//,/ }; do
        i=$((i + 1))
        stack_tenant "Bench Shop $i" enterprise "$account" >/dev/null 2>&1
    done
    local before after started ended load
    before=$(mktemp)
    after=$(mktemp)
    python3 "$ROOT/scripts/lib/webhooks.py" warmup --serve "$STACK_SERVE" --sandbox "$STACK_SANDBOX" \
        --secret "$INSTAGRAM_APP_SECRET" --accounts "$accounts" --rate "$2" --warmup "${E2E_WARMUP:-2}" --drain 30
    curl -fs "http://127.0.0.1:$STACK_WORK_METRICS_PORT/metrics" >"$STACK_DIR/work-before.metrics" || true
    cpu_ticks >"$before"
    started=$(date +%s.%N)
    python3 "$ROOT/scripts/lib/webhooks.py" load --serve "$STACK_SERVE" --sandbox "$STACK_SANDBOX" \
        --secret "$INSTAGRAM_APP_SECRET" --accounts "$accounts" --rate "$2" --seconds "$SECONDS_PER_RUN" \
        --drain 30 --llm-latency-ms "$1" --cpu-file "$STACK_DIR/generator.cpu" ${E2E_TIMELINE:+--timeline} || true
    ended=$(date +%s.%N)
    cpu_ticks >"$after"
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    cpu_report "$before" "$after" "$(awk -v a="$started" -v b="$ended" 'BEGIN {print b - a}')" \
        "$(cat "$STACK_DIR/generator.cpu" 2>/dev/null || echo 0)"
    curl -fs "http://127.0.0.1:$STACK_WORK_METRICS_PORT/metrics" >"$STACK_DIR/work.metrics" &&
        python3 "$ROOT/scripts/lib/stage_report.py" "$STACK_DIR/work.metrics" "$STACK_DIR/work-before.metrics" || true
    echo "  (LLM latency $1 ms; $3 accounts; worker: one process, concurrency $WOODSTOCK_CONCURRENCY; load average $load; logs in $STACK_DIR)"
    rm -f "$before" "$after"
}

for which in ${E2E_RUNS:-instant slow}; do
    case $which in
        instant) run 0 200 4 ;;
        slow) run 1500 400 8 ;;
        *) echo "unknown E2E_RUNS entry: $which (instant, slow)" >&2; exit 2 ;;
    esac
done
