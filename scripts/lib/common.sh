# Shared helpers for scripts/: paths, ports and package installation.
# Sourced, never run. Every value can be overridden from the environment.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VAR_DIR="${WOODSTOCK_VAR_DIR:-$ROOT/var}"
REDIS_PORT="${WOODSTOCK_REDIS_PORT:-56379}"
PG_PORT="${WOODSTOCK_PG_PORT:-55432}"
PG_BIN="${WOODSTOCK_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_REPLICA_PORT="${WOODSTOCK_PG_REPLICA_PORT:-55433}" # `scripts/services replica up`: a streaming standby
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT/0}"
export DATABASE_URL="${DATABASE_URL:-postgres://woodstock@127.0.0.1:$PG_PORT/woodstock}"
DATABASE_REPLICA_URL_DEFAULT="postgres://woodstock@127.0.0.1:$PG_REPLICA_PORT/woodstock"

log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }

# Installs the Debian packages the build, the services and the tests need, once.
ensure_packages() {
    local wanted=(libhiredis-dev libpq-dev libcurl4-openssl-dev libssl-dev pkg-config redis-server redis-tools
        postgresql-15 wrk python3-aiosmtpd chromium nodejs openssl)
    local missing=()
    for p in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing Debian packages: ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}
