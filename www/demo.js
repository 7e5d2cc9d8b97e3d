// The demo blog's language switch: `?lang=en` shows the page in English and tells the widget
// (through the loader's data-locale, read when the deferred loader runs after this script).
// French is written in index.html itself, so the page reads well without scripts.
(function () {
  "use strict";
  var english = {
    "sections-label": "Sections",
    "language-label": "Language",
    cooking: "Cooking",
    travel: "Travel",
    home: "Home",
    editor: "Tag editor",
    console: "Shop console",
    kicker: "Shoppable demo",
    title: "My favourite things this month",
    byline: "By Camille · 22 November · 4 min read",
    lede: "Tap a photo to see its products, then a tag to open the product card and buy without leaving the page.",
    "backend-title": "Photos linked to a shop",
    "backend-intro": "The morning coffee, Chelsea's favourite cushion, a flight suit and a launch at dusk: each photo comes from the shop, with its current prices and stock.",
    "coffee-alt": "Red espresso cup on its saucer, a spoon beside it, on a wooden table",
    coffee: "Morning coffee",
    "chelsea-alt": "Close-up of a green-eyed tabby cat",
    "astronaut-alt": "Smiling astronaut in an orange flight suit",
    astronaut: "Flight suit",
    "rocket-alt": "A Falcon 9 rocket launching into a blue sky",
    rocket: "Lift-off",
    "static-title": "Static mode, no shop",
    "static-intro": "The tags and links are written in the page: ideal for a blog and affiliate links.",
    "static-alt": "The same cup, tagged without a shop",
    "static-caption": "A cup and its spoon, outbound links",
    "element-title": "Custom element",
    "element-intro": "shows the post's photo and its tags.",
    credits: "Photos: see",
    "credits-link": "the credits",
    "credits-licence": "(CC0 and public domain)."
  };
  var LOCALES = { fr: "fr-FR", en: "en-GB" };
  var lang = new URLSearchParams(location.search).get("lang");
  if (!Object.prototype.hasOwnProperty.call(LOCALES, lang)) lang = "fr";

  var loader = document.querySelector('script[src$="/shoppable.js"]');
  if (loader) loader.dataset.locale = LOCALES[lang];
  document.querySelectorAll(".languages a").forEach(function (link) {
    if (link.hreflang === lang) link.setAttribute("aria-current", "page");
  });
  // The shop's console speaks the same language.
  document.querySelectorAll('a[href="/console/"]').forEach(function (link) {
    link.href = "/console/?lang=" + lang;
  });
  if (lang === "fr") return;

  document.documentElement.lang = lang;
  document.title = "Shoppable — demo";
  document.querySelectorAll("[data-text]").forEach(function (element) {
    var text = english[element.dataset.text];
    if (element.tagName === "NAV") element.setAttribute("aria-label", text);
    else element.textContent = text;
  });
  document.querySelectorAll("[data-alt]").forEach(function (image) {
    image.alt = english[image.dataset.alt];
  });
})();
