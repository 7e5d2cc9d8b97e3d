// After the sale, in real Chromium against the reference server: an order bought on the demo
// page is shipped by the shop and the bag badge says so on the next page; the order page shows
// what was bought, where it goes and how it was paid; the help thread works both ways (the
// shop answers in its console); once delivered, a return is asked for from the order page,
// and approved with a label, received (stock back) and refunded from the console; the server
// wrote the shopper's e-mails (.eml files, in French). axe-core on both order pages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, launchBrowser, addFromTag, axeViolations, adminRequest, buyBag, sheet, queryDatabase, watchErrors } from "./support.js";

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const admin = (path, body) => adminRequest(server, body === undefined ? "GET" : "POST", path, body);

/** The console's page of order `id`, signed in, read afresh. */
async function consoleOrder(shopConsole, id) {
  if (!shopConsole.url().includes("/console/")) {
    await shopConsole.goto(`${server.url}/console/?lang=fr#/orders/${id}`);
    await shopConsole.locator("#token").fill(server.adminToken);
    await shopConsole.locator("#token").press("Enter");
  } else {
    await shopConsole.reload();
  }
  await shopConsole.locator("main h2", { hasText: "Commande SH-" }).waitFor();
}

const badgeNews = (page) => page.locator('shoppable-checkout [part="orders-news"]');
const announcement = (page) => page.locator("shoppable-checkout p.visually-hidden[role=status]");

/** Reloads the demo page: the widget reads the saved orders again. */
async function reload(page) {
  await page.reload();
  await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
}

/** From the badge (which opens on the orders when there is news) to the order's page. */
async function openOrder(page, number) {
  await page.locator("shoppable-checkout button.badge").click();
  await sheet(page).locator(".order-link", { hasText: number }).click();
  await sheet(page).locator(".order-number", { hasText: number }).waitFor();
  await sheet(page).locator(".deliver-to").waitFor();
}

/** The .eml files the server wrote, once there are `count` (read as text, CRLF as LF). */
async function emails(count) {
  const dir = join(server.dir, "e2e-mail");
  for (let waited = 0; waited < 10_000; waited += 100) {
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".eml")) : [];
    if (files.length >= count) return files.map((f) => readFileSync(join(dir, f), "utf8").replaceAll("\r\n", "\n"));
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}

test("shipped, a thread both ways, a return from request to refund, and the e-mails", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(`${server.url}/`);
  await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  const title = await addFromTag(page, "coffee", 0);
  await page.evaluate(() => window.Shoppable.openCheckout("bag"));
  const number = await buyBag(page);
  const [{ id, document }] = queryDatabase(server, `SELECT id, document FROM orders WHERE number = '${number}'`);
  const variant = JSON.parse(document).lines[0].variant_id;
  const stock = () => queryDatabase(server, `SELECT stock FROM variants WHERE id = '${variant}'`)[0].stock;
  const stockAfterSale = stock();

  // The shop ships: the next page's badge tells of it, politely, once.
  await admin(`/v1/admin/orders/${id}/ship`, { tracking_number: "6A42", tracking_url: "https://suivi.example/6A42" });
  await reload(page);
  await badgeNews(page).filter({ hasText: "1" }).waitFor();
  assert.equal(await announcement(page).textContent(), "1 commande mise à jour");
  assert.match(await page.locator("shoppable-checkout button.badge").getAttribute("aria-label"), /1 commande mise à jour/);
  await page.locator("shoppable-checkout button.badge").click();
  const row = sheet(page).locator(".order-link", { hasText: number });
  assert.equal(await row.locator(".order-status").textContent(), "Expédiée");
  assert.equal(await row.locator(".order-items").textContent(), `1 × ${title}`);
  assert.equal(await row.locator(".news-tag").textContent(), "Nouveau");
  await row.click();
  await sheet(page).locator(".deliver-to", { hasText: "12 rue des Lilas, 75011 Paris, France" }).waitFor();
  assert.match(await sheet(page).locator(".paid-with").textContent(), /•••• 4242$/);
  assert.equal(await sheet(page).locator(".order-lines .line-title").textContent(), `1 × ${title}`);
  await badgeNews(page).waitFor({ state: "hidden" }); // seen

  // Contact the shop: a blank message is refused in place; hostile text stays text.
  const message = sheet(page).getByLabel("Votre message");
  await message.fill("   ");
  await sheet(page).getByRole("button", { name: "Envoyer" }).click();
  await sheet(page).locator(".message-form .error", { hasText: "Écrivez votre message" }).waitFor();
  await message.fill("<b>Où</b> est mon colis ?");
  await sheet(page).getByRole("button", { name: "Envoyer" }).click();
  await sheet(page).locator(".message.from-shopper .message-body", { hasText: "<b>Où</b> est mon colis ?" }).waitFor();
  assert.equal(await sheet(page).locator(".message-body b").count(), 0);
  assert.equal(await message.inputValue(), "", "the sent message leaves the form");
  await badgeNews(page).waitFor({ state: "hidden" }); // the shopper's own message is no news

  // The shop answers from its console (the shopper's words shown as text), then delivers:
  // news again, and the order can be returned.
  const shopConsole = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const consoleErrors = watchErrors(shopConsole);
  await consoleOrder(shopConsole, id);
  assert.equal(await shopConsole.locator(".thread .from-shopper .body").textContent(), "<b>Où</b> est mon colis ?");
  await shopConsole.getByLabel("Répondre au client").fill("Il arrive demain.");
  await shopConsole.getByRole("button", { name: "Envoyer la réponse" }).click();
  await shopConsole.locator(".done", { hasText: "Réponse envoyée." }).waitFor();
  await shopConsole.locator(".thread .from-shop .body", { hasText: "Il arrive demain." }).waitFor();
  await shopConsole.getByRole("button", { name: "Marquer livrée" }).click();
  await shopConsole.locator(".done", { hasText: "Commande livrée." }).waitFor();
  await reload(page);
  await badgeNews(page).filter({ hasText: "1" }).waitFor();
  await openOrder(page, number);
  await sheet(page).locator(".message.from-shop .message-body", { hasText: "Il arrive demain." }).waitFor();

  // Return items: nothing chosen or no reason is refused in place, then one unit with a reason.
  await sheet(page).getByRole("button", { name: "Retourner des articles" }).click();
  await sheet(page).getByLabel("Motif du retour").fill("Trop petite");
  await sheet(page).getByRole("button", { name: "Demander le retour" }).click();
  await sheet(page).locator(".return-form .error", { hasText: "Choisissez au moins un article" }).waitFor();
  await sheet(page).locator(".return-line select").first().selectOption("1");
  await sheet(page).getByRole("button", { name: "Demander le retour" }).dblclick();
  await sheet(page).locator(".return .return-status", { hasText: "Retour demandé" }).waitFor();
  const [{ document: asked }] = queryDatabase(server, `SELECT document FROM orders WHERE id = '${id}'`);
  const returns = JSON.parse(asked).returns;
  assert.equal(returns.length, 1, "a double click asks once");
  assert.deepEqual(returns[0].lines, [{ line: 0, quantity: 1 }]);

  assert.deepEqual(await axeViolations(page), [], "the shopper's order page");

  // The shop approves from its console with instructions and a label (a bad link is refused,
  // nothing typed is lost), receives the parcel (stock back) and refunds.
  await consoleOrder(shopConsole, id);
  const ret = shopConsole.locator("article.return");
  assert.match(await ret.textContent(), /Demandé.*1 × .*Motif : Trop petite/s);
  assert.deepEqual(await axeViolations(shopConsole), [], "the console's order page with a return and messages");
  await ret.getByLabel("Instructions au client (facultatif)").fill("Déposez le colis en point relais.");
  await ret.getByLabel("Lien de l’étiquette de retour (facultatif)").fill("ftp://labels.example/r.pdf");
  await ret.getByRole("button", { name: "Accepter le retour" }).click();
  await shopConsole.locator(".error", { hasText: "label URL" }).waitFor();
  assert.equal(await ret.getByLabel("Instructions au client (facultatif)").inputValue(), "Déposez le colis en point relais.");
  await ret.getByLabel("Lien de l’étiquette de retour (facultatif)").fill("https://labels.example/r.pdf");
  await ret.getByLabel("Lien de l’étiquette de retour (facultatif)").press("Enter");
  await shopConsole.locator(".done", { hasText: "Retour accepté." }).waitFor();
  await reload(page);
  await badgeNews(page).filter({ hasText: "1" }).waitFor();
  await openOrder(page, number);
  await sheet(page).locator(".return .return-status", { hasText: "Retour accepté" }).waitFor();
  assert.equal(await sheet(page).getByRole("link", { name: "Étiquette de retour" }).getAttribute("href"), "https://labels.example/r.pdf");
  await shopConsole.getByRole("button", { name: "Colis reçu (remettre en stock)" }).click();
  await shopConsole.locator(".done", { hasText: "Colis reçu, articles remis en stock." }).waitFor();
  assert.equal(stock(), stockAfterSale + 1, "the returned unit is back in stock");
  // Money moves after a confirmation that names the amount.
  await shopConsole.locator("article.return").getByRole("button", { name: /^Rembourser \d+,\d\d\s€…$/ }).click();
  await shopConsole.locator("article.return").getByRole("button", { name: /^Confirmer le remboursement de \d+,\d\d\s€$/ }).click();
  await shopConsole.locator(".done", { hasText: "Retour remboursé." }).waitFor();
  assert.match(await shopConsole.locator("article.return h4").textContent(), /Remboursé/);
  assert.deepEqual(consoleErrors, []);
  await reload(page);
  await openOrder(page, number);
  await sheet(page).locator(".return .return-status", { hasText: "Retour remboursé" }).waitFor();
  const refunded = queryDatabase(server, `SELECT refunded_amount FROM test_payment_charges WHERE reference = '${id}'`)[0].refunded_amount;
  assert.equal(refunded, JSON.parse(asked).returns[0].refund.amount);

  // The e-mails, in the order's language: confirmed, shipped, delivered, the shop's reply,
  // return requested (its acknowledgement), approved, refunded.
  const mails = await emails(7);
  assert.equal(mails.length, 7);
  for (const text of ["Merci pour votre commande", "Numéro de suivi : 6A42", "Votre commande a été livrée", "Il arrive demain.",
    "Nous avons bien reçu votre demande de retour", "Déposez le colis en point relais.", "Nous avons reçu votre retour"]) {
    assert.equal(mails.filter((m) => m.includes(text)).length, 1, `one e-mail says ${text}`);
  }
  assert.ok(mails.every((m) => m.includes("To: camille@example.com") && m.includes(`Commande ${number}`)));
  assert.deepEqual(errors, []);
});

test("several orders: the badge counts each one that changed, and one that cannot be read keeps what was known", async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(`${server.url}/`);
  await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  const numbers = [];
  for (let i = 0; i < 3; i++) {
    await addFromTag(page, "coffee", 0);
    await page.evaluate(() => window.Shoppable.openCheckout("bag"));
    numbers.push(await buyBag(page));
    await page.keyboard.press("Escape");
  }
  const ids = numbers.map((number) => queryDatabase(server, `SELECT id FROM orders WHERE number = '${number}'`)[0].id);

  // The shop ships all three; the second one cannot be read on the next page.
  for (const id of ids) await admin(`/v1/admin/orders/${id}/ship`, { tracking_number: `T-${id}` });
  await page.route(`**/v1/orders/${ids[1]}`, (route) => route.fulfill({ status: 503, body: "busy" }));
  await reload(page);
  await badgeNews(page).filter({ hasText: "2" }).waitFor();
  assert.equal(await announcement(page).textContent(), "2 commandes mises à jour");
  await page.locator("shoppable-checkout button.badge").click();
  const status = (number) => sheet(page).locator(".order-link", { hasText: number }).locator(".order-status").textContent();
  assert.deepEqual(await Promise.all(numbers.map(status)), ["Expédiée", "Payée", "Expédiée"]);

  // Readable again: the next page tells of it too.
  await page.unroute(`**/v1/orders/${ids[1]}`);
  await reload(page);
  await page.locator("shoppable-checkout button.badge").click();
  await sheet(page).locator(".order-link", { hasText: numbers[1] }).locator(".order-status", { hasText: "Expédiée" }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});
