#!/usr/bin/env bash
# Installs everything the demo and the tests need, and skips every step already done:
# a wasm32-capable Rust toolchain, wasm-bindgen-cli (the Cargo.lock version), wasm-pack,
# wasm-opt (npm's binaryen), Chromium with its driver, PostgreSQL for the storage tests,
# localstripe for the Stripe tests, the end-to-end test packages (with the React example's),
# and Debian's WordPress with MariaDB and PHP for the plugin's test.
# Follows docs/TOOLCHAIN.md. Safe to run any number of times.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

log() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "please install: ${missing[*]} (no apt-get on this machine)"
    log "installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive timeout 900 apt-get update -qq \
        || die "apt-get update failed or timed out"
    as_root env DEBIAN_FRONTEND=noninteractive timeout 1800 apt-get install -y -qq "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
}

# The Debian recipe: rustc-web 1.96 plus a wasm32 std built once from its own source.
install_debian_wasm_toolchain() {
    apt_install rustc-web cargo-web rust-web-src lld-22
    local libdir=/usr/lib/rustlib/wasm32-unknown-unknown/lib
    if ! ls "$libdir"/libstd-*.rlib >/dev/null 2>&1; then
        log "building the wasm32 standard library for /usr/bin/rustc (about a minute)"
        local work
        work=$(mktemp -d)
        mkdir -p "$work/src"
        cat >"$work/Cargo.toml" <<'TOML'
[package]
name = "wasm-std-builder"
version = "0.0.0"
edition = "2021"
[lib]
path = "src/lib.rs"
[profile.release]
lto = true
codegen-units = 1
TOML
        : >"$work/src/lib.rs"
        (cd "$work" && env -u RUSTUP_TOOLCHAIN RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$work/target" /usr/bin/cargo build -q --release \
            -Zbuild-std=std,panic_abort,panic_unwind,proc_macro,test --target wasm32-unknown-unknown) \
            || die "building the wasm32 std failed"
        as_root mkdir -p "$libdir"
        find "$work/target/wasm32-unknown-unknown/release/deps" -name '*.rlib' ! -name 'libwasm_std_builder-*' \
            -exec cp {} "$libdir/" \;
        rm -rf "$work"
    fi
    rustup toolchain list | grep -q '^debian-web' || rustup toolchain link debian-web /usr
}

ensure_wasm_toolchain() {
    [ "$(wasm_toolchain)" != none ] && return 0
    # Where rustup can download the target this is the normal path; here it may hang, so
    # give it a short time.
    log "trying 'rustup target add wasm32-unknown-unknown' (30 s at most)"
    if timeout 30 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
        return 0
    fi
    log "rustup cannot add the wasm32 target here; using Debian's rustc-web instead"
    install_debian_wasm_toolchain
    [ "$(wasm_toolchain)" != none ] || die "no Rust toolchain with the wasm32 target"
}

# Installs a crates.io binary unless `$1 --version` already prints the wanted version.
# Further arguments go to `cargo install` (features).
cargo_install() {
    local bin=$1 crate=$2 version=$3
    shift 3
    if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -qF "$version"; then
        return 0
    fi
    # Tools without --version: cargo's own record of what it installed.
    if command -v "$bin" >/dev/null && cargo install --list | grep -qF "$crate v$version:"; then
        return 0
    fi
    log "installing $crate $version from crates.io (several minutes, once)"
    # Not --locked: this registry copy may lack patch versions the crate's lock file names.
    cargo install -q "$crate" --version "$version" "$@" || die "cargo install $crate $version failed"
}

lock_version() {
    awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# Installs the npm packages of a folder (exactly its package-lock.json) unless done already.
npm_ci() {
    local dir=$1
    command -v npm >/dev/null || apt_install nodejs npm
    if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        log "installing the npm packages of $dir"
        (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 600 npm ci --no-audit --no-fund --loglevel=error) \
            || die "npm ci in $dir failed"
    fi
}

# localstripe, the Stripe stand-in of the Stripe tests (server/tests/stripe.rs), in a venv of
# Debian's Python: `.local/venv` (tests/stripe/run_localstripe.py starts it).
install_localstripe() {
    local venv=.local/venv version=1.15.10
    if [ -x "$venv/bin/python" ] &&
        "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('localstripe') != '$version')" 2>/dev/null; then
        return 0
    fi
    apt_install python3 python3-venv
    log "installing localstripe $version into $venv"
    rm -rf "$venv"
    /usr/bin/python3 -m venv "$venv" || die "python3 -m venv $venv failed"
    timeout 600 "$venv/bin/pip" install -q --disable-pip-version-check "localstripe==$version" \
        || die "pip install localstripe==$version failed"
}

ensure_wasm_toolchain
source scripts/env.sh
# rustfmt and clippy of the same toolchain, for the lints of `make test` (rustup's default
# profile has them).
if [ "${RUSTUP_TOOLCHAIN:-}" = debian-web ]; then
    apt_install rustfmt-web rust-web-clippy
else
    cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1 \
        || timeout 120 rustup component add rustfmt clippy >/dev/null 2>&1 \
        || die "rustfmt and clippy are missing: rustup component add rustfmt clippy"
fi
apt_install chromium chromium-driver postgresql wrk  # wrk: bench/server.sh
[ -f Cargo.lock ] || die "Cargo.lock is missing"
cargo_install wasm-bindgen wasm-bindgen-cli "$(lock_version wasm-bindgen)"
cargo_install wasm-pack wasm-pack 0.15.1
# Cuts the widget's module into the tags and its lazy chunks (scripts/build-widget.sh).
cargo_install wasm-split-cli wasm_split_cli_support 0.2.4 --features build-binary
install_localstripe
npm_ci tools      # binaryen's wasm-opt (Debian's 108 breaks wasm-bindgen output)
npm_ci tests/e2e  # playwright-core (drives Debian's Chromium, never its own) and axe-core
npm_ci examples/react  # the single-page app example (React, esbuild, TypeScript), tested by tests/e2e/spa.test.js
# The WordPress plugin's test (tests/wordpress): Debian's WordPress, MariaDB's server binaries
# only (the test runs its own, no system service), PHP's CLI for `php -S`, gettext for the
# plugin's translations (integrations/wordpress/lint.sh). Debian's wp-config.php reads
# /etc/wordpress/config-<name>.php: the test's one takes its settings from the run.
apt_install wordpress mariadb-server-core mariadb-client php-cli php-mysql gettext
if ! cmp -s tests/wordpress/config-shoppable-e2e.php /etc/wordpress/config-shoppable-e2e.php; then
    as_root install -m 644 tests/wordpress/config-shoppable-e2e.php /etc/wordpress/config-shoppable-e2e.php
fi
log "ready (Rust toolchain: ${RUSTUP_TOOLCHAIN:-default})"
