#!/usr/bin/env bash
# `make demo`: the reference server on an embedded SQLite with demo data, serving the demo
# site and the widget on one origin, and the test payment provider's card form on a second one
# (PAYMENTS_PORT, 8081 by default), as a real provider's would be. PORT=8080 and
# DEMO_DB=.local/demo.sqlite by default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
bash scripts/build-widget.sh
cargo build --quiet --profile server -p shoppable-server

# The site: the landing page, www/ (loader, editor, photos) and pkg/ (the built widget).
site=.local/site
mkdir -p "$site"
for entry in index.html www pkg; do ln -sfn "../../$entry" "$site/$entry"; done

port=${PORT:-8080}
export SHOPPABLE_ADMIN_TOKEN=${SHOPPABLE_ADMIN_TOKEN:-demo-admin-token}
db=${DEMO_DB:-.local/demo.sqlite}
echo "Demo: http://127.0.0.1:$port/  (admin token for the editor: $SHOPPABLE_ADMIN_TOKEN; Ctrl-C stops)"
echo "E-mails to shoppers: .eml files in ${db%.sqlite}-mail/"
# Through cargo, which knows where the binary is (CARGO_TARGET_DIR, a workspace setting, ...).
exec cargo run --quiet --profile server -p shoppable-server -- --listen "127.0.0.1:$port" --database "$db" \
    --site-dir "$site" --seed-demo --payments-listen "127.0.0.1:${PAYMENTS_PORT:-8081}" \
    --shop-url "http://127.0.0.1:$port/"
