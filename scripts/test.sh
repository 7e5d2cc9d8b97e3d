#!/usr/bin/env bash
# `make test`: every test, each runner printing its own summary; stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
step() { printf '\n==> %s\n' "$*"; }

step "native tests of all crates (server on SQLite)"
cargo test --workspace --all-features

step "server and protocol tests on PostgreSQL"
bash scripts/with-postgres.sh cargo test -p shoppable-server

step "browser tests in headless Chromium"
wasm-pack test --headless --chrome --chromedriver "$CHROMEDRIVER" --mode no-install

step "release build of the widget and its size budget"
bash scripts/build-widget.sh
bash bench/size.sh --check

step "end-to-end tests: demo page on the reference server, in Chromium"
cargo build --quiet -p shoppable-server
node --test tests/e2e/
