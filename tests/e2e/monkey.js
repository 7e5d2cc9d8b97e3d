// A seeded random explorer of the demo page ("monkey"): clicks at whatever is clickable in
// the page and in the widget's shadow roots, types valid and hostile text, presses keys,
// scrolls, swipes carousels, plays and seeks videos, resizes between a 390 px phone and a
// desktop, and reloads, checking along the way
// that nothing broke: no page error, no injected script ran, the bag and the orders stay
// consistent. The same seed replays the same choices (timings may still differ).
// Used by tests/e2e/monkey.test.js (a short run in CI) and bench/soak.mjs (the long one).
import assert from "node:assert/strict";
import { paymentFrame, watchErrors } from "./support.js";

/** mulberry32: a small, fast PRNG whose whole state is one 32-bit seed. */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VIEWPORTS = [[390, 844], [430, 932], [768, 1024], [1280, 900], [1440, 960]];
const KEYS = ["Tab", "Shift+Tab", "Enter", " ", "Escape", "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Backspace"];
// What a shopper would type in each kind of field, so that random walks reach the order.
const VALID = {
  name: ["Camille Martin", "Zoë O'Brien-Laurent"],
  email: ["camille@example.com", "zoe+shop@example.org"],
  tel: ["+33 6 12 34 56 78"],
  "address-line1": ["12 rue des Lilas"],
  "address-line2": ["Bâtiment B"],
  "postal-code": ["75011", "69002"],
  "address-level2": ["Paris", "Lyon"],
  "cc-number": ["4242 4242 4242 4242", "4000 0000 0000 0002", "4242424242424241"],
  "cc-exp": ["12/30", "01/20", "13/99"],
  "cc-csc": ["123", "12"],
};
// Text that must come out as text: never run, never break the layout or the JSON.
const HOSTILE = [
  '<img src=x onerror="window.__monkeyInjected=1">',
  '"><script>window.__monkeyInjected=1</script>',
  "javascript:window.__monkeyInjected=1",
  "{{constructor.constructor('window.__monkeyInjected=1')()}}",
  "' OR 1=1; --",
  "𝕊𝕙𝕠𝕡 🛍️ العربية \u202eRTL",
  "\u0000\u0001\u001f",
  "%00%2e%2e/%2e%2e/etc/passwd",
  "a".repeat(3000),
  "-1e309",
];

/** Installed in the page before its scripts: finds what a shopper can act on. */
function pageHelpers() {
  const SELECTOR = 'button, input, select, textarea, summary, label, [role="button"], [tabindex], img[data-shoppable-mounted], video[data-shoppable-mounted]';
  const visible = (el) => {
    const rect = el.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0 && el.getClientRects().length > 0 && !el.closest("[hidden]");
  };
  // Links are left out: they leave the page (or the machine).
  const all = () => {
    const found = [];
    const visit = (root) => {
      for (const el of root.querySelectorAll("*")) {
        if (el.matches(SELECTOR) && !el.disabled && visible(el)) found.push(el);
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    visit(document);
    return found;
  };
  window.__monkey = {
    /** The open sheet's main button (Continue, Place order), if any: a shopper going forward. */
    forward() {
      const button = document.querySelector("shoppable-checkout")?.shadowRoot?.querySelector("dialog[open] button.primary:not([disabled]):not([hidden])");
      if (!button || !visible(button)) return null;
      button.scrollIntoView({ block: "center" });
      const rect = button.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2, label: `forward "${button.textContent.trim()}"` };
    },
    count: (fields) => all().filter((el) => !fields || el.matches("input:not([type=checkbox]):not([type=radio]), textarea")).length,
    /** A point to start a swipe from on a carousel, if the page has one. */
    carousel(index) {
      const carousels = [...document.querySelectorAll("shoppable-carousel")].filter(visible);
      const carousel = carousels[index % Math.max(1, carousels.length)];
      if (!carousel) return null;
      carousel.scrollIntoView({ block: "center" });
      const rect = carousel.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 3, width: rect.width };
    },
    /** Seeks the page's videos to `fraction` of their length (a shopper scrubbing). */
    seek(fraction) {
      for (const video of document.querySelectorAll("video[data-shoppable-mounted]")) {
        if (video.duration) video.currentTime = video.duration * fraction;
      }
    },
    /** Scrolls candidate `index` into view; returns a point inside it, its label and its autocomplete kind. */
    aim(index, fields, fx, fy) {
      const list = all().filter((el) => !fields || el.matches("input:not([type=checkbox]):not([type=radio]), textarea"));
      const el = list[index];
      if (!el) return null;
      el.scrollIntoView({ block: "center", inline: "center" });
      const rect = el.getBoundingClientRect();
      if (fields) el.focus();
      const label = `${el.localName}${el.className ? "." + String(el.className).trim().split(/\s+/).join(".") : ""}` +
        ` "${(el.getAttribute("aria-label") || el.textContent || el.id || "").trim().slice(0, 30)}"`;
      return { x: rect.left + rect.width * fx, y: rect.top + rect.height * fy, label, kind: el.getAttribute("autocomplete") || "" };
    },
  };
}

/** The page's state as the invariants need it. */
function snapshot(origin) {
  const parse = (key, fallback) => { try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch { return "unreadable"; } };
  const checkout = document.querySelectorAll("shoppable-checkout");
  const badge = checkout[0]?.shadowRoot?.querySelector("button.badge");
  const images = [...document.querySelectorAll("[data-shoppable-mounted]")];
  return {
    bag: parse(`shoppable:bag:${origin}`, { lines: [] }),
    orders: parse(`shoppable:orders:${origin}`, []),
    checkoutElements: checkout.length,
    badge: badge && !badge.hidden ? badge.getAttribute("aria-label") : null,
    injected: window.__monkeyInjected ?? null,
    // An image (or video) with two widget hosts before it was mounted twice, and so was a post
    // with two carousels.
    doubleMounts: images.filter((img) => img.previousElementSibling?.localName === "shoppable-tags"
      && img.previousElementSibling.previousElementSibling?.localName === "shoppable-tags").length
      + [...document.querySelectorAll("shoppable-post")].filter((post) => post.querySelectorAll(":scope > shoppable-carousel").length > 1).length,
  };
}

/**
 * Explores `url` in a fresh browser context for `steps` steps chosen by `seed`, and checks
 * the invariants every `checkEvery` steps and at the end. Throws (with the seed, the step
 * and the last actions) on the first broken one; resolves to counts of what it did.
 */
export async function explore({ browser, url, origin, seed, steps, checkEvery = 25 }) {
  const rng = random(seed);
  const pick = (list) => list[Math.floor(rng() * list.length)];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  // Links that open a tab (a product's page) lead off the machine: close those tabs.
  context.on("page", (opened) => { if (opened !== page) opened.close().catch(() => {}); });
  await page.addInitScript(pageHelpers);
  const errors = watchErrors(page);
  const log = [];
  const done = { click: 0, type: 0, key: 0, scroll: 0, swipe: 0, seek: 0, resize: 0, reload: 0, checks: 0, sheetSteps: {}, orders: 0 };
  const fail = (step, message) => {
    throw new Error(`monkey seed=${seed} step=${step}: ${message}\nreplay: MONKEY_SEEDS=${seed} MONKEY_STEPS=${steps} node --test tests/e2e/monkey.test.js\nlast actions:\n  ${log.slice(-15).join("\n  ")}`);
  };

  const check = async (step) => {
    done.checks++;
    if (errors.length) fail(step, `page errors:\n  ${errors.join("\n  ")}`);
    let state = await page.evaluate(snapshot, origin).catch(() => null); // null: the page is navigating
    if (!state) return;
    if (state.injected !== null) fail(step, "hostile text ran as code");
    if (state.checkoutElements > 1) fail(step, `${state.checkoutElements} checkout elements`);
    if (state.doubleMounts) fail(step, `${state.doubleMounts} images have two widgets`);
    const lines = state.bag.lines;
    if (!Array.isArray(lines)) fail(step, `the stored bag is unreadable: ${JSON.stringify(state.bag)}`);
    const ids = new Set(lines.map((l) => l.variant_id));
    if (ids.size !== lines.length) fail(step, `a variant appears twice in the bag: ${JSON.stringify(lines)}`);
    if (lines.some((l) => !(l.quantity >= 1 && l.quantity <= 99))) fail(step, `bad quantity in the bag: ${JSON.stringify(lines)}`);
    // The badge follows the bag (it may lag by a render).
    const units = lines.reduce((sum, l) => sum + l.quantity, 0);
    if (units && state.badge !== null) {
      const agrees = await page.waitForFunction((n) => {
        const label = document.querySelector("shoppable-checkout")?.shadowRoot?.querySelector("button.badge")?.getAttribute("aria-label") || "";
        return new RegExp(`\\b${n}\\b`).test(label);
      }, units, { timeout: 3000 }).then(() => true, () => false);
      state = await page.evaluate(snapshot, origin).catch(() => state);
      const nowUnits = state.bag.lines.reduce((sum, l) => sum + l.quantity, 0);
      if (!agrees && nowUnits === units) fail(step, `the badge says "${state.badge}" for ${units} units in the bag`);
    }
    // Every order the browser remembers exists at the shop, as remembered.
    for (const saved of state.orders) {
      const response = await fetch(`${origin}/v1/orders/${encodeURIComponent(saved.id)}`, { headers: { "Order-Secret": saved.secret } });
      if (response.status !== 200) fail(step, `order ${saved.number} answers ${response.status}`);
      const order = await response.json();
      if (order.number !== saved.number || order.total.amount !== saved.total.amount) fail(step, `order ${saved.number} differs from the shop's`);
    }
  };

  await page.goto(url);
  for (let step = 1; step <= steps; step++) {
    let roll = rng();
    try {
      // The payment provider's frame counts as a place to type in (autofill fills it).
      const fields = await page.evaluate(() => window.__monkey?.count(true) ?? 0)
        + await page.locator("shoppable-checkout iframe.payment-frame:visible").count();
      // Typing where there is nothing to type in is a click instead.
      if (roll >= 0.5 && roll < 0.72 && !fields) roll = roll - 0.5;
      if (roll < 0.5) {
        const count = await page.evaluate(() => window.__monkey?.count(false) ?? 0);
        const forward = rng() < 0.25 ? await page.evaluate(() => window.__monkey?.forward()) : null;
        if (forward) {
          log.push(`${step} click ${forward.label}`);
          await page.mouse.click(forward.x, forward.y);
          done.click++;
        } else if (count) {
          const aimed = await page.evaluate(([i, fx, fy]) => window.__monkey.aim(i, false, fx, fy), [Math.floor(rng() * count), 0.2 + rng() * 0.6, 0.2 + rng() * 0.6]);
          if (aimed) {
            log.push(`${step} click ${aimed.label}`);
            await page.mouse.click(aimed.x, aimed.y);
            done.click++;
          }
        }
      } else if (roll < 0.72 && rng() < 0.3) {
        // The browser's autofill: every field of the step at once, with valid values.
        const filled = [];
        for (let i = 0; i < fields; i++) {
          const aimed = await page.evaluate(([i]) => window.__monkey.aim(i, true, 0.5, 0.5), [i]);
          if (!aimed || !VALID[aimed.kind]) continue;
          await page.keyboard.press("ControlOrMeta+A");
          await page.keyboard.insertText(pick(VALID[aimed.kind]));
          filled.push(aimed.kind);
        }
        // The card form lives in the payment provider's frame, which autofill fills too.
        if (await page.locator("shoppable-checkout iframe.payment-frame:visible").count()) {
          for (const kind of ["cc-number", "cc-exp", "cc-csc"]) {
            const field = paymentFrame(page).locator(`input[autocomplete="${kind}"]:visible`);
            if (await field.count()) {
              await field.fill(pick(VALID[kind]), { timeout: 2000 });
              filled.push(`frame ${kind}`);
            }
          }
        }
        log.push(`${step} autofill ${filled.join(", ")}`);
        done.type++;
      } else if (roll < 0.72) {
        const valid = rng() < 0.65;
        if (fields) {
          const aimed = await page.evaluate(([i]) => window.__monkey.aim(i, true, 0.5, 0.5), [Math.floor(rng() * fields)]);
          const text = aimed && valid && VALID[aimed.kind] ? pick(VALID[aimed.kind]) : pick(HOSTILE);
          if (aimed) {
            log.push(`${step} type ${JSON.stringify(text.slice(0, 40))} into ${aimed.label}`);
            await page.keyboard.press("ControlOrMeta+A");
            await page.keyboard.insertText(text);
            done.type++;
          }
        }
      } else if (roll < 0.86) {
        const key = pick(KEYS);
        log.push(`${step} key ${key}`);
        await page.keyboard.press(key);
        done.key++;
      } else if (roll < 0.92 && rng() < 0.4) {
        // A swipe over a carousel (mouse drag), or a video scrubbed, where the page has them.
        const from = await page.evaluate((i) => window.__monkey.carousel(i), Math.floor(rng() * 4));
        const dx = Math.round((rng() - 0.5) * 2 * (from?.width ?? 300));
        if (from && rng() < 0.6) {
          log.push(`${step} swipe ${dx}`);
          await page.mouse.move(from.x, from.y);
          await page.mouse.down();
          await page.mouse.move(from.x + dx / 2, from.y, { steps: 3 });
          await page.mouse.move(from.x + dx, from.y + 4, { steps: 3 });
          await page.mouse.up();
          done.swipe++;
        } else {
          const fraction = rng();
          log.push(`${step} seek videos to ${fraction.toFixed(2)}`);
          await page.evaluate((f) => window.__monkey.seek(f), fraction);
          done.seek++;
        }
      } else if (roll < 0.92) {
        const dy = Math.round((rng() - 0.5) * 1600);
        log.push(`${step} scroll ${dy}`);
        await page.mouse.wheel(0, dy);
        done.scroll++;
      } else if (roll < 0.985) {
        const [width, height] = pick(VIEWPORTS);
        log.push(`${step} resize ${width}x${height}`);
        await page.setViewportSize({ width, height });
        done.resize++;
      } else {
        log.push(`${step} reload`);
        await page.reload();
        done.reload++;
      }
    } catch (error) {
      // An action may race the page (an element gone, a navigation): that is the page's
      // business, not a failure, as long as the invariants hold.
      log.push(`${step}   (action did not complete: ${String(error.message).split("\n")[0]})`);
    }
    await page.waitForTimeout(20 + Math.floor(rng() * 60));
    // A key press on a focused link may leave the demo page: come back to it.
    if (page.url().split("#")[0] !== url) {
      log.push(`${step}   (left for ${page.url()}: back to the demo)`);
      await page.goto(url).catch(() => {});
    }
    const shown = await page.evaluate(() => document.querySelector("shoppable-checkout")?.getAttribute("data-step")).catch(() => null);
    if (shown) done.sheetSteps[shown] = (done.sheetSteps[shown] || 0) + 1;
    if (step % checkEvery === 0 || step === steps) await check(step);
  }
  done.orders = (await page.evaluate(snapshot, origin)).orders.length;
  await context.close();
  return done;
}
