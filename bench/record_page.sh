#!/usr/bin/env bash
# Measures Flowhost's record pages (signed in, release demo build, demo data) next to a bare
# axum + sqlx handler running the same record queries, with wrk on loopback, in one run: on
# SQLite and on PostgreSQL (the machine's PostgreSQL 15 cluster, started if it is not running).
# Prints one table: requests/s, p50, p99 and the ratio to the baseline on the same database;
# then Flowhost's resident memory (idle, and at its peak under load) and the gzipped size of the
# release wasm a record page loads.
#
#   bench/record_page.sh                     # 64 connections, 20 s per target
#   CONNECTIONS=16 DURATION=10s bench/record_page.sh
#   DATABASES=sqlite bench/record_page.sh    # one database only
#   BEFORE=/tmp/flowhost-old bench/record_page.sh
#                                            # also measures another release build of
#                                            # Flowhost (same schema) right after this one,
#                                            # on the same database: "(before)" rows
#
# Goals: each record page at least half the baseline's requests/s with p99 under 25 ms at 64
# connections and no errors; under 80 MB resident when idle; at most 180 KB of gzipped wasm.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-20s}
THREADS=${THREADS:-2}
DATABASES=${DATABASES:-"sqlite postgres"}
BEFORE=${BEFORE:-}
PAGE_PORT=3900
BASE_PORT=3901
PG_DATABASE=flowhost_bench
PG_URL="postgres://flowhost:flowhost@127.0.0.1:5432/$PG_DATABASE"

source bench/common.sh

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

echo "== building release binaries (demo: signing in goes through the sandbox)"
cargo xtask build --release --demo
cargo build --release -q -p bench-baseline

work=$(mktemp -d)
pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; pids=(); sleep 0.5; }
trap 'stop_all; rm -rf "$work"' EXIT

kib() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
peak() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

rows=()
memory=()

run_on() { # database
    local db=$1 url
    case "$db" in
        sqlite) url="sqlite://$work/bench.db?mode=rwc" ;;
        postgres) postgres_database; url=$PG_URL ;;
        *) echo "unknown database $db (sqlite or postgres)" >&2; exit 1 ;;
    esac
    # Flowhost's first start makes the tables and the demo data that the baseline reads.
    pages_of "$db" "$url" target/release/flowhost "" measure_baseline
    [ -z "$BEFORE" ] || pages_of "$db" "$url" "$BEFORE" " (before)" true
    stop_all
}

measure_baseline() {
    echo "== $db: starting the baseline"
    DATABASE_URL=$url target/release/flowhost-bench-baseline 127.0.0.1:$BASE_PORT >"$work/baseline-$db.log" 2>&1 &
    pids+=($!)
    wait_for "http://127.0.0.1:$BASE_PORT/accounts/1"
    echo "== $db: wrk, $THREADS threads, $CONNECTIONS connections, $DURATION per target"
    measure "$db" "bare axum + sqlx" "http://127.0.0.1:$BASE_PORT/accounts/1"
}

pages_of() { # database url binary label-suffix first-command
    local db=$1 url=$2 bin=$3 suffix=$4
    echo "== $db: starting $bin"
    DATABASE_URL=$url RUST_LOG=warn LEPTOS_SITE_ADDR=127.0.0.1:$PAGE_PORT \
        PUBLIC_URL=http://localhost:$PAGE_PORT "$bin" >"$work/flowhost-$db$suffix.log" 2>&1 &
    local flowhost=$!
    pids+=($flowhost)
    wait_for "http://127.0.0.1:$PAGE_PORT/readyz"
    local cookie
    cookie=$(bench/sign_in.sh "http://localhost:$PAGE_PORT" alex@contoso.example)
    $5

    # Account 1 is Contoso's first demo account; the pages must really render it, signed in.
    local page ticket
    page=$(curl -fs -H "Cookie: $cookie" "http://127.0.0.1:$PAGE_PORT/accounts/1")
    grep -q 'data-testid="tickets"' <<<"$page" || { echo "the signed-in account page did not render" >&2; exit 1; }
    ticket=$(grep -o 'href="/accounts/1/tickets/[0-9]*"' <<<"$page" | head -1 | tr -d '"' | sed 's/^href=//')
    [ -n "$ticket" ] || { echo "the account page lists no ticket" >&2; exit 1; }
    local idle
    idle=$(rss "$flowhost")

    measure "$db" "account page$suffix" "http://127.0.0.1:$PAGE_PORT/accounts/1" "Cookie: $cookie"
    measure "$db" "ticket page$suffix" "http://127.0.0.1:$PAGE_PORT$ticket" "Cookie: $cookie"
    measure "$db" "/accounts$suffix" "http://127.0.0.1:$PAGE_PORT/accounts" "Cookie: $cookie"
    [ -n "$suffix" ] || memory+=("$db|$(kib "$idle")|$(kib "$(peak "$flowhost")")")
    kill "$flowhost"
    wait "$flowhost" 2>/dev/null || true
}

for db in $DATABASES; do run_on "$db"; done

wasm=$(ls target/site/pkg/*.wasm | head -1)
wasm_raw=$(stat -c %s "$wasm")
wasm_gz=$(gzip -9 -c "$wasm" | wc -c)

echo
echo "Record pages, $(date -u +%Y-%m-%d), $(nproc) cores, wrk $THREADS threads, $CONNECTIONS connections, $DURATION each"
echo
print_rows
echo
echo "| database | resident memory, idle | resident memory, peak under load |"
echo "| --- | ---: | ---: |"
for row in "${memory[@]}"; do
    IFS='|' read -r db idle peak_kb <<<"$row"
    printf '| %s | %s | %s |\n' "$db" "$idle" "$peak_kb"
done
echo
printf 'release wasm (%s): %s bytes, %s bytes gzipped (-9)\n' "$(basename "$wasm")" "$wasm_raw" "$wasm_gz"
