// Folds the shared chunks that the media chunk cut out of the purchase's back into the chunk
// the card and the checkout share, for scripts/build-widget.sh:
//   node scripts/merge-chunks.mjs DIR
// DIR is wasm-split's output: `__wasm_split.js` and the `split_*.wasm` / `chunk_*.wasm` files.
// wasm-split puts each function in a chunk of its own per set of split points that use it:
// with a fourth split point (media) the code the card and the checkout share was cut into
// many more files, each with its fetch, its integrity in the glue and its calls through the
// table, and the purchase grew by 8 KB gzipped for code it already had (measured). Here every
// chunk used by the media and by the card or the checkout becomes part of the chunk the card
// and the checkout share, which both load anyway: the purchase fetches what it fetched before
// the media came, and a page with a carousel or a video fetches a little more.
//
// Every module wasm-split writes imports the same memory, table and stack pointer from
// `__wasm_split`; folding B into A exports A's three imports and links B's to them
// (wasm-merge), so the merged module imports them once, as each did.
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./binaryen.mjs";

const dir = process.argv[2];

const IMPORTS = { memory: "memory", __indirect_function_table: "table", __wasm_split_shared0: "global" };
const text = (file) => run("wasm-dis", join(dir, file)).toString();
const binary = (wat, file) => {
  writeFileSync(join(dir, `${file}.wat`), wat);
  run("wasm-as", join(dir, `${file}.wat`), "-g", "-o", join(dir, file));
  rmSync(join(dir, `${file}.wat`));
};
// `(import "__wasm_split" "memory" (memory $mimport$0 18))`: the module's name for each import.
const importNames = (wat) => {
  const names = {};
  for (const [, base, kind, name] of wat.matchAll(/^ \(import "__wasm_split" "(\w+)" \((\w+) (\$\S+)/gm)) {
    if (IMPORTS[base] !== kind) throw new Error(`unknown import ${base} (${kind}): the build tools changed`);
    names[base] = name;
  }
  if (Object.keys(names).length !== Object.keys(IMPORTS).length) throw new Error("a chunk imports something else: the build tools changed");
  return names;
};

const loaderPath = join(dir, "__wasm_split.js");
let loader = readFileSync(loaderPath, "utf8");
// `/* card, checkout */\nconst __chunk_5 = makeLoad(() => { ... "./chunk_5.wasm" ... }\n, []);`
const chunkPattern = /\/\* ([\w, ]+) \*\/\nconst (__chunk_\d+) = makeLoad\(\(\) => \{[^}]*?"\.\/(chunk_\d+\.wasm)"[\s\S]*?\n\}\s*,\s*\[\]\);\n/g;
const chunks = [...loader.matchAll(chunkPattern)].map(([text, users, name, file]) => ({ text, users: users.split(", "), name, file }));
if (chunks.length === 0) throw new Error("__wasm_split.js declares no shared chunk: the build tools changed");
// A split point's dependency list in the loader (`__chunk_5, __chunk_7`), as names.
const depNames = (deps) => deps.split(",").map((d) => d.trim()).filter(Boolean);
// The split points that load each chunk, from their dependency lists.
const usersOf = () => {
  const users = new Map(chunks.map((c) => [c.name, new Set()]));
  for (const [, point, deps] of loader.matchAll(/export const __wasm_split_load_(\w+) = [\s\S]*?\n, \[([^\]]*)\]\)\);/g)) {
    depNames(deps).forEach((dep) => users.get(dep)?.add(point));
  }
  return users;
};
// The posts' schema.org data loads on every page with backend posts, after the tags: it gets
// its own copy of the few shared functions it needs, so it never fetches the purchase's chunk
// that the folds below put them in (160 KB for five functions of `str::split`, measured).
// Copies run alike: each module that loads writes its own into the same table slots.
const EVERY_PAGE = "structured_data";
for (const chunk of chunks.filter((c) => c.users.includes(EVERY_PAGE))) {
  const wat = text(chunk.file);
  // A second copy writes its data again: only constant data may be written twice.
  if (/^ \(data \$\.(?!rodata\b)\S+ \([^\n]*"[^"\n]+"\)$/m.test(wat)) throw new Error(`${chunk.file} has writable data: ${EVERY_PAGE} cannot have its own copy`);
  merge(`split_${EVERY_PAGE}.wasm`, [chunk]);
  chunk.users = chunk.users.filter((user) => user !== EVERY_PAGE);
  loader = loader.replace(new RegExp(`(export const __wasm_split_load_${EVERY_PAGE} = [\\s\\S]*?\\n, \\[)([^\\]]*)\\]`), (_, head, deps) =>
    `${head}${depNames(deps).filter((d) => d !== chunk.name).join(", ")}]`);
  console.log(`merge-chunks: ${chunk.file} copied into split_${EVERY_PAGE}.wasm`);
}
const inPurchase = (users) => users.has("card") || users.has("checkout");
const target = chunks.find((c) => c.users.join() === "card,checkout");
const folded = target ? chunks.filter((c) => c !== target && c.users.includes("media") && inPurchase(new Set(c.users))) : [];
if (folded.length > 0) fold(target, folded);
// Then every other chunk of the checkout joins it too: a card that opens starts loading the
// checkout at once (chunks::prefetch_checkout), so the purchase fetches all of them anyway.
// One file of them compresses better, and wasm-opt merges the functions they have twice (it
// does so only within a file): 4.1 KB gzipped less for a purchase (measured). The order's page
// and the media load this code too; a purchase never waits for theirs.
if (target) {
  const users = usersOf();
  const also = chunks.filter((c) => !c.gone && c !== target && users.get(c.name).has("checkout"));
  if (also.length > 0) fold(target, also);
}
// Then a purchase's tiny chunk (a few hundred bytes, and an integrity in the glue) joins the
// smallest chunk of the purchase that all its users load already.
const TINY = 4096;
for (const chunk of chunks.filter((c) => !c.gone && statSync(join(dir, c.file)).size < TINY)) {
  const users = usersOf();
  const mine = users.get(chunk.name);
  if (chunk.gone || !inPurchase(mine)) continue;
  const into = chunks
    .filter((c) => !c.gone && c !== chunk && [...mine].every((u) => users.get(c.name).has(u)))
    .sort((a, b) => statSync(join(dir, a.file)).size - statSync(join(dir, b.file)).size)[0];
  if (into) fold(into, [chunk]);
}
writeFileSync(loaderPath, loader);

// Folds the chunks `folded` into the chunk `target`: one module, and one loader that
// whoever needed one of them waits for.
function fold(target, folded) {
  merge(target.file, folded);
  // The loader: the folded chunks go, and whoever needed one needs the target instead.
  for (const chunk of folded) {
    loader = loader.replace(chunk.text, "");
    rmSync(join(dir, chunk.file));
    chunk.gone = true;
  }
  const gone = new Set(folded.map((c) => c.name));
  loader = loader.replace(/, \[([^\]]*)\]\)/g, (_, deps) => {
    const kept = [...new Set(depNames(deps).map((d) => (gone.has(d) ? target.name : d)))];
    return `, [${kept.join(", ")}])`;
  });
  console.log(`merge-chunks: ${folded.map((c) => c.file).join(", ")} folded into ${target.file}`);
}

// Merges the chunks `chunks` into the module `file` (a chunk or a split point's module), which
// then imports the memory, table and stack pointer once, as each did.
function merge(file, chunks) {
  let wat = text(file);
  const names = importNames(wat);
  const exports = Object.entries(names).map(([base, name]) => ` (export "merged_${base}" (${IMPORTS[base]} ${name}))`);
  binary(wat.replace(/\)\s*$/, `${exports.join("\n")}\n)\n`), file);
  const inputs = [join(dir, file), "target"];
  for (const chunk of chunks) {
    const linked = join(dir, `${chunk.name}.linked.wasm`);
    const chunkWat = text(chunk.file);
    importNames(chunkWat);
    writeFileSync(`${linked}.wat`, chunkWat.replace(/^ \(import "__wasm_split" "(\w+)"/gm, ' (import "target" "merged_$1"'));
    run("wasm-as", `${linked}.wat`, "-g", "-o", linked);
    rmSync(`${linked}.wat`);
    inputs.push(linked, chunk.name);
  }
  run("wasm-merge", ...inputs, "-o", join(dir, file));
  for (let i = 2; i < inputs.length; i += 2) rmSync(inputs[i]);
  wat = text(file).replace(/^ \(export "merged_\w+" .*\n/gm, "");
  binary(wat, file);
}
