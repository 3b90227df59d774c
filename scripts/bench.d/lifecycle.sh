#!/usr/bin/env bash
# scripts/bench lifecycle: the token refresh sweep and usage metering beside their ceilings.
#
# Metering: our check-and-count (UsageMeter, one EVALSHA per message, METER_CLIENTS concurrent callers) beside
# `redis-benchmark EVALSHA` of the very same script (-c METER_CLIENTS, -P 1 and -P 16), on one PRIVATE
# redis-server started here, back to back in METER_ROUNDS rounds. Goal: ours >= 50 % of the raw -P 1 EVALSHA rate.
# Refresh: LIFECYCLE_INTEGRATIONS due Instagram tokens (sealed by the Vault) in a private schema of the local
# PostgreSQL, one sweep, then in-process workers run refresh-token against a release sandbox on a private port
# (real HTTP, seal, store, audit). Goal: >= 2,000 refreshes/s.
source "$(dirname "$0")/../lib/common.sh"
BIN="${BENCH_BIN:-$ROOT/.build-release/release}"
INTEGRATIONS="${LIFECYCLE_INTEGRATIONS:-50000}"
TENANTS="${LIFECYCLE_TENANTS:-1000}"
METER_OPS="${METER_OPS:-100000}"
METER_CLIENTS="${METER_CLIENTS:-50}"
# Ports below the ephemeral range (32768-60999), so an outgoing connection cannot hold them.
PORT="${LIFECYCLE_REDIS_PORT:-28392}"
SANDBOX_PORT="${LIFECYCLE_SANDBOX_PORT:-28393}"
DATABASE_URL="${DATABASE_URL:-postgres://woodstock@127.0.0.1:55432/woodstock}"
WORK="$(mktemp -d)"
REDIS_PID=""
SANDBOX_PID=""
cleanup() {
    [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null && wait "$SANDBOX_PID" 2>/dev/null
    [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
command -v redis-benchmark >/dev/null || { echo "redis-benchmark missing: apt-get install redis-tools" >&2; exit 1; }

redis-server --port "$PORT" --bind 127.0.0.1 --dir "$WORK" --save "" --appendonly no --daemonize no \
    --loglevel warning >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
"$BIN/woodstock-sandbox" --port "$SANDBOX_PORT" --log-level error >"$WORK/sandbox.log" 2>&1 &
SANDBOX_PID=$!
for _ in $(seq 1 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$SANDBOX_PORT/_sandbox/health" >/dev/null && break; sleep 0.05; done
redis-cli -p "$PORT" ping >/dev/null 2>&1 || { echo "private redis-server on $PORT did not start:" >&2; cat "$WORK/redis.log" >&2; exit 1; }
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

bench() {
    "$BIN/woodstock-bench" lifecycle --redis-url "redis://127.0.0.1:$PORT/0" --database-url "$DATABASE_URL" \
        --sandbox-url "http://127.0.0.1:$SANDBOX_PORT" --integrations "$INTEGRATIONS" --tenants "$TENANTS" \
        --meter-ops "$METER_OPS" --meter-clients "$METER_CLIENTS" "$@"
}
get() { echo "$out" | awk -F= -v k="$1" '$1 == k { print $2 }'; }
# The same script, same argument shape (no message id, unlimited, thresholds 80/100), via EVALSHA.
evalsha_rate() {
    redis-benchmark -h 127.0.0.1 -p "$PORT" -c "$METER_CLIENTS" -n "$METER_OPS" -q "$@" \
        EVALSHA "$sha" 2 "bench:{t}:2026-11" "bench:{t}:mid" -1 4102444800 0 2026-11 80 100 2>/dev/null |
        tr '\r' '\n' | awk '/requests per second/ { sub(/.*: /, ""); split($0, a, " "); r = a[1] } END { printf "%d", r }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "n/a" }'; }
row() { printf '%-56s %12s %12s %8s\n' "$@"; }
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Metering: ours and the ceiling back to back, METER_ROUNDS times (the machine is shared, so the load drifts;
# each round's ratio compares two measurements taken seconds apart). The median round is reported.
ROUNDS="${METER_ROUNDS:-3}"
ours_all=""; eval1_all=""; ratios=""
for round in $(seq 1 "$ROUNDS"); do
    out=$(bench --phases meter)
    sha=$(get meter_script_sha1)
    ours=$(get meter_ops_per_s)
    eval1=$(evalsha_rate -P 1)
    ours_all="$ours_all $ours"; eval1_all="$eval1_all $eval1"
    ratios="$ratios $(awk -v a="$ours" -v b="$eval1" 'BEGIN { if (b > 0) printf "%.1f", 100 * a / b; else print 0 }')"
    echo "  meter round $round: ours $ours ops/s, EVALSHA -P 1 $eval1 ops/s ($(ratio "$ours" "$eval1"))"
done
eval16=$(evalsha_rate -P 16)
out=$(bench --phases refresh)

row "lifecycle" "ours" "ceiling" "ratio"
row "check-and-count ($METER_CLIENTS callers, ops/s) vs EVALSHA -P 1" "$(echo "$ours_all" | median)" \
    "$(echo "$eval1_all" | median)" "$(echo "$ratios" | median)%"
row "  (median of $ROUNDS back-to-back rounds; ratio = median of the per-round ratios)" "" "" ""
row "check-and-count ($METER_CLIENTS callers, ops/s) vs EVALSHA -P 16" "$(echo "$ours_all" | median)" "$eval16" \
    "$(ratio "$(echo "$ours_all" | median)" "$eval16")"
row "refresh sweep + drain, $INTEGRATIONS tokens (refreshes/s)" "$(get refresh_per_s)" "goal 2000" ""
row "  sweep alone: enqueued / seconds" "$(get sweep_enqueued) / $(get sweep_seconds)" "" ""
row "  total seconds (seed took $(get seed_seconds) s)" "$(get refresh_total_seconds)" "" ""
row "machine load (1/5/15 min) at start | at end" "$load_start | $(cut -d' ' -f1-3 /proc/loadavg)" "" ""
