#!/usr/bin/env bash
# Where a signed-in account page's time goes: perf samples the release binary (built with line
# tables, see [profile.release] in Cargo.toml) while wrk loads the page, then prints the
# functions with the most samples of their own and the call paths that hold most time.
#
#   bench/profile.sh                 # 64 connections, 15 s of samples
#   TARGET=/accounts bench/profile.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${CONNECTIONS:-64}
SECONDS_SAMPLED=${SECONDS_SAMPLED:-15}
TARGET=${TARGET:-/accounts/1}
PORT=3900

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v perf >/dev/null || { apt-get update -qq && apt-get install -y -qq linux-perf; }

cargo xtask build --release --demo

work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/bench.db?mode=rwc"

RUST_LOG=warn LEPTOS_SITE_ADDR=127.0.0.1:$PORT PUBLIC_URL=http://localhost:$PORT \
    target/release/flowhost >"$work/flowhost.log" 2>&1 &
flowhost=$!
pids+=($flowhost)
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
cookie=$(bench/sign_in.sh "http://localhost:$PORT" alex@contoso.example)
curl -fs -H "Cookie: $cookie" "http://127.0.0.1:$PORT$TARGET" >/dev/null

wrk -t2 -c"$CONNECTIONS" -d"$((SECONDS_SAMPLED + 2))s" -H "Cookie: $cookie" "http://127.0.0.1:$PORT$TARGET" \
    >"$work/wrk.txt" &
pids+=($!)
sleep 1
perf record -q -F 499 -g --call-graph dwarf,16384 -p "$flowhost" -o "$work/perf.data" -- sleep "$SECONDS_SAMPLED" \
    2>/dev/null
wait "${pids[1]}" || true
grep -E "Requests/sec|Latency" "$work/wrk.txt"

echo
echo "== samples by function (self)"
perf report -i "$work/perf.data" --no-children --stdio --sort symbol --percent-limit 0.8 -g none 2>/dev/null \
    | grep -v '^#' | grep -v '^$' | head -45
echo
echo "== time under Flowhost's own functions and its main libraries (inclusive)"
perf report -i "$work/perf.data" --children --stdio --sort symbol --percent-limit 2 -g none 2>/dev/null \
    | grep -v '^#' | grep -E 'app::|server::|domain::|i18n::|sqlx|tower_sessions|leptos|serde_json|fluent|tokio::runtime::task' \
    | head -45
