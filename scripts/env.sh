# Sourced by the other scripts: picks the Rust toolchain that can build wasm32 and puts the
# project's tools on PATH. Prints nothing; `scripts/setup.sh` installs what is missing.

export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

# The default toolchain when it has the wasm32 std (a normal developer machine after
# `rustup target add wasm32-unknown-unknown`), else Debian's rustc-web linked as `debian-web`
# (machines where rustup cannot download that std). One toolchain serves native and wasm
# builds so that build scripts and proc-macros compile once for both.
wasm_toolchain() {
    local sysroot
    sysroot=$(rustc --print sysroot 2>/dev/null) || true
    if [ -n "$sysroot" ] && [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]; then
        echo default
    elif rustup toolchain list 2>/dev/null | grep -q '^debian-web' \
        && ls /usr/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib >/dev/null 2>&1; then
        echo debian-web
    else
        echo none
    fi
}

case "$(wasm_toolchain)" in
    debian-web) export RUSTUP_TOOLCHAIN=debian-web ;;
    *) ;;
esac
