#!/usr/bin/env bash
# Time to WIDGET_READY on the account page, and the token server function's latency with a
# warm cache: release demo build (the sandbox on loopback), Debian's chromium.
#
#   bench/widgets.sh                 # 20 page loads, 1000 token calls
#   LOADS=50 CALLS=5000 bench/widgets.sh
#   BUILD=debug bench/widgets.sh     # the debug demo build, no release compile
#
# Goal: WIDGET_READY under 400 ms, the token call under 2 ms.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-release}
PORT=3910
if [ "$BUILD" = release ]; then cargo xtask build --release --demo; else cargo xtask build --demo; fi

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
DATABASE_URL="sqlite://$work/bench.db?mode=rwc" RUST_LOG=warn \
    LEPTOS_SITE_ADDR=127.0.0.1:$PORT PUBLIC_URL=http://localhost:$PORT \
    SANDBOX_ADDR=127.0.0.1:3911 SANDBOX_FLOW_ADDR=127.0.0.1:3912 \
    "target/$BUILD/flowhost" >"$work/flowhost.log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
echo "== $BUILD build, $(nproc) cores"
node bench/widgets.cjs "http://localhost:$PORT"
