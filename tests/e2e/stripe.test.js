// Stripe's card form as the payment frame (issue 21): the demo on the `stripe` provider, with
// localstripe as Stripe (stripe-stand-in.js). Stripe.js Elements take the card inside the
// frame, on the payment origin; the order is a PaymentIntent at Stripe, checked there. A
// skimming script on the host page sees no card number and no CVC; a declined card is told
// inside the frame; a card asking for 3-D Secure gets Stripe.js's challenge inside the frame,
// and the order follows what Stripe says of the intent.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, paymentFrame, sheet, cardDigitsIn, buyToPayment, continueButton, openDemo, ordersIn } from "./support.js";
import { startStripeStandIn } from "./stripe-stand-in.js";

let server, browser, standIn;

before(async () => {
  standIn = await startStripeStandIn();
  server = await startServer({ args: standIn.flags });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await standIn?.stop();
});

const newPage = (options) => openDemo(browser, server, options);

const orders = () => ordersIn(server);

/** Types a card into Stripe's card Element (localstripe's stand-in: one input per part), the
 * number and the CVC key by key, over what the fields held. */
async function typeCard(page, number, cvc = "123") {
  const frame = paymentFrame(page);
  for (const [field, value] of [["number", number], ["exp_month", "12"], ["exp_year", "30"], ["cvc", cvc]]) {
    await frame.getByPlaceholder(field).fill("");
    await frame.getByPlaceholder(field).pressSequentially(value);
  }
}

async function placeOrder(page) {
  await sheet(page).locator('button[part="place-order"]:not([disabled])').click();
}

test("a purchase with 4242 in Stripe's card form is one PaymentIntent at Stripe, and a skimmer on the page sees no card", async () => {
  const page = await newPage({ skim: true });
  await buyToPayment(page);
  assert.match(await page.locator("shoppable-checkout iframe.payment-frame").getAttribute("src"), /\/v1\/payments\/stripe\/frame\?/);
  await typeCard(page, "4242424242424242", "737");
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 4242" }).waitFor();
  await placeOrder(page);
  const number = await sheet(page).locator(".order-number").textContent();
  const row = orders().find((o) => o.number === number);
  assert.equal(row.status, "paid");
  const order = JSON.parse(row.document);
  assert.deepEqual(order.payment, { provider: "stripe", brand: "visa", last4: "4242" });
  const intents = await standIn.intentsOf(order.id);
  assert.equal(intents.length, 1);
  assert.equal(intents[0].status, "succeeded");
  assert.equal(intents[0].amount, order.total.amount);
  assert.equal(intents[0].currency, "eur");

  await page.waitForTimeout(200); // one more scan
  const skimmed = await page.evaluate(() => window.__skimmed);
  const keys = (await page.evaluate(() => window.__skimmedKeys)).join("");
  // The skimmer works: it saw what the host page does handle (the address, the order request).
  assert.ok(skimmed.some((s) => s.includes("Camille Martin")), "the skimmer reads the page's fields");
  assert.ok(skimmed.some((s) => s.startsWith("fetch body") && s.includes('"provider":"stripe"')), "the skimmer reads the order request");
  assert.ok(skimmed.some((s) => s.startsWith("port message") && /"token":"pm_/.test(s)), "the skimmer reads the frame's messages");
  // But no digits of the card beyond the last four, and no CVC.
  assert.deepEqual(cardDigitsIn([...skimmed, keys], "4242 4242 4242 4242").filter((s) => !/^[^0-9]*4242[^0-9]*$/.test(s)), []);
  assert.deepEqual(cardDigitsIn([...skimmed, keys], "4242424242424242").filter((s) => s.includes("424242")), []);
  const withoutIds = (text) => text.replace(/[0-9A-Za-z]{12,}/g, "");
  assert.deepEqual(skimmed.filter((s) => withoutIds(s).includes("737") || /"cvc"/.test(s)), []);
  assert.ok(!keys.includes("737"), "no CVC key presses");
  await page.context().close();
});

test("a card declined by Stripe is told inside the frame, nothing is charged, and another card goes through", async () => {
  const page = await newPage();
  const before = orders().length;
  await buyToPayment(page);
  await typeCard(page, "4000000000000341");
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 0341" }).waitFor();
  await placeOrder(page);
  const frame = paymentFrame(page);
  await frame.getByRole("alert").filter({ hasText: "Votre carte a été refusée. Essayez une autre carte." }).waitFor();
  await page.locator('shoppable-checkout[data-step="payment"]').waitFor({ state: "attached" });
  assert.equal(await sheet(page).locator(".failure").textContent(), "", "said once, in the frame");
  assert.equal(orders().length, before, "no order kept");
  const charged = (await standIn.stripe("/v1/payment_intents?limit=100")).data.filter((i) => i.status === "succeeded").length;

  await typeCard(page, "4242424242424242");
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 4242" }).waitFor();
  await placeOrder(page);
  const number = await sheet(page).locator(".order-number").textContent();
  assert.equal(orders().find((o) => o.number === number).status, "paid");
  const after = (await standIn.stripe("/v1/payment_intents?limit=100")).data.filter((i) => i.status === "succeeded").length;
  assert.equal(after, charged + 1, "one charge: the second card's");
  await page.context().close();
});

test("a card asking for 3-D Secure runs Stripe's challenge in the frame: completed, the order is paid once Stripe says so", async () => {
  const page = await newPage();
  await buyToPayment(page);
  await typeCard(page, "4000002760003184");
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 3184" }).waitFor();
  await placeOrder(page);
  // Stripe.js's challenge (localstripe's stand-in) is inside the frame, never in the page.
  const complete = paymentFrame(page).getByRole("button", { name: "Complete authentication" });
  await complete.waitFor();
  assert.equal(await page.getByRole("button", { name: "Complete authentication" }).count(), 0);
  const held = orders().find((o) => o.status === "placed");
  assert.equal(held.status, "placed", "held while the bank asks");
  assert.equal((await standIn.intentsOf(held.id))[0].status, "requires_action");
  await complete.click();
  const number = await sheet(page).locator(".order-number").textContent();
  const row = orders().find((o) => o.number === number);
  assert.equal(row.id, held.id);
  assert.equal(row.status, "paid");
  const intents = await standIn.intentsOf(row.id);
  assert.deepEqual(intents.map((i) => i.status), ["succeeded"], "one PaymentIntent, charged");
  await page.context().close();
});

test("a failed Stripe challenge is told in the frame: the intent is cancelled, nothing charged, no order kept", async () => {
  const page = await newPage();
  const before = orders().length;
  await buyToPayment(page);
  await typeCard(page, "4000002760003184");
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 3184" }).waitFor();
  await placeOrder(page);
  await paymentFrame(page).getByRole("button", { name: "Fail authentication" }).waitFor();
  const held = orders().find((o) => o.status === "placed");
  await paymentFrame(page).getByRole("button", { name: "Fail authentication" }).click();
  await paymentFrame(page).getByRole("alert")
    .filter({ hasText: "Votre banque n'a pas confirmé le paiement ; rien n'a été débité. Réessayez ou utilisez une autre carte." }).waitFor();
  await page.locator('shoppable-checkout[data-step="payment"]').waitFor({ state: "attached" });
  assert.equal(orders().length, before, "no order kept");
  const intents = await standIn.intentsOf(held.id);
  assert.deepEqual(intents.map((i) => i.status), ["canceled"], "cancelled at Stripe: it can never charge");
  await page.context().close();
});
