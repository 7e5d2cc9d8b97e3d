/*! Shoppable loader: makes marked images on this page shoppable.
 *
 *   <script src=".../shoppable.js" data-api="https://shop.example/api" data-locale="fr" defer></script>
 *   <img src="look.jpg" data-shoppable-post="look-42">                   backend post
 *   <video src="look.mp4" controls data-shoppable-post="look-42">         a video's tags
 *   <shoppable-post post="look-42"></shoppable-post>                    custom element
 *   <img src="diy.jpg" data-shoppable-tags='[{"x":0.3,"y":0.6,"title":"Lampe","price":"49.00 EUR","url":"https://..."}]'>
 *
 * Single-page apps may call `Shoppable.configure({ api, locale })` instead of using data-*
 * attributes, then `Shoppable.mount(el)` / `Shoppable.unmount(el)` as views come and go.
 *
 * It stays tiny: the widget (WebAssembly) is fetched only when a marked image comes near the
 * viewport, and all images that arrive together are mounted with one batch request. The
 * widget fetches its product card and checkout chunks itself, on the shopper's first intent.
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
    timeout: data.timeout ? Number(data.timeout) : null,
    analytics: data.analytics || null
  };
  // The build writes the content-hashed names of the glue and of its wasm here
  // (scripts/build-widget.sh).
  var widgetUrl = new URL(data.widget || "widget.js", here).href;
  var wasmUrl = new URL("widget_bg.wasm", here).href;
  var SELECTOR = "img[data-shoppable-post], video[data-shoppable-post], img[data-shoppable-tags], shoppable-post";

  // The widget's wasm-bindgen module, imported and initialised once per instance. A failed
  // instance is replaced by importing the module again under another URL, which gives fresh
  // state (the browser serves the files from its cache).
  function wasmModule(url) {
    var module = { instance: 0, restarts: 0, loaded: null };
    var compiled;
    module.load = function () {
      if (!module.loaded) {
        var instance = module.instance;
        var href = new URL(url);
        if (instance) href.searchParams.set("shoppable-instance", instance);
        if (!data.widget) {
          // The glue's integrity, written by the build (the glue has its wasm's): a page that
          // pins this loader with SRI runs nothing the loader does not name. The import below
          // takes the module this preload checked.
          var preload = document.createElement("link");
          preload.rel = "modulepreload";
          preload.href = href.href;
          preload.integrity = "integrity-of-widget.js";
          preload.crossOrigin = "";
          document.head.appendChild(preload);
          // The wasm is fetched and compiled while the glue loads, once for every instance,
          // checked as the glue would. From bytes, not streamed: a streaming compile decodes
          // and checks the module on the page's main thread as it arrives, which on a phone
          // held back the first tags (bench/many-images.mjs; any content type works too).
          // Where that fails (a browser without WebAssembly), the glue tries on its own.
          compiled = compiled || fetch(wasmUrl, { integrity: "integrity-of-widget_bg.wasm" })
            .then(function (response) { return response.arrayBuffer(); })
            .then(function (bytes) { return WebAssembly.compile(bytes); })
            .catch(function () {});
        }
        var loaded = module.loaded = Promise.all([import(href.href), compiled]).then(function (both) {
          var exports = both[0];
          return exports.default(both[1] && { module_or_path: both[1] }).then(function () { loadedOnce(); return exports; });
        });
        loaded.catch(function (error) {
          if (failed(module, instance, error)) return;
          console.warn("Shoppable: could not load " + url, error);
          if (module.loaded === loaded) module.loaded = null; // the next use tries again
        });
      }
      return module.loaded;
    };
    // Calls the current instance; if it traps there, it is replaced. Never rejects: a guest
    // on the page leaves no unhandled rejection behind (failures are logged).
    module.call = function (use) {
      var instance = module.instance;
      // A module that could not load was logged by `load`.
      return module.load().then(use, function () {}).catch(function (error) {
        if (!failed(module, instance, error)) console.warn("Shoppable: the widget could not do that", error);
      });
    };
    return module;
  }
  var widget = wasmModule(widgetUrl);
  // `Shoppable.ready`: resolves once the widget's module has loaded (at the first mount or
  // checkout), so that a page can wait for it without polling.
  var loadedOnce;
  var ready = new Promise(function (resolve) { loadedOnce = resolve; });

  // Recovery. A bug that slips through makes a module trap ("unreachable"): its instance may
  // hold half-done state, so it is retired (its callbacks do nothing from then on) and a
  // fresh one mounts the same widgets again. Storage keeps the bag, the details typed and an
  // order in flight; an open sheet re-opens on its step.
  var MAX_RESTARTS = 3;
  // Whether `error` is a trap of `instance`; then that instance, if still current, is replaced
  // (a panic is reported by the module's hook and then traps: one restart for both).
  function failed(module, instance, error) {
    // (A browser may have no WebAssembly at all: iOS in Lockdown Mode.)
    if (!(window.WebAssembly && error instanceof WebAssembly.RuntimeError)) return false;
    if (module.instance === instance) restart();
    return true;
  }
  function restart() {
    var dead = widget.loaded;
    widget.loaded = null;
    widget.instance++;
    if (dead) dead.then(function (exports) { exports.shutdown(); }).catch(function () {});
    var stopped = ++widget.restarts > MAX_RESTARTS;
    if (stopped) console.error("Shoppable: the widget keeps failing; it stays off until the page is reloaded.");
    else console.warn("Shoppable: the widget failed and restarts.");
    var again = [];
    Array.prototype.forEach.call(document.querySelectorAll("[data-shoppable-mounted]"), function (image) {
      image.removeAttribute("data-shoppable-mounted");
      again.push(image.closest("shoppable-post") || image);
    });
    Array.prototype.forEach.call(document.querySelectorAll("shoppable-tags"), function (host) { host.remove(); });
    var sheet = document.querySelector("shoppable-checkout");
    var step = sheet && sheet.getAttribute("data-step");
    if (sheet) sheet.remove();
    if (!stopped) {
      if (again.length) mountNow(again);
      if (step) openCheckout(step, null);
      else resumeCheckout();
    }
    document.dispatchEvent(new CustomEvent("shoppable:restarted", { detail: { stopped: stopped } }));
  }
  // Traps in callbacks the browser runs (events, timers) reach the page, not the loader: the
  // stack names the widget's wasm files (its chunks, `split_card.<hash>.wasm`), or the tags'
  // module, compiled from bytes, by the name the build gives it and writes here
  // (scripts/name-module.mjs, scripts/build-widget.sh).
  var pkg = widgetUrl.replace(/[^/]*$/, "");
  function onUncaught(error) {
    var stack = String((error && error.stack) || "");
    var ours = stack.indexOf("wasm://wasm/module-name-") >= 0 || (stack.indexOf(pkg) >= 0 && /\.wasm\b/.test(stack));
    if (ours) failed(widget, widget.instance, error);
  }
  window.addEventListener("error", function (event) { onUncaught(event.error); });
  window.addEventListener("unhandledrejection", function (event) { onUncaught(event.reason); });

  // Whether this browser has a bag, orders or an order in flight with a shop, or the page was
  // opened from an order's link: then the bag badge (or the order) must show without a tap.
  function hasCheckoutState() {
    // A link to an order, from one of its e-mails.
    if (/[#&]shoppable-order=/.test(location.hash)) return true;
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
  // Elements whose mount is under way: a second mount of one of them meanwhile would replace
  // the widget the first one is drawing (and what the shopper did with it).
  var mounting = [];
  function isMounting(element) { return mounting.indexOf(element) >= 0; }
  function mountNow(elements) {
    if (widget.restarts > MAX_RESTARTS) return Promise.resolve(0);
    mounting = mounting.concat(elements);
    return widget.call(function (exports) { return exports.mount(elements, config); })
      .then(function (count) {
        mounting = mounting.filter(function (element) { return elements.indexOf(element) < 0; });
        return count;
      });
  }

  var nearViewport = "IntersectionObserver" in window
    ? new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          nearViewport.unobserve(entry.target);
          // `Shoppable.mount()` may have mounted it meanwhile, or be mounting it.
          if (!isMounted(entry.target) && !isMounting(entry.target)) enqueue(entry.target);
        });
      }, { rootMargin: "300px 0px" })
    : null;

  // Whether a marked image or video (or the media of a <shoppable-post>) has its widget.
  function isMounted(element) {
    return element.hasAttribute("data-shoppable-mounted") || !!element.querySelector("[data-shoppable-mounted]");
  }
  function watch(element) {
    // An image that comes back (virtual lists detach and re-attach nodes) is watched again;
    // one that already has its widget is not.
    if (isMounted(element) || pending.indexOf(element) >= 0) return;
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

  function openCheckout(step, opener) {
    if (widget.restarts > MAX_RESTARTS) return Promise.resolve();
    return widget.call(function (exports) { exports.open_checkout(step, opener, config); });
  }
  // The bag badge, and an order a reload interrupted, show without waiting for a tap.
  function resumeCheckout() {
    if (started && config.api != null && hasCheckoutState()) openCheckout("resume", null);
  }

  var started = false;
  function start() {
    started = true;
    // Reading storage (the first read opens it) waits until the page is idle: here it held
    // back the frame that brings the first tags (bench/many-images.mjs --explain).
    if (window.requestIdleCallback) requestIdleCallback(resumeCheckout, { timeout: 500 });
    else setTimeout(resumeCheckout, 0);
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
    // The crate's version, written by the build (scripts/build-widget.sh).
    version: "0.0.0-source",
    config: config,
    // The folder of the widget's files: the words of each language are fetched from it.
    files: pkg,
    ready: ready,
    /** Sets configuration fields (`api`, `locale`, ...) as the script tag's data-* attributes would; for widgets mounted from then on. */
    configure: function (options) {
      Object.assign(config, options);
      resumeCheckout();
    },
    /** Listens to the widget's events on `document`; returns the function that stops listening. */
    on: function (type, listener) {
      document.addEventListener(type, listener);
      return function () { document.removeEventListener(type, listener); };
    },
    /** Mounts (or re-mounts) widgets now, without waiting for the viewport; one already being mounted is left to that mount. */
    mount: function (target) {
      return mountNow(elementsOf(target).filter(function (element) { return !isMounting(element); }));
    },
    /** Removes the widgets from the given images, videos and posts, leaving them as they were. */
    unmount: function (target) {
      // Nothing is mounted before the module loads: then there is nothing to load it for.
      return widget.loaded ? widget.call(function (exports) {
        elementsOf(target).forEach(exports.unmount);
      }) : Promise.resolve();
    },
    /** Opens the checkout sheet at `step` ("bag" or "details"). */
    openCheckout: function (step, opener) {
      return openCheckout(step || "bag", opener || null);
    },
    /** Called by the widget's panic hook (`src/crash.rs`): this instance failed. */
    crashed: function () {
      var instance = widget.instance;
      // Once the dying instance is off the stack.
      setTimeout(function () { if (widget.instance === instance) restart(); }, 0);
    }
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
