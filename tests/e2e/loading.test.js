// How posts load: one batch request for the images in view, images added later, and the
// failure paths, where the image is left untouched with one clear console warning.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { built, startServer, launchBrowser, page as testPage } from "./support.js";

const photo = (id) => `<img src="/www/images/coffee.png" width="300" height="200" data-shoppable-post="${id}" alt="">`;
const staticPhoto = `<img src="/www/images/coffee.png" width="300" height="200" alt=""
  data-shoppable-tags='[{"x":0.5,"y":0.5,"title":"Tasse","price":"14.90 EUR","url":"https://example.com/tasse"}]'>`;
let server, browser;

before(async () => {
  server = await startServer({
    pages: {
      "batch.html": testPage(["coffee", "chelsea", "astronaut", "rocket", "coffee", "chelsea"].map(photo).join("")),
      "missing.html": testPage(photo("coffee") + photo("no-such-post")),
      "down.html": testPage(photo("coffee"), 'data-api="http://127.0.0.1:9" data-locale="fr"'),
      "feed.html": testPage(`<div id="feed">${photo("coffee")}</div>`),
      "static.html": testPage(`<img src="/www/images/coffee.png" width="300" height="200" alt=""
        data-shoppable-tags='[{"x":0.5,"y":0.5,"title":"Tasse","price":"14.90 EUR","url":"https://example.com/tasse"},{"x":0.2,"y":0.2,"title":"Piège","price":"1.00 EUR","url":"javascript:alert(1)"}]'>`, 'data-locale="fr"'),
      // Two batches' worth of posts, all in view: 4 known, 56 not.
      "two-batches.html": testPage(["coffee", "chelsea", "astronaut", "rocket", ...Array.from({ length: 56 }, (_, i) => `unknown-${i}`)]
        .map((id) => photo(id).replace('width="300" height="200"', 'width="60" height="40"')).join("")),
      "element.html": testPage(`<shoppable-post post="chelsea" style="display:block;width:400px"></shoppable-post>`),
      // Photos that name posts, and a script tag that names no backend to read them from.
      "no-backend.html": testPage(staticPhoto + photo("coffee") + photo("chelsea"), 'data-locale="fr"'),
      // Static tags with a backend that does not answer: insights can go nowhere.
      "static-down.html": testPage(`<div id="feed">${staticPhoto}</div>`, 'data-api="http://127.0.0.1:9" data-locale="fr"'),
    },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens a test page (after `init`, a script run first); returns the page, its console
 *  warnings and its post requests. */
async function open(name, init) {
  const tab = await browser.newPage({ viewport: { width: 1000, height: 2000 } });
  if (init) await tab.addInitScript(init);
  const warnings = [];
  const postRequests = [];
  tab.on("console", (m) => { if (m.type() === "warning" || m.type() === "error") warnings.push(m.text()); });
  tab.on("request", (r) => { if (new URL(r.url()).pathname.startsWith("/v1/posts")) postRequests.push(r.url()); });
  await tab.goto(`${server.url}/${name}`);
  return { tab, warnings, postRequests };
}

test("all the images in view are read in one batch request", async () => {
  const { tab, warnings, postRequests } = await open("batch.html");
  await tab.waitForFunction(() => document.querySelectorAll("img[data-shoppable-mounted]").length === 6);
  assert.equal(postRequests.length, 1, postRequests.join("\n"));
  const ids = new URL(postRequests[0]).searchParams.get("ids").split(",").sort();
  assert.deepEqual(ids, ["astronaut", "chelsea", "coffee", "rocket"], "each post is asked once");
  assert.equal(await tab.locator("shoppable-tags").count(), 6);
  assert.deepEqual(warnings, []);
  await tab.close();
});

test("more posts than one batch holds are asked for at once, not one batch after another", async () => {
  const tab = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const requests = [];
  let bothSent;
  const sent = new Promise((resolve) => (bothSent = resolve));
  // Every answer is held until both requests have left.
  await tab.route("**/v1/posts?*", async (route) => {
    requests.push(new URL(route.request().url()).searchParams.get("ids").split(","));
    if (requests.length === 2) bothSent();
    await sent;
    await route.continue();
  });
  await tab.goto(`${server.url}/two-batches.html`);
  const waited = await Promise.race([sent.then(() => false), tab.waitForTimeout(15000).then(() => true)]);
  assert.equal(waited, false, `only ${requests.length} request(s) left while the first one was unanswered`);
  assert.deepEqual(requests.map((ids) => ids.length).sort(), [10, 50], "at most 50 ids a request, each id once");
  await tab.waitForFunction(() => document.querySelectorAll("img[data-shoppable-mounted]").length === 4);
  assert.equal(await tab.locator("shoppable-tags").count(), 4);
  await tab.close();
});

test("a browser without scheduler.yield() mounts the widgets in slices just the same", async () => {
  // Safari and older browsers: the widget yields with a timeout instead.
  const { tab, warnings } = await open("batch.html", () => Object.defineProperty(window, "scheduler", { value: undefined }));
  await tab.waitForFunction(() => document.querySelectorAll("img[data-shoppable-mounted]").length === 6);
  assert.equal(await tab.evaluate(() => typeof window.scheduler), "undefined");
  assert.equal(await tab.locator("shoppable-tags").count(), 6);
  assert.deepEqual(warnings, []);
  await tab.close();
});

test("an unknown post leaves its image untouched and logs one warning", async () => {
  const { tab, warnings } = await open("missing.html");
  await tab.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').waitFor();
  const missing = tab.locator('img[data-shoppable-post="no-such-post"]');
  assert.equal(await missing.getAttribute("data-shoppable-mounted"), null);
  assert.equal(await tab.locator("shoppable-tags").count(), 1, "no widget on the unknown post");
  assert.equal(warnings.length, 1, warnings.join("\n"));
  assert.match(warnings[0], /no-such-post.*not found/);
  await tab.close();
});

test("a backend that cannot be reached leaves the images untouched with one warning", async () => {
  const { tab, warnings } = await open("down.html");
  const ours = () => warnings.filter((w) => w.startsWith("Shoppable:"));
  for (const deadline = Date.now() + 15000; ours().length === 0 && Date.now() < deadline;) await tab.waitForTimeout(100);
  assert.equal(await tab.locator("shoppable-tags").count(), 0);
  assert.equal(await tab.locator("img[data-shoppable-mounted]").count(), 0);
  assert.equal(ours().length, 1, warnings.join("\n"));
  assert.match(ours()[0], /could not load posts coffee: the backend could not be reached/);
  await tab.close();
});

test("images added to the page later get their tags", async () => {
  const { tab } = await open("feed.html");
  await tab.locator("img[data-shoppable-mounted]").waitFor();
  await tab.evaluate(() => {
    const image = document.createElement("img");
    Object.assign(image, { src: "/www/images/chelsea.png", width: 300, height: 200, alt: "" });
    image.dataset.shoppablePost = "chelsea";
    document.getElementById("feed").append(image);
  });
  await tab.locator('img[data-shoppable-post="chelsea"][data-shoppable-mounted]').waitFor();
  assert.equal(await tab.locator("shoppable-tags").count(), 2);

  // A recycled node: the first image now shows another post, and gets that post's tags.
  const chelsea = await (await fetch(`${server.url}/v1/posts/chelsea`)).json();
  await tab.evaluate(() => { document.querySelector('img[data-shoppable-post="coffee"]').dataset.shoppablePost = "chelsea"; });
  // What a keyboard user reaching the photo (its bag button) finds: chelsea's tags.
  await tab.waitForFunction((n) => {
    const root = document.querySelector("#feed shoppable-tags").shadowRoot;
    root.querySelector("button.bag").focus();
    return root.querySelectorAll("button.tag").length === n;
  }, chelsea.tags.length);
  assert.equal(await tab.locator("shoppable-tags").count(), 2, "the old widget is replaced, not doubled");
  // A node taken out and put back gets its widget again.
  await tab.evaluate(() => { const feed = document.getElementById("feed"); const img = feed.querySelector("img"); img.remove(); setTimeout(() => feed.prepend(img), 50); });
  await tab.evaluate(() => window.Shoppable.mount('img[data-shoppable-post="nothing"]')); // any mount drops detached widgets
  await tab.waitForFunction(() => document.querySelectorAll("#feed img[data-shoppable-mounted]").length === 2);
  await tab.close();
});

test("static mode needs no backend, links out, and refuses javascript: links", async () => {
  const { tab, warnings, postRequests } = await open("static.html");
  await tab.locator("img[data-shoppable-mounted]").waitFor();
  assert.equal(postRequests.length, 0);
  const tags = tab.locator("shoppable-tags button.tag");
  await tab.locator("img").click({ position: { x: 10, y: 10 } }); // a tap shows the tags
  await tags.first().waitFor();
  assert.equal(await tags.count(), 1, "the javascript: tag is refused");
  assert.match(warnings.join("\n"), /tag 2: url `javascript:alert\(1\)` is not an http\(s\) link/);
  await tags.first().click();
  const link = tab.locator('shoppable-tags a[part="link-out"]');
  assert.equal(await link.getAttribute("href"), "https://example.com/tasse");
  assert.equal(await link.textContent(), "Voir le produit");
  await tab.close();
});

test("photos that name posts on a page with no backend are left untouched, with one warning; static tags still show", async () => {
  const { tab, warnings, postRequests } = await open("no-backend.html");
  await tab.locator("img[data-shoppable-mounted]").waitFor();
  await tab.waitForTimeout(300);
  assert.deepEqual(await tab.evaluate(() => [...document.images].map((image) => image.hasAttribute("data-shoppable-mounted"))), [true, false, false]);
  assert.deepEqual(warnings, ["Shoppable: images name posts but the script tag has no data-api backend URL"]);
  assert.equal(postRequests.length, 0);
  await tab.close();
});

test("a backend that cannot say where insights go is asked once per page, not once per batch of photos", async () => {
  const { tab } = await open("static-down.html");
  const asked = [];
  tab.on("request", (r) => { if (new URL(r.url()).pathname === "/v1/config") asked.push(r.url()); });
  await tab.locator("img[data-shoppable-mounted]").waitFor();
  const failed = tab.waitForEvent("requestfailed", (r) => new URL(r.url()).pathname === "/v1/config");
  await tab.locator("img").first().click({ position: { x: 10, y: 10 } }); // the tags show: an insight
  await failed;
  // A second batch of photos, whose tags show too.
  await tab.evaluate((html) => document.getElementById("feed").insertAdjacentHTML("beforeend", html), staticPhoto);
  await tab.waitForFunction(() => document.querySelectorAll("img[data-shoppable-mounted]").length === 2);
  await tab.locator("img").nth(1).click({ position: { x: 10, y: 10 } });
  await tab.locator("shoppable-tags").nth(1).locator(".overlay.revealed").waitFor();
  await tab.waitForTimeout(500);
  assert.equal(asked.length, 1, asked.join("\n"));
  await tab.close();
});

test("<shoppable-post> shows the post's photo with its tags", async () => {
  const { tab } = await open("element.html");
  const image = tab.locator("shoppable-post img");
  await image.and(tab.locator("[data-shoppable-mounted]")).waitFor();
  // A path from the backend is relative to the API base URL (here the server itself), made absolute.
  assert.equal(await image.getAttribute("src"), `${server.url}/www/images/chelsea.png`);
  assert.match(await image.getAttribute("alt"), /chat/);
  await image.click({ position: { x: 5, y: 5 } });
  await tab.locator("shoppable-post shoppable-tags button.tag").first().waitFor();
  await tab.close();
});

test("the page API mounts and unmounts by hand, and analytics events reach the page", async () => {
  const { tab } = await open("batch.html");
  await tab.waitForFunction(() => document.querySelectorAll("img[data-shoppable-mounted]").length === 6);
  await tab.evaluate(() => {
    window.seen = [];
    for (const name of ["shoppable:tags-shown", "shoppable:tag-opened"]) {
      document.addEventListener(name, (event) => window.seen.push({ name, target: event.target.dataset.shoppablePost, detail: event.detail }));
    }
  });
  const coffee = tab.locator('img[data-shoppable-post="coffee"]').first();
  await coffee.click({ position: { x: 5, y: 5 } });
  await tab.locator("shoppable-tags button.tag").first().click();
  const seen = await tab.evaluate(() => window.seen);
  assert.equal(seen[0].name, "shoppable:tags-shown");
  assert.equal(seen[0].target, "coffee");
  assert.equal(seen[0].detail.postId, "coffee");
  assert.ok(seen[0].detail.productIds.length > 0);
  assert.equal(seen[1].name, "shoppable:tag-opened");
  assert.equal(seen[1].detail.productId, seen[0].detail.productIds[0]);

  await tab.evaluate(() => window.Shoppable.unmount('img[data-shoppable-post="coffee"]'));
  assert.equal(await tab.locator('img[data-shoppable-post="coffee"][data-shoppable-mounted]').count(), 0);
  assert.equal(await tab.locator("shoppable-tags").count(), 4, "only the coffee widgets are gone");
  const mounted = await tab.evaluate(() => window.Shoppable.mount('img[data-shoppable-post="coffee"]'));
  assert.equal(mounted, 2);
  assert.equal(await tab.locator("shoppable-tags").count(), 6);
  await tab.close();
});

test("a widget removed while its card is still loading goes quietly: no failure, the other photos keep their tags", async () => {
  const { tab, warnings } = await open("batch.html");
  await tab.waitForFunction(() => document.querySelectorAll("img[data-shoppable-mounted]").length === 6);
  await tab.evaluate(() => { window.restarts = 0; document.addEventListener("shoppable:restarted", () => window.restarts++); });
  // The card's chunk takes its time, as on a slow network.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await tab.route(/split_card\./, async (route) => { await held; await route.continue(); });
  await tab.locator('img[data-shoppable-post="coffee"]').first().click({ position: { x: 5, y: 5 } });
  await tab.locator("shoppable-tags button.tag").first().click();
  await tab.evaluate(() => window.Shoppable.unmount('img[data-shoppable-post="coffee"]'));
  release();
  await tab.waitForFunction(() => performance.getEntriesByType("resource").some((entry) => /split_card\./.test(entry.name)));
  await tab.waitForTimeout(300);
  assert.equal(await tab.evaluate(() => window.restarts), 0, warnings.join("\n"));
  assert.equal(await tab.locator("shoppable-tags").count(), 4);
  assert.equal(await tab.locator('shoppable-tags [role="dialog"]').count(), 0, "the late card is not shown");
  assert.ok(!warnings.some((text) => text.includes("failed")), warnings.join("\n"));
  await tab.close();
});

test("the card brings its own styles, once, also where the browser has no adoptable stylesheets", async () => {
  for (const adoptable of [true, false]) {
    const { tab, warnings } = await open("batch.html", adoptable ? undefined : () => { delete CSSStyleSheet.prototype.replaceSync; });
    await tab.waitForFunction(() => document.querySelectorAll("img[data-shoppable-mounted]").length === 6);
    const widget = tab.locator("shoppable-tags").first();
    const cardStyle = () => widget.evaluate((host) => {
      const card = host.shadowRoot.querySelector(".card");
      return card && { position: getComputedStyle(card).position, radius: getComputedStyle(card).borderRadius };
    });
    const styleElements = () => widget.evaluate((host) => host.shadowRoot.querySelectorAll("style").length);
    // Open the first tag's card twice (open, close, open): its styles apply, and are added once.
    await tab.locator("img").first().click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < 2; i++) {
      await widget.locator("button.tag").first().click();
      await widget.locator('[role="dialog"]').waitFor();
      assert.deepEqual(await cardStyle(), { position: "absolute", radius: "12px" }, `adoptable: ${adoptable}`);
      await tab.keyboard.press("Escape");
      await widget.locator('[role="dialog"]').waitFor({ state: "detached" });
    }
    assert.equal(await styleElements(), adoptable ? 0 : 2, "the tags' and the card's <style>, each once");
    if (adoptable) assert.equal(await widget.evaluate((host) => host.shadowRoot.adoptedStyleSheets.length), 2);
    assert.deepEqual(warnings, []);
    await tab.close();
  }
});

test("a reader who only looks at tags downloads no card or checkout code; a hover on a tag fetches the card, an open card the checkout", async () => {
  const { tab } = await open("batch.html");
  const fetched = [];
  tab.on("request", (r) => {
    const wasm = /\/((?:split|chunk)_\w+)\.[0-9a-f]{10}\.wasm$/.exec(r.url());
    if (wasm) fetched.push(wasm[1]);
  });
  // The posts' schema.org data comes after the tags, on every page, from its own chunk alone.
  const purchase = () => fetched.filter((name) => name !== "split_structured_data");
  await tab.waitForFunction(() => document.querySelectorAll("img[data-shoppable-mounted]").length === 6);
  await tab.locator('head script[type="application/ld+json"]').first().waitFor({ state: "attached" });
  await tab.locator('img[data-shoppable-post="coffee"]').first().click({ position: { x: 5, y: 5 } });
  await tab.waitForTimeout(300);
  assert.deepEqual(fetched, ["split_structured_data"], "the tags and the posts' schema.org data load no code of the purchase");
  await tab.locator("shoppable-tags button.tag").first().hover();
  await tab.waitForFunction(() => performance.getEntriesByType("resource").some((entry) => /split_card\./.test(entry.name)));
  const splits = () => purchase().filter((name) => name.startsWith("split_"));
  assert.deepEqual(splits(), ["split_card"], "a hover on a tag fetches the card, and only the card");
  await tab.locator("shoppable-tags button.tag").first().click();
  await tab.locator('shoppable-tags button[part="add-to-bag"]').click();
  await tab.locator("shoppable-checkout button.badge").waitFor();
  assert.equal(splits().filter((name) => name === "split_checkout").length, 1, "an open card loads the checkout, once");
  assert.equal(splits().filter((name) => name === "split_card").length, 1, "the card chunk is fetched once");
  assert.equal(new Set(purchase()).size, purchase().length, "no file of the purchase is fetched twice");
  await tab.close();
});

test("the reference server sends the widget precompressed, brotli or gzip, to browsers that accept it", async () => {
  for (const encoding of ["br", "gzip"]) {
    const response = await fetch(`${server.url}${built("widget_bg.wasm")}`, { headers: { "accept-encoding": encoding } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-encoding"), encoding);
    assert.equal(response.headers.get("content-type"), "application/wasm");
    assert.ok((await response.arrayBuffer()).byteLength > 100000, "the body decompresses to the whole wasm");
  }
});

test("every file of the widget but the loader is named by its content and cached for ever", async () => {
  const loader = await fetch(`${server.url}/pkg/shoppable.js`);
  assert.equal(loader.headers.get("cache-control"), "public, max-age=300, stale-while-revalidate=86400");
  const glue = built("widget.js");
  assert.ok((await loader.text()).includes(glue.slice("/pkg/".length)), "the loader names the glue of this build");
  for (const file of [glue, built("widget_bg.wasm"), built("split_card.wasm"), built("split_checkout.wasm")]) {
    const response = await fetch(`${server.url}${file}`);
    assert.equal(response.status, 200, file);
    assert.equal(response.headers.get("cache-control"), "public, max-age=31536000, immutable", file);
  }
});
