// The WordPress plugin (integrations/wordpress/shoppable) in a real WordPress (Debian's
// package, MariaDB, PHP), driven in Chromium: the admin activates and configures it, an
// author makes two photos of a post shoppable in the block editor (a post of the backend,
// static tags), publishes, and a logged-out visitor sees the tags and buys through the
// payment provider's frame. Then static mode, the classic editor's shortcode, a backend that
// does not answer, French, who may list the shop's posts, and uninstalling. axe-core checks
// the settings page and the block's panel. The tests are one story, run in order: each
// starts from the WordPress the previous one left (one MariaDB, one WordPress, one backend),
// except the settings: a test that changes them puts them back even when it fails, so that
// one failure is not reported again by every test after it.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, launchBrowser, axeViolations, repo, sheet, placeOrderFromDetails, queryDatabase, watchErrors } from "../e2e/support.js";
import { startWordPress, freePort } from "./wordpress.js";

const ADMIN_TOKEN = "wp-e2e-admin-token-7c1f";
let shop;
let wordpress;
let browser;
/** The post the author publishes; set by the block editor's test, read by the visitor's. */
let published = null;

before(async () => {
  const port = await freePort();
  shop = await startServer({ adminToken: ADMIN_TOKEN, args: ["--allowed-origin", `http://127.0.0.1:${port}`] });
  wordpress = await startWordPress({ port });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await wordpress?.stop();
  await shop?.stop();
});

/** The browser contexts the running test opened: closed after it, even when it fails. */
const contexts = new Set();

afterEach(async () => {
  await Promise.all([...contexts].map((context) => context.close()));
  contexts.clear();
});

/** A browser context where nothing leaves loopback (WordPress's pages name a few CDNs). */
async function newContext(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  contexts.add(context);
  await context.route("**/*", (route) => {
    const { hostname } = new URL(route.request().url());
    return hostname === "127.0.0.1" ? route.continue() : route.abort();
  });
  return context;
}

async function logIn(context, user = "admin", password = wordpress.adminPassword) {
  const page = await context.newPage();
  await page.goto(`${wordpress.url}/wp-login.php`);
  await page.getByLabel("Username or Email Address").fill(user);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log In" }).click();
  await page.waitForURL(/\/wp-admin\//);
  return page;
}

/** A new post in the block editor with one empty Image block, selected; resolves to its Shoppable panel. */
async function newPostWithImage(page) {
  await page.goto(`${wordpress.url}/wp-admin/post-new.php`);
  await page.waitForFunction(() => window.wp?.data?.select("core/block-editor"));
  await page.evaluate(() => {
    const block = window.wp.blocks.createBlock("core/image");
    window.wp.data.dispatch("core/block-editor").insertBlocks([block]);
    window.wp.data.dispatch("core/block-editor").selectBlock(block.clientId);
  });
  return page.locator(".shoppable-panel");
}

/** Puts the plugin's settings back as they are now once the test `t` ends, even if it fails. */
function restoreSettingsAfter(t) {
  const cli = join(import.meta.dirname, "cli.php");
  const saved = wordpress.php([cli, "settings"]);
  t.after(() => wordpress.php([cli, "settings", saved]));
}

const settingsPage = () => `${wordpress.url}/wp-admin/options-general.php?page=shoppable`;

test("the admin activates the plugin and configures it; bad values get a clear error; the token is never printed", async () => {
  const context = await newContext();
  const page = await logIn(context);
  await page.goto(`${wordpress.url}/wp-admin/plugins.php`);
  const row = page.locator('tr[data-slug="shoppable"]');
  await row.getByRole("link", { name: "Activate Shoppable" }).click();
  await page.getByText("Plugin activated.").waitFor();
  await page.locator('tr[data-slug="shoppable"]').getByRole("link", { name: "Settings" }).click();
  await page.waitForURL(settingsPage());

  // A hostile address and a wrong token: refused, each saying why.
  await page.getByLabel("Backend address").fill("javascript:alert(1)");
  await page.getByRole("button", { name: "Save Changes" }).click();
  await page.getByText("The backend address must start with http:// or https://.").waitFor();
  const notices = await page.locator(".notice").allTextContents();
  assert.deepEqual(notices.filter((text) => /must start with|Without a backend/.test(text)).length, 3, `each problem said once: ${notices}`);
  await page.getByText("Without a backend, give the widget script's address: until then no photo is shoppable.").waitFor();
  await page.getByLabel("Backend address").fill(`${shop.url}/`);
  await page.getByLabel("Admin token").fill("not-the-token");
  await page.getByLabel("Language of the widget").fill("fr-FR");
  await page.getByRole("button", { name: "Save Changes" }).click();
  await page.getByText("The backend refused the admin token.").waitFor();

  await page.getByLabel("Admin token").fill(ADMIN_TOKEN);
  await page.getByRole("button", { name: "Save Changes" }).click();
  await page.getByText("the admin token works.").waitFor();
  assert.equal(await page.getByLabel("Admin token").inputValue(), "", "the saved token is not written back into the form");
  assert.equal(await page.getByLabel("Backend address").inputValue(), `${shop.url}/`);
  assert.ok(!(await page.content()).includes(ADMIN_TOKEN), "the settings page does not contain the token");

  assert.deepEqual(await axeViolations(page, "#wpbody-content .wrap"), [], "the settings page");
});

test("an author makes a photo shoppable with a post of the shop and another with static tags, and publishes", async () => {
  const context = await newContext();
  const page = await logIn(context);
  const errors = watchErrors(page);
  await page.goto(`${wordpress.url}/wp-admin/post-new.php`);
  await page.getByRole("textbox", { name: "Add title" }).fill("Ma cuisine, mes trouvailles");
  // Two Image blocks, each with a photo uploaded to the media library through its placeholder.
  await page.waitForFunction(() => window.wp?.data?.select("core/block-editor"));
  await page.evaluate(() => {
    const { createBlock } = window.wp.blocks;
    window.wp.data.dispatch("core/block-editor").insertBlocks([createBlock("core/image"), createBlock("core/image")]);
  });
  const images = page.locator(".wp-block-image");
  for (const [index, photo] of [[0, "coffee.png"], [1, "chelsea.png"]]) {
    await images.nth(index).locator('input[type="file"]').setInputFiles(join(repo, "www/images", photo));
    await images.nth(index).locator(`img[src*="${photo.replace(".png", "")}"]`).waitFor();
  }

  // The first: the shop's post "coffee", listed by the plugin (the backend's token stays on WordPress).
  await images.nth(0).locator("img").click();
  const panel = page.locator(".shoppable-panel");
  await panel.getByLabel("Tags of a post of the shop").check();
  const choice = panel.getByLabel("Post of the shop", { exact: true });
  await choice.locator('option[value="coffee"]').waitFor({ state: "attached" });
  await choice.selectOption("coffee");
  const editorLink = new URL(await panel.getByRole("link", { name: /Edit its tags in the tag editor/ }).getAttribute("href"));
  assert.equal(editorLink.href, `${shop.url}/console/#/posts/coffee`);
  // The link opens the shop console's tag editor on that post, in a new tab, once signed in.
  const [tagEditor] = await Promise.all([
    context.waitForEvent("page"),
    panel.getByRole("link", { name: /Edit its tags in the tag editor/ }).click(),
  ]);
  await tagEditor.locator("#token").fill(ADMIN_TOKEN);
  await tagEditor.locator("#token").press("Enter");
  await tagEditor.locator(".editor h2").filter({ hasText: "coffee" }).waitFor();
  // The list is drawn after the heading, once the post's photo is on the stage.
  await tagEditor.locator(".tag-list li").nth(3).waitFor();
  assert.equal(await tagEditor.locator(".tag-list li").count(), 4);
  await tagEditor.close();
  assert.deepEqual(await axeViolations(page, ".shoppable-panel"), [], "the block's panel, a post of the shop");

  // The second: two static tags, one with a link the plugin must not publish.
  await images.nth(1).locator("img").click();
  await panel.getByLabel("Static tags: a price and a link").check();
  const first = panel.locator("fieldset").nth(0);
  await first.getByLabel("Product name", { exact: true }).fill("Coussin <b>velours</b>");
  await first.getByLabel("Price", { exact: true }).fill("49.00 EUR");
  await first.getByLabel("Link", { exact: true }).fill("https://maison.example/coussin");
  await first.getByLabel("From the left (%)").fill("30");
  await first.getByLabel("From the top (%)").fill("60");
  await panel.getByRole("button", { name: "Add a tag" }).click();
  const second = panel.locator("fieldset").nth(1);
  await second.getByLabel("Product name", { exact: true }).fill("Piège");
  await second.getByLabel("Price", { exact: true }).fill("1.00 EUR");
  await second.getByLabel("Link", { exact: true }).fill("javascript:alert(document.cookie)");
  await second.getByText("Not shown until it has a name, a price and an http(s) link.").waitFor();
  assert.deepEqual(await axeViolations(page, ".shoppable-panel"), [], "the block's panel, static tags");

  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await page.locator(".editor-post-publish-panel").getByRole("button", { name: "Publish", exact: true }).click();
  await page.locator(".post-publish-panel__postpublish-header").getByText("is now live").waitFor();
  published = await page.evaluate(() => window.wp.data.select("core/editor").getPermalink());
  assert.ok(!(await page.content()).includes(ADMIN_TOKEN), "the block editor's page does not contain the token");

  // Reopened: both photos kept their choices, and the blocks are valid (the marks live in the
  // block's comment, its HTML is the core one).
  await page.reload();
  await images.nth(1).locator("img").waitFor();
  assert.equal(await page.locator(".block-editor-warning").count(), 0, "no block is invalid");
  await images.nth(0).locator("img").click();
  await panel.locator('option[value="coffee"]').waitFor({ state: "attached" });
  assert.equal(await panel.getByLabel("Post of the shop", { exact: true }).inputValue(), "coffee");
  await images.nth(1).locator("img").click();
  assert.equal(await panel.locator("fieldset").nth(0).getByLabel("Link", { exact: true }).inputValue(), "https://maison.example/coussin");
  assert.deepEqual(errors, []);
});

test("a visitor sees both photos' tags and buys from the shop's post through the payment frame; no token, one deferred loader", async () => {
  assert.ok(published, "the author's test published the post");
  const context = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const response = await page.goto(published);
  const html = await response.text();
  assert.ok(!html.includes(ADMIN_TOKEN), "the visitor's page does not contain the admin token");
  const loaders = html.match(/<script[^>]*shoppable\.js[^>]*>/g) ?? [];
  assert.equal(loaders.length, 1, `one loader: ${loaders.join("\n")}`);
  assert.match(loaders[0], /\sdefer[\s>]/);
  assert.match(loaders[0], new RegExp(`data-api="${shop.url}/"`));
  assert.match(loaders[0], /data-locale="fr-FR"/);

  // Static tags: the safe one only, its name as text.
  const staticPhoto = page.locator("figure:has(img[data-shoppable-tags])");
  const tags = JSON.parse(await staticPhoto.locator("img").getAttribute("data-shoppable-tags"));
  assert.deepEqual(tags, [{ x: 0.3, y: 0.6, title: "Coussin <b>velours</b>", price: "49.00 EUR", url: "https://maison.example/coussin" }]);
  await staticPhoto.locator("shoppable-tags button.bag").click();
  await staticPhoto.locator("shoppable-tags button.tag").click();
  assert.equal(await staticPhoto.locator('shoppable-tags a[part="link-out"]').getAttribute("href"), "https://maison.example/coussin");
  assert.equal(await staticPhoto.locator("shoppable-tags h2").textContent(), "Coussin <b>velours</b>");
  await page.keyboard.press("Escape");

  // The shop's post: its tags, a card, "Buy now", the provider's card form, a placed order.
  const shopPhoto = page.locator('figure:has(img[data-shoppable-post="coffee"])');
  await shopPhoto.locator("shoppable-tags button.bag").click();
  await shopPhoto.locator("shoppable-tags button.tag").first().click();
  await shopPhoto.locator('shoppable-tags button[part="buy-now"]:not([disabled])').click();
  await page.getByLabel("Nom complet").waitFor();
  await placeOrderFromDetails(page);
  const number = (await sheet(page).locator(".order-number").textContent()).trim();
  assert.match(number, /^SH-/);
  const [order] = queryDatabase(shop, `SELECT status FROM orders WHERE number = '${number}'`);
  assert.equal(order?.status, "paid");
  assert.deepEqual(errors, []);
});

test("static mode, insights off and a pinned script: no backend named in the page, the shop's post left alone, static tags still shown; a script that differs is refused", async (t) => {
  assert.ok(published, "the author's test published the post");
  restoreSettingsAfter(t);
  const context = await newContext();
  const page = await logIn(context);
  await page.goto(settingsPage());
  await page.getByLabel("No backend: only static tags, with a price and a link to another site").check();
  await page.getByLabel("Send anonymous insight events (tags seen, cards opened) to the backend").uncheck();
  // The widget's script comes from the backend's host by default: named here, it still loads,
  // pinned with its Subresource Integrity.
  await page.getByLabel("Widget script address").fill(`${shop.url}/pkg/shoppable.js`);
  await page.getByLabel("Widget script integrity").fill("md5-0123");
  await page.getByRole("button", { name: "Save Changes" }).click();
  await page.getByText("The integrity must be a hash written sha384-...").waitFor();
  const integrity = `sha384-${createHash("sha384").update(readFileSync(join(repo, "pkg/shoppable.js"))).digest("base64")}`;
  await page.getByLabel("Widget script integrity").fill(integrity);
  await page.getByRole("button", { name: "Save Changes" }).click();
  await page.getByText("Settings saved.").waitFor();

  const visitor = await (await newContext()).newPage();
  const errors = watchErrors(visitor);
  const html = await (await visitor.goto(published)).text();
  const [loader] = html.match(/<script[^>]*shoppable\.js[^>]*>/g);
  assert.doesNotMatch(loader, /data-api/);
  assert.match(loader, /data-analytics="off"/);
  assert.ok(loader.includes(`integrity="${integrity}"`) && loader.includes('crossorigin="anonymous"'), loader);
  assert.ok(!html.includes("data-shoppable-post"), "the shop's post is not asked for");
  await visitor.locator("figure:has(img[data-shoppable-tags]) shoppable-tags button.bag").click();
  await visitor.locator("figure:has(img[data-shoppable-tags]) shoppable-tags button.tag").click();
  await visitor.locator('shoppable-tags a[part="link-out"]').waitFor();
  assert.deepEqual(errors, []);

  // Pinned to another content: the browser refuses the script, the photos stay as they were.
  await page.getByLabel("Widget script integrity").fill(`sha384-${createHash("sha384").update("another version").digest("base64")}`);
  await page.getByRole("button", { name: "Save Changes" }).click();
  await page.getByText("Settings saved.").waitFor();
  const refused = await (await newContext()).newPage();
  const consoleErrors = [];
  refused.on("console", (message) => { if (message.type() === "error") consoleErrors.push(message.text()); });
  await refused.goto(published, { waitUntil: "load" });
  await refused.waitForTimeout(500);
  assert.ok(consoleErrors.some((text) => /integrity/i.test(text)), consoleErrors.join("\n"));
  assert.equal(await refused.evaluate(() => typeof window.Shoppable), "undefined");
  assert.equal(await refused.locator("shoppable-tags").count(), 0);

});

test("a page without a shoppable photo gets no loader; the classic editor's shortcode shows a shop's post, escaped", async () => {
  const plain = await (await fetch(`${wordpress.url}/?page_id=2`)).text();
  assert.ok(plain.includes("Sample Page"), "WordPress's sample page");
  assert.ok(!plain.includes("shoppable.js"), "no loader where nothing is shoppable");

  const url = wordpress.php([join(import.meta.dirname, "cli.php"), "post", "Shortcodes", [
    // Self-closed (" /]"), as WordPress wants when the enclosing form is in the same post.
    '[shoppable post="rocket" /]',
    `[shoppable post="chelsea"]<img src="${shop.url}/www/images/chelsea.png" alt="Chat tigré">[/shoppable]`,
    "[shoppable post='x\" onmouseover=\"alert(1)' /]",
    `[shoppable post='y" onload="alert(2)']<img src="${shop.url}/www/images/coffee.png" alt="Tasse">[/shoppable]`,
  ].join("\n\n")]);
  const html = await (await fetch(url)).text();
  assert.ok(!/onmouseover="alert|onload="alert/.test(html), "a hostile post id stays inside its attribute");
  assert.ok(html.includes('post="x&quot; onmouseover=&quot;alert(1)"'));
  assert.ok(html.includes('data-shoppable-post="y&quot; onload=&quot;alert(2)"'), html.match(/<img[^>]*coffee[^>]*>/)?.[0]);
  assert.equal((html.match(/<script[^>]*shoppable\.js/g) ?? []).length, 1, "one loader for four shortcodes");
  const context = await newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(url);
  // The shop's post as the backend has it, and the shop's tags on the author's own photo.
  await page.locator('shoppable-post[post="rocket"] shoppable-tags button.bag').waitFor();
  const ownPhoto = page.locator('img[data-shoppable-post="chelsea"][alt="Chat tigré"]');
  await ownPhoto.scrollIntoViewIfNeeded();
  await ownPhoto.locator("xpath=preceding-sibling::shoppable-tags[1]").locator("button.bag").waitFor();
  assert.deepEqual(errors, []);
});

test("a backend that does not answer: the block's panel says so, and the post keeps its photo", async (t) => {
  assert.ok(published, "the author's test published the post");
  restoreSettingsAfter(t);
  const context = await newContext();
  const page = await logIn(context);
  const closed = `http://127.0.0.1:${await freePort()}/`;
  await page.goto(settingsPage());
  await page.getByLabel("Backend address").fill(closed);
  await page.getByRole("button", { name: "Save Changes" }).click();
  await page.getByText(`The backend at ${closed} does not answer.`).waitFor();

  const panel = await newPostWithImage(page);
  await panel.getByLabel("Tags of a post of the shop").check();
  await panel.getByText(`The backend at ${closed} does not answer.`).waitFor();
  assert.deepEqual(await axeViolations(page, ".shoppable-panel"), [], "the block's panel with an error");

  // The published post: its photo as it was, the widget's warning at most.
  const visitor = await (await newContext()).newPage();
  await visitor.goto(published);
  await visitor.locator('img[data-shoppable-post="coffee"]').waitFor();
  assert.equal(await visitor.locator('img[data-shoppable-post="coffee"]').evaluate((image) => image.complete && image.naturalWidth > 0), true);

  await page.goto(settingsPage());
  await page.getByLabel("Backend address").fill(`${shop.url}/`);
  await page.getByRole("button", { name: "Save Changes" }).click();
  await page.getByText("the admin token works.").waitFor();
});

test("in French: the settings page and the block's panel speak the admin's language", async () => {
  const context = await newContext();
  const page = await logIn(context);
  await page.goto(`${wordpress.url}/wp-admin/profile.php`);
  await page.locator("#locale").selectOption("fr_FR");
  await page.locator("#submit").click();
  await page.goto(settingsPage());
  await page.getByLabel("Adresse du backend").waitFor();
  await page.getByText("le jeton d’administration fonctionne.").waitFor();

  const panel = await newPostWithImage(page);
  await panel.getByLabel("Étiquettes statiques : un prix et un lien").check();
  await panel.getByLabel("Nom du produit", { exact: true }).waitFor();
  await panel.getByLabel("Étiquettes d’une publication de la boutique").check();
  await panel.locator('option[value="coffee"]').waitFor({ state: "attached" });
  assert.match(await panel.locator('option[value="coffee"]').textContent(), /^coffee : .* \(\d étiquettes?\)$/);
});

test("the shop's posts are listed only for users who can edit posts; the settings only for admins", async () => {
  const list = `${wordpress.url}/?rest_route=/shoppable/v1/posts`;
  const anonymous = await fetch(list);
  assert.equal(anonymous.status, 401);
  assert.ok(!(await anonymous.text()).includes("coffee"));

  wordpress.php([join(import.meta.dirname, "cli.php"), "user", "lecteur", "lecteur-pw-1234", "subscriber"]);
  const context = await newContext();
  const page = await logIn(context, "lecteur", "lecteur-pw-1234");
  // A subscriber's own authenticated request (cookie and REST nonce), refused.
  const answer = await page.evaluate(async (url) => {
    const nonce = await (await fetch("/wp-admin/admin-ajax.php?action=rest-nonce")).text();
    const response = await fetch(url, { headers: { "X-WP-Nonce": nonce } });
    return { status: response.status, body: await response.text() };
  }, list);
  assert.equal(answer.status, 403, answer.body);
  assert.equal(JSON.parse(answer.body).code, "rest_forbidden", "refused for lack of the capability, not for the nonce");
  const settings = await page.goto(settingsPage());
  assert.equal(settings.status(), 403);
});

test("the admin token is not loaded on every request; deleting the plugin removes it and the settings", () => {
  const cli = join(import.meta.dirname, "cli.php");
  assert.deepEqual(JSON.parse(wordpress.php([cli, "options"])), { shoppable_settings: true, shoppable_admin_token: false });
  wordpress.php([cli, "uninstall"]);
  assert.deepEqual(JSON.parse(wordpress.php([cli, "options"])), {});
});
