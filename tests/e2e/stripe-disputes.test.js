// Disputes in the console (issue 21): a payment taken with Stripe (localstripe, through
// stripe-stand-in.js) is disputed by the shopper's bank; Stripe's signed events
// (charge.dispute.created, then .closed) reach the server's webhook endpoint, and the shop owner
// sees the dispute in the console's Disputes list and on the order, then its outcome. axe-core
// on both views, in French and English. localstripe 1.15.10 has no disputes: the events are
// built here in the shape of Stripe's API reference ("The Dispute object") and signed as Stripe
// signs them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { startServer, launchBrowser, axeViolations, openConsole as openConsoleOf } from "./support.js";
import { startStripeStandIn } from "./stripe-stand-in.js";

const WEBHOOK_SECRET = "whsec_e2e_disputes";
let server, browser, standIn;

before(async () => {
  standIn = await startStripeStandIn();
  server = await startServer({ args: [...standIn.flags, "--stripe-webhook-secret", WEBHOOK_SECRET] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await standIn?.stop();
});

const admin = (path, init = {}) => fetch(`${server.url}${path}`, {
  ...init,
  headers: { authorization: `Bearer ${server.adminToken}`, ...init.headers },
}).then((r) => r.json());

/** An order of one mug, paid with 4242 at Stripe: the order. */
async function paidOrder() {
  const product = `mug-${randomBytes(4).toString("hex")}`;
  const feed = `id,title,description,availability,condition,price,link,image_link,brand,quantity\n${product},Mug,A mug,in stock,new,12.00 EUR,https://shop.example/m,https://shop.example/m.jpg,Test,5\n`;
  await admin("/v1/admin/catalog/import", { method: "POST", headers: { "content-type": "text/csv" }, body: feed });
  const paymentMethod = await standIn.paymentMethod("4242424242424242");
  const order = await fetch(`${server.url}/v1/orders`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": randomBytes(8).toString("hex") },
    body: JSON.stringify({
      lines: [{ variant_id: product, quantity: 1 }], shipping_option: "standard", payment: { provider: "stripe", token: paymentMethod },
      address: { name: "Camille Martin", email: "camille@example.com", line1: "12 rue des Lilas", postal_code: "75011", city: "Paris", country: "FR" },
    }),
  }).then((r) => r.json());
  assert.equal(order.status, "paid", JSON.stringify(order));
  return order;
}

/** Posts a Stripe event about `object`, signed with the endpoint's secret. */
async function sendEvent(type, object) {
  const created = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({ id: `evt_${randomBytes(8).toString("hex")}`, object: "event", api_version: "2024-06-20", created, livemode: false,
    pending_webhooks: 1, request: { id: null, idempotency_key: null }, type, data: { object } });
  const signature = createHmac("sha256", WEBHOOK_SECRET).update(`${created}.${body}`).digest("hex");
  const answer = await fetch(`${server.url}/v1/payments/stripe/webhook`, {
    method: "POST", headers: { "content-type": "application/json", "stripe-signature": `t=${created},v1=${signature}` }, body,
  });
  assert.equal(answer.status, 200, await answer.text());
}

function dispute(id, intentId, amount, status) {
  const created = Math.floor(Date.now() / 1000);
  return { id, object: "dispute", amount, currency: "eur", charge: "ch_3stand_in", payment_intent: intentId, reason: "product_not_received",
    status, created, is_charge_refundable: false, livemode: false, metadata: {},
    evidence_details: { due_by: created + 7 * 86400, has_evidence: false, past_due: false, submission_count: 0 } };
}

const openConsole = (lang, hash) => openConsoleOf(browser, server, hash, lang);

// First: the tests of a file run in order, and the next one opens a dispute.
test("with no dispute, the list says so", async () => {
  assert.deepEqual((await admin("/v1/admin/disputes")).disputes, []);
  const { page, context } = await openConsole("en", "#/disputes");
  await page.locator("main p", { hasText: "No disputes." }).waitFor();
  assert.deepEqual(await axeViolations(page), [], "empty disputes list");
  await context.close();
});

test("a dispute told by Stripe is listed in the console and shown on its order, then closed as lost", async () => {
  const order = await paidOrder();
  const [intent] = await standIn.intentsOf(order.id);
  const disputeId = `dp_${randomBytes(6).toString("hex")}`;
  await sendEvent("charge.dispute.created", dispute(disputeId, intent.id, order.total.amount, "needs_response"));

  const { page, context, errors } = await openConsole("fr", "");
  await page.getByRole("link", { name: "Litiges" }).click();
  await page.locator("main h2", { hasText: "Litiges" }).waitFor();
  const row = page.locator("table.disputes tbody tr", { hasText: order.number });
  await row.waitFor();
  const total = (order.total.amount / 100).toFixed(2).replace(".", ",");
  assert.match(await row.textContent(), new RegExp(`Produit non reçu.*Ouvert : à contester chez Stripe.*Répondre avant le.*${total}\\s€`, "s"));
  assert.equal(await page.getByRole("link", { name: "Litiges" }).getAttribute("aria-current"), "page");
  assert.deepEqual(await axeViolations(page), [], "disputes list");

  // On the order's page.
  await row.getByRole("link", { name: order.number }).click();
  await page.locator("main h2", { hasText: order.number }).waitFor();
  const section = page.locator("section", { has: page.locator("h3", { hasText: "Litiges" }) });
  await section.locator("tbody tr", { hasText: "Ouvert" }).waitFor();
  assert.deepEqual(await axeViolations(page), [], "order page with a dispute");

  // Lost: the list says so, with the day it closed.
  await sendEvent("charge.dispute.closed", dispute(disputeId, intent.id, order.total.amount, "lost"));
  await page.goto(`${server.url}/console/?lang=fr#/disputes`);
  await page.locator("table.disputes tbody tr", { hasText: order.number }).filter({ hasText: "Perdu" }).filter({ hasText: "Clos le" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();

  // In English, on a phone's width.
  const english = await openConsole("en", "#/disputes");
  await english.page.setViewportSize({ width: 390, height: 800 });
  await english.page.locator("table.disputes tbody tr", { hasText: order.number }).filter({ hasText: "Lost" }).filter({ hasText: "Product not received" }).waitFor();
  assert.deepEqual(await axeViolations(english.page), [], "disputes list in English");
  await english.context.close();
});
