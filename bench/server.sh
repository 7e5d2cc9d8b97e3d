#!/usr/bin/env bash
# Load benchmark of the reference backend with wrk: batch reads of posts, and order placement
# (each order with a unique Idempotency-Key and its own payment token).
#   bench/server.sh                                   # SQLite in a temp dir
#   scripts/with-postgres.sh bench/server.sh          # PostgreSQL (SHOPPABLE_TEST_DATABASE_URL)
# Settings: RUNS (3), DURATION (10s), THREADS (2), READ_CONNECTIONS (32), ORDER_CONNECTIONS (16).
# Prints one Markdown table row per scenario: medians over the runs of requests/s, p50 and p99.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-3}
duration=${DURATION:-10s}
threads=${THREADS:-2}
read_connections=${READ_CONNECTIONS:-32}
order_connections=${ORDER_CONNECTIONS:-16}
command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 1; }

cargo build --quiet --profile server -p shoppable-server
work=$(mktemp -d "${TMPDIR:-/tmp}/shoppable-bench.XXXXXX")
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    # The server logs only warnings and errors here: show them.
    [ -s "$work/stderr" ] && { echo "bench: server log:" >&2; tail -n 20 "$work/stderr" >&2; }
    rm -rf "$work"
}
trap cleanup EXIT

database=${SHOPPABLE_TEST_DATABASE_URL:-$work/bench.sqlite}
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
RUST_LOG=warn target/server/shoppable-server --listen 127.0.0.1:0 --database "$database" \
    --seed-demo --admin-token "$token" >"$work/stdout" 2>"$work/stderr" &
server_pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$work/stdout" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/stdout")
[ -n "$url" ] || { cat "$work/stderr" >&2; exit 1; }

# A product with stock for every order the benchmark can place.
variant=bench-mug
printf '%s\n%s\n' \
    "id,title,description,availability,price,image_link,quantity" \
    "$variant,Mug de benchmark,Pour wrk,in stock,9.90 EUR,/www/images/coffee.png,100000000" \
    | curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
        --data-binary @- "$url/v1/admin/catalog/import" >/dev/null

# "requests/s p50_ms p99_ms non2xx" of one wrk output.
summarize() {
    awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 } /Non-2xx/ { bad = $NF }
        END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

scenario() { # name, then wrk arguments
    local name=$1; shift
    local results=()
    for run in $(seq "$runs"); do
        results+=("$("$@" | summarize)")
    done
    local rps p50 p99 bad
    rps=$(printf '%s\n' "${results[@]}" | awk '{print $1}' | median)
    p50=$(printf '%s\n' "${results[@]}" | awk '{print $2}' | median)
    p99=$(printf '%s\n' "${results[@]}" | awk '{print $3}' | median)
    bad=$(printf '%s\n' "${results[@]}" | awk '{s += $4} END {print s + 0}')
    printf '| %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "$bad"
}

batch_read() {
    wrk --latency -t"$threads" -c"$read_connections" -d"$duration" "$url/v1/posts?ids=coffee,chelsea,astronaut,rocket"
}
single_read() {
    wrk --latency -t"$threads" -c"$read_connections" -d"$duration" "$url/v1/posts/coffee"
}
order_run=0
place_orders() {
    order_run=$((order_run + 1))
    # Tokens first (not measured), as many as a run of orders could spend.
    wrk -t"$threads" -c"$order_connections" -d"$duration" -s bench/tokens.lua "$url" -- "$work/tokens" >/dev/null
    wrk --latency -t"$threads" -c"$order_connections" -d"$duration" -s bench/orders.lua "$url" \
        -- "$work/tokens" "$variant" "$$-$order_run-$RANDOM"
}

echo "| Scenario | Requests/s | p50 (ms) | p99 (ms) | Non-2xx |"
echo "|---|---|---|---|---|"
scenario "GET /v1/posts?ids= (4 posts, 11 tags), $read_connections connections" batch_read
scenario "GET /v1/posts/{id} (4 tags), $read_connections connections" single_read
scenario "POST /v1/orders (quote, stock, payment: 5 write transactions), $order_connections connections" place_orders
