// Soak test of the widget: the random explorer of tests/e2e/monkey.js (clicks in the page
// and the shadow roots, valid and hostile typing, keys, scrolls, swipes and video seeks,
// resizes between 390 px and desktop, reloads, the checkout included) over many seeds and
// steps, on the reference server: each seed explores the demo page, then a page of a
// carousel and videos (tests/e2e/media-posts.js), `--steps` steps each. Prints one line per seed and a summary; exits non-zero if any seed broke an
// invariant (its seed and replay command are printed).
//
//   node bench/soak.mjs [--seeds 1-10] [--steps 1000]
// Needs the widget built (scripts/build-widget.sh) and the server built (cargo build -p shoppable-server).
import { parseArgs } from "node:util";
import { startServer, launchBrowser } from "../tests/e2e/support.js";
import { explore } from "../tests/e2e/monkey.js";
import { mediaPage, saveMediaPosts } from "../tests/e2e/media-posts.js";

const { values } = parseArgs({ options: {
  seeds: { type: "string", default: "1-10" },
  steps: { type: "string", default: "1000" },
} });
const seeds = values.seeds.includes("-")
  ? (([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i))(values.seeds.split("-").map(Number))
  : values.seeds.split(",").map(Number);
const steps = Number(values.steps);

const server = await startServer({ pages: { "media.html": mediaPage } });
await saveMediaPosts(server);
const browser = await launchBrowser();
let failures = 0;
const totals = {};
const started = Date.now();
for (const seed of seeds) {
  const t0 = Date.now();
  try {
    for (const page of ["", "media.html"]) {
      const done = await explore({ browser, url: `${server.url}/${page}`, origin: server.url, seed, steps });
      for (const [kind, n] of Object.entries(done)) {
        if (typeof n === "number") totals[kind] = (totals[kind] || 0) + n;
        else for (const [step, m] of Object.entries(n)) (totals[kind] ||= {})[step] = (totals[kind][step] || 0) + m;
      }
      console.log(`seed ${seed}${page ? ` (${page})` : ""}: ok in ${((Date.now() - t0) / 1000).toFixed(0)} s ${JSON.stringify(done)}`);
    }
  } catch (error) {
    failures++;
    console.log(`seed ${seed}: FAILED\n${error.message}`);
  }
}
await browser.close();
await server.stop();
console.log(`\n${seeds.length} seeds x ${steps} steps in ${((Date.now() - started) / 60000).toFixed(1)} min: ${failures} failed seeds; actions ${JSON.stringify(totals)}`);
process.exit(failures ? 1 : 0);
