// The project's scripts find what cargo built through cargo or CARGO_TARGET_DIR, never through a
// fixed `target/` path: many Rust developers set CARGO_TARGET_DIR, and `make demo` once failed
// for them after building (it ran target/server/shoppable-server).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "../..");

test("no script runs a binary from a fixed target/ path", () => {
  const scripts = ["scripts", "bench"].flatMap((dir) => readdirSync(join(repo, dir))
    .filter((name) => /\.(sh|mjs|js)$/.test(name)).map((name) => join(dir, name)));
  const fixed = /(^|[\s"'=(])(\.\/)?target\/(debug|release|server|wasm32-unknown-unknown)\//;
  const offenders = scripts.flatMap((file) => readFileSync(join(repo, file), "utf8").split("\n")
    .map((line, index) => ({ file, line: index + 1, text: line }))
    .filter(({ text }) => fixed.test(text) && !text.trimStart().startsWith("#")));
  assert.deepEqual(offenders, []);
});
