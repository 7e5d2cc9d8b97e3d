// Gives the tags' wasm a module name: a `name` section that holds only that name (a few bytes).
// The loader compiles the module from its bytes (www/shoppable.js), so the engine knows no URL
// for it; V8 then shows its frames as `wasm://wasm/<name>-<hash>`, by which the loader tells
// that a trap is the widget's. A module that has a name section already (a build with names,
// WASM_OPT_FLAGS=-g) is left as it is.
//
//   node scripts/name-module.mjs module.wasm name    (rewritten in place)
import { readFileSync, writeFileSync } from "node:fs";
import { encodeName, encodeSection, readName, sections } from "./wasm-sections.mjs";

const [path, name] = process.argv.slice(2);
if (!path || !name) throw new Error("usage: name-module.mjs module.wasm name");
const wasm = readFileSync(path);
const custom = 0;
if ([...sections(wasm)].some(({ id, start }) => id === custom && readName(wasm, start)[0] === "name")) process.exit(0);
// The custom section "name" with its module name subsection (id 0). It goes last: the name
// section follows the data section.
const moduleName = encodeSection(0, encodeName(name));
writeFileSync(path, Buffer.concat([wasm, encodeSection(custom, Buffer.concat([encodeName("name"), moduleName]))]));
