// The npm package and the CDN tree the build makes: `npm pack` of pkg/ installs into an empty
// project, and its files, served from a second origin as a CDN serves them, load and mount
// on a page that pins them with Subresource Integrity; a wrong hash is refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repo, startServer, launchBrowser, serveFiles, figure, revealTags } from "./support.js";

const manifest = JSON.parse(readFileSync(join(repo, "pkg/package.json"), "utf8"));
const version = manifest.version;
const integrity = JSON.parse(readFileSync(join(repo, "cdn/integrity.json"), "utf8"));
const pinnedLoader = `shoppable@${version}/shoppable.js`;
let project, installed, cdn, server, browser;

const photos = `<figure><img src="/www/images/coffee.png" width="600" height="400" alt="" data-shoppable-post="coffee"></figure>
<shoppable-post post="chelsea" style="display:block;width:400px"></shoppable-post>`;
const pageWith = (script) => `<!doctype html><html lang="fr"><head><meta charset="utf-8"><link rel="icon" href="data:,">
${script}</head><body>${photos}</body></html>`;
const scriptTag = (src, hash) => `<script src="${src}" integrity="${hash}" crossorigin="anonymous" data-api="/" data-locale="fr-FR" defer></script>`;

before(async () => {
  project = mkdtempSync(join(tmpdir(), "shoppable-npm-"));
  // `npm pack` as a publisher runs it; the tarball goes to an empty project, offline.
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", project], { cwd: join(repo, "pkg"), encoding: "utf8" }));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "blog", private: true }));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", `./${packed.filename}`], { cwd: project });
  installed = join(project, "node_modules/shoppable");
  // A CDN whose copy was tampered with after the loader was pinned: the glue, or the tags' wasm.
  const tampered = {};
  for (const [kind, pattern] of [["glue", /^widget\.[0-9a-f]+\.js$/], ["wasm", /^widget_bg\.[0-9a-f]+\.wasm$/]]) {
    tampered[kind] = join(project, `tampered-${kind}`);
    cpSync(installed, tampered[kind], { recursive: true });
    const file = join(tampered[kind], readdirSync(installed).find((name) => pattern.test(name)));
    const bytes = readFileSync(file);
    // Code that still runs (a line more), or one byte of the module changed.
    if (kind === "glue") writeFileSync(file, Buffer.concat([bytes, Buffer.from("\nconsole.log('tampered');\n")]));
    else writeFileSync(file, bytes.map((byte, index) => (index === bytes.length >> 1 ? byte ^ 1 : byte)));
  }
  // A CDN that serves npm packages: every file public, under /npm/shoppable@X.Y.Z/, and the
  // build's CDN tree (the "latest" channel) under /cdn/.
  cdn = await serveFiles({
    [`/npm/shoppable@${version}/`]: installed,
    "/cdn/": join(repo, "cdn"),
    [`/tampered-glue/shoppable@${version}/`]: tampered.glue,
    [`/tampered-wasm/shoppable@${version}/`]: tampered.wasm,
  }, { headers: { "access-control-allow-origin": "*" } });
  const pinned = `${cdn.url}/npm/${pinnedLoader}`;
  server = await startServer({
    pages: {
      "pinned.html": pageWith(scriptTag(pinned, integrity[pinnedLoader])),
      // The hash of another file: the browser must not run the loader.
      "tampered.html": pageWith(scriptTag(pinned, integrity[Object.keys(integrity).find((name) => name.endsWith(".wasm"))])),
      "tampered-glue.html": pageWith(scriptTag(`${cdn.url}/tampered-glue/${pinnedLoader}`, integrity[pinnedLoader])),
      "tampered-wasm.html": pageWith(scriptTag(`${cdn.url}/tampered-wasm/${pinnedLoader}`, integrity[pinnedLoader])),
      "latest.html": pageWith(`<script src="${cdn.url}/cdn/shoppable@latest/shoppable.js" crossorigin="anonymous" data-api="/" data-locale="fr-FR" defer></script>`),
    },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await cdn?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

test("the package holds the widget's files and types, not the console's", () => {
  const files = execFileSync("find", [".", "-type", "f"], { cwd: installed, encoding: "utf8" }).split("\n").filter(Boolean).map((f) => f.slice(2)).sort();
  assert.ok(files.includes("shoppable.js") && files.includes("shoppable.d.ts") && files.includes("shoppable-react.d.ts"), files.join(" "));
  assert.ok(files.some((f) => /^widget\.[0-9a-f]{10}\.js$/.test(f)) && files.some((f) => /^widget_bg\.[0-9a-f]{10}\.wasm$/.test(f)), files.join(" "));
  assert.ok(files.some((f) => /^split_card\.[0-9a-f]{10}\.wasm$/.test(f)) && files.some((f) => /^split_checkout\.[0-9a-f]{10}\.wasm$/.test(f)), files.join(" "));
  assert.deepEqual(files.filter((f) => /console|rules|\.gz$|\.br$|chunks\.json/.test(f)), [], "admin files and build by-products stay out");
  const installedManifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  assert.equal(installedManifest.types, "./shoppable.d.ts");
  assert.equal(installedManifest.exports["./react"].types, "./shoppable-react.d.ts");
  // One version: the crate's.
  const crate = readFileSync(join(repo, "Cargo.toml"), "utf8").match(/\[package\]\nname = "shoppable"\nversion = "(.*)"/)[1];
  assert.equal(version, crate);
  // The hash the build printed is the installed loader's, and the CDN tree pins the same file.
  const sri = (file) => `sha384-${createHash("sha384").update(readFileSync(file)).digest("base64")}`;
  assert.equal(integrity[pinnedLoader], sri(join(installed, "shoppable.js")));
  assert.equal(integrity[pinnedLoader], sri(join(repo, "cdn", pinnedLoader)));
});

/** Opens `name` on the server; resolves to { tab, errors } once loaded. */
async function open(name) {
  const tab = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
  const errors = [];
  tab.on("console", (message) => { if (message.type() === "error" || message.type() === "warning") errors.push(message.text()); });
  tab.on("pageerror", (error) => errors.push(error.message));
  await tab.goto(`${server.url}/${name}`);
  return { tab, errors };
}

test("a page pins the package's loader on another origin with SRI: tags mount, the card's and the checkout's chunks load", async () => {
  cdn.requests.length = 0;
  const { tab, errors } = await open("pinned.html");
  await tab.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  await tab.locator("shoppable-post img[data-shoppable-mounted]").waitFor();
  assert.equal(await tab.locator("shoppable-tags").count(), 2);
  assert.equal(await tab.evaluate(() => window.Shoppable.version), version);
  // The glue and the tags' wasm came from the pinned folder, nothing from the page's origin.
  const fromCdn = cdn.requests.filter((path) => path.startsWith(`/npm/shoppable@${version}/`)).map((path) => path.split("/").pop());
  assert.ok(fromCdn.some((f) => /^widget\.[0-9a-f]{10}\.js$/.test(f)) && fromCdn.some((f) => /^widget_bg\./.test(f)), fromCdn.join(" "));
  // A tag's product card: its lazy chunk, then the checkout's, come from the same folder.
  const checkoutChunk = tab.waitForResponse((response) => response.url().startsWith(`${cdn.url}/npm/shoppable@${version}/split_checkout.`) && response.ok());
  await (await revealTags(figure(tab, "coffee"))).first().focus();
  await tab.keyboard.press("Enter");
  await figure(tab, "coffee").locator('shoppable-tags [role="dialog"] h2').waitFor();
  assert.ok(cdn.requests.some((path) => path.startsWith(`/npm/shoppable@${version}/split_card.`)), cdn.requests.join(" "));
  // The page's language's words, and no other language's, from the same folder.
  const words = cdn.requests.filter((path) => /\/words\.[a-z]+\.[0-9a-f]{10}\.json$/.test(path));
  assert.equal(new Set(words.map((path) => path.split("/").pop())).size, 1, cdn.requests.join(" "));
  assert.ok(words[0].startsWith(`/npm/shoppable@${version}/`), words[0]);
  await checkoutChunk;
  assert.deepEqual(errors, []);
  await tab.close();
});

test("a tampered words file is refused: the card does not show words the module did not name", async () => {
  const { tab, errors } = await open("pinned.html");
  await tab.route(/\/words\.[a-z]+\.[0-9a-f]{10}\.json$/, (route) => route.fulfill({
    status: 200, contentType: "application/json", headers: { "access-control-allow-origin": "*" }, body: '["Gratuit !"]',
  }));
  await tab.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  const refused = tab.waitForEvent("console", (message) => message.text().startsWith("Shoppable: the words could not be loaded"));
  await (await revealTags(figure(tab, "coffee"))).first().focus();
  await tab.keyboard.press("Enter");
  await refused;
  assert.equal(await figure(tab, "coffee").locator('shoppable-tags [role="dialog"]').count(), 0);
  assert.ok(errors.some((text) => /integrity/i.test(text)), errors.join("\n"));
  await tab.close();
});

test("a wrong integrity hash is refused: no loader runs, the photos stay as they were", async () => {
  cdn.requests.length = 0;
  const { tab, errors } = await open("tampered.html");
  await tab.waitForLoadState("load");
  await tab.waitForTimeout(500);
  assert.equal(await tab.evaluate(() => typeof window.Shoppable), "undefined");
  assert.equal(await tab.locator("shoppable-tags").count(), 0);
  assert.ok(errors.some((text) => /integrity/i.test(text)), errors.join("\n"));
  assert.deepEqual(cdn.requests.filter((path) => !path.endsWith("/shoppable.js")), [], "nothing else was fetched");
  await tab.close();
});

for (const kind of ["glue", "wasm"]) {
  test(`the pinned loader refuses a tampered ${kind}: the photos stay as they were`, async () => {
    const { tab, errors } = await open(`tampered-${kind}.html`);
    await tab.waitForFunction(() => window.Shoppable);
    await tab.waitForTimeout(1000);
    assert.equal(await tab.locator("shoppable-tags").count(), 0);
    assert.equal(await tab.locator("img[data-shoppable-mounted]").count(), 0);
    assert.ok(errors.some((text) => /integrity/i.test(text)), errors.join("\n"));
    await tab.close();
  });
}

test("the latest channel's loader loads the pinned version's files", async () => {
  cdn.requests.length = 0;
  const { tab, errors } = await open("latest.html");
  await tab.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  assert.equal(await tab.evaluate(() => window.Shoppable.version), version);
  assert.ok(cdn.requests.some((path) => new RegExp(`^/cdn/shoppable@${version.replace(/\./g, "\\.")}/widget_bg\\.`).test(path)), cdn.requests.join(" "));
  assert.deepEqual(errors, []);
  await tab.close();
});
