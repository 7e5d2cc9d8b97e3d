// If the widget's wasm fails anyway, the loader notices, retires the instance and starts a
// fresh one: the widgets answer again, the bag, the details typed and an open sheet survive,
// and the console says what failed in words. Failures are forced through the module's
// test-only `failForTests` export: "trap" is a bare wasm trap, "panic" a Rust panic.
import { test } from "node:test";
import assert from "node:assert/strict";
import { addFromTag, built, storedBag, sheet, placeOrderFromDetails, useServerAndBrowser } from "./support.js";

const shop = useServerAndBrowser();

const POSTS = ["coffee", "chelsea", "astronaut", "rocket"];

async function openDemo() {
  const context = await shop.browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  const consoleErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => { if (message.type() === "error") consoleErrors.push(message.text()); });
  await page.goto(`${shop.server.url}/`);
  for (const post of POSTS) await page.locator(`img[data-shoppable-post="${post}"][data-shoppable-mounted]`).waitFor();
  await page.evaluate(() => {
    window.restarts = [];
    document.addEventListener("shoppable:restarted", (event) => window.restarts.push(event.detail));
  });
  return { page, pageErrors, consoleErrors };
}

/** Makes the widget's instance behind `file` fail from a timer, as a failing callback would. */
function fail(page, file, kind) {
  return page.evaluate(async ([file, kind]) => {
    const module = await import(file);
    setTimeout(() => module.failForTests(kind), 0);
  }, [file, kind]);
}

test("a bare trap while the tags show: a fresh instance mounts every widget again and the bag is intact", async () => {
  const { page, pageErrors } = await openDemo();
  await addFromTag(page, "coffee", 0);
  await addFromTag(page, "chelsea", 0);
  const bag = await storedBag(page, shop.server.url);
  assert.equal(bag.length, 2);

  await fail(page, built("widget.js"), "trap");
  await page.waitForFunction(() => window.restarts.length === 1);
  assert.deepEqual(await page.evaluate(() => window.restarts), [{ stopped: false }]);
  for (const post of POSTS) await page.locator(`img[data-shoppable-post="${post}"][data-shoppable-mounted]`).waitFor();
  // One widget per photo: the dead instance's hosts are gone.
  assert.equal(await page.locator("shoppable-tags").count(), await page.locator("img[data-shoppable-mounted]").count());

  // The widgets answer again, and what was in the bag is still there.
  await addFromTag(page, "astronaut", 1);
  const after = await storedBag(page, shop.server.url);
  assert.deepEqual(after.slice(0, 2), bag);
  assert.equal(after.length, 3);
  await page.waitForFunction(() => document.querySelector("shoppable-checkout").shadowRoot.querySelector("button.badge").getAttribute("aria-label") === "Panier, 3 articles");
  assert.equal(pageErrors.length, 1, `only the forced trap: ${pageErrors.join(" | ")}`);
  assert.match(pageErrors[0], /unreachable/);
  await page.context().close();
});

test("a panic in the checkout while typing: a readable message, and the sheet re-opens on its step with what was typed", async () => {
  const { page, pageErrors, consoleErrors } = await openDemo();
  await addFromTag(page, "coffee", 1);
  await page.locator("shoppable-checkout button.badge").click();
  await sheet(page).locator('button[part="checkout-button"]:not([disabled])').click();
  await page.getByLabel("Nom complet").fill("Camille Martin");
  await page.getByLabel("E-mail").fill("camille@example.com");

  await fail(page, built("widget.js"), "panic");
  await page.waitForFunction(() => window.restarts.length === 1);
  assert.deepEqual(await page.evaluate(() => window.restarts), [{ stopped: false }]);
  const message = consoleErrors.find((text) => text.startsWith("Shoppable: the widget failed"));
  assert.ok(message, `a readable message in the console: ${consoleErrors.join(" | ")}`);
  assert.match(message, /failure forced by a test/);
  assert.match(message, /the bag and the details typed are kept/);

  // The fresh sheet opens where the shopper was, with what they typed.
  await page.locator('shoppable-checkout[data-step="details"]').waitFor({ state: "attached" });
  await sheet(page).waitFor();
  assert.equal(await page.locator("shoppable-checkout").count(), 1);
  assert.equal(await page.getByLabel("Nom complet").inputValue(), "Camille Martin");
  assert.equal(await page.getByLabel("E-mail").inputValue(), "camille@example.com");
  // And it takes the order through.
  await placeOrderFromDetails(page);
  assert.match(await sheet(page).locator(".order-number").textContent(), /^SH-/);
  assert.equal(pageErrors.length, 1, `only the forced failure: ${pageErrors.join(" | ")}`);
  await page.context().close();
});

test("a module that keeps failing is stopped after three restarts, and the page goes on", async () => {
  const { page } = await openDemo();
  for (let i = 1; i <= 4; i++) {
    // Each restart imports a new instance; the test fails the current one through the page's loader.
    const file = i === 1 ? built("widget.js") : `${built("widget.js")}?shoppable-instance=${i - 1}`;
    await fail(page, file, "trap");
    await page.waitForFunction((n) => window.restarts.length === n, i);
    if (i < 4) await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  }
  assert.deepEqual(await page.evaluate(() => window.restarts.at(-1)), { stopped: true });
  assert.equal(await page.locator("shoppable-tags").count(), 0, "no dead widget is left over the photos");
  assert.equal(await page.locator('img[data-shoppable-post="coffee"]').isVisible(), true);
  await page.context().close();
});
