#!/usr/bin/env bash
# `make test`: every test, each runner printing its own summary; stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
step() { printf '\n==> %s\n' "$*"; }
# A fresh clone gains nothing from incremental builds but their disk space.
[ -z "${CI:-}" ] || export CARGO_INCREMENTAL=0

step "formatting and lints (rustfmt, clippy on native and wasm code)"
cargo fmt --all --check
cargo clippy --quiet --workspace --all-targets --all-features -- -D warnings
cargo clippy --quiet -p shoppable -p shoppable-console --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy --quiet -p shoppable --features split --target wasm32-unknown-unknown -- -D warnings

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

step "WordPress plugin: lint, then a real WordPress (Debian's, MariaDB, PHP) in Chromium"
bash integrations/wordpress/lint.sh
node --test tests/wordpress/
