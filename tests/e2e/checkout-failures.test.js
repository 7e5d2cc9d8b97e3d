// The checkout when things go wrong: a backend answering 500, hanging or sending malformed
// JSON; stock running out; a reload. Nothing typed or put in the bag is lost, and retries
// reuse the order's Idempotency-Key. Also the sheet's focus trap and Escape.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, page as testPage, queryDatabase, fillAddress, placeOrderFromDetails } from "./support.js";

let server, browser;
const photo = '<img src="/www/images/coffee.png" width="600" height="400" style="width:600px" data-shoppable-post="coffee" alt="Café">';

before(async () => {
  server = await startServer({
    pages: { "shop.html": testPage(`<h1>Boutique</h1>${photo}`, 'data-api="/" data-locale="fr-FR" data-timeout="1500"') },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh browser profile on the test page, with `bag` preloaded in localStorage. */
async function shop(bag = [{ variant_id: "tasse-blanche", product_id: "tasse-espresso", title: "Tasse à espresso en grès", variant_title: "Blanc", quantity: 1 }]) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(([origin, lines]) => {
    if (!sessionStorage.getItem("seeded")) {
      localStorage.setItem(`shoppable:bag:${origin}`, JSON.stringify({ lines }));
      sessionStorage.setItem("seeded", "1");
    }
  }, [server.url, bag]);
  await page.goto(`${server.url}/shop.html`);
  await page.locator("img[data-shoppable-mounted]").waitFor();
  return page;
}

const dialog = (page) => page.locator("shoppable-checkout dialog");
const failure = (page) => dialog(page).locator(".failure");

const orderCount = () => queryDatabase(server, "SELECT COUNT(*) AS n FROM orders")[0].n;

/** From the preloaded bag to a click on "Place order" with the succeeding test card. */
async function placeOrderFromBag(page) {
  await openBag(page);
  await dialog(page).locator('button[part="checkout-button"]').click();
  await placeOrderFromDetails(page);
}

async function openBag(page) {
  await page.locator("shoppable-checkout button.badge").click();
  await dialog(page).waitFor();
}

test("the bag survives a reload", async () => {
  const page = await shop([]);
  await page.locator("img").click({ position: { x: 5, y: 5 } });
  await page.locator("shoppable-tags button.tag").first().click();
  await page.locator('shoppable-tags button[part="add-to-bag"]').click();
  const badge = page.locator("shoppable-checkout button.badge");
  assert.equal(await badge.getAttribute("aria-label"), "Panier, 1 article");
  await page.reload();
  await page.locator("img[data-shoppable-mounted]").waitFor();
  await badge.waitFor();
  assert.equal(await badge.getAttribute("aria-label"), "Panier, 1 article");
  await page.context().close();
});

test("the sheet traps focus, Escape closes it, and focus returns to the bag button", async () => {
  const page = await shop();
  const badge = page.locator("shoppable-checkout button.badge");
  await badge.focus();
  await page.keyboard.press("Enter");
  await dialog(page).locator('button[part="checkout-button"]').waitFor();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    const inside = await page.evaluate(() => {
      const host = document.activeElement;
      return host?.localName === "shoppable-checkout" && !!host.shadowRoot.activeElement?.closest("dialog");
    });
    assert.ok(inside, `focus left the sheet after ${i + 1} Tab presses`);
  }
  await page.keyboard.press("Escape");
  await dialog(page).waitFor({ state: "hidden" });
  const focused = await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className);
  assert.equal(focused, "badge");
  await page.context().close();
});

test("a quote answering 500, then malformed JSON, then hanging: clear messages, retry, nothing lost", async () => {
  const page = await shop();
  let mode = "500";
  await page.route("**/v1/quote", async (route) => {
    if (mode === "500") return route.fulfill({ status: 500, contentType: "application/json", body: '{"code":"internal","message":"boom"}' });
    if (mode === "malformed") return route.fulfill({ status: 200, contentType: "application/json", body: "{not json" });
    if (mode === "hang") return; // never answers: the widget's time-out must fire
    return route.continue();
  });
  await openBag(page);
  await failure(page).filter({ hasText: "Le magasin a rencontré un problème" }).waitFor();
  mode = "malformed";
  await failure(page).getByRole("button", { name: "Réessayer" }).click();
  await failure(page).filter({ hasText: "réponse inattendue" }).waitFor();
  mode = "hang";
  await failure(page).getByRole("button", { name: "Réessayer" }).click();
  await failure(page).filter({ hasText: "ne répond pas" }).waitFor({ timeout: 5000 });
  mode = "ok";
  await failure(page).getByRole("button", { name: "Réessayer" }).click();
  await dialog(page).locator(".totals").waitFor();
  assert.equal(await failure(page).textContent(), "");
  assert.match(await dialog(page).locator(".line-title").textContent(), /Tasse/, "the bag line is still there");
  await page.context().close();
});

test("an address typed before a failed quote is still there, and the step can be retried", async () => {
  const page = await shop();
  await openBag(page);
  await dialog(page).locator('button[part="checkout-button"]').click();
  await fillAddress(page);
  await page.route("**/v1/quote", (route) => route.abort("connectionrefused"));
  await dialog(page).getByRole("button", { name: "Continuer" }).click();
  await failure(page).filter({ hasText: "Connexion impossible" }).waitFor();
  await dialog(page).getByRole("button", { name: "Retour" }).click();
  assert.equal(await page.getByLabel("Ville").inputValue(), "Paris");
  assert.equal(await page.getByLabel("E-mail").inputValue(), "camille@example.com");
  await page.unroute("**/v1/quote");
  await dialog(page).getByRole("button", { name: "Continuer" }).click();
  await dialog(page).locator('input[name="shoppable-shipping"]').first().waitFor();
  await page.context().close();
});

test("the address form explains each problem next to its field", async () => {
  const page = await shop();
  await openBag(page);
  await dialog(page).locator('button[part="checkout-button"]').click();
  await page.getByLabel("E-mail").fill("camille@");
  await dialog(page).getByRole("button", { name: "Continuer" }).click();
  const email = page.getByLabel("E-mail");
  assert.equal(await email.getAttribute("aria-invalid"), "true");
  const describedBy = await email.getAttribute("aria-describedby");
  assert.match(await dialog(page).locator(`#${describedBy}`).textContent(), /n'a pas l'air valide/);
  assert.match(await dialog(page).locator("#shoppable-name-error").textContent(), /Indiquez votre nom/);
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.id), "shoppable-name", "focus goes to the first bad field");
  await page.context().close();
});

test("a line beyond the stock is brought down to what is left, and the shopper is told", async () => {
  const page = await shop([{ variant_id: "tasse-blanche", product_id: "tasse-espresso", title: "Tasse à espresso en grès", variant_title: "Blanc", quantity: 99 }]);
  await openBag(page);
  const notice = dialog(page).locator(".notice");
  await notice.filter({ hasText: "quantité ajustée" }).waitFor();
  const [{ stock }] = queryDatabase(server, "SELECT stock FROM variants WHERE id = 'tasse-blanche'");
  assert.match(await notice.textContent(), new RegExp(`plus que ${stock} en stock`));
  assert.equal(await dialog(page).locator(".qty").textContent(), String(stock));
  // The adjusted bag is priced again: the line has its price, the subtotal is not zero.
  await dialog(page).locator(".line-price").filter({ hasText: "€" }).waitFor();
  assert.doesNotMatch(await dialog(page).locator(".line-price").textContent(), /plus disponible/);
  assert.doesNotMatch(await dialog(page).locator(".totals").textContent(), /\b0,00/);
  await page.context().close();
});

test("a product the shop no longer has leaves the bag under the title the shopper knows it by", async () => {
  const page = await shop([
    { variant_id: "vase-disparu", product_id: "vase", title: "Vase en céramique", variant_title: "", quantity: 1 },
    { variant_id: "tasse-blanche", product_id: "tasse-espresso", title: "Tasse à espresso en grès", variant_title: "Blanc", quantity: 1 },
  ]);
  await openBag(page);
  await dialog(page).locator(".notice").filter({ hasText: "« Vase en céramique » est épuisé : retiré du panier." }).waitFor();
  await page.waitForFunction(() => document.querySelector("shoppable-checkout").shadowRoot.querySelectorAll("li.line").length === 1);
  await dialog(page).locator(".totals").filter({ hasText: "14,90" }).waitFor();
  await page.context().close();
});

test("placing an order retried after a server failure reuses its key and creates one order", async () => {
  const page = await shop();
  const keys = [];
  let failFirst = true;
  await page.route("**/v1/orders", async (route) => {
    keys.push(route.request().headers()["idempotency-key"]);
    if (failFirst) {
      failFirst = false;
      // The backend places the order but the answer is lost on the way back.
      await route.fetch();
      return route.fulfill({ status: 502, body: "Bad gateway" });
    }
    return route.continue();
  });
  const before = orderCount();
  await placeOrderFromBag(page);
  await failure(page).filter({ hasText: "Le magasin a rencontré un problème" }).waitFor();
  await failure(page).getByRole("button", { name: "Réessayer" }).click();
  await dialog(page).locator(".order-number").waitFor();
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], "the retry sends the same Idempotency-Key");
  assert.equal(orderCount(), before + 1);
  await page.context().close();
});

test("an order whose answer was lost is sent again after a reload, with its key: one order", async () => {
  const page = await shop();
  const keys = [];
  let loseAnswer = true;
  await page.route("**/v1/orders", async (route) => {
    keys.push(route.request().headers()["idempotency-key"]);
    if (loseAnswer) {
      loseAnswer = false;
      await route.fetch(); // the backend places the order...
      return; // ...and the answer never comes back; the shopper reloads the page
    }
    return route.continue();
  });
  const before = orderCount();
  await placeOrderFromBag(page);
  await page.waitForFunction(() => Object.keys(sessionStorage).some((k) => k.startsWith("shoppable:pending:")));
  assert.equal(await dialog(page).getByRole("button", { name: "Retour" }).count(), 0, "a sent order cannot be edited");
  await page.reload();
  const number = await dialog(page).locator(".order-number").textContent();
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], "the reload sends the same Idempotency-Key");
  assert.equal(orderCount(), before + 1);
  assert.equal(queryDatabase(server, "SELECT number FROM orders ORDER BY created_at DESC LIMIT 1")[0].number, number);
  await page.context().close();
});
