// The demo blog's language switch: `?lang=en` (`de`, `es`, `it`) shows the page in that
// language and tells the widget (through the loader's data-locale, read when the deferred
// loader runs after this script).
// French is written in index.html itself, so the page reads well without scripts.
(function () {
  "use strict";
  var TEXTS = {
    en: {
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
      "credits-licence": "(CC0 and public domain).",
      "page-title": "Shoppable — demo"
    },
    de: {
      "sections-label": "Rubriken",
      "language-label": "Sprache",
      cooking: "Kochen",
      travel: "Reisen",
      home: "Wohnen",
      editor: "Tag-Editor",
      console: "Shop-Konsole",
      kicker: "Shoppable-Demo",
      title: "Meine Lieblingsstücke diesen Monat",
      byline: "Von Camille · 22. November · 4 Min. Lesezeit",
      lede: "Tippen Sie auf ein Foto, um seine Produkte zu sehen, dann auf einen Tag, um die Produktkarte zu öffnen und zu kaufen, ohne die Seite zu verlassen.",
      "backend-title": "Fotos, mit einem Shop verbunden",
      "backend-intro": "Der Morgenkaffee, Chelseas Lieblingskissen, ein Fliegeranzug und ein Start in der Dämmerung: Jedes Foto kommt aus dem Shop, mit aktuellen Preisen und Beständen.",
      "coffee-alt": "Rote Espressotasse auf ihrer Untertasse, daneben ein Löffel, auf einem Holztisch",
      coffee: "Morgenkaffee",
      "chelsea-alt": "Nahaufnahme einer getigerten Katze mit grünen Augen",
      "astronaut-alt": "Lächelnder Astronaut in einem orangefarbenen Fliegeranzug",
      astronaut: "Fliegeranzug",
      "rocket-alt": "Eine Falcon-9-Rakete startet in einen blauen Himmel",
      rocket: "Abheben",
      "static-title": "Statischer Modus, ohne Shop",
      "static-intro": "Tags und Links stehen in der Seite selbst: ideal für einen Blog und Affiliate-Links.",
      "static-alt": "Dieselbe Tasse, ohne Shop getaggt",
      "static-caption": "Eine Tasse und ihr Löffel, externe Links",
      "element-title": "Custom Element",
      "element-intro": "zeigt das Foto des Beitrags und seine Tags.",
      credits: "Fotos: siehe",
      "credits-link": "die Bildnachweise",
      "credits-licence": "(CC0 und gemeinfrei).",
      "page-title": "Shoppable — Demo"
    },
    es: {
      "sections-label": "Secciones",
      "language-label": "Idioma",
      cooking: "Cocina",
      travel: "Viajes",
      home: "Hogar",
      editor: "Editor de etiquetas",
      console: "Consola de la tienda",
      kicker: "Demo de Shoppable",
      title: "Mis cosas favoritas de este mes",
      byline: "Por Camille · 22 de noviembre · 4 min de lectura",
      lede: "Toca una foto para ver sus productos y luego una etiqueta para abrir la ficha del producto y comprar sin salir de la página.",
      "backend-title": "Fotos conectadas a una tienda",
      "backend-intro": "El café de la mañana, el cojín favorito de Chelsea, un traje de vuelo y un lanzamiento al atardecer: cada foto viene de la tienda, con sus precios y su stock actuales.",
      "coffee-alt": "Taza de espresso roja sobre su platillo, con una cucharilla al lado, en una mesa de madera",
      coffee: "Café de la mañana",
      "chelsea-alt": "Primer plano de un gato atigrado de ojos verdes",
      "astronaut-alt": "Astronauta sonriente con un traje de vuelo naranja",
      astronaut: "Traje de vuelo",
      "rocket-alt": "Un cohete Falcon 9 despegando hacia un cielo azul",
      rocket: "Despegue",
      "static-title": "Modo estático, sin tienda",
      "static-intro": "Las etiquetas y los enlaces están escritos en la página: ideal para un blog y enlaces de afiliado.",
      "static-alt": "La misma taza, etiquetada sin tienda",
      "static-caption": "Una taza y su cucharilla, enlaces externos",
      "element-title": "Elemento personalizado",
      "element-intro": "muestra la foto de la publicación y sus etiquetas.",
      credits: "Fotos: consulta",
      "credits-link": "los créditos",
      "credits-licence": "(CC0 y dominio público).",
      "page-title": "Shoppable — demo"
    },
    it: {
      "sections-label": "Sezioni",
      "language-label": "Lingua",
      cooking: "Cucina",
      travel: "Viaggi",
      home: "Casa",
      editor: "Editor dei tag",
      console: "Console del negozio",
      kicker: "Demo di Shoppable",
      title: "Le mie cose preferite di questo mese",
      byline: "Di Camille · 22 novembre · 4 min di lettura",
      lede: "Tocca una foto per vedere i suoi prodotti, poi un tag per aprire la scheda del prodotto e acquistare senza lasciare la pagina.",
      "backend-title": "Foto collegate a un negozio",
      "backend-intro": "Il caffè del mattino, il cuscino preferito di Chelsea, una tuta di volo e un lancio al tramonto: ogni foto viene dal negozio, con prezzi e scorte aggiornati.",
      "coffee-alt": "Tazzina da espresso rossa sul suo piattino, con un cucchiaino accanto, su un tavolo di legno",
      coffee: "Caffè del mattino",
      "chelsea-alt": "Primo piano di un gatto tigrato dagli occhi verdi",
      "astronaut-alt": "Astronauta sorridente in una tuta di volo arancione",
      astronaut: "Tuta di volo",
      "rocket-alt": "Un razzo Falcon 9 che decolla in un cielo azzurro",
      rocket: "Decollo",
      "static-title": "Modalità statica, senza negozio",
      "static-intro": "I tag e i link sono scritti nella pagina: ideale per un blog e i link di affiliazione.",
      "static-alt": "La stessa tazzina, taggata senza negozio",
      "static-caption": "Una tazzina e il suo cucchiaino, link esterni",
      "element-title": "Elemento personalizzato",
      "element-intro": "mostra la foto del post e i suoi tag.",
      credits: "Foto: vedi",
      "credits-link": "i crediti",
      "credits-licence": "(CC0 e pubblico dominio).",
      "page-title": "Shoppable — demo"
    }
  };
  var LOCALES = { fr: "fr-FR", en: "en-GB", de: "de-DE", es: "es-ES", it: "it-IT" };
  var lang = new URLSearchParams(location.search).get("lang");
  if (!Object.prototype.hasOwnProperty.call(LOCALES, lang)) lang = "fr";

  var loader = document.querySelector('script[src$="/shoppable.js"]');
  if (loader) loader.dataset.locale = LOCALES[lang];
  document.querySelectorAll(".languages a").forEach(function (link) {
    if (link.hreflang === lang) link.setAttribute("aria-current", "page");
  });
  // The shop's console, and its tag editor, speak the same language.
  document.querySelectorAll('a[href^="/console/"]').forEach(function (link) {
    var url = new URL(link.getAttribute("href"), location.href);
    url.searchParams.set("lang", lang);
    link.setAttribute("href", url.pathname + url.search + url.hash);
  });
  if (lang === "fr") return;

  document.documentElement.lang = lang;
  var texts = TEXTS[lang];
  document.title = texts["page-title"];
  document.querySelectorAll("[data-text]").forEach(function (element) {
    var text = texts[element.dataset.text];
    if (element.tagName === "NAV") element.setAttribute("aria-label", text);
    else element.textContent = text;
  });
  document.querySelectorAll("[data-alt]").forEach(function (image) {
    image.alt = texts[image.dataset.alt];
  });
})();
