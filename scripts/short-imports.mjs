// Renames the JS functions a wasm module imports from its wasm-bindgen glue to short names, in
// both files: `__wbg_getBoundingClientRect_0c1f2d3e4a5b6c7d` becomes `$2k`. wasm-bindgen names
// each import after the function and a 16-digit hash; the widget imports about 300 of them,
// and their names were about 6 KB of the gzipped wasm and 4 KB of the gzipped glue that every
// page pays before the first tags (docs/BENCHMARKS.md). wasm-opt only shortens imports from
// Emscripten's "env" module, and shortening exports too would break the chunks' linking.
//
//   node scripts/short-imports.mjs module.wasm glue.js    (both rewritten in place)
//
// Fails, changing nothing, if the module has something this script does not know or a name
// is not found exactly once in the glue.
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { encodeLeb, encodeName, encodeSection, readLeb as leb, readName, sections } from "./wasm-sections.mjs";

const [wasmPath, gluePath] = process.argv.slice(2);
if (!wasmPath || !gluePath) throw new Error("usage: short-imports.mjs module.wasm glue.js");
const wasm = readFileSync(wasmPath);
let glue = readFileSync(gluePath, "utf8");
// wasm-bindgen's own imports come from this module; others (`./__wasm_split.js`) keep their names.
const glueModule = `./${basename(wasmPath, ".wasm")}.js`;

/** The end of an import's description (what follows its kind byte). */
function skipDescription(kind, bytes, at) {
    const limits = (at) => {
        const flags = bytes[at++];
        if (flags & ~0x07) throw new Error(`unknown limits flags ${flags}`);
        [, at] = leb(bytes, at);
        if (flags & 0x01) [, at] = leb(bytes, at);
        return at;
    };
    const valueType = (at) => {
        const type = bytes[at];
        // The numeric, vector and the two plain reference types are one byte each.
        if (![0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f].includes(type)) throw new Error(`unknown value type ${type}`);
        return at + 1;
    };
    switch (kind) {
        case 0: // function: its type's index
            return leb(bytes, at)[1];
        case 1: // table: element type, limits
            return limits(valueType(at));
        case 2: // memory
            return limits(at);
        case 3: // global: type, mutability
            return valueType(at) + 1;
        default:
            throw new Error(`unknown import kind ${kind}`);
    }
}

const shortName = (index) => `$${index.toString(36)}`;

const output = [wasm.subarray(0, 8)];
let renamed = 0;
for (const { id, start, end, bytes } of sections(wasm)) {
    if (id !== 2) {
        output.push(bytes);
        continue;
    }
    let [count, p] = leb(wasm, start);
    const entries = [encodeLeb(count)];
    for (let i = 0; i < count; i++) {
        const [module, nameStart] = readName(wasm, p);
        const [name, kindAt] = readName(wasm, nameStart);
        const descriptionEnd = skipDescription(wasm[kindAt], wasm, kindAt + 1);
        let newName = name;
        if (module === glueModule) {
            newName = shortName(renamed++);
            // The glue's import object has each name once, as a key: `name:function(...)`.
            const key = new RegExp(`(?<![\\w$])${name.replace(/[^\w]/g, "\\$&")}(?=:)`, "g");
            const found = glue.match(key)?.length ?? 0;
            if (found !== 1) throw new Error(`import ${name} is in ${gluePath} ${found} times, not once`);
            glue = glue.replace(key, () => newName);
        }
        entries.push(encodeName(module), encodeName(newName), wasm.subarray(kindAt, descriptionEnd));
        p = descriptionEnd;
    }
    if (p !== end) throw new Error("the import section has bytes this script did not read");
    output.push(encodeSection(id, Buffer.concat(entries)));
}

const edited = Buffer.concat(output);
new WebAssembly.Module(edited); // refuses a module the browser would refuse
writeFileSync(wasmPath, edited);
writeFileSync(gluePath, glue);
console.error(`short-imports: ${renamed} imports renamed, ${wasm.length - edited.length} bytes fewer in the module`);
