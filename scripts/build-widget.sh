#!/usr/bin/env bash
# Release build of the widget into pkg/: the files a site serves, side by side:
# shoppable.js (the loader), widget.js (wasm-bindgen glue) and widget_bg.wasm (wasm-opt -Oz).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
wasm-pack --quiet build --release --target web --mode no-install --no-pack --out-dir pkg --out-name widget >&2
# The features the wasm uses (Rust's wasm32 defaults); a newer wasm-opt knows them all.
tools/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-multivalue pkg/widget_bg.wasm -o pkg/widget_bg.wasm
cp www/shoppable.js www/shoppable.d.ts pkg/
