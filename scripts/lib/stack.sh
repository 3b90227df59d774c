# The whole system on one machine, for scripts/demo and scripts/bench: sourced after common.sh.
# stack_start BIN DBNAME REDISDB SANDBOX_PORT SERVE_PORT [sandbox args...]: exports the settings,
# migrates, starts sandbox + serve + work + schedule (logs in $STACK_DIR) and waits until ready.

STACK_PIDS=()

stack_stop() {
    for pid in "${STACK_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    STACK_PIDS=()
}

stack_start() {
    local bin=$1 db=$2 redis_db=$3 sandbox_port=$4 serve_port=$5
    shift 5
    STACK_BIN=$bin
    mkdir -p "$STACK_DIR"
    # Local-only secrets, generated once and kept under var/ (git-ignored). Production reads the same
    # variables from its own secret store.
    [ -f "$STACK_DIR/master.key" ] || "$bin/woodstock" generate-master-key >"$STACK_DIR/master.key"
    # The database belongs to its master key: data keys wrapped by another key (var/ deleted, another checkout
    # on the same PostgreSQL) cannot be opened, so each key gets its own database.
    db="${db}_$(sha256sum "$STACK_DIR/master.key" | cut -c1-8)"
    "$ROOT/scripts/services" createdb "$db"
    # STACK_DB_OPTIONS: URL options for every process, e.g. "?max_connections=16" (bench experiments).
    export DATABASE_URL="postgres://woodstock@127.0.0.1:$PG_PORT/$db${STACK_DB_OPTIONS:-}"
    export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/$redis_db"
    export WOODSTOCK_MASTER_KEY_FILE="$STACK_DIR/master.key"
    export INSTAGRAM_APP_SECRET="local-instagram-app-secret" META_APP_SECRET="local-meta-app-secret"
    export INSTAGRAM_APP_ID="local-instagram-app" META_APP_ID="local-meta-app"
    export META_VERIFY_TOKEN="local-verify-token" WOODSTOCK_ADMIN_TOKEN="local-admin-token"
    local sandbox="http://127.0.0.1:$sandbox_port"
    export LLM_API_KEY="local-llm-key" LLM_BASE_URL="$sandbox"
    export GRAPH_INSTAGRAM_URL="$sandbox" GRAPH_FACEBOOK_URL="$sandbox" INSTAGRAM_API_URL="$sandbox"
    export INSTAGRAM_WWW_URL="$sandbox" FACEBOOK_WWW_URL="$sandbox"
    export WOODSTOCK_PORT="$serve_port" WOODSTOCK_PUBLIC_URL="http://127.0.0.1:$serve_port"
    export WOODSTOCK_EXPORT_DIR="$STACK_DIR/exports"
    STACK_SANDBOX="$sandbox"
    STACK_SERVE="http://127.0.0.1:$serve_port"
    "$bin/woodstock" migrate >/dev/null 2>&1
    # STACK_NICE=N: run the four processes at that nice level (a bench on a machine shared with builds).
    local nice=()
    [ -n "${STACK_NICE:-}" ] && nice=(nice -n "$STACK_NICE")
    "${nice[@]}" "$bin/woodstock-sandbox" --port "$sandbox_port" "$@" >"$STACK_DIR/sandbox.log" 2>&1 & STACK_PIDS+=($!)
    "${nice[@]}" "$bin/woodstock" serve >"$STACK_DIR/serve.log" 2>&1 & STACK_PIDS+=($!)
    # STACK_WORK_METRICS_PORT=N: the first worker serves /metrics there (the e2e bench reads its stage timers).
    WOODSTOCK_METRICS_PORT="${STACK_WORK_METRICS_PORT:-}" "${nice[@]}" "$bin/woodstock" work >"$STACK_DIR/work.log" 2>&1 &
    STACK_PIDS+=($!)
    "${nice[@]}" "$bin/woodstock" schedule >"$STACK_DIR/schedule.log" 2>&1 & STACK_PIDS+=($!)
    # STACK_SCALE=N: N serve (ports SERVE_PORT, +10, +20 …), N work and N schedule processes on the same Redis
    # and PostgreSQL (issue 9: nothing relies on local state).
    local extra
    for extra in $(seq 2 "${STACK_SCALE:-1}"); do
        WOODSTOCK_PORT=$((serve_port + 10 * (extra - 1))) "$bin/woodstock" serve >"$STACK_DIR/serve-$extra.log" 2>&1 &
        STACK_PIDS+=($!)
        "$bin/woodstock" work >"$STACK_DIR/work-$extra.log" 2>&1 & STACK_PIDS+=($!)
        "$bin/woodstock" schedule >"$STACK_DIR/schedule-$extra.log" 2>&1 & STACK_PIDS+=($!)
    done
    for _ in $(seq 1 150); do
        curl -fs "$STACK_SERVE/readyz" >/dev/null && curl -fs "$sandbox/_sandbox/health" >/dev/null && return 0
        sleep 0.2
    done
    log "the stack did not become ready; see $STACK_DIR/*.log"
    return 1
}

# stack_tenant NAME TIER ACCOUNT_ID: prints the id of a tenant whose Instagram account ACCOUNT_ID is
# connected through the real OAuth flow (authorize → code → long-lived token → vault → subscribed_apps).
stack_tenant() {
    local name=$1 tier=$2 account=$3 tenant
    tenant=$("$STACK_BIN/woodstock" tenants list --json | python3 -c 'import json,sys
for t in json.load(sys.stdin):
    if t["name"] == sys.argv[1]: print(t["id"]); break' "$name")
    if [ -z "$tenant" ]; then
        tenant=$("$STACK_BIN/woodstock" tenants add "$name" --tier "$tier" --persona-name Ava \
            --instructions "You are Ava, the friendly assistant of $name. Be brief." --json |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    fi
    # The persona and a small catalogue for the product search, also on a tenant an earlier run created.
    "$STACK_BIN/woodstock" tenants set-persona "$tenant" --name Ava \
        --instructions "You are Ava, the friendly assistant of $name. Be brief." \
        --setting "product.Ethiopia Yirgacheffe=250 g whole beans, 14.50 EUR, in stock" \
        --setting "product.Colombia Huila=250 g whole beans, 13 EUR, in stock" >/dev/null
    curl -fs -X POST -H "Content-Type: application/json" -d "{\"user_id\":\"$account\",\"username\":\"shop_$account\"}" \
        "$STACK_SANDBOX/_sandbox/oauth" >/dev/null
    local authorize
    authorize=$(curl -fs -X POST -H "Authorization: Bearer $WOODSTOCK_ADMIN_TOKEN" \
        "$STACK_SERVE/auth/instagram/start?tenant=$tenant" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["authorize_url"])')
    printf '  %s: %s\n' "$name" "$(curl -sL "$authorize" | tr -d '\n' | sed -n 's:.*<h1>\([^<]*\)</h1>.*<p class="[a-z]*">\([^<]*\)</p>.*:\1 — \2:p')" >&2
    echo "$tenant"
}
