// Runs a tool of binaryen (tools/node_modules/.bin: wasm-dis, wasm-as, wasm-merge...) with the
// wasm features of the widget's build (WASM_FEATURES, set by scripts/build-widget.sh, which
// passes the same to wasm-opt), for the scripts that rewrite its modules: run("wasm-dis", file)
// returns the tool's output.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = (tool) => fileURLToPath(new URL(`../tools/node_modules/.bin/${tool}`, import.meta.url));
const features = process.env.WASM_FEATURES?.split(" ") ?? [];
if (features.length === 0) throw new Error("WASM_FEATURES is not set: run this through scripts/build-widget.sh");
export const run = (tool, ...args) => execFileSync(bin(tool), [...args, ...features], { stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 30 });
