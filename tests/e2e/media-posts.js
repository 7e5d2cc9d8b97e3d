// Posts of several media (protocol 1.2) for the carousel, video and random-exploration tests:
// saved with PUT /v1/admin/posts/{id}. The video is www/images/test-pattern.webm (6 s).
import { adminRequest, page } from "./support.js";

/** A carousel: three photos, each with its tags (a link out on the first), then a video. */
export const carouselPost = {
  media: [
    {
      type: "photo",
      image: { url: "/www/images/coffee.png", width: 600, height: 400, alt: "Espresso sur sa soucoupe" },
      tags: [
        { x: 0.45, y: 0.55, product_id: "tasse-espresso" },
        { x: 0.2, y: 0.2, link: { title: "Moulin ailleurs", price: { amount: 4900, currency: "EUR" }, url: "https://other.example/moulin?ref=blog" } },
      ],
    },
    { type: "photo", image: { url: "/www/images/chelsea.png", width: 451, height: 300, alt: "Chat" }, tags: [{ x: 0.3, y: 0.9, product_id: "collier-chat" }] },
    {
      type: "photo",
      image: { url: "/www/images/astronaut.png", width: 512, height: 512, alt: "Astronaute" },
      tags: [
        { x: 0.5, y: 0.25, product_id: "casque" },
        { x: 0.5, y: 0.75, product_id: "combinaison-vol" },
      ],
    },
    {
      type: "video",
      image: { url: "/www/images/rocket.jpg", width: 320, height: 180, alt: "Mire de test" },
      video: { url: "/www/images/test-pattern.webm", captions: [{ url: "/www/images/test-pattern.vtt", language: "fr", label: "Français" }] },
      tags: [{ start: 0, end: 6, x: 0.3, y: 0.3, product_id: "navette" }],
    },
  ],
};

/** A video alone: a tag from 0 to 2 s, another from 3 to 5 s, and one listed only. */
export const videoPost = {
  media: [
    {
      type: "video",
      image: { url: "/www/images/rocket.jpg", width: 320, height: 180, alt: "Mire de test" },
      video: { url: "/www/images/test-pattern.webm" },
      tags: [
        { start: 0, end: 2, x: 0.25, y: 0.3, product_id: "cuillere" },
        { start: 3, end: 5, x: 0.7, y: 0.35, product_id: "navette" },
        { start: 0, end: 6, product_id: "falcon9" },
      ],
    },
  ],
};

/** Saves `carouselPost` as `look` and `videoPost` as `clip` on the server. */
export async function saveMediaPosts(server) {
  await adminRequest(server, "PUT", "/v1/admin/posts/look", carouselPost);
  await adminRequest(server, "PUT", "/v1/admin/posts/clip", videoPost);
}

/** The random explorer's page of media (tests/e2e/monkey.test.js, bench/soak.mjs): the carousel
 * and a video of the page, beside a photo. */
export const mediaPage = page(`<shoppable-post post="look"></shoppable-post>
<figure><img src="/www/images/coffee.png" width="600" height="400" alt="Espresso" data-shoppable-post="coffee"></figure>
<video src="/www/images/test-pattern.webm" width="320" height="180" controls muted playsinline data-shoppable-post="clip"></video>`);
