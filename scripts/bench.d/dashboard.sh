# Dashboard and webchat (issue 8). Each part is a function; the calls are at the end.
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/scripts/lib/stack.sh"

# --- operator dashboard (helper admin) ---
# GET /admin/queues with DASHBOARD_QUEUES (100) queues and DASHBOARD_DEAD (10,000) dead jobs on a PRIVATE
# redis-server, signed in, one connection at a time (wrk -t1 -c1), beside a bare route on the same server and
# port in the same run (goal: p99 < 50 ms). The page makes 3 Redis round trips: SMEMBERS, one pipeline of the
# stats script per queue, one pipeline of 2 HGETALLs per queue for the last hour's throughput.
bench_admin() {
    local port="${DASHBOARD_REDIS_PORT:-56393}" http="${DASHBOARD_HTTP_PORT:-58195}" work pid redis_pid
    work="$(mktemp -d)"
    redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly no --daemonize no \
        --loglevel warning >"$work/redis.log" 2>&1 &
    redis_pid=$!
    for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
    "$BENCH_BIN/woodstock-bench" dashboard --redis-url "redis://127.0.0.1:$port/0" --port "$http" \
        --queues "${DASHBOARD_QUEUES:-100}" --dead "${DASHBOARD_DEAD:-10000}" --cookie-file "$work/cookie" \
        >"$work/serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 1200); do grep -q '^ready' "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
    grep -E '^(seeded|ready)' "$work/serve.log"
    if ! grep -q '^ready' "$work/serve.log"; then
        cat "$work/serve.log" >&2; kill "$pid" "$redis_pid" 2>/dev/null; rm -rf "$work"; return 1
    fi
    local cookie status
    cookie="$(cat "$work/cookie")"
    status=$(curl -s -o "$work/page.html" -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$http/admin/queues")
    echo "admin_queues_status=$status admin_queues_bytes=$(wc -c <"$work/page.html") queues_listed=$(grep -c 'href="/admin/queues?queue=' "$work/page.html")"
    echo "dead_total_on_page=$(grep -o '<b><a href="/admin/dead">[0-9,]*' "$work/page.html" | sed 's/.*>//')"
    for route in bench/bare admin/queues; do
        wrk -t1 -c1 -d"${DASHBOARD_SECONDS:-10}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$http/$route" \
            >"$work/wrk.txt"
        awk -v r="/$route" '/Requests\/sec/{rps=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2}
            END{printf "route=%s requests_per_s=%s p50=%s p99=%s\n", r, rps, p50, p99}' "$work/wrk.txt"
    done
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
    kill "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null || true
    rm -rf "$work"
}

# --- webchat (helper webchat) ---
# The webchat round trip through Server-Sent Events with the instant sandbox LLM: a professional tenant, visitors
# that each hold an event stream open and post messages one at a time; each round trip is POST → serve →
# Redis → work → process-message → Redis stream → serve's hub → SSE, timed by the client (goal: p99 < 100 ms).
# WEBCHAT_VISITORS (default 10) and WEBCHAT_MESSAGES (per visitor, default 15; the per-visitor limit is 20/min).
bench_webchat() {
    local STACK_DIR="$VAR_DIR/bench-webchat"
    trap stack_stop RETURN
    redis-cli -p "$REDIS_PORT" -n 3 flushdb >/dev/null
    LOG_LEVEL=warning stack_start "$BENCH_BIN" woodstock_bench_webchat 3 58191 58190
    local tenant
    tenant=$("$STACK_BIN/woodstock" tenants add "Webchat Bench Shop" --tier professional --persona-name Ava \
        --instructions "Be brief." --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    # Back to back (each visitor sends again as soon as its reply arrived: the stack stays saturated, so the
    # round trip is mostly queueing behind the other visitors' messages), then paced (WEBCHAT_PACE_MS, default
    # 200: each visitor sends at most every 200 ms, 50 messages/s in all, well under saturation).
    webchat_pass "$tenant" 0
    webchat_pass "$tenant" "${WEBCHAT_PACE_MS:-200}"
}

# webchat_pass TENANT PACE_MS: one run of the client, with the CPU (user + system) each process spent, in ms
# per message: where the 2 cores go.
webchat_pass() {
    local tenant=$1 pace=$2 before after
    before=$(webchat_cpu_ms)
    local started_ns
    started_ns=$(date +%s%N)
    /usr/bin/time -f "%U %S" -o "$STACK_DIR/client.time" python3 "$ROOT/scripts/lib/webchat-bench.py" \
        --serve "$STACK_SERVE" --tenant "$tenant" --visitors "${WEBCHAT_VISITORS:-10}" \
        --messages "${WEBCHAT_MESSAGES:-15}" --pace-ms "$pace" | tee "$STACK_DIR/client.out"
    after=$(webchat_cpu_ms)
    local count
    count=$(sed -n 's/.* n=\([0-9]*\) .*/\1/p' "$STACK_DIR/client.out" | head -n 1)
    python3 - "$before" "$after" "${count:-0}" "$(cat "$STACK_DIR/client.time")" "$started_ns" "$(date +%s%N)" <<'PY'
import sys
before, after = dict(x.split("=") for x in sys.argv[1].split()), dict(x.split("=") for x in sys.argv[2].split())
n = max(1, int(sys.argv[3]))
user, system = (float(x) for x in sys.argv[4].split()[-2:])
wall_ms = (int(sys.argv[6]) - int(sys.argv[5])) / 1e6
parts = [f"{k}={(int(after[k]) - int(before[k])) / n:.2f}" for k in after if k in before]
parts.append(f"client(python)={(user + system) * 1000 / n:.2f}")
print(f"    CPU ms per message: {' '.join(parts)} (wall {wall_ms / n:.2f} ms per message, 2 cores shared)")
PY
}

# Prints "name=cpu_ms" for the stack's processes, the shared Redis server (other users' load included) and the
# PostgreSQL backends of the bench's database.
webchat_cpu_ms() {
    local tick name pid
    tick=$(getconf CLK_TCK)
    for pid in "${STACK_PIDS[@]}"; do
        name=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | awk '{n=$1; sub(".*/", "", n); print ($2 == "" || $2 ~ /^-/) ? n : n "-" $2}')
        awk -v t="$tick" -v n="$name" '{printf "%s=%d ", n, ($14 + $15) * 1000 / t}' "/proc/$pid/stat" 2>/dev/null
    done
    pid=$(pgrep -f "redis-server 127.0.0.1:$REDIS_PORT" | head -n 1 || true)
    [ -n "$pid" ] && awk -v t="$tick" '{printf "redis(shared)=%d ", ($14 + $15) * 1000 / t}' "/proc/$pid/stat"
    local total=0 p
    for p in $(pgrep -f "postgres: woodstock woodstock_bench_webchat" || true); do
        total=$((total + $(awk -v t="$tick" '{print int(($14 + $15) * 1000 / t)}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo "postgres=$total"
}

# DASHBOARD_PARTS picks parts (default: both), e.g. DASHBOARD_PARTS=webchat.
for part in ${DASHBOARD_PARTS:-admin webchat}; do "bench_$part"; done
