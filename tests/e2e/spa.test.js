// A single-page app (examples/react: React, routes by the history API) on its own origin,
// with the backend on another: route changes mount and unmount widgets, the bag survives
// navigation, and 50 route changes leave one bag badge and the same event listeners.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repo, startServer, launchBrowser, serveFiles, addFromTag, storedBag } from "./support.js";

const example = join(repo, "examples/react");
let dist, site, server, browser;

before(async () => {
  dist = mkdtempSync(join(tmpdir(), "shoppable-spa-"));
  // The app's host answers every route with index.html, as single-page apps' hosts do.
  site = await serveFiles({ "/": dist }, { fallback: join(dist, "index.html") });
  server = await startServer({ args: ["--allowed-origin", site.url] });
  // React's development build: it reports misuse (unknown props, bad elements) in the console.
  execFileSync("node", ["build.mjs", "--dev", "--api", `${server.url}/`, "--out", dist], { cwd: example, stdio: "inherit" });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await site?.stop();
  if (dist) rmSync(dist, { recursive: true, force: true });
});

test("the example's types check: <shoppable-post> in JSX and the page API", () => {
  execFileSync(join(example, "node_modules/.bin/tsc"), ["--noEmit", "-p", example], { stdio: "inherit" });
});

/** Every console message and page error of a tab. */
function watchConsole(tab) {
  const messages = [];
  tab.on("console", (message) => { if (["error", "warning"].includes(message.type())) messages.push(`${message.type()}: ${message.text()}`); });
  tab.on("pageerror", (error) => messages.push(`page error: ${error.message}`));
  return messages;
}

/**
 * What a leak would make grow: the event listeners on window, document and every node in the
 * document (shadow roots included), counted by where and for what as Chrome's DevTools list
 * them, and the <img> elements still alive after a garbage collection (a widget, or an
 * observer, that kept the photos of views gone).
 */
async function footprint(tab) {
  const cdp = await tab.context().newCDPSession(tab);
  const counts = {};
  for (const [target, depth] of [["window", 0], ["document", -1]]) {
    const { result } = await cdp.send("Runtime.evaluate", { expression: target });
    const { listeners } = await cdp.send("DOMDebugger.getEventListeners", { objectId: result.objectId, depth, pierce: true });
    for (const listener of listeners) {
      const key = `${target}${depth ? " tree" : ""} ${listener.type}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  await cdp.send("HeapProfiler.collectGarbage");
  counts["live images"] = await tab.evaluate(() => window.madeImages.filter((image) => image.deref()).length);
  await cdp.detach();
  return counts;
}

const ROUTES = [
  { link: "Look café", path: "/looks/coffee", widgets: 1 },
  { link: "À propos", path: "/about", widgets: 0 },
  { link: "Story Chelsea", path: "/stories/chelsea", widgets: 1 },
  { link: "Look fusée", path: "/looks/rocket", widgets: 1 },
  { link: "Accueil", path: "/", widgets: 3 },
];

/** Follows the nav link of `route` and waits until its photos, and only they, have widgets. */
async function go(tab, route) {
  await tab.getByRole("link", { name: route.link, exact: true }).click();
  await tab.waitForURL((url) => url.pathname === route.path);
  await tab.waitForFunction((count) => document.querySelectorAll("shoppable-tags").length === count
    && document.querySelectorAll("img[data-shoppable-mounted]").length === count
    && [...document.querySelectorAll("shoppable-tags")].every((host) => host.isConnected && host.shadowRoot.querySelector("button.bag")), route.widgets);
}

/** Keeps a weak reference to every <img> the page makes (React's and the widget's), so that
 *  `footprint` can count those still alive. */
function trackImages(tab) {
  return tab.addInitScript(() => {
    const made = (window.madeImages = []);
    const createElement = Document.prototype.createElement;
    Document.prototype.createElement = function (...args) {
      const element = createElement.apply(this, args);
      if (element instanceof HTMLImageElement) made.push(new WeakRef(element));
      return element;
    };
  });
}

/** Opens the app at "/", adds a product to the bag, and makes 50 route changes back to "/";
 *  resolves to the listeners after the first round and after the fiftieth change. */
async function visit(tab) {
  await trackImages(tab);
  await tab.goto(`${site.url}/`);
  await tab.waitForFunction(() => document.querySelectorAll("shoppable-tags").length === 3);
  await go(tab, ROUTES[0]);
  await addFromTag(tab, "coffee", 0);
  // The view heard the event through Shoppable.on.
  await tab.getByRole("status").filter({ hasText: "Ajouté :" }).waitFor();
  // The view's cleanup unmounts its widget, <img> or <shoppable-post>: the photo it leaves
  // behind has none.
  const coffee = await tab.locator('img[data-shoppable-post="coffee"]').elementHandle();
  await go(tab, ROUTES[2]);
  const chelsea = await tab.locator("shoppable-post img").elementHandle();
  await go(tab, ROUTES[1]);
  for (const image of [coffee, chelsea]) {
    await tab.waitForFunction((photo) => !photo.isConnected && !photo.hasAttribute("data-shoppable-mounted"), image);
  }
  for (const route of ROUTES.slice(2)) await go(tab, route);
  const first = await footprint(tab);
  // 6 changes above, 44 more: 50 in all, ending on "/".
  for (let change = 6; change < 50; change++) await go(tab, ROUTES[change % ROUTES.length]);
  assert.equal(new URL(tab.url()).pathname, "/");
  return { first, last: await footprint(tab) };
}

test("50 route changes: widgets come and go with their views, one bag, one set of listeners", async () => {
  const tab = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const messages = watchConsole(tab);
  const { first, last } = await visit(tab);
  assert.deepEqual(last, first, "the same listeners and live images as after the first round of routes");
  // The bag survived navigation: one sheet, one badge, the product added on the first route.
  assert.equal(await tab.locator("shoppable-checkout").count(), 1);
  assert.equal(await storedBag(tab, server.url).then((lines) => lines.length), 1);
  const badge = tab.locator("shoppable-checkout button.badge");
  assert.equal(await badge.count(), 1, "one bag badge");
  assert.equal(await badge.getAttribute("aria-label"), "Panier, 1 article");
  // A reload on a route: the widget is configured by the app again, the bag is still there.
  await tab.reload();
  await tab.locator("shoppable-checkout button.badge").filter({ visible: true }).waitFor();
  assert.equal(await badge.getAttribute("aria-label"), "Panier, 1 article");
  await tab.waitForFunction(() => document.querySelectorAll("img[data-shoppable-mounted]").length === 3);
  // The back button is a route change too.
  await tab.goBack();
  await tab.waitForURL((url) => url.pathname === ROUTES[3].path);
  await tab.waitForFunction(() => document.querySelectorAll("img[data-shoppable-mounted]").length === 1);
  // A shopper who clicks faster than the widgets mount: each view still ends with its own.
  for (let click = 0; click < 10; click++) await tab.getByRole("link", { name: ROUTES[click % 2 ? 0 : 4].link, exact: true }).click();
  await go(tab, ROUTES[4]);
  assert.equal(await tab.locator("shoppable-checkout").count(), 1);
  // The bag opens from the app's own button with what was added.
  await tab.getByRole("button", { name: "Panier", exact: true }).click();
  await tab.locator("shoppable-checkout dialog[open]").waitFor();
  assert.deepEqual(messages, [], "no warning from React nor from the widget");
  await tab.close();
});

test("the measure catches a leak: a window listener per mount, holding its photo", async () => {
  const tab = await browser.newPage({ viewport: { width: 390, height: 844 } });
  // A deliberate leak: each time a widget's host is added (before its photo), a scroll
  // listener on window that holds the photo, as a widget that forgot to remove it would.
  await tab.addInitScript(() => {
    new MutationObserver((records) => records.forEach((record) => record.addedNodes.forEach((node) => {
      const image = node.localName === "shoppable-tags" && node.nextElementSibling;
      if (image) window.addEventListener("scroll", () => image.complete);
    }))).observe(document, { childList: true, subtree: true });
  });
  const { first, last } = await visit(tab);
  assert.ok(last["window scroll"] > first["window scroll"], JSON.stringify({ first, last }));
  assert.ok(last["live images"] > first["live images"], JSON.stringify({ first, last }));
  assert.throws(() => assert.deepEqual(last, first));
  await tab.close();
});

test("Shoppable.ready waits for the widget's module, which the first view with a photo loads", async () => {
  const tab = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const messages = watchConsole(tab);
  await tab.goto(`${site.url}/about`);
  const ready = () => tab.evaluate(() => Promise.race([Shoppable.ready.then(() => "ready"), new Promise((pending) => setTimeout(pending, 500, "pending"))]));
  assert.equal(await ready(), "pending", "a view without photos loads no widget");
  await go(tab, ROUTES[0]);
  assert.equal(await ready(), "ready");
  assert.deepEqual(messages, []);
  await tab.close();
});
