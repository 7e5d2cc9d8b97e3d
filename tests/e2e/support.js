// Shared set-up of the end-to-end tests: a real reference server (debug build, fresh SQLite
// with the demo data) serving the demo site, and Debian's Chromium driven by playwright-core.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, symlinkSync, rmSync, writeFileSync, existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

export const repo = resolve(import.meta.dirname, "../..");

/** A file of the widget's release build in pkg/, by its name without the content hash
 * (`widget.js`, `widget_bg.wasm`): its path on the server, `/pkg/widget.0a1b2c3d4e.js`. */
export function built(name) {
  const [stem, extension] = [name.slice(0, name.indexOf(".")), name.slice(name.indexOf("."))];
  const pattern = new RegExp(`^${stem}\\.[0-9a-f]{10}${extension.replace(".", "\\.")}$`);
  const file = readdirSync(join(repo, "pkg")).find((candidate) => pattern.test(candidate));
  if (!file) throw new Error(`pkg/ has no ${name}: run scripts/build-widget.sh`);
  return `/pkg/${file}`;
}

/**
 * Starts the server on a free port with the demo site, plus `pages` ({ "name.html": html })
 * written next to it; resolves to { url, paymentsUrl, dir, stop, kill9AndRestart }. `profile`
 * is the cargo profile the server was built with (`server` for benchmarks). The `test` payment
 * provider's card form is served from a second origin (`--payments-listen`, `paymentsUrl`)
 * unless `paymentFrame` is false (the widget then shows in-page card fields, for test setups).
 */
export async function startServer({ adminToken = "e2e-admin-token", pages = {}, profile = "debug", args = [], paymentFrame = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "shoppable-e2e-"));
  const site = join(dir, "site");
  mkdirSync(site);
  for (const entry of ["index.html", "www", "pkg"]) symlinkSync(join(repo, entry), join(site, entry));
  for (const [name, html] of Object.entries(pages)) writeFileSync(join(site, name), html);
  const binary = join(process.env.CARGO_TARGET_DIR || join(repo, "target"), profile, "shoppable-server");
  // Started on free ports, then again on the same ones (`kill9AndRestart`): pages keep working.
  const launch = async (listen, paymentsListen) => {
    const child = spawn(binary, [
      "--listen", listen, "--database", join(dir, "e2e.sqlite"), "--site-dir", site, "--seed-demo", ...args,
      ...(paymentFrame ? ["--payments-listen", paymentsListen] : []),
    ], { env: { ...process.env, SHOPPABLE_ADMIN_TOKEN: adminToken, RUST_LOG: "warn" }, stdio: ["ignore", "pipe", "inherit"] });
    let paymentsUrl = null;
    const url = await new Promise((resolveUrl, reject) => {
      let out = "";
      child.stdout.on("data", (chunk) => {
        out += chunk;
        paymentsUrl = out.match(/payments frame on (http:\/\/\S+)/)?.[1] ?? null;
        const match = out.match(/listening on (http:\/\/\S+)/);
        if (match) resolveUrl(match[1]);
      });
      child.on("exit", (code) => reject(new Error(`server exited with ${code} before listening`)));
    });
    return { child, url, paymentsUrl };
  };
  let running = await launch("127.0.0.1:0", "127.0.0.1:0");
  const exited = (child) => new Promise((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once("exit", done)));
  return {
    url: running.url,
    paymentsUrl: running.paymentsUrl,
    dir,
    adminToken,
    /** kill -9, then the server again on the same database and ports. */
    async kill9AndRestart() {
      running.child.kill("SIGKILL");
      await exited(running.child);
      running = await launch(new URL(this.url).host, new URL(this.paymentsUrl).host);
    },
    async stop() {
      running.child.kill("SIGTERM");
      await exited(running.child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A second origin: a site of its own (a blog) on another port, serving `pages`
 * ({ "/path": { html, headers } }) and the demo photos under /images/. Resolves to { url, stop }.
 */
export async function startSite(pages) {
  const server = createServer((request, response) => {
    const path = new URL(request.url, "http://site").pathname;
    const page = pages[path];
    if (page) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8", ...page.headers });
      return response.end(page.html);
    }
    const image = path.match(/^\/images\/([\w-]+\.(png|jpg))$/);
    if (image && existsSync(join(repo, "www/images", image[1]))) {
      response.writeHead(200, { "content-type": image[2] === "png" ? "image/png" : "image/jpeg" });
      return response.end(readFileSync(join(repo, "www/images", image[1])));
    }
    response.writeHead(404).end();
  });
  await new Promise((listening) => server.listen(0, "127.0.0.1", listening));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((closed) => server.close(closed)),
  };
}

const contentTypes = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".png": "image/png", ".jpg": "image/jpeg" };

/**
 * A static origin of its own on another port (a CDN, a single-page app's host): serves the
 * files of `mounts` ({ "/url/prefix/": "dir" }) with `headers`, and `fallback` (a file path)
 * for other paths, as a single-page app's host does. Resolves to { url, requests, stop },
 * `requests` being the paths asked for.
 */
export async function serveFiles(mounts, { headers = {}, fallback = null } = {}) {
  const requests = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://files").pathname);
    requests.push(path);
    const prefix = Object.keys(mounts).find((candidate) => path.startsWith(candidate));
    const file = prefix && !path.includes("..") ? join(mounts[prefix], path.slice(prefix.length)) : null;
    const found = file && existsSync(file) && !statSync(file).isDirectory() ? file : fallback;
    if (!found) return response.writeHead(404, headers).end();
    response.writeHead(200, { "content-type": contentTypes[extname(found)] ?? "application/octet-stream", ...headers });
    response.end(readFileSync(found));
  });
  await new Promise((listening) => server.listen(0, "127.0.0.1", listening));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    stop: () => new Promise((closed) => { server.closeAllConnections(); server.close(closed); }),
  };
}

/** Launches Debian's Chromium (never a downloaded browser). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** Centre of an element's box, in page pixels. */
export async function centre(locator) {
  const box = await locator.boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** A test page that loads the widget with `scriptAttributes` and has `body` as its content. */
export function page(body, scriptAttributes = 'data-api="/" data-locale="fr-FR"') {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="/pkg/shoppable.js" ${scriptAttributes} defer></script></head><body>${body}</body></html>`;
}

/** Rows of a query on the server's SQLite database, read directly (python3's sqlite3). */
export function queryDatabase(server, sql) {
  const script = "import json,sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.row_factory=sqlite3.Row; print(json.dumps([dict(r) for r in c.execute(sys.argv[2])]))";
  return JSON.parse(execFileSync("python3", ["-c", script, join(server.dir, "e2e.sqlite"), sql], { encoding: "utf8" }));
}

const LANGUAGES = ["fr", "en", "de", "es", "it"];
const widgetWords = Object.fromEntries([...readFileSync(join(repo, "src/i18n/words.in"), "utf8")
  .matchAll(/^ {4}(\w+) => (\[[\s\S]*?\]),?$/gm)].map(([, key, list]) => [key, JSON.parse(list.replace(/,\s*\]$/, "]"))]));

/** The widget's word `key` in `lang`, from its one source (src/i18n/words.in). */
export function word(key, lang) {
  const words = widgetWords[key];
  if (!words) throw new Error(`src/i18n/words.in has no ${key}`);
  return words[LANGUAGES.indexOf(lang)];
}

/** Fills the checkout's contact and address step (labels in `lang`) with a valid address. */
export async function fillAddress(page, lang = "fr") {
  await page.getByLabel(word("FieldName", lang)).fill("Camille Martin");
  await page.getByLabel(word("FieldEmail", lang)).fill("camille@example.com");
  await page.getByLabel(word("FieldLine1", lang), { exact: true }).fill("12 rue des Lilas");
  await page.getByLabel(word("FieldPostalCode", lang)).fill("75011");
  await page.getByLabel(word("FieldCity", lang)).fill("Paris");
}

/** The payment provider's card form (an iframe of its own origin) in the checkout sheet. */
export const paymentFrame = (page) => page.frameLocator("shoppable-checkout iframe.payment-frame");

/**
 * Fills the checkout's card step (any language): in the provider's frame when the sheet has
 * one (it also waits for it), else in the page's own fields (a server without a frame).
 */
export async function fillCard(page, number, { expiry = "12/30", cvc = "123" } = {}) {
  const fields = page.locator("shoppable-checkout iframe.payment-frame:visible, shoppable-checkout input[autocomplete=cc-number]");
  await fields.first().waitFor();
  const inFrame = await page.locator("shoppable-checkout iframe.payment-frame:visible").count() > 0;
  const scope = inFrame ? paymentFrame(page) : page;
  // By their purpose, in any language (the frame has its own words: payment-frame.test.js).
  await scope.locator('input[autocomplete="cc-number"]').fill(number);
  await scope.locator('input[autocomplete="cc-exp"]').fill(expiry);
  await scope.locator('input[autocomplete="cc-csc"]').fill(cvc);
  // The sheet's "Continuer" submits the frame once it is connected.
  if (inFrame) await page.locator("shoppable-checkout dialog .actions button.primary:not([disabled])").waitFor();
}

/** The demo figure holding the photo of `post`. */
export const figure = (page, post) => page.locator(`figure:has(img[data-shoppable-post="${post}"])`);

/** The checkout sheet. */
export const sheet = (page) => page.locator("shoppable-checkout dialog");

/**
 * The tag buttons of the widgets in `scope` (a page, a figure), once drawn. A photo's tags are
 * drawn on its first reveal, as Instagram shows them on a tap: here its bag button gets the
 * keyboard's focus, the way a keyboard user reaches them (the first widget's, for a page).
 */
export async function revealTags(scope) {
  // Shown once sized (a frame after the mount), as a keyboard user finds it.
  const bag = scope.locator("shoppable-tags button.bag").first();
  await bag.waitFor({ state: "visible" });
  await bag.focus();
  return scope.locator("shoppable-tags button.tag");
}

/**
 * Opens tag `index` of the photo of `post` from the keyboard (labels of nearby tags may
 * overlap, a key press does not care), adds the product's default choice to the bag, and
 * closes the card with `close`: "escape" or "button". Resolves to the product's title.
 */
export async function addFromTag(page, post, index, { close = "escape" } = {}) {
  await (await revealTags(figure(page, post))).nth(index).focus();
  await page.keyboard.press("Enter");
  const card = figure(page, post).locator('shoppable-tags [role="dialog"]');
  const add = card.locator('button[part="add-to-bag"]:not([disabled])');
  await add.click();
  await card.locator(".status").filter({ hasText: "Ajouté au panier" }).waitFor();
  const title = await card.locator("h2").textContent();
  if (close === "escape") await page.keyboard.press("Escape");
  else await card.locator('button[part="close-button"]').click();
  await card.waitFor({ state: "detached" });
  return title;
}

/** The bag this browser keeps for the backend at `origin`, as stored. */
export function storedBag(page, origin) {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) || '{"lines":[]}').lines, `shoppable:bag:${origin}`);
}

/**
 * From the sheet's details step to the review, in `lang`: a valid address, standard shipping,
 * the succeeding test card; resolves once "Place order" can be pressed.
 */
export async function reviewFromDetails(page, lang = "fr") {
  const next = () => sheet(page).getByRole("button", { name: word("Continue", lang), exact: true }).click();
  await fillAddress(page, lang);
  await next();
  await sheet(page).locator('input[name="shoppable-shipping"]').first().waitFor();
  await next();
  await fillCard(page, "4242 4242 4242 4242");
  await next();
  await sheet(page).locator('button[part="place-order"]:not([disabled])').waitFor();
}

/** From the sheet's details step, a click on "Place order" (its answer is not awaited). */
export async function placeOrderFromDetails(page, lang = "fr") {
  await reviewFromDetails(page, lang);
  await sheet(page).locator('button[part="place-order"]:not([disabled])').click();
}

/**
 * A request to the admin API of `server` (GET without a body, else `method`); resolves to the
 * answer's JSON, and fails the test on an error status.
 */
export function adminRequest(server, method, path, body) {
  return apiRequest(server, method, path, body, { authorization: `Bearer ${server.adminToken}` });
}

/** A JSON request to the server's API: resolves to the answer's JSON, fails on an error status. */
export function apiRequest(server, method, path, body, headers = {}) {
  return fetch(`${server.url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (r) => {
    const json = await r.json();
    assert.ok(r.ok, `${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  });
}

/**
 * Ships and delivers `order` (placed through the API, with its secret), then the shopper
 * returns one unit of its second line and the shop approves and receives it: resolves to the
 * return, waiting for its refund.
 */
export async function receivedReturn(server, order) {
  await adminRequest(server, "POST", `/v1/admin/orders/${order.id}/ship`, { tracking_number: "6A1" });
  await adminRequest(server, "POST", `/v1/admin/orders/${order.id}/deliver`, {});
  const asked = await apiRequest(server, "POST", `/v1/orders/${order.id}/returns`, { lines: [{ line: 1, quantity: 1 }], reason: "Ébréchée" },
    { "order-secret": order.secret });
  const ret = asked.returns[0];
  await adminRequest(server, "POST", `/v1/admin/orders/${order.id}/returns/${ret.id}/approve`, {});
  await adminRequest(server, "POST", `/v1/admin/orders/${order.id}/returns/${ret.id}/receive`, {});
  return ret;
}

/** The console at `hash`, signed in, in `lang`; page errors are collected in `errors`. */
export async function openConsole(browser, server, hash, lang = "fr") {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${server.url}/console/?lang=${lang}${hash}`);
  await page.locator("#token").fill(server.adminToken);
  await page.locator("#token").press("Enter");
  await page.locator("nav").waitFor();
  return { page, context, errors };
}

/** From the open sheet's bag step to a placed order; resolves to its number. */
export async function buyBag(page) {
  await sheet(page).locator('button[part="checkout-button"]:not([disabled])').click();
  await placeOrderFromDetails(page);
  return sheet(page).locator(".order-number").textContent();
}

/**
 * The server and browser of a test file, started before its tests and stopped after them:
 * `const shop = useServerAndBrowser(options)`, then `shop.server` and `shop.browser`.
 */
export function useServerAndBrowser(options) {
  const shop = {};
  before(async () => {
    shop.server = await startServer(options);
    shop.browser = await launchBrowser();
  });
  after(async () => {
    await shop.browser?.close();
    await shop.server?.stop();
  });
  return shop;
}

/** Collects the page's uncaught errors and the widget's own failure messages. */
export function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Shoppable|RuntimeError|unreachable/.test(message.text())) errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/**
 * A skimmer as ad, analytics or chat scripts could carry, installed before the page's own
 * scripts: it wraps fetch, XHR and MessageChannel, listens to key and input events in the
 * capture phase, and keeps scanning the fields and texts of the document, of every open shadow
 * root and of every iframe it can reach. Everything it sees lands in `window.__skimmed`.
 */
export function skimmer() {
  const seen = (window.__skimmed = []);
  const keys = (window.__skimmedKeys = []);
  const note = (what, value) => {
    if (value === undefined || value === null || value === "") return;
    seen.push(`${what}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  };
  const realFetch = window.fetch;
  window.fetch = function (input, init) {
    note("fetch", String(input && input.url ? input.url : input));
    if (init && init.body) note("fetch body", String(init.body));
    if (input instanceof Request) input.clone().text().then((body) => note("fetch body", body), () => {});
    return realFetch.apply(this, arguments);
  };
  const { open, send } = XMLHttpRequest.prototype;
  XMLHttpRequest.prototype.open = function (method, url) { note("xhr", String(url)); return open.apply(this, arguments); };
  XMLHttpRequest.prototype.send = function (body) { note("xhr body", body); return send.apply(this, arguments); };
  const RealChannel = window.MessageChannel;
  window.MessageChannel = function () {
    const channel = new RealChannel();
    for (const port of [channel.port1, channel.port2]) port.addEventListener("message", (event) => note("port message", event.data));
    return channel;
  };
  const postOnPort = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (message) { note("port send", message); return postOnPort.apply(this, arguments); };
  window.addEventListener("message", (event) => note("window message", event.data), true);
  for (const type of ["keydown", "keypress", "keyup", "input", "beforeinput", "change", "paste", "focusin"]) {
    window.addEventListener(type, (event) => {
      const target = event.composedPath()[0];
      if (type === "keydown") keys.push(event.key);
      note(`${type} data`, event.data);
      if (target && "value" in target) note(`${type} value`, String(target.value));
    }, true);
  }
  const scan = (root) => {
    for (const element of root.querySelectorAll("*")) {
      if ("value" in element && typeof element.value === "string") note("field", element.value);
      if (element.shadowRoot) { note("shadow text", element.shadowRoot.textContent); scan(element.shadowRoot); }
      if (element.localName === "iframe") {
        try {
          const inner = element.contentDocument;
          if (inner) { note("iframe text", inner.documentElement.textContent); scan(inner); }
        } catch { /* another origin: out of reach */ }
      }
    }
  };
  setInterval(() => { if (document.documentElement) scan(document); }, 50);
}

/** Every run of 6 digits of `number` (spaces and dashes removed) found in `texts`. */
export function cardDigitsIn(texts, number) {
  const digits = number.replace(/\D/g, "");
  const windows = new Set();
  for (let i = 0; i + 6 <= digits.length; i++) windows.add(digits.slice(i, i + 6));
  return texts.filter((text) => [...windows].some((w) => text.replace(/[\s-]/g, "").includes(w)));
}

/** Opens the card of the coffee beans (plenty in stock) from the coffee photo. */
export async function openCoffeeCard(page) {
  const figure = page.locator('figure:has(img[data-shoppable-post="coffee"])');
  await figure.locator("img[data-shoppable-post]").click({ position: { x: 10, y: 10 } });
  await figure.locator("shoppable-tags button.tag").filter({ hasText: "Café en grains" }).click();
  const card = figure.locator('shoppable-tags [role="dialog"]');
  await card.locator('button[part="buy-now"]:not([disabled])').waitFor();
  return card;
}

/** "Buy now" on the coffee, address (remembered or not), standard shipping: the payment step,
 * with the provider's card form loaded. */
export async function buyToPayment(page, { rememberDetails = false } = {}) {
  const card = await openCoffeeCard(page);
  await card.locator('button[part="buy-now"]').click();
  await page.getByLabel("Nom complet").waitFor();
  await fillAddress(page);
  if (rememberDetails) await sheet(page).getByLabel("Mémoriser mes coordonnées sur cet appareil").check();
  await sheet(page).getByRole("button", { name: "Continuer" }).click();
  await sheet(page).locator('input[name="shoppable-shipping"]').first().waitFor();
  await sheet(page).getByRole("button", { name: "Continuer" }).click();
  await paymentFrame(page).locator("form#card").waitFor();
}

/** The sheet's "Continuer", once it can be pressed. */
export const continueButton = (page) => sheet(page).locator(".actions button.primary:not([disabled])").filter({ hasText: "Continuer" });

/** A new browser context (French, 1200 × 900 or `viewport`, with the skimmer when asked) on the
 * demo page of `server`, once the coffee photo's tags are mounted. */
export async function openDemo(browser, server, { skim = false, viewport = { width: 1200, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport, locale: "fr-FR" });
  if (skim) await context.addInitScript(skimmer);
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  return page;
}

/** The orders in `server`'s database, oldest first. */
export const ordersIn = (server) => queryDatabase(server, "SELECT id, number, status, document FROM orders ORDER BY created_at");

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core's violations on the page (or inside the element `include` selects), one line each.
 * axe is evaluated rather than added as a <script>: the console's Content-Security-Policy
 * refuses any injected script.
 */
export async function axeViolations(page, include = null) {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const result = await page.evaluate((selector) => window.axe.run(selector ? { include: [selector] } : document, { resultTypes: ["violations"] }), include);
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

/** The console's tag editor on `hash`, signed in, in `lang`, at `width` pixels. */
export async function openEditor(browser, server, hash, lang = "en", width = 1280) {
  const opened = await openConsole(browser, server, hash, lang);
  if (width !== 1280) await opened.page.setViewportSize({ width, height: 844 });
  await opened.page.locator(".editor h2").waitFor();
  return opened;
}

/** The tag editor's list of slides. */
export const editorSlides = (page) => page.locator(".slide-list li");

/** In the tag editor: uploads `file` (a path, or { name, mimeType, buffer }) as a new slide. */
export async function upload(page, file) {
  const before = await editorSlides(page).count();
  await page.setInputFiles("#media-file", file);
  await editorSlides(page).nth(before).waitFor();
}

/** In the tag editor, with the keyboard: the catalog product matching `query` for the selected tag. */
export async function pickByKeyboard(page, query) {
  await page.locator("#search").focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.type(query);
  const result = page.locator("#results button.result").filter({ hasText: new RegExp(query, "i") }).first();
  await result.waitFor();
  await result.focus();
  await page.keyboard.press("Enter");
  await page.locator(".chosen").filter({ hasText: new RegExp(query, "i") }).waitFor();
}

/** With the keyboard: types `text` into the field `selector`, then leaves it. */
export async function typeInto(page, selector, text) {
  await page.locator(selector).focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.type(text);
  await page.keyboard.press("Tab");
}

/** In the tag editor: "Save to the shop" from the keyboard, until the editor says `saved`. */
export async function saveInEditor(page, saved) {
  await page.locator("#save").focus();
  await page.keyboard.press("Enter");
  await page.locator(".live").filter({ hasText: saved }).waitFor();
}
