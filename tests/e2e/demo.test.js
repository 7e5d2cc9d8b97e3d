// The demo page served by the reference server: tags appear over the right spots, a tap
// reveals them, a tag opens the product card, and the keyboard path works with real keys.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, centre } from "./support.js";

let server, browser, page, coffee;
const warnings = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on("console", (message) => { if (message.type() === "warning" || message.type() === "error") warnings.push(message.text()); });
  coffee = await (await fetch(`${server.url}/v1/posts/coffee`)).json();
  await page.goto(`${server.url}/`);
  await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor({ timeout: 20000 });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const image = () => page.locator('img[data-shoppable-post="coffee"]');
const tags = () => page.locator('figure:has(img[data-shoppable-post="coffee"]) shoppable-tags button.tag');

test("tags appear over the spots the backend gives, once the photo is looked at", async () => {
  await image().and(page.locator("[data-shoppable-mounted]")).waitFor();
  assert.equal(await tags().count(), 0, "before, the photo shows its bag button only");
  await image().hover({ position: { x: 5, y: 5 } });
  await tags().first().waitFor();
  assert.equal(await tags().count(), coffee.tags.length);
  const photo = await image().boundingBox();
  for (const [index, tag] of coffee.tags.entries()) {
    const dot = await centre(tags().nth(index).locator(".dot"));
    assert.ok(Math.abs(dot.x - (photo.x + tag.x * photo.width)) < 2, `tag ${index} x`);
    assert.ok(Math.abs(dot.y - (photo.y + tag.y * photo.height)) < 2, `tag ${index} y`);
  }
  assert.deepEqual(warnings, [], "the page logs no warning");
});

test("a tap on the photo reveals the tags and a tag opens the product card", async () => {
  const bag = page.locator('figure:has(img[data-shoppable-post="coffee"]) shoppable-tags button.bag');
  assert.equal(await bag.getAttribute("aria-expanded"), "false");
  await image().click({ position: { x: 20, y: 20 } });
  assert.equal(await bag.getAttribute("aria-expanded"), "true");
  const first = tags().first();
  await first.click();
  const card = page.locator('figure:has(img[data-shoppable-post="coffee"]) shoppable-tags [role="dialog"]');
  await card.waitFor();
  assert.equal(await card.locator("h2").textContent(), coffee.tags[0].product.title);
  // The variants come from the product endpoint; the price is formatted for fr-FR.
  await card.locator('button[part="add-to-bag"]').waitFor();
  assert.match(await card.locator(".card-price .price").textContent(), /^\d+,\d{2}\s€$/);
  await card.locator('button[part="close-button"]').click();
  assert.equal(await card.count(), 0);
});

test("keyboard: Tab reaches a tag, Enter opens the card, Escape closes it and focus returns", async () => {
  await page.reload();
  await image().and(page.locator("[data-shoppable-mounted]")).waitFor();
  const focusedTag = () => page.evaluate(() => {
    const host = document.activeElement;
    const inner = host && host.shadowRoot && host.shadowRoot.activeElement;
    return inner && inner.classList.contains("tag") ? inner.textContent : null;
  });
  let label = null;
  // Past the header's links (sections, five languages).
  for (let presses = 0; presses < 20 && !label; presses++) {
    await page.keyboard.press("Tab");
    label = await focusedTag();
  }
  assert.ok(label, "a tag is reachable with Tab");
  assert.match(label, /, \d+,\d{2}\s€$/, "its accessible name has the product and the price");
  await page.keyboard.press("Enter");
  const card = page.locator('shoppable-tags [role="dialog"]');
  await card.first().waitFor();
  await page.keyboard.press("Escape");
  assert.equal(await card.count(), 0);
  assert.equal(await focusedTag(), label, "focus is back on the tag");
});

test("a mouse over a photo shows its tags, and leaving hides them", async () => {
  const figure = page.locator('figure:has(img[data-shoppable-post="chelsea"])');
  const overlay = figure.locator("shoppable-tags .overlay");
  assert.doesNotMatch(await overlay.getAttribute("class"), /revealed/);
  await figure.locator("img").hover({ position: { x: 30, y: 30 } });
  await page.waitForFunction(() => document.querySelector('figure:has(img[data-shoppable-post="chelsea"]) shoppable-tags')
    .shadowRoot.querySelector(".overlay").classList.contains("revealed"));
  const tag = figure.locator("shoppable-tags button.tag").first();
  await page.waitForFunction(() => getComputedStyle(document.querySelector('figure:has(img[data-shoppable-post="chelsea"]) shoppable-tags')
    .shadowRoot.querySelector("button.tag")).opacity === "1");
  await tag.hover(); // moving onto a tag keeps them shown
  assert.match(await overlay.getAttribute("class"), /revealed/);
  await page.mouse.move(5, 5);
  await page.waitForFunction(() => !document.querySelector('figure:has(img[data-shoppable-post="chelsea"]) shoppable-tags')
    .shadowRoot.querySelector(".overlay").classList.contains("revealed"));
});

test("the page tells search engines what its photos sell (schema.org JSON-LD)", async () => {
  // Published once the tags are mounted, from a chunk of its own.
  await page.locator('head script[type="application/ld+json"]').first().waitFor({ state: "attached" });
  const blocks = await page.evaluate(() => [...document.querySelectorAll('head script[type="application/ld+json"]')].map((s) => JSON.parse(s.textContent)));
  const products = blocks.flatMap((block) => block["@graph"]);
  const cup = products.find((p) => p.name === coffee.tags[0].product.title);
  assert.ok(cup, JSON.stringify(products.map((p) => p.name)));
  assert.equal(cup["@type"], "Product");
  assert.equal(cup.offers.priceCurrency, "EUR");
  assert.equal(cup.offers.price, (coffee.tags[0].product.price.amount / 100).toFixed(2));
});

test("on a phone, revealed tags stay over their photos and the sheet fills the screen", async () => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.goto(`${server.url}/`);
  const figure = phone.locator('figure:has(img[data-shoppable-post="astronaut"])');
  await figure.scrollIntoViewIfNeeded(); // widgets mount as their photos come near the screen
  await figure.locator("img[data-shoppable-mounted]").waitFor();
  await figure.locator("img").tap({ position: { x: 10, y: 10 } });
  // The labels are placed in the frame after the tags are drawn.
  await phone.waitForFunction(() => [...document.querySelector('figure:has(img[data-shoppable-post="astronaut"]) shoppable-tags')
    .shadowRoot.querySelectorAll(".tag:not([hidden]) .label")].every((label) => label.style.left !== ""));
  const photo = await figure.locator("img").boundingBox();
  for (const label of await figure.locator("shoppable-tags button.tag .label").all()) {
    const box = await label.boundingBox();
    assert.ok(box.x >= photo.x - 1 && box.x + box.width <= photo.x + photo.width + 1, "a label stays over the photo");
  }
  assert.deepEqual(await phone.evaluate(() => [document.documentElement.scrollWidth, innerWidth]), [390, 390], "no sideways scrolling");
  await figure.locator("shoppable-tags button.tag").first().tap();
  await figure.locator('button[part="buy-now"]').tap();
  const sheet = phone.locator("shoppable-checkout dialog");
  await phone.getByLabel("Nom complet").waitFor();
  const box = await sheet.boundingBox();
  assert.deepEqual([box.x, box.width], [0, 390], "the sheet takes the whole width");
  await phone.close();
});

// The widget's words in each language: the tags' own (in the module), and the card's (the
// language's words file, fetched before the card shows), with the price as the locale writes it.
const WIDGET_WORDS = {
  de: { products: "Produkte anzeigen", addToBag: "In den Warenkorb", price: /^\d+,\d{2}\u00a0€$/ },
  es: { products: "Mostrar productos", addToBag: "Añadir a la cesta", price: /^\d+,\d{2}\u00a0€$/ },
  it: { products: "Mostra i prodotti", addToBag: "Aggiungi al carrello", price: /^\d+,\d{2}\u00a0€$/ },
};

for (const [lang, name, title] of [["de", "Deutsch", "Meine Lieblingsstücke diesen Monat"], ["es", "Español", "Mis cosas favoritas de este mes"],
  ["it", "Italiano", "Le mie cose preferite di questo mese"]]) {
  test(`the demo's language switch shows the blog and the widget in ${name}, and tells the console`, async () => {
    const reader = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await reader.goto(`${server.url}/`);
    const french = await reader.locator("[data-text]:not(nav)").allTextContents();
    await reader.getByRole("navigation", { name: "Langue" }).getByRole("link", { name }).click();
    await reader.waitForURL(new RegExp(`\\?lang=${lang}$`));
    assert.equal(await reader.locator("html").getAttribute("lang"), lang);
    assert.equal(await reader.locator("h1").textContent(), title);
    assert.equal(await reader.getByRole("link", { name }).getAttribute("aria-current"), "page");
    assert.equal(await reader.locator('a[data-text="console"]').getAttribute("href"), `/console/?lang=${lang}`);
    assert.equal(await reader.locator('a[data-text="editor"]').getAttribute("href"), `/console/?lang=${lang}#/posts/new`);
    // Every translated text is written: none empty, none left in French.
    const texts = await reader.locator("[data-text]:not(nav)").allTextContents();
    assert.ok(texts.every((text, i) => text.trim() && text !== french[i]), JSON.stringify(texts));

    const words = WIDGET_WORDS[lang];
    const figure = reader.locator('figure:has(img[data-shoppable-post="coffee"])');
    await figure.locator("img[data-shoppable-mounted]").waitFor();
    await figure.locator(`shoppable-tags button[aria-label="${words.products}"]`).waitFor({ state: "attached" });
    await figure.locator("img").click({ position: { x: 20, y: 20 } });
    await figure.locator("shoppable-tags button.tag").first().click();
    const card = figure.locator('shoppable-tags [role="dialog"]');
    await card.locator('button[part="add-to-bag"]').waitFor();
    assert.equal((await card.locator('button[part="add-to-bag"]').textContent()).trim(), words.addToBag);
    assert.match(await card.locator(".card-price .price").textContent(), words.price);
    await reader.close();
  });
}

test("the demo's language switch shows the blog and the widget in English, and back in French", async () => {
  const reader = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await reader.goto(`${server.url}/`);
  await reader.getByRole("navigation", { name: "Langue" }).getByRole("link", { name: "English" }).click();
  await reader.waitForURL(/\?lang=en$/);
  assert.equal(await reader.locator("html").getAttribute("lang"), "en");
  assert.equal(await reader.locator("h1").textContent(), "My favourite things this month");
  // Every translated text is English: none is left empty or French.
  const texts = await reader.locator("[data-text]:not(nav)").allTextContents();
  assert.ok(texts.every((text) => text.trim() && !/[éèàç]|\bles\b|\bdes\b/.test(text)), JSON.stringify(texts));
  assert.equal(await reader.locator('img[data-shoppable-post="coffee"]').getAttribute("alt"),
    "Red espresso cup on its saucer, a spoon beside it, on a wooden table");
  assert.equal(await reader.getByRole("link", { name: "Shop console" }).getAttribute("href"), "/console/?lang=en");
  assert.equal(await reader.getByRole("link", { name: "English" }).getAttribute("aria-current"), "page");

  const figure = reader.locator('figure:has(img[data-shoppable-post="coffee"])');
  await figure.locator("img[data-shoppable-mounted]").waitFor();
  await figure.locator("img").click({ position: { x: 20, y: 20 } });
  await figure.locator("shoppable-tags button.tag").first().click();
  const card = figure.locator('shoppable-tags [role="dialog"]');
  await card.locator('button[part="add-to-bag"]').waitFor();
  assert.equal((await card.locator('button[part="add-to-bag"]').textContent()).trim(), "Add to bag");
  assert.match(await card.locator(".card-price .price").textContent(), /^€\d+\.\d{2}$/, "prices in the English format");

  await reader.getByRole("navigation", { name: "Language" }).getByRole("link", { name: "Français" }).click();
  await reader.waitForURL(/\?lang=fr$/);
  assert.equal(await reader.locator("html").getAttribute("lang"), "fr");
  assert.equal(await reader.locator("h1").textContent(), "Mes objets préférés du mois");
  await reader.close();
});
