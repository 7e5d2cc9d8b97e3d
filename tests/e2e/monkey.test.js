// Random exploration of the demo page, checkout included: a few seeds of a few hundred steps
// in CI (bench/soak.mjs runs the long version). A failure prints its seed and how to replay
// it: MONKEY_SEEDS=<seed> MONKEY_STEPS=<steps> node --test tests/e2e/monkey.test.js
import { test } from "node:test";
import { useServerAndBrowser } from "./support.js";
import { explore } from "./monkey.js";
import { mediaPage, saveMediaPosts } from "./media-posts.js";

const seeds = (process.env.MONKEY_SEEDS || "1,2,3").split(",").map(Number);
const steps = Number(process.env.MONKEY_STEPS || 250);
// The demo page, and a page of a carousel (3 photos and a video) and a video beside a photo.
const shop = useServerAndBrowser({ pages: { "media.html": mediaPage } });

for (const seed of seeds) {
  test(`seed ${seed}: ${steps} random steps over the demo page leave no page error and a consistent bag`, async () => {
    const done = await explore({ browser: shop.browser, url: `${shop.server.url}/`, origin: shop.server.url, seed, steps });
    console.log(`seed ${seed}: ${JSON.stringify(done)}`);
  });
}

for (const seed of seeds) {
  test(`seed ${seed}: ${steps} random steps over a carousel and videos leave no page error and a consistent bag`, async () => {
    await saveMediaPosts(shop.server);
    const url = `${shop.server.url}/media.html`;
    const done = await explore({ browser: shop.browser, url, origin: shop.server.url, seed, steps });
    console.log(`seed ${seed} (media): ${JSON.stringify(done)}`);
  });
}
