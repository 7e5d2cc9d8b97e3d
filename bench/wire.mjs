// Browser benchmark: the widget's bytes on the wire, as Chromium counts them (compressed
// bodies and headers of every request under /pkg/), on the demo page of the reference server:
//   - before the first tags show: from navigation to the first mounted widget;
//   - the whole purchase: everything fetched by the time an order is placed (two products
//     from two photos, the card typed in the payment frame).
// Deterministic for a given build; bench/size.sh --check keeps the gzipped files in budget.
//
//   node bench/wire.mjs
// Needs the widget built (scripts/build-widget.sh) and the server built as in production
// (cargo build --profile server -p shoppable-server).
import { startServer, launchBrowser, addFromTag, sheet, buyBag } from "../tests/e2e/support.js";

// Issue 12's budgets; Shopify's buy-button.js 3.0.6 is 58,968 bytes gzipped.
const BUDGETS = { tags: 59000, purchase: 250000 };

const server = await startServer({ profile: "server" });
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const urls = new Map();
  const files = new Map();
  cdp.on("Network.requestWillBeSent", (event) => urls.set(event.requestId, event.request.url));
  cdp.on("Network.loadingFinished", (event) => {
    const url = new URL(urls.get(event.requestId) ?? "http://x/");
    if (url.pathname.startsWith("/pkg/")) files.set(url.pathname.slice(5) + url.search, event.encodedDataLength);
  });
  const total = () => [...files.values()].reduce((sum, bytes) => sum + bytes, 0);

  await page.goto(`${server.url}/`);
  await page.locator("img[data-shoppable-mounted]").first().waitFor();
  const tagsFiles = new Map(files);
  const tags = total();

  await addFromTag(page, "coffee", 0);
  await addFromTag(page, "chelsea", 0);
  await page.locator("shoppable-checkout button.badge").click();
  const number = await buyBag(page);
  if (!/^SH-/.test(number ?? "")) throw new Error(`no order placed: ${number}`);
  await sheet(page).locator(".order-number").waitFor();
  const purchase = total();

  const row = (name, bytes) => `| ${name} | ${bytes.toLocaleString("en")} |`;
  console.log("Bytes on the wire (Chromium, gzip from the reference server, cache disabled)");
  console.log("| file | bytes |\n|---|---|");
  for (const [name, bytes] of files) console.log(row(name + (tagsFiles.has(name) ? " (before tags)" : ""), bytes));
  console.log();
  console.log("| moment | bytes | budget | ratio |\n|---|---|---|---|");
  console.log(`| before the first tags show | ${tags.toLocaleString("en")} | ${BUDGETS.tags.toLocaleString("en")} | ${(tags / BUDGETS.tags).toFixed(2)} |`);
  console.log(`| whole purchase | ${purchase.toLocaleString("en")} | ${BUDGETS.purchase.toLocaleString("en")} | ${(purchase / BUDGETS.purchase).toFixed(2)} |`);
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
