// Builds the example into a folder a static host serves (with index.html for every route):
//   node build.mjs [--api URL] [--out DIR] [--dev]
// --api: the Shoppable backend (default http://127.0.0.1:8080/, the reference server of
// `make demo`); --dev: React's development build, which reports misuse in the console.
// The widget's files come from the npm package's folder (../../pkg, built by
// scripts/build-widget.sh): the files its package.json lists, copied to /shoppable/.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const { values } = parseArgs({
  options: { api: { type: "string", default: "http://127.0.0.1:8080/" }, out: { type: "string", default: "dist" }, dev: { type: "boolean", default: false } },
});
const here = import.meta.dirname;
const out = values.out;
const widget = join(here, "../../pkg");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "shoppable"), { recursive: true });
for (const file of JSON.parse(readFileSync(join(widget, "package.json"), "utf8")).files) copyFileSync(join(widget, file), join(out, "shoppable", file));
// The demo backend's posts name their photos under /www/images/.
mkdirSync(join(out, "www/images"), { recursive: true });
for (const photo of ["coffee.png", "chelsea.png", "astronaut.png", "rocket.jpg"]) copyFileSync(join(here, "../../www/images", photo), join(out, "www/images", photo));
copyFileSync(join(here, "index.html"), join(out, "index.html"));

await build({
  entryPoints: [join(here, "src/main.tsx")],
  bundle: true,
  outfile: join(out, "app.js"),
  format: "iife",
  target: "es2020",
  minify: !values.dev,
  define: { "process.env.NODE_ENV": JSON.stringify(values.dev ? "development" : "production"), SHOPPABLE_API: JSON.stringify(values.api) },
  logLevel: "warning",
});
