// The shop's console (/console/, console/ crate) on the reference server: an order bought on the
// demo page is shipped from the console and the shopper's order view then says so; a feed with
// errors is refused with its row-by-row report; stock is edited; insights match a scripted
// browsing session (and nothing is counted with data-analytics="off" or Global Privacy Control);
// axe-core on every view in each of its five languages; the keyboard alone signs in and moves around.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, launchBrowser, axeViolations, page as testPage, addFromTag, buyBag, sheet, figure, storedBag } from "./support.js";

let server, browser;

before(async () => {
  server = await startServer({
    pages: {
      "no-analytics.html": testPage(`<img src="/www/images/coffee.png" width="600" height="400" alt="" data-shoppable-post="coffee">`,
        'data-api="/" data-locale="fr-FR" data-analytics="off"'),
      "analytics.html": testPage(`<img src="/www/images/coffee.png" width="600" height="400" alt="" data-shoppable-post="coffee">`),
    },
    // Every reader and shopper of this file is one client to the server (127.0.0.1): with the
    // abuse limits on, the file's earlier orders and events took the budget of the last reader's
    // events. The limits have their own tests (server/tests/limits.rs).
    args: ["--rate-limit-per-second", "0"],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const admin = (path, options = {}) => fetch(`${server.url}${path}`, {
  ...options,
  headers: { "content-type": "application/json", authorization: `Bearer ${server.adminToken}`, ...options.headers },
}).then(async (r) => ({ status: r.status, body: r.status === 204 ? null : await r.json() }));

/** A console tab in `lang`, signed in (unless `signIn` is false); collects page errors. */
async function openConsole({ lang = "fr", signIn = true, context } = {}) {
  context ??= await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${server.url}/console/?lang=${lang}`);
  if (signIn) {
    await page.locator("#token").fill(server.adminToken);
    await page.locator("#token").press("Enter");
    await page.locator("nav").waitFor();
  }
  return { page, context, errors };
}

const heading = (page) => page.locator("main h2");

test("an order bought on the demo page is shipped, delivered and refunded from the console; the shopper sees it shipped", async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const shop = await context.newPage();
  await shop.goto(`${server.url}/`);
  await shop.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  await addFromTag(shop, "coffee", 0);
  await shop.evaluate(() => window.Shoppable.openCheckout("bag"));
  const number = await buyBag(shop);
  assert.match(number, /^SH-/);
  await sheet(shop).getByRole("button", { name: "Suivre ma commande" }).click();
  await sheet(shop).locator('[part="order-status"]').filter({ hasText: "Payée" }).waitFor();

  const { page, errors } = await openConsole({ context });
  assert.equal(await heading(page).textContent(), "Commandes");
  // Search by number (a part of it, in lower case), then open the order.
  await page.locator("#search").fill(number.slice(3, 7).toLowerCase());
  await page.locator("#search").press("Enter");
  const link = page.locator("table.orders a", { hasText: number });
  await link.waitFor();
  assert.equal(await page.locator("table.orders tbody tr").count(), 1);
  assert.deepEqual(await axeViolations(page), [], "orders list");
  await link.click();
  await heading(page).filter({ hasText: number }).waitFor();
  assert.match(await page.locator(".order-status").textContent(), /Payée/);
  assert.match(await page.locator("address").textContent(), /Camille Martin.*12 rue des Lilas.*camille@example\.com/s);
  assert.match(await page.locator("ol.history").textContent(), /Passée.*Payée/s);
  assert.deepEqual(await axeViolations(page), [], "order page");

  // Ship it with the keyboard: type the tracking number and link, Enter submits. A link
  // without its scheme is said at once, in French, and nothing is shipped.
  await page.locator("#tracking-number").focus();
  await page.keyboard.type("LP123456789FR");
  await page.keyboard.press("Tab");
  await page.keyboard.type("suivi.example/LP123456789FR");
  await page.keyboard.press("Enter");
  await page.getByText("Le lien de suivi doit être une adresse http(s) complète").waitFor();
  assert.match(await page.locator(".order-status").textContent(), /Payée/);
  await page.locator("#tracking-url").fill("");
  await page.locator("#tracking-url").focus();
  await page.keyboard.type("https://suivi.example/LP123456789FR");
  await page.keyboard.press("Enter");
  await page.locator(".done", { hasText: "Commande expédiée." }).waitFor();
  assert.match(await page.locator(".order-status").textContent(), /Expédiée/);
  assert.equal(await page.getByRole("link", { name: "suivre le colis" }).getAttribute("href"), "https://suivi.example/LP123456789FR");

  // The shopper's order view, and the public order endpoint, say shipped.
  await sheet(shop).getByRole("button", { name: "Retour" }).click();
  await sheet(shop).locator(".order-link").filter({ hasText: number }).click();
  await sheet(shop).locator('[part="order-status"]').filter({ hasText: "Expédiée" }).waitFor();
  const saved = await shop.evaluate(() => Object.entries(localStorage).find(([key]) => key.startsWith("shoppable:orders"))?.[1]);
  const { id, secret } = JSON.parse(saved)[0];
  const publicView = await fetch(`${server.url}/v1/orders/${id}`, { headers: { "Order-Secret": secret } }).then((r) => r.json());
  assert.equal(publicView.status, "shipped");
  assert.equal(publicView.history.at(-1).tracking_number, "LP123456789FR");

  // Delivered, then refunded after a confirmation: buttons work with Enter.
  await page.getByRole("button", { name: "Marquer livrée" }).focus();
  await page.keyboard.press("Enter");
  await page.locator(".done", { hasText: "Commande livrée." }).waitFor();
  await page.getByRole("button", { name: /^Rembourser \d+,\d\d\s€…$/ }).click();
  await page.getByRole("button", { name: /^Confirmer le remboursement de \d+,\d\d\s€$/ }).click();
  await page.locator(".done", { hasText: "Commande remboursée." }).waitFor();
  assert.match(await page.locator("ol.history").textContent(), /Livrée.*Remboursée/s);
  const refunded = await fetch(`${server.url}/v1/orders/${id}`, { headers: { "Order-Secret": secret } }).then((r) => r.json());
  assert.equal(refunded.status, "refunded");

  // The list filters by status.
  await page.goto(`${server.url}/console/?lang=fr#/orders`);
  await page.locator("#status-filter").selectOption("refunded");
  await page.getByRole("button", { name: "Filtrer" }).click();
  await page.locator("table.orders a", { hasText: number }).waitFor();
  await page.locator("#status-filter").selectOption("paid");
  await page.getByRole("button", { name: "Filtrer" }).click();
  await page.locator("main p", { hasText: "Aucune commande." }).waitFor();
  // The shop out of reach, then refusing: said in the console's language, not the protocol's.
  await page.route("**/v1/admin/orders?*", (route) => route.abort());
  await page.getByRole("button", { name: "Filtrer" }).click();
  await page.locator("main", { hasText: "La boutique est injoignable ; vérifiez la connexion et réessayez." }).waitFor();
  await page.unroute("**/v1/admin/orders?*");
  await page.goto(`${server.url}/console/?lang=fr#/orders/no-such-order`);
  await page.locator("main", { hasText: "Introuvable : peut-être supprimé entre-temps." }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

const feedHeader = "id,title,description,availability,condition,price,link,image_link,brand,quantity";
const lampRow = "lamp-1,Console lamp,A lamp,in stock,new,49.00 EUR,https://shop.example/l,https://shop.example/l.jpg,Test,3";

/** A feed whose rows 3 and 4 are bad (no title; a price that is not one), as a file to import. */
function badFeed() {
  const file = join(server.dir, "bad-feed.csv");
  writeFileSync(file, `${feedHeader}\n${lampRow}\n`
    + `lamp-2,,No title,in stock,new,12.00 EUR,https://shop.example/m,https://shop.example/m.jpg,Test,3\n`
    + `lamp-3,Bad price,A lamp,in stock,new,cheap,https://shop.example/n,https://shop.example/n.jpg,Test,3\n`);
  return file;
}

/** What the console says in each of its languages, as these tests read it. */
const WORDS = {
  fr: { signIn: "Connexion", refused: "La boutique refuse ce jeton", orders: "Commandes", catalog: "Catalogue", posts: "Publications", insights: "Statistiques", import: "Importer" },
  en: { signIn: "Sign in", refused: "The shop refuses this token", orders: "Orders", catalog: "Catalog", posts: "Posts", insights: "Insights", import: "Import" },
  de: { signIn: "Anmeldung", refused: "Der Shop lehnt dieses Token ab", orders: "Bestellungen", catalog: "Katalog", posts: "Beiträge", insights: "Statistiken", import: "Importieren" },
  es: { signIn: "Inicio de sesión", refused: "La tienda rechaza este token", orders: "Pedidos", catalog: "Catálogo", posts: "Publicaciones", insights: "Estadísticas", import: "Importar" },
  it: { signIn: "Accesso", refused: "Il negozio rifiuta questo token", orders: "Ordini", catalog: "Catalogo", posts: "Post pubblicati", insights: "Statistiche", import: "Importa" },
};
const LANGUAGES = Object.keys(WORDS);

/** Opens the console's catalog in `lang` and imports `badFeed()`; resolves once its report shows. */
async function importBadFeed(lang) {
  const words = WORDS[lang];
  const opened = await openConsole({ lang });
  await opened.page.getByRole("link", { name: words.catalog }).click();
  await heading(opened.page).filter({ hasText: words.catalog }).waitFor();
  await opened.page.locator("#feed").setInputFiles(badFeed());
  await opened.page.getByRole("button", { name: words.import }).click();
  await opened.page.locator("table.row-errors").waitFor();
  return opened;
}

/** The import report's rows as [row, column, problem]. */
const reportRows = (page) => page.locator("table.row-errors tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((cell) => cell.textContent)));

test("a feed with errors is refused with its rows listed; a good feed is imported and its stock edited", async () => {
  const { page, context, errors } = await importBadFeed("en");
  assert.match(await page.locator(".report .error").textContent(), /Nothing was imported/);
  const rows = await reportRows(page);
  assert.deepEqual(rows.map(([row, column]) => [row, column]), [["3", "title"], ["4", "price"]]);
  // In English, the backend's own words, which name the value at fault.
  assert.equal(rows[0][2], "this column is required");
  assert.match(rows[1][2], /`cheap`/);
  assert.deepEqual(await axeViolations(page), [], "catalog with an import report");
  assert.equal((await admin("/v1/admin/products?q=console")).body.products.length, 0, "nothing imported");

  const good = join(server.dir, "good-feed.csv");
  writeFileSync(good, `${feedHeader}\n${lampRow}\n`);
  await page.locator("#feed").setInputFiles(good);
  await page.getByRole("button", { name: "Import" }).click();
  await page.locator(".report .done", { hasText: "Imported: 1 product, 1 variant." }).waitFor();

  // Stock: find the product, type a new figure, Enter saves.
  await page.locator("#product-search").fill("console lamp");
  await page.locator("#product-search").press("Enter");
  const stock = page.getByLabel("Stock of Console lamp");
  await stock.waitFor();
  assert.equal(await stock.inputValue(), "3");
  await stock.fill("12");
  await stock.press("Enter");
  await page.locator("table.products .done", { hasText: "Saved" }).waitFor();
  const [product] = (await admin("/v1/admin/products?q=console")).body.products;
  assert.equal(product.variants[0].stock, 12);
  // Beyond what the shop accepts: said at once, in the console's language; nothing saved.
  await stock.fill("2000000000");
  await stock.press("Enter");
  await page.locator("table.products .error", { hasText: "At most 1,000,000,000 units." }).waitFor();
  assert.equal((await admin("/v1/admin/products?q=console")).body.products[0].variants[0].stock, 12);
  assert.deepEqual(await axeViolations(page), [], "catalog");
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [lang, nothing, rows] of [
  ["fr", /Rien n'a été importé/, ["cette colonne est obligatoire", "ce n’est pas un prix : écrivez le montant, une espace et la devise, p. ex. 29.90 EUR"]],
  ["de", /Nichts wurde importiert/, ["diese Spalte ist erforderlich", "kein Preis: Schreiben Sie den Betrag, ein Leerzeichen und die Währung, z. B. 29.90 EUR"]],
]) {
  test(`in ${lang}, a refused feed's problems are said in ${lang}, row by row`, async () => {
    const { page, context, errors } = await importBadFeed(lang);
    assert.match(await page.locator(".report .error").textContent(), nothing);
    assert.deepEqual(await reportRows(page), [["3", "title", rows[0]], ["4", "price", rows[1]]]);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("saved posts are listed with their photo, tags and a link to the tag editor", async () => {
  const { page, context, errors } = await openConsole({ lang: "en" });
  await page.getByRole("link", { name: "Posts" }).click();
  const coffee = page.locator("li.post", { has: page.locator("h3", { hasText: /^coffee$/ }) });
  await coffee.waitFor();
  const post = (await fetch(`${server.url}/v1/posts/coffee`).then((r) => r.json()));
  assert.equal(await coffee.locator("ul.tags li").count(), post.tags.length);
  assert.match(await coffee.locator("ul.tags").textContent(), new RegExp(post.tags[0].product.title));
  assert.equal(await coffee.locator("img").evaluate((img) => img.complete && img.naturalWidth > 0), true);
  const edit = coffee.getByRole("link", { name: "Edit in the tag editor: coffee" });
  assert.match(await edit.getAttribute("href"), /editor\.html\?post=coffee$/);
  assert.deepEqual(await axeViolations(page), [], "posts");
  await edit.click();
  await page.waitForURL(/editor\.html\?post=coffee/);
  await page.waitForFunction(() => document.getElementById("post-id")?.value === "coffee");
  assert.deepEqual(errors, []);
  await context.close();
});

/** The insights of the console for today, as { posts, products } keyed by id. */
async function insightsToday() {
  const { body } = await admin("/v1/admin/insights");
  const byKey = (rows) => Object.fromEntries(rows.map((r) => [r.key, r]));
  return { posts: byKey(body.posts), products: byKey(body.products), days: body.days };
}

test("insights count a scripted browsing session that buys from two posts, and the console shows those counts", async () => {
  const fresh = await startServer();
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const shop = await context.newPage();
  await shop.goto(`${fresh.url}/`);
  const [coffee, chelsea] = await Promise.all(["coffee", "chelsea"].map((id) => fetch(`${fresh.url}/v1/posts/${id}`).then((r) => r.json())));
  await shop.locator('img[data-shoppable-post="chelsea"][data-shoppable-mounted]').waitFor();
  // Reveal the tags of two photos (their bag buttons), open a card on each, add one to the bag.
  for (const id of ["coffee", "chelsea"]) {
    await figure(shop, id).locator("shoppable-tags button.bag").click();
  }
  await figure(shop, "coffee").locator("shoppable-tags button.tag").first().focus();
  await shop.keyboard.press("Enter");
  await figure(shop, "coffee").locator('shoppable-tags [role="dialog"]').waitFor();
  await shop.keyboard.press("Escape");
  await addFromTag(shop, "chelsea", 0);
  await addFromTag(shop, "coffee", 1);
  // Beacons leave within a few seconds (or when the page is hidden).
  const insights = async () => {
    const { body } = await fetch(`${fresh.url}/v1/admin/insights`, { headers: { authorization: `Bearer ${fresh.adminToken}` } }).then(async (r) => ({ body: await r.json() }));
    return { posts: Object.fromEntries(body.posts.map((r) => [r.key, r])), products: Object.fromEntries(body.products.map((r) => [r.key, r])) };
  };
  let stats;
  for (let i = 0; i < 40 && !(stats?.posts.coffee?.adds_to_bag === 1 && stats.posts.chelsea?.adds_to_bag === 1); i++) {
    await new Promise((done) => setTimeout(done, 250));
    stats = await insights();
  }
  // Each bag line remembers its post, across a reload, and the order is bought from both. (The
  // pointer is moved off the photos first: hovering one would show its tags again.)
  await shop.mouse.move(0, 0);
  await shop.reload();
  const posts = (await storedBag(shop, fresh.url)).map((line) => [line.product_id, line.post_id]);
  assert.deepEqual(posts, [[chelsea.tags[0].product.id, "chelsea"], [coffee.tags[1].product.id, "coffee"]]);
  await shop.locator('img[data-shoppable-post="chelsea"][data-shoppable-mounted]').waitFor();
  await shop.evaluate(() => window.Shoppable.openCheckout("bag"));
  await buyBag(shop);
  const saved = await shop.evaluate(() => Object.entries(localStorage).find(([key]) => key.startsWith("shoppable:orders"))?.[1]);
  const { id, secret } = JSON.parse(saved)[0];
  const order = await fetch(`${fresh.url}/v1/orders/${id}`, { headers: { "Order-Secret": secret } }).then((r) => r.json());
  const revenue = (tag) => order.lines.find((line) => line.product_id === tag.product.id).total;
  stats = await insights();
  assert.deepEqual(stats.posts.coffee,
    { key: "coffee", tag_views: coffee.tags.length, tag_opens: 2, adds_to_bag: 1, checkouts: 0, orders: 1, revenue: revenue(coffee.tags[1]) });
  assert.deepEqual(stats.posts.chelsea,
    { key: "chelsea", tag_views: chelsea.tags.length, tag_opens: 1, adds_to_bag: 1, checkouts: 0, orders: 1, revenue: revenue(chelsea.tags[0]) });
  assert.equal(Object.keys(stats.posts).length, 2);
  const added = chelsea.tags[0].product.id;
  assert.equal(stats.products[added].adds_to_bag, 1);
  assert.equal(stats.products[added].tag_opens, 1);

  // The console shows the same counts.
  const page = await context.newPage();
  await page.goto(`${fresh.url}/console/?lang=en#/insights`);
  await page.locator("#token").fill(fresh.adminToken);
  await page.keyboard.press("Enter");
  const row = (key) => page.locator(`table.insights tr[data-key="${key}"]`);
  await row("chelsea").waitFor();
  const cells = (key) => row(key).locator("td").allTextContents();
  const money = (amount) => new RegExp(`^€${(amount / 100).toFixed(2).replace(".", "\\.")}$`);
  const [coffeeCells, chelseaCells] = [await cells("coffee"), await cells("chelsea")];
  // Views, opens, adds, "Buy now", orders, (revenue), conversion.
  assert.deepEqual(coffeeCells.toSpliced(5, 1), [String(coffee.tags.length), "2", "1", "0", "1", "50.0%"]);
  assert.match(coffeeCells[5], money(revenue(coffee.tags[1]).amount));
  assert.deepEqual(chelseaCells.toSpliced(5, 1), [String(chelsea.tags.length), "1", "1", "0", "1", "100.0%"]);
  assert.match(chelseaCells[5], money(revenue(chelsea.tags[0]).amount));
  assert.match(await row(added).locator("th").textContent(), new RegExp(chelsea.tags[0].product.title));
  assert.match(await page.locator("svg desc").textContent(), new RegExp(`${coffee.tags.length + chelsea.tags.length} tag views, 3 card opens, 2 adds to bag`));
  assert.equal(await page.locator("svg polyline").count(), 3);
  assert.deepEqual(await axeViolations(page), [], "insights");
  await context.close();
  await fresh.stop();
});

test("nothing is counted with data-analytics=\"off\" or Global Privacy Control", async () => {
  const before = await insightsToday();
  const look = async (path, init) => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    if (init) await context.addInitScript(init);
    const page = await context.newPage();
    const beacons = [];
    page.on("request", (request) => { if (request.url().includes("/v1/events")) beacons.push(request.url()); });
    await page.goto(`${server.url}${path}`);
    await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
    await page.locator("shoppable-tags button.bag").click();
    await page.locator("shoppable-tags button.tag").first().focus();
    await page.keyboard.press("Enter");
    await page.locator('shoppable-tags [role="dialog"]').waitFor();
    await new Promise((done) => setTimeout(done, 3000));
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await context.close(); // pagehide
    return beacons;
  };
  assert.deepEqual(await look("/no-analytics.html"), [], "data-analytics=off");
  assert.deepEqual(await look("/analytics.html", () => Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true })), [], "GPC");
  const after = await insightsToday();
  assert.deepEqual(after.posts, before.posts);
  // The same page without either sends its events.
  const sent = await look("/analytics.html");
  assert.ok(sent.length >= 1, "events are sent otherwise");
});

test("a reader who leaves right after the tags show is counted: where to send is read at the first event", async () => {
  const coffee = await fetch(`${server.url}/v1/posts/coffee`).then((r) => r.json());
  const before = (await insightsToday()).posts.coffee?.tag_views ?? 0;
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/analytics.html`);
  await page.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  // The configuration is asked for when the tags show, not when the batch leaves 2 s later:
  // a page that is going away has no time left to ask.
  // (The request leaves at once; its answer may take longer on a busy machine.)
  const asked = page.waitForRequest((request) => new URL(request.url()).pathname === "/v1/config", { timeout: 1500 });
  await page.locator("shoppable-tags button.bag").click();
  await (await asked).response();
  await page.goto("about:blank"); // the reader leaves within the batch's delay
  let views = before;
  for (let i = 0; i < 100 && views < before + coffee.tags.length; i++) {
    await new Promise((done) => setTimeout(done, 100));
    views = (await insightsToday()).posts.coffee?.tag_views ?? 0;
  }
  assert.equal(views, before + coffee.tags.length);
  await context.close();
});

for (const [index, lang] of LANGUAGES.entries()) {
  test(`every console view is axe-clean and reachable from the keyboard (${lang})`, async () => {
    const { page, context, errors } = await openConsole({ lang, signIn: false });
    const words = WORDS[lang];
    await heading(page).filter({ hasText: words.signIn }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    assert.deepEqual(await axeViolations(page), [], "sign-in");
    // A wrong token is refused next to the field.
    await page.locator("#token").fill("wrong-token");
    await page.keyboard.press("Enter");
    await page.locator("#token-error", { hasText: words.refused }).waitFor();
    assert.equal(await page.locator("#token").getAttribute("aria-invalid"), "true");
    assert.deepEqual(await axeViolations(page), [], "sign-in refused");
    // Sign in from the keyboard alone.
    await page.locator("#token").fill("");
    await page.locator("#token").focus();
    await page.keyboard.type(server.adminToken);
    await page.keyboard.press("Enter");
    await heading(page).filter({ hasText: words.orders }).waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === "H2");
    await page.locator("table.orders, main p[role=status]").first().waitFor();
    assert.deepEqual(await axeViolations(page), [], "orders");
    // Each section: Shift+Tab from the view's heading back to its link in the navigation, Enter;
    // focus lands on the new view's heading.
    for (const name of [words.catalog, words.posts, words.insights, words.orders]) {
      let focused = "";
      for (let presses = 0; presses < 40 && focused !== name; presses++) {
        await page.keyboard.press("Shift+Tab");
        focused = await page.evaluate(() => (document.activeElement?.closest("nav") ? document.activeElement.textContent : ""));
      }
      assert.equal(focused, name, `Tab reaches ${name}`);
      await page.keyboard.press("Enter");
      await heading(page).filter({ hasText: name }).waitFor();
      await page.waitForFunction(() => document.activeElement?.tagName === "H2");
      assert.equal(await page.locator("nav a[aria-current=page]").textContent(), name);
      await page.locator("main .loading").waitFor({ state: "detached" });
      assert.deepEqual(await axeViolations(page), [], name);
    }
    // The language switch re-renders the console in the next language.
    const next = LANGUAGES[(index + 1) % LANGUAGES.length];
    await page.locator("#lang").selectOption(next);
    await heading(page).filter({ hasText: WORDS[next].orders }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), next);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
