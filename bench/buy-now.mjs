// Browser benchmark: time from a click on "Buy now" in a product card to the checkout sheet
// being interactive (dialog open, first field focusable), on the demo page of the reference
// server. The checkout is a lazy chunk of the widget that starts loading when the card opens: the
// click comes at once (worst case) or after reading the card for a second. Several runs,
// medians; with CPU throttling too.
//
//   node bench/buy-now.mjs [--runs 7] [--throttle 1,4] [--read-ms 0,1000]
// Needs the widget built (scripts/build-widget.sh) and the server built as in production
// (cargo build --profile server -p shoppable-server).
import { parseArgs } from "node:util";
import { startServer, launchBrowser } from "../tests/e2e/support.js";

const { values } = parseArgs({ options: {
  runs: { type: "string", default: "7" },
  throttle: { type: "string", default: "1,4" },
  "read-ms": { type: "string", default: "0,1000" },
} });
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const server = await startServer({ profile: "server" });
const browser = await launchBrowser();
const rows = [];
try {
  for (const throttle of values.throttle.split(",").map(Number)) for (const readMs of values["read-ms"].split(",").map(Number)) {
    const samples = [];
    for (let run = 0; run < Number(values.runs); run++) {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      await (await context.newCDPSession(page)).send("Emulation.setCPUThrottlingRate", { rate: throttle });
      await page.goto(`${server.url}/`);
      const figure = page.locator('figure:has(img[data-shoppable-post="coffee"])');
      await figure.locator("img[data-shoppable-mounted]").waitFor();
      await figure.locator("img").click({ position: { x: 5, y: 5 } });
      await figure.locator("shoppable-tags button.tag").first().click();
      const buy = figure.locator('button[part="buy-now"]');
      await buy.waitFor();
      await page.waitForTimeout(readMs);
      // Measured inside the page: from the click event to the frame where the sheet's first
      // field is in an open dialog.
      await page.evaluate(() => {
        window.__sheet = new Promise((resolve) => {
          document.addEventListener("click", () => {
            const start = performance.now();
            const check = () => {
              const root = document.querySelector("shoppable-checkout")?.shadowRoot;
              const field = root?.querySelector("dialog[open] input");
              if (field) resolve(performance.now() - start);
              else requestAnimationFrame(check);
            };
            check();
          }, { capture: true, once: true });
        });
      });
      await buy.click();
      samples.push(await page.evaluate(() => window.__sheet));
      await context.close();
    }
    rows.push({ throttle, readMs, ms: median(samples), min: Math.min(...samples), max: Math.max(...samples) });
  }
} finally {
  await browser.close();
  await server.stop();
}
console.log(`"Buy now" to interactive checkout sheet, ${values.runs} runs each`);
console.log("| CPU throttle | card read for | median | min | max |");
console.log("|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.throttle}x | ${r.readMs} ms | ${r.ms.toFixed(0)} ms | ${r.min.toFixed(0)} ms | ${r.max.toFixed(0)} ms |`);
