// What a shopper found wrong in the widget (issue 26), in real Chromium against the reference
// server: "Buy now" after "Add to bag" buys one unit, not two; a repeat purchase from the bag
// is as quick as "Buy now" (remembered details and card: straight to the review); removing a
// bag line keeps the keyboard in the sheet and takes its stock notice with it; on a blog of
// another origin the order page's photos come from the shop; a product without variants shows
// its title once; the review and the order page are laid out as designed at 1280 and 390 px
// (screenshots in $SCREENSHOTS or the temporary folder), on a blog whose own font is a serif;
// the links of the e-mails open the order on the shop's page (the confirmation's on any device).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  startServer, startSite, launchBrowser, adminRequest, fillAddress, fillCard, paymentFrame, sheet, storedBag, placeOrderFromDetails,
  reviewFromDetails,
} from "./support.js";

const shots = process.env.SCREENSHOTS || join(tmpdir(), "shoppable-screenshots");
mkdirSync(shots, { recursive: true });
let server, blog, browser;
const blogPages = {};

before(async () => {
  blog = await startSite(blogPages);
  server = await startServer({ args: ["--allowed-origin", blog.url, "--shop-url", `${blog.url}/blog.html`] });
  browser = await launchBrowser();
  blogPages["/blog.html"] = { html: `<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Le blog</title>
<script src="${server.url}/pkg/shoppable.js" data-api="${server.url}/" data-locale="fr-FR" defer></script>
<style>body{font:18px/1.6 Georgia,serif;max-width:680px;margin:0 auto;padding:16px}a{color:#00e}img{max-width:100%;height:auto}</style>
</head><body><h1>Mon café du matin</h1>
<img src="/images/coffee.png" width="600" height="400" alt="Un café" data-shoppable-post="coffee"></body></html>` };
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await blog?.stop();
});

const admin = (method, path, body) => adminRequest(server, method, path, body);

/** The blog's page in a new browser at `viewport`, "Buy now" on the coffee: the details step. */
async function buyNowOnBlog(viewport) {
  const context = await browser.newContext({ viewport, locale: "fr-FR" });
  const page = await context.newPage();
  await page.goto(`${blog.url}/blog.html`);
  await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  const card = await openCoffeeCard(page);
  await card.locator('button[part="buy-now"]').click();
  await page.getByLabel("Nom complet").waitFor();
  return { context, page };
}

async function demoPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: "fr-FR" });
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  return page;
}

/** Opens the card of the coffee beans (a product without variants) from the coffee photo. */
async function openCoffeeCard(page) {
  const figure = page.locator('figure:has(img[data-shoppable-post="coffee"]), body:has(> img[data-shoppable-post="coffee"])').first();
  await figure.locator("img[data-shoppable-post]").click({ position: { x: 10, y: 10 } });
  await figure.locator("shoppable-tags button.tag").filter({ hasText: "Café en grains" }).click();
  const card = figure.locator('shoppable-tags [role="dialog"]');
  await card.locator('button[part="buy-now"]:not([disabled])').waitFor();
  return card;
}

/** Puts `lines` ([variant, title, quantity]) in the page's bag for the shop, then reloads. */
async function setBag(page, lines) {
  const bag = { lines: lines.map(([variant_id, title, quantity]) => ({ variant_id, product_id: variant_id, title, quantity })) };
  await page.evaluate(([key, json]) => localStorage.setItem(key, json), [`shoppable:bag:${server.url}`, JSON.stringify(bag)]);
  await page.reload();
  await page.locator("shoppable-checkout button.badge:not([hidden])").waitFor();
}

/** The element that has focus, inside the sheet's shadow root: its tag, text and label. */
const focused = (page) => page.evaluate(() => {
  const inner = document.activeElement?.shadowRoot?.activeElement;
  const element = inner ?? document.activeElement;
  return { tag: element.tagName.toLowerCase(), text: element.textContent.trim(), label: element.getAttribute("aria-label") };
});

test("Add to bag then Buy now on the same card buys one unit, and its title is shown once", async () => {
  const page = await demoPage();
  const card = await openCoffeeCard(page);
  await card.locator('button[part="add-to-bag"]').click();
  await card.locator(".status").filter({ hasText: "Ajouté au panier" }).waitFor();
  await card.locator('button[part="buy-now"]').click();
  await page.getByLabel("Nom complet").waitFor();
  const bag = await storedBag(page, server.url);
  assert.deepEqual(bag.map((l) => [l.variant_id, l.quantity]), [["cafe-moka", 1]]);

  await placeOrderFromDetails(page);
  const number = await sheet(page).locator(".order-number").textContent();
  const order = await admin("GET", `/v1/admin/orders?q=${number}`).then((list) => list.orders[0]);
  assert.deepEqual(order.lines.map((l) => [l.title, l.quantity]), [["Café en grains Moka 250 g", 1]]);
  // The order page: the product's title once, no "variant" line repeating it.
  await sheet(page).getByRole("button", { name: "Suivre ma commande" }).click();
  const line = sheet(page).locator(".order-lines .line");
  await line.waitFor();
  assert.equal(await line.locator(".line-title").textContent(), "1 × Café en grains Moka 250 g");
  assert.equal(await line.locator(".line-variant").count(), 0);
  assert.equal((await line.textContent()).split("Café en grains").length - 1, 1);
  await page.context().close();
});

test("a repeat purchase from the bag, with remembered details and card, goes straight to the review", async () => {
  const page = await demoPage();
  let card = await openCoffeeCard(page);
  await card.locator('button[part="buy-now"]').click();
  await page.getByLabel("Nom complet").waitFor();
  await fillAddress(page);
  await sheet(page).getByLabel("Mémoriser mes coordonnées sur cet appareil").check();
  await sheet(page).getByRole("button", { name: "Continuer" }).click();
  await sheet(page).locator('input[name="shoppable-shipping"]').first().waitFor();
  await sheet(page).getByRole("button", { name: "Continuer" }).click();
  await fillCard(page, "4242 4242 4242 4242");
  await paymentFrame(page).getByLabel("Mémoriser cette carte").check();
  await sheet(page).getByRole("button", { name: "Continuer" }).click();
  await sheet(page).locator('button[part="place-order"]:not([disabled])').click();
  await sheet(page).locator(".order-number").waitFor();
  await page.keyboard.press("Escape");

  // Next visit: "Add to bag", then the bag's "Checkout".
  await page.reload();
  await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  card = await openCoffeeCard(page);
  await card.locator('button[part="add-to-bag"]').click();
  await card.locator(".status").filter({ hasText: "Ajouté au panier" }).waitFor();
  await page.keyboard.press("Escape");
  await page.locator("shoppable-checkout button.badge").click();
  await sheet(page).locator('button[part="checkout-button"]:not([disabled])').click();
  await page.locator('shoppable-checkout[data-step="review"]').waitFor({ state: "attached" });
  await sheet(page).locator(".paying-with").filter({ hasText: "Payer avec Visa •••• 4242" }).waitFor();
  assert.match(await sheet(page).locator(".summary").first().textContent(), /Camille Martin, 12 rue des Lilas, 75011 Paris, France/);
  await page.context().close();
});

test("removing bag lines from the keyboard keeps focus in the sheet, and takes the line's stock notice away", async () => {
  const page = await demoPage();
  await admin("PUT", "/v1/admin/variants/soucoupe/stock", { stock: 2 });
  await setBag(page, [["soucoupe", "Soucoupe en grès", 3], ["cafe-moka", "Café en grains Moka 250 g", 1]]);
  await page.locator("shoppable-checkout button.badge").click();
  const notice = sheet(page).locator(".notice");
  await notice.filter({ hasText: "« Soucoupe en grès » : plus que 2 en stock, quantité ajustée." }).waitFor();
  await sheet(page).locator(".qty").first().filter({ hasText: "2" }).waitFor();

  // Remove the saucers with the keyboard: focus goes to the coffee's "Remove", the notice goes.
  await sheet(page).getByRole("button", { name: "Retirer : Soucoupe en grès" }).focus();
  await page.keyboard.press("Enter");
  await sheet(page).locator(".lines .line").filter({ hasText: "Soucoupe" }).waitFor({ state: "detached" });
  await page.waitForFunction(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute("aria-label")?.startsWith("Retirer : Café"));
  assert.equal((await focused(page)).label, "Retirer : Café en grains Moka 250 g");
  assert.equal(await notice.textContent(), "");
  assert.equal(await notice.isVisible(), false);

  // The last line: focus goes to the sheet's title, never to the page behind.
  await page.keyboard.press("Enter");
  await sheet(page).locator(".empty:not([hidden])").waitFor();
  await page.waitForFunction(() => document.activeElement?.shadowRoot?.activeElement?.id === "shoppable-sheet-title");
  assert.deepEqual(await focused(page), { tag: "h2", text: "Panier", label: null });
  await admin("PUT", "/v1/admin/variants/soucoupe/stock", { stock: 20 });
  await page.context().close();
});

/** Reads the layout of the review step's summaries: each child's box, by its text. */
const reviewLayout = (page) => page.evaluate(() => {
  const root = document.querySelector("shoppable-checkout").shadowRoot;
  return [...root.querySelectorAll("section.summary")].map((section) => [...section.children]
    .filter((child) => child.getClientRects().length > 0)
    .map((child) => {
      const box = child.getBoundingClientRect();
      return { text: child.textContent.trim(), left: Math.round(box.left), top: Math.round(box.top), bottom: Math.round(box.bottom) };
    }));
});

/** Fonts and link colours in the sheet (the order page included), which the blog's styles must not reach. */
const sheetLooks = (page) => page.evaluate(() => {
  const root = document.querySelector("shoppable-checkout").shadowRoot;
  const all = [...root.querySelectorAll("*")].filter((e) => e.getClientRects().length > 0 && e.childNodes.length > 0);
  return {
    serif: all.filter((e) => /Georgia|serif/.test(getComputedStyle(e).fontFamily) && !/sans-serif/.test(getComputedStyle(e).fontFamily))
      .map((e) => `${e.tagName.toLowerCase()}: ${e.textContent.trim().slice(0, 30)}`),
    links: [...root.querySelectorAll("a")].map((a) => getComputedStyle(a).color),
  };
});

for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
  test(`on a blog of another origin at ${viewport.width} px: the review and the order page are laid out as designed, photos from the shop`, async () => {
    const { context, page } = await buyNowOnBlog(viewport);
    await reviewFromDetails(page);
    await page.screenshot({ path: join(shots, `review-${viewport.width}.png`) });

    // Each summary reads top to bottom in one column: heading, address or option, "Modifier".
    for (const children of await reviewLayout(page)) {
      assert.ok(children.length >= 3, JSON.stringify(children));
      for (const [above, below] of children.slice(0, -1).map((child, i) => [child, children[i + 1]])) {
        assert.ok(Math.abs(above.left - below.left) <= 1, `aligned: ${JSON.stringify([above, below])}`);
        assert.ok(below.top >= above.bottom - 1, `stacked: ${JSON.stringify([above, below])}`);
      }
    }
    assert.deepEqual((await sheetLooks(page)).serif, []);

    await sheet(page).locator('button[part="place-order"]').click();
    const number = await sheet(page).locator(".order-number").textContent();
    const { orders: [order] } = await admin("GET", `/v1/admin/orders?q=${number}`);
    await admin("POST", `/v1/admin/orders/${order.id}/ship`, { tracking_number: "6A123", tracking_url: "https://suivi.example/6A123" });
    await admin("POST", `/v1/admin/orders/${order.id}/deliver`, {});
    await sheet(page).getByRole("button", { name: "Suivre ma commande" }).click();
    await sheet(page).locator('[part="order-status"]').filter({ hasText: "Livrée" }).waitFor();
    await sheet(page).locator('button[part="return-items"]').click();

    // The line's photo is the shop's, loaded from the shop's origin, not the blog's.
    const photo = sheet(page).locator(".order-lines img");
    assert.ok((await photo.getAttribute("src")).startsWith(`${server.url}/`), await photo.getAttribute("src"));
    await page.waitForFunction(() => {
      const img = document.querySelector("shoppable-checkout").shadowRoot.querySelector(".order-lines img");
      return img.complete && img.naturalWidth > 0;
    });
    const looks = await sheetLooks(page);
    assert.deepEqual(looks.serif, [], "the blog's serif font reaches no text of the sheet");
    assert.ok(looks.links.length > 0);
    assert.ok(looks.links.every((color) => color !== "rgb(0, 0, 238)"), `links in the sheet's colours, not the browser's: ${looks.links}`);
    await page.screenshot({ path: join(shots, `order-${viewport.width}.png`) });
    await sheet(page).locator('button[part="return-items"], .return-form legend').last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, `order-returns-${viewport.width}.png`) });
    await context.close();
  });
}

/** The e-mails about order `number` (.eml files, CRLF read as LF), once there are `count`. */
async function emailsAbout(number, count) {
  const dir = join(server.dir, "e2e-mail");
  for (let waited = 0; waited < 10_000; waited += 100) {
    const mails = (existsSync(dir) ? readdirSync(dir) : []).filter((f) => f.endsWith(".eml"))
      .map((f) => readFileSync(join(dir, f), "utf8").replaceAll("\r\n", "\n")).filter((mail) => mail.includes(number));
    if (mails.length >= count) return mails;
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}

test("each e-mail links to its order: the confirmation's link opens it on another device, the others where it was placed", async () => {
  const { context, page } = await buyNowOnBlog({ width: 1280, height: 900 });
  await placeOrderFromDetails(page);
  const number = await sheet(page).locator(".order-number").textContent();
  const { orders: [order] } = await admin("GET", `/v1/admin/orders?q=${number}`);
  await admin("POST", `/v1/admin/orders/${order.id}/ship`, { tracking_number: "6A9" });
  const [confirmed, shipped] = await emailsAbout(number, 2).then((mails) => ["Merci pour votre commande", "Votre commande est en route"]
    .map((words) => mails.find((mail) => mail.includes(words))));
  const link = (mail) => mail.match(/^http\S+#shoppable-order=\S+$/m)?.[0];
  assert.match(link(confirmed), new RegExp(`^${blog.url}/blog\\.html#shoppable-order=${order.id}\\.[0-9a-f]{48}$`));
  assert.equal(link(shipped), `${blog.url}/blog.html#shoppable-order=${order.id}`);

  // Another device: the confirmation's link opens the order, which joins its orders.
  const other = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "fr-FR" });
  const phone = await other.newPage();
  await phone.goto(link(confirmed));
  await sheet(phone).locator(".order-page .order-number").filter({ hasText: number }).waitFor();
  await sheet(phone).locator('[part="order-status"]').filter({ hasText: "Expédiée" }).waitFor();
  assert.equal(await phone.evaluate(() => JSON.parse(Object.entries(localStorage).find(([key]) => key.startsWith("shoppable:orders"))[1])[0].number), number);
  // The shipment's link, on a device that never saw the order: the shopper is told what to do.
  const third = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "fr-FR" });
  const tablet = await third.newPage();
  await tablet.goto(link(shipped));
  await sheet(tablet).locator(".failure").filter({ hasText: "ouvrez le lien de son e-mail de confirmation" }).waitFor();
  // Where the order was placed, the shipment's link opens it (a new visit, not a jump in the page).
  await page.goto("about:blank");
  await page.goto(link(shipped));
  await sheet(page).locator(".order-page .order-number").filter({ hasText: number }).waitFor();
  await Promise.all([context.close(), other.close(), third.close()]);
});
