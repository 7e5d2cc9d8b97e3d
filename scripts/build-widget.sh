#!/usr/bin/env bash
# Release build of the widget into pkg/: the files a site serves, side by side.
#   shoppable.js            the loader (www/shoppable.js), the one name pages embed
#   widget.<hash>.js        the module's glue, loaded when a marked image comes near
#   widget_bg.<hash>.wasm   the tags: all a page needs to show them
#   __wasm_split.<hash>.js  fetches the lazy chunks below on the shopper's first intent
#   split_*/chunk_*.<hash>.wasm  the product card, the checkout and the code they share
#   words.<lang>.<hash>.json     each language's words (build.rs, from src/i18n/words.in):
#                                the chunks fetch the shopper's before they show anything
#   console.js, console_bg.wasm  the shop's console and its tag editor (www/console.html, served
#                                at /console/)
# and a `.gz` and a `.br` beside each file; then the npm package (pkg/package.json) and the
# versioned CDN tree (cdn/shoppable@X.Y.Z/), with the Subresource Integrity of the pinned
# loader printed (scripts/npm-package.mjs). The version is the crate's, in Cargo.toml.
# Every widget file but the loader has a hash of its content in its name: it is cached for
# ever, and an upgrade never mixes old and new files. Each wasm goes through wasm-opt -Oz,
# the glue through esbuild.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
target=${CARGO_TARGET_DIR:-target}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The features the wasm uses (Rust's wasm32 defaults); a current binaryen knows them all. Exported
# for the scripts that run binaryen's other tools on the modules (scripts/binaryen.mjs).
export WASM_FEATURES="--enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue"

optimize() { # wasm file, in place
    # --converge repeats the passes while they still shrink the module (1.7 KB gzipped less for
    # a purchase, measured on session 6's build).
    # WASM_OPT_FLAGS=-g keeps the function names, for profiles (bench/many-images.mjs --explain).
    # The producers and target_features sections are for tools, not browsers: 0.2 KB gzipped
    # per file (measured).
    # shellcheck disable=SC2086
    tools/node_modules/.bin/wasm-opt -Oz --converge ${WASM_OPT_FLAGS:-} $WASM_FEATURES --strip-producers --strip-target-features "$1" -o "$1"
}

# The widget: one module cut into the tags and the lazy chunks (src/chunks.rs). The cut needs
# the linker's relocations (build.rs), so it happens before wasm-bindgen, which drops them.
# build.rs writes the words files into its OUT_DIR, which cargo's messages name.
# scripts/merge-chunks.mjs then folds the media's pieces of the purchase's shared code, and its
# tiny chunks, into bigger ones (fewer files, each with its integrity in the glue).
out_dir=$(cargo build --quiet --lib --release --target wasm32-unknown-unknown --features split --message-format=json-render-diagnostics |
    node -e 'let last = ""; require("readline").createInterface({ input: process.stdin }).on("line", (line) => { const m = JSON.parse(line); if (m.reason === "build-script-executed" && /[#/]shoppable[@#]/.test(m.package_id)) last = m.out_dir; }).on("close", () => console.log(last))')
[ -n "$out_dir" ] && [ -d "$out_dir/words" ] || { echo "no words files from build.rs (cargo named no OUT_DIR)" >&2; exit 1; }
wasm-split-cli --target web --out-name widget "$target/wasm32-unknown-unknown/release/shoppable.wasm" "$work/split"
node scripts/merge-chunks.mjs "$work/split"
wasm-bindgen "$work/split/widget.wasm" --out-dir "$work/bindgen" --target web --keep-lld-exports --no-typescript
shopt -s nullglob
cp "$work"/split/__wasm_split.js "$work"/split/split_*.wasm "$work"/split/chunk_*.wasm "$work/bindgen/"
# The stream classes server_fn brings (no server functions here) go before wasm-opt drops their code.
node scripts/drop-streams.mjs "$work/bindgen/widget_bg.wasm" "$work/bindgen/widget.js"
for wasm in "$work"/bindgen/*.wasm; do optimize "$wasm"; done
node scripts/short-imports.mjs "$work/bindgen/widget_bg.wasm" "$work/bindgen/widget.js"
# The loader tells the tags' traps by this name (V8 shows no URL for a module compiled from bytes).
module_name=shoppable
node scripts/name-module.mjs "$work/bindgen/widget_bg.wasm" "$module_name"
node scripts/hash-names.mjs "$work/bindgen"

# The console: a plain wasm-pack build (admin-only, one module).
wasm-pack --quiet build console --release --target web --mode no-install --no-pack --out-dir "$work/console" --out-name console >&2
optimize "$work/console/console_bg.wasm"

rm -rf pkg
mkdir pkg
cp "$work"/bindgen/* pkg/
cp "$out_dir"/words/words.*.json pkg/
cp "$work/console/console.js" "$work/console/console_bg.wasm" pkg/
cp www/shoppable.d.ts www/shoppable-react.d.ts pkg/
# The loader, minified, learns the hashed names and integrities of the glue and its wasm, the
# tags' module name, and the version.
version=$(awk '/^\[package\]/ { package = 1 } package && /^version = / { gsub(/version = |"/, ""); print; exit }' Cargo.toml)
for placeholder in '"widget.js"' '"integrity-of-widget.js"' '"widget_bg.wasm"' '"integrity-of-widget_bg.wasm"' '"wasm://wasm/module-name-"' '"0.0.0-source"'; do
    grep -qF "$placeholder" www/shoppable.js || { echo "www/shoppable.js has no $placeholder for the build to replace" >&2; exit 1; }
done
sed -e "s|\"widget.js\"|\"$(cat "$work/bindgen/.entry")\"|" -e "s|\"integrity-of-widget.js\"|\"$(cat "$work/bindgen/.entry-integrity")\"|" \
    -e "s|\"widget_bg.wasm\"|\"$(cat "$work/bindgen/.wasm")\"|" -e "s|\"integrity-of-widget_bg.wasm\"|\"$(cat "$work/bindgen/.wasm-integrity")\"|" \
    -e "s|\"wasm://wasm/module-name-\"|\"wasm://wasm/$module_name-\"|" -e "s|\"0.0.0-source\"|\"$version\"|" www/shoppable.js >"$work/shoppable.js"
tools/node_modules/.bin/esbuild "$work/shoppable.js" --minify --legal-comments=none --target=es2017 --log-level=warning --outfile=pkg/shoppable.js
rm -f pkg/.entry pkg/.entry-integrity pkg/.wasm pkg/.wasm-integrity
# Precompressed copies, which servers such as the reference one send as they are: gzip for
# every browser, brotli (about a sixth smaller) for those that ask for it over HTTPS.
for file in pkg/*.js pkg/*.wasm pkg/words.*.json; do
    gzip -9 -k -f -n "$file"
done
node --input-type=module -e '
import { brotliCompressSync, constants } from "node:zlib";
import { readFileSync, writeFileSync } from "node:fs";
const quality = { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } };
for (const file of process.argv.slice(1)) writeFileSync(`${file}.br`, brotliCompressSync(readFileSync(file), quality));
' pkg/*.js pkg/*.wasm pkg/words.*.json
node scripts/npm-package.mjs "$version"
