//! Keeps the relocations in the linked wasm: `wasm-split-cli` needs them to cut the module
//! into the tags and the lazy chunks (see `src/chunks.rs` and scripts/build-widget.sh).

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") && std::env::var("CARGO_FEATURE_SPLIT").is_ok() {
        println!("cargo:rustc-link-arg-cdylib=--emit-relocs");
        // Not `--no-merge-data-segments` (leptos-rs/cargo-leptos#679): measured, it made the
        // tags 4.5 KB and the purchase 11 KB larger (gzip), see docs/BENCHMARKS.md.
    }
}
