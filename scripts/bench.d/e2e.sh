# End to end (issue 6): signed webhook in → serve → Redis → work → process-message → sandbox Graph send,
# measured by the time the sandbox recorded the reply. Two runs: an instant sandbox LLM at 200 msg/s,
# and an LLM answering in 1.5 s at 400 msg/s (≈ 600 conversations in flight in one worker process).
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/scripts/lib/stack.sh"
STACK_DIR="$VAR_DIR/bench-e2e"
accounts=17841400000010001,17841400000010002,17841400000010003,17841400000010004
export WOODSTOCK_CONCURRENCY=1000 LOG_LEVEL=warning

run() { # llm-latency-ms rate seconds
    trap stack_stop RETURN
    redis-cli -p "$REDIS_PORT" -n 2 flushdb >/dev/null
    stack_start "$BENCH_BIN" woodstock_bench 2 58181 58180 --llm-latency-ms "$1" --record-capacity 100000
    local i=0
    for account in ${accounts//,/ }; do
        i=$((i + 1))
        stack_tenant "Bench Shop $i" enterprise "$account" >/dev/null 2>&1
    done
    python3 "$ROOT/scripts/lib/webhooks.py" load --serve "$STACK_SERVE" --sandbox "$STACK_SANDBOX" \
        --secret "$INSTAGRAM_APP_SECRET" --accounts "$accounts" --rate "$2" --seconds "$3" --drain 30
    echo "  (LLM latency $1 ms; worker: one process, concurrency $WOODSTOCK_CONCURRENCY; logs in $STACK_DIR)"
}

run 0 200 10
run 1500 400 10
