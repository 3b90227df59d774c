#!/usr/bin/env bash
# scripts/bench vault: rotate-keys re-encryption rate (tokens/s) over VAULT_BENCH_TOKENS stored tokens, beside
# raw AES-256-GCM seal+open per second measured in the same run (the ceiling). Uses the local PostgreSQL that
# scripts/services starts, in a private schema dropped afterwards. Goal: >= 20,000 tokens/s.
source "$(dirname "$0")/../lib/common.sh"
BIN="${BENCH_BIN:-$ROOT/.build-release/release}"
TOKENS="${VAULT_BENCH_TOKENS:-100000}"
BATCH="${VAULT_BENCH_BATCH:-2000}"
OUT="$("$BIN/woodstock-bench" vault --database-url "$DATABASE_URL" --tokens "$TOKENS" --batch "$BATCH")"
echo "$OUT" | sed 's/^/  /'
ceiling=$(echo "$OUT" | sed -n 's/^aesgcm_seal_open_per_s=//p')
rate=$(echo "$OUT" | sed -n 's/^rotate_tokens_per_s=//p')
if [ -n "$ceiling" ] && [ -n "$rate" ]; then
    awk -v r="$rate" -v c="$ceiling" 'BEGIN {
        printf "vault: rotate-keys %d tokens/s end to end; AES-GCM seal+open %d/s on one thread (%.1f%% of ceiling); goal 20000 tokens/s: %s\n",
            r, c, 100 * r / c, (r >= 20000 ? "met" : "NOT met") }'
fi
