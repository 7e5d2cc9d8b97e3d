// The whole purchase in real Chromium against the reference server: from a tag to a
// confirmed order in the database, the declined card, the double click, and axe-core on
// the product card and every checkout step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations, queryDatabase, fillAddress, fillCard, paymentFrame, useServerAndBrowser } from "./support.js";

const shop = useServerAndBrowser();

/** Accessibility violations of the page (shadow roots included), as readable lines. */
async function openDemo() {
  const page = await shop.browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${shop.server.url}/`);
  await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  return page;
}

/** Opens the espresso cup's card from the coffee photo and picks the white cup. */
async function openCupCard(page) {
  const figure = page.locator('figure:has(img[data-shoppable-post="coffee"])');
  await figure.locator("img").click({ position: { x: 10, y: 10 } });
  await figure.locator("shoppable-tags button.tag").first().click();
  const card = figure.locator('shoppable-tags [role="dialog"]');
  await card.locator('button[part="add-to-bag"]').waitFor();
  return card;
}

const sheet = (page) => page.locator("shoppable-checkout dialog");

async function payWith(page, number) {
  await fillCard(page, number);
  await sheet(page).getByRole("button", { name: "Continuer" }).click();
  await sheet(page).locator('button[part="place-order"]').waitFor();
}

/** From the open card: add the white cup, check out, fill the address, keep standard shipping. */
async function toPayment(page, card, { checkAxe = false } = {}) {
  await card.getByRole("button", { name: "Blanc" }).click();
  await card.locator('button[part="add-to-bag"]').click();
  await page.locator("shoppable-checkout button.badge").click();
  const dialog = sheet(page);
  await dialog.waitFor();
  await dialog.locator(".line-price").first().filter({ hasText: "€" }).waitFor();
  if (checkAxe) assert.deepEqual(await axeViolations(page), [], "bag step");
  await dialog.locator('button[part="checkout-button"]').click();
  await page.getByLabel("Nom complet").waitFor();
  if (checkAxe) assert.deepEqual(await axeViolations(page), [], "details step");
  await fillAddress(page);
  await dialog.getByRole("button", { name: "Continuer" }).click();
  await dialog.locator('input[name="shoppable-shipping"]').first().waitFor();
  // Focus starts each step at its heading (the button that was pressed is gone).
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.textContent), "Mode de livraison");
  if (checkAxe) assert.deepEqual(await axeViolations(page), [], "shipping step");
  await dialog.getByRole("button", { name: "Continuer" }).click();
  await paymentFrame(page).getByLabel("Numéro de carte").waitFor();
  if (checkAxe) assert.deepEqual(await axeViolations(page), [], "payment step");
}

const orders = () => queryDatabase(shop.server, "SELECT id, number, status, document FROM orders ORDER BY created_at");

test("a shopper buys the white cup from the photo and the order is in the database", async () => {
  const page = await openDemo();
  const card = await openCupCard(page);
  assert.deepEqual(await axeViolations(page), [], "product card");
  assert.ok(await card.getByRole("button", { name: "Noir" }).isDisabled(), "the sold-out colour is disabled");
  const before = orders().length;
  await page.evaluate(() => {
    window.events = [];
    for (const name of ["shoppable:payment-submitted", "shoppable:order-placed"]) {
      document.addEventListener(name, (event) => window.events.push({ name, detail: event.detail }));
    }
  });
  await toPayment(page, card, { checkAxe: true });
  await payWith(page, "4242 4242 4242 4242");
  assert.deepEqual(await axeViolations(page), [], "review step");
  const total = await sheet(page).locator(".totals .total dd").textContent();
  await sheet(page).locator('button[part="place-order"]').click();
  const number = await sheet(page).locator(".order-number").textContent();
  assert.match(number, /^SH-/);
  assert.deepEqual(await axeViolations(page), [], "confirmation");

  const placed = orders();
  assert.equal(placed.length, before + 1);
  const order = JSON.parse(placed.at(-1).document);
  assert.equal(placed.at(-1).number, number);
  assert.equal(placed.at(-1).status, "paid");
  assert.equal(order.lines.length, 1);
  assert.equal(order.lines[0].variant_id, "tasse-blanche");
  // 14.90 + standard shipping 4.90 to France = 19.80, as the sheet said.
  assert.equal(order.total.amount, 1980);
  assert.equal(total.replace(/\s/g, " "), "19,80 €");
  // The page hears about the payment and the order, for its analytics.
  assert.deepEqual(await page.evaluate(() => window.events), [
    { name: "shoppable:payment-submitted", detail: { provider: "test", brand: "visa" } },
    { name: "shoppable:order-placed", detail: { orderId: placed.at(-1).id, number, total: { amount: 1980, currency: "EUR" } } },
  ]);

  await sheet(page).getByRole("button", { name: "Suivre ma commande" }).click();
  await sheet(page).locator('[part="order-status"]').filter({ hasText: "Payée" }).waitFor();
  assert.deepEqual(await axeViolations(page), [], "order status");

  // The shop ships it: the status view shows the parcel's tracking link, and no cancel.
  const shipped = await fetch(`${shop.server.url}/v1/admin/orders/${placed.at(-1).id}/ship`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${shop.server.adminToken}` },
    body: JSON.stringify({ tracking_number: "LP123456789FR", tracking_url: "https://suivi.example/LP123456789FR" }),
  });
  assert.equal(shipped.status, 200);
  await sheet(page).getByRole("button", { name: "Retour" }).click();
  await sheet(page).locator(".order-link").filter({ hasText: number }).click();
  await sheet(page).locator('[part="order-status"]').filter({ hasText: "Expédiée" }).waitFor();
  assert.equal(await sheet(page).getByRole("link", { name: "Suivre le colis" }).getAttribute("href"), "https://suivi.example/LP123456789FR");
  assert.match(await sheet(page).locator(".timeline").textContent(), /LP123456789FR/);
  assert.equal(await sheet(page).getByRole("button", { name: "Annuler la commande" }).count(), 0);
  await page.close();
});

test("a declined card shows its error and creates no paid order", async () => {
  const page = await openDemo();
  const before = orders().length;
  await toPayment(page, await openCupCard(page));
  await payWith(page, "4000 0000 0000 0002");
  await sheet(page).locator('button[part="place-order"]').click();
  // Back on the payment step, where the provider's frame says it.
  await paymentFrame(page).getByRole("alert").filter({ hasText: "Votre carte a été refusée" }).waitFor();
  assert.equal(orders().length, before, "no order remains");
  // Nothing typed is lost: the address is still there.
  await sheet(page).getByRole("button", { name: "Retour" }).click();
  await sheet(page).getByRole("button", { name: "Retour" }).click();
  assert.equal(await page.getByLabel("Nom complet").inputValue(), "Camille Martin");
  await page.close();
});

test("a double click on Place order creates one order", async () => {
  const page = await openDemo();
  const before = orders().length;
  await toPayment(page, await openCupCard(page));
  await payWith(page, "4242424242424242");
  await sheet(page).locator('button[part="place-order"]').dblclick();
  const number = await sheet(page).locator(".order-number").textContent();
  await page.waitForTimeout(300);
  assert.equal(orders().length, before + 1);

  // A returning shopper finds the order from the bag badge, and cancels it within the window.
  await page.keyboard.press("Escape");
  await page.locator("shoppable-checkout button.badge").click();
  await sheet(page).getByRole("button", { name: "Mes commandes" }).click();
  await sheet(page).locator(".order-link").filter({ hasText: number }).click();
  await sheet(page).locator('[part="order-status"]').filter({ hasText: "Payée" }).waitFor();
  assert.match(await sheet(page).locator(".note").textContent(), /Annulable jusqu'à/);
  await sheet(page).getByRole("button", { name: "Annuler la commande" }).click();
  // Cancelling asks once more; "keep it" changes nothing.
  await sheet(page).getByText("Annuler cette commande ?").waitFor();
  await sheet(page).getByRole("button", { name: "Non, la garder" }).click();
  assert.equal(orders().find((o) => o.number === number).status, "paid");
  await sheet(page).getByRole("button", { name: "Annuler la commande" }).click();
  await sheet(page).getByRole("button", { name: "Oui, annuler" }).click();
  await sheet(page).locator('[part="order-status"]').filter({ hasText: "Annulée" }).waitFor();
  assert.equal(orders().find((o) => o.number === number).status, "cancelled");
  await page.close();
});
