// The whole purchase in real Chromium against the reference server: from a tag to a
// confirmed order in the database, the declined card, the double click, and axe-core on
// the product card and every checkout step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { adminRequest, axeViolations, queryDatabase, fillAddress, fillCard, paymentFrame, useServerAndBrowser } from "./support.js";

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

// The same purchase in English, German, Spanish and Italian on a phone (French: above): the demo's language switch
// tells the widget, and every word the shopper reads on the way (the card form's too) and
// every price are in that language.
const PURCHASE_WORDS = {
  en: {
    addToBag: "Add to bag", bag: "Bag, 1 item", checkout: "Check out", name: "Full name", email: "Email",
    address: "Address", postalCode: "Postal code", city: "City", next: "Continue", shippingMethod: "Shipping method", cardNumber: "Card number",
    expiry: "Expiry (MM/YY)", cvc: "Security code (CVC)", placeOrder: "Place order", confirmed: "Thank you! Your order is confirmed.",
    viewOrder: "Track my order", paid: "Paid", price: "€14.90", total: "€19.80", locale: "en-GB",
  },
  de: {
    addToBag: "In den Warenkorb", bag: "Warenkorb, 1 Artikel", checkout: "Zur Kasse", name: "Vollständiger Name", email: "E-Mail",
    address: "Adresse", postalCode: "Postleitzahl", city: "Ort", next: "Weiter", shippingMethod: "Versandart", cardNumber: "Kartennummer",
    expiry: "Ablaufdatum (MM/JJ)", cvc: "Prüfnummer (CVC)", placeOrder: "Zahlungspflichtig bestellen", confirmed: "Vielen Dank! Ihre Bestellung ist bestätigt.",
    viewOrder: "Meine Bestellung verfolgen", paid: "Bezahlt", locale: "de-DE", price: "14,90\u00a0€", total: "19,80\u00a0€",
  },
  es: {
    addToBag: "Añadir a la cesta", bag: "Cesta, 1 artículo", checkout: "Tramitar pedido", name: "Nombre completo", email: "Correo electrónico",
    address: "Dirección", postalCode: "Código postal", city: "Ciudad", next: "Continuar", shippingMethod: "Método de envío", cardNumber: "Número de tarjeta",
    expiry: "Caducidad (MM/AA)", cvc: "Código de seguridad (CVC)", placeOrder: "Realizar pedido", confirmed: "¡Gracias! Tu pedido está confirmado.",
    viewOrder: "Seguir mi pedido", paid: "Pagado", locale: "es-ES", price: "14,90\u00a0€", total: "19,80\u00a0€",
  },
  it: {
    addToBag: "Aggiungi al carrello", bag: "Carrello, 1 articolo", checkout: "Procedi all'acquisto", name: "Nome e cognome", email: "E-mail",
    address: "Indirizzo", postalCode: "CAP", city: "Città", next: "Continua", shippingMethod: "Metodo di spedizione", cardNumber: "Numero della carta",
    expiry: "Scadenza (MM/AA)", cvc: "Codice di sicurezza (CVC)", placeOrder: "Conferma l'ordine", confirmed: "Grazie! Il tuo ordine è confermato.",
    viewOrder: "Segui il mio ordine", paid: "Pagato", locale: "it-IT", price: "14,90\u00a0€", total: "19,80\u00a0€",
  },
};

for (const [lang, words] of Object.entries(PURCHASE_WORDS)) {
  test(`a shopper on a phone buys the white cup in ${lang}, every word and price in ${lang}`, async () => {
    // The demo has 3 white cups: each language buys one.
    await adminRequest(shop.server, "PUT", "/v1/admin/variants/tasse-blanche/stock", { stock: 3 });
    const page = await shop.browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${shop.server.url}/?lang=${lang}`);
    await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
    assert.equal(await page.locator("html").getAttribute("lang"), lang);
    const card = await openCupCard(page);
    await card.getByRole("button", { name: "Blanc" }).click();
    const add = card.locator('button[part="add-to-bag"]');
    assert.equal((await add.textContent()).trim(), words.addToBag);
    // 14.90 EUR, as the language writes it (in de, es, it a no-break space before the euro sign).
    assert.ok((await card.textContent()).includes(words.price));
    assert.deepEqual(await axeViolations(page), [], `card in ${lang}`);
    await add.click();
    const badge = page.locator("shoppable-checkout button.badge");
    await badge.and(page.locator(`[aria-label="${words.bag}"]`)).waitFor();
    // On a phone the card covers the page: closed first.
    await page.keyboard.press("Escape");
    await card.waitFor({ state: "hidden" });
    await badge.click();
    const dialog = sheet(page);
    await dialog.locator(".line-price").first().filter({ hasText: words.price }).waitFor();
    assert.deepEqual(await axeViolations(page), [], `bag in ${lang}`);
    const checkout = dialog.locator('button[part="checkout-button"]');
    assert.equal((await checkout.textContent()).trim(), words.checkout);
    await checkout.click();
    await dialog.getByLabel(words.name).fill("Camille Martin");
    assert.deepEqual(await axeViolations(page), [], `details in ${lang}`);
    await dialog.getByLabel(words.email, { exact: true }).fill("camille@example.com");
    await dialog.getByLabel(words.address, { exact: true }).fill("12 rue des Lilas");
    await dialog.getByLabel(words.postalCode).fill("75011");
    await dialog.getByLabel(words.city).fill("Paris");
    await dialog.getByRole("button", { name: words.next }).click();
    await dialog.locator('input[name="shoppable-shipping"]').first().waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.textContent), words.shippingMethod);
    await dialog.getByRole("button", { name: words.next }).click();
    const frame = paymentFrame(page);
    await frame.getByLabel(words.cardNumber).fill("4242 4242 4242 4242");
    await frame.getByLabel(words.expiry).fill("12/30");
    await frame.getByLabel(words.cvc).fill("123");
    assert.equal(await frame.locator("html").getAttribute("lang"), lang);
    await page.locator("shoppable-checkout dialog .actions button.primary:not([disabled])").waitFor();
    await dialog.getByRole("button", { name: words.next }).click();
    const place = dialog.locator('button[part="place-order"]');
    await place.waitFor();
    assert.equal((await place.textContent()).trim(), words.placeOrder);
    // 14.90 + 4.90 shipping to France.
    assert.equal(await dialog.locator(".totals .total dd").textContent(), words.total);
    assert.deepEqual(await axeViolations(page), [], `review in ${lang}`);
    await place.click();
    await dialog.getByText(words.confirmed).waitFor();
    const number = await dialog.locator(".order-number").textContent();
    // The order keeps the language, which its e-mails are written in.
    assert.equal(JSON.parse(orders().find((o) => o.number === number).document).locale, lang);
    // The order's page (a chunk of its own) in the language, its dates as the page's locale
    // writes them (03.12.2026 in German, 3 dic 2026 in Spanish), not as English does.
    await dialog.getByRole("button", { name: words.viewOrder }).click();
    await dialog.locator('[part="order-status"]').filter({ hasText: words.paid }).waitFor();
    const time = dialog.locator(".timeline time").first();
    const [at, shown] = [await time.getAttribute("datetime"), await time.textContent()];
    const written = (locale) => page.evaluate(([at, locale]) => new Date(at).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" }), [at, locale]);
    assert.equal(shown, await written(words.locale));
    if (lang !== "en") assert.notEqual(shown, await written("en-GB"));
    assert.deepEqual(errors, []);
    await page.close();
  });
}
