#!/usr/bin/env bash
# scripts/bench redis: GET/SET through our hiredis wrapper beside redis-benchmark, same server, same run.
#
# Ceiling: `redis-benchmark -c 1 -P 1` and `-P 16` (SET and GET, averaged). Ours (woodstock-bench redis):
# awaited single commands on one connection (each a thread hop + round trip), a 16-deep pipeline, and the
# same loop inside one `withConnection` hop (hiredis alone). Prints each beside the ceiling as a ratio.
source "$(dirname "$0")/../lib/common.sh"
BIN="${BENCH_BIN:-$ROOT/.build-release/release}"
N="${REDIS_BENCH_REQUESTS:-100000}"
command -v redis-benchmark >/dev/null || { echo "redis-benchmark missing: apt-get install redis-tools" >&2; exit 1; }

# Mean of the SET and GET rates that redis-benchmark prints ("SET: 51234.56 requests per second, p50=...").
ceiling() {
    redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c 1 -P "$1" -t set,get -n "$N" -q 2>/dev/null | tr '\r' '\n' |
        awk -F'[: ]+' '/requests per second/ { for (i = 1; i <= NF; i++) if ($i == "requests") { s += $(i-1); n++ } }
            END { if (n) printf "%d", s / n; else print 0 }'
}
p1=$(ceiling 1)
p16=$(ceiling 16)
out=$("$BIN/woodstock-bench" redis --url "redis://127.0.0.1:$REDIS_PORT/0" --requests "$N" --pipeline 16)
get() { echo "$out" | awk -F= -v k="$1" '$1 == k { print $2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "n/a" }'; }
printf '%-44s %12s %12s %8s\n' "redis (SET/GET, 1 connection, ops/s)" "ours" "ceiling" "ratio"
printf '%-44s %12s %12s %8s\n' "awaited single commands vs redis-benchmark -P 1" "$(get wrapper_p1_ops)" "$p1" \
    "$(ratio "$(get wrapper_p1_ops)" "$p1")"
printf '%-44s %12s %12s %8s\n' "16-deep pipeline vs redis-benchmark -P 16" "$(get wrapper_p16_ops)" "$p16" \
    "$(ratio "$(get wrapper_p16_ops)" "$p16")"
printf '%-44s %12s %12s %8s\n' "one-hop loop (withConnection) vs -P 1" "$(get wrapper_onehop_ops)" "$p1" \
    "$(ratio "$(get wrapper_onehop_ops)" "$p1")"
printf '%-44s %12s %12s %8s\n' "awaited single commands vs one-hop loop" "$(get wrapper_p1_ops)" "$(get wrapper_onehop_ops)" \
    "$(ratio "$(get wrapper_p1_ops)" "$(get wrapper_onehop_ops)")"
echo "(the last row isolates the cost of the thread hop per awaited command: both loops run in the same process)"
