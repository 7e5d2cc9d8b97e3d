// Names the split widget's files after their content, for scripts/build-widget.sh:
//   node scripts/hash-names.mjs DIR
// DIR holds wasm-bindgen's glue `widget.js`, the tags `widget_bg.wasm`, wasm-split's chunk
// loader `__wasm_split.js` and the chunks (`split_*.wasm`, `chunk_*.wasm`). Each wasm gets
// its hash in its name and the JS that fetches it is rewritten to that name. The glue and the
// chunk loader import each other: esbuild bundles them into one minified module, so a fresh
// import of it (the loader's recovery) gets fresh chunk state too. Its name is written to
// DIR/.entry for the loader, with its Subresource Integrity in DIR/.entry-integrity (the
// tags' wasm's in DIR/.wasm and DIR/.wasm-integrity), and
// DIR/chunks.json says which files each split point fetches
// (`{"card": ["split_card.<hash>.wasm", "chunk_4.<hash>.wasm", ...], ...}`, for bench/size.sh).
// Each wasm is fetched with its integrity, so that a page that pins the loader with SRI runs
// nothing else than what that loader names: the loader checks the glue, the glue every wasm.
// These integrities are sha256 (the page's own pin of the loader may be any): base64 does not
// compress, and each of them is in the download before the first tags.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const dir = process.argv[2];
const esbuild = fileURLToPath(new URL("../tools/node_modules/esbuild/lib/main.js", import.meta.url));
const { buildSync } = await import(esbuild);

const hash = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 10);
const integrity = (bytes) => `sha256-${createHash("sha256").update(bytes).digest("base64")}`;
const hashed = (name, bytes) => name.replace(/(\.[a-z]+)$/, `.${hash(bytes)}$1`);

// Every reference to `name` in the JS, as a string literal (`"./x.wasm"`, `'x.wasm'`).
function rename(source, name, to, file) {
  const pattern = new RegExp(`(["'])(\\./)?${name.replace(/[.]/g, "\\.")}\\1`, "g");
  if (!pattern.test(source)) throw new Error(`${file} does not name ${name}: the build tools changed`);
  return source.replace(pattern, (_, quote, dot = "") => `${quote}${dot}${to}${quote}`);
}

// The one `fetch(<what>)` of `source` (its exact text), given the integrity `sri`.
function checked(source, what, sri, file) {
  const call = `fetch(${what})`;
  if (source.split(call).length !== 2) throw new Error(`${file} does not call ${call} once: the build tools changed`);
  return source.replace(call, `fetch(${what}, { integrity: "${sri}" })`);
}

let glue = readFileSync(join(dir, "widget.js"), "utf8");
let chunks = readFileSync(join(dir, "__wasm_split.js"), "utf8");

// wasm-split's loader declares one `makeLoad` per file: `const __chunk_4 = makeLoad(() => {...
// "./chunk_4.wasm" ...}, [])` for shared code, `export const __wasm_split_load_card = ...
// "./split_card.wasm" ..., [__chunk_4, __chunk_5])` for a split point and what it needs.
const loaders = new Map();
for (const [, name, file, deps] of chunks.matchAll(/const (\w+) = (?:wrapAsyncCb\()?makeLoad\(\(\) => \{[^}]*?"\.\/([\w.]+\.wasm)"[\s\S]*?\n\}\s*,\s*\[([^\]]*)\]/g)) {
  loaders.set(name, { file, deps: deps.split(",").map((d) => d.trim()).filter(Boolean) });
}
const splitPoints = [...loaders.keys()].filter((name) => name.startsWith("__wasm_split_load_"));
if (splitPoints.length === 0) throw new Error("__wasm_split.js declares no split point: the build tools changed");
const renamed = new Map();

for (const name of readdirSync(dir).filter((n) => n.endsWith(".wasm"))) {
  const bytes = readFileSync(join(dir, name));
  const to = hashed(name, bytes);
  renamed.set(name, to);
  renameSync(join(dir, name), join(dir, to));
  if (name === "widget_bg.wasm") {
    glue = checked(rename(glue, name, to, "widget.js"), "module_or_path", integrity(bytes), "widget.js");
    // The loader fetches and compiles it while the glue loads.
    writeFileSync(join(dir, ".wasm"), to);
    writeFileSync(join(dir, ".wasm-integrity"), integrity(bytes));
  } else {
    chunks = rename(chunks, name, to, "__wasm_split.js");
    chunks = checked(chunks, `new URL("./${to}", import.meta.url)`, integrity(bytes), "__wasm_split.js");
  }
}
writeFileSync(join(dir, "widget.js"), glue);
writeFileSync(join(dir, "__wasm_split.js"), chunks);

const bundle = buildSync({
  entryPoints: [join(dir, "widget.js")],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  write: false,
  logLevel: "error",
}).outputFiles[0].contents;
const entry = hashed("widget.js", bundle);
writeFileSync(join(dir, entry), bundle);
rmSync(join(dir, "widget.js"));
rmSync(join(dir, "__wasm_split.js"));
writeFileSync(join(dir, ".entry"), entry);
writeFileSync(join(dir, ".entry-integrity"), integrity(bundle));
const files = (name) => [renamed.get(loaders.get(name).file), ...loaders.get(name).deps.map((dep) => renamed.get(loaders.get(dep).file))];
const manifest = Object.fromEntries(splitPoints.map((name) => [name.slice("__wasm_split_load_".length), files(name)]));
writeFileSync(join(dir, "chunks.json"), JSON.stringify(manifest, null, 2) + "\n");
