// The widget as an npm package and as a versioned CDN tree, for scripts/build-widget.sh:
//   node scripts/npm-package.mjs VERSION
// Reads the release build in pkg/ and writes
//   pkg/package.json, pkg/README.md    the npm package: the widget's files and its types
//                                      (not the console's)
//   cdn/shoppable@VERSION/             the same files, plus a `.gz` and a `.br` of each, for a
//                                      CDN or static host to serve as they are, cached for ever
//   cdn/shoppable@latest/shoppable.js  the "latest" channel: a loader (short cache) that loads
//                                      the files of cdn/shoppable@VERSION/
//   cdn/integrity.json                 Subresource Integrity (sha384) of the pinned files
// and prints the pinned script tag with its `integrity`. Every file but the loader has its
// content's hash in its name, and the loader names them (with their integrity, checked by the
// browser: scripts/hash-names.mjs), so a pinned path never changes content within a version;
// a new build of the widget needs a new version to be published.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const version = process.argv[2];
if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version ?? "")) throw new Error(`usage: npm-package.mjs VERSION (got ${version})`);
const root = join(import.meta.dirname, "..");
const pkg = join(root, "pkg");
const cdn = join(root, "cdn");

const built = readdirSync(pkg);
const widget = built.filter((name) => /^(widget\.[0-9a-f]+\.js|widget_bg\.[0-9a-f]+\.wasm|(split|chunk)_\w+\.[0-9a-f]+\.wasm|words\.[a-z]+\.[0-9a-f]+\.json)$/.test(name));
const files = ["shoppable.js", ...widget.sort(), "shoppable.d.ts", "shoppable-react.d.ts"];
for (const name of files) if (!built.includes(name)) throw new Error(`pkg/ has no ${name}`);

copyFileSync(join(root, "www/npm-readme.md"), join(pkg, "README.md"));
const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const manifest = {
  name: "shoppable",
  version,
  description: cargo.match(/^description = "(.*)"$/m)[1],
  license: cargo.match(/^license = "(.*)"$/m)[1],
  // The loader is a classic script for a <script> tag; its files load each other by
  // relative URLs, so they are served side by side (copied to a static folder, or a CDN).
  types: "./shoppable.d.ts",
  exports: {
    ".": { types: "./shoppable.d.ts", default: "./shoppable.js" },
    "./react": { types: "./shoppable-react.d.ts" },
    "./package.json": "./package.json",
    "./*": "./*",
  },
  sideEffects: true,
  files: [...files, "README.md"],
};
writeFileSync(join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");

const sri = (file) => `sha384-${createHash("sha384").update(readFileSync(file)).digest("base64")}`;
rmSync(cdn, { recursive: true, force: true });
const pinned = join(cdn, `shoppable@${version}`);
const latest = join(cdn, "shoppable@latest");
mkdirSync(pinned, { recursive: true });
mkdirSync(latest);
for (const name of [...manifest.files, "package.json"]) {
  for (const copy of [name, `${name}.gz`, `${name}.br`]) {
    if (copy === name || built.includes(copy)) copyFileSync(join(pkg, copy), join(pinned, copy));
  }
}
// The latest loader names the pinned glue and its wasm by paths relative to itself.
let loader = readFileSync(join(pkg, "shoppable.js"), "utf8");
for (const file of [widget.find((name) => name.endsWith(".js")), widget.find((name) => name.startsWith("widget_bg."))]) {
  if (loader.split(`"${file}"`).length !== 2) throw new Error(`pkg/shoppable.js does not name ${file} once`);
  loader = loader.replace(`"${file}"`, `"../shoppable@${version}/${file}"`);
}
writeFileSync(join(latest, "shoppable.js"), loader);

const integrity = Object.fromEntries(files.filter((name) => !name.endsWith(".d.ts")).map((name) => [`shoppable@${version}/${name}`, sri(join(pinned, name))]));
writeFileSync(join(cdn, "integrity.json"), JSON.stringify(integrity, null, 2) + "\n");
const tag = `<script src="https://YOUR-CDN/shoppable@${version}/shoppable.js" integrity="${integrity[`shoppable@${version}/shoppable.js`]}" crossorigin="anonymous" data-api="https://shop.example/api" defer></script>`;
console.log(`npm package: pkg/ (shoppable@${version}); CDN tree: cdn/; Subresource Integrity: cdn/integrity.json\n${tag}`);
