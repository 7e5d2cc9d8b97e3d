// Insights per medium (protocol 1.4, `media_index`): the tags of a carousel's slides say their
// slide in the widget's anonymous events, and the console's Insights view gives a post of
// several media one row per slide; a post of one photo names none.
import { test } from "node:test";
import assert from "node:assert/strict";
import { adminRequest, axeViolations, openConsole, page as testPage, queryDatabase, revealTags, useServerAndBrowser, watchErrors } from "./support.js";
import { saveMediaPosts } from "./media-posts.js";

const shop = useServerAndBrowser({
  pages: {
    "carousel.html": testPage(`<main><h1>Look</h1><shoppable-post post="look"></shoppable-post></main>`),
    "photos.html": testPage(`<figure><img src="/www/images/coffee.png" width="600" height="400" alt="Espresso" data-shoppable-post="coffee"></figure>`),
  },
});

/** The report's row of post `key`, once `ready(row)` holds: beacons leave a few seconds after the first event. */
async function postRow(key, ready) {
  for (let i = 0; ; i++) {
    const report = await adminRequest(shop.server, "GET", "/v1/admin/insights");
    const row = report.posts.find((post) => post.key === key);
    if ((row && ready(row)) || i === 60) return row;
    await new Promise((done) => setTimeout(done, 250));
  }
}

test("a tag opened and added to the bag from a carousel's third slide is counted for that slide, and the console shows each slide's row", async () => {
  await saveMediaPosts(shop.server);
  const context = await shop.browser.newContext({ viewport: { width: 1000, height: 900 }, locale: "fr-FR", reducedMotion: "reduce" });
  const tab = await context.newPage();
  const errors = watchErrors(tab);
  await tab.goto(`${shop.server.url}/carousel.html`);
  const slides = tab.locator("shoppable-post shoppable-carousel > .shoppable-slide");
  const tagsOf = (index) => revealTags(slides.nth(index));
  await slides.nth(2).locator("img[data-shoppable-mounted]").waitFor({ state: "attached" });

  // The first slide: its cup's card opened and closed.
  await (await tagsOf(0)).first().focus();
  await tab.keyboard.press("Enter");
  await slides.nth(0).locator('shoppable-tags [role="dialog"] h2').waitFor();
  await tab.keyboard.press("Escape");
  // The third slide: the helmet's card, and "Add to bag".
  const next = tab.locator("shoppable-carousel button.arrow.next");
  await next.click();
  await next.click();
  await (await tagsOf(2)).first().focus();
  await tab.keyboard.press("Enter");
  const card = slides.nth(2).locator('shoppable-tags [role="dialog"]');
  await card.locator("h2").filter({ hasText: "Casque" }).waitFor();
  await card.locator('button[part="add-to-bag"]:not([disabled])').click();

  const look = await postRow("look", (row) => row.media?.[2]?.adds_to_bag === 1);
  assert.deepEqual(look.media.map((m) => [m.index, m.type]), [[0, "photo"], [1, "photo"], [2, "photo"], [3, "video"]], JSON.stringify(look));
  assert.deepEqual([look.media[2].tag_opens, look.media[2].adds_to_bag], [1, 1], "the third slide's open and add");
  assert.deepEqual([look.media[0].tag_opens, look.media[0].adds_to_bag], [1, 0], "the first slide's open, nothing added from it");
  assert.deepEqual([look.media[1].tag_opens, look.media[3].tag_opens], [0, 0], "nothing opened on the other slides");
  assert.deepEqual([look.tag_opens, look.adds_to_bag], [2, 1], "the post counts them all");
  assert.deepEqual(errors, []);
  await context.close();

  // The shop's console, signed in: one row per slide under the post, in English and in German.
  const { page, context: consoleContext, errors: consoleErrors } = await openConsole(shop.browser, shop.server, "#/insights", "en");
  const slideRow = (index) => page.locator(`table.insights tr.medium[data-post="look"][data-medium="${index}"]`);
  await slideRow(2).waitFor();
  assert.equal(await page.locator('table.insights tr.medium[data-post="look"]').count(), 4);
  const cells = async (index) => Object.fromEntries(await Promise.all(["views", "opens", "adds", "orders"].map(async (name) => [name, await slideRow(index).locator(`td.${name}`).textContent()])));
  assert.equal((await slideRow(2).locator("th").textContent()).trim(), "look, Slide 3 (photo)");
  assert.deepEqual(await cells(2), { views: String(look.media[2].tag_views), opens: "1", adds: "1", orders: "" }, "orders stay the post's");
  assert.deepEqual(await cells(0), { views: String(look.media[0].tag_views), opens: "1", adds: "0", orders: "" });
  assert.match(await slideRow(3).locator("th").textContent(), /Slide 4 \(video\)$/);
  // The post's own row comes first, with every event.
  const lookRow = page.locator('table.insights tr[data-key="look"]');
  assert.equal(await lookRow.locator("td.opens").textContent(), "2");
  assert.equal(await lookRow.evaluate((row) => row.nextElementSibling?.dataset.medium), "0");
  assert.deepEqual(await axeViolations(page), [], "insights with slides");
  // (Still signed in: the console keeps its session.)
  await page.goto(`${shop.server.url}/console/?lang=de#/insights`);
  await slideRow(3).waitFor();
  assert.match(await slideRow(3).locator("th").textContent(), /Folie 4 \(Video\)$/);
  assert.deepEqual(consoleErrors, []);
  await consoleContext.close();
});

test("the tags of a post of one photo name no medium in their events", async () => {
  await saveMediaPosts(shop.server);
  const context = await shop.browser.newContext({ viewport: { width: 1000, height: 800 } });
  const tab = await context.newPage();
  await tab.goto(`${shop.server.url}/photos.html`);
  await tab.locator("img[data-shoppable-mounted]").click({ position: { x: 10, y: 10 } });
  await tab.locator("shoppable-tags button.tag").first().click();
  await tab.locator('shoppable-tags [role="dialog"] h2').waitFor();
  const coffee = await postRow("coffee", (row) => row.tag_opens >= 1);
  assert.ok(coffee.tag_opens >= 1, JSON.stringify(coffee));
  assert.equal(coffee.media, undefined);
  // Stored without a medium: the server would keep an index 0 of a one-medium post.
  assert.deepEqual(queryDatabase(shop.server, "SELECT post_id FROM insight_media_days WHERE post_id = 'coffee'"), []);
  await context.close();
});
