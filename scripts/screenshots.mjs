// Screenshots of the widget on a blog of another origin, for docs/screenshots/: the blog at
// desktop width with a photo's tags and product card, and on a 390 px phone with the card as
// a bottom sheet. Needs the widget built (scripts/build-widget.sh) and the server built
// (cargo build -p shoppable-server).
//
//   node scripts/screenshots.mjs
import { join } from "node:path";
import { startServer, startSite, launchBrowser, repo } from "../tests/e2e/support.js";

const pages = {};
const blog = await startSite(pages);
const shop = await startServer({ args: ["--allowed-origin", blog.url] });
pages["/blog.css"] = {
  html: `body{margin:0;font:18px/1.65 Georgia,serif;color:#1f1f1f;background:#fff}
header{border-bottom:1px solid #eee;padding:18px 20px;font:700 20px system-ui,sans-serif}
article{max-width:680px;margin:0 auto;padding:8px 20px 40px}h1{font-size:34px;line-height:1.15}
img{max-width:100%;height:auto;display:block;border-radius:8px}p.meta{font:14px system-ui,sans-serif;color:#777}`,
  headers: { "content-type": "text/css" },
};
pages["/blog.html"] = { html: `<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Le blog de Camille</title>
<script src="${shop.url}/pkg/shoppable.js" data-api="${shop.url}" data-locale="fr" defer></script>
<link rel="stylesheet" href="/blog.css"></head><body><header>Le blog de Camille</header><article>
<h1>Mon café du matin</h1><p class="meta">22 novembre · 3 min</p>
<p>Un espresso serré dans une tasse en grès émaillée à la main, sur sa soucoupe assortie.</p>
<img src="/images/coffee.png" width="600" height="400" data-shoppable-post="coffee" alt="Une tasse d'espresso sur sa soucoupe">
<p>Touchez la photo pour voir ce qu'elle contient.</p></article></body></html>` };

const browser = await launchBrowser();
for (const [name, viewport, card] of [["blog-desktop", { width: 1200, height: 820 }, 0], ["blog-phone", { width: 390, height: 844 }, 0]]) {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  await page.goto(`${blog.url}/blog.html`);
  await page.locator("img[data-shoppable-mounted]").waitFor();
  await page.locator("img[data-shoppable-mounted]").scrollIntoViewIfNeeded();
  await page.locator("shoppable-tags button.bag").click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(repo, "docs/screenshots", `${name}-tags.png`) });
  await page.locator("shoppable-tags button.tag").nth(card).click();
  await page.locator('shoppable-tags button[part="buy-now"]:not([disabled])').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(repo, "docs/screenshots", `${name}-card.png`) });
  await page.close();
}
await browser.close();
await shop.stop();
await blog.stop();
console.log("docs/screenshots/: blog-desktop-tags.png, blog-desktop-card.png, blog-phone-tags.png, blog-phone-card.png");
