// The frame's side of the "Payment frame" contract (docs/PROTOCOL.md), shared by the card forms
// of the reference backend's providers (frame.js for `test`, stripe.js for `stripe`): the
// connection (one checked message from the page, carrying a MessagePort), the widget's
// messages, its theme and language, and the frame's height.
//
// `shoppableFrame(handlers)` connects and returns { send(message), lang }; `lang` follows the
// widget. Handlers: connected() once a port is taken, configured() after a theme or language,
// submit(), declined(code), authenticate(authentication) (run the card's bank challenge of
// `authentication`, then send { type: "authenticated" }: the shop asks the provider how it ended).
"use strict";
window.shoppableFrame = function (handlers) {
  var CONNECT = "shoppable-payment-connect";
  // Theme values the widget may pass, and the custom property each sets.
  var THEME = { accent: "--accent", "accent-text": "--accent-text", text: "--text", background: "--background",
    font: "--font", radius: "--radius", focus: "--focus", error: "--error" };
  var params = new URLSearchParams(location.search);
  // The page that shows the form; the server serves the form only for an allowed one.
  var parentOrigin = params.get("origin");
  var port = null;
  var frame = {
    lang: pickLang(params.get("lang") || navigator.language),
    send: function (message) { if (port) port.postMessage(message); },
  };

  // The widget's languages (src/i18n.rs); any other is English.
  function pickLang(tag) {
    var primary = String(tag || "").toLowerCase().split(/[-_]/)[0];
    return ["fr", "en", "de", "es", "it"].indexOf(primary) >= 0 ? primary : "en";
  }

  window.addEventListener("message", function (event) {
    if (!parentOrigin || event.origin !== parentOrigin || event.source !== window.parent) return;
    var data = event.data;
    if (!data || data.type !== CONNECT || !event.ports || !event.ports[0]) return;
    if (port) port.close();
    port = event.ports[0];
    port.onmessage = onWidgetMessage;
    handlers.connected();
    lastHeight = 0;
    sendHeight();
  });

  function onWidgetMessage(event) {
    var message = event.data;
    if (!message || typeof message !== "object") return;
    switch (message.type) {
      case "configure":
        if (typeof message.lang === "string") frame.lang = pickLang(message.lang);
        applyTheme(message.theme);
        handlers.configured();
        break;
      case "submit":
        handlers.submit();
        break;
      case "declined":
        handlers.declined(String(message.code || "card_declined"));
        break;
      case "authenticate":
        var authentication = message.authentication;
        if (authentication && typeof authentication.client_secret === "string") handlers.authenticate(authentication);
        break;
      default: // unknown messages are ignored
    }
  }

  function applyTheme(theme) {
    if (!theme || typeof theme !== "object") return;
    Object.keys(THEME).forEach(function (name) {
      var value = theme[name];
      // A CSS value, nothing that could load anything or break out of the declaration.
      if (typeof value === "string" && value.length <= 200 && /^[\w\s#%().,'"+-]*$/.test(value) && !/url\s*\(|expression|image/i.test(value)) {
        document.documentElement.style.setProperty(THEME[name], value);
      }
    });
  }

  // The widget sizes the iframe to the content.
  var lastHeight = 0;
  function sendHeight() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height > 0 && height !== lastHeight) {
      lastHeight = height;
      frame.send({ type: "height", height: height });
    }
  }
  if (typeof ResizeObserver === "function") new ResizeObserver(sendHeight).observe(document.documentElement);

  return frame;
};
