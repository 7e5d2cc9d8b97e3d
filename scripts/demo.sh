#!/usr/bin/env bash
# `make demo`: the reference server on an embedded SQLite with demo data, serving the demo
# site and the widget on one origin, and the test payment provider's card form on a second one
# (PAYMENTS_PORT, 8081 by default), as a real provider's would be. PORT=8080 and
# DEMO_DB=.local/demo.sqlite by default.
# With a Stripe account's test keys in the environment (SHOPPABLE_STRIPE_SECRET_KEY=sk_test_…,
# SHOPPABLE_STRIPE_PUBLISHABLE_KEY=pk_test_…, and SHOPPABLE_STRIPE_WEBHOOK_SECRET=whsec_… from
# `stripe listen`), payments go through Stripe in test mode; without them, test cards as before.
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
if [ -n "${SHOPPABLE_STRIPE_SECRET_KEY:-}" ]; then
    # The demo takes no real money: live keys belong to a shop's own deployment.
    case "$SHOPPABLE_STRIPE_SECRET_KEY" in
        sk_test_* | rk_test_*) ;;
        *) echo "make demo takes Stripe test keys only (sk_test_…): see README, \"Going live with Stripe\"" >&2; exit 1 ;;
    esac
    echo "Payments: Stripe, test mode (card 4242 4242 4242 4242 pays)"
    if [ -n "${SHOPPABLE_STRIPE_WEBHOOK_SECRET:-}" ]; then
        echo "Stripe events: http://127.0.0.1:$port/v1/payments/stripe/webhook"
    else
        echo "Stripe events: off (stripe listen --forward-to 127.0.0.1:$port/v1/payments/stripe/webhook gives SHOPPABLE_STRIPE_WEBHOOK_SECRET)"
    fi
fi
# Through cargo, which knows where the binary is (CARGO_TARGET_DIR, a workspace setting, ...).
exec cargo run --quiet --profile server -p shoppable-server -- --listen "127.0.0.1:$port" --database "$db" \
    --site-dir "$site" --seed-demo --payments-listen "127.0.0.1:${PAYMENTS_PORT:-8081}" \
    --shop-url "http://127.0.0.1:$port/"
