/*! Shoppable loader: makes marked images on this page shoppable.
 *
 *   <script src=".../shoppable.js" data-api="https://shop.example/api" data-locale="fr" defer></script>
 *   <img src="look.jpg" data-shoppable-post="look-42">                   backend post
 *   <shoppable-post post="look-42"></shoppable-post>                    custom element
 *   <img src="diy.jpg" data-shoppable-tags='[{"x":0.3,"y":0.6,"title":"Lampe","price":"49.00 EUR","url":"https://..."}]'>
 *
 * It stays tiny: the widget (WebAssembly) is fetched only when a marked image comes near the
 * viewport, and all images that arrive together are mounted with one batch request.
 */
(function () {
  "use strict";
  if (window.Shoppable && window.Shoppable.version) return; // the script was included twice

  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var here = script && script.src ? script.src : location.href;
  var config = {
    api: data.api == null ? null : data.api,
    locale: data.locale || null,
    currencyDisplay: data.currencyDisplay || null,
    timeout: data.timeout ? Number(data.timeout) : null
  };
  var widgetUrl = new URL(data.widget || "widget.js", here).href;
  var checkoutUrl = new URL(data.checkout || "checkout.js", here).href;
  var SELECTOR = "img[data-shoppable-post], img[data-shoppable-tags], shoppable-post";

  // Imports a wasm-bindgen module and initialises it, once; `then` runs after the first init.
  function loader(url, then) {
    var loaded = null;
    return function () {
      if (!loaded) {
        loaded = import(url).then(function (module) {
          return module.default().then(function () { return then ? then(module) : module; });
        });
        loaded.catch(function (error) { console.warn("Shoppable: could not load " + url, error); });
      }
      return loaded;
    };
  }
  // The tags and product cards.
  var loadWidget = loader(widgetUrl);
  // The checkout sheet: a second module, fetched on the first use of the bag.
  var loadCheckout = loader(checkoutUrl, function (module) {
    module.start(JSON.stringify(config));
    return module;
  });

  // Whether this browser has a bag, orders or an order in flight with a shop: then the bag
  // badge (or the order's confirmation) must show without waiting for a tap.
  function hasCheckoutState() {
    try {
      // An order this tab sent before a reload, still unanswered.
      for (var j = 0; j < sessionStorage.length; j++) {
        if (/^shoppable:pending:/.test(sessionStorage.key(j))) return true;
      }
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (!/^shoppable:(bag|orders):/.test(key)) continue;
        var value = JSON.parse(localStorage.getItem(key));
        if (/^shoppable:bag:/.test(key) && value && value.lines && value.lines.length) return true;
        if (/^shoppable:orders:/.test(key) && value && value.length) return true;
      }
    } catch (unreadable) { /* storage disabled or edited by hand: nothing to resume */ }
    return false;
  }

  // Elements that came into view and wait for the next batch.
  var pending = [];
  var scheduled = null;
  function enqueue(element) {
    if (pending.indexOf(element) < 0) pending.push(element);
    if (!scheduled) scheduled = Promise.resolve().then(flush);
    return scheduled;
  }
  function flush() {
    var batch = pending;
    pending = [];
    scheduled = null;
    return mountNow(batch);
  }
  function mountNow(elements) {
    return loadWidget().then(function (module) {
      return module.mount(elements, JSON.stringify(config));
    });
  }

  var nearViewport = "IntersectionObserver" in window
    ? new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          nearViewport.unobserve(entry.target);
          enqueue(entry.target);
        });
      }, { rootMargin: "300px 0px" })
    : null;

  function watch(element) {
    // An image that comes back (virtual lists detach and re-attach nodes) is watched again;
    // one that already has its widget is not.
    if (element.hasAttribute("data-shoppable-mounted") || pending.indexOf(element) >= 0) return;
    if (nearViewport) nearViewport.observe(element);
    else enqueue(element);
  }
  function scan(root) {
    if (root.matches && root.matches(SELECTOR)) watch(root);
    if (root.querySelectorAll) Array.prototype.forEach.call(root.querySelectorAll(SELECTOR), watch);
  }

  if (window.customElements && !customElements.get("shoppable-post")) {
    customElements.define("shoppable-post", class extends HTMLElement {
      connectedCallback() { watch(this); }
    });
  }

  function start() {
    if (config.api != null && hasCheckoutState()) loadCheckout();
    scan(document);
    // Feeds that add images later (infinite scroll) are picked up too, and an image given
    // another post (a recycled node) gets that post's tags.
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.type === "attributes") {
          var element = record.target;
          if (!element.matches(SELECTOR)) return;
          if (element.hasAttribute("data-shoppable-mounted")) enqueue(element);
          else watch(element);
          return;
        }
        Array.prototype.forEach.call(record.addedNodes, function (node) {
          if (node.nodeType === 1) scan(node);
        });
      });
    }).observe(document.documentElement, {
      childList: true, subtree: true, attributes: true,
      attributeFilter: ["data-shoppable-post", "data-shoppable-tags", "post"]
    });
  }

  function elementsOf(target) {
    if (!target) return Array.prototype.slice.call(document.querySelectorAll(SELECTOR));
    if (typeof target === "string") return Array.prototype.slice.call(document.querySelectorAll(target));
    return target.length != null ? Array.prototype.slice.call(target) : [target];
  }

  window.Shoppable = {
    version: "0.1.0",
    config: config,
    /** Mounts (or re-mounts) widgets now, without waiting for the viewport. */
    mount: function (target) { return mountNow(elementsOf(target)); },
    /** Removes the widgets from the given images, leaving the images as they were. */
    unmount: function (target) {
      return loadWidget().then(function (module) { elementsOf(target).forEach(module.unmount); });
    },
    /** Opens the checkout sheet at `step` ("bag" or "details"); used by the widget. */
    openCheckout: function (step, opener) {
      return loadCheckout().then(function (module) { module.open(step || "bag", opener || null); });
    },
    /** Loads the checkout ahead of need (a product card is open). */
    prefetchCheckout: function () {
      return loadCheckout().then(function () {});
    },
    /** The bag changed (the widget added a product): the badge and the sheet follow. */
    bagChanged: function () {
      return loadCheckout().then(function (module) { module.bag_changed(); });
    }
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
