// Posts of several media in the widget (protocol 1.2): a <shoppable-post> carousel of photos
// and a video, each slide with its tags, moved by arrows, swipes and keys, and bought from;
// a video of the page whose tags follow its time and leave its controls and captions alone;
// a host page's own carousel whose slides keep their tags; and the bytes a page of single
// photos downloads, which hold none of this.
import { test } from "node:test";
import assert from "node:assert/strict";
import { adminRequest, axeViolations, ordersIn, page as testPage, placeOrderFromDetails, sheet, useServerAndBrowser, watchErrors } from "./support.js";
import { saveMediaPosts } from "./media-posts.js";

const shop = useServerAndBrowser({
  pages: {
    "carousel.html": testPage(`<main><h1>Look</h1><shoppable-post post="look"></shoppable-post></main>`),
    "video.html": testPage(`<main><h1>Clip</h1><button id="before">Avant</button>
<video src="/www/images/test-pattern.webm" width="320" height="180" controls muted playsinline data-shoppable-post="clip">
  <track kind="captions" src="/www/images/test-pattern.vtt" srclang="fr" label="Français">
</video></main>`),
    // A host page's own carousel: a track moved by a transform, each slide a marked photo.
    "host.html": testPage(`<main><h1>Host</h1><div id="frame" style="width:600px;overflow:hidden">
<div id="track" style="display:flex;width:1800px;transform:translateX(0px)">
  <img src="/www/images/coffee.png" width="600" height="400" alt="Espresso" data-shoppable-post="look">
  <img src="/www/images/chelsea.png" width="600" height="399" alt="Chat" data-shoppable-post="look">
  <img src="/www/images/astronaut.png" width="600" height="600" alt="Astronaute" data-shoppable-post="look">
</div></div></main>`),
    // A carousel and a video of the page, both taken off by Shoppable.unmount.
    "both.html": testPage(`<main><shoppable-post post="look"><img src="/www/images/coffee.png" width="600" height="400" alt="Espresso"></shoppable-post>
<video src="/www/images/test-pattern.webm" width="320" height="180" controls muted data-shoppable-post="clip"></video></main>`),
    "photos.html": testPage(`<figure><img src="/www/images/coffee.png" width="600" height="400" alt="Espresso" data-shoppable-post="coffee"></figure>`),
  },
});

const savePosts = () => saveMediaPosts(shop.server);

const slides = (tab) => tab.locator("shoppable-post shoppable-carousel > .shoppable-slide");
const shownDot = (tab) => tab.locator('shoppable-carousel button.dot[aria-current="true"]');

/** Opens the carousel page at `width` (reduced motion: the track moves at once) once every photo has its tags. */
async function openCarousel(width) {
  const context = await shop.browser.newContext({ viewport: { width, height: 900 }, locale: "fr-FR", reducedMotion: "reduce" });
  const tab = await context.newPage();
  const errors = watchErrors(tab);
  await tab.goto(`${shop.server.url}/carousel.html`);
  await tab.locator("shoppable-carousel .shoppable-slide img[data-shoppable-mounted]").nth(2).waitFor({ state: "attached" });
  await tab.locator('shoppable-carousel button.dot[aria-current="true"]').waitFor();
  return { tab, errors, context };
}

/** Whether the centre of `locator` is inside the box of `inside` (both on screen). */
async function centreInside(locator, inside) {
  const [a, b] = [await locator.boundingBox(), await inside.boundingBox()];
  const [x, y] = [a.x + a.width / 2, a.y + a.height / 2];
  return x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height;
}

test("a carousel of three photos and a video: each slide's tags, the next slide only loaded, bought from the third slide on a phone", async () => {
  await savePosts();
  const { tab, errors, context } = await openCarousel(390);
  assert.equal(await slides(tab).count(), 4);
  // Only the slide shown and the next one have their files.
  const sources = () => slides(tab).evaluateAll((all) => all.map((s) => s.querySelector("img, video").getAttribute("src")));
  let src = await sources();
  assert.match(src[0], /coffee\.png$/);
  assert.match(src[1], /chelsea\.png$/);
  assert.deepEqual(src.slice(2), [null, null]);
  // Each slide has its own tags, the link out among the first's (drawn at a photo's first
  // reveal: each photo's bag button pressed).
  await slides(tab).evaluateAll((all) => all.forEach((slide) => slide.querySelector("shoppable-tags:has(+ img)")?.shadowRoot.querySelector("button.bag").click()));
  const tagsOf = (index) => slides(tab).nth(index).locator("shoppable-tags button.tag");
  const labels = async (index) => (await tagsOf(index).allTextContents()).join(" | ");
  assert.match(await labels(0), /Tasse.*\|.*Moulin ailleurs/);
  assert.match(await labels(1), /Collier/);
  assert.match(await labels(2), /Casque.*\|.*Combinaison/);
  // Slides not shown are out of reach; the dots say where the shopper is.
  assert.deepEqual(await slides(tab).evaluateAll((all) => all.map((s) => s.inert)), [false, true, true, true]);
  assert.equal(await shownDot(tab).getAttribute("aria-label"), "Diapositive 1 sur 4");

  const next = tab.locator('shoppable-carousel button.arrow.next');
  await next.click();
  await next.click();
  assert.equal(await shownDot(tab).getAttribute("aria-label"), "Diapositive 3 sur 4");
  src = await sources();
  assert.match(src[2], /astronaut\.png$/);
  assert.match(src[3], /test-pattern\.webm$/);
  assert.deepEqual(await slides(tab).evaluateAll((all) => all.map((s) => s.inert)), [true, true, false, true]);
  assert.ok(await centreInside(tagsOf(2).first(), slides(tab).nth(2).locator("img")), "the third photo's tag is on it");
  assert.ok(await centreInside(slides(tab).nth(2).locator("img"), tab.locator("shoppable-carousel")), "the third photo is the one shown");

  // The helmet, from the keyboard: its card, "Buy now", and the order.
  await tagsOf(2).first().focus();
  await tab.keyboard.press("Enter");
  const card = slides(tab).nth(2).locator('shoppable-tags [role="dialog"]');
  await card.locator("h2").filter({ hasText: "Casque" }).waitFor();
  await card.locator('button[part="buy-now"]:not([disabled])').click();
  await tab.getByLabel("Nom complet").waitFor();
  await placeOrderFromDetails(tab);
  const number = await sheet(tab).locator(".order-number").textContent();
  assert.ok(number.trim());
  const orders = await ordersIn(shop.server);
  const order = JSON.parse(orders.at(-1).document);
  assert.deepEqual(order.lines.map((line) => line.product_id), ["casque"]);
  // The line is credited to the post, in the shop's insights.
  const insights = await adminRequest(shop.server, "GET", "/v1/admin/insights");
  assert.equal(insights.posts.find((row) => row.key === "look")?.orders, 1, JSON.stringify(insights.posts));
  assert.deepEqual(errors, []);
  await context.close();
});

test("a carousel moves with swipes and the keyboard's arrows, and its tags stay on their photos", async () => {
  await savePosts();
  const { tab, errors, context } = await openCarousel(1000);
  const viewport = await tab.locator("shoppable-carousel").boundingBox();
  const drag = async (dx) => {
    const [x, y] = [viewport.x + viewport.width / 2, viewport.y + 150];
    await tab.mouse.move(x, y);
    await tab.mouse.down();
    await tab.mouse.move(x + dx / 2, y, { steps: 4 });
    await tab.mouse.move(x + dx, y, { steps: 4 });
    await tab.mouse.up();
  };
  await drag(-250);
  assert.equal(await shownDot(tab).getAttribute("aria-label"), "Diapositive 2 sur 4");
  // The shopper asked for reduced motion: the track jumps; otherwise it slides.
  const track = tab.locator("shoppable-carousel .track");
  assert.equal(await track.evaluate((t) => getComputedStyle(t).transitionDuration), "0s");
  await tab.emulateMedia({ reducedMotion: "no-preference" });
  assert.equal(await track.evaluate((t) => getComputedStyle(t).transitionDuration), "0.3s");
  await tab.emulateMedia({ reducedMotion: "reduce" });
  // A short move is not a swipe.
  await drag(-20);
  assert.equal(await shownDot(tab).getAttribute("aria-label"), "Diapositive 2 sur 4");
  await drag(250);
  assert.equal(await shownDot(tab).getAttribute("aria-label"), "Diapositive 1 sur 4");

  // The keyboard: from the arrows, the dots or a tag.
  await tab.locator("shoppable-carousel button.arrow.next").focus();
  await tab.keyboard.press("ArrowRight");
  assert.equal(await shownDot(tab).getAttribute("aria-label"), "Diapositive 2 sur 4");
  await tab.keyboard.press("ArrowRight");
  assert.equal(await shownDot(tab).getAttribute("aria-label"), "Diapositive 3 sur 4");
  await tab.keyboard.press("ArrowLeft");
  assert.equal(await shownDot(tab).getAttribute("aria-label"), "Diapositive 2 sur 4");
  const collar = slides(tab).nth(1).locator("shoppable-tags button.tag");
  await collar.focus();
  assert.ok(await centreInside(collar, slides(tab).nth(1).locator("img")), "the cat's tag is on the cat");
  await tab.keyboard.press("ArrowLeft");
  assert.equal(await shownDot(tab).getAttribute("aria-label"), "Diapositive 1 sur 4");
  // The tag's slide went out of reach: focus is on the dot of the slide shown.
  assert.equal(await tab.evaluate(() => document.activeElement.shadowRoot?.activeElement?.getAttribute("aria-label")), "Diapositive 1 sur 4");
  await tab.locator("shoppable-carousel button.dot").nth(3).click();
  assert.equal(await shownDot(tab).getAttribute("aria-label"), "Diapositive 4 sur 4");
  const video = slides(tab).nth(3).locator("video");
  assert.equal(await video.evaluate((v) => v.paused && !v.autoplay && v.controls), true, "a video slide never plays by itself");
  assert.deepEqual(await video.evaluate((v) => [...v.querySelectorAll("track")].map((t) => [t.kind, t.srclang, t.label])), [["captions", "fr", "Français"]]);
  await slides(tab).nth(3).locator("shoppable-tags button.tag").filter({ hasText: "navette" }).waitFor();

  assert.deepEqual(await axeViolations(tab, "main"), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a video's tags show during their time range, are reachable by keyboard when paused, and leave the controls and captions alone", async () => {
  await savePosts();
  const context = await shop.browser.newContext({ viewport: { width: 800, height: 700 }, locale: "fr-FR" });
  const tab = await context.newPage();
  const errors = watchErrors(tab);
  await tab.goto(`${shop.server.url}/video.html`);
  const video = tab.locator("video[data-shoppable-post]");
  await video.and(tab.locator("[data-shoppable-mounted]")).waitFor();
  await video.evaluate((v) => v.readyState >= 1 || new Promise((done) => v.addEventListener("loadedmetadata", done, { once: true })));
  const seek = (time) => video.evaluate((v, t) => new Promise((done) => {
    v.addEventListener("seeked", done, { once: true });
    v.currentTime = t;
  }), time);
  const drawn = tab.locator("shoppable-tags button.tag");
  const drawnTitles = async () => (await drawn.allTextContents()).join(" | ");

  await seek(1);
  await drawn.filter({ hasText: "Cuillère" }).waitFor();
  assert.doesNotMatch(await drawnTitles(), /navette|Falcon/i);
  await seek(4);
  await drawn.filter({ hasText: "navette" }).waitFor();
  await drawn.filter({ hasText: "Cuillère" }).waitFor({ state: "detached" });
  // The tag is on the picture, and the control bar stays the video's.
  const box = await video.boundingBox();
  const onControls = await tab.evaluate(([x, y]) => document.elementFromPoint(x, y)?.localName, [box.x + box.width / 2, box.y + box.height - 12]);
  assert.equal(onControls, "video");
  const onPicture = await tab.evaluate(([x, y]) => document.elementFromPoint(x, y)?.localName, [box.x + box.width * 0.5, box.y + box.height * 0.6]);
  assert.equal(onPicture, "video", "only the tags take pointer events");

  // Paused, the tag shown is reached with Tab and opens its card; the video stays paused.
  await tab.locator("#before").focus();
  let reached = null;
  for (let i = 0; i < 6 && !/navette/i.test(reached ?? ""); i++) {
    await tab.keyboard.press("Tab");
    reached = await tab.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent ?? document.activeElement?.localName);
  }
  assert.match(reached, /navette/i);
  await tab.keyboard.press("Enter");
  await tab.locator('shoppable-tags [role="dialog"] h2').filter({ hasText: /navette/i }).waitFor();
  await tab.keyboard.press("Escape");

  // The tray lists every product of the video, the one without a point too.
  const toggle = tab.locator('shoppable-tags button[part="video-products-button"]');
  assert.match(await toggle.textContent(), /Produits de cette vidéo \(3\)/);
  await toggle.click();
  const items = tab.locator('shoppable-tags [part="video-products"] button');
  assert.equal(await items.count(), 3);
  await items.filter({ hasText: "Falcon 9" }).click();
  await tab.locator('shoppable-tags [role="dialog"] h2').filter({ hasText: "Falcon 9" }).waitFor();
  // Escape closes the card (focus back on the tray's button), then the tray.
  await tab.keyboard.press("Escape");
  await tab.locator('shoppable-tags [role="dialog"]').waitFor({ state: "detached" });
  await tab.keyboard.press("Escape");
  await items.first().waitFor({ state: "hidden" });

  // Playing (at half speed: the test waits for events, never for a time), the tags follow
  // the video: the spoon goes at 2 s, the shuttle comes at 3 s.
  await seek(1.2);
  await drawn.filter({ hasText: "Cuillère" }).waitFor();
  await video.evaluate((v) => { v.playbackRate = 0.5; return v.play(); });
  await drawn.filter({ hasText: "Cuillère" }).waitFor({ state: "detached", timeout: 10000 });
  await drawn.filter({ hasText: "navette" }).waitFor({ timeout: 10000 });
  // A card that opens pauses the video.
  await drawn.filter({ hasText: "navette" }).click();
  assert.equal(await video.evaluate((v) => v.paused), true);
  await tab.keyboard.press("Escape");
  // The page's captions still work.
  const cues = await video.evaluate((v) => new Promise((done) => {
    const track = v.textTracks[0];
    track.mode = "showing";
    const read = () => (track.cues?.length ? done(track.cues[0].text) : setTimeout(read, 50));
    read();
  }));
  assert.equal(cues, "Une mire de test");
  assert.equal(await video.evaluate((v) => v.controls && v.muted), true, "the page's own attributes stay");
  assert.deepEqual(await axeViolations(tab, "main"), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a host page's own carousel keeps each slide's tags on it, whatever its track's transform", async () => {
  await savePosts();
  const context = await shop.browser.newContext({ viewport: { width: 1000, height: 800 }, locale: "fr-FR" });
  const tab = await context.newPage();
  const errors = watchErrors(tab);
  await tab.goto(`${shop.server.url}/host.html`);
  const photo = (name) => tab.locator(`img[src$="${name}"][data-shoppable-mounted]`);
  const tagsBefore = (name) => tab.locator(`shoppable-tags:has(+ img[src$="${name}"]) button.tag`);
  await photo("chelsea.png").waitFor({ state: "attached" });
  // Each slide has the tags of its own medium, found by its address (a slide gets them when
  // it comes near, as any photo; they are drawn when a mouse is over it).
  await photo("coffee.png").hover();
  assert.match((await tagsBefore("coffee.png").allTextContents()).join(" | "), /Tasse.*Moulin/);
  for (const [shift, name, titles] of [[-600, "chelsea.png", /Collier/], [-1200, "astronaut.png", /Casque.*Combinaison/]]) {
    await tab.evaluate((x) => { document.getElementById("track").style.transform = `translateX(${x}px)`; }, shift);
    await photo(name).hover();
    assert.match((await tagsBefore(name).allTextContents()).join(" | "), titles);
    const tag = tagsBefore(name).first();
    await tag.waitFor();
    assert.ok(await centreInside(tag, photo(name)), `the tag of ${name} is on it after the track moved`);
  }
  await tagsBefore("astronaut.png").first().click();
  await tab.locator('shoppable-tags [role="dialog"] h2').filter({ hasText: "Casque" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("Shoppable.unmount takes a carousel and a video's tags off the page, their listeners and observers with them", async () => {
  await savePosts();
  const context = await shop.browser.newContext({ viewport: { width: 1000, height: 900 }, locale: "fr-FR" });
  const tab = await context.newPage();
  const errors = watchErrors(tab);
  await tab.goto(`${shop.server.url}/both.html`);
  await tab.evaluate(() => window.Shoppable.mount());
  const video = tab.locator("video[data-shoppable-post]");
  await tab.locator("shoppable-carousel .shoppable-slide img[data-shoppable-mounted]").first().waitFor({ state: "attached" });
  await video.and(tab.locator("[data-shoppable-mounted]")).waitFor();
  const fallback = tab.locator("shoppable-post > img");
  assert.equal(await fallback.isHidden(), true, "the page's own photo gives way to the carousel");

  await tab.evaluate(() => window.Shoppable.unmount("shoppable-post, video"));
  await tab.locator("shoppable-carousel").waitFor({ state: "detached" });
  await tab.locator("shoppable-tags").waitFor({ state: "detached" });
  assert.equal(await video.getAttribute("data-shoppable-mounted"), null);
  assert.equal(await fallback.isVisible(), true, "the page's own photo is back");
  // What listened to the video and the page is gone: its time, its size and the keys change
  // nothing, and nothing fails.
  await video.evaluate((v) => new Promise((done) => {
    v.addEventListener("seeked", done, { once: true });
    v.currentTime = 4;
  }));
  await video.evaluate((v) => { v.style.width = "400px"; });
  await tab.setViewportSize({ width: 900, height: 900 });
  await tab.locator("shoppable-post").press("ArrowRight");
  assert.equal(await tab.locator("shoppable-tags, shoppable-carousel").count(), 0);

  // Mounted again, each is there once.
  await tab.evaluate(() => window.Shoppable.mount());
  await tab.locator("shoppable-carousel .shoppable-slide img[data-shoppable-mounted]").first().waitFor({ state: "attached" });
  await video.and(tab.locator("[data-shoppable-mounted]")).waitFor();
  assert.equal(await tab.locator("shoppable-carousel").count(), 1);
  assert.equal(await tab.locator("main > shoppable-tags:has(+ video)").count(), 1, "the page's video has one");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a page of single photos never downloads the carousel and video code", async () => {
  await savePosts();
  const context = await shop.browser.newContext({ viewport: { width: 1000, height: 800 } });
  const tab = await context.newPage();
  const fetched = [];
  tab.on("request", (request) => fetched.push(new URL(request.url()).pathname));
  await tab.goto(`${shop.server.url}/photos.html`);
  await tab.locator("img[data-shoppable-mounted]").waitFor({ state: "attached" });
  await tab.locator("img[data-shoppable-mounted]").click({ position: { x: 10, y: 10 } });
  await tab.locator("shoppable-tags button.tag").first().click();
  await tab.locator('shoppable-tags [role="dialog"] h2').waitFor();
  const chunks = JSON.parse(await (await fetch(`${shop.server.url}/pkg/chunks.json`)).text());
  const others = Object.entries(chunks).filter(([name]) => name !== "media").flatMap(([, files]) => files);
  const media = chunks.media.filter((file) => !others.includes(file));
  assert.ok(media.some((file) => file.startsWith("split_media")), "the build lists the media chunk's files");
  // (The card's files were fetched: the media chunk's own were not.)
  assert.ok(fetched.some((path) => /split_card/.test(path)));
  assert.deepEqual(fetched.filter((path) => media.some((file) => path.endsWith(file))), []);
  // And a carousel's page does.
  await tab.goto(`${shop.server.url}/carousel.html`);
  await tab.locator("shoppable-carousel").waitFor({ state: "attached" });
  assert.ok(fetched.some((path) => path.endsWith(media.find((file) => file.startsWith("split_media")))));
  await context.close();
});
