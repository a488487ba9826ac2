#!/usr/bin/env bash
# Measures the REST API (release demo build, demo data): GET /api/v1/tickets/{id} with a bearer
# token under wrk, next to a bare axum + sqlx handler serving the same ticket as the same JSON,
# on SQLite and on PostgreSQL (the machine's PostgreSQL 15 cluster, started if it is not
# running); then the time from a committed ticket change to its webhook callback.
#
#   bench/api.sh                          # 64 connections, 20 s per target
#   CONNECTIONS=16 DURATION=10s DATABASES=sqlite bench/api.sh
#
# Goals: p99 under 10 ms at 64 connections, no errors; the callback's median under 200 ms after
# the change is committed.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-20s}
THREADS=${THREADS:-2}
DATABASES=${DATABASES:-"sqlite postgres"}
PORT=3900
SANDBOX_PORT=3910
BASE_PORT=3901
PG_DATABASE=flowhost_bench
PG_URL="postgres://flowhost:flowhost@127.0.0.1:5432/$PG_DATABASE"

source bench/common.sh

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

echo "== building release binaries (demo: tokens come from the sandbox)"
cargo xtask build --release --demo
cargo build --release -q -p bench-baseline

work=$(mktemp -d)
pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; pids=(); sleep 0.5; }
trap 'stop_all; rm -rf "$work"' EXIT

rows=()
latencies=()

run_on() { # database
    local db=$1 url
    case "$db" in
        sqlite) url="sqlite://$work/bench.db?mode=rwc" ;;
        postgres) postgres_database; url=$PG_URL ;;
        *) echo "unknown database $db (sqlite or postgres)" >&2; exit 1 ;;
    esac
    echo "== $db: starting Flowhost"
    # The per-user limit is raised: wrk calls with one user's token.
    DATABASE_URL=$url RUST_LOG=warn LEPTOS_SITE_ADDR=127.0.0.1:$PORT \
        PUBLIC_URL=http://localhost:$PORT SANDBOX_ADDR=127.0.0.1:$SANDBOX_PORT \
        API_REQUESTS_PER_MINUTE=1000000 target/release/flowhost >"$work/flowhost-$db.log" 2>&1 &
    pids+=($!)
    wait_for "http://127.0.0.1:$PORT/readyz"
    DATABASE_URL=$url target/release/flowhost-bench-baseline 127.0.0.1:$BASE_PORT >"$work/baseline-$db.log" 2>&1 &
    pids+=($!)
    wait_for "http://127.0.0.1:$BASE_PORT/tickets/1"

    local token
    token=$(python3 tools/api_token.py "http://127.0.0.1:$SANDBOX_PORT" "http://localhost:$PORT" alex@contoso.example)
    # Ticket 1 is Contoso's first demo ticket; the API must really answer it, with this token.
    curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/tickets/1" | grep -q '"id":1' ||
        { echo "the API did not answer ticket 1" >&2; exit 1; }
    echo "== $db: wrk, $THREADS threads, $CONNECTIONS connections, $DURATION per target"
    measure "$db" "bare axum + sqlx" "http://127.0.0.1:$BASE_PORT/tickets/1"
    measure "$db" "GET /api/v1/tickets/1" "http://127.0.0.1:$PORT/api/v1/tickets/1" "Authorization: Bearer $token"
    echo "== $db: committed change to webhook callback"
    latencies+=("$db|$(python3 bench/hook_latency.py "http://127.0.0.1:$PORT" "$token" 2)")
    stop_all
}

for db in $DATABASES; do run_on "$db"; done

echo
echo "REST API, $(date -u +%Y-%m-%d), $(nproc) cores, wrk $THREADS threads, $CONNECTIONS connections, $DURATION each"
echo
print_rows
echo
for row in "${latencies[@]}"; do
    IFS='|' read -r db line <<<"$row"
    printf 'webhook on %s: %s\n' "$db" "$line"
done
