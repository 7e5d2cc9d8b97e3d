// The tag editor, inside the console (#/posts/new, #/posts/ID): posts of several photos and
// videos built with the pointer or the keyboard alone, catalog and link-out tags side by side,
// a draft that survives a reload, undo and redo, the embed snippet of the saved post, and bad
// or hostile input refused or shown as text.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import {
  startServer, launchBrowser, centre, axeViolations, repo, openEditor as openEditorOf, editorSlides, upload, pickByKeyboard, typeInto, saveInEditor, revealTags,
} from "./support.js";

let server, browser, video;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  video = await recordWebm();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A one-second WebM, recorded by Chromium from a canvas: a video to upload. */
async function recordWebm() {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(`${server.url}/www/images/CREDITS.md`);
  const base64 = await tab.evaluate(async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 320;
    canvas.height = 180;
    const draw = canvas.getContext("2d");
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: "video/webm" });
    const chunks = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    recorder.start(100);
    for (let frame = 0; frame < 25; frame++) {
      draw.fillStyle = `hsl(${frame * 14}, 70%, 50%)`;
      draw.fillRect(0, 0, 320, 180);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
    recorder.stop();
    await stopped;
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let text = "";
    for (const byte of bytes) text += String.fromCharCode(byte);
    return btoa(text);
  });
  await context.close();
  return Buffer.from(base64, "base64");
}

const openEditor = (hash, lang, width) => openEditorOf(browser, server, hash, lang, width);
const slides = editorSlides;
const stageTags = (page) => page.locator(".frame button.tag");

/** The tags of the preview's slide `n`, drawn as a reader reveals them: the slide by its dot, then its bag button. */
async function slideTags(page, n) {
  const post = page.locator(".preview shoppable-post");
  await post.locator("shoppable-carousel button.dot").nth(n).click();
  await post.locator("shoppable-carousel button.dot").nth(n).and(page.locator('[aria-current="true"]')).waitFor();
  return revealTags(post.locator("shoppable-carousel > .shoppable-slide").nth(n));
}
const photo = (name) => join(repo, "www/images", name);
const webm = () => ({ name: "try-on.webm", mimeType: "video/webm", buffer: video });
const save = saveInEditor;

/** Waits until tag 1 says it is about (x %, y %) of the photo (within a pixel's rounding). */
async function placedNear(page, x, y) {
  await page.waitForFunction(([x, y]) => {
    const label = document.getElementById("tag-0")?.getAttribute("aria-label") || "";
    const [, left, top] = /([\d.]+) % from the left and ([\d.]+) % from the top/.exec(label) || [];
    return Math.abs(left - x) < 0.6 && Math.abs(top - y) < 0.6;
  }, [x, y]);
}

const readBack = async (id) => {
  const batch = await (await fetch(`${server.url}/v1/posts?ids=${id}`)).json();
  assert.deepEqual(batch.missing, []);
  return batch.posts[0];
};

test("keyboard only, in German: three photos and a video, catalog and link-out tags side by side, saved and read back exactly", async () => {
  const { page, context, errors } = await openEditor("#/posts/new", "de");
  assert.equal(await page.locator("h2").textContent(), "Neuer Beitrag");
  await typeInto(page, "#post-id", "e2e-carousel");
  for (const file of ["coffee.png", "chelsea.png", "astronaut.png"]) await upload(page, photo(file));
  await upload(page, webm());
  await page.locator(".live").filter({ hasText: "Video hinzugefügt: Folie 4." }).waitFor();

  // Each photo: a tag in the centre, moved 2 steps right (5 % each) and one fine step up (1 %).
  const catalog = ["tasse", "soucoupe", "collier"];
  for (const [index, query] of catalog.entries()) {
    await page.locator(`#slide-${index}`).focus();
    await page.keyboard.press("Enter");
    await page.locator("#add-tag").focus();
    await page.keyboard.press("Enter");
    await page.locator("#tag-0:focus").waitFor();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Shift+ArrowUp");
    assert.match(await page.locator("#tag-0").getAttribute("aria-label"), /^Tag 1: ohne Produkt, 60 % von links und 49 % von oben$/);
    await pickByKeyboard(page, query);
  }
  // Slide 2 also gets a link-out product beside its catalog one.
  await page.locator("#slide-1").focus();
  await page.keyboard.press("Enter");
  await page.locator("#add-tag").focus();
  await page.keyboard.press("Enter");
  await page.locator("#tag-1:focus").waitFor();
  await page.keyboard.press("ArrowDown");
  await page.locator('input[name="kind"][value="link"]').focus();
  await page.keyboard.press("Space");
  await typeInto(page, "#link-title", "Kratzbaum");
  await typeInto(page, "#link-price", "49.9 eur");
  await typeInto(page, "#link-url", "https://example.com/kratzbaum");

  // The video: a tag from 0.5 s to 1.5 s, at a point, then a catalog product.
  await page.locator("#slide-3").focus();
  await page.keyboard.press("Enter");
  await page.locator("video#slide-video").waitFor();
  await page.locator("#add-tag").focus();
  await page.keyboard.press("Enter");
  // Scrubbed to 0.4 s, "Beginn hier" takes that time.
  await page.locator("video#slide-video").evaluate((video) => new Promise((resolve) => {
    video.addEventListener("seeked", resolve, { once: true });
    video.currentTime = 0.4;
  }));
  await page.getByRole("button", { name: "Beginn hier" }).focus();
  await page.keyboard.press("Enter");
  await page.locator(".live").filter({ hasText: "Tag 1: von 0.4 s bis 5 s." }).waitFor();
  assert.equal(await page.locator("#tag-start").inputValue(), "0.4");
  await typeInto(page, "#tag-start", "0.5");
  await typeInto(page, "#tag-end", "1.5");
  await page.locator("#tag-placed").focus();
  await page.keyboard.press("Space");
  await page.locator("#tag-0").waitFor();
  await pickByKeyboard(page, "cuill");
  // The video slide moves before the astronaut.
  await page.locator("#slide-up-3").focus();
  await page.keyboard.press("Enter");
  assert.match(await slides(page).nth(2).textContent(), /^3\. Video, 1 Tag/);

  await save(page, "Beitrag „e2e-carousel“ mit 5 Tags gespeichert.");
  await page.waitForURL(/#\/posts\/e2e-carousel$/);

  const saved = await readBack("e2e-carousel");
  const media = saved.media.map((m) => ({
    type: m.type,
    video: Boolean(m.video),
    tags: m.tags.map((t) => ({ x: t.x, y: t.y, start: t.start, end: t.end, product: t.product?.title.split(" ")[0], link: t.link && [t.link.title, t.link.price, t.link.url] })),
  }));
  const centreTag = (product) => ({ x: 0.6, y: 0.49, start: undefined, end: undefined, product, link: undefined });
  assert.deepEqual(media, [
    { type: "photo", video: false, tags: [centreTag("Tasse")] },
    { type: "photo", video: false, tags: [centreTag("Soucoupe"), { x: 0.5, y: 0.55, start: undefined, end: undefined, product: undefined, link: ["Kratzbaum", { amount: 4990, currency: "EUR" }, "https://example.com/kratzbaum"] }] },
    { type: "video", video: true, tags: [{ x: 0.5, y: 0.5, start: 0.5, end: 1.5, product: "Cuillère", link: undefined }] },
    { type: "photo", video: false, tags: [centreTag("Collier")] },
  ]);
  for (const medium of saved.media) assert.match(medium.image.url, new RegExp(`^${server.url}/v1/media/[0-9a-f]{64}\\.png$`));
  assert.match(saved.media[2].video.url, new RegExp(`^${server.url}/v1/media/[0-9a-f]{64}\\.webm$`));
  assert.deepEqual([saved.media[0].image.width, saved.media[0].image.height], [600, 400]);
  assert.deepEqual([saved.media[2].image.width, saved.media[2].image.height], [320, 180]);

  // The snippet: the dynamic kind, the whole post (a carousel) by its id, this console's
  // backend, the first photo until the widget comes, no placeholder.
  const snippet = await page.locator("#snippet").inputValue();
  assert.match(snippet, new RegExp(`data-api="${server.url}/"`));
  assert.match(snippet, new RegExp(`<shoppable-post post="e2e-carousel"><img src="${saved.media[0].image.url}" width="600" height="400"`));
  assert.doesNotMatch(snippet, /REPLACE|data-shoppable-tags/);
  // The preview: the real widget on the draft, in the editor (it mounts posts in view).
  const previewSlides = page.locator(".preview shoppable-carousel > .shoppable-slide");
  await page.locator(".preview shoppable-post").scrollIntoViewIfNeeded();
  await previewSlides.nth(3).waitFor({ state: "attached" });
  assert.equal(await previewSlides.count(), 4);
  await (await revealTags(previewSlides.first())).first().waitFor(); // tags are drawn when the photo is looked at
  assert.equal(await previewSlides.first().locator("shoppable-tags button.tag").count(), 1);
  // Pasted in a page, the widget draws the carousel, the first photo's tag where it was placed.
  const reader = await context.newPage();
  await reader.route(`${server.url}/pasted.html`, (route) => route.fulfill({
    contentType: "text/html", body: `<!doctype html><html lang="de"><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>${snippet}</body></html>`,
  }));
  await reader.goto(`${server.url}/pasted.html`);
  const first = reader.locator("shoppable-carousel > .shoppable-slide").first();
  await first.locator("img[data-shoppable-mounted]").waitFor();
  await first.locator("img").hover({ position: { x: 2, y: 2 } }); // tags are drawn when the photo is looked at
  const dots = first.locator("shoppable-tags button.tag .dot");
  await dots.first().waitFor();
  assert.equal(await dots.count(), 1);
  assert.equal(await reader.locator("shoppable-carousel > .shoppable-slide").count(), 4);
  const image = await first.locator("img").boundingBox();
  const dot = await centre(dots.first());
  assert.ok(Math.abs(dot.x - (image.x + 0.6 * image.width)) < 2 && Math.abs(dot.y - (image.y + 0.49 * image.height)) < 2);
  // No field holds a bare "/" for the backend.
  assert.deepEqual(await page.locator("input").evaluateAll((inputs) => inputs.filter((i) => i.value === "/").map((i) => i.id)), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a reload mid-edit keeps the draft, says so, and the draft can be discarded", async () => {
  const { page, context, errors } = await openEditor("#/posts/new");
  await typeInto(page, "#post-id", "e2e-draft");
  await upload(page, photo("chelsea.png"));
  await page.locator("#add-tag").click();
  await page.keyboard.press("ArrowLeft");
  await typeInto(page, "#slide-alt", "Chelsea");
  await page.reload();
  await page.locator(".notice").filter({ hasText: "Draft restored" }).waitFor();
  assert.equal(await page.locator("#post-id").inputValue(), "e2e-draft");
  assert.equal(await slides(page).count(), 1);
  assert.equal(await page.locator("#slide-alt").inputValue(), "Chelsea");
  assert.match(await stageTags(page).first().getAttribute("aria-label"), /^Tag 1: no product, 45 % from the left and 50 % from the top$/);
  // A language switch keeps the work too.
  await page.selectOption("#lang", "de");
  await page.locator("h2", { hasText: "Neuer Beitrag" }).waitFor();
  assert.equal(await slides(page).count(), 1);
  assert.equal(await page.locator("#post-id").inputValue(), "e2e-draft");
  await page.selectOption("#lang", "en");
  await page.getByRole("button", { name: "Discard the draft" }).click();
  await page.locator(".live").filter({ hasText: "Draft discarded." }).waitFor();
  assert.equal(await slides(page).count(), 0);
  assert.equal(await page.locator("#post-id").inputValue(), "");
  await page.reload();
  await page.locator(".editor h2").waitFor();
  assert.equal(await page.locator(".notice").count(), 0);
  assert.equal((await fetch(`${server.url}/v1/posts/e2e-draft`)).status, 404, "nothing was saved");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a key that moves a tag gives it back the focus through the redraw, but never takes the focus from where the user went next", async () => {
  const { page, context, errors } = await openEditor("#/posts/new");
  await upload(page, photo("coffee.png"));
  await page.locator("#add-tag").focus();
  await page.keyboard.press("Enter");
  await page.locator("#tag-0:focus").waitFor();
  await page.keyboard.press("ArrowLeft");
  await page.locator("#tag-0:focus").waitFor();
  assert.match(await page.locator("#tag-0").getAttribute("aria-label"), /^Tag 1: no product, 45 % from the left/);
  // A fast typist on a busy phone: the move's key, then the search focused before the editor's
  // timers run (held here, then let go).
  await page.evaluate(() => {
    const held = [];
    const setTimeout = window.setTimeout;
    window.setTimeout = (run, ms, ...args) => held.push(() => setTimeout(run, ms, ...args));
    window.letTimersGo = () => { window.setTimeout = setTimeout; held.forEach((start) => start()); };
  });
  await page.keyboard.press("ArrowLeft");
  await page.locator("#search").focus();
  await page.evaluate(() => new Promise((resolve) => { window.letTimersGo(); setTimeout(resolve, 100); }));
  assert.equal(await page.evaluate(() => document.activeElement?.id), "search");
  assert.match(await page.locator("#tag-0").getAttribute("aria-label"), /^Tag 1: no product, 40 % from the left/);
  await page.keyboard.type("tasse");
  await page.locator("#results button.result").filter({ hasText: /tasse/i }).first().waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("pointer: click places a tag, a drag moves it as one undo step; undo and redo by buttons and keys", async () => {
  const { page, context, errors } = await openEditor("#/posts/new");
  await typeInto(page, "#post-id", "e2e-pointer");
  await upload(page, photo("coffee.png"));
  const frame = page.locator("#slide-image");
  await frame.evaluate((img) => img.complete || new Promise((resolve) => { img.onload = resolve; }));
  const box = await frame.boundingBox();
  await page.mouse.click(box.x + 0.2 * box.width, box.y + 0.3 * box.height);
  const tag = page.locator("#tag-0");
  await tag.waitFor();
  const from = await centre(tag);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(box.x + 0.7 * box.width, box.y + 0.6 * box.height, { steps: 8 });
  await page.mouse.up();
  await placedNear(page, 70, 60);
  // One step back: where the click put it; one more: no tag; then forward again.
  await page.getByRole("button", { name: "Undo" }).click();
  await placedNear(page, 20, 30);
  await page.locator("#slide-0").focus();
  await page.keyboard.press("Control+z");
  assert.equal(await stageTags(page).count(), 0);
  await page.keyboard.press("Control+Shift+z");
  await placedNear(page, 20, 30);
  await page.keyboard.press("Control+Shift+z");
  await placedNear(page, 70, 60);
  assert.equal(await page.getByRole("button", { name: "Redo" }).isDisabled(), true);
  await page.locator("#tag-item-0").click();
  await pickByKeyboard(page, "tasse");
  // A refusal of the shop is said with its field, and nothing typed is lost.
  await page.route("**/v1/admin/posts/e2e-pointer", (route) => route.fulfill({
    status: 422, contentType: "application/json",
    body: JSON.stringify({ code: "invalid_field", message: "the image URL must be http(s) or a relative path", field: "media[0].image.url" }),
  }));
  await page.locator("#save").click();
  await page.locator("#save-error").filter({ hasText: "Value refused (media[0].image.url): the image URL must be http(s) or a relative path" }).waitFor();
  assert.equal(await stageTags(page).count(), 1);
  await page.unroute("**/v1/admin/posts/e2e-pointer");
  await save(page, "Post “e2e-pointer” saved with 1 tag.");
  assert.equal(await page.locator("#save-error").textContent(), "", "the refusal goes once saved");
  const saved = await readBack("e2e-pointer");
  assert.deepEqual([saved.tags[0].x, saved.tags[0].y].map((v) => Math.round(v * 100)), [70, 60]);
  assert.equal(saved.media, undefined, "one photo of catalog tags stays a 1.0 post");
  // The uploaded photo is the very file, served by the shop.
  const served = await fetch(saved.image.url);
  assert.equal(served.headers.get("content-type"), "image/png");
  assert.ok(Buffer.from(await served.arrayBuffer()).equals(readFileSync(photo("coffee.png"))));
  assert.deepEqual(errors, []);
  await context.close();
});

test("on a phone, the preview shows the unsaved draft with the real widget, publishes nothing, records nothing, and says why a draft cannot be shown", async () => {
  const published = await readBack("coffee");
  const { page, context, errors } = await openEditor("#/posts/coffee", "en", 390);
  const events = [];
  page.on("request", (request) => { if (new URL(request.url()).pathname === "/v1/events") events.push(request.url()); });
  const shown = page.locator(".preview shoppable-post");
  const previewTags = page.locator(".preview shoppable-tags button.tag");
  await stageTags(page).first().waitFor();
  await shown.scrollIntoViewIfNeeded();
  await revealTags(shown);
  await previewTags.nth(published.tags.length - 1).waitFor();
  assert.equal(await previewTags.count(), published.tags.length);

  // Tag 1 moved one step right, without saving: a new preview, drawn where the draft has it.
  const first = await shown.getAttribute("post");
  await page.locator("#tag-0").focus();
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction((before) => {
    const post = document.querySelector(".preview shoppable-post");
    return post && post.getAttribute("post") !== before;
  }, first);
  const moved = Math.round((published.tags[0].x + 0.05) * 100) / 100;
  const served = await readBack(await shown.getAttribute("post"));
  assert.equal(served.tags[0].x, moved);
  // The widget draws what comes near the viewport: the preview, below the stage on a phone.
  await shown.scrollIntoViewIfNeeded();
  await shown.locator("[data-shoppable-mounted]").waitFor({ state: "attached" });
  await revealTags(shown);
  const photoBox = await shown.locator("img").boundingBox();
  const dot = await centre(previewTags.first().locator(".dot"));
  assert.ok(Math.abs(dot.x - (photoBox.x + moved * photoBox.width)) < 2, `${dot.x} ${JSON.stringify(photoBox)}`);

  // A slide added, with a tag: the preview is a carousel of two slides and all the tags.
  await upload(page, photo("chelsea.png"));
  await page.locator("#slide-1").focus();
  await page.keyboard.press("Enter");
  await page.locator("#add-tag").focus();
  await page.keyboard.press("Enter");
  await pickByKeyboard(page, "collier");
  const previewSlides = page.locator(".preview shoppable-carousel > .shoppable-slide");
  await shown.scrollIntoViewIfNeeded();
  await previewSlides.nth(1).waitFor({ state: "attached" });
  assert.equal(await previewSlides.count(), 2);
  await (await slideTags(page, 1)).first().waitFor();
  assert.match(await previewSlides.nth(1).locator("shoppable-tags button.tag").textContent(), /Collier/);
  await (await slideTags(page, 0)).nth(published.tags.length - 1).waitFor();
  assert.equal(await previewSlides.nth(0).locator("shoppable-tags button.tag").count(), published.tags.length);
  // The widget in the preview works as on a page: a tag opens its product's card.
  await previewSlides.nth(0).locator("shoppable-tags button.tag").first().focus();
  await page.keyboard.press("Enter");
  await previewSlides.nth(0).locator('shoppable-tags [role="dialog"] h2').waitFor();
  await page.keyboard.press("Escape");
  assert.ok(await page.evaluate(() => document.scrollingElement.scrollWidth <= 390), "no sideways scrolling");
  assert.deepEqual(await axeViolations(page), [], "the editor with its preview");

  // Nothing was published, nothing listed, no insight sent (even when the page is hidden).
  assert.deepEqual(await readBack("coffee"), published);
  const listed = await (await fetch(`${server.url}/v1/admin/posts?limit=500`, { headers: { authorization: `Bearer ${server.adminToken}` } })).json();
  assert.ok(listed.posts.every((post) => !post.id.startsWith("preview-")));
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
  });
  await page.evaluate(() => fetch("/v1/config").then((r) => r.json()));
  assert.deepEqual(events, []);

  // A draft that breaks a rule: the preview says which, in the editor's words, and is gone.
  await page.locator('input[name="kind"][value="link"]').check();
  await typeInto(page, "#link-title", "Kratzbaum");
  await typeInto(page, "#link-price", "49 EUR");
  await typeInto(page, "#link-url", "javascript:alert(1)");
  await page.locator("#preview-problem").filter({ hasText: "Value refused (media[1].tags[0].link.url)" }).waitFor();
  assert.equal(await shown.count(), 0);
  assert.deepEqual(await axeViolations(page), [], "the preview's refusal");
  // Fixed, it comes back.
  await typeInto(page, "#link-url", "https://example.com/kratzbaum");
  await shown.scrollIntoViewIfNeeded();
  await shown.locator("[data-shoppable-mounted]").first().waitFor({ state: "attached" });
  await (await slideTags(page, 1)).filter({ hasText: "Kratzbaum" }).waitFor();
  assert.equal(await page.locator("#preview-problem").textContent(), "");
  assert.deepEqual(await readBack("coffee"), published);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the list and the editor have their own addresses: links, back and forward", async () => {
  const { page, context, errors } = await openEditor("#/posts/coffee");
  const coffee = await readBack("coffee");
  assert.equal(await page.locator("h2").textContent(), "Post: coffee");
  await page.locator("#slide-image").evaluate((img) => img.complete || new Promise((resolve) => { img.onload = resolve; }));
  assert.equal(await stageTags(page).count(), coffee.tags.length);
  const photoBox = await page.locator("#slide-image").boundingBox();
  for (const [index, tag] of coffee.tags.entries()) {
    const dot = await centre(stageTags(page).nth(index));
    assert.ok(Math.abs(dot.x - (photoBox.x + tag.x * photoBox.width)) < 2 && Math.abs(dot.y - (photoBox.y + tag.y * photoBox.height)) < 2, `tag ${index}`);
  }
  await page.getByRole("link", { name: "← All posts" }).click();
  await page.waitForURL(/#\/posts$/);
  await page.getByRole("link", { name: "Edit in the tag editor: chelsea" }).click();
  await page.waitForURL(/#\/posts\/chelsea$/);
  await page.locator("h2", { hasText: "Post: chelsea" }).waitFor();
  await page.goBack();
  await page.locator("h2", { hasText: /^Posts$/ }).waitFor();
  await page.goBack();
  await page.locator("h2", { hasText: "Post: coffee" }).waitFor();
  await page.goForward();
  await page.locator("h2", { hasText: /^Posts$/ }).waitFor();
  await page.getByRole("link", { name: "New post in the tag editor" }).click();
  await page.locator("h2", { hasText: "New post" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("bad and hostile input: refused next to its field or shown as text, limits said, nothing saved", async () => {
  const { page, context, errors } = await openEditor("#/posts/new");
  await typeInto(page, "#post-id", "pas d'espace");
  await upload(page, photo("chelsea.png"));
  await page.locator("#add-tag").click();
  await page.locator('input[name="kind"][value="link"]').check();
  const hostile = '<img src=x onerror="window.pwned=1">';
  await typeInto(page, "#link-title", hostile);
  await typeInto(page, "#link-price", "12,00");
  await typeInto(page, "#link-url", "javascript:alert(1)");
  assert.match(await page.locator("#link-price-error").textContent(), /with a dot and the currency code, e\.g\. “49\.00 EUR” \(not “12,00”\)/);
  assert.equal(await page.locator("#link-url").getAttribute("aria-invalid"), "true");
  assert.match(await page.locator("#link-url-error").textContent(), /Only complete http:\/\/ and https:\/\/ addresses/);
  assert.equal(await page.locator("#tag-item-0").textContent(), `1. ${hostile}`);
  assert.match(await page.locator("#tag-0").getAttribute("aria-label"), /^Tag 1: <img src=x onerror/);
  await typeInto(page, "#slide-alt", hostile);
  assert.equal(await page.locator("#slide-image").getAttribute("alt"), hostile);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  // Saving says the first problem, in words, before anything is sent.
  await page.locator("#save").click();
  assert.match(await page.locator("#save-error").textContent(), /^The id has 1 to 100 letters/);
  await typeInto(page, "#post-id", "e2e-refused");
  await page.locator("#save").click();
  await page.locator("#save-error").filter({ hasText: "Slide 1, tag 1: write the price with a dot" }).waitFor();
  await typeInto(page, "#link-price", "12 EUR");
  await page.locator("#save").click();
  await page.locator("#save-error").filter({ hasText: "Value refused (media[0].tags[0].link.url)" }).waitFor();
  assert.equal((await fetch(`${server.url}/v1/posts/e2e-refused`)).status, 404, "nothing was saved");
  // Five tags on a photo: the sixth is refused with the rule said, and the photo keeps five.
  for (let i = 1; i < 5; i++) await page.locator("#add-tag").click();
  assert.equal(await stageTags(page).count(), 5);
  await page.locator("#add-tag").click();
  await page.locator(".live.error").filter({ hasText: "A photo has at most 5 tags." }).waitFor();
  assert.equal(await stageTags(page).count(), 5);
  // Delete removes the focused tag; the focus stays in the list.
  await page.locator("#tag-4").focus();
  await page.keyboard.press("Delete");
  assert.equal(await stageTags(page).count(), 4);
  await page.locator("#tag-item-3:focus").waitFor();
  // A file that is no photo or video is refused, and nothing is added.
  await page.setInputFiles("#media-file", { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
  await page.locator("#media-error").filter({ hasText: "neither a PNG" }).waitFor();
  assert.equal(await slides(page).count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("axe finds nothing on the editor's views in its five languages; usable at a phone's width", async () => {
  for (const lang of ["fr", "en", "de", "es", "it"]) {
    const { page, context, errors } = await openEditor("#/posts/coffee", lang);
    await stageTags(page).first().waitFor();
    await stageTags(page).nth(1).click();
    await page.locator("#search").fill("tasse");
    await page.locator("#results button.result").first().waitFor();
    assert.deepEqual(await axeViolations(page), [], `${lang}: a tag selected, search results`);
    await page.locator('input[name="kind"][value="link"]').check();
    await page.locator("#link-price").fill("12,00");
    await page.locator("#link-price").blur();
    await page.locator("#link-price-error:not(:empty)").waitFor();
    assert.deepEqual(await axeViolations(page), [], `${lang}: a field in error`);
    await page.evaluate(() => { location.hash = "#/posts/new"; });
    await page.locator(".editor h2").filter({ hasNotText: "coffee" }).waitFor();
    assert.deepEqual(await axeViolations(page), [], `${lang}: a new post`);
    assert.deepEqual(errors, []);
    await context.close();
  }
  // A phone: nothing wider than the screen, and a tag placed and moved with the keys.
  const { page, context, errors } = await openEditor("#/posts/new", "en", 390);
  await upload(page, photo("astronaut.png"));
  await page.locator("#add-tag").click();
  await page.keyboard.press("ArrowUp");
  await page.locator("#tag-0[aria-label*='50 % from the left and 45 % from the top']").waitFor();
  assert.ok(await page.evaluate(() => document.scrollingElement.scrollWidth <= 390), "no sideways scrolling");
  const image = await page.locator("#slide-image").boundingBox();
  assert.ok(image.x >= 0 && image.x + image.width <= 390, JSON.stringify(image));
  assert.deepEqual(await axeViolations(page), [], "phone");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the demo landing page links to the console's tag editor", async () => {
  const context = await browser.newContext({ locale: "fr-FR" });
  const tab = await context.newPage();
  await tab.goto(`${server.url}/`);
  await tab.getByRole("link", { name: /éditeur de repères/i }).click();
  await tab.waitForURL(/\/console\/\?lang=fr#\/posts\/new$/);
  await tab.locator("#token").fill(server.adminToken);
  await tab.locator("#token").press("Enter");
  await tab.locator("h2", { hasText: "Nouvelle publication" }).waitFor();
  await context.close();
});
