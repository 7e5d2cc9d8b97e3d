// What the reference backend's two card forms (frame.js for `test`, stripe.js for `stripe`)
// share on top of the frame's contract (contract.js): the words both say, in the widget's five
// languages, and the card the shopper asked this origin to remember: where it is kept, how
// the "saved" section shows it, and the `ready` message that tells the widget about it.
//
// `shoppableCardForm(options)` connects (`shoppableFrame(options.handlers)`) and returns the
// form. Options: storageKey, isCard(card) (whether a stored card is one of this provider's),
// texts (the provider's own words, the same keys in every language), render() (the provider's
// whole view, called when the remembered card changes), submit() (pay: the sheet's button,
// Enter, or a tap on the remembered card) and focusCard() (where the shopper types a card).
"use strict";
window.shoppableCardForm = function (options) {
  var TEXTS = {
    fr: {
      title: "Paiement par carte",
      remember: "Mémoriser cette carte",
      other: "Utiliser une autre carte",
      forget: "Oublier cette carte",
      expires: "Expire fin",
      forgotten: "Carte oubliée.",
      saved_unknown: "Cette carte n'est plus mémorisée. Saisissez-la à nouveau.",
      card_declined: "Votre carte a été refusée. Essayez une autre carte.",
      insufficient_funds: "Fonds insuffisants sur cette carte. Essayez une autre carte.",
      invalid_payment_token: "Le paiement a expiré. Saisissez à nouveau votre carte.",
      authentication_failed: "Votre banque n'a pas confirmé le paiement ; rien n'a été débité. Réessayez ou utilisez une autre carte.",
      network: "Le service de paiement ne répond pas. Réessayez.",
    },
    en: {
      title: "Card payment",
      remember: "Remember this card",
      other: "Use another card",
      forget: "Forget this card",
      expires: "Expires end of",
      forgotten: "Card forgotten.",
      saved_unknown: "This card is no longer remembered. Enter it again.",
      card_declined: "Your card was declined. Try another card.",
      insufficient_funds: "This card has insufficient funds. Try another card.",
      invalid_payment_token: "The payment expired. Enter your card again.",
      authentication_failed: "Your bank did not confirm the payment; nothing was charged. Try again or use another card.",
      network: "The payment service does not answer. Try again.",
    },
    de: {
      title: "Kartenzahlung",
      remember: "Diese Karte speichern",
      other: "Andere Karte verwenden",
      forget: "Diese Karte vergessen",
      expires: "Gültig bis Ende",
      forgotten: "Karte vergessen.",
      saved_unknown: "Diese Karte ist nicht mehr gespeichert. Geben Sie sie erneut ein.",
      card_declined: "Ihre Karte wurde abgelehnt. Versuchen Sie es mit einer anderen Karte.",
      insufficient_funds: "Diese Karte ist nicht ausreichend gedeckt. Versuchen Sie es mit einer anderen Karte.",
      invalid_payment_token: "Die Zahlung ist abgelaufen. Geben Sie Ihre Karte erneut ein.",
      authentication_failed: "Ihre Bank hat die Zahlung nicht bestätigt; es wurde nichts abgebucht. Versuchen Sie es erneut oder verwenden Sie eine andere Karte.",
      network: "Der Zahlungsdienst antwortet nicht. Versuchen Sie es erneut.",
    },
    es: {
      title: "Pago con tarjeta",
      remember: "Recordar esta tarjeta",
      other: "Usar otra tarjeta",
      forget: "Olvidar esta tarjeta",
      expires: "Caduca a finales de",
      forgotten: "Tarjeta olvidada.",
      saved_unknown: "Esta tarjeta ya no está guardada. Vuelve a introducirla.",
      card_declined: "Tu tarjeta ha sido rechazada. Prueba con otra tarjeta.",
      insufficient_funds: "Esta tarjeta no tiene fondos suficientes. Prueba con otra tarjeta.",
      invalid_payment_token: "El pago ha caducado. Vuelve a introducir tu tarjeta.",
      authentication_failed: "Tu banco no ha confirmado el pago; no se ha cobrado nada. Vuelve a intentarlo o usa otra tarjeta.",
      network: "El servicio de pago no responde. Vuelve a intentarlo.",
    },
    it: {
      title: "Pagamento con carta",
      remember: "Ricorda questa carta",
      other: "Usa un'altra carta",
      forget: "Dimentica questa carta",
      expires: "Scade a fine",
      forgotten: "Carta dimenticata.",
      saved_unknown: "Questa carta non è più memorizzata. Inseriscila di nuovo.",
      card_declined: "La tua carta è stata rifiutata. Prova con un'altra carta.",
      insufficient_funds: "Fondi insufficienti su questa carta. Prova con un'altra carta.",
      invalid_payment_token: "Il pagamento è scaduto. Inserisci di nuovo la tua carta.",
      authentication_failed: "La tua banca non ha confermato il pagamento; non è stato addebitato nulla. Riprova o usa un'altra carta.",
      network: "Il servizio di pagamento non risponde. Riprova.",
    },
  };
  var BRANDS = { visa: "Visa", mastercard: "Mastercard", amex: "American Express" };
  var words = {};
  Object.keys(TEXTS).forEach(function (lang) { words[lang] = Object.assign({}, TEXTS[lang], options.texts[lang]); });

  var frame = shoppableFrame(options.handlers);
  // The remembered card (its ids stay on this origin; the page sees only summary(card)), and
  // whether the next payment uses it ("saved") or a card typed in ("new").
  var saved = read();
  var mode = saved ? "saved" : "new";

  function $(id) { return document.getElementById(id); }
  function two(n) { return String(n).padStart(2, "0").slice(-2); }
  function brandName(brand) { return BRANDS[brand] || brand.charAt(0).toUpperCase() + brand.slice(1); }

  function read() {
    try {
      var card = JSON.parse(localStorage.getItem(options.storageKey) || "null");
      return card && typeof card.last4 === "string" && options.isCard(card) ? card : null;
    } catch (e) {
      return null; // storage disabled: nothing is remembered
    }
  }

  var form = {
    frame: frame,
    $: $,
    // No fallback: tests/e2e/payment-frame.test.js checks that every language has every text.
    t: function (key) { return words[frame.lang][key]; },
    /** Whether a refusal's `code` has words of its own (otherwise a general one is said). */
    says: function (code) { return Object.prototype.hasOwnProperty.call(words.en, code); },
    saved: function () { return saved; },
    usesSaved: function () { return mode === "saved" && !!saved; },
    /** The next payment uses the remembered card (when there is one), or one typed in. */
    choose: function (next) { mode = next === "saved" && saved ? "saved" : "new"; },
    /** Remembers `card` (null: forgets), chooses it for the next payment, and tells the widget. */
    keep: function (card) {
      saved = card;
      mode = card ? "saved" : "new";
      try {
        if (card) localStorage.setItem(options.storageKey, JSON.stringify(card));
        else localStorage.removeItem(options.storageKey);
      } catch (e) { /* storage disabled or full: the card is not remembered */ }
      options.render();
      form.sendReady();
    },
    summary: function (card) { return { brand: card.brand, last4: card.last4, exp_month: card.exp_month, exp_year: card.exp_year }; },
    sendReady: function () { frame.send(saved ? { type: "ready", saved_card: form.summary(saved) } : { type: "ready" }); },
    /** The words, and the remembered card or the form to type one in. */
    render: function () {
      document.documentElement.lang = frame.lang;
      document.title = form.t("title");
      document.querySelectorAll("[data-t]").forEach(function (element) { element.textContent = form.t(element.getAttribute("data-t")); });
      $("saved").hidden = !saved;
      if (saved) {
        $("use-saved").textContent = brandName(saved.brand) + " •••• " + saved.last4;
        $("use-saved").setAttribute("aria-pressed", mode === "saved" ? "true" : "false");
        $("saved-expiry").textContent = saved.exp_month ? form.t("expires") + " " + two(saved.exp_month) + "/" + two(saved.exp_year) : "";
      }
      $("other").hidden = mode !== "saved";
      $("card").hidden = mode === "saved";
    },
    /** A refusal said in the form and to the widget. */
    failed: function (code, message) {
      $("alert").textContent = message;
      frame.send({ type: "error", code: code, message: message });
    },
    setBusy: function (busy) {
      document.body.setAttribute("aria-busy", busy ? "true" : "false");
      $("use-saved").disabled = busy;
    },
    /** `method` on this origin's endpoint `path` (relative to the form), JSON both ways. */
    request: function (method, path, body) {
      var init = { method: method, credentials: "omit", cache: "no-store" };
      if (body) { init.headers = { "content-type": "application/json" }; init.body = JSON.stringify(body); }
      return fetch(path, init).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) { return { status: response.status, body: json }; });
      });
    },
  };

  $("use-saved").addEventListener("click", function () {
    form.choose("saved");
    options.render();
    options.submit();
  });
  $("other").addEventListener("click", function () {
    form.choose("new");
    $("alert").textContent = "";
    options.render();
    options.focusCard();
  });
  $("forget").addEventListener("click", function () {
    var forgotten = saved;
    form.keep(null);
    $("status").textContent = form.t("forgotten");
    options.focusCard();
    // The provider's copy goes too; a failure leaves only an unreachable one (this origin forgot its id).
    var customer = forgotten.customer ? "?customer=" + encodeURIComponent(forgotten.customer) : "";
    form.request("DELETE", "cards/" + encodeURIComponent(forgotten.id) + customer).catch(function () {});
  });
  $("card").addEventListener("submit", function (event) { event.preventDefault(); options.submit(); });
  return form;
};
