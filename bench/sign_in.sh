#!/usr/bin/env bash
# Signs a demo user in the way a browser does (Flowhost → the sandbox's account picker → the
# callback) and prints the session cookie, `flowhost_session=…`. Needs a demo build
# (`cargo xtask build --demo`): only it has the sandbox.
#
#   bench/sign_in.sh http://localhost:3900 alex@contoso.example
set -euo pipefail
base=$1 upn=$2
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
authorize=$(curl -fs -o /dev/null -c "$jar" -b "$jar" -w '%{redirect_url}' "$base/auth/login?return_to=/accounts")
[ -n "$authorize" ] || { echo "sign_in.sh: $base/auth/login did not redirect" >&2; exit 1; }
# The picker posts the authorization request's parameters back, with the chosen account.
callback=$(curl -fs -o /dev/null -w '%{redirect_url}' -X POST \
    --data "${authorize#*\?}" --data-urlencode "upn=$upn" "${authorize%%\?*}")
[ -n "$callback" ] || { echo "sign_in.sh: the account picker did not redirect" >&2; exit 1; }
curl -fs -o /dev/null -c "$jar" -b "$jar" "$callback"
awk '$6 == "flowhost_session" { print $6 "=" $7 }' "$jar"
