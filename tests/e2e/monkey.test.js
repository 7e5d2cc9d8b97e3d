// Random exploration of the demo page, checkout included: a few seeds of a few hundred steps
// in CI (bench/soak.mjs runs the long version). A failure prints its seed and how to replay
// it: MONKEY_SEEDS=<seed> MONKEY_STEPS=<steps> node --test tests/e2e/monkey.test.js
import { test, before, after } from "node:test";
import { startServer, launchBrowser } from "./support.js";
import { explore } from "./monkey.js";

const seeds = (process.env.MONKEY_SEEDS || "1,2,3").split(",").map(Number);
const steps = Number(process.env.MONKEY_STEPS || 250);
let server, browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const seed of seeds) {
  test(`seed ${seed}: ${steps} random steps over the demo page leave no page error and a consistent bag`, async () => {
    const done = await explore({ browser, url: `${server.url}/`, origin: server.url, seed, steps });
    console.log(`seed ${seed}: ${JSON.stringify(done)}`);
  });
}
