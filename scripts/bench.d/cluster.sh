#!/usr/bin/env bash
# scripts/bench cluster: the job engine on the local 3-master Redis Cluster against one PRIVATE redis-server,
# in the same run and with the same client: drain of CLUSTER_BENCH_JOBS no-op jobs over 6 queues whose slots
# spread over the masters (2 in-process workers). Then, on the local Sentinel set-up (1 master, 1 replica,
# 3 sentinels; down-after-milliseconds 1000, failover-timeout 3000): kill -9 the master while jobs are
# enqueued every 10 ms and measure the time to the first job enqueued after the kill that ran (goal < 5 s).
# The same on the local HA cluster (3 masters + 3 replicas, cluster-node-timeout 1000): kill -9 the master owning
# the bench queue's slot; the client must find the promoted replica from CLUSTER SLOTS.
# Topologies come from scripts/lib/redis-topologies.sh (left running; `topo_cluster_down` / `topo_sentinel_down` /
# `topo_cluster_ha_down`; killed nodes are restarted as replicas at the end).
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/scripts/lib/redis-topologies.sh"
BIN="${BENCH_BIN:-$ROOT/.build-release/release}"
JOBS="${CLUSTER_BENCH_JOBS:-60000}"
PORT="${CLUSTER_BENCH_REDIS_PORT:-56392}"
WORK="$(mktemp -d)"
REDIS_PID=""
cleanup() {
    [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

redis-server --port "$PORT" --bind 127.0.0.1 --dir "$WORK" --save "" --appendonly no --daemonize no \
    --loglevel warning >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 1 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
cluster_url=$(topo_cluster_up)
sentinel_url=$(topo_sentinel_up)

get() { echo "$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }
row() { printf '%-60s %12s\n' "$@"; }

single=$("$BIN/woodstock-bench" cluster --url "redis://127.0.0.1:$PORT/0" --jobs "$JOBS")
cluster=$("$BIN/woodstock-bench" cluster --url "$cluster_url" --jobs "$JOBS")
s=$(get "$single" drain_jobs_per_s)
c=$(get "$cluster" drain_jobs_per_s)
row "drain $JOBS no-op jobs, 6 queues, single node (jobs/s)" "$s"
row "drain $JOBS no-op jobs, 6 queues, 3-master cluster (jobs/s)" "$c"
row "cluster / single" "$(awk -v a="$c" -v b="$s" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"

failover=$("$BIN/woodstock-bench" cluster --url "$sentinel_url" --jobs 2000 --queues 1 \
    --kill-command "bash '$ROOT/scripts/lib/redis-topologies.sh' topo_sentinel_kill_master")
row "sentinel: master kill -9 -> first new job run (ms, goal < 5000)" "$(get "$failover" failover_to_first_job_ms)"
topo_sentinel_up >/dev/null # restarts the killed server; the sentinels make it a replica of the new master

# The tests' RedisTopologies.withClusterHA lock (one killer at a time); no child may inherit it (`9>&-`):
# a redis-server started while it is held would hold it for its whole life.
exec 9>/tmp/woodstock-redis-cluster-ha.lock
flock 9
ha_url=$(topo_cluster_ha_up 9>&-)
failover=$("$BIN/woodstock-bench" cluster --url "$ha_url" --jobs 2000 --queues 1 \
    --kill-command "bash '$ROOT/scripts/lib/redis-topologies.sh' topo_cluster_ha_kill_master {slot}" 9>&-)
row "cluster (3+3 replicas): master kill -9 -> first new job run (ms)" "$(get "$failover" failover_to_first_job_ms)"
topo_cluster_ha_up >/dev/null 9>&- # restarts the killed node; it rejoins as a replica of the promoted one
exec 9>&-
echo "(machine: $(nproc) cores shared by every process here: the cluster's 3 redis-servers, the bench, and others' load)"
