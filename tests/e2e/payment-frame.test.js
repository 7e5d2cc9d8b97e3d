// The card never touches the host page (issue 11): the test provider's card form is an
// iframe of its own origin (`--payments-listen`). A skimming script of our own on the host
// page sees no card number and no CVC during a whole purchase; a remembered card pays the
// next purchase in two taps after a reload; a declined card is told inside the frame; axe
// finds nothing in the frame; the keyboard goes in and out of it naturally.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { startServer, launchBrowser, queryDatabase, fillAddress, fillCard, paymentFrame, sheet, page as testPage, skimmer, cardDigitsIn,
  openCoffeeCard, buyToPayment, continueButton, openDemo, ordersIn } from "./support.js";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
let server, browser;

before(async () => {
  // An English page too: the frame follows the sheet's language.
  const english = testPage('<img src="/www/images/coffee.png" width="600" height="400" alt="Coffee" data-shoppable-post="coffee">', 'data-api="/" data-locale="en-GB"');
  server = await startServer({ pages: { "en.html": english.replace('lang="fr"', 'lang="en"') } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const newPage = (options) => openDemo(browser, server, options);

const orders = () => ordersIn(server);
const orderByNumber = (number) => JSON.parse(orders().find((o) => o.number === number).document);

test("a skimming script on the host page sees no card number and no CVC while the order is placed", async () => {
  const page = await newPage({ skim: true });
  await buyToPayment(page);
  // Typed key by key, as a shopper does: key events would carry every digit.
  const frame = paymentFrame(page);
  await frame.getByLabel("Numéro de carte").pressSequentially("5555 5555 5555 4444");
  await frame.getByLabel("Expiration (MM/AA)").pressSequentially("12/30");
  await frame.getByLabel("Cryptogramme (CVC)").pressSequentially("737");
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Mastercard •••• 4444" }).waitFor();
  await sheet(page).locator('button[part="place-order"]:not([disabled])').click();
  const number = await sheet(page).locator(".order-number").textContent();
  assert.match(number, /^SH-/);
  const order = orderByNumber(number);
  assert.deepEqual(order.payment, { provider: "test", brand: "mastercard", last4: "4444" });
  assert.equal(orders().find((o) => o.number === number).status, "paid");

  await page.waitForTimeout(200); // one more scan
  const skimmed = await page.evaluate(() => window.__skimmed);
  const keys = (await page.evaluate(() => window.__skimmedKeys)).join("");
  // The skimmer works: it saw what the host page does handle (the address, the order request).
  assert.ok(skimmed.some((s) => s.includes("Camille Martin")), "the skimmer reads the page's fields");
  assert.ok(skimmed.some((s) => s.startsWith("fetch body") && s.includes('"provider":"test"')), "the skimmer reads the order request");
  assert.ok(skimmed.some((s) => s.startsWith("port message") && s.includes('"type":"token"')), "the skimmer reads the frame's messages");
  // But no digits of the card (beyond the last four, which the receipt shows) and no CVC.
  assert.deepEqual(cardDigitsIn([...skimmed, keys], "5555 5555 5555 4444"), []);
  const withoutIds = (text) => text.replace(/[0-9a-f]{12,}/g, "");
  assert.deepEqual(skimmed.filter((s) => withoutIds(s).includes("737") || /"cvc"/.test(s)), []);
  assert.ok(!keys.includes("737"), "no CVC key presses");
  await page.context().close();
});

test("the same skimmer catches the card in the in-page fields of a provider without a frame", async () => {
  // The control experiment: what the frame protects from (in-page fields are for test setups).
  const bare = await startServer({ paymentFrame: false });
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.addInitScript(skimmer);
  const page = await context.newPage();
  try {
    await page.goto(`${bare.url}/`);
    await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
    const card = await openCoffeeCard(page);
    await card.locator('button[part="buy-now"]').click();
    await fillAddress(page);
    await sheet(page).getByRole("button", { name: "Continuer" }).click();
    await sheet(page).locator('input[name="shoppable-shipping"]').first().waitFor();
    await sheet(page).getByRole("button", { name: "Continuer" }).click();
    assert.equal(await page.locator("shoppable-checkout iframe").count(), 0);
    await fillCard(page, "5555 5555 5555 4444", { cvc: "737" });
    await continueButton(page).click();
    await sheet(page).locator('button[part="place-order"]').waitFor();
    const skimmed = await page.evaluate(() => window.__skimmed);
    assert.ok(cardDigitsIn(skimmed, "5555555555554444").length > 0, "in-page fields give the card away");
  } finally {
    await context.close();
    await bare.stop();
  }
});

test("a remembered card pays the next purchase in two taps after a reload, and can be forgotten", async () => {
  const page = await newPage();
  await buyToPayment(page, { rememberDetails: true });
  const frame = paymentFrame(page);
  await fillCard(page, "4242 4242 4242 4242");
  await frame.getByLabel("Mémoriser cette carte").check();
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 4242" }).waitFor();
  await sheet(page).locator('button[part="place-order"]:not([disabled])').click();
  const first = await sheet(page).locator(".order-number").textContent();

  // The card is kept by the provider: a random id in the frame origin's storage, the rest in
  // its vault; the shop's page keeps nothing of it.
  const hostStorage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.doesNotMatch(hostStorage, /card_|4242/);
  const frameStorage = await page.frames().find((f) => f.url().startsWith(server.paymentsUrl)).evaluate(() => Object.values(localStorage).join(""));
  assert.match(frameStorage, /^\{"id":"card_[0-9a-f]{48}","brand":"visa","last4":"4242","exp_month":12,"exp_year":2030\}$/);

  // After a reload: "Buy now" (tap 1) goes straight to the review, "Place order" (tap 2) pays.
  await page.reload();
  await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  const card = await openCoffeeCard(page);
  await card.locator('button[part="buy-now"]').click();
  await page.locator('shoppable-checkout[data-step="review"]').waitFor({ state: "attached" });
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 4242" }).waitFor();
  assert.match(await sheet(page).locator(".summary").first().textContent(), /Camille Martin, 12 rue des Lilas, 75011 Paris/);
  await sheet(page).locator('button[part="place-order"]:not([disabled])').click();
  const second = await sheet(page).locator(".order-number").textContent();
  assert.notEqual(second, first);
  assert.equal(orders().find((o) => o.number === second).status, "paid");
  assert.deepEqual(orderByNumber(second).payment, { provider: "test", brand: "visa", last4: "4242" });

  // Every detail stays editable: the payment's "Modifier" shows the frame with the card, another
  // card or forgetting it; forgetting it removes it from the provider's vault.
  await page.reload();
  await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  const again = await openCoffeeCard(page);
  await again.locator('button[part="buy-now"]').click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Visa •••• 4242" }).waitFor();
  await sheet(page).locator(".summary").nth(1).getByRole("button", { name: "Modifier" }).click();
  await frame.getByRole("button", { name: "Visa •••• 4242" }).waitFor();
  await frame.getByRole("button", { name: "Utiliser une autre carte" }).waitFor();
  assert.equal(queryDatabase(server, "SELECT COUNT(*) AS n FROM test_payment_cards")[0].n, 1);
  await frame.getByRole("button", { name: "Oublier cette carte" }).click();
  await frame.getByRole("status").filter({ hasText: "Carte oubliée." }).waitFor();
  await frame.getByLabel("Numéro de carte").waitFor();
  assert.equal(await frame.getByRole("button", { name: "Visa •••• 4242" }).count(), 0);
  await page.waitForFunction(() => true);
  for (let i = 0; i < 20 && queryDatabase(server, "SELECT COUNT(*) AS n FROM test_payment_cards")[0].n !== 0; i++) await page.waitForTimeout(100);
  assert.equal(queryDatabase(server, "SELECT COUNT(*) AS n FROM test_payment_cards")[0].n, 0);
  await page.context().close();
});

test("a declined card is told inside the frame, and another card goes through", async () => {
  const page = await newPage();
  const before = orders().length;
  await buyToPayment(page);
  await fillCard(page, "4000 0000 0000 0002");
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 0002" }).waitFor();
  await sheet(page).locator('button[part="place-order"]:not([disabled])').click();
  const frame = paymentFrame(page);
  await frame.getByRole("alert").filter({ hasText: "Votre carte a été refusée. Essayez une autre carte." }).waitFor();
  await page.locator('shoppable-checkout[data-step="payment"]').waitFor({ state: "attached" });
  assert.equal(await sheet(page).locator(".failure").textContent(), "", "said once, in the frame");
  assert.equal(await frame.getByLabel("Numéro de carte").inputValue(), "", "the declined card is not kept");
  await fillCard(page, "4242 4242 4242 4242");
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 4242" }).waitFor();
  await sheet(page).locator('button[part="place-order"]:not([disabled])').click();
  const number = await sheet(page).locator(".order-number").textContent();
  assert.equal(orders().length, before + 1);
  assert.equal(orders().find((o) => o.number === number).status, "paid");
  await page.context().close();
});

test("a remembered card declined at express checkout: told in the frame, another card pays", async () => {
  const page = await newPage();
  await buyToPayment(page, { rememberDetails: true });
  const frame = paymentFrame(page);
  await fillCard(page, "4000 0000 0000 0002");
  await frame.getByLabel("Mémoriser cette carte").check();
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 0002" }).waitFor();
  await page.reload();
  await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  const card = await openCoffeeCard(page);
  await card.locator('button[part="buy-now"]').click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 0002" }).waitFor();
  await sheet(page).locator('button[part="place-order"]:not([disabled])').click();
  await frame.getByRole("alert").filter({ hasText: "Votre carte a été refusée. Essayez une autre carte." }).waitFor();
  await page.locator('shoppable-checkout[data-step="payment"]').waitFor({ state: "attached" });
  // The form is open for another card; the remembered one is still offered.
  await frame.getByRole("button", { name: "Visa •••• 0002" }).waitFor();
  await fillCard(page, "4242 4242 4242 4242");
  await continueButton(page).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 4242" }).waitFor();
  await sheet(page).locator('button[part="place-order"]:not([disabled])').click();
  const number = await sheet(page).locator(".order-number").textContent();
  assert.equal(orders().find((o) => o.number === number).status, "paid");
  await page.context().close();
});

/** Accessibility violations inside the payment frame (axe is evaluated there: its CSP allows no injected script tag). */
async function frameViolations(page) {
  const frame = page.frames().find((f) => f.url().startsWith(server.paymentsUrl));
  if (!(await frame.evaluate(() => "axe" in window))) await frame.evaluate(axeSource);
  // Page-level rules (a level-one heading...) are for the top document: axe run from the page
  // skips them in frames, as here.
  const result = await frame.evaluate(() => window.axe.run(document, { resultTypes: ["violations"], rules: { "page-has-heading-one": { enabled: false } } }));
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

test("axe finds no violation in the frame: the form, its errors, a remembered card", async () => {
  const page = await newPage();
  await buyToPayment(page);
  const frame = paymentFrame(page);
  assert.deepEqual(await frameViolations(page), [], "the form");
  assert.equal(await frame.locator("html").getAttribute("lang"), "fr");
  // In the sheet's theme: the page's accent colour reaches the frame.
  const accent = await page.locator("shoppable-checkout").evaluate((host) => getComputedStyle(host).getPropertyValue("--shoppable-accent").trim());
  assert.equal(accent, "#1f4e3d");
  assert.equal(await frame.locator("html").evaluate((html) => getComputedStyle(html).getPropertyValue("--accent").trim()), accent);
  const iframe = page.locator("shoppable-checkout iframe.payment-frame");
  const heightBefore = (await iframe.boundingBox()).height;
  // Errors next to their fields, tied to them for screen readers; focus on the first.
  await frame.getByLabel("Numéro de carte").fill("4242 4242 4242 4241");
  await frame.getByLabel("Expiration (MM/AA)").fill("13/30");
  await continueButton(page).click();
  await frame.locator("#number-error").filter({ hasText: "Ce numéro de carte n'est pas valide." }).waitFor();
  assert.equal(await frame.getByLabel("Numéro de carte").getAttribute("aria-invalid"), "true");
  assert.equal(await frame.getByLabel("Numéro de carte").getAttribute("aria-describedby"), "number-error");
  assert.equal(await frame.locator("#expiry-error").textContent(), "Indiquez la date d'expiration au format MM/AA.");
  assert.equal(await frame.locator("#cvc-error").textContent(), "Le cryptogramme a 3 chiffres (4 pour American Express).");
  assert.equal(await frame.locator(":focus").getAttribute("id"), "number");
  // The frame grew with its error messages, and shows all of its content: no scrolling, nothing cut.
  await page.waitForFunction((before) => {
    const box = document.querySelector("shoppable-checkout").shadowRoot.querySelector("iframe").getBoundingClientRect();
    return box.height > before + 30;
  }, heightBefore);
  const contentHeight = await frame.locator("html").evaluate((html) => html.getBoundingClientRect().height);
  assert.ok(Math.abs((await iframe.boundingBox()).height - Math.ceil(contentHeight)) <= 1, "sized to its content");
  assert.deepEqual(await frameViolations(page), [], "the form with errors");
  await continueButton(page).waitFor(); // the sheet waits for the frame again
  // A remembered card.
  await fillCard(page, "4242 4242 4242 4242");
  await frame.getByLabel("Mémoriser cette carte").check();
  await continueButton(page).click();
  await sheet(page).locator('button[part="place-order"]').waitFor();
  await sheet(page).getByRole("button", { name: "Retour" }).click();
  await frame.getByRole("button", { name: "Visa •••• 4242" }).waitFor();
  assert.deepEqual(await frameViolations(page), [], "a remembered card");
  await page.context().close();
});

test("the card form is served only to the pages allowed to show it, with frame-ancestors, in French or English", async () => {
  const frameUrl = (await (await fetch(`${server.url}/v1/config`)).json()).payment_methods[0].frame_url;
  assert.equal(frameUrl, `${server.paymentsUrl}/v1/payments/test/frame`);
  assert.notEqual(new URL(frameUrl).origin, new URL(server.url).origin, "an origin of its own");
  const allowed = await fetch(`${frameUrl}?origin=${encodeURIComponent(server.url)}&lang=en`);
  assert.equal(allowed.status, 200);
  const port = new URL(server.url).port;
  assert.match(allowed.headers.get("content-security-policy"), new RegExp(`frame-ancestors http://127\\.0\\.0\\.1:${port} http://localhost:${port}$`));
  assert.match(allowed.headers.get("content-security-policy"), /script-src 'self'; style-src 'self'; connect-src 'self'/);
  assert.equal((await fetch(`${frameUrl}?origin=${encodeURIComponent("https://evil.example")}`)).status, 403);
  assert.equal((await fetch(frameUrl)).status, 403);
  // Its endpoints answer the form only: the shop's page cannot replay a remembered card.
  const replay = await fetch(`${server.paymentsUrl}/v1/payments/test/cards/card_x/tokens`, { method: "POST", headers: { origin: server.url } });
  assert.equal(replay.status, 403);
  assert.equal((await replay.json()).code, "origin_not_allowed");

  // In English, for an English page.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${frameUrl}?origin=${encodeURIComponent(server.url)}&lang=en`);
  await page.getByLabel("Card number").waitFor();
  assert.equal(await page.getByLabel("Expiry (MM/YY)").getAttribute("autocomplete"), "cc-exp");
  assert.equal(await page.getByLabel("Security code (CVC)").getAttribute("autocomplete"), "cc-csc");
  assert.equal(await page.getByLabel("Card number").getAttribute("autocomplete"), "cc-number");
  assert.equal(await page.getByLabel("Remember this card").isChecked(), false);
  assert.equal(await page.title(), "Card payment");
  await context.close();
});

test("in English, the frame and the review speak English", async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/en.html`);
  const photo = page.locator("img[data-shoppable-post][data-shoppable-mounted]");
  await photo.click({ position: { x: 10, y: 10 } });
  await page.locator("shoppable-tags button.tag").filter({ hasText: "Café en grains" }).click();
  await page.locator('shoppable-tags button[part="buy-now"]:not([disabled])').click();
  await page.getByLabel("Full name").fill("Sam Taylor");
  await page.getByLabel("Email").fill("sam@example.com");
  await page.getByLabel("Address", { exact: true }).fill("1 Rue de la Paix");
  await page.getByLabel("Postal code").fill("75002");
  await page.getByLabel("City").fill("Paris");
  await sheet(page).getByRole("button", { name: "Continue" }).click();
  await sheet(page).locator('input[name="shoppable-shipping"]').first().waitFor();
  await sheet(page).getByRole("button", { name: "Continue" }).click();
  const frame = paymentFrame(page);
  await frame.getByLabel("Card number").fill("4242 4242 4242 4242");
  await frame.getByLabel("Expiry (MM/YY)").fill("12/30");
  await frame.getByLabel("Security code (CVC)").fill("123");
  assert.equal(await frame.locator("html").getAttribute("lang"), "en");
  assert.equal(await page.locator("shoppable-checkout iframe").getAttribute("title"), "Card payment");
  await sheet(page).locator(".actions button.primary:not([disabled])").filter({ hasText: "Continue" }).click();
  await sheet(page).locator(".paying-with").filter({ hasText: "Pay with Visa •••• 4242" }).waitFor();
  await sheet(page).getByRole("button", { name: "Place order" }).click();
  assert.match(await sheet(page).locator(".order-number").textContent(), /^SH-/);
  await context.close();
});

/** What has focus, looking into the checkout's shadow root and into the payment frame. */
async function focused(page) {
  const host = await page.evaluate(() => {
    const active = document.activeElement?.shadowRoot?.activeElement ?? document.activeElement;
    return { tag: active?.localName, id: active?.id || undefined, text: active?.textContent?.trim() };
  });
  if (host.tag !== "iframe") return host;
  const frame = page.frames().find((f) => f.url().startsWith(server.paymentsUrl));
  return frame.evaluate(() => ({ tag: "frame", id: document.activeElement?.id }));
}

async function tabUntil(page, matches, { shift = false, max = 25 } = {}) {
  const path = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(shift ? "Shift+Tab" : "Tab");
    const now = await focused(page);
    if (matches(now)) return now;
    path.push(now.id || now.text?.slice(0, 20) || now.tag);
  }
  throw new Error(`focus never reached the expected element (went through: ${JSON.stringify(path)})`);
}

test("keyboard only: from the photo to a paid order, Tab goes into the frame and out of it", async () => {
  const page = await newPage();
  // The photo's tags are reached with Tab; Enter opens the product card; "Acheter" opens the sheet.
  await tabUntil(page, (f) => f.tag === "button" && f.text.startsWith("Café en grains"), { max: 60 });
  await page.keyboard.press("Enter");
  await tabUntil(page, (f) => f.text === "Acheter", { max: 60 });
  await page.keyboard.press("Enter");
  await page.locator('shoppable-checkout[data-step="details"]').waitFor({ state: "attached" });
  for (const [id, text] of [["shoppable-name", "Camille Martin"], ["shoppable-email", "camille@example.com"],
    ["shoppable-line1", "12 rue des Lilas"], ["shoppable-postalcode", "75011"], ["shoppable-city", "Paris"]]) {
    await tabUntil(page, (f) => f.id === id);
    await page.keyboard.type(text);
  }
  await page.keyboard.press("Enter");
  await page.locator('shoppable-checkout[data-step="shipping"]').waitFor({ state: "attached" });
  await sheet(page).locator('input[name="shoppable-shipping"]').first().waitFor();
  await tabUntil(page, (f) => f.text === "Continuer");
  await page.keyboard.press("Enter");
  await page.locator('shoppable-checkout[data-step="payment"]').waitFor({ state: "attached" });
  await continueButton(page).waitFor(); // the frame is connected
  await tabUntil(page, (f) => f.tag === "frame" && f.id === "number");
  await page.keyboard.type("4242 4242 4242 4242");
  await page.keyboard.press("Tab");
  assert.deepEqual(await focused(page), { tag: "frame", id: "expiry" });
  // Nothing typed in the frame reached the page.
  assert.equal(await page.locator("shoppable-checkout").evaluate((host) => host.shadowRoot.querySelectorAll("input[autocomplete^=cc]").length), 0);
  await page.keyboard.type("12/30");
  await page.keyboard.press("Tab");
  await page.keyboard.type("123");
  await page.keyboard.press("Tab");
  assert.deepEqual(await focused(page), { tag: "frame", id: "remember" });
  // Out of the frame, on to the sheet's button; and back in with Shift+Tab.
  await page.keyboard.press("Tab");
  assert.equal((await focused(page)).text, "Continuer");
  await page.keyboard.press("Shift+Tab");
  assert.deepEqual(await focused(page), { tag: "frame", id: "remember" });
  // Enter in a field of the frame submits the card, as in any form.
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await page.locator('shoppable-checkout[data-step="review"]').waitFor({ state: "attached" });
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 4242" }).waitFor();
  await tabUntil(page, (f) => f.text === "Passer la commande");
  await page.keyboard.press("Enter");
  assert.match(await sheet(page).locator(".order-number").textContent(), /^SH-/);
  await page.context().close();
});

// The card forms' words (card-form.js for both, frame.js and stripe.js for each): every
// language has every text, none empty and none left in English (the forms fall back to no
// other language), and no word is written twice. Read from the files as served; their `TEXTS`
// literal is plain data.
test("the card forms speak every language of the widget, each text written once", () => {
  const read = (file) => {
    const source = readFileSync(new URL(`../../server/payments-frame/${file}`, import.meta.url), "utf8");
    return new Function(`return ${source.match(/var TEXTS = (\{[\s\S]*?\n  \});/)[1]};`)();
  };
  const shared = Object.keys(read("card-form.js").en);
  for (const file of ["card-form.js", "frame.js", "stripe.js"]) {
    const texts = read(file);
    if (file !== "card-form.js") {
      assert.deepEqual(Object.keys(texts.en).filter((key) => shared.includes(key)), [], `${file} repeats card-form.js`);
    }
    assert.deepEqual(Object.keys(texts).sort(), ["de", "en", "es", "fr", "it"], file);
    for (const [lang, words] of Object.entries(texts)) {
      assert.deepEqual(Object.keys(words).sort(), Object.keys(texts.en).sort(), `${file}: the keys of ${lang}`);
      for (const [key, text] of Object.entries(words)) {
        assert.ok(text.trim(), `${file}: ${lang}.${key} is empty`);
        if (lang !== "en") assert.notEqual(text, texts.en[key], `${file}: ${lang}.${key} is English`);
      }
    }
  }
});
