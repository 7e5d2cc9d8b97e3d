// Shoppable tag editor: place product tags on a photo, preview them with the real widget,
// save them to a backend as a post or export a static snippet.
//
// Plain ES module with no build step, so the page works from any static host that also
// serves pkg/. The protocol's rules (post ids, prices, links, tag limits) come from the
// `rules` crate's wasm module, the same Rust functions the server checks with. One `state`
// object holds everything; event handlers change it through small functions and call
// `render()`, which writes the DOM from the state.
import initRules, { isPostId, isSafeLink, isWebAddress, majorUnits, maxTags, moneyText as rustMoneyText, readPrice } from "../pkg/rules.js";

await initRules({ module_or_path: new URL("../pkg/rules_bg.wasm", import.meta.url) });

/** The reference server refuses more (docs/PROTOCOL.md, "Limits"); Instagram has the same. */
export const MAX_TAGS = maxTags();
/** Arrow keys move a tag by 1 % of the photo, Shift + arrow by 10 %. */
const NUDGE = 0.01;
const BIG_NUDGE = 0.1;
const TOKEN_KEY = "shoppable-editor:admin-token";
const SETTINGS_KEY = "shoppable-editor:settings";
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"];
/** Stands for the address of a photo opened from the computer, in exported snippets. */
export const PLACEHOLDER_SRC = "REPLACE-WITH-THE-PUBLIC-URL-OF-YOUR-PHOTO";

// ---------------------------------------------------------------------------------------
// Texts. Every visible string exists in both languages (a test checks the keys match).

export const TEXT = {
  fr: {
    page_title: "Shoppable — éditeur de repères",
    title: "Éditeur de repères",
    language: "Langue",
    undo: "Défaire",
    setup: "Connexion",
    api_url: "Adresse de la boutique (backend)",
    api_hint: "Laissez vide pour le mode statique, sans boutique.",
    api_none: "Mode statique : pas de boutique, les repères sont des liens sortants.",
    api_checking: "Connexion à la boutique…",
    api_ok: "Connecté à « {name} ».",
    api_down: "Aucune boutique ne répond à cette adresse : mode statique seulement.",
    advanced: "Réglages avancés",
    widget_url: "Adresse du widget (shoppable.js)",
    widget_hint: "Pris en compte au prochain chargement de la page.",
    forget_token: "Oublier le jeton d'administration",
    token_forgotten: "Le jeton d'administration est oublié.",
    image: "Photo",
    image_file: "Ouvrir une photo de l'ordinateur",
    image_url: "Adresse publique de la photo",
    image_load: "Ouvrir",
    image_url_hint: "Une adresse http(s) ou un chemin du site. Nécessaire pour enregistrer dans la boutique.",
    image_alt: "Description de la photo (texte alternatif)",
    image_opened: "Photo ouverte ({width} × {height} pixels).",
    image_from_file: "Photo ouverte depuis l'ordinateur : elle sera envoyée à la boutique à l'enregistrement. Vous pouvez aussi indiquer ici son adresse publique ; dans le code statique, remplacez l'adresse provisoire.",
    image_bad_type: "Ce fichier n'est pas une photo PNG, JPEG, WebP ou GIF.",
    image_bad_url: "Indiquez une adresse http(s) ou un chemin du site (pas « javascript: » ni « data: »).",
    image_not_loaded: "La photo n'a pas pu être chargée depuis cette adresse.",
    image_missing: "Ouvrez d'abord une photo.",
    image_needs_url: "Cette boutique n'accepte pas l'envoi de photos : indiquez l'adresse publique de la photo pour l'enregistrer.",
    uploading: "Envoi de la photo à la boutique…",
    uploaded: "Photo envoyée à la boutique.",
    upload_refused: "La boutique refuse la photo : {message}. Rien n'a été enregistré.",
    post: "Publication",
    post_id: "Identifiant de la publication",
    post_id_hint: "Lettres, chiffres, « - », « _ » ou « . » (100 au plus).",
    post_id_bad: "L'identifiant a de 1 à 100 lettres, chiffres, « - », « _ » ou « . ».",
    post_open: "Rouvrir",
    post_opened: "Publication « {id} » ouverte : {tags}.",
    post_not_found: "Aucune publication « {id} » dans la boutique.",
    save: "Enregistrer dans la boutique",
    saving: "Enregistrement…",
    saved: "Publication « {id} » enregistrée avec {tags}.",
    no_backend: "Aucune boutique n'est indiquée : renseignez son adresse, ou exportez le code statique.",
    unreachable: "La boutique ne répond pas. Rien n'a été enregistré.",
    token_needed: "Il faut le jeton d'administration pour enregistrer. Rien n'a été enregistré.",
    token_refused: "La boutique refuse ce jeton d'administration ({message}). Rien n'a été enregistré.",
    server_refused: "La boutique refuse : {message}. Rien n'a été enregistré.",
    tag_server_refused: "Repère {n} refusé par la boutique : {message}.",
    tags_too_many: "Une photo a au plus {max} repères.",
    tag_is_link: "Le repère {n} est un lien sortant : la boutique n'enregistre que des produits de son catalogue. Choisissez-en un, ou exportez le code statique.",
    tag_no_product: "Le repère {n} n'a pas encore de produit.",
    tags: "Repères",
    stage_help: "Cliquez sur la photo pour placer un repère, faites-le glisser pour le déplacer. Au clavier : flèches pour déplacer (Maj + flèche : plus loin), Suppr pour retirer.",
    drop_here: "Déposez une photo ici, ou ouvrez-en une à gauche.",
    add_tag: "Ajouter un repère au centre",
    tag_added: "Repère {n} placé.",
    tag_removed: "Repère {n} retiré.",
    tag_moved: "Repère {n} : {x} %, {y} %.",
    tag_label: "Repère {n} : {name}, à {x} % de la gauche et {y} % du haut",
    tag_unnamed: "sans produit",
    tag_select: "Modifier le repère {n}",
    tag_up: "Monter le repère {n}",
    tag_down: "Descendre le repère {n}",
    tag_delete: "Retirer le repère {n}",
    up: "Monter",
    down: "Descendre",
    delete: "Retirer",
    no_tags: "Aucun repère pour l'instant.",
    inspector: "Repère {n}",
    kind: "Produit",
    kind_catalog: "du catalogue de la boutique",
    kind_link: "lien sortant (mode statique)",
    catalog_chosen: "Produit choisi : {title}, {price}",
    catalog_none: "Aucun produit choisi.",
    search: "Chercher un produit",
    search_none: "Aucun produit ne correspond.",
    search_failed: "La recherche a échoué : la boutique ne répond pas.",
    search_no_backend: "Pas de boutique connectée : décrivez plutôt un lien sortant.",
    search_pick: "Choisir {title}, {price}",
    product_picked: "Repère {n} : {title}.",
    link_title: "Nom du produit",
    link_price: "Prix (montant, espace, devise : 49.00 EUR)",
    link_url: "Adresse du produit (http ou https)",
    title_missing: "Indiquez le nom du produit.",
    price_malformed: "Écrivez le prix avec un point et le code de la devise, par exemple « 49.00 EUR » (pas « {value} »).",
    price_too_precise: "Trop de décimales pour {currency} : {digits} au plus.",
    price_too_large: "Ce prix est trop grand (« {value} »).",
    url_bad: "Seules les adresses http:// et https:// complètes sont acceptées.",
    undone: "Dernière modification défaite.",
    nothing_to_undo: "Rien à défaire.",
    preview: "Aperçu avec le widget",
    preview_hint: "Touchez la photo pour voir les repères, comme vos lecteurs.",
    preview_empty: "L'aperçu apparaît quand la photo a un repère complet.",
    preview_failed: "Le widget n'a pas pu être chargé depuis {url}.",
    export: "Code à coller",
    snippet_kind: "Type",
    snippet_static: "statique (repères dans la page)",
    snippet_post: "publication de la boutique",
    snippet: "Code HTML",
    snippet_placeholder: "Remplacez {placeholder} par l'adresse publique de la photo « {file} ».",
    snippet_comment: "Remplacez {placeholder} par l'adresse publique de {file}",
    snippet_left_out: "Pas dans le code (repère incomplet ou sans page produit valide) : {list}.",
    tag_one: "repère",
    tag_many: "repères",
    snippet_needs_post: "Pour ce type, indiquez la boutique et l'identifiant de la publication, puis enregistrez-la.",
    snippet_ok: "Collez ce code dans votre page.",
    copy: "Copier le code",
    copied: "Code copié.",
    copy_failed: "La copie a échoué : sélectionnez le code et copiez-le à la main.",
    token_title: "Jeton d'administration",
    token_label: "Jeton (gardé jusqu'à la fermeture de l'onglet)",
    cancel: "Annuler",
    token_ok: "Enregistrer",
    unsaved: "Des modifications ne sont pas enregistrées.",
  },
  en: {
    page_title: "Shoppable — tag editor",
    title: "Tag editor",
    language: "Language",
    undo: "Undo",
    setup: "Connection",
    api_url: "Shop address (backend)",
    api_hint: "Leave empty for static mode, without a shop.",
    api_none: "Static mode: no shop, tags are link-out products.",
    api_checking: "Connecting to the shop…",
    api_ok: "Connected to “{name}”.",
    api_down: "No shop answers at this address: static mode only.",
    advanced: "Advanced settings",
    widget_url: "Widget address (shoppable.js)",
    widget_hint: "Used the next time the page loads.",
    forget_token: "Forget the admin token",
    token_forgotten: "The admin token is forgotten.",
    image: "Photo",
    image_file: "Open a photo from your computer",
    image_url: "Public address of the photo",
    image_load: "Open",
    image_url_hint: "An http(s) address or a path on the site. Needed to save to the shop.",
    image_alt: "Description of the photo (alternative text)",
    image_opened: "Photo opened ({width} × {height} pixels).",
    image_from_file: "Photo opened from your computer: it will be uploaded to the shop when you save. You can also give its public address here; in the static code, replace the placeholder address.",
    image_bad_type: "This file is not a PNG, JPEG, WebP or GIF photo.",
    image_bad_url: "Give an http(s) address or a path on the site (not “javascript:” or “data:”).",
    image_not_loaded: "The photo could not be loaded from this address.",
    image_missing: "Open a photo first.",
    image_needs_url: "This shop does not accept photo uploads: give the photo's public address to save it.",
    uploading: "Uploading the photo to the shop…",
    uploaded: "Photo uploaded to the shop.",
    upload_refused: "The shop refuses the photo: {message}. Nothing was saved.",
    post: "Post",
    post_id: "Post id",
    post_id_hint: "Letters, digits, “-”, “_” or “.” (100 at most).",
    post_id_bad: "The id has 1 to 100 letters, digits, “-”, “_” or “.”.",
    post_open: "Re-open",
    post_opened: "Post “{id}” opened: {tags}.",
    post_not_found: "The shop has no post “{id}”.",
    save: "Save to the shop",
    saving: "Saving…",
    saved: "Post “{id}” saved with {tags}.",
    no_backend: "No shop is set: give its address, or export the static code.",
    unreachable: "The shop does not answer. Nothing was saved.",
    token_needed: "The admin token is needed to save. Nothing was saved.",
    token_refused: "The shop refuses this admin token ({message}). Nothing was saved.",
    server_refused: "The shop refuses: {message}. Nothing was saved.",
    tag_server_refused: "Tag {n} refused by the shop: {message}.",
    tags_too_many: "A photo has at most {max} tags.",
    tag_is_link: "Tag {n} is a link-out product: the shop saves only products of its catalog. Pick one, or export the static code.",
    tag_no_product: "Tag {n} has no product yet.",
    tags: "Tags",
    stage_help: "Click the photo to place a tag, drag it to move it. With the keyboard: arrows move it (Shift + arrow: further), Delete removes it.",
    drop_here: "Drop a photo here, or open one on the left.",
    add_tag: "Add a tag in the centre",
    tag_added: "Tag {n} placed.",
    tag_removed: "Tag {n} removed.",
    tag_moved: "Tag {n}: {x} %, {y} %.",
    tag_label: "Tag {n}: {name}, {x} % from the left and {y} % from the top",
    tag_unnamed: "no product",
    tag_select: "Edit tag {n}",
    tag_up: "Move tag {n} up",
    tag_down: "Move tag {n} down",
    tag_delete: "Remove tag {n}",
    up: "Up",
    down: "Down",
    delete: "Remove",
    no_tags: "No tags yet.",
    inspector: "Tag {n}",
    kind: "Product",
    kind_catalog: "from the shop's catalog",
    kind_link: "link-out (static mode)",
    catalog_chosen: "Chosen product: {title}, {price}",
    catalog_none: "No product chosen.",
    search: "Search for a product",
    search_none: "No product matches.",
    search_failed: "The search failed: the shop does not answer.",
    search_no_backend: "No shop connected: describe a link-out product instead.",
    search_pick: "Pick {title}, {price}",
    product_picked: "Tag {n}: {title}.",
    link_title: "Product name",
    link_price: "Price (amount, space, currency: 49.00 EUR)",
    link_url: "Product address (http or https)",
    title_missing: "Give the product's name.",
    price_malformed: "Write the price with a dot and the currency code, e.g. “49.00 EUR” (not “{value}”).",
    price_too_precise: "Too many decimals for {currency}: {digits} at most.",
    price_too_large: "This price is too large (“{value}”).",
    url_bad: "Only complete http:// and https:// addresses are accepted.",
    undone: "Last change undone.",
    nothing_to_undo: "Nothing to undo.",
    preview: "Preview with the widget",
    preview_hint: "Tap the photo to see the tags, as your readers will.",
    preview_empty: "The preview appears once the photo has a complete tag.",
    preview_failed: "The widget could not be loaded from {url}.",
    export: "Code to paste",
    snippet_kind: "Kind",
    snippet_static: "static (tags in the page)",
    snippet_post: "shop post",
    snippet: "HTML code",
    snippet_placeholder: "Replace {placeholder} with the public address of the photo “{file}”.",
    snippet_comment: "Replace {placeholder} with the public address of {file}",
    snippet_left_out: "Not in the code (a tag incomplete or without a valid product page): {list}.",
    tag_one: "tag",
    tag_many: "tags",
    snippet_needs_post: "For this kind, give the shop's address and the post id, then save the post.",
    snippet_ok: "Paste this code into your page.",
    copy: "Copy the code",
    copied: "Code copied.",
    copy_failed: "Copying failed: select the code and copy it by hand.",
    token_title: "Admin token",
    token_label: "Token (kept until this tab is closed)",
    cancel: "Cancel",
    token_ok: "Save",
    unsaved: "Some changes are not saved.",
  },
};

// ---------------------------------------------------------------------------------------
// State.

const settings = readSettings();

const state = {
  lang: settings.lang || (document.documentElement.lang.startsWith("en") ? "en" : "fr"),
  /** Backend base URL ("" for static mode) and what its /v1/config said. */
  api: new URLSearchParams(location.search).get("api") ?? settings.api ?? defaultApi(),
  apiState: "none", // none | checking | ok | down
  shopName: "",
  widgetUrl: settings.widgetUrl || new URL("../pkg/shoppable.js", import.meta.url).href,
  widgetFailed: false,
  /** { src (what is displayed), url (public address, "" when unknown), width, height, alt, fileName } */
  image: null,
  /** [{ id, x, y, kind: "catalog" | "link", product, title, price, url }] in display order. */
  tags: [],
  selected: null, // id of the selected tag
  postId: "",
  snippetKind: "static",
  search: { query: "", results: null, failed: false, seq: 0 },
  /** The last message for everyone: { text: [key, params], urgent }. */
  message: null,
  /** Field id -> [text key, params]: the message shown next to that field. */
  errors: {},
  /** Snapshots of { image, tags, postId } before each change, for undo. */
  history: [],
  dirty: false,
  saving: false,
};

let nextTagId = 1;
/** Photos opened from the computer, by their object URL: uploaded when the post is saved. */
const files = new Map();

// ---------------------------------------------------------------------------------------
// Small helpers.

const $ = (id) => document.getElementById(id);

/** The text for `key` in the current language, with `{name}` replaced by params.name, and
 * `{tags}` by params.count with its noun: "1 repère", "2 repères" (French takes the singular
 * for 0 and 1, English for 1 only). */
export function t(key, params = {}, lang = state.lang) {
  const text = TEXT[lang][key] ?? TEXT.en[key] ?? key;
  const tags = () => `${params.count} ${TEXT[lang][(lang === "fr" ? params.count <= 1 : params.count === 1) ? "tag_one" : "tag_many"]}`;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(name === "tags" ? tags() : params[name] ?? ""));
}

function readSettings() {
  try {
    return JSON.parse(localStorage.getItem(SETTINGS_KEY)) || {};
  } catch {
    return {};
  }
}

function saveSettings() {
  try {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify({ lang: state.lang, api: state.api, widgetUrl: state.widgetUrl }));
  } catch {
    // Private browsing may refuse storage; the settings then last for this visit only.
  }
}

/**
 * Served over http(s) the page is probably on the reference server, which serves the API at
 * "/"; if not, the backend check says so and the editor stays in static mode.
 */
function defaultApi() {
  return location.protocol.startsWith("http") ? "/" : "";
}

/** Absolute URL of an API path, or null in static mode. */
function apiUrl(path) {
  if (!state.api.trim()) return null;
  const base = new URL(state.api.trim(), location.href).href.replace(/\/+$/, "");
  return base + path;
}

const round = (value) => Math.round(value * 10000) / 10000;
const clamp = (value) => Math.min(1, Math.max(0, value));
const percent = (fraction) => Math.round(fraction * 1000) / 10;

/** `{amount: 1490, currency: "EUR"}` -> `14.90 EUR`, the static-mode price format. */
export function moneyText(money) {
  return rustMoneyText(money.amount, money.currency) ?? "";
}

/** A price for people to read, in the editor's language. */
function formatMoney(money) {
  try {
    return new Intl.NumberFormat(state.lang, { style: "currency", currency: money.currency }).format(majorUnits(money.amount, money.currency));
  } catch {
    return moneyText(money);
  }
}

/**
 * Reads a static-mode price as the widget does (`12.5 eur` is `12.50 EUR`). Returns
 * [normalised text, null] or [null, [message key, params]].
 */
export function checkPrice(text) {
  const price = readPrice(text);
  if (price.text) return [price.text, null];
  const value = text.trim().replace(/\s+/g, " ") || text;
  return [null, [`price_${price.problem}`, { value, currency: price.currency, digits: price.digits }]];
}

/** Escapes text for an HTML attribute value or text node (quotes included, either kind). */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

async function fetchJson(url, options = {}) {
  const response = await fetch(url, { ...options, headers: { Accept: "application/json", ...(options.headers || {}) } });
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a static host's 404 page): the status says enough.
  }
  return { ok: response.ok, status: response.status, body };
}

// ---------------------------------------------------------------------------------------
// Tags: what a tag shows and whether it is complete.

function tagName(tag) {
  if (tag.kind === "catalog") return tag.product ? tag.product.title : t("tag_unnamed");
  return tag.title.trim() || t("tag_unnamed");
}

/** Problems of a link-out tag, by field id; empty when the tag can be exported. */
function linkProblems(tag) {
  const problems = {};
  if (!tag.title.trim()) problems["link-title"] = ["title_missing"];
  const [, priceError] = checkPrice(tag.price);
  if (priceError) problems["link-price"] = priceError;
  if (!isWebAddress(tag.url)) problems["link-url"] = ["url_bad"];
  return problems;
}

function isComplete(tag) {
  return tag.kind === "catalog" ? Boolean(tag.product) : Object.keys(linkProblems(tag)).length === 0;
}

/**
 * The tag as static-mode JSON (`data-shoppable-tags`), or null when it is incomplete. A
 * catalog product links to its page; the preview makes do with "#" while that page is being
 * read (or when the product has none), an exported snippet leaves such a tag out.
 */
function staticTag(tag, forExport = false) {
  if (!isComplete(tag)) return null;
  if (forExport && tag.kind === "catalog" && !tag.product.url) return null;
  const position = { x: round(tag.x), y: round(tag.y) };
  if (tag.kind === "link") {
    return { ...position, title: tag.title.trim(), price: checkPrice(tag.price)[0], url: tag.url.trim() };
  }
  const { product } = tag;
  const json = { ...position, title: product.title, price: moneyText(product.price), url: product.url || "#" };
  if (product.compare_at_price) json.compareAt = moneyText(product.compare_at_price);
  if (product.image_url) json.image = absolute(product.image_url);
  return json;
}

/** Addresses from the backend are relative to it (its pages serve them), not to this editor. */
function absolute(url) {
  try {
    return new URL(url, apiUrl("/") || location.href).href;
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------------------------------
// Changes. Each one records an undo snapshot first, then renders.

function snapshot() {
  return structuredClone({ image: state.image, tags: state.tags, postId: state.postId, selected: state.selected });
}

/** Runs `change` on the state as one undoable step. */
function change(mutate, message) {
  state.history.push(snapshot());
  if (state.history.length > 100) state.history.shift();
  mutate();
  state.dirty = true;
  if (message) announce(message);
  render();
}

function undo() {
  const previous = state.history.pop();
  if (!previous) return announce(["nothing_to_undo"]);
  Object.assign(state, previous);
  if (!state.tags.some((tag) => tag.id === state.selected)) state.selected = null;
  state.dirty = true;
  state.errors = {};
  announce(["undone"]);
  render({ inspector: true });
}

function indexOf(id) {
  return state.tags.findIndex((tag) => tag.id === id);
}

function addTag(x, y) {
  if (!state.image) return showError("tags", ["image_missing"]);
  if (state.tags.length >= MAX_TAGS) return showError("tags", ["tags_too_many", { max: MAX_TAGS }]);
  const kind = state.apiState === "ok" ? "catalog" : "link";
  const tag = { id: `t${nextTagId++}`, x: round(clamp(x)), y: round(clamp(y)), kind, product: null, title: "", price: "", url: "" };
  change(() => {
    state.tags.push(tag);
    state.selected = tag.id;
    clearError("tags");
  }, ["tag_added", { n: state.tags.length + 1 }]);
  render({ inspector: true });
  return tag;
}

function moveTag(id, x, y, record = true) {
  const tag = state.tags[indexOf(id)];
  const apply = () => Object.assign(tag, { x: round(clamp(x)), y: round(clamp(y)) });
  if (record) change(apply, ["tag_moved", { n: indexOf(id) + 1, x: percent(clamp(x)), y: percent(clamp(y)) }]);
  else {
    apply();
    renderStage();
  }
}

function removeTag(id) {
  const index = indexOf(id);
  if (index < 0) return;
  change(() => {
    state.tags.splice(index, 1);
    const next = state.tags[Math.min(index, state.tags.length - 1)];
    state.selected = next ? next.id : null;
    clearError("tags");
  }, ["tag_removed", { n: index + 1 }]);
  render({ inspector: true });
  // Focus stays in the tags, on the next one, so keyboard users can go on deleting.
  focusTag(state.selected) || $("add-tag").focus();
}

function reorderTag(id, delta) {
  const from = indexOf(id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= state.tags.length) return;
  change(() => {
    const [tag] = state.tags.splice(from, 1);
    state.tags.splice(to, 0, tag);
  });
}

function selectTag(id) {
  if (state.selected === id) return;
  state.selected = id;
  state.search = { ...state.search, query: "", results: null, failed: false };
  render({ inspector: true });
}

function setTagField(id, fields) {
  const tag = state.tags[indexOf(id)];
  if (!tag) return;
  change(() => Object.assign(tag, fields));
}

function pickProduct(id, product) {
  const index = indexOf(id);
  change(() => Object.assign(state.tags[index], { kind: "catalog", product }), ["product_picked", { n: index + 1, title: product.title }]);
  render({ inspector: true });
  loadProductLink(product);
}

/** Static snippets need the product page; summaries lack it, so read the product once. */
async function loadProductLink(product) {
  const url = apiUrl(`/v1/products/${encodeURIComponent(product.id)}`);
  if (!url || product.url !== undefined) return;
  try {
    const { ok, body } = await fetchJson(url);
    const link = ok && body && isWebAddress(body.url || "") ? body.url : null;
    // The same product may be on several tags, and in the undo snapshots: fill them all.
    for (const tag of state.tags) if (tag.product && tag.product.id === product.id) tag.product.url = link;
    product.url = link;
    render();
  } catch {
    product.url = null;
  }
}

// ---------------------------------------------------------------------------------------
// The photo.

function loadImage(src) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve({ width: image.naturalWidth, height: image.naturalHeight });
    image.onerror = reject;
    image.src = src;
  });
}

function setImage(image) {
  change(() => {
    state.image = image;
    clearError("image-url");
  }, ["image_opened", image]);
  if (image.fileName) announce(["image_from_file"]);
}

async function openFile(file) {
  if (!file || !IMAGE_TYPES.includes(file.type)) return showError("image-url", ["image_bad_type"]);
  // The object URL is never revoked: undo snapshots may show this photo again.
  const src = URL.createObjectURL(file);
  files.set(src, file);
  try {
    const size = await loadImage(src);
    $("image-url").value = "";
    setImage({ src, url: "", ...size, alt: state.image ? state.image.alt : "", fileName: file.name });
  } catch {
    showError("image-url", ["image_bad_type"]);
  }
}

async function openUrl(text) {
  const url = text.trim();
  if (!isSafeLink(url)) return showError("image-url", ["image_bad_url"]);
  try {
    const src = new URL(url, location.href).href;
    const size = await loadImage(src);
    setImage({ src, url, ...size, alt: state.image ? state.image.alt : "", fileName: "" });
  } catch {
    showError("image-url", ["image_not_loaded"]);
  }
}

// ---------------------------------------------------------------------------------------
// The backend.

async function checkBackend() {
  const url = apiUrl("/v1/config");
  if (!url) {
    state.apiState = "none";
    return render();
  }
  state.apiState = "checking";
  render();
  try {
    const { ok, body } = await fetchJson(url);
    const valid = ok && body && body.protocol_version === 1;
    state.apiState = valid ? "ok" : "down";
    state.shopName = valid ? body.shop_name || "" : "";
  } catch {
    state.apiState = "down";
  }
  render();
}

let searchTimer = null;
function searchSoon(query) {
  clearTimeout(searchTimer);
  state.search.query = query;
  searchTimer = setTimeout(() => search(query), 200);
}

async function search(query) {
  const url = apiUrl(`/v1/products?q=${encodeURIComponent(query.trim())}&limit=8`);
  const seq = ++state.search.seq;
  if (!url) {
    state.search.failed = true;
    return render();
  }
  try {
    const { ok, body } = await fetchJson(url);
    if (seq !== state.search.seq) return; // a newer search was started meanwhile
    state.search.results = ok ? body.products : [];
    state.search.failed = !ok;
  } catch {
    state.search.failed = true;
  }
  render();
}

async function openPost(id) {
  clearError("post-id");
  if (!isPostId(id)) return showError("post-id", ["post_id_bad"]);
  const url = apiUrl(`/v1/posts/${encodeURIComponent(id)}`);
  if (!url) return showError("post-id", ["no_backend"]);
  let answer;
  try {
    answer = await fetchJson(url);
  } catch {
    return showError("post-id", ["unreachable"]);
  }
  if (answer.status === 404) return showError("post-id", ["post_not_found", { id }]);
  if (!answer.ok) return showError("post-id", ["server_refused", { message: answer.body?.message || answer.status }]);
  const post = answer.body;
  change(() => {
    state.postId = post.id;
    state.image = { src: absolute(post.image.url), url: post.image.url, width: post.image.width, height: post.image.height, alt: post.image.alt || "", fileName: "" };
    state.tags = post.tags.map((tag) => ({
      id: `t${nextTagId++}`, x: tag.x, y: tag.y, kind: "catalog", product: tag.product, title: "", price: "", url: "",
    }));
    state.selected = null;
  }, ["post_opened", { id: post.id, count: post.tags.length }]);
  state.dirty = false;
  render({ inspector: true });
  for (const tag of state.tags) loadProductLink(tag.product);
}

/** Checks everything the server would refuse, so the user learns it next to the right field. */
function savingProblems() {
  const problems = {};
  if (!apiUrl("/")) problems.save = ["no_backend"];
  if (!state.image) problems["image-url"] = ["image_missing"];
  else if (!state.image.url.trim() && !files.has(state.image.src)) problems["image-url"] = ["image_needs_url"];
  else if (state.image.url.trim() && !isSafeLink(state.image.url)) problems["image-url"] = ["image_bad_url"];
  if (!isPostId(state.postId)) problems["post-id"] = ["post_id_bad"];
  if (state.tags.length > MAX_TAGS) problems.tags = ["tags_too_many", { max: MAX_TAGS }];
  else {
    const index = state.tags.findIndex((tag) => tag.kind !== "catalog" || !tag.product);
    if (index >= 0) problems.tags = [state.tags[index].kind === "link" ? "tag_is_link" : "tag_no_product", { n: index + 1 }];
  }
  return problems;
}

async function save() {
  if (state.saving) return;
  for (const field of ["save", "image-url", "post-id", "tags"]) clearError(field);
  const problems = savingProblems();
  if (Object.keys(problems).length) {
    for (const [field, message] of Object.entries(problems)) showError(field, message);
    return;
  }
  const token = await adminToken();
  if (!token) return showError("save", ["token_needed"]);
  if (!state.image.url.trim() && !(await uploadPhoto(token))) return;
  const body = {
    image: { url: state.image.url.trim(), width: state.image.width, height: state.image.height, alt: state.image.alt },
    tags: state.tags.map((tag) => ({ x: round(tag.x), y: round(tag.y), product_id: tag.product.id })),
  };
  state.saving = true;
  announce(["saving"]);
  render();
  try {
    const answer = await fetchJson(apiUrl(`/v1/admin/posts/${encodeURIComponent(state.postId)}`), {
      method: "PUT",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    if (answer.ok) {
      state.dirty = false;
      announce(["saved", { id: state.postId, count: body.tags.length }]);
    } else showServerError(answer);
  } catch {
    showError("save", ["unreachable"]);
  } finally {
    state.saving = false;
    render();
  }
}

/**
 * Sends a photo opened from the computer to the shop (`POST /v1/admin/media`, a reference
 * server feature) and keeps the address it answers; false, with a message, when it fails.
 */
async function uploadPhoto(token) {
  const file = files.get(state.image.src);
  announce(["uploading"]);
  let answer;
  try {
    answer = await fetchJson(apiUrl("/v1/admin/media"), {
      method: "POST",
      headers: { "Content-Type": file.type, Authorization: `Bearer ${token}` },
      body: file,
    });
  } catch {
    showError("save", ["unreachable"]);
    return false;
  }
  if (answer.status === 404 || answer.status === 405) {
    showError("image-url", ["image_needs_url"]); // a backend without uploads
    return false;
  }
  if (!answer.ok) {
    if (answer.status === 401) showServerError(answer);
    else showError("image-url", ["upload_refused", { message: serverMessage(answer) }]);
    return false;
  }
  // The address is a path under the API's base URL; posts are shown on other sites: make it absolute.
  state.image.url = apiUrl(answer.body.url);
  $("image-url").value = state.image.url;
  announce(["uploaded"]);
  return true;
}

function serverMessage({ status, body }) {
  return body && body.message ? `${body.message}${body.code ? ` (${body.code})` : ""}` : `HTTP ${status}`;
}

/** Puts a protocol error (`{code, message, field}`) next to the field it is about. */
function showServerError({ status, body }) {
  const message = serverMessage({ status, body });
  if (status === 401) {
    // A wrong token must not be sent again and again: ask for it next time.
    sessionStorage.removeItem(TOKEN_KEY);
    return showError("save", ["token_refused", { message }]);
  }
  const field = (body && body.field) || "";
  const tag = /^tags\[(\d+)\]/.exec(field);
  if (tag) return showError("tags", ["tag_server_refused", { n: Number(tag[1]) + 1, message }]);
  const target = field.startsWith("image") ? "image-url" : field === "id" ? "post-id" : field === "tags" ? "tags" : "save";
  showError(target, ["server_refused", { message }]);
}

/** The admin token: asked once, then kept for the tab's life (sessionStorage). */
function adminToken() {
  const kept = sessionStorage.getItem(TOKEN_KEY);
  if (kept) return Promise.resolve(kept);
  const dialog = $("token-dialog");
  $("token").value = "";
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      const token = $("token").value.trim();
      $("token").value = "";
      if (dialog.returnValue !== "ok" || !token) return resolve(null);
      sessionStorage.setItem(TOKEN_KEY, token);
      resolve(token);
    }, { once: true });
  });
}

// ---------------------------------------------------------------------------------------
// Messages: next to their field, and read out by screen readers.

function showError(field, message) {
  state.errors[field] = message;
  announce(message, true);
  render();
}

function clearError(field) {
  delete state.errors[field];
}

/**
 * Shows a message ([text key, params]) in the status line, or the alert line when urgent;
 * both are live regions. Kept as a key so a language switch translates it too.
 */
function announce(message, urgent = false) {
  state.message = { text: message, urgent };
  // Emptied first, and filled a frame later, so the same message twice is read twice.
  $("status").textContent = "";
  $("alert").textContent = "";
  requestAnimationFrame(renderMessage);
}

function renderMessage() {
  if (!state.message) return;
  const { text, urgent } = state.message;
  $(urgent ? "alert" : "status").textContent = t(...text);
  $(urgent ? "status" : "alert").textContent = "";
}

// ---------------------------------------------------------------------------------------
// Rendering: the DOM follows the state.

function render({ inspector = false } = {}) {
  renderTexts();
  renderSetup();
  renderStage();
  renderTagList();
  if (inspector) fillInspector();
  renderInspector();
  renderErrors();
  renderSnippet();
  schedulePreview();
  $("undo").disabled = state.history.length === 0;
  $("save").disabled = state.saving;
}

function renderTexts() {
  document.documentElement.lang = state.lang;
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
  $("lang").value = state.lang;
}

function renderSetup() {
  const messages = { none: t("api_none"), checking: t("api_checking"), ok: t("api_ok", { name: state.shopName }), down: t("api_down") };
  $("api-state").textContent = messages[state.apiState];
  setValue($("api-url"), state.api);
  setValue($("widget-url"), state.widgetUrl);
  setValue($("post-id"), state.postId);
  setValue($("image-alt"), state.image ? state.image.alt : "");
  // The address field is only rewritten when another photo (or an undo) comes in: the user
  // may be typing an address to open next.
  if (state.image !== shownImage) {
    shownImage = state.image;
    if (state.image) $("image-url").value = state.image.url;
  }
  $("image-url-hint").textContent = state.image && state.image.fileName && !state.image.url ? t("image_from_file") : t("image_url_hint");
}

let shownImage = null;

/** Sets an input's value unless the user is typing in it (that would move the caret). */
function setValue(input, value) {
  if (document.activeElement !== input && input.value !== value) input.value = value;
}

function renderStage() {
  const has = Boolean(state.image);
  $("stage").hidden = !has;
  $("drop-empty").hidden = has;
  if (!has) return;
  const image = $("stage-image");
  if (image.getAttribute("src") !== state.image.src) image.src = state.image.src;
  image.alt = state.image.alt;
  const layer = $("stage-tags");
  const focused = document.activeElement;
  const buttons = new Map([...layer.children].map((button) => [button.dataset.id, button]));
  state.tags.forEach((tag, index) => {
    const button = buttons.get(tag.id) || tagButton(tag.id);
    buttons.delete(tag.id);
    button.textContent = String(index + 1);
    button.style.left = `${tag.x * 100}%`;
    button.style.top = `${tag.y * 100}%`;
    button.setAttribute("aria-label", t("tag_label", { n: index + 1, name: tagName(tag), x: percent(tag.x), y: percent(tag.y) }));
    button.setAttribute("aria-pressed", String(tag.id === state.selected));
    button.classList.toggle("incomplete", !isComplete(tag));
    if (layer.children[index] !== button) layer.insertBefore(button, layer.children[index] || null);
  });
  for (const stale of buttons.values()) stale.remove();
  // Re-ordering moves buttons in the DOM, which drops their focus: give it back.
  if (focused && focused.dataset && focused.dataset.id && document.activeElement !== focused && focused.isConnected) focused.focus();
}

function tagButton(id) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "tag";
  button.dataset.id = id;
  button.addEventListener("click", () => selectTag(id));
  button.addEventListener("keydown", (event) => onTagKey(event, id));
  button.addEventListener("pointerdown", (event) => startDrag(event, id));
  return button;
}

function focusTag(id) {
  const button = id && $("stage-tags").querySelector(`[data-id="${CSS.escape(id)}"]`);
  if (button) button.focus();
  return Boolean(button);
}

function renderTagList() {
  const list = $("tag-list");
  const focusKey = document.activeElement && list.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
  list.replaceChildren(...state.tags.map(tagListItem));
  if (!state.tags.length) {
    const empty = document.createElement("li");
    empty.className = "hint";
    empty.textContent = t("no_tags");
    list.append(empty);
  }
  if (focusKey) {
    const again = list.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`);
    (again && !again.disabled ? again : $("add-tag")).focus();
  }
}

function tagListItem(tag, index) {
  const n = index + 1;
  const item = document.createElement("li");
  item.classList.toggle("selected", tag.id === state.selected);
  const name = smallButton(`${n}. ${tagName(tag)}`, t("tag_select", { n }), `select-${tag.id}`, () => {
    selectTag(tag.id);
    $("inspector").querySelector("input:checked")?.focus();
  });
  name.classList.add("name");
  name.setAttribute("aria-pressed", String(tag.id === state.selected));
  const up = smallButton(t("up"), t("tag_up", { n }), `up-${tag.id}`, () => reorderTag(tag.id, -1));
  up.disabled = index === 0;
  const down = smallButton(t("down"), t("tag_down", { n }), `down-${tag.id}`, () => reorderTag(tag.id, 1));
  down.disabled = index === state.tags.length - 1;
  const remove = smallButton(t("delete"), t("tag_delete", { n }), `delete-${tag.id}`, () => removeTag(tag.id));
  item.append(name, up, down, remove);
  return item;
}

function smallButton(text, label, focusKey, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = text;
  if (label !== text) button.setAttribute("aria-label", label);
  button.dataset.focus = focusKey;
  button.addEventListener("click", onClick);
  return button;
}

/** Copies the selected tag's values into the form (only when the selection changes). */
function fillInspector() {
  const tag = state.tags[indexOf(state.selected)];
  if (!tag) return;
  for (const radio of document.querySelectorAll('input[name="kind"]')) radio.checked = radio.value === tag.kind;
  $("link-title").value = tag.title;
  $("link-price").value = tag.price;
  $("link-url").value = tag.url;
  $("search").value = state.search.query;
  for (const field of ["link-title", "link-price", "link-url"]) clearError(field);
}

function renderInspector() {
  const index = indexOf(state.selected);
  const tag = state.tags[index];
  $("inspector").hidden = !tag;
  if (!tag) return;
  $("inspector-title").textContent = t("inspector", { n: index + 1 });
  $("catalog-fields").hidden = tag.kind !== "catalog";
  $("link-fields").hidden = tag.kind !== "link";
  $("catalog-chosen").textContent = tag.product
    ? t("catalog_chosen", { title: tag.product.title, price: formatMoney(tag.product.price) })
    : t("catalog_none");
  renderResults();
}

function renderResults() {
  const list = $("results");
  const { results, failed } = state.search;
  if (!apiUrl("/") || state.apiState === "none") {
    state.errors.search = ["search_no_backend"];
    return list.replaceChildren();
  }
  if (failed) state.errors.search = ["search_failed"];
  else delete state.errors.search;
  if (!results) return list.replaceChildren();
  if (!results.length) {
    const none = document.createElement("li");
    none.textContent = t("search_none");
    return list.replaceChildren(none);
  }
  list.replaceChildren(...results.map(resultItem));
}

function resultItem(product) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "result";
  const price = formatMoney(product.price);
  button.setAttribute("aria-label", t("search_pick", { title: product.title, price }));
  if (product.image_url) {
    const thumb = document.createElement("img");
    thumb.src = absolute(product.image_url);
    thumb.alt = "";
    button.append(thumb);
  }
  const title = document.createElement("span");
  title.textContent = product.title;
  const cost = document.createElement("span");
  cost.className = "price";
  cost.textContent = price;
  button.append(title, cost);
  button.addEventListener("click", () => pickProduct(state.selected, product));
  item.append(button);
  return item;
}

const ERROR_FIELDS = ["api-url", "image-url", "post-id", "save", "tags", "search", "link-title", "link-price", "link-url"];

function renderErrors() {
  for (const field of ERROR_FIELDS) {
    const message = state.errors[field];
    const element = $(`${field}-error`);
    element.hidden = !message;
    element.textContent = message ? t(...message) : "";
    const input = $(field);
    if (input && input.tagName === "INPUT") {
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
  }
}

// ---------------------------------------------------------------------------------------
// The snippet to paste into a page.

function widgetAbsolute() {
  try {
    return new URL(state.widgetUrl, location.href).href;
  } catch {
    return state.widgetUrl;
  }
}

/** Builds the embed code and a note for the user; both change with the state. */
export function buildSnippet() {
  if (!state.image) return { code: "", note: t("image_missing") };
  const notes = [];
  const src = state.image.url.trim() || PLACEHOLDER_SRC;
  const attributes = [["src", src], ["width", state.image.width], ["height", state.image.height], ["alt", state.image.alt]];
  const script = [["src", widgetAbsolute()]];
  if (state.snippetKind === "post") {
    if (!apiUrl("/") || !isPostId(state.postId)) return { code: "", note: t("snippet_needs_post") };
    script.push(["data-api", new URL(state.api.trim(), location.href).href]);
    attributes.push(["data-shoppable-post", state.postId]);
  } else {
    const tags = state.tags.map((tag) => staticTag(tag, true));
    const left = tags.map((json, i) => (json ? null : i + 1)).filter(Boolean);
    if (left.length) notes.push(t("snippet_left_out", { list: left.join(", ") }));
    attributes.push(["data-shoppable-tags", JSON.stringify(tags.filter(Boolean))]);
  }
  script.push(["data-locale", state.lang]);
  const html = (tag, pairs) => `<${tag} ${pairs.map(([name, value]) => `${name}="${escapeHtml(value)}"`).join(" ")}`;
  const lines = [`${html("script", script)} defer></script>`];
  if (src === PLACEHOLDER_SRC) {
    const file = state.image.fileName || "";
    lines.push(`<!-- ${t("snippet_comment", { placeholder: PLACEHOLDER_SRC, file: file.replace(/--/g, "- -") })} -->`);
    notes.unshift(t("snippet_placeholder", { placeholder: PLACEHOLDER_SRC, file }));
  }
  lines.push(`${html("img", attributes)}>`);
  return { code: lines.join("\n"), note: notes.join(" ") || t("snippet_ok") };
}

function renderSnippet() {
  const { code, note } = buildSnippet();
  $("snippet").value = code;
  $("snippet-note").textContent = note;
  $("snippet-note").classList.toggle("warning", note !== t("snippet_ok"));
  $("copy").disabled = !code;
  for (const radio of document.querySelectorAll('input[name="snippet-kind"]')) radio.checked = radio.value === state.snippetKind;
}

async function copySnippet() {
  const code = $("snippet").value;
  try {
    await navigator.clipboard.writeText(code);
  } catch {
    // Without clipboard permission (http pages, older browsers) the selection still works.
    $("snippet").select();
    if (!document.execCommand("copy")) return announce(["copy_failed"], true);
  }
  // Copied code is the blogger's way of saving (static mode has no backend): no warning on leaving.
  state.dirty = false;
  announce(["copied"]);
}

// ---------------------------------------------------------------------------------------
// The live preview: the real widget on a copy of the photo, in static mode.

let previewTimer = null;
function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(renderPreview, 120);
}

let widgetLoading = null;
function loadWidget() {
  if (window.Shoppable) return Promise.resolve(window.Shoppable);
  if (!widgetLoading) {
    widgetLoading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = widgetAbsolute();
      script.dataset.locale = state.lang;
      script.onload = () => (window.Shoppable ? resolve(window.Shoppable) : reject(new Error("no Shoppable")));
      script.onerror = reject;
      document.head.append(script);
    });
  }
  return widgetLoading;
}

async function renderPreview() {
  const box = $("preview");
  const tags = state.tags.map((tag) => staticTag(tag)).filter(Boolean);
  let image = box.querySelector("img");
  if (!state.image || !tags.length) {
    if (image && window.Shoppable) await window.Shoppable.unmount(image);
    box.replaceChildren();
    $("preview-state").textContent = state.widgetFailed ? t("preview_failed", { url: widgetAbsolute() }) : t("preview_empty");
    return;
  }
  if (!image) {
    image = document.createElement("img");
    box.append(image);
  }
  if (image.getAttribute("src") !== state.image.src) image.src = state.image.src;
  Object.assign(image, { width: state.image.width, height: state.image.height, alt: state.image.alt });
  const json = JSON.stringify(tags);
  try {
    const shoppable = await loadWidget();
    shoppable.config.locale = state.lang;
    // Mount again only when something the widget shows changed: it rebuilds the overlay.
    if (image.dataset.shoppableTags === json && image.dataset.locale === state.lang && image.hasAttribute("data-shoppable-mounted")) return;
    image.dataset.shoppableTags = json;
    image.dataset.locale = state.lang;
    await shoppable.mount(image);
    $("preview-state").textContent = "";
  } catch {
    state.widgetFailed = true;
    $("preview-state").textContent = t("preview_failed", { url: widgetAbsolute() });
  }
}

// ---------------------------------------------------------------------------------------
// Input: pointer and keyboard on the photo and its tags.

function fractionAt(event) {
  const box = $("stage-image").getBoundingClientRect();
  return { x: (event.clientX - box.left) / box.width, y: (event.clientY - box.top) / box.height };
}

function startDrag(event, id) {
  if (event.button !== 0) return;
  const button = event.currentTarget;
  const start = { x: event.clientX, y: event.clientY };
  let dragging = false;
  button.setPointerCapture(event.pointerId);
  selectTag(id);
  const move = (moveEvent) => {
    // A few pixels of slack, so a click that wobbles does not move the tag.
    if (!dragging && Math.hypot(moveEvent.clientX - start.x, moveEvent.clientY - start.y) < 4) return;
    if (!dragging) {
      dragging = true;
      state.history.push(snapshot());
    }
    const { x, y } = fractionAt(moveEvent);
    moveTag(id, x, y, false);
  };
  const end = () => {
    button.removeEventListener("pointermove", move);
    button.removeEventListener("pointerup", end);
    button.removeEventListener("pointercancel", end);
    if (!dragging) return;
    const tag = state.tags[indexOf(id)];
    state.dirty = true;
    announce(["tag_moved", { n: indexOf(id) + 1, x: percent(tag.x), y: percent(tag.y) }]);
    render();
  };
  button.addEventListener("pointermove", move);
  button.addEventListener("pointerup", end);
  button.addEventListener("pointercancel", end);
}

const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

function onTagKey(event, id) {
  const tag = state.tags[indexOf(id)];
  if (!tag) return;
  if (ARROWS[event.key]) {
    event.preventDefault();
    const step = event.shiftKey ? BIG_NUDGE : NUDGE;
    const [dx, dy] = ARROWS[event.key];
    selectTag(id);
    moveTag(id, tag.x + dx * step, tag.y + dy * step);
  } else if (event.key === "Delete" || event.key === "Backspace") {
    event.preventDefault();
    removeTag(id);
  }
}

function onGlobalKey(event) {
  const typing = event.target.matches && event.target.matches("input:not([type=radio]):not([type=checkbox]):not([type=file]), textarea");
  if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z" && !typing) {
    // Text fields keep their own undo; everywhere else Ctrl/Cmd+Z undoes the last change.
    event.preventDefault();
    undo();
  }
}

// ---------------------------------------------------------------------------------------
// Wiring.

function bindTagFields() {
  for (const radio of document.querySelectorAll('input[name="kind"]')) {
    radio.addEventListener("change", () => {
      setTagField(state.selected, { kind: radio.value });
      render({ inspector: true });
    });
  }
  const fields = { "link-title": "title", "link-price": "price", "link-url": "url" };
  for (const [id, key] of Object.entries(fields)) {
    const input = $(id);
    // One undo step per edit of a field, not per key stroke.
    input.addEventListener("focus", () => { input.dataset.before = input.value; });
    input.addEventListener("input", () => {
      const tag = state.tags[indexOf(state.selected)];
      if (!tag) return;
      if (input.dataset.before !== undefined) {
        state.history.push(snapshot());
        delete input.dataset.before;
      }
      tag[key] = input.value;
      state.dirty = true;
      if (state.errors[id]) validateField(id, tag); // fix the message as soon as it is right
      render();
    });
    input.addEventListener("change", () => {
      const tag = state.tags[indexOf(state.selected)];
      if (!tag) return;
      if (key === "price") {
        const [normal] = checkPrice(input.value);
        if (normal) input.value = tag.price = normal;
      }
      validateField(id, tag);
      render();
    });
  }
}

function validateField(id, tag) {
  const problem = linkProblems(tag)[id];
  if (problem) showError(id, problem);
  else clearError(id);
}

function bind() {
  $("lang").addEventListener("change", () => {
    state.lang = $("lang").value;
    saveSettings();
    render({ inspector: true });
    renderMessage();
  });
  $("undo").addEventListener("click", undo);
  document.addEventListener("keydown", onGlobalKey);
  $("api-url").addEventListener("change", () => {
    state.api = $("api-url").value.trim();
    saveSettings();
    checkBackend();
  });
  $("widget-url").addEventListener("change", () => {
    state.widgetUrl = $("widget-url").value.trim();
    saveSettings();
  });
  $("forget-token").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    announce(["token_forgotten"]);
  });
  $("image-file").addEventListener("change", (event) => openFile(event.target.files[0]));
  $("image-load").addEventListener("click", () => openUrl($("image-url").value));
  $("image-url").addEventListener("keydown", (event) => {
    if (event.key === "Enter") openUrl($("image-url").value);
  });
  $("image-url").addEventListener("input", () => {
    // For a photo from the computer this field is its public address, used when saving.
    if (state.image && state.image.fileName) {
      state.image.url = $("image-url").value.trim();
      state.dirty = true;
      render();
    }
  });
  $("image-alt").addEventListener("change", () => {
    if (state.image) change(() => { state.image.alt = $("image-alt").value; });
  });
  $("post-id").addEventListener("input", () => {
    state.postId = $("post-id").value.trim();
    clearError("post-id");
    render();
  });
  $("post-open").addEventListener("click", () => openPost($("post-id").value.trim()));
  $("save").addEventListener("click", save);
  $("add-tag").addEventListener("click", () => {
    const tag = addTag(0.5, 0.5);
    if (tag) focusTag(tag.id);
  });
  $("stage-image").addEventListener("click", (event) => {
    const { x, y } = fractionAt(event);
    addTag(x, y);
  });
  $("search").addEventListener("input", () => searchSoon($("search").value));
  $("search").addEventListener("focus", () => {
    if (!state.search.results) search($("search").value);
  });
  for (const radio of document.querySelectorAll('input[name="snippet-kind"]')) {
    radio.addEventListener("change", () => {
      state.snippetKind = radio.value;
      render();
    });
  }
  $("copy").addEventListener("click", copySnippet);
  $("token-cancel").addEventListener("click", () => $("token-dialog").close("cancel"));
  bindTagFields();
  bindDrop();
  window.addEventListener("beforeunload", (event) => {
    if (!state.dirty) return;
    event.preventDefault();
    event.returnValue = t("unsaved"); // older browsers want a value; none shows it any more
  });
}

function bindDrop() {
  const zone = $("drop");
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    const file = event.dataTransfer.files[0];
    if (file) return openFile(file);
    const url = (event.dataTransfer.getData("text/uri-list") || event.dataTransfer.getData("text/plain")).split("\n")[0];
    if (url) openUrl(url);
  });
}

function start() {
  bind();
  render();
  checkBackend();
  const params = new URLSearchParams(location.search);
  if (params.get("post")) {
    state.postId = params.get("post");
    openPost(state.postId);
  }
}

start();

/** For tests and the console: the state is read-only from outside. */
export const editor = { get state() { return structuredClone({ ...state, history: state.history.length }); } };
