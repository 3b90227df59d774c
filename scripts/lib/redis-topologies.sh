# Local Redis topologies on private ports for tests, benchmarks and chaos runs. Sourced, never run.
#
#   source scripts/lib/redis-topologies.sh
#   topo_cluster_up          # 3 masters, prints  redis+cluster://127.0.0.1:57001,127.0.0.1:57002,127.0.0.1:57003
#   topo_cluster_down
#   topo_sentinel_up         # 1 master + 1 replica + 3 sentinels, prints  redis+sentinel://127.0.0.1:57111,.../woodstock
#   topo_sentinel_failover   # SENTINEL FAILOVER, waits until the sentinels name the new master, prints it
#   topo_sentinel_kill_master  # kill -9 the current master (topo_sentinel_up restarts it as a replica)
#   topo_sentinel_down
#   topo_cluster_url / topo_sentinel_url   # print the URLs without starting anything
#   topo_cluster_ha_up       # 3 masters + 3 replicas (node timeout 1 s), prints  redis+cluster://127.0.0.1:57021,…,57026
#   topo_cluster_ha_kill_master [SLOT]  # kill -9 the master owning SLOT (default 0), prints its host:port;
#                            # its replica takes over in ~1-3 s; topo_cluster_ha_up restarts the killed node, which
#                            # keeps its nodes.conf and rejoins as a replica of the promoted node
#   topo_cluster_ha_master [SLOT]       # host:port of the master owning SLOT now
#   topo_cluster_ha_down / topo_cluster_ha_url
#
# Everything is idempotent (a running server is left alone) and lives in $TOPO_DIR (default var/topologies).
# Ports are overridable: TOPO_CLUSTER_PORTS="57001 57002 57003", TOPO_SENTINEL_MASTER_PORT=57101,
# TOPO_SENTINEL_REPLICA_PORT=57102, TOPO_SENTINEL_PORTS="57111 57112 57113", TOPO_SENTINEL_NAME=woodstock,
# TOPO_CLUSTER_HA_PORTS="57021 57022 57023 57024 57025 57026" (cluster bus: port - 10000), in
# TOPO_CLUSTER_HA_DIR (default /tmp/woodstock-redis-cluster-ha, machine-wide like the ports).
# Status lines go to stderr; only URLs go to stdout.

_TOPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOPO_DIR="${TOPO_DIR:-${WOODSTOCK_VAR_DIR:-$_TOPO_ROOT/var}/topologies}"
TOPO_CLUSTER_PORTS="${TOPO_CLUSTER_PORTS:-57001 57002 57003}"
TOPO_SENTINEL_MASTER_PORT="${TOPO_SENTINEL_MASTER_PORT:-57101}"
TOPO_SENTINEL_REPLICA_PORT="${TOPO_SENTINEL_REPLICA_PORT:-57102}"
TOPO_SENTINEL_PORTS="${TOPO_SENTINEL_PORTS:-57111 57112 57113}"
TOPO_SENTINEL_NAME="${TOPO_SENTINEL_NAME:-woodstock}"
TOPO_CLUSTER_HA_PORTS="${TOPO_CLUSTER_HA_PORTS:-57021 57022 57023 57024 57025 57026}"
# Machine-wide like its ports: a node killed by one checkout's tests and restarted by another's keeps its nodes.conf.
TOPO_CLUSTER_HA_DIR="${TOPO_CLUSTER_HA_DIR:-/tmp/woodstock-redis-cluster-ha}"

_topo_log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
_topo_ping() { redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null | grep -q PONG; }
_topo_wait_ping() {
    local port=$1
    for _ in $(seq 1 400); do _topo_ping "$port" && return 0; sleep 0.05; done
    _topo_log "redis on port $port did not start"
    return 1
}
_topo_join() { local IFS=,; echo "$*"; }

_topo_server() { # port dir [extra redis-server args...]
    local port=$1 dir=$2
    shift 2
    if _topo_ping "$port"; then return 0; fi
    mkdir -p "$dir"
    rm -f "$dir/redis.pid"
    redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" \
        --logfile "$dir/redis.log" --save "" --appendonly no --protected-mode no --io-threads 1 \
        --enable-debug-command local "$@"
    _topo_wait_ping "$port"
}

# True when the server on PORT works in a directory that was deleted (left running by a checkout removed since):
# it can no longer save its cluster or sentinel config, so failovers and restarts misbehave. A server of another
# checkout that still exists is left alone (two checkouts may share the ports).
_topo_orphaned() { # port
    local pid cwd
    pid=$(redis-cli -h 127.0.0.1 -p "$1" info server 2>/dev/null | tr -d '\r' | sed -n 's/^process_id://p')
    [ -n "$pid" ] || return 1
    cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || return 1
    case "$cwd" in *" (deleted)") return 0 ;; esac
    [ ! -d "$cwd" ]
}

# Stops every server on PORTS when any of them is orphaned (a set-up is replaced whole, never mixed).
_topo_retire_orphans() { # ports...
    local port orphan=""
    for port in "$@"; do _topo_orphaned "$port" && orphan=$port && break; done
    [ -n "$orphan" ] || return 0
    _topo_log "redis on port $orphan runs in a deleted directory (a removed checkout's): restarting ports $*"
    for port in "$@"; do redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
    for port in "$@"; do
        for _ in $(seq 1 100); do _topo_ping "$port" || break; sleep 0.05; done
    done
}

_topo_shutdown() { # port
    _topo_ping "$1" && redis-cli -h 127.0.0.1 -p "$1" shutdown nosave >/dev/null 2>&1 || true
}

topo_cluster_url() {
    local hosts=()
    for port in $TOPO_CLUSTER_PORTS; do hosts+=("127.0.0.1:$port"); done
    echo "redis+cluster://$(_topo_join "${hosts[@]}")"
}

topo_cluster_up() {
    local hosts=() first=""
    # shellcheck disable=SC2086
    _topo_retire_orphans $TOPO_CLUSTER_PORTS
    for port in $TOPO_CLUSTER_PORTS; do
        _topo_server "$port" "$TOPO_DIR/cluster-$port" --cluster-enabled yes --cluster-port "$((port - 10000))" \
            --cluster-config-file "$TOPO_DIR/cluster-$port/nodes.conf" --cluster-node-timeout 2000 \
            --cluster-require-full-coverage no --cluster-announce-ip 127.0.0.1 || return 1
        hosts+=("127.0.0.1:$port")
        [ -n "$first" ] || first=$port
    done
    if ! redis-cli -p "$first" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; then
        if [ "$(redis-cli -p "$first" cluster info | sed -n 's/^cluster_slots_assigned:\([0-9]*\).*/\1/p')" = "0" ]; then
            _topo_log "creating cluster on ${hosts[*]}"
            redis-cli --cluster create "${hosts[@]}" --cluster-replicas 0 --cluster-yes >/dev/null || return 1
        fi
        for _ in $(seq 1 600); do
            local ok=1
            for port in $TOPO_CLUSTER_PORTS; do
                redis-cli -p "$port" cluster info | grep -q 'cluster_state:ok' || ok=0
            done
            [ $ok = 1 ] && break
            sleep 0.05
        done
    fi
    _topo_log "redis cluster up on ${hosts[*]}"
    topo_cluster_url
}

topo_cluster_down() {
    for port in $TOPO_CLUSTER_PORTS; do _topo_shutdown "$port"; done
    for port in $TOPO_CLUSTER_PORTS; do rm -rf "${TOPO_DIR:?}/cluster-$port"; done
    _topo_log "redis cluster down"
}

topo_sentinel_url() {
    local hosts=()
    for port in $TOPO_SENTINEL_PORTS; do hosts+=("127.0.0.1:$port"); done
    echo "redis+sentinel://$(_topo_join "${hosts[@]}")/$TOPO_SENTINEL_NAME"
}

# Starts one data server of the Sentinel set-up unless it runs. With sentinels already running (a restart after
# a crash), it starts as a replica of the master they name, after waiting for them to fail a dead master over:
# an empty, non-persistent server must never come back as master (its replicas would copy the empty data set).
_topo_sentinel_data_server() { # port [initial redis-server args...]
    local port=$1 master=""
    shift
    _topo_ping "$port" && return 0
    local first
    first=$(echo "$TOPO_SENTINEL_PORTS" | awk '{print $1}')
    if _topo_ping "$first"; then
        for _ in $(seq 1 300); do
            master=$(topo_sentinel_master)
            [ "$master" != "127.0.0.1:$port" ] && break
            sleep 0.05
        done
        if [ -n "$master" ] && [ "$master" != "127.0.0.1:$port" ]; then
            _topo_server "$port" "$TOPO_DIR/sentinel-data-$port" --replicaof "${master%:*}" "${master#*:}"
            return
        fi
    fi
    _topo_server "$port" "$TOPO_DIR/sentinel-data-$port" "$@"
}

# Waits (up to 30 s: a busy 2-core CI machine is slow) until the master the sentinels name has a replica in
# sync and every sentinel knows the other two: WAIT 1 and the next failover both need that.
_topo_sentinel_wait_synced() {
    local master n ok
    for _ in $(seq 1 600); do
        master=$(topo_sentinel_master 2>/dev/null)
        ok=0
        if [ -n "$master" ] && redis-cli -p "${master#*:}" info replication 2>/dev/null | grep -q 'state=online'; then
            ok=1
            for port in $TOPO_SENTINEL_PORTS; do
                n=$(redis-cli -p "$port" sentinel master "$TOPO_SENTINEL_NAME" 2>/dev/null |
                    awk 'previous == "num-other-sentinels" { print; exit } { previous = $0 }')
                [ "${n:-0}" -ge 2 ] || ok=0
            done
        fi
        [ $ok = 1 ] && return 0
        sleep 0.05
    done
    _topo_log "sentinel set-up: no replica in sync after 30 s (master ${master:-unknown})"
    return 0
}

topo_sentinel_up() {
    # shellcheck disable=SC2086
    _topo_retire_orphans "$TOPO_SENTINEL_MASTER_PORT" "$TOPO_SENTINEL_REPLICA_PORT" $TOPO_SENTINEL_PORTS
    _topo_sentinel_data_server "$TOPO_SENTINEL_MASTER_PORT" || return 1
    _topo_sentinel_data_server "$TOPO_SENTINEL_REPLICA_PORT" --replicaof 127.0.0.1 "$TOPO_SENTINEL_MASTER_PORT" || return 1
    for port in $TOPO_SENTINEL_PORTS; do
        _topo_ping "$port" && continue
        local dir="$TOPO_DIR/sentinel-$port"
        mkdir -p "$dir"
        cat >"$dir/sentinel.conf" <<EOF
port $port
bind 127.0.0.1
protected-mode no
daemonize yes
pidfile $dir/sentinel.pid
logfile $dir/sentinel.log
dir $dir
sentinel resolve-hostnames no
sentinel monitor $TOPO_SENTINEL_NAME 127.0.0.1 $TOPO_SENTINEL_MASTER_PORT 2
sentinel down-after-milliseconds $TOPO_SENTINEL_NAME 1000
sentinel failover-timeout $TOPO_SENTINEL_NAME 3000
sentinel parallel-syncs $TOPO_SENTINEL_NAME 1
EOF
        redis-server "$dir/sentinel.conf" --sentinel
        _topo_wait_ping "$port" || return 1
    done
    # Wait until every sentinel knows the replica, so a failover has somewhere to go.
    for _ in $(seq 1 200); do
        local ok=1
        for port in $TOPO_SENTINEL_PORTS; do
            redis-cli -p "$port" sentinel replicas "$TOPO_SENTINEL_NAME" 2>/dev/null | grep -q . || ok=0
        done
        [ $ok = 1 ] && break
        sleep 0.05
    done
    _topo_sentinel_wait_synced
    _topo_log "sentinel set-up up: master/replica ports $TOPO_SENTINEL_MASTER_PORT/$TOPO_SENTINEL_REPLICA_PORT, sentinels $TOPO_SENTINEL_PORTS"
    topo_sentinel_url
}

# Prints host:port of the master as the first sentinel sees it.
topo_sentinel_master() {
    local first
    first=$(echo "$TOPO_SENTINEL_PORTS" | awk '{print $1}')
    redis-cli -p "$first" sentinel get-master-addr-by-name "$TOPO_SENTINEL_NAME" | paste -sd: -
}

# Forces a failover and waits (up to 20 s) until the sentinels name a different master that accepts writes and
# the old master has been turned into a replica (writes it took in between are lost: asynchronous replication).
topo_sentinel_failover() {
    local before first
    before=$(topo_sentinel_master)
    first=$(echo "$TOPO_SENTINEL_PORTS" | awk '{print $1}')
    # Refused (-INPROG, -NOGOODSLAVE) while a previous failover settles or the replica still syncs: retry.
    for _ in $(seq 1 150); do
        redis-cli -p "$first" sentinel failover "$TOPO_SENTINEL_NAME" 2>/dev/null | grep -q '^OK' && break
        sleep 0.1
    done
    for _ in $(seq 1 400); do
        local now
        now=$(topo_sentinel_master)
        if [ "$now" != "$before" ] && redis-cli -p "${now#*:}" role 2>/dev/null | head -1 | grep -q master; then
            # Demote the old master now, as the sentinels would on their next 10 s info refresh.
            redis-cli -p "${before#*:}" role 2>/dev/null | head -1 | grep -q master &&
                redis-cli -p "${before#*:}" replicaof "${now%:*}" "${now#*:}" >/dev/null
            _topo_log "sentinel failover: $before -> $now"
            _topo_sentinel_wait_synced
            echo "$now"
            return 0
        fi
        sleep 0.05
    done
    _topo_log "sentinel failover did not complete"
    return 1
}

# Kills the current master with SIGKILL (a crash, not a handover) and prints its host:port. Sentinels fail over
# after down-after-milliseconds; `topo_sentinel_up` restarts the killed server, which the sentinels then turn
# into a replica of the new master.
topo_sentinel_kill_master() {
    local master port
    master=$(topo_sentinel_master)
    port=${master#*:}
    local pid
    pid=$(redis-cli -p "$port" info server 2>/dev/null | awk -F: '/^process_id/ {print $2}' | tr -d '\r')
    [ -n "$pid" ] || { _topo_log "no master answers on $master"; return 1; }
    kill -9 "$pid"
    _topo_log "killed master $master"
    echo "$master"
}

topo_sentinel_down() {
    for port in $TOPO_SENTINEL_PORTS; do _topo_shutdown "$port"; done
    _topo_shutdown "$TOPO_SENTINEL_MASTER_PORT"
    _topo_shutdown "$TOPO_SENTINEL_REPLICA_PORT"
    for port in $TOPO_SENTINEL_PORTS; do rm -rf "${TOPO_DIR:?}/sentinel-$port"; done
    rm -rf "${TOPO_DIR:?}/sentinel-data-$TOPO_SENTINEL_MASTER_PORT" "${TOPO_DIR:?}/sentinel-data-$TOPO_SENTINEL_REPLICA_PORT"
    _topo_log "sentinel set-up down"
}

topo_cluster_ha_url() {
    local hosts=()
    for port in $TOPO_CLUSTER_HA_PORTS; do hosts+=("127.0.0.1:$port"); done
    echo "redis+cluster://$(_topo_join "${hosts[@]}")"
}

# The first port whose node has slots (part of a formed cluster), or nothing.
_topo_ha_formed_port() {
    local port
    for port in $TOPO_CLUSTER_HA_PORTS; do
        redis-cli -p "$port" cluster info 2>/dev/null | grep -Eq '^cluster_slots_assigned:[1-9]' && {
            echo "$port"
            return 0
        }
    done
}

# `CLUSTER NODES` as the first node of the formed HA cluster sees it.
_topo_ha_nodes() {
    local port
    port=$(_topo_ha_formed_port)
    [ -n "$port" ] && redis-cli -p "$port" cluster nodes 2>/dev/null
}

# A node that crashed keeps its nodes.conf but (no persistence) none of its data. Restarted while the others
# still name it the master of its slots, it would take them back empty and its replica would copy the empty
# data set; so when every other node runs, wait (up to 30 s) until its replica has been promoted.
_topo_ha_wait_replaced() { # port
    local port=$1 id other
    id=$(awk '/myself/ { print $1; exit }' "$TOPO_CLUSTER_HA_DIR/$port/nodes.conf" 2>/dev/null)
    [ -n "$id" ] || return 0
    for other in $TOPO_CLUSTER_HA_PORTS; do
        [ "$other" = "$port" ] || _topo_ping "$other" || return 0 # a cold start: nothing to wait for
    done
    local end=$((SECONDS + 30))
    while [ $SECONDS -lt $end ]; do
        _topo_ha_nodes | awk -v id="$id" '$1 == id && $3 ~ /master/ && NF > 8 { found = 1 } END { exit found }' &&
            return 0
        sleep 0.1
    done
    _topo_log "node $port still owns slots after 30 s (no replica promoted); not restarting it empty"
    return 1
}

# True when every node says cluster_state:ok and sees 3 masters with slots and 3 replicas, none failing, and
# every master reports an online replica (WAIT 1 and the next failover both need that).
_topo_ha_ready() {
    local port masters
    for port in $TOPO_CLUSTER_HA_PORTS; do
        redis-cli -p "$port" cluster info 2>/dev/null | grep -q 'cluster_state:ok' || return 1
        redis-cli -p "$port" cluster nodes 2>/dev/null | awk '
            $3 ~ /fail|handshake|noaddr/ || $8 != "connected" { bad = 1 }
            $3 ~ /master/ && NF > 8 { m++ }
            $3 ~ /slave/ { r++ }
            END { exit !(bad == 0 && m == 3 && r == 3) }' || return 1
    done
    masters=$(_topo_ha_nodes | awk '$3 ~ /master/ && NF > 8 { sub(/@.*/, "", $2); sub(/.*:/, "", $2); print $2 }')
    for port in $masters; do
        redis-cli -p "$port" info replication 2>/dev/null | grep -q '^slave0:.*state=online' || return 1
    done
}

# Starts the missing nodes (a killed one after its replica took over), creates the cluster if no node has
# slots, and waits until it is ready. A cluster that is not ready after 45 s (e.g. a node restarted blank, without
# its nodes.conf, by an older copy of this script from another checkout: it hides the failed id, which is then
# never failed over) is recreated from scratch: its data is test data.
topo_cluster_ha_up() {
    local hosts=() port
    for port in $TOPO_CLUSTER_HA_PORTS; do hosts+=("127.0.0.1:$port"); done
    # shellcheck disable=SC2086
    _topo_retire_orphans $TOPO_CLUSTER_HA_PORTS
    _topo_ha_start || return 1
    _topo_ha_wait_ready 45 || {
        _topo_log "redis HA cluster not ready after 45 s: recreating it"
        topo_cluster_ha_down
        _topo_ha_start || return 1
        _topo_ha_wait_ready 60 || { _topo_log "redis HA cluster not ready after 60 s"; return 1; }
    }
    _topo_log "redis HA cluster up on ${hosts[*]}; masters $(_topo_ha_nodes | awk '$3 ~ /master/ && NF > 8 { sub(/@.*/, "", $2); printf "%s ", $2 }')"
    topo_cluster_ha_url
}

_topo_ha_start() {
    local hosts=() port
    for port in $TOPO_CLUSTER_HA_PORTS; do
        if ! _topo_ping "$port"; then
            _topo_ha_wait_replaced "$port" || return 1
            _topo_server "$port" "$TOPO_CLUSTER_HA_DIR/$port" --cluster-enabled yes \
                --cluster-port "$((port - 10000))" --cluster-config-file "$TOPO_CLUSTER_HA_DIR/$port/nodes.conf" \
                --cluster-node-timeout 1000 --cluster-replica-validity-factor 0 \
                --cluster-require-full-coverage no --cluster-announce-ip 127.0.0.1 --repl-diskless-sync yes \
                --repl-diskless-sync-delay 0 || return 1
        fi
        hosts+=("127.0.0.1:$port")
    done
    if [ -z "$(_topo_ha_formed_port)" ]; then
        _topo_log "creating cluster (3 masters, 3 replicas) on ${hosts[*]}"
        redis-cli --cluster create "${hosts[@]}" --cluster-replicas 1 --cluster-yes >/dev/null 2>&1 || return 1
    fi
}

_topo_ha_wait_ready() { # seconds
    local end=$((SECONDS + $1))
    until _topo_ha_ready; do
        [ $SECONDS -lt $end ] || return 1
        sleep 0.1
    done
}

# Prints host:port of the master owning SLOT (default 0) as the first running node sees it.
topo_cluster_ha_master() { # [slot]
    _topo_ha_nodes | awk -v slot="${1:-0}" '
        $3 ~ /master/ && $3 !~ /fail/ {
            for (i = 9; i <= NF; i++) {
                if ($i ~ /^\[/) continue
                n = split($i, r, "-")
                if (slot + 0 >= r[1] + 0 && slot + 0 <= r[n] + 0) { sub(/@.*/, "", $2); print $2; exit }
            }
        }'
}

# Kills the master owning SLOT (default 0) with SIGKILL (a crash, not a handover), waits until it is gone and
# prints its host:port. Its replica takes over after the node timeout (1 s) and an election; `topo_cluster_ha_up`
# restarts the killed node, which rejoins as a replica of the promoted one.
topo_cluster_ha_kill_master() { # [slot]
    local master port pid
    master=$(topo_cluster_ha_master "${1:-0}")
    port=${master#*:}
    [ -n "$master" ] && pid=$(redis-cli -p "$port" info server 2>/dev/null | awk -F: '/^process_id/ {print $2}' | tr -d '\r')
    [ -n "$pid" ] || { _topo_log "no master answers for slot ${1:-0} (${master:-none})"; return 1; }
    kill -9 "$pid"
    # Until the port refuses (the sockets close at death; a zombie would pass `kill -0` until reaped).
    for _ in $(seq 1 500); do _topo_ping "$port" || break; sleep 0.01; done
    _topo_log "killed master $master (slot ${1:-0})"
    echo "$master"
}

topo_cluster_ha_down() {
    for port in $TOPO_CLUSTER_HA_PORTS; do _topo_shutdown "$port"; done
    for port in $TOPO_CLUSTER_HA_PORTS; do rm -rf "${TOPO_CLUSTER_HA_DIR:?}/$port"; done
    _topo_log "redis HA cluster down"
}

# Allows `bash scripts/lib/redis-topologies.sh topo_cluster_up` for quick manual use.
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then "$@"; fi
