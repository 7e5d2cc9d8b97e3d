#!/usr/bin/env bash
# Load benchmark of the reference backend with wrk: batch reads of posts, and order placement
# (each order with a unique Idempotency-Key and its own payment token). The batch read is
# measured against a baseline in the same run: a bare axum handler answering the same bytes
# (server/examples/bare.rs), runs interleaved, and the ratio of the medians is printed.
#   bench/server.sh                                   # SQLite in a temp dir
#   scripts/with-postgres.sh bench/server.sh          # PostgreSQL (SHOPPABLE_TEST_DATABASE_URL)
# Settings: RUNS (3), DURATION (10s), THREADS (2), READ_CONNECTIONS (32), ORDER_CONNECTIONS (16),
# SCENARIOS ("reads orders"). Targets 127.0.0.1 only.
# Prints one Markdown table row per scenario: medians over the runs of requests/s, p50 and p99.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-3}
duration=${DURATION:-10s}
threads=${THREADS:-2}
read_connections=${READ_CONNECTIONS:-32}
order_connections=${ORDER_CONNECTIONS:-16}
scenarios=${SCENARIOS:-reads orders}
target=${CARGO_TARGET_DIR:-target}
command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 1; }

cargo build --quiet --profile server -p shoppable-server --bin shoppable-server --example bare
work=$(mktemp -d "${TMPDIR:-/tmp}/shoppable-bench.XXXXXX")
server_pid=
bare_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    [ -n "$bare_pid" ] && kill "$bare_pid" 2>/dev/null && wait "$bare_pid" 2>/dev/null
    # The server logs only warnings and errors here: show them.
    [ -s "$work/stderr" ] && { echo "bench: server log:" >&2; tail -n 20 "$work/stderr" >&2; }
    rm -rf "$work"
}
trap cleanup EXIT

database=${SHOPPABLE_TEST_DATABASE_URL:-$work/bench.sqlite}
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
# Rate limits off: wrk is one client sending as fast as it can.
RUST_LOG=warn "$target/server/shoppable-server" --rate-limit-per-second 0 --listen 127.0.0.1:0 --database "$database" \
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
if [[ " $scenarios " == *" reads "* ]]; then
    # The baseline answers the very bytes of the batch read.
    curl -sf "$url/v1/posts?ids=coffee,chelsea,astronaut,rocket" -o "$work/batch.json"
    "$target/server/examples/bare" "$work/batch.json" >"$work/bare.stdout" 2>>"$work/stderr" &
    bare_pid=$!
    for _ in $(seq 100); do grep -q '^listening on ' "$work/bare.stdout" 2>/dev/null && break; sleep 0.1; done
    bare_url=$(sed -n 's/^listening on //p' "$work/bare.stdout")
    [ -n "$bare_url" ] || { echo "bench: the baseline did not start" >&2; exit 1; }
    bare_read() {
        wrk --latency -t"$threads" -c"$read_connections" -d"$duration" "$bare_url/v1/posts?ids=coffee,chelsea,astronaut,rocket"
    }
    # Interleaved, so that both see the same machine over the same minutes.
    server_results=() bare_results=()
    for run in $(seq "$runs"); do
        server_results+=("$(batch_read | summarize)")
        bare_results+=("$(bare_read | summarize)")
    done
    row() { # name, results...
        local name=$1; shift
        local rps p50 p99 bad
        rps=$(printf '%s\n' "$@" | awk '{print $1}' | median)
        p50=$(printf '%s\n' "$@" | awk '{print $2}' | median)
        p99=$(printf '%s\n' "$@" | awk '{print $3}' | median)
        bad=$(printf '%s\n' "$@" | awk '{s += $4} END {print s + 0}')
        printf '| %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "$bad"
    }
    row "GET /v1/posts?ids= (4 posts, 11 tags), $read_connections connections" "${server_results[@]}"
    row "baseline: bare axum handler, same $(wc -c <"$work/batch.json") bytes, $read_connections connections" "${bare_results[@]}"
    server_rps=$(printf '%s\n' "${server_results[@]}" | awk '{print $1}' | median)
    bare_rps=$(printf '%s\n' "${bare_results[@]}" | awk '{print $1}' | median)
    echo "runs (requests/s): server ${server_results[*]%% *} / baseline ${bare_results[*]%% *}" >&2
    awk -v s="$server_rps" -v b="$bare_rps" 'BEGIN { printf "| ratio baseline / server (of the medians) | %.2f | | | |\n", b / s }'
    # Each run of the server next to the baseline run right after it: the machine's load
    # changes over minutes, the ratio of a pair less.
    paired=$(for i in "${!server_results[@]}"; do
        awk -v s="${server_results[$i]%% *}" -v b="${bare_results[$i]%% *}" 'BEGIN { printf "%.2f\n", b / s }'
    done)
    echo "| ratio baseline / server (median of the $runs paired runs: $(echo $paired)) | $(printf '%s\n' $paired | median) | | | |"
    kill "$bare_pid" 2>/dev/null; wait "$bare_pid" 2>/dev/null || true; bare_pid=
    scenario "GET /v1/posts/{id} (4 tags), $read_connections connections" single_read
fi
if [[ " $scenarios " == *" orders "* ]]; then
    scenario "POST /v1/orders (quote, stock, payment), $order_connections connections" place_orders
fi
