#!/usr/bin/env bash
# Release build of the widget into pkg/: the files a site serves, side by side:
#   shoppable.js                  the loader (www/shoppable.js)
#   widget.js, widget_bg.wasm     tags and product cards, fetched when a marked image is near
#   checkout.js, checkout_bg.wasm the checkout sheet, fetched on the first use of the bag
#   console.js, console_bg.wasm   the shop's console (www/console.html, served at /console/)
# Each wasm goes through wasm-opt -Oz; every file gets a precompressed `.gz` beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
build() { # crate directory, output name
    wasm-pack --quiet build "$1" --release --target web --mode no-install --no-pack --out-dir "$PWD/pkg" --out-name "$2" >&2
    # The features the wasm uses (Rust's wasm32 defaults); a current wasm-opt knows them all.
    tools/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals --enable-multivalue "pkg/$2_bg.wasm" -o "pkg/$2_bg.wasm"
}
build . widget
build checkout checkout
build console console
cp www/shoppable.js www/shoppable.d.ts pkg/
# Precompressed copies, which servers such as the reference one send as they are.
for file in pkg/shoppable.js pkg/widget.js pkg/widget_bg.wasm pkg/checkout.js pkg/checkout_bg.wasm pkg/console.js pkg/console_bg.wasm; do
    gzip -9 -k -f -n "$file"
done
