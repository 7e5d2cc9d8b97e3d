// Strong Customer Authentication (issue 21) with the `test` provider: its card
// 4000 0027 6000 3184 asks for 3-D Secure. The order answers `requires_action`, the frame shows
// the test bank's challenge (never the host page), and the order is paid once it is completed,
// or released with nothing charged when it fails, is abandoned across a reload, or expires.
// From a phone's width.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServer, useServerAndBrowser, queryDatabase, fillCard, paymentFrame, sheet, buyToPayment, continueButton, openDemo,
  ordersIn } from "./support.js";

const PHONE = { width: 390, height: 844 };
const SCA_CARD = "4000 0027 6000 3184";
const shop = useServerAndBrowser();

const stock = (of = shop.server) => queryDatabase(of, "SELECT stock FROM variants WHERE id = 'cafe-moka'")[0].stock;
const charges = (of = shop.server) => queryDatabase(of, "SELECT COUNT(*) AS n FROM test_payment_charges")[0].n;
const challenge = (page) => paymentFrame(page).locator("#challenge");

/** The coffee to the review step with the card that asks for 3-D Secure, then "Place order":
 * the frame shows the test bank's challenge. */
async function toChallenge(page) {
  await buyToPayment(page);
  await fillCard(page, SCA_CARD);
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 3184" }).waitFor();
  await sheet(page).locator('button[part="place-order"]:not([disabled])').click();
  await challenge(page).getByRole("heading", { name: "Confirmez ce paiement" }).waitFor();
}

test("a card asking for 3-D Secure shows the bank's challenge in the frame, and Complete pays the order once", async () => {
  const page = await openDemo(shop.browser, shop.server, { viewport: PHONE, skim: true });
  const [stockBefore, chargesBefore] = [stock(), charges()];
  await toChallenge(page);
  await sheet(page).getByRole("status").filter({ hasText: "Votre banque demande de confirmer ce paiement" }).waitFor();
  assert.equal(await sheet(page).locator('button[part="place-order"]').isDisabled(), true, "no second order meanwhile");
  assert.equal(stock(), stockBefore - 1, "the coffee is held while the bank asks");
  assert.equal(charges(), chargesBefore, "nothing charged yet");
  // The challenge is inside the frame: the host page has none of it.
  assert.equal(await page.getByText("Confirmez ce paiement").count(), 0);
  const frameBox = await page.locator("shoppable-checkout iframe.payment-frame").boundingBox();
  assert.ok(frameBox.width <= PHONE.width, "the frame fits the phone");

  // Keyboard: the challenge takes the focus; Enter completes it.
  const complete = challenge(page).getByRole("button", { name: "Confirmer le paiement" });
  await assert.doesNotReject(() => complete.evaluate((button) => {
    if (document.activeElement !== button) throw new Error("the Complete button has the focus");
  }));
  await complete.press("Enter");
  const number = await sheet(page).locator(".order-number").textContent();
  const row = ordersIn(shop.server).find((o) => o.number === number);
  assert.equal(row.status, "paid");
  assert.deepEqual(JSON.parse(row.document).payment, { provider: "test", brand: "visa", last4: "3184" });
  assert.equal(charges(), chargesBefore + 1, "charged once");
  assert.equal(stock(), stockBefore - 1);
  // The host page saw the challenge's handle (the client secret), never the card.
  const skimmed = await page.evaluate(() => window.__skimmed);
  assert.ok(skimmed.some((s) => s.includes('"type":"authenticate"')), "the skimmer reads the port");
  assert.deepEqual(skimmed.filter((s) => s.replace(/\s/g, "").includes("400000276000")), []);
  await page.context().close();
});

test("a failed challenge is told in the frame: nothing charged, the coffee back in stock, the bag and address kept", async () => {
  const page = await openDemo(shop.browser, shop.server, { viewport: PHONE });
  const [stockBefore, chargesBefore, ordersBefore] = [stock(), charges(), ordersIn(shop.server).length];
  await toChallenge(page);
  await challenge(page).getByRole("button", { name: "Refuser" }).click();
  await paymentFrame(page).getByRole("alert")
    .filter({ hasText: "Votre banque n'a pas confirmé le paiement ; rien n'a été débité. Réessayez ou utilisez une autre carte." }).waitFor();
  await page.locator('shoppable-checkout[data-step="payment"]').waitFor({ state: "attached" });
  assert.equal(charges(), chargesBefore, "nothing charged");
  assert.equal(stock(), stockBefore, "the coffee is back in stock");
  assert.equal(ordersIn(shop.server).length, ordersBefore, "no order kept");

  // Another card: the same bag and address, paid.
  await fillCard(page, "4242 4242 4242 4242");
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 4242" }).waitFor();
  assert.match(await sheet(page).locator(".summary").first().textContent(), /Camille Martin, 12 rue des Lilas, 75011 Paris/);
  assert.match(await sheet(page).locator(".lines").textContent(), /Café en grains/);
  await sheet(page).locator('button[part="place-order"]:not([disabled])').click();
  const number = await sheet(page).locator(".order-number").textContent();
  assert.equal(ordersIn(shop.server).find((o) => o.number === number).status, "paid");
  assert.equal(charges(), chargesBefore + 1);
  await page.context().close();
});

test("a double click on Complete pays once", async () => {
  const page = await openDemo(shop.browser, shop.server, { viewport: PHONE });
  const [chargesBefore, ordersBefore] = [charges(), ordersIn(shop.server).length];
  await toChallenge(page);
  await challenge(page).getByRole("button", { name: "Confirmer le paiement" }).dblclick();
  await sheet(page).locator(".order-number").waitFor();
  await page.waitForTimeout(300); // any second request would have landed
  assert.equal(charges(), chargesBefore + 1, "one charge");
  assert.equal(ordersIn(shop.server).length, ordersBefore + 1, "one order");
  assert.equal(await sheet(page).locator(".failure").textContent(), "");
  await page.context().close();
});

test("a reload mid-challenge keeps the bag: the challenge comes back in the frame, and completing it pays", async () => {
  const page = await openDemo(shop.browser, shop.server, { viewport: PHONE });
  const chargesBefore = charges();
  await toChallenge(page);
  await page.reload();
  // The pending order is sent again with its key: the backend answers the same challenge.
  await challenge(page).getByRole("heading", { name: "Confirmez ce paiement" }).waitFor();
  assert.match(await sheet(page).locator(".lines").textContent(), /Café en grains/, "the bag is intact");
  await challenge(page).getByRole("button", { name: "Confirmer le paiement" }).click();
  const number = await sheet(page).locator(".order-number").textContent();
  assert.equal(ordersIn(shop.server).find((o) => o.number === number).status, "paid");
  assert.equal(charges(), chargesBefore + 1);
  await page.context().close();
});

test("a challenge abandoned by a reload and never finished is released when its hold ends: nothing charged", async () => {
  const short = await startServer({ args: ["--authentication-hold-seconds", "3", "--recovery-after-seconds", "1", "--recovery-interval-seconds", "1"] });
  try {
    const page = await openDemo(shop.browser, short, { viewport: PHONE });
    const stockBefore = stock(short);
    await toChallenge(page);
    await page.reload();
    await challenge(page).getByRole("heading", { name: "Confirmez ce paiement" }).waitFor();
    assert.equal(stock(short), stockBefore - 1, "held");
    // The shopper walks away: the server releases the order by itself.
    const deadline = Date.now() + 20_000;
    while (stock(short) !== stockBefore && Date.now() < deadline) await new Promise((done) => setTimeout(done, 250));
    assert.equal(stock(short), stockBefore, "released after the hold");
    assert.equal(charges(short), 0);
    // Back on the page, Complete is too late: the frame says it, and the bag is still there.
    await challenge(page).getByRole("button", { name: "Confirmer le paiement" }).click();
    await paymentFrame(page).getByRole("alert").filter({ hasText: "Votre banque n'a pas confirmé le paiement" }).waitFor();
    assert.equal(charges(short), 0, "nothing charged");
    assert.equal(ordersIn(short).length, 0);
    await page.context().close();
  } finally {
    await short.stop();
  }
});
