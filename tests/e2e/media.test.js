// A post of several media (protocol 1.2: a video, photos, a link-out tag) named by a photo of
// the page: the photo gets the tags of its own medium (found by its address), the link out
// among them, and sells from them as from a post of one photo. (carousel.test.js shows the
// whole post in a <shoppable-post>, and videos.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { addFromTag, figure, page as testPage, revealTags, useServerAndBrowser, watchErrors } from "./support.js";

const shop = useServerAndBrowser({
  pages: {
    "carousel.html": testPage(`<figure><img src="/www/images/coffee.png" width="600" height="400" alt="Espresso" data-shoppable-post="carousel"></figure>`),
  },
});

const link = { title: "Moulin ailleurs", price: { amount: 4900, currency: "EUR" }, url: "https://other.example/moulin?ref=blog" };
const carousel = {
  media: [
    {
      type: "video",
      image: { url: "/www/images/rocket.jpg", width: 640, height: 360, alt: "Fusée" },
      video: { url: "/www/images/test-pattern.webm" },
      tags: [{ start: 0, end: 5, x: 0.5, y: 0.5, product_id: "cuillere" }],
    },
    {
      type: "photo",
      image: { url: "/www/images/coffee.png", width: 600, height: 400, alt: "Espresso" },
      tags: [
        { x: 0.45, y: 0.55, product_id: "tasse-espresso" },
        { x: 0.2, y: 0.2, link },
        { x: 0.61, y: 0.72, product_id: "soucoupe" },
      ],
    },
    { type: "photo", image: { url: "/www/images/chelsea.png", width: 451, height: 300, alt: "Chat" }, tags: [{ x: 0.3, y: 0.9, product_id: "collier-chat" }] },
  ],
};

test("a photo naming a post of several media gets its medium's tags, link out included, and sells from them", async () => {
  const { server, browser } = shop;
  const saved = await fetch(`${server.url}/v1/admin/posts/carousel`, {
    method: "PUT",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${server.adminToken}` },
    body: JSON.stringify(carousel),
  });
  assert.equal(saved.status, 200, await saved.text());

  for (const width of [1000, 390]) {
    const tab = await browser.newPage({ viewport: { width, height: 900 } });
    const errors = watchErrors(tab);
    await tab.goto(`${server.url}/carousel.html`);
    await figure(tab, "carousel").locator("img[data-shoppable-mounted]").first().waitFor();
    const tags = await revealTags(figure(tab, "carousel"));
    await tags.first().waitFor({ state: "attached" });
    // The photo's three tags: not the video's, not the third medium's.
    await tags.nth(2).waitFor({ state: "attached" });
    assert.equal(await tags.count(), 3, `at ${width} px`);
    const labels = (await tags.evaluateAll((buttons) => buttons.map((b) => b.getAttribute("aria-label") || b.textContent))).join(" | ");
    assert.match(labels, /Tasse.*Moulin ailleurs.*Soucoupe/i, labels);
    assert.doesNotMatch(labels, /Cuill|Collier/i, labels);
    if (width === 390) {
      assert.match(await addFromTag(tab, "carousel", 2), /Soucoupe/i);
    } else {
      // The link out's card links to its page, in a new tab; it is never added to the bag.
      await tags.nth(1).focus();
      await tab.keyboard.press("Enter");
      const card = figure(tab, "carousel").locator('shoppable-tags [role="dialog"]');
      assert.equal(await card.locator('a[part="link-out"]').getAttribute("href"), link.url);
      assert.equal(await card.locator('button[part="add-to-bag"]').count(), 0);
      await tab.keyboard.press("Escape");
    }
    assert.deepEqual(errors, [], `at ${width} px`);
    await tab.close();
  }
});
