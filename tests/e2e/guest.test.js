// The widget as a guest on real pages: a blog on another origin embedding it with the
// README's snippet (desktop and phone), a static-mode page loading it from a CDN-like origin,
// a strict Content-Security-Policy through a whole purchase, crowded photos where no two tag
// boxes may overlap, and photos inside scaled or rotated carousels.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startSite, launchBrowser, page as testPage, placeOrderFromDetails, sheet } from "./support.js";

let shop, blog, cdnPage, browser;
const blogPages = {};
const cdnPages = {};

const TRANSFORMS = ["scale(0.5)", "rotate(3deg)", "scale(0.8) rotate(-4deg)"];
const carousel = TRANSFORMS.map((transform, i) => `<div class="carousel" style="position:relative;margin:60px;transform-origin:0 0;transform:${transform}">
  <img id="photo-${i}" src="/www/images/coffee.png" width="600" height="400" style="display:block;width:600px" data-shoppable-post="coffee" alt="Café">
</div>`).join("");

before(async () => {
  blog = await startSite(blogPages);
  cdnPage = await startSite(cdnPages);
  shop = await startServer({ args: ["--allowed-origin", blog.url], pages: { "carousel.html": testPage(carousel) } });
  browser = await launchBrowser();
  const article = `<article>
  <h1>Mon café du matin</h1>
  <img src="/images/coffee.png" width="600" height="400" data-shoppable-post="coffee" alt="Une tasse d'espresso">
  <p>Un espresso dans une tasse en grès, et la soucoupe assortie.</p>
  <img src="/images/astronaut.png" width="512" height="512" data-shoppable-post="astronaut" alt="Une astronaute">
  <shoppable-post post="chelsea"></shoppable-post>
</article>`;
  // The README's snippet, on a blog that is not the shop's origin.
  const snippet = `<script src="${shop.url}/pkg/shoppable.js" data-api="${shop.url}" data-locale="fr" defer></script>`;
  blogPages["/blog.html"] = { html: `<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Le blog de Camille</title><link rel="icon" href="/favicon.ico">
${snippet}<link rel="stylesheet" href="/blog.css"></head><body>${article}</body></html>` };
  blogPages["/favicon.ico"] = { html: "", headers: { "content-type": "image/x-icon" } };
  blogPages["/blog.css"] = { html: "body{font:18px/1.6 Georgia,serif;max-width:680px;margin:0 auto;padding:16px}img{max-width:100%;height:auto;display:block}", headers: { "content-type": "text/css" } };
  // The same blog behind the strict policy a bank or a large site sends: only the widget's
  // origin may run scripts and be fetched, styles come only from the site itself.
  const policy = [
    "default-src 'none'", `script-src ${shop.url} 'wasm-unsafe-eval'`, `connect-src ${shop.url}`,
    `img-src 'self' ${shop.url}`, "style-src 'self'", `frame-src ${shop.paymentsUrl}`, "base-uri 'none'", "form-action 'none'",
  ].join("; ");
  blogPages["/strict.html"] = { html: blogPages["/blog.html"].html, headers: { "content-security-policy": policy } };
  // A blog the shop was not told about (no --allowed-origin for it).
  cdnPages["/refused.html"] = { html: `<!doctype html><html lang="fr"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="${shop.url}/pkg/shoppable.js" data-api="${shop.url}" defer></script></head><body>
<img src="/images/coffee.png" width="600" height="400" alt="Café" data-shoppable-post="coffee"></body></html>` };
  // Static mode: tags written in the page, the widget from another origin, no backend.
  cdnPages["/static.html"] = { html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="${shop.url}/pkg/shoppable.js" defer></script></head><body>
<img src="/images/coffee.png" width="600" height="400" alt="Coffee" data-shoppable-tags='[{"x":0.45,"y":0.55,"title":"Red cup","price":"14.90 EUR","url":"https://example.com/cup"}]'>
</body></html>` };
});

after(async () => {
  await browser?.close();
  await shop?.stop();
  await blog?.stop();
  await cdnPage?.stop();
});

/** A fresh page at `width` x `height` that records console errors, page errors and CSP violations. */
/** `url` in a new context of that viewport, after `prepare(page)` (routes, init scripts). */
async function open(url, { width, height }, prepare = async () => {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  await prepare(page);
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => { if (message.type() === "error") problems.push(`console: ${message.text()}`); });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window.violations ||= []).push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.goto(url);
  return { page, problems };
}

/** Every <img> of the page and of the widget's shadow roots that failed to load. */
const brokenImages = (page) => page.evaluate(() => {
  const images = [];
  const visit = (root) => root.querySelectorAll("*").forEach((el) => {
    if (el.localName === "img") images.push(el);
    if (el.shadowRoot) visit(el.shadowRoot);
  });
  visit(document);
  return images.filter((img) => img.complete && img.naturalWidth === 0).map((img) => img.src);
});

/** True when the page is no wider than the screen; else the elements that stick out. */
const noSidewaysScroll = (page) => page.evaluate(() => {
  if (document.scrollingElement.scrollWidth <= window.innerWidth) return true;
  const out = [];
  const visit = (root) => root.querySelectorAll("*").forEach((el) => {
    const box = el.getBoundingClientRect();
    if (box.right > window.innerWidth + 1) out.push(`${el.localName}.${el.className} ${box.left.toFixed(0)}-${box.right.toFixed(0)} ${el.getAttribute("style")} in ${root.host?.nextElementSibling?.outerHTML.slice(0, 60)}`);
    if (el.shadowRoot) visit(el.shadowRoot);
  });
  visit(document);
  return out.join(", ");
});

async function waitMounted(page, count) {
  await page.waitForFunction((n) => document.querySelectorAll("img[data-shoppable-mounted]").length >= n, count);
}

for (const viewport of [{ width: 1200, height: 900 }, { width: 390, height: 844 }]) {
  test(`a blog on another origin at ${viewport.width} px: every photo loads, the card fits the screen, no console error`, async () => {
    const { page, problems } = await open(`${blog.url}/blog.html`, viewport);
    await waitMounted(page, 3);
    // The custom element's photo and the product images come from the shop's origin.
    await page.waitForFunction(() => [...document.images].every((img) => img.complete));
    assert.deepEqual(await brokenImages(page), []);
    assert.match(await page.locator("shoppable-post img").getAttribute("src"), new RegExp(`^${shop.url}/`));

    const coffee = page.locator('img[data-shoppable-post="coffee"]');
    await coffee.scrollIntoViewIfNeeded();
    await page.locator("shoppable-tags button.bag").first().click();
    await page.locator("shoppable-tags button.tag").first().click();
    const card = page.locator('shoppable-tags [role="dialog"]');
    await card.locator('button[part="add-to-bag"]:not([disabled])').waitFor();
    await card.locator("img.card-image").evaluate((img) => img.complete || new Promise((done) => img.addEventListener("load", done)));
    assert.deepEqual(await brokenImages(page), []);
    const box = await card.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= viewport.width + 0.5, `the card fits across: ${JSON.stringify(box)}`);
    if (viewport.width < 600) {
      // A bottom sheet, its buttons on screen.
      assert.ok(Math.abs(box.y + box.height - viewport.height) < 1, `the card sits on the bottom edge: ${JSON.stringify(box)}`);
      const buy = await card.locator('button[part="buy-now"]').boundingBox();
      assert.ok(buy.y + buy.height <= viewport.height, "Buy now is on screen");
    }
    const add = await card.locator('button[part="add-to-bag"]').boundingBox();
    assert.ok(add.height < 50, `"Ajouter au panier" stays on one line (${add.height} px)`);
    assert.equal(await noSidewaysScroll(page), true, "the page does not scroll sideways");

    // "Buy now": the sheet fills a phone's screen, nothing cut.
    await card.locator('button[part="buy-now"]').click();
    await page.getByLabel("Nom complet").waitFor();
    const label = await sheet(page).getByText("Nom complet").boundingBox();
    const dialog = await sheet(page).boundingBox();
    assert.ok(label.x >= dialog.x && dialog.x >= 0 && dialog.x + dialog.width <= viewport.width + 0.5, "the sheet is on screen");
    assert.deepEqual(problems, []);
    await page.context().close();
  });
}

test("static mode from another origin: the widget's files load with no backend and no CORS set-up", async () => {
  const { page, problems } = await open(`${cdnPage.url}/static.html`, { width: 1000, height: 800 });
  await waitMounted(page, 1);
  await page.locator("img").click({ position: { x: 5, y: 5 } });
  await page.locator("shoppable-tags button.tag").click();
  assert.equal(await page.locator('shoppable-tags a[part="link-out"]').getAttribute("href"), "https://example.com/cup");
  assert.deepEqual(problems, []);
  await page.context().close();
});

test("a CDN that serves the wasm without application/wasm still mounts the tags", async () => {
  // A streaming compile refuses such an answer; the loader compiles the bytes it read.
  const { page, problems } = await open(`${cdnPage.url}/static.html`, { width: 1000, height: 800 }, (page) =>
    page.route("**/widget_bg.*.wasm", async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), "content-type": "application/octet-stream" } });
    }));
  await waitMounted(page, 1);
  await page.locator("img").click({ position: { x: 5, y: 5 } });
  await page.locator("shoppable-tags button.tag").waitFor();
  assert.deepEqual(problems, []);
  await page.context().close();
});

test("a browser without WebAssembly (iOS Lockdown Mode): the page is left as it is, with one warning and no error", async () => {
  const warnings = [];
  const { page, problems } = await open(`${cdnPage.url}/static.html`, { width: 1000, height: 800 }, async (page) => {
    page.on("console", (message) => { if (message.type() === "warning") warnings.push(message.text()); });
    await page.addInitScript(() => { delete window.WebAssembly; });
  });
  await page.waitForFunction(() => window.Shoppable);
  await page.evaluate(() => window.Shoppable.mount());
  assert.ok(warnings.some((w) => w.startsWith("Shoppable: could not load")), warnings.join("\n"));
  assert.equal(await page.locator("shoppable-tags").count(), 0);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test("a backend that does not allow the page's origin: the console names the fix", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const warnings = [];
  page.on("console", (message) => { if (message.type() === "warning") warnings.push(message.text()); });
  await page.goto(`${cdnPage.url}/refused.html`);
  await page.waitForFunction(() => window.Shoppable);
  await page.evaluate(() => window.Shoppable.mount());
  await page.waitForTimeout(500);
  assert.ok(warnings.some((w) => w.includes(`--allowed-origin ${cdnPage.url}`)), warnings.join("\n"));
  assert.equal(await page.locator("shoppable-tags").count(), 0, "nothing half-drawn over the photo");
  await context.close();
});

test("a page with a strict Content-Security-Policy: a whole purchase without one violation", async () => {
  const { page, problems } = await open(`${blog.url}/strict.html`, { width: 1200, height: 900 });
  await waitMounted(page, 3);
  await page.locator("shoppable-tags button.bag").first().click();
  await page.locator("shoppable-tags button.tag").first().click();
  await page.locator('shoppable-tags button[part="buy-now"]:not([disabled])').click();
  await page.getByLabel("Nom complet").waitFor();
  await placeOrderFromDetails(page);
  assert.match(await sheet(page).locator(".order-number").textContent(), /^SH-/);
  // The badge and the sheet kept their styles (a refused stylesheet would leave them bare).
  assert.equal(await page.locator("shoppable-checkout button.badge").evaluate((b) => getComputedStyle(b).position), "fixed");
  assert.deepEqual(await page.evaluate(() => window.violations || []), []);
  assert.deepEqual(problems, []);
  await page.context().close();
});

for (const width of [1200, 600, 430, 390, 320]) {
  test(`no two tag boxes overlap on any demo photo at ${width} px, and every dot can be tapped`, async () => {
    const { page, problems } = await open(`${shop.url}/`, { width, height: 900 });
    await page.evaluate(() => window.Shoppable.mount()); // all of them, not only those near the viewport
    await waitMounted(page, 6);
    // Show every photo's tags, then let the reveal animation end.
    await page.evaluate(() => document.querySelectorAll("shoppable-tags").forEach((host) => host.shadowRoot.querySelector("button.bag").click()));
    // Every shown label has been placed (measured, then moved by an effect), and the reveal
    // animation has ended.
    await page.waitForFunction(() => [...document.querySelectorAll("shoppable-tags")]
      .every((host) => [...host.shadowRoot.querySelectorAll(".tag:not([hidden]) .label")].every((label) => label.style.left !== "")));
    await page.waitForTimeout(400);
    const report = await page.evaluate(() => {
      const overlap = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
      const problems = [];
      let tags = 0;
      for (const host of document.querySelectorAll("shoppable-tags")) {
        const img = host.nextElementSibling;
        img.scrollIntoView({ block: "center" }); // taps land only on what is on screen
        const image = img.getBoundingClientRect();
        const shown = [...host.shadowRoot.querySelectorAll(".tag:not([hidden])")];
        const post = img.dataset.shoppablePost || img.closest("shoppable-post")?.getAttribute("post") || "static";
        const labels = shown.map((tag) => tag.querySelector(".label").getBoundingClientRect());
        const targets = shown.map((tag) => tag.getBoundingClientRect());
        tags += shown.length;
        labels.forEach((label, i) => {
          if (label.left < image.left - 1 || label.right > image.right + 1 || label.top < image.top - 1 || label.bottom > image.bottom + 1) {
            problems.push(`${post}: label ${i} leaves the photo`);
          }
          labels.forEach((other, j) => { if (j > i && overlap(label, other) > 1) problems.push(`${post}: labels ${i} and ${j} overlap`); });
          targets.forEach((target, j) => { if (j !== i && overlap(label, target) > 1) problems.push(`${post}: label ${i} covers tag ${j}`); });
        });
        // A tap on each dot lands on that tag.
        shown.forEach((tag, i) => {
          const dot = tag.querySelector(".dot").getBoundingClientRect();
          const hit = host.shadowRoot.elementFromPoint(dot.left + dot.width / 2, dot.top + dot.height / 2);
          if (!hit || hit.closest(".tag") !== tag) problems.push(`${post}: the dot of tag ${i} cannot be tapped`);
        });
      }
      return { problems, tags };
    });
    assert.ok(report.tags >= 12, `tags shown: ${report.tags}`);
    assert.deepEqual(report.problems, []);
    assert.equal(await noSidewaysScroll(page), true, "the page does not scroll sideways");
    assert.deepEqual(problems, []);
    await page.context().close();
  });
}

test("tags stay on their spots when a carousel scales or rotates the photo", async () => {
  const { page, problems } = await open(`${shop.url}/carousel.html`, { width: 1400, height: 1800 });
  await waitMounted(page, TRANSFORMS.length);
  const post = await (await fetch(`${shop.url}/v1/posts/coffee`)).json();
  // Every photo's tags drawn (its bag button tapped), then the reveal animation ended.
  await page.evaluate(() => document.querySelectorAll("shoppable-tags").forEach((host) => host.shadowRoot.querySelector("button.bag").click()));
  await page.waitForTimeout(200);
  const offsets = await page.evaluate((fractions) => {
    const result = [];
    for (const image of document.querySelectorAll("img[data-shoppable-mounted]")) {
      const dots = [...image.previousElementSibling.shadowRoot.querySelectorAll(".tag .dot")];
      fractions.forEach(([x, y], i) => {
        // A marker at the spot, in the photo's own coordinates: the carousel moves it alike.
        const marker = document.createElement("i");
        marker.style.cssText = `position:absolute;width:0;height:0;left:${image.offsetLeft + x * image.offsetWidth}px;top:${image.offsetTop + y * image.offsetHeight}px`;
        image.parentElement.append(marker);
        const expected = marker.getBoundingClientRect();
        const dot = dots[i].getBoundingClientRect();
        result.push(Math.hypot(dot.left + dot.width / 2 - expected.left, dot.top + dot.height / 2 - expected.top));
        marker.remove();
      });
    }
    return result;
  }, post.tags.map((t) => [t.x, t.y]));
  assert.equal(offsets.length, TRANSFORMS.length * post.tags.length);
  assert.ok(offsets.every((d) => d < 2), `dots off their spot by ${offsets.map((d) => d.toFixed(1)).join(", ")} px`);
  assert.deepEqual(problems, []);
  await page.context().close();
});
