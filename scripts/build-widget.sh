#!/usr/bin/env bash
# Release build of the widget into pkg/: the files a site serves, side by side:
# shoppable.js (the loader), widget.js (wasm-bindgen glue) and widget_bg.wasm (after wasm-opt -Oz).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
wasm-pack --quiet build --release --target web --mode no-install --no-pack --out-dir pkg --out-name widget >&2
cp www/shoppable.js www/shoppable.d.ts pkg/
