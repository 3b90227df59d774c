#!/usr/bin/env bash
# scripts/bench messages: webhook ingest (this part) and end to end (webhook in → reply at the sandbox).
#
# Ingest: `woodstock-bench webhook-server` serves the real webhook router (HMAC check, parse, one enqueue call per
# delivery, into an enqueuer that drops the events) and a bare Hummingbird 200 route in the same process; wrk posts
# a signed Instagram delivery to the router and a bare request to the bare route, first at max rate, then at a
# fixed offered rate (wrk has no rate limit: N connections each pausing between requests via Lua delay()).
# Prints requests/s and p99 for both and their ratio. Bounded: INGEST_SECONDS per run (default 10).
#
# Then the same two runs against the real `woodstock serve` (Redis enqueue included, private Redis database 9,
# emptied before and after): wrk cycles through INGEST_BODIES distinct signed deliveries (default 50,000: distinct
# message ids, so most requests enqueue a new job; once the list wraps, the unique key answers "duplicate" in
# the same single round trip). No worker runs: this is the intake alone.
source "$(dirname "$0")/../lib/common.sh"
BIN="${BENCH_BIN:-$ROOT/.build-release/release}"
SECONDS_PER_RUN="${INGEST_SECONDS:-10}"
THREADS="${INGEST_THREADS:-2}"
CONNECTIONS="${INGEST_CONNECTIONS:-64}"
RATE="${INGEST_RATE:-5000}"
HOOK_PORT="${INGEST_PORT:-18081}"
BARE_PORT="${INGEST_BARE_PORT:-18082}"
SECRET="bench-app-secret"
WORK="$(mktemp -d)"
SERVER_PID=""
SERVE_PID=""
SERVE_PORT="${INGEST_SERVE_PORT:-18083}"
BODIES="${INGEST_BODIES:-50000}"
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
    redis-cli -p "$REDIS_PORT" -n 9 flushdb >/dev/null 2>&1 || true
    [ -n "${INGEST_KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
"$BIN/woodstock-bench" webhook-server --port "$HOOK_PORT" --bare-port "$BARE_PORT" --secret "$SECRET" \
    >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$HOOK_PORT/healthz" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$BARE_PORT/" \
        >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$HOOK_PORT/healthz" >/dev/null || { cat "$WORK/server.log" >&2; exit 1; }

# One realistic delivery (one entry, one text message), signed like Meta does.
BODY='{"object":"instagram","entry":[{"id":"17841400000000001","time":1732550000000,"messaging":[{"sender":{"id":"1234567890123456"},"recipient":{"id":"17841400000000001"},"timestamp":1732549999000,"message":{"mid":"aWdfZAG1faXRlbTpJR01lc3NhZA2VJRDoxNzg0MTQwMDAwMDAwMDAwMToz","text":"Hi! Do you ship to Riga?"}}]}]}'
SIG="sha256=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -d' ' -f1)"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Content-Type: application/json" \
    -H "X-Hub-Signature-256: $SIG" --data-binary "$BODY" "http://127.0.0.1:$HOOK_PORT/webhooks/meta")
[ "$code" = 200 ] || { echo "signed webhook answered $code, expected 200" >&2; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Hub-Signature-256: sha256=00" --data-binary "$BODY" \
    "http://127.0.0.1:$HOOK_PORT/webhooks/meta")
[ "$code" = 401 ] || { echo "badly signed webhook answered $code, expected 401" >&2; exit 1; }

lua_body=$(printf '%s' "$BODY" | sed 's/\\/\\\\/g; s/"/\\"/g')
cat >"$WORK/hook.lua" <<LUA
wrk.method = "POST"
wrk.body = "$lua_body"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Hub-Signature-256"] = "$SIG"
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")
function delay() return pause end
LUA
cat >"$WORK/bare.lua" <<'LUA'
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")
function delay() return pause end
LUA

# run_wrk URL SCRIPT CONNECTIONS DELAY_MS → prints "<req/s> <p99 ms> <non2xx>"
run_wrk() {
    local out
    out=$(WRK_DELAY_MS="$4" wrk -t"$THREADS" -c"$3" -d"${SECONDS_PER_RUN}s" --latency -s "$2" "$1" 2>&1)
    local rps p99 bad
    rps=$(awk '/Requests\/sec:/ {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; printf "%.2f", v}' <<<"$out")
    bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    echo "$out" >>"$WORK/wrk.log"
    echo "${rps:-0} ${p99:-?} ${bad:-0}"
}

report() { # LABEL HOOK_RESULT BARE_RESULT
    read -r hr hp hb <<<"$2"
    read -r br bp bb <<<"$3"
    local ratio
    ratio=$(awk -v a="$hr" -v b="$br" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
    printf '%-22s webhook %8.0f req/s  p99 %7s ms  (non-2xx %s)  |  bare 200 %8.0f req/s  p99 %7s ms  |  throughput ratio %s\n' \
        "$1" "$hr" "$hp" "$hb" "$br" "$bp" "$ratio"
}

log "ingest: max rate, $CONNECTIONS connections, ${SECONDS_PER_RUN}s each"
hook_max=$(run_wrk "http://127.0.0.1:$HOOK_PORT/webhooks/meta" "$WORK/hook.lua" "$CONNECTIONS" 0)
bare_max=$(run_wrk "http://127.0.0.1:$BARE_PORT/" "$WORK/bare.lua" "$CONNECTIONS" 0)
# Fixed offered rate: connections each pausing 10 ms between requests; with ~2 ms per request each makes ~83/s,
# so RATE*12/1000 connections offer about RATE requests/s (the achieved rate is printed).
conns=$(( RATE * 12 / 1000 )); [ "$conns" -lt "$THREADS" ] && conns=$THREADS
log "ingest: offered ~${RATE}/s ($conns connections, 10 ms pause each), ${SECONDS_PER_RUN}s each"
hook_fixed=$(run_wrk "http://127.0.0.1:$HOOK_PORT/webhooks/meta" "$WORK/hook.lua" "$conns" 10)
bare_fixed=$(run_wrk "http://127.0.0.1:$BARE_PORT/" "$WORK/bare.lua" "$conns" 10)
echo "messages ingest (signed $(printf '%s' "$BODY" | wc -c)-byte Instagram delivery; goal >= 15000/s, p99 < 10 ms at 5000/s)"
report "max rate" "$hook_max" "$bare_max"
report "offered ~${RATE}/s" "$hook_fixed" "$bare_fixed"
"$BIN/woodstock-bench" webhook-parse --iterations 20000

# The real serve: HMAC, parse, one Redis round trip per delivery.
kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
SERVER_PID=""
"$ROOT/scripts/services" createdb woodstock_bench_ingest
redis-cli -p "$REDIS_PORT" -n 9 flushdb >/dev/null
export DATABASE_URL="postgres://woodstock@127.0.0.1:$PG_PORT/woodstock_bench_ingest"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/9" INSTAGRAM_APP_SECRET="$SECRET" META_APP_SECRET="$SECRET-meta"
export META_VERIFY_TOKEN=bench WOODSTOCK_PORT="$SERVE_PORT" WOODSTOCK_MASTER_KEY="$("$BIN/woodstock" generate-master-key)"
export LOG_LEVEL=warning
"$BIN/woodstock" migrate >/dev/null
"$BIN/woodstock" serve >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$SERVE_PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$SERVE_PORT/readyz" >/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
python3 - "$SECRET" "$BODIES" >"$WORK/bodies.lua" <<'PY'
import hashlib, hmac, json, sys
secret, count = sys.argv[1].encode(), int(sys.argv[2])
print("bodies, signatures = {}, {}")
# LuaJIT allows 65,536 constants per function: one function per 5,000 deliveries.
for i in range(count):
    if i % 5000 == 0:
        print("local function chunk()" if i == 0 else "end\nchunk()\nlocal function chunk()")
    body = json.dumps({"object": "instagram", "entry": [{"id": "17841400000000001", "time": 1732550000000, "messaging": [
        {"sender": {"id": f"12345678{i:08d}"}, "recipient": {"id": "17841400000000001"}, "timestamp": 1732549999000,
         "message": {"mid": f"aWdfZAG1faXRlbTpJR01lc3NhZA2VJRDoxNzg0MTQw{i:012d}", "text": "Hi! Do you ship to Riga?"}}]}]},
        separators=(",", ":"))
    print(f"bodies[{i + 1}] = {json.dumps(body)}")
    print(f"signatures[{i + 1}] = \"sha256={hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()}\"")
if count > 0:
    print("end\nchunk()")
PY
cat >"$WORK/serve.lua" <<LUA
dofile("$WORK/bodies.lua")
local n, count = 0, #bodies
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")
function setup(thread) thread:set("offset", math.random(count)) end
function request()
    n = n + 1
    local i = (offset + n) % count + 1
    return wrk.format("POST", "/webhooks/meta",
        {["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = signatures[i]}, bodies[i])
end
function delay() return pause end
LUA
log "ingest against woodstock serve (Redis enqueue): max rate, then offered ~${RATE}/s"
serve_max=$(run_wrk "http://127.0.0.1:$SERVE_PORT/webhooks/meta" "$WORK/serve.lua" "$CONNECTIONS" 0)
serve_fixed=$(run_wrk "http://127.0.0.1:$SERVE_PORT/webhooks/meta" "$WORK/serve.lua" "$conns" 10)
enqueued=$(redis-cli -p "$REDIS_PORT" -n 9 --scan --pattern '*:u:*' | wc -l)
echo "messages ingest against woodstock serve ($enqueued distinct jobs enqueued; bare route figures from above)"
report "serve, max rate" "$serve_max" "$bare_max"
report "serve, ~${RATE}/s" "$serve_fixed" "$bare_fixed"
