// A bag with several products is the normal case: products from several tags and photos,
// each card closed before the next (the path that once trapped the wasm), quantities
// changed and a line removed, then one order whose lines are exactly the bag's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { queryDatabase, addFromTag, revealTags, storedBag, buyBag, sheet, watchErrors, useServerAndBrowser } from "./support.js";

const shop = useServerAndBrowser();

async function openDemo() {
  const context = await shop.browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${shop.server.url}/`);
  for (const post of ["coffee", "chelsea", "astronaut", "rocket"]) {
    await page.locator(`img[data-shoppable-post="${post}"][data-shoppable-mounted]`).waitFor();
  }
  return { page, errors };
}

const orderLines = (number) => {
  const [row] = queryDatabase(shop.server, `SELECT document FROM orders WHERE number = '${number.replace(/'/g, "")}'`);
  return JSON.parse(row.document).lines.map((l) => ({ variant_id: l.variant_id, quantity: l.quantity }));
};
const sorted = (lines) => [...lines].sort((a, b) => a.variant_id.localeCompare(b.variant_id));

test("three products from two photos, a quantity changed, one removed: the order has the bag's lines", async () => {
  const { page, errors } = await openDemo();
  const cup = await addFromTag(page, "coffee", 0, { close: "escape" });
  const saucer = await addFromTag(page, "coffee", 2, { close: "button" });
  const cushion = await addFromTag(page, "chelsea", 1);
  const badge = page.locator("shoppable-checkout button.badge");
  await page.waitForFunction(() => document.querySelector("shoppable-checkout")?.shadowRoot?.querySelector("button.badge")?.getAttribute("aria-label") === "Panier, 3 articles");

  await badge.click();
  const lines = sheet(page).locator("li.line");
  await sheet(page).locator(".totals").waitFor();
  assert.deepEqual(await lines.locator(".line-title").allTextContents(), [cup, saucer, cushion]);
  await sheet(page).getByRole("button", { name: `Ajouter un : ${saucer}` }).click();
  await sheet(page).getByRole("button", { name: `Retirer : ${cup}` }).click();
  await page.waitForFunction(() => document.querySelector("shoppable-checkout").shadowRoot.querySelectorAll("li.line").length === 2);
  assert.deepEqual(await lines.locator(".qty").allTextContents(), ["2", "1"]);

  const bag = await storedBag(page, shop.server.url);
  assert.deepEqual(bag.map((l) => l.quantity), [2, 1]);
  const number = await buyBag(page);
  assert.deepEqual(sorted(orderLines(number)), sorted(bag.map(({ variant_id, quantity }) => ({ variant_id, quantity }))));
  assert.deepEqual(await storedBag(page, shop.server.url), [], "what was ordered left the bag");
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("ten products in a row from every photo, the last with Buy now: all in the bag and in the order", async () => {
  const { page, errors } = await openDemo();
  const picks = [["coffee", 0], ["coffee", 1], ["coffee", 2], ["coffee", 3], ["chelsea", 0], ["chelsea", 1],
    ["astronaut", 0], ["astronaut", 1], ["astronaut", 2], ["rocket", 0]];
  const titles = [];
  for (const [index, [post, tag]] of picks.slice(0, -1).entries()) {
    titles.push(await addFromTag(page, post, tag, { close: index % 2 ? "button" : "escape" }));
  }
  // The tenth with "Buy now": the sheet opens on the details step with the whole bag.
  const [post, tag] = picks.at(-1);
  const rocket = page.locator(`figure:has(img[data-shoppable-post="${post}"])`);
  await (await revealTags(rocket)).nth(tag).focus(); // the keyboard's way to the photo's tags
  await page.keyboard.press("Enter");
  await rocket.locator('button[part="buy-now"]:not([disabled])').click();
  await page.getByLabel("Nom complet").waitFor();
  const bag = await storedBag(page, shop.server.url);
  assert.equal(bag.length, 10, "ten different products in the bag");
  assert.deepEqual(bag.slice(0, 9).map((l) => l.title), titles);

  await sheet(page).getByRole("button", { name: "Retour" }).click();
  await sheet(page).locator(".totals").waitFor();
  assert.equal(await sheet(page).locator("li.line").count(), 10);
  const number = await buyBag(page);
  assert.deepEqual(sorted(orderLines(number)), sorted(bag.map(({ variant_id, quantity }) => ({ variant_id, quantity }))));
  assert.deepEqual(errors, []);
  await page.context().close();
});
