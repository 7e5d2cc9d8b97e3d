// Random exploration of the demo page, checkout included: a few seeds of a few hundred steps
// in CI (bench/soak.mjs runs the long version). A failure prints its seed and how to replay
// it: MONKEY_SEEDS=<seed> MONKEY_STEPS=<steps> node --test tests/e2e/monkey.test.js
import { test } from "node:test";
import { adminRequest, page, useServerAndBrowser } from "./support.js";
import { explore } from "./monkey.js";
import { carouselPost, videoPost } from "./media-posts.js";

const seeds = (process.env.MONKEY_SEEDS || "1,2,3").split(",").map(Number);
const steps = Number(process.env.MONKEY_STEPS || 250);
// A page of a carousel (3 photos and a video) and a video of the page, beside a photo.
const shop = useServerAndBrowser({
  pages: {
    "media.html": page(`<shoppable-post post="look"></shoppable-post>
<figure><img src="/www/images/coffee.png" width="600" height="400" alt="Espresso" data-shoppable-post="coffee"></figure>
<video src="/www/images/test-pattern.webm" width="320" height="180" controls muted playsinline data-shoppable-post="clip"></video>`),
  },
});

for (const seed of seeds) {
  test(`seed ${seed}: ${steps} random steps over the demo page leave no page error and a consistent bag`, async () => {
    const done = await explore({ browser: shop.browser, url: `${shop.server.url}/`, origin: shop.server.url, seed, steps });
    console.log(`seed ${seed}: ${JSON.stringify(done)}`);
  });
}

for (const seed of seeds) {
  test(`seed ${seed}: ${steps} random steps over a carousel and videos leave no page error and a consistent bag`, async () => {
    await adminRequest(shop.server, "PUT", "/v1/admin/posts/look", carouselPost);
    await adminRequest(shop.server, "PUT", "/v1/admin/posts/clip", videoPost);
    const url = `${shop.server.url}/media.html`;
    const done = await explore({ browser: shop.browser, url, origin: shop.server.url, seed, steps });
    console.log(`seed ${seed} (media): ${JSON.stringify(done)}`);
  });
}
