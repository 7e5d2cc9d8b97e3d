// Runs a tool of binaryen (tools/node_modules/.bin: wasm-dis, wasm-as, wasm-merge...) with the
// wasm features of the widget's build (as scripts/build-widget.sh passes them to wasm-opt), for
// the scripts that rewrite its modules: run("wasm-dis", file) returns the tool's output.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = (tool) => fileURLToPath(new URL(`../tools/node_modules/.bin/${tool}`, import.meta.url));
const features = ["--enable-bulk-memory", "--enable-reference-types", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals", "--enable-multivalue"];
export const run = (tool, ...args) => execFileSync(bin(tool), [...args, ...features], { stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 30 });
