// Issue 23's acceptance, end to end: a post of three photos and a video, catalog tags on each
// slide, made in the console's tag editor; the snippet the editor shows, copied in each of the
// five languages and pasted into a blog of another origin; then, in each language, a purchase
// from another slide (the video's tag from the keyboard while it is paused; two languages on a
// phone), in the sheet's words of that language, and the order the shop stored, line and post.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  startServer, startSite, launchBrowser, adminRequest, openEditor, upload, pickByKeyboard, typeInto, saveInEditor, reviewFromDetails,
  sheet, word, watchErrors, repo, revealTags,
} from "./support.js";

let server, blog, browser;
const blogPages = {};

before(async () => {
  blog = await startSite(blogPages);
  server = await startServer({ args: ["--allowed-origin", blog.url] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await blog?.stop();
});

const POST = "journey";
// Each slide's file and the catalog products tagged on it, by what the editor's search is given.
const SLIDES = [
  { file: "coffee.png", products: ["soucoupe", "tasse"] },
  { file: "chelsea.png", products: ["collier"] },
  { file: "astronaut.png", products: ["casque"] },
  { file: "test-pattern.webm", products: ["navette"] },
];
// Who buys what: slide and tag, and at which width.
const PURCHASES = [
  { lang: "fr", slide: 0, tag: 0, width: 1200 },
  { lang: "en", slide: 1, tag: 0, width: 1200 },
  { lang: "de", slide: 2, tag: 0, width: 1200 },
  { lang: "es", slide: 3, tag: 0, width: 390 },
  { lang: "it", slide: 0, tag: 1, width: 390 },
];

/** In the editor, with the keyboard: the post of SLIDES, saved; resolves to the post as the shop serves it. */
async function makePost(page) {
  await typeInto(page, "#post-id", POST);
  for (const { file } of SLIDES) await upload(page, join(repo, "www/images", file));
  for (const [index, { file, products }] of SLIDES.entries()) {
    await page.locator(`#slide-${index}`).focus();
    await page.keyboard.press("Enter");
    for (const [tag, query] of products.entries()) {
      await page.locator("#add-tag").focus();
      await page.keyboard.press("Enter");
      if (file.endsWith(".webm")) {
        // From 0 s (the video is at its start) for 5 s, at a point: drawn while it is paused.
        await page.locator(`#tag-item-${tag}:focus`).waitFor();
        await page.locator("#tag-placed").focus();
        await page.keyboard.press("Space");
        await page.locator(`#tag-${tag}`).waitFor();
      } else {
        await page.locator(`#tag-${tag}:focus`).waitFor();
        // A second tag leaves the first one's spot.
        for (let step = 0; step < tag * 4; step++) await page.keyboard.press("ArrowLeft");
      }
      await pickByKeyboard(page, query);
    }
  }
  await saveInEditor(page, POST);
  await page.waitForURL(/#\/posts\/journey$/);
  const batch = await (await fetch(`${server.url}/v1/posts?ids=${POST}`)).json();
  assert.deepEqual(batch.missing, []);
  return batch.posts[0];
}

/** The snippet, copied with the editor's button while the console speaks `lang`. */
async function copySnippet(page, lang) {
  await page.selectOption("#lang", lang);
  await page.waitForFunction((lang) => document.getElementById("snippet")?.value.includes(`data-locale="${lang}"`), lang);
  await page.locator("#copy").click();
  await page.waitForFunction(async (lang) => (await navigator.clipboard.readText()).includes(`data-locale="${lang}"`), lang);
  return page.evaluate(() => navigator.clipboard.readText());
}

test("a carousel-and-video post made in the console, embedded on a blog, bought from any slide in each of the five languages", async () => {
  const console_ = await openEditor(browser, server, "#/posts/new", "fr");
  await console_.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  const saved = await makePost(console_.page);
  assert.deepEqual(saved.media.map((m) => [m.type, m.tags.length]), [["photo", 2], ["photo", 1], ["photo", 1], ["video", 1]]);
  for (const { lang } of PURCHASES) {
    const snippet = await copySnippet(console_.page, lang);
    assert.match(snippet, new RegExp(`<shoppable-post post="${POST}"><img src="${saved.media[0].image.url}"`));
    assert.match(snippet, new RegExp(`<script src="${server.url}/pkg/shoppable.js" data-api="${server.url}/" data-locale="${lang}" defer></script>`));
    blogPages[`/${lang}.html`] = { html: `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>Look</title></head>
<body><main><h1>Look</h1>${snippet}</main></body></html>` };
  }
  assert.deepEqual(console_.errors, []);
  await console_.context.close();

  for (const [count, { lang, slide, tag, width }] of PURCHASES.entries()) {
    const context = await browser.newContext({ viewport: { width, height: 844 }, locale: lang, reducedMotion: "reduce" });
    const tab = await context.newPage();
    const errors = watchErrors(tab);
    await tab.goto(`${blog.url}/${lang}.html`);
    const slides = tab.locator("shoppable-post shoppable-carousel > .shoppable-slide");
    await tab.locator('shoppable-carousel button.dot[aria-current="true"]').waitFor();
    assert.equal(await slides.count(), 4, lang);
    // To the slide, by its dot; then its tag from the keyboard (the video is paused).
    await tab.locator("shoppable-carousel button.dot").nth(slide).click();
    await tab.locator("shoppable-carousel button.dot").nth(slide).and(tab.locator('[aria-current="true"]')).waitFor();
    if (slide === 3) assert.equal(await slides.nth(3).locator("video").evaluate((v) => v.paused), true);
    const product = saved.media[slide].tags[tag].product;
    const tagButton = (await revealTags(slides.nth(slide))).filter({ hasText: product.title });
    await tagButton.focus();
    await tab.keyboard.press("Enter");
    const card = slides.nth(slide).locator('shoppable-tags [role="dialog"]');
    await card.locator("h2").filter({ hasText: product.title }).waitFor();
    const buy = card.locator('button[part="buy-now"]:not([disabled])');
    assert.equal((await buy.textContent()).trim(), word("BuyNow", lang));
    await buy.click();
    await tab.getByLabel(word("FieldName", lang)).waitFor();
    await reviewFromDetails(tab, lang);
    const place = sheet(tab).locator('button[part="place-order"]:not([disabled])');
    assert.equal((await place.textContent()).trim(), word("PlaceOrder", lang));
    await place.click();
    await sheet(tab).getByText(word("OrderConfirmed", lang)).waitFor();
    const number = (await sheet(tab).locator(".order-number").textContent()).trim();
    if (width === 390) assert.ok(await tab.evaluate(() => document.scrollingElement.scrollWidth <= 390), `${lang}: no sideways scrolling`);

    // The order as the shop stored it: this product, from this post.
    const { orders: [order] } = await adminRequest(server, "GET", "/v1/admin/orders?limit=1");
    assert.equal(order.number, number, lang);
    assert.deepEqual(order.lines.map((line) => [line.product_id, line.quantity]), [[product.id, 1]], lang);
    const insights = await adminRequest(server, "GET", "/v1/admin/insights");
    assert.equal(insights.posts.find((row) => row.key === POST)?.orders, count + 1, `${lang}: ${JSON.stringify(insights.posts)}`);
    assert.deepEqual(errors, [], lang);
    await context.close();
  }
});
