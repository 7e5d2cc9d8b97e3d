// Stripe's card form as the payment frame (issue 21): the demo on the `stripe` provider, with
// localstripe as Stripe (stripe-stand-in.js). Stripe.js Elements take the card inside the
// frame, on the payment origin; the order is a PaymentIntent at Stripe, checked there. A
// skimming script on the host page sees no card number and no CVC, and no id of a saved card;
// a declined card is told inside the frame, with the bag and the details kept; a saved card
// (a Customer and its PaymentMethod at Stripe) pays again after a reload, and is forgotten at
// Stripe; a kill -9 between Stripe's charge and the shop's record charges once; the console's
// refunds are refunded at Stripe, for exactly their amounts; a card asking for 3-D Secure gets
// Stripe.js's challenge inside the frame, and the order follows what Stripe says of the intent.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, paymentFrame, sheet, cardDigitsIn, buyToPayment, continueButton, openDemo, ordersIn, storedBag,
  openCoffeeCard, apiRequest, receivedReturn, openConsole } from "./support.js";
import { startStripeStandIn } from "./stripe-stand-in.js";

let server, browser, standIn;

before(async () => {
  standIn = await startStripeStandIn();
  // Crash recovery settles an order left halfway after a second.
  server = await startServer({ args: [...standIn.flags, "--recovery-after-seconds", "1", "--recovery-interval-seconds", "1"] });
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

test("a card declined by Stripe (4000 0000 0000 0002) is told inside the frame, nothing is charged, the bag and details stay, another card goes through", async () => {
  const page = await newPage();
  const before = orders().length;
  await buyToPayment(page);
  const bag = await storedBag(page, server.url);
  await typeCard(page, "4000000000000002");
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 0002" }).waitFor();
  await placeOrder(page);
  const frame = paymentFrame(page);
  await frame.getByRole("alert").filter({ hasText: "Votre carte a été refusée. Essayez une autre carte." }).waitFor();
  await page.locator('shoppable-checkout[data-step="payment"]').waitFor({ state: "attached" });
  assert.equal(await sheet(page).locator(".failure").textContent(), "", "said once, in the frame");
  assert.equal(orders().length, before, "no order kept");
  assert.deepEqual(await storedBag(page, server.url), bag, "the bag is intact");
  const charged = (await standIn.stripe("/v1/payment_intents?limit=100")).data.filter((i) => i.status === "succeeded").length;

  await typeCard(page, "4242424242424242");
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 4242" }).waitFor();
  assert.match(await sheet(page).locator(".summary").first().textContent(), /Camille Martin, 12 rue des Lilas, 75011 Paris/,
    "the details typed before are kept");
  await placeOrder(page);
  const number = await sheet(page).locator(".order-number").textContent();
  assert.equal(orders().find((o) => o.number === number).status, "paid");
  const after = (await standIn.stripe("/v1/payment_intents?limit=100")).data.filter((i) => i.status === "succeeded").length;
  assert.equal(after, charged + 1, "one charge: the second card's");
  await page.context().close();
});

/** The storage of the payment frame's origin, as a text. */
const frameStorage = (page) => page.frames().find((f) => f.url().startsWith(server.paymentsUrl)).evaluate(() => Object.values(localStorage).join(""));

/** "Buy now" on the coffee after a reload, with details and a card remembered: the review. */
async function buyNowAfterReload(page) {
  await page.reload();
  await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  const card = await openCoffeeCard(page);
  await card.locator('button[part="buy-now"]').click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 4242" }).waitFor();
}

test("a card saved at Stripe pays again after a reload, the page never sees its ids, and forgetting it detaches it at Stripe", async () => {
  const page = await newPage({ skim: true });
  await buyToPayment(page, { rememberDetails: true });
  const frame = paymentFrame(page);
  await typeCard(page, "4242424242424242");
  await frame.getByLabel("Mémoriser cette carte").check();
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 4242" }).waitFor();
  await placeOrder(page);
  const firstNumber = await sheet(page).locator(".order-number").textContent();

  // The frame's origin keeps a Customer and a PaymentMethod at Stripe, by id, and what the
  // receipt shows; the card is attached to that Customer at Stripe.
  const kept = await frameStorage(page);
  const match = kept.match(/^\{"id":"(pm_\w+)","customer":"(cus_\w+)","brand":"visa","last4":"4242","exp_month":12,"exp_year":2030\}$/);
  assert.ok(match, kept);
  const [, methodId, customerId] = match;
  assert.equal((await standIn.stripe(`/v1/payment_methods/${methodId}`)).customer, customerId);
  const hostStorage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.doesNotMatch(hostStorage, /pm_|cus_|4242/);

  // After a reload: "Buy now" goes straight to the review with the saved card, which pays.
  await buyNowAfterReload(page);
  await placeOrder(page);
  const secondNumber = await sheet(page).locator(".order-number").textContent();
  assert.notEqual(secondNumber, firstNumber);
  for (const number of [firstNumber, secondNumber]) {
    const row = orders().find((o) => o.number === number);
    assert.equal(row.status, "paid");
    const order = JSON.parse(row.document);
    assert.deepEqual(order.payment, { provider: "stripe", brand: "visa", last4: "4242" });
    const intents = await standIn.intentsOf(order.id);
    assert.equal(intents.length, 1, number);
    assert.deepEqual([intents[0].status, intents[0].customer, intents[0].payment_method, intents[0].amount],
      ["succeeded", customerId, methodId, order.total.amount], number);
  }

  // The page saw single-use tokens only: never the saved card's ids, and a token spent once
  // pays no other order.
  const skimmed = await page.evaluate(() => window.__skimmed);
  const tokens = skimmed.join(" ").match(/saved_[0-9a-f]{48}/g) ?? [];
  assert.ok(tokens.length >= 2, "the skimmer reads the frame's messages");
  assert.deepEqual(skimmed.filter((s) => s.includes(methodId) || s.includes(customerId)), []);
  const replay = await fetch(`${server.url}/v1/orders`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": "replayed-saved-token" },
    body: JSON.stringify({ ...JSON.parse(skimmed.find((s) => s.startsWith("fetch body") && s.includes(tokens[0])).slice("fetch body: ".length)) }),
  });
  assert.equal(replay.status, 422);
  assert.equal((await replay.json()).code, "invalid_payment_token");
  // Nor can the page ask the payment origin for a token of the saved card.
  const asked = await fetch(`${server.paymentsUrl}/v1/payments/stripe/cards/${methodId}/tokens`, {
    method: "POST", headers: { origin: server.url, "content-type": "application/json" }, body: JSON.stringify({ customer: customerId }),
  });
  assert.equal(asked.status, 403);
  assert.equal((await asked.json()).code, "origin_not_allowed");

  // "Modifier", then "Oublier cette carte": the PaymentMethod is detached at Stripe.
  await buyNowAfterReload(page);
  await sheet(page).locator(".summary").nth(1).getByRole("button", { name: "Modifier" }).click();
  await frame.getByRole("button", { name: "Visa •••• 4242" }).waitFor();
  await frame.getByRole("button", { name: "Oublier cette carte" }).click();
  await frame.getByRole("status").filter({ hasText: "Carte oubliée." }).waitFor();
  assert.equal(await frame.getByRole("button", { name: "Visa •••• 4242" }).count(), 0);
  assert.equal(await frameStorage(page), "");
  let customer = customerId;
  for (let i = 0; i < 50 && customer; i++) {
    await page.waitForTimeout(100);
    customer = (await standIn.stripe(`/v1/payment_methods/${methodId}`)).customer;
  }
  assert.equal(customer, null, "detached at Stripe");
  await page.context().close();
});

test("a server killed (kill -9) between Stripe's charge and its record is recovered: one order, charged once", async () => {
  const page = await newPage();
  await buyToPayment(page);
  await typeCard(page, "4242424242424242");
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 4242" }).waitFor();
  const before = orders().length;
  // Stripe charges; its answer never reaches the server, which is killed meanwhile.
  const charged = standIn.holdAnswerTo("/confirm");
  await placeOrder(page);
  await charged;
  await server.kill9AndRestart();

  // The shopper tries again (the same order, the same key) until the recovered order answers.
  let number = "";
  for (let i = 0; i < 60 && !number; i++) {
    const retry = sheet(page).getByRole("button", { name: "Réessayer" });
    if (await retry.isVisible()) await retry.click();
    await page.waitForTimeout(500);
    number = (await sheet(page).locator(".order-number").textContent({ timeout: 100 }).catch(() => "")) || "";
  }
  assert.match(number, /^SH-/);
  assert.equal(orders().length, before + 1, "one order");
  const row = orders().find((o) => o.number === number);
  assert.equal(row.status, "paid");
  const order = JSON.parse(row.document);
  const intents = await standIn.intentsOf(order.id);
  assert.deepEqual(intents.map((i) => i.status), ["succeeded"], "exactly one succeeded PaymentIntent for the order");
  assert.equal(intents[0].amount, order.total.amount);
  await page.context().close();
});

test("a refunded return and a refund from the console are refunded at Stripe, for exactly their amounts", async () => {
  const address = { name: "Camille Martin", email: "camille@example.com", line1: "12 rue des Lilas", postal_code: "75011", city: "Paris", country: "FR" };
  const order = await apiRequest(server, "POST", "/v1/orders", {
    lines: [{ variant_id: "cafe-moka", quantity: 2 }, { variant_id: "soucoupe", quantity: 1 }], address, shipping_option: "standard",
    payment: { provider: "stripe", token: await standIn.paymentMethod("4242424242424242") }, locale: "fr",
  }, { "idempotency-key": `refunds-${Date.now()}` });
  const ret = await receivedReturn(server, order);
  const [intent] = await standIn.intentsOf(order.id);

  const { page, context } = await openConsole(browser, server, `#/orders/${order.id}`);
  await page.locator("main h2", { hasText: order.number }).waitFor();
  const euros = (amount) => `${(amount / 100).toFixed(2).replace(".", ",")}\u00a0€`;

  await page.getByRole("button", { name: `Rembourser ${euros(ret.refund.amount)}…` }).click();
  await page.getByRole("button", { name: `Confirmer le remboursement de ${euros(ret.refund.amount)}` }).click();
  await page.locator(".done", { hasText: "Retour remboursé." }).waitFor();
  assert.deepEqual(await standIn.refundsOf(intent.id), [ret.refund.amount], "the return's refund, at Stripe");

  const left = order.total.amount - ret.refund.amount;
  await page.getByRole("button", { name: `Rembourser ${euros(left)}…` }).click();
  await page.getByRole("button", { name: `Confirmer le remboursement de ${euros(left)}` }).click();
  await page.locator(".done", { hasText: "Commande remboursée." }).waitFor();
  const refunds = (await standIn.refundsOf(intent.id)).sort((a, b) => a - b);
  assert.deepEqual(refunds, [ret.refund.amount, left].sort((a, b) => a - b), "the rest of the order, and not a cent more");
  const charge = await standIn.stripe(`/v1/charges/${intent.latest_charge?.id ?? intent.latest_charge}`);
  assert.equal(charge.amount_refunded, order.total.amount);
  await context.close();
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
