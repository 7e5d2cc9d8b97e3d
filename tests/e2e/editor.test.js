// The tag editor (www/editor.html) on the reference server: tags placed with the mouse and the
// keyboard land where the widget then draws them, static snippets link out once pasted in a
// page, and bad input is refused next to its field with nothing saved.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer, launchBrowser, centre, page as testPage, repo } from "./support.js";

let server, browser;

before(async () => {
  server = await startServer({
    pages: {
      "saved-post.html": testPage(`<img src="/www/images/coffee.png" width="600" height="400" alt="" style="display:block;width:600px"
        data-shoppable-post="e2e-look">`),
    },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens the editor (query: e.g. "?api=" for static mode); returns the page and its errors. */
async function openEditor(query = "", { lang } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const tab = await context.newPage();
  const errors = [];
  tab.on("pageerror", (error) => errors.push(error.message));
  // The browser logs every API refusal, and the tests provoke some on purpose: the editor
  // shows those itself. Any other failed load (a script, a photo) is an error.
  const provoked = (m) => m.text().startsWith("Failed to load resource") && new URL(m.location().url).pathname.startsWith("/v1/");
  tab.on("console", (m) => { if (m.type() === "error" && !provoked(m)) errors.push(m.text()); });
  await tab.goto(`${server.url}/www/editor.html${query}`);
  // Once the editor has started (its rules module loaded): the switch works from then on.
  await tab.locator("#api-state").filter({ hasText: query === "?api=" ? /statique|static/i : /Boutique Shoppable/ }).waitFor();
  if (lang) await tab.selectOption("#lang", lang);
  return { tab, context, errors };
}

async function openPhoto(tab, url = "/www/images/coffee.png") {
  await tab.fill("#image-url", url);
  await tab.click("#image-load");
  await tab.locator("#stage:not([hidden]) #stage-image").waitFor();
  await tab.waitForFunction(() => document.getElementById("stage-image").complete);
}

/** Page coordinates of the point at fractions (x, y) of the editor's photo. */
async function at(tab, x, y) {
  const box = await tab.locator("#stage-image").boundingBox();
  return { x: box.x + x * box.width, y: box.y + y * box.height };
}

async function clickPhoto(tab, x, y) {
  const point = await at(tab, x, y);
  await tab.mouse.click(point.x, point.y);
}

const stageTags = (tab) => tab.locator("#stage-tags button.tag");
const editorState = (tab) => tab.evaluate(async () => (await import("/www/editor.js")).editor.state);

/** Picks the first catalog product whose title matches `query` for the selected tag. */
async function pickProduct(tab, query) {
  await tab.fill("#search", query);
  const result = tab.locator("#results button.result").filter({ hasText: new RegExp(query, "i") }).first();
  await result.click();
  await tab.locator("#catalog-chosen").filter({ hasText: new RegExp(query, "i") }).waitFor();
}

async function fillLink(tab, { title, price, url }) {
  await tab.locator('input[name="kind"][value="link"]').check();
  await tab.fill("#link-title", title);
  await tab.fill("#link-price", price);
  await tab.locator("#link-price").blur();
  await tab.fill("#link-url", url);
  await tab.locator("#link-url").blur();
}

const near = (actual, expected, message) => assert.ok(Math.abs(actual - expected) < 2, `${message}: ${actual} vs ${expected}`);

test("place three tags, drag one, nudge one, delete one, save, and the widget draws them there", async () => {
  const { tab, context, errors } = await openEditor();
  await openPhoto(tab);
  for (const [x, y, product] of [[0.2, 0.3, "tasse"], [0.5, 0.5, "soucoupe"], [0.8, 0.7, "cuill"]]) {
    await clickPhoto(tab, x, y);
    await pickProduct(tab, product);
  }
  assert.equal(await stageTags(tab).count(), 3);

  // Mouse: drag tag 1 to (0.3, 0.6).
  const from = await centre(stageTags(tab).nth(0));
  const to = await at(tab, 0.3, 0.6);
  await tab.mouse.move(from.x, from.y);
  await tab.mouse.down();
  await tab.mouse.move(to.x, to.y, { steps: 8 });
  await tab.mouse.up();
  // Keyboard: tag 2 three steps right (1 % each), one big step down (10 %).
  const placed = (await editorState(tab)).tags[1];
  await stageTags(tab).nth(1).focus();
  for (let i = 0; i < 3; i++) await tab.keyboard.press("ArrowRight");
  await tab.keyboard.press("Shift+ArrowDown");
  // Delete removes the focused tag 3.
  await stageTags(tab).nth(2).focus();
  await tab.keyboard.press("Delete");
  assert.equal(await stageTags(tab).count(), 2);

  const { tags } = await editorState(tab);
  const photo = await tab.locator("#stage-image").boundingBox();
  near(tags[0].x * photo.width, 0.3 * photo.width, "dragged x");
  near(tags[0].y * photo.height, 0.6 * photo.height, "dragged y");
  assert.ok(Math.abs(tags[1].x - (placed.x + 0.03)) < 0.0002 && Math.abs(tags[1].y - (placed.y + 0.1)) < 0.0002, JSON.stringify([placed, tags[1]]));
  // The editor's own dots are where the state says.
  for (const [index, tag] of tags.entries()) {
    const dot = await centre(stageTags(tab).nth(index));
    near(dot.x, photo.x + tag.x * photo.width, `editor tag ${index} x`);
    near(dot.y, photo.y + tag.y * photo.height, `editor tag ${index} y`);
  }

  await tab.fill("#post-id", "e2e-look");
  await tab.click("#save");
  await tab.locator("#token-dialog[open]").waitFor();
  await tab.fill("#token", server.adminToken);
  await tab.keyboard.press("Enter");
  await tab.locator("#status").filter({ hasText: "« e2e-look » enregistrée avec 2 repères" }).waitFor();
  assert.equal(await tab.evaluate(() => sessionStorage.length), 1, "the token is kept for the tab");

  const saved = await (await fetch(`${server.url}/v1/posts/e2e-look`)).json();
  assert.deepEqual(saved.image, { url: "/www/images/coffee.png", width: 600, height: 400, alt: "" });
  assert.deepEqual(saved.tags.map((tag) => [tag.x, tag.y]), tags.map((tag) => [tag.x, tag.y]));
  assert.deepEqual(saved.tags.map((tag) => tag.product.id), tags.map((tag) => tag.product.id));

  // A page with the post shows its two tags at the saved fractions of the image.
  const reader = await context.newPage();
  await reader.setViewportSize({ width: 1000, height: 800 });
  await reader.goto(`${server.url}/saved-post.html`);
  await expectDots(reader, saved.tags);

  // The exported code: static JSON made from the catalog products (their pages as links)...
  const staticCode = await tab.locator("#snippet").inputValue();
  assert.match(staticCode, /&quot;url&quot;:&quot;https:\/\/boutique\.example\/produits\/tasse-espresso&quot;/);
  assert.match(staticCode, /&quot;price&quot;:&quot;6\.90 EUR&quot;/);
  // ... or the saved post, which works once pasted in a page.
  await tab.locator('input[name="snippet-kind"][value="post"]').check();
  const postCode = await tab.locator("#snippet").inputValue();
  assert.match(postCode, new RegExp(`data-api="${server.url}/"[^\n]*\n<img src="/www/images/coffee.png" width="600" height="400" alt="" data-shoppable-post="e2e-look">$`));
  await reader.route(`${server.url}/pasted-post.html`, (route) => route.fulfill({
    contentType: "text/html", body: `<!doctype html><html lang="fr"><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>${postCode}</body></html>`,
  }));
  await reader.goto(`${server.url}/pasted-post.html`);
  await expectDots(reader, saved.tags);
  assert.deepEqual(errors, []);
  await context.close();
});

/** The widget on `reader` draws one dot per tag, centred on the tag's fractions of the photo. */
async function expectDots(reader, tags) {
  await reader.locator("img[data-shoppable-mounted]").waitFor();
  const dots = reader.locator("shoppable-tags button.tag .dot");
  assert.equal(await dots.count(), tags.length);
  const image = await reader.locator("img").boundingBox();
  for (const [index, tag] of tags.entries()) {
    const dot = await centre(dots.nth(index));
    near(dot.x, image.x + tag.x * image.width, `widget tag ${index} x`);
    near(dot.y, image.y + tag.y * image.height, `widget tag ${index} y`);
  }
}

test("a static snippet, pasted into a blank page, shows tags that link out", async () => {
  const { tab, context, errors } = await openEditor("?api=");
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  // From the computer: the snippet has a clearly marked placeholder until the public address is given.
  await tab.setInputFiles("#image-file", join(repo, "www/images/chelsea.png"));
  await tab.locator("#stage:not([hidden])").waitFor();
  assert.match(await tab.locator("#snippet").inputValue(), /src="REPLACE-WITH-THE-PUBLIC-URL-OF-YOUR-PHOTO"/);
  assert.match(await tab.locator("#snippet").inputValue(), /<!-- Remplacez .* chelsea\.png -->/);
  assert.match(await tab.locator("#snippet-note").textContent(), /Remplacez .*chelsea\.png/);
  await tab.fill("#image-url", "/www/images/chelsea.png");
  await tab.fill("#image-alt", "Chelsea, l'air \"sérieux\"");
  await tab.locator("#image-alt").blur();

  await clickPhoto(tab, 0.3, 0.9);
  await fillLink(tab, { title: 'Collier "Grelot" <rouge> & or', price: "12.5 eur", url: "https://example.com/collier?taille=s&couleur=rouge" });
  assert.equal(await tab.locator("#link-price").inputValue(), "12.50 EUR", "the price is written the widget's way");
  await clickPhoto(tab, 0.9, 0.6);
  await fillLink(tab, { title: "Coussin", price: "35 EUR", url: "https://example.com/coussin" });

  const snippet = await tab.locator("#snippet").inputValue();
  assert.doesNotMatch(snippet, /REPLACE-WITH/);
  assert.doesNotMatch(snippet, /<rouge>|"Grelot"|l'air/, "attribute values are escaped");
  assert.match(snippet, /Collier \\&quot;Grelot\\&quot; &lt;rouge&gt; &amp; or/);
  assert.match(snippet, /data-locale="fr"/);
  await tab.click("#copy");
  await tab.locator("#status").filter({ hasText: "Code copié" }).waitFor();
  assert.equal(await tab.evaluate(() => navigator.clipboard.readText()), snippet);

  const blank = await context.newPage();
  await blank.route(`${server.url}/pasted.html`, (route) => route.fulfill({
    contentType: "text/html",
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>\n${snippet}\n</body></html>`,
  }));
  const warnings = [];
  blank.on("console", (m) => { if (m.type() === "warning" || m.type() === "error") warnings.push(m.text()); });
  await blank.goto(`${server.url}/pasted.html`);
  const image = blank.locator("img[data-shoppable-tags]");
  await image.and(blank.locator("[data-shoppable-mounted]")).waitFor();
  assert.equal(await image.getAttribute("alt"), "Chelsea, l'air \"sérieux\"");
  const tags = blank.locator("shoppable-tags button.tag");
  assert.equal(await tags.count(), 2);
  await image.click({ position: { x: 10, y: 10 } });
  await tags.first().click();
  const link = blank.locator('shoppable-tags a[part="link-out"]');
  assert.equal(await link.getAttribute("href"), "https://example.com/collier?taille=s&couleur=rouge");
  assert.equal(await blank.locator("shoppable-tags [role=dialog] h2").textContent(), 'Collier "Grelot" <rouge> & or');
  assert.deepEqual(warnings, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("bad links, prices, a sixth tag and a missing or wrong token are refused, and nothing is saved", async () => {
  const { tab, context, errors } = await openEditor();
  await openPhoto(tab);
  await clickPhoto(tab, 0.5, 0.5);
  await fillLink(tab, { title: "Piège", price: "12,00", url: "javascript:alert(1)" });
  const urlError = tab.locator("#link-url-error");
  assert.match(await urlError.textContent(), /Seules les adresses http:\/\/ et https:\/\//);
  assert.equal(await tab.locator("#link-url").getAttribute("aria-invalid"), "true");
  assert.match(await tab.locator("#link-price-error").textContent(), /avec un point .* « 49.00 EUR » \(pas « 12,00 »\)/);
  assert.equal(await tab.locator("#alert").getAttribute("aria-live"), "assertive");
  await tab.locator("#alert").filter({ hasText: "Seules les adresses" }).waitFor();
  // The refused tag stays out of the snippet and of the preview.
  assert.match(await tab.locator("#snippet").inputValue(), /data-shoppable-tags="\[\]"/);
  assert.match(await tab.locator("#snippet-note").textContent(), /^Pas dans le code \(repère incomplet ou sans page produit valide\) : 1\.$/);
  assert.doesNotMatch(await tab.locator("#snippet").inputValue(), /javascript/);
  // Fixing the field clears its message.
  await tab.fill("#link-url", "https://example.com/piege");
  assert.equal(await urlError.isHidden(), true);

  // A link-out tag cannot be saved to the shop.
  await tab.fill("#post-id", "e2e-refused");
  await tab.click("#save");
  assert.match(await tab.locator("#tags-error").textContent(), /Le repère 1 est un lien sortant/);

  // Five tags at most.
  await tab.locator('input[name="kind"][value="catalog"]').check();
  await pickProduct(tab, "tasse");
  for (const x of [0.1, 0.2, 0.3, 0.4]) {
    await clickPhoto(tab, x, 0.2);
    await pickProduct(tab, "soucoupe");
  }
  await clickPhoto(tab, 0.9, 0.9);
  assert.equal(await stageTags(tab).count(), 5);
  assert.match(await tab.locator("#tags-error").textContent(), /au plus 5 repères/);

  // No token: the dialog is cancelled.
  await tab.click("#save");
  await tab.locator("#token-dialog[open]").waitFor();
  await tab.locator("#token-cancel").click();
  await tab.locator("#save-error").filter({ hasText: "Il faut le jeton d'administration" }).waitFor();
  // A wrong token: the server's 401 is shown, and the token is asked again next time.
  await tab.click("#save");
  await tab.fill("#token", "not-the-token");
  await tab.locator('#token-dialog button[value="ok"]').click();
  await tab.locator("#save-error").filter({ hasText: "refuse ce jeton" }).waitFor();
  assert.match(await tab.locator("#save-error").textContent(), /\(unauthorized\)/);
  assert.equal(await tab.evaluate(() => sessionStorage.length), 0);
  // A bad post id is refused before asking anything.
  await tab.fill("#post-id", "pas d'espace");
  await tab.click("#save");
  assert.match(await tab.locator("#post-id-error").textContent(), /de 1 à 100 lettres/);
  assert.equal(await tab.locator("#token-dialog[open]").count(), 0);

  assert.equal((await fetch(`${server.url}/v1/posts/e2e-refused`)).status, 404, "nothing was saved");
  // A photo from the computer needs its public address when the backend takes no uploads.
  await tab.route("**/v1/admin/media", (route) => route.fulfill({
    status: 404, contentType: "application/json", body: JSON.stringify({ code: "not_found", message: "no such endpoint" }),
  }));
  await tab.evaluate((token) => sessionStorage.setItem("shoppable-editor:admin-token", token), server.adminToken);
  await tab.setInputFiles("#image-file", join(repo, "www/images/chelsea.png"));
  await tab.locator("#status").filter({ hasText: "Photo ouverte" }).waitFor();
  await tab.fill("#post-id", "e2e-refused");
  await tab.click("#save");
  await tab.locator("#image-url-error").filter({ hasText: "indiquez l'adresse publique de la photo" }).waitFor();
  assert.equal((await fetch(`${server.url}/v1/posts/e2e-refused`)).status, 404, "still nothing saved");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a photo from the computer is uploaded to the shop when the post is saved", async () => {
  const { tab, context, errors } = await openEditor("", { lang: "en" });
  await tab.setInputFiles("#image-file", join(repo, "www/images/chelsea.png"));
  await tab.locator("#stage:not([hidden])").waitFor();
  assert.match(await tab.locator("#image-url-hint").textContent(), /uploaded to the shop when you save/);
  await clickPhoto(tab, 0.3, 0.9);
  await pickProduct(tab, "collier");
  await tab.fill("#post-id", "e2e-upload");
  await tab.click("#save");
  await tab.fill("#token", server.adminToken);
  await tab.locator('#token-dialog button[value="ok"]').click();
  await tab.locator("#status").filter({ hasText: "Post “e2e-upload” saved with 1 tag." }).waitFor();

  const saved = await (await fetch(`${server.url}/v1/posts/e2e-upload`)).json();
  assert.match(saved.image.url, new RegExp(`^${server.url}/v1/media/[0-9a-f]{64}\\.png$`));
  assert.deepEqual([saved.image.width, saved.image.height], [451, 300]);
  assert.equal(await tab.locator("#image-url").inputValue(), saved.image.url);
  const served = await fetch(saved.image.url);
  assert.equal(served.headers.get("content-type"), "image/png");
  const original = await import("node:fs").then((fs) => fs.readFileSync(join(repo, "www/images/chelsea.png")));
  assert.ok(Buffer.from(await served.arrayBuffer()).equals(original), "the shop serves the very file");
  // The snippet now points at the uploaded photo instead of a placeholder.
  assert.match(await tab.locator("#snippet").inputValue(), new RegExp(`src="${saved.image.url}"`));
  assert.deepEqual(errors, []);
  await context.close();
});

test("a saved post re-opens for editing; undo, reorder and the server's field errors work", async () => {
  const { tab, context, errors } = await openEditor("", { lang: "en" });
  const coffee = await (await fetch(`${server.url}/v1/posts/coffee`)).json();
  await tab.fill("#post-id", "coffee");
  await tab.click("#post-open");
  await tab.locator("#status").filter({ hasText: `Post “coffee” opened: ${coffee.tags.length} tags.` }).waitFor();
  assert.equal(await tab.locator("#image-url").inputValue(), coffee.image.url);
  assert.equal(await tab.locator("#image-alt").inputValue(), coffee.image.alt);
  assert.equal(await stageTags(tab).count(), coffee.tags.length);
  await tab.waitForFunction(() => document.getElementById("stage-image").complete);
  const photo = await tab.locator("#stage-image").boundingBox();
  for (const [index, tag] of coffee.tags.entries()) {
    const dot = await centre(stageTags(tab).nth(index));
    near(dot.x, photo.x + tag.x * photo.width, `tag ${index} x`);
    near(dot.y, photo.y + tag.y * photo.height, `tag ${index} y`);
    assert.match(await stageTags(tab).nth(index).getAttribute("aria-label"), new RegExp(`^Tag ${index + 1}: ${tag.product.title.replace(/[()«»]/g, ".")}`));
  }

  // Reorder: tag 1 goes down, then undo puts it back.
  const names = () => tab.locator("#tag-list .name").allTextContents();
  const before = await names();
  await tab.getByRole("button", { name: "Move tag 1 down" }).click();
  assert.equal((await names())[1], before[0].replace(/^1\./, "2."));
  await tab.keyboard.press("Control+z");
  assert.deepEqual(await names(), before);
  // Delete with the keyboard, undo with the button.
  await stageTags(tab).nth(0).focus();
  await tab.keyboard.press("Delete");
  assert.equal(await stageTags(tab).count(), coffee.tags.length - 1);
  await tab.click("#undo");
  assert.equal(await stageTags(tab).count(), coffee.tags.length);
  await tab.locator("#status").filter({ hasText: "Last change undone." }).waitFor();

  // The server's refusal of a field comes back next to that field: here the image address.
  await tab.evaluate(() => sessionStorage.setItem("shoppable-editor:admin-token", "e2e-admin-token"));
  await tab.route("**/v1/admin/posts/coffee", (route) => route.fulfill({
    status: 422, contentType: "application/json",
    body: JSON.stringify({ code: "invalid_field", message: "the image URL must be http(s) or a relative path", field: "image.url" }),
  }));
  await tab.click("#save");
  await tab.locator("#image-url-error").filter({ hasText: "The shop refuses: the image URL must be http(s) or a relative path (invalid_field)" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("keyboard only: add a tag, select it with Enter, the focus stays visible; drop a photo; warn before leaving", async () => {
  const { tab, context, errors } = await openEditor("?api=", { lang: "en" });
  assert.equal(await tab.locator("html").getAttribute("lang"), "en");
  assert.equal(await tab.locator("h1").textContent(), "Tag editor");
  // Drag and drop a photo file onto the editor.
  await tab.evaluate(async () => {
    const blob = await (await fetch("/www/images/astronaut.png")).blob();
    const data = new DataTransfer();
    data.items.add(new File([blob], "astronaut.png", { type: "image/png" }));
    document.getElementById("drop").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await tab.locator("#stage:not([hidden])").waitFor();
  assert.deepEqual(await tab.evaluate(async () => {
    const { image } = (await import("/www/editor.js")).editor.state;
    return [image.width, image.height, image.fileName];
  }), [512, 512, "astronaut.png"]);

  await tab.locator("#add-tag").focus();
  await tab.keyboard.press("Enter");
  const tag = stageTags(tab).first();
  assert.ok(await tab.evaluate(() => document.activeElement.classList.contains("tag")), "the new tag has the focus");
  assert.match(await tag.getAttribute("aria-label"), /^Tag 1: no product, 50 % from the left and 50 % from the top$/);
  const outline = await tag.evaluate((element) => getComputedStyle(element).outlineStyle);
  assert.notEqual(outline, "none", "the focused tag shows a focus ring");
  await tab.keyboard.press("Shift+ArrowLeft");
  await tab.keyboard.press("ArrowUp");
  assert.match(await tag.getAttribute("aria-label"), /40 % from the left and 49 % from the top/);
  await tab.keyboard.press("Tab"); // leave, then come back and select with Enter
  await tag.focus();
  await tab.keyboard.press("Enter");
  assert.equal(await tag.getAttribute("aria-pressed"), "true");
  assert.equal(await tab.locator("#inspector legend").textContent(), "Tag 1");
  // Switching the language translates everything, the last message included.
  await tab.locator("#status").filter({ hasText: "Tag 1: 40 %, 49 %." }).waitFor();
  await tab.selectOption("#lang", "fr");
  assert.equal(await tab.locator("#status").textContent(), "Repère 1 : 40 %, 49 %.");
  assert.equal(await tab.locator("#inspector legend").textContent(), "Repère 1");
  assert.equal(await tab.locator("html").getAttribute("lang"), "fr");
  await tab.selectOption("#lang", "en");

  // Every field of the editor has a label.
  const unlabelled = await tab.evaluate(() => [...document.querySelectorAll("input, select, textarea")]
    .filter((field) => field.labels.length === 0 && !field.getAttribute("aria-label")).map((field) => field.id || field.name));
  assert.deepEqual(unlabelled, []);
  // Both languages have every text.
  const keys = await tab.evaluate(async () => {
    const { TEXT } = await import("/www/editor.js");
    return [Object.keys(TEXT.fr).sort(), Object.keys(TEXT.en).sort()];
  });
  assert.deepEqual(keys[0], keys[1]);

  // Unsaved changes: leaving the page asks first.
  let asked = false;
  tab.on("dialog", async (dialog) => {
    asked = dialog.type() === "beforeunload";
    await dialog.dismiss();
  });
  await tab.close({ runBeforeUnload: true });
  for (const deadline = Date.now() + 5000; !asked && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
  assert.ok(asked, "a beforeunload warning was shown");
  assert.deepEqual(errors, []);
  await context.close();
});

test("axe-core finds no WCAG 2 A/AA problem, with a tag selected and a field in error", async () => {
  const { tab, context, errors } = await openEditor("?post=coffee");
  await stageTags(tab).nth(1).click();
  await tab.fill("#search", "tasse");
  await tab.locator("#results button.result").first().waitFor();
  await tab.addScriptTag({ path: join(repo, "tests/e2e/node_modules/axe-core/axe.min.js") });
  const audit = () => tab.evaluate(async () => (await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "best-practice"] }))
    .violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`));
  assert.deepEqual(await audit(), []);
  await tab.locator('input[name="kind"][value="link"]').check();
  await tab.fill("#link-price", "12,00");
  await tab.locator("#link-price").blur();
  await tab.locator("#link-price-error:not([hidden])").waitFor();
  assert.deepEqual(await audit(), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the demo landing page links to the editor", async () => {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(`${server.url}/`);
  await tab.getByRole("link", { name: /éditeur de repères/i }).click();
  await tab.waitForURL(/\/www\/editor\.html$/);
  assert.equal(await tab.locator("h1").textContent(), "Éditeur de repères");
  await context.close();
});

test("prices, post ids, links and the tag limit follow the protocol's Rust rules, worded in French and English", async () => {
  const words = {
    fr: {
      malformed: /Écrivez le prix avec un point et le code de la devise, par exemple « 49.00 EUR » \(pas « 12 EURO »\)/,
      precise: /Trop de décimales pour JPY : 0 au plus\./,
      large: /Ce prix est trop grand \(« 99999999999999999999 EUR »\)\./,
      url: /Seules les adresses http:\/\/ et https:\/\/ complètes sont acceptées\./,
      postId: /L'identifiant a de 1 à 100 lettres, chiffres/,
    },
    en: {
      malformed: /Write the price with a dot and the currency code, e\.g\. “49\.00 EUR” \(not “12 EURO”\)/,
      precise: /Too many decimals for JPY: 0 at most\./,
      large: /This price is too large \(“99999999999999999999 EUR”\)\./,
      url: /Only complete http:\/\/ and https:\/\/ addresses are accepted\./,
      postId: /The id has 1 to 100 letters, digits/,
    },
  };
  const putPost = (id, tags) => fetch(`${server.url}/v1/admin/posts/${encodeURIComponent(id)}`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Bearer ${server.adminToken}` },
    body: JSON.stringify({ image: { url: "/www/images/coffee.png", width: 600, height: 400 }, tags }),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

  for (const lang of ["fr", "en"]) {
    const { tab, context, errors } = await openEditor("", { lang });
    await openPhoto(tab);
    await clickPhoto(tab, 0.5, 0.5);
    await tab.locator('input[name="kind"][value="link"]').check();
    const price = async (text) => {
      await tab.fill("#link-price", text);
      await tab.locator("#link-price").blur();
      const error = tab.locator("#link-price-error");
      return { value: await tab.locator("#link-price").inputValue(), error: (await error.isHidden()) ? null : await error.textContent() };
    };
    // Money::parse, forgiving only white space and the code's case; each currency's decimals.
    assert.deepEqual(await price("  12.5   eur "), { value: "12.50 EUR", error: null });
    assert.deepEqual(await price("7 kwd"), { value: "7.000 KWD", error: null });
    assert.deepEqual(await price("1500 jpy"), { value: "1500 JPY", error: null });
    assert.match((await price("12 EURO")).error, words[lang].malformed);
    assert.match((await price("1.5 JPY")).error, words[lang].precise);
    assert.match((await price("99999999999999999999 EUR")).error, words[lang].large);
    // A link-out product needs a complete web address; a path on this site is not one.
    for (const url of ["/p/lamp", "https:\\\\example.com", "http://exa mple.com", "javascript:alert(1)"]) {
      await tab.fill("#link-url", url);
      await tab.locator("#link-url").blur();
      assert.match(await tab.locator("#link-url-error").textContent(), words[lang].url, url);
    }

    // Post ids: what the editor refuses, the server refuses too, and the reverse.
    for (const id of ["pas d'espace", "x".repeat(101), "é", "a/b"]) {
      await tab.fill("#post-id", id);
      await tab.click("#save");
      assert.match(await tab.locator("#post-id-error").textContent(), words[lang].postId, id);
      const refused = await putPost(id, []);
      assert.deepEqual([refused.status, refused.body.field], [422, "id"], id);
    }
    await tab.fill("#post-id", "x".repeat(100));
    await tab.click("#save");
    assert.equal(await tab.locator("#post-id-error").isHidden(), true);
    assert.equal((await putPost("x".repeat(100), [])).status, 200);
    assert.deepEqual(errors, []);
    await context.close();
  }

  // The tag limit is the protocol's: the editor stops at it, and the server refuses one more.
  const { MAX_TAGS } = await (async () => {
    const { tab, context } = await openEditor();
    const limit = await tab.evaluate(async () => (await import("/www/editor.js")).MAX_TAGS);
    await context.close();
    return { MAX_TAGS: limit };
  })();
  const tag = { x: 0.5, y: 0.5, product_id: "tasse-espresso" };
  assert.equal((await putPost("e2e-limit", Array(MAX_TAGS).fill(tag))).status, 200);
  const over = await putPost("e2e-limit", Array(MAX_TAGS + 1).fill(tag));
  assert.equal(over.body.field, "tags");
});
