#!/usr/bin/env bash
# Measures the account page (signed in, release demo build, demo data on SQLite) next to a bare
# axum + sqlx handler running the same query, with wrk on loopback, in one run.
#
#   bench/record_page.sh            # 64 connections, 20 s each
#   CONNECTIONS=16 DURATION=10s bench/record_page.sh
#
# Goal: the page at least half the baseline's requests/s, p99 under 25 ms at 64 connections.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-20s}
THREADS=${THREADS:-2}
PAGE_PORT=3900
BASE_PORT=3901

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

echo "== building release binaries (demo: signing in goes through the sandbox)"
cargo xtask build --release --demo
cargo build --release -q -p bench-baseline

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
export DATABASE_URL="sqlite://$work/bench.db?mode=rwc"

wait_for() {
    for _ in $(seq 1 200); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "no answer from $1" >&2; exit 1
}

echo "== starting Flowhost and the baseline on one database"
RUST_LOG=warn LEPTOS_SITE_ADDR=127.0.0.1:$PAGE_PORT PUBLIC_URL=http://localhost:$PAGE_PORT \
    target/release/flowhost >"$work/flowhost.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$PAGE_PORT/readyz"
cookie=$(bench/sign_in.sh "http://localhost:$PAGE_PORT" alex@contoso.example)
target/release/flowhost-bench-baseline 127.0.0.1:$BASE_PORT >"$work/baseline.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$BASE_PORT/accounts/1"

# Account 1 is Contoso's first demo account; the page must really render it, signed in.
curl -fs -H "Cookie: $cookie" "http://127.0.0.1:$PAGE_PORT/accounts/1" | grep -q 'data-testid="tickets"' \
    || { echo "the signed-in account page did not render" >&2; exit 1; }

measure() { # name url [header]
    local out
    curl -fs ${3:+-H "$3"} "$2" >/dev/null   # warm up the path once
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency ${3:+-H "$3"} "$2")
    local rps p99
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    grep -qE "Non-2xx|Socket errors" <<<"$out" && { echo "$out" >&2; echo "$1: errors during the run" >&2; exit 1; }
    printf '%-22s %10s req/s   p99 %s\n' "$1" "$rps" "$p99" >&2
    echo "$rps"
}

echo "== wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per target"
base=$(measure "bare axum + sqlx" "http://127.0.0.1:$BASE_PORT/accounts/1")
page=$(measure "Flowhost account page" "http://127.0.0.1:$PAGE_PORT/accounts/1" "Cookie: $cookie")
awk -v p="$page" -v b="$base" 'BEGIN { printf "ratio (page / baseline): %.2f\n", p / b }'
