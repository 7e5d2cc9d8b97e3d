// Random exploration of the demo page, checkout included: a few seeds of a few hundred steps
// in CI (bench/soak.mjs runs the long version). A failure prints its seed and how to replay
// it: MONKEY_SEEDS=<seed> MONKEY_STEPS=<steps> node --test tests/e2e/monkey.test.js
import { test } from "node:test";
import { useServerAndBrowser } from "./support.js";
import { explore } from "./monkey.js";

const seeds = (process.env.MONKEY_SEEDS || "1,2,3").split(",").map(Number);
const steps = Number(process.env.MONKEY_STEPS || 250);
const shop = useServerAndBrowser();

for (const seed of seeds) {
  test(`seed ${seed}: ${steps} random steps over the demo page leave no page error and a consistent bag`, async () => {
    const done = await explore({ browser: shop.browser, url: `${shop.server.url}/`, origin: shop.server.url, seed, steps });
    console.log(`seed ${seed}: ${JSON.stringify(done)}`);
  });
}
