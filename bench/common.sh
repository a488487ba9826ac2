# Shared by the benchmarks: waiting for a server, a fresh PostgreSQL database, one wrk
# measurement as a table row, and the table. Sourced; uses PG_DATABASE, THREADS, CONNECTIONS
# and DURATION, and fills the array `rows`.

wait_for() {
    for _ in $(seq 1 300); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "no answer from $1" >&2; exit 1
}

# The machine's PostgreSQL, with a fresh database for this run (owned by the role .ci/run uses).
postgres_database() {
    command -v pg_ctlcluster >/dev/null || { echo "PostgreSQL 15 is not installed" >&2; exit 1; }
    pg_ctlcluster 15 main status >/dev/null 2>&1 || pg_ctlcluster 15 main start
    local admin=(runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres)
    "${admin[@]}" -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'flowhost') \
        THEN CREATE ROLE flowhost LOGIN PASSWORD 'flowhost'; END IF; END \$\$;"
    "${admin[@]}" -c "DROP DATABASE IF EXISTS $PG_DATABASE" -c "CREATE DATABASE $PG_DATABASE OWNER flowhost"
}

measure() { # database target url [header]; adds a row to the table
    local out rps p50 p99
    curl -fs ${4:+-H "$4"} "$3" >/dev/null   # warm up the path once
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency ${4:+-H "$4"} "$3")
    if grep -qE "Non-2xx|Socket errors" <<<"$out"; then
        echo "$out" >&2; echo "$1 $2: errors during the run" >&2; exit 1
    fi
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    echo "   $1 $2: $rps req/s, p50 $p50, p99 $p99" >&2
    rows+=("$1|$2|$rps|$p50|$p99")
}

print_rows() { # the rows as a table, each with its ratio to the baseline row above it
    echo "| database | target | req/s | p50 | p99 | ratio to baseline |"
    echo "| --- | --- | ---: | ---: | ---: | ---: |"
    local base=0 row db target rps p50 p99 ratio
    for row in "${rows[@]}"; do
        IFS='|' read -r db target rps p50 p99 <<<"$row"
        if [ "$target" = "bare axum + sqlx" ]; then base=$rps; fi
        ratio=$(awk -v r="$rps" -v b="$base" 'BEGIN { printf "%.2f", r / b }')
        printf '| %s | %s | %s | %s | %s | %s |\n' "$db" "$target" "$rps" "$p50" "$p99" "$ratio"
    done
}
