// What a shop found wrong in its console (issue 26), on the reference server: every refund says
// its amount and asks for confirmation, and the order then shows what was refunded (to the shop
// and to the shopper); a product without variants is named once; "Import" without a file says
// so; insights agree with themselves (the header's revenue is the rows' revenue, "Buy now" has
// its column, dates are written for people); counts take their plural.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { adminRequest, apiRequest, openConsole as openConsoleOf, queryDatabase, receivedReturn, sheet, useServerAndBrowser } from "./support.js";

const shop = useServerAndBrowser();

const call = (method, path, body, headers) => apiRequest(shop.server, method, path, body, headers);
const admin = (method, path, body) => adminRequest(shop.server, method, path, body);

/** An order placed through the API, in French: `lines` as [variant, quantity]. */
async function placeOrder(lines, number = "4242424242424242") {
  const { token } = await call("POST", "/v1/payments/test/tokens", { number, exp_month: 12, exp_year: 2030, cvc: "123" });
  const address = { name: "Camille Martin", email: "camille@example.com", line1: "12 rue des Lilas", postal_code: "75011", city: "Paris", country: "DE" };
  const body = {
    lines: lines.map(([variant_id, quantity]) => ({ variant_id, quantity })),
    address, shipping_option: "standard", payment: { provider: "test", token }, locale: "fr",
  };
  return call("POST", "/v1/orders", body, { "idempotency-key": `k-${Math.random().toString(16).slice(2)}` });
}

const openConsole = (hash, lang) => openConsoleOf(shop.browser, shop.server, hash, lang);

const euros = (amount) => `${(amount / 100).toFixed(2).replace(".", ",")}\u00a0€`;
const charge = (order) => queryDatabase(shop.server, `SELECT refunded_amount FROM test_payment_charges WHERE reference = '${order.id}'`)[0];

test("a return's refund and the order's refund each name their amount and ask first; the order shows what was refunded", async () => {
  const order = await placeOrder([["cafe-moka", 2], ["soucoupe", 1]]);
  const ret = await receivedReturn(shop.server, order);

  const { page, context, errors } = await openConsole(`#/orders/${order.id}`);
  await page.locator("main h2", { hasText: order.number }).waitFor();
  // The product without variants is named once.
  assert.deepEqual(await page.locator("section[aria-labelledby=lines-title] tbody td:first-child").allTextContents(),
    ["Café en grains Moka 250 g", "Soucoupe en grès"]);
  assert.match(await page.locator("address").textContent(), /75011 Paris\s*Allemagne/);

  // The return: one click asks, with the amount; "Annuler" moves nothing.
  const returnRefund = euros(ret.refund.amount);
  await page.getByRole("button", { name: `Rembourser ${returnRefund}…` }).click();
  await page.getByText(`Rembourser ${returnRefund} au client pour ce retour ?`).waitFor();
  await page.locator("article.return").getByRole("button", { name: "Annuler" }).click();
  assert.equal(charge(order).refunded_amount, 0, "no money moved before the confirmation");
  await page.getByRole("button", { name: `Rembourser ${returnRefund}…` }).click();
  await page.getByRole("button", { name: `Confirmer le remboursement de ${returnRefund}` }).click();
  await page.locator(".done", { hasText: "Retour remboursé." }).waitFor();
  assert.equal(charge(order).refunded_amount, ret.refund.amount);
  assert.match(await page.locator("section[aria-labelledby=payment-title]").textContent(), new RegExp(`Remboursé : ${returnRefund}`));

  // The order: the prompt names what this refund moves, and what the return refunded already.
  const left = order.total.amount - ret.refund.amount;
  await page.getByRole("button", { name: `Rembourser ${euros(left)}…` }).click();
  await page.getByText(`Rembourser ${euros(left)} au client ? Ses retours ont déjà remboursé ${returnRefund} sur ${euros(order.total.amount)}.`).waitFor();
  await page.getByRole("button", { name: `Confirmer le remboursement de ${euros(left)}` }).click();
  await page.locator(".done", { hasText: "Commande remboursée." }).waitFor();
  assert.equal(charge(order).refunded_amount, order.total.amount);
  assert.match(await page.locator("section[aria-labelledby=payment-title]").textContent(), new RegExp(`Remboursé : ${euros(order.total.amount)}`));

  // The shopper's order page says it too.
  const shopper = await context.newPage();
  await shopper.goto(`${shop.server.url}/`);
  const saved = [{ id: order.id, number: order.number, secret: order.secret, created_at: order.created_at, total: order.total }];
  await shopper.evaluate(([key, json]) => localStorage.setItem(key, json), [`shoppable:orders:${shop.server.url}`, JSON.stringify(saved)]);
  await shopper.reload();
  await shopper.evaluate(() => window.Shoppable.openCheckout("orders"));
  await sheet(shopper).locator(".order-link").filter({ hasText: order.number }).click();
  await sheet(shopper).locator(".order-summary .refunded").filter({ hasText: euros(order.total.amount) }).waitFor();
  assert.match(await sheet(shopper).locator(".order-summary").textContent(), /Remboursé/);
  assert.match(await sheet(shopper).locator(".order-summary").textContent(), /Allemagne/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("Import without a file says to choose one, not that the shop is out of reach; counts take their plural", async () => {
  const { page, context } = await openConsole("#/catalog");
  await page.getByRole("button", { name: "Importer" }).click();
  await page.locator(".report .error", { hasText: "Choisissez d'abord un fichier CSV." }).waitFor();
  assert.doesNotMatch(await page.locator(".report").textContent(), /injoignable/);
  assert.equal(await page.locator("#feed").getAttribute("aria-invalid"), "true");

  const file = join(shop.server.dir, "one.csv");
  writeFileSync(file, "id,title,description,availability,condition,price,link,image_link,brand,quantity\n"
    + "lampe-1,Lampe,Une lampe,in stock,new,49.00 EUR,https://shop.example/l,https://shop.example/l.jpg,Test,3\n");
  await page.locator("#feed").setInputFiles(file);
  assert.equal(await page.locator("#feed").getAttribute("aria-invalid"), "false");
  await page.getByRole("button", { name: "Importer" }).click();
  await page.locator(".report .done").waitFor();
  assert.equal(await page.locator(".report .done").textContent(), "Importé : 1 produit, 1 variante.");

  await page.getByRole("link", { name: "Publications" }).click();
  await page.locator("li.post").first().waitFor();
  const counts = await page.locator("li.post p.muted").allTextContents();
  assert.ok(counts.length > 0 && counts.every((text) => /^\d+ tags?$/.test(text) && !text.includes("(s)")), counts.join(" | "));
  await context.close();
});

test("insights agree with themselves: revenue without shipping in the header as in the rows, Buy now counted, dates for people", async () => {
  // A paid order whose shipping is not free: the header must not count the shipping.
  const order = await placeOrder([["cuillere", 1]]);
  assert.ok(order.shipping.amount > 0);
  const { page, context } = await openConsole("#/insights", "en");
  await page.locator("section[aria-labelledby=products-insights] table.insights").waitFor();
  const summary = await page.locator("p.summary").textContent();
  const rows = await page.locator("section[aria-labelledby=products-insights] td.revenue").allTextContents();
  const cents = (text) => Number(text.replace(/[^\d]/g, ""));
  assert.equal(cents(await page.locator(".total-revenue").textContent()), rows.reduce((sum, text) => sum + cents(text), 0), summary);
  assert.doesNotMatch(summary, /\d{4}-\d\d-\d\d/, "dates are written for people");
  assert.match(summary, /From \d{1,2} \w{3} \d{4} to \d{1,2} \w{3} \d{4}/);
  assert.doesNotMatch(await page.locator("svg").textContent(), /\d{4}-\d\d-\d\d/);
  assert.deepEqual(await page.locator("section[aria-labelledby=products-insights] thead th").allTextContents(),
    ["Product", "Tag views", "Card opens", "Adds to bag", "Buy now", "Orders", "Revenue", "Conversion"]);
  assert.doesNotMatch(await page.locator("main").textContent(), /do not record the photo/);
  assert.match(await page.locator("main").textContent(), /Cancelled and refunded orders are not counted/);
  await context.close();
});

test("the order list shows what waits on the shop, and filters on it", async () => {
  const written = await placeOrder([["cafe-moka", 1]]);
  await call("POST", `/v1/orders/${written.id}/messages`, { body: "Livrez chez la voisine ?" }, { "order-secret": written.secret });
  const returned = await placeOrder([["soucoupe", 1]]);
  await admin("POST", `/v1/admin/orders/${returned.id}/ship`, { tracking_number: "6A2" });
  await admin("POST", `/v1/admin/orders/${returned.id}/deliver`, {});
  await call("POST", `/v1/orders/${returned.id}/returns`, { lines: [{ line: 0, quantity: 1 }], reason: "Trop petite" },
    { "order-secret": returned.secret });
  const answered = await placeOrder([["cafe-moka", 1]]);
  await call("POST", `/v1/orders/${answered.id}/messages`, { body: "Merci" }, { "order-secret": answered.secret });
  await admin("POST", `/v1/admin/orders/${answered.id}/messages`, { body: "Avec plaisir" });

  const { page, context, errors } = await openConsole("#/orders");
  const row = (order) => page.locator("table.orders tbody tr", { hasText: order.number });
  await row(written).waitFor();
  assert.equal(await row(written).locator("td.waiting").textContent(), "Message du client");
  assert.equal(await row(returned).locator("td.waiting").textContent(), "Retour à traiter");
  assert.equal(await row(answered).locator("td.waiting").textContent(), "");

  await page.getByLabel("À traiter seulement").check();
  await page.getByRole("button", { name: "Filtrer" }).click();
  await row(answered).waitFor({ state: "detached" });
  // The list is drawn again once its answer is in (meanwhile it says it is loading).
  await row(written).waitFor();
  // (Orders of the same second come in any order.)
  const numbers = await page.locator("table.orders tbody tr td:first-child").allTextContents();
  assert.deepEqual(numbers.toSorted(), [returned.number, written.number].toSorted());
  assert.deepEqual(errors, []);
  await context.close();
});

test("a refund the bank refuses shows as failed with a retry, never as refunded; the retry refunds once", async () => {
  // The test provider's card whose bank refuses refunds until the test says otherwise.
  const order = await placeOrder([["cafe-moka", 1]], "4000000000005126");
  const { page, context, errors } = await openConsole(`#/orders/${order.id}`);
  await page.locator("main h2", { hasText: order.number }).waitFor();
  const total = euros(order.total.amount);
  await page.getByRole("button", { name: `Rembourser ${total}…` }).click();
  await page.getByRole("button", { name: `Confirmer le remboursement de ${total}` }).click();
  await page.locator(".refund-failed", { hasText: `Remboursement de la commande (remboursée) ${total} : échec, à relancer` }).waitFor();
  assert.equal(await page.locator(".order-status .status").textContent(), "Payée");
  assert.equal(charge(order).refunded_amount, 0);

  // The orders list says it waits on the shop, also under "Waiting on me only".
  const listed = async () => {
    await page.evaluate(() => { location.hash = "#/orders"; });
    await page.getByLabel("À traiter seulement").check();
    await page.getByRole("button", { name: "Filtrer" }).click();
    await page.locator("table.orders").waitFor();
    return page.locator("table.orders tbody tr", { hasText: order.number });
  };
  assert.equal(await (await listed()).locator("td.waiting").textContent(), "Remboursement échoué");
  await page.evaluate((id) => { location.hash = `#/orders/${id}`; }, order.id);

  // The bank takes refunds again: one click on the retry refunds it, once.
  const script = "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()";
  execFileSync("python3", ["-c", script, join(shop.server.dir, "e2e.sqlite"), "UPDATE test_payment_charges SET refuse_refunds = 0"]);
  await page.getByRole("button", { name: "Relancer le remboursement" }).click();
  await page.locator(".done", { hasText: "Remboursement relancé." }).waitFor();
  assert.equal(await page.locator(".order-status .status").textContent(), "Remboursée");
  await page.locator(".refund-failed").waitFor({ state: "detached" });
  assert.equal(charge(order).refunded_amount, order.total.amount);
  assert.equal(await (await listed()).count(), 0, "refunded: no longer waiting on the shop");
  assert.deepEqual(queryDatabase(shop.server, `SELECT amount FROM test_payment_refunds WHERE refund_key = '${order.id}:order'`),
    [{ amount: order.total.amount }]);
  assert.deepEqual(errors, []);
  await context.close();
});
