// Gives the tags' wasm a module name: a `name` section that holds only that name (a few bytes).
// The loader compiles the module from its bytes (www/shoppable.js), so the engine knows no URL
// for it; V8 then shows its frames as `wasm://wasm/<name>-<hash>`, by which the loader tells
// that a trap is the widget's. A module that has a name section already (a build with names,
// WASM_OPT_FLAGS=-g) is left as it is.
//
//   node scripts/name-module.mjs module.wasm name    (rewritten in place)
import { readFileSync, writeFileSync } from "node:fs";

const [path, name] = process.argv.slice(2);
if (!path || !name || name.length > 100) throw new Error("usage: name-module.mjs module.wasm name");
const wasm = readFileSync(path);

/** Reads the unsigned LEB128 at `at`: [value, next offset]. */
function leb(at) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = wasm[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
  }
}

// The sections after the 8-byte header: is there a custom section called `name`?
for (let at = 8; at < wasm.length;) {
  const id = wasm[at];
  const [size, body] = leb(at + 1);
  if (id === 0) {
    const [length, text] = leb(body);
    if (wasm.subarray(text, text + length).toString() === "name") process.exit(0);
  }
  at = body + size;
}
// Custom section (id 0) "name", with the module name subsection (id 0); every size is below
// 128, one LEB128 byte each. It goes last: the name section follows the data section.
const bytes = (...parts) => Buffer.concat(parts.map((part) => (typeof part === "number" ? Buffer.from([part]) : Buffer.from(part))));
const moduleName = bytes(name.length, name);
const payload = bytes(4, "name", 0, moduleName.length, moduleName);
writeFileSync(path, bytes(wasm, bytes(0, payload.length, payload)));
