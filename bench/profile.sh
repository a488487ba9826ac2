#!/usr/bin/env bash
# Where a signed-in page's time goes, on the release binary (built with line tables, see
# [profile.release] in Cargo.toml) under wrk: the context switches each request costs (every
# SQLite query is handed to a worker thread and back), then perf's samples by function.
#
#   bench/profile.sh                 # the account page, 64 connections, 15 s of samples
#   TARGET=/accounts bench/profile.sh
#   PERF_DATA=/tmp/page.perf bench/profile.sh   # keeps the samples for `perf report -i`
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
url="http://127.0.0.1:$PORT$TARGET"
curl -fs -H "Cookie: $cookie" "$url" >/dev/null

switches() { cat /proc/"$flowhost"/task/*/status | awk '/ctxt_switches/ { s += $2 } END { print s }'; }
before=$(switches)
out=$(wrk -t2 -c"$CONNECTIONS" -d10s -H "Cookie: $cookie" "$url")
after=$(switches)
requests=$(awk '/requests in/ { print $1 }' <<<"$out")
echo "$TARGET: $(awk '/^Requests\/sec:/ { print $2 }' <<<"$out") req/s;" \
    "$(( (after - before) / requests )) context switches per request;" \
    "$(ls /proc/"$flowhost"/task | wc -l) threads"

wrk -t2 -c"$CONNECTIONS" -d"$((SECONDS_SAMPLED + 2))s" -H "Cookie: $cookie" "$url" >/dev/null &
pids+=($!)
sleep 1
data=${PERF_DATA:-$work/perf.data}
perf record -q -F 199 -g --call-graph dwarf,8192 -p "$flowhost" -o "$data" -- sleep "$SECONDS_SAMPLED" \
    2>/dev/null
echo
echo "== samples by function (self; [k] is the kernel)"
perf report -i "$data" --no-children --stdio --sort symbol --percent-limit 0.8 -g none 2>/dev/null \
    | grep -v '^#' | grep -v '^$' | sed -E 's/[[:space:]-]+$//' | head -45
