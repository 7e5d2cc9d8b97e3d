// Drops the stream classes of wasm-streams from the widget's module and glue, for
// scripts/build-widget.sh, after wasm-bindgen and before wasm-opt:
//   node scripts/drop-streams.mjs module.wasm glue.js    (both rewritten in place)
// leptos depends on server_fn, which brings wasm-streams' `IntoUnderlyingSource`,
// `IntoUnderlyingByteSource` and `IntoUnderlyingSink`: #[wasm_bindgen] exports, so the linker
// and wasm-bindgen keep them and all they call, though only server functions (the widget has
// none) make them. Rust never creates one (the glue has no constructor for them), and the
// loader uses none of the glue's classes: without their exports, wasm-opt drops their code.
// Fails, changing nothing, if the classes are not found as this script expects.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { run } from "./binaryen.mjs";

const [wasmPath, gluePath] = process.argv.slice(2);
if (!wasmPath || !gluePath) throw new Error("usage: drop-streams.mjs module.wasm glue.js");
const CLASSES = ["IntoUnderlyingByteSource", "IntoUnderlyingSink", "IntoUnderlyingSource"];

// The glue: each class, its `Symbol.dispose` line and its FinalizationRegistry.
let glue = readFileSync(gluePath, "utf8");
for (const name of CLASSES) {
  const parts = [
    new RegExp(`^export class ${name} \\{\\n[\\s\\S]*?\\n\\}\\nif \\(Symbol\\.dispose\\) ${name}\\.prototype\\[Symbol\\.dispose\\] = ${name}\\.prototype\\.free;\\n`, "m"),
    new RegExp(`^const ${name}Finalization = \\(typeof FinalizationRegistry === 'undefined'\\)\\n.*\\n.*\\n`, "m"),
  ];
  for (const part of parts) {
    if ((glue.match(new RegExp(part.source, "gm")) ?? []).length !== 1) throw new Error(`${name} is not in the glue as expected: the build tools changed`);
    glue = glue.replace(part, "");
  }
}
if (/intounderlying/i.test(glue)) throw new Error("the glue still uses a stream class: the build tools changed");

// The module: their exports (`intounderlyingsource_pull`, `__wbg_intounderlyingsource_free`...).
const wat = run("wasm-dis", wasmPath).toString();
const exports = /^ \(export "(__wbg_)?intounderlying\w+" \(func .*\n/gm;
if ((wat.match(exports) ?? []).length === 0) throw new Error("the module exports no stream class: the build tools changed");
writeFileSync(`${wasmPath}.wat`, wat.replace(exports, ""));
run("wasm-as", `${wasmPath}.wat`, "-g", "-o", wasmPath);
rmSync(`${wasmPath}.wat`);
writeFileSync(gluePath, glue);
