// The `stripe` provider's card form, shown by the Shoppable widget in an iframe (the "Payment
// frame" contract of docs/PROTOCOL.md, `contract.js`). Stripe.js Elements take the card in
// this document, on the payment origin, and send it to Stripe; the shop's page receives only
// the PaymentMethod's id and a summary (brand, last 4 digits, expiry) over a MessagePort.
// "Remember this card" saves the card at Stripe through this origin's own endpoints (a
// Customer with the PaymentMethod attached): this origin's storage keeps the two ids, and the
// page gets a single-use token for each payment with it, never the ids.
"use strict";
(function () {
  var STORAGE_KEY = "shoppable-stripe:saved-card";
  var TEXTS = {
    fr: {
      title: "Paiement par carte",
      card: "Carte bancaire",
      remember: "Mémoriser cette carte", other: "Utiliser une autre carte", forget: "Oublier cette carte",
      expires: "Expire fin", forgotten: "Carte oubliée.",
      saved_unknown: "Cette carte n'est plus mémorisée. Saisissez-la à nouveau.",
      safety: "Vos données de carte vont directement à Stripe, notre prestataire de paiement : ni la boutique ni la page ne les voient.",
      invalid_card: "Vérifiez le numéro, la date d'expiration et le cryptogramme de votre carte.",
      card_declined: "Votre carte a été refusée. Essayez une autre carte.",
      insufficient_funds: "Fonds insuffisants sur cette carte. Essayez une autre carte.",
      invalid_payment_token: "Le paiement a expiré. Saisissez à nouveau votre carte.",
      authentication_failed: "Votre banque n'a pas confirmé le paiement ; rien n'a été débité. Réessayez ou utilisez une autre carte.",
      network: "Le service de paiement ne répond pas. Réessayez.",
    },
    en: {
      title: "Card payment",
      card: "Bank card",
      remember: "Remember this card", other: "Use another card", forget: "Forget this card",
      expires: "Expires end of", forgotten: "Card forgotten.",
      saved_unknown: "This card is no longer remembered. Enter it again.",
      safety: "Your card details go straight to Stripe, our payment provider: neither the shop nor the page sees them.",
      invalid_card: "Check your card's number, expiry date and security code.",
      card_declined: "Your card was declined. Try another card.",
      insufficient_funds: "This card has insufficient funds. Try another card.",
      invalid_payment_token: "The payment expired. Enter your card again.",
      authentication_failed: "Your bank did not confirm the payment; nothing was charged. Try again or use another card.",
      network: "The payment service does not answer. Try again.",
    },
    de: {
      authentication_failed: "Ihre Bank hat die Zahlung nicht bestätigt; es wurde nichts abgebucht. Versuchen Sie es erneut oder verwenden Sie eine andere Karte.",
      remember: "Diese Karte speichern", other: "Andere Karte verwenden", forget: "Diese Karte vergessen",
      expires: "Gültig bis Ende", forgotten: "Karte vergessen.",
      saved_unknown: "Diese Karte ist nicht mehr gespeichert. Geben Sie sie erneut ein.",
      title: "Kartenzahlung",
      card: "Bankkarte",
      safety: "Ihre Kartendaten gehen direkt an Stripe, unseren Zahlungsdienstleister: Weder der Shop noch die Seite sehen sie.",
      invalid_card: "Prüfen Sie Kartennummer, Ablaufdatum und Prüfnummer Ihrer Karte.",
      card_declined: "Ihre Karte wurde abgelehnt. Versuchen Sie es mit einer anderen Karte.",
      insufficient_funds: "Diese Karte ist nicht ausreichend gedeckt. Versuchen Sie es mit einer anderen Karte.",
      invalid_payment_token: "Die Zahlung ist abgelaufen. Geben Sie Ihre Karte erneut ein.",
      network: "Der Zahlungsdienst antwortet nicht. Versuchen Sie es erneut.",
    },
    es: {
      authentication_failed: "Tu banco no ha confirmado el pago; no se ha cobrado nada. Vuelve a intentarlo o usa otra tarjeta.",
      remember: "Recordar esta tarjeta", other: "Usar otra tarjeta", forget: "Olvidar esta tarjeta",
      expires: "Caduca a finales de", forgotten: "Tarjeta olvidada.",
      saved_unknown: "Esta tarjeta ya no está guardada. Vuelve a introducirla.",
      title: "Pago con tarjeta",
      card: "Tarjeta bancaria",
      safety: "Los datos de tu tarjeta van directamente a Stripe, nuestro proveedor de pagos: ni la tienda ni la página los ven.",
      invalid_card: "Comprueba el número, la fecha de caducidad y el código de seguridad de tu tarjeta.",
      card_declined: "Tu tarjeta ha sido rechazada. Prueba con otra tarjeta.",
      insufficient_funds: "Esta tarjeta no tiene fondos suficientes. Prueba con otra tarjeta.",
      invalid_payment_token: "El pago ha caducado. Vuelve a introducir tu tarjeta.",
      network: "El servicio de pago no responde. Vuelve a intentarlo.",
    },
    it: {
      authentication_failed: "La tua banca non ha confermato il pagamento; non è stato addebitato nulla. Riprova o usa un'altra carta.",
      remember: "Ricorda questa carta", other: "Usa un'altra carta", forget: "Dimentica questa carta",
      expires: "Scade a fine", forgotten: "Carta dimenticata.",
      saved_unknown: "Questa carta non è più memorizzata. Inseriscila di nuovo.",
      title: "Pagamento con carta",
      card: "Carta bancaria",
      safety: "I dati della carta vanno direttamente a Stripe, il nostro fornitore dei pagamenti: né il negozio né la pagina li vedono.",
      invalid_card: "Controlla il numero, la data di scadenza e il codice di sicurezza della tua carta.",
      card_declined: "La tua carta è stata rifiutata. Prova con un'altra carta.",
      insufficient_funds: "Fondi insufficienti su questa carta. Prova con un'altra carta.",
      invalid_payment_token: "Il pagamento è scaduto. Inserisci di nuovo la tua carta.",
      network: "Il servizio di pagamento non risponde. Riprova.",
    },
  };

  var BRANDS = { visa: "Visa", mastercard: "Mastercard", amex: "American Express" };

  var frame = shoppableFrame({
    connected: function () { render(); sendReady(); },
    configured: function () { render(); },
    submit: function () { submit(); },
    declined: function (code) { declined(code); },
    authenticate: function (authentication) { authenticate(authentication); },
  });
  var stripe = Stripe(document.querySelector('meta[name="stripe-key"]').content, { locale: frame.lang });
  var card = stripe.elements().create("card", { hidePostalCode: true });
  var busy = false;
  // { id: "pm_…", customer: "cus_…", brand, last4, exp_month, exp_year }, or null.
  var saved = readSaved();
  var mode = saved ? "saved" : "new";

  function $(id) { return document.getElementById(id); }
  // No fallback: tests/e2e/payment-frame.test.js checks that every language has every text.
  function t(key) { return TEXTS[frame.lang][key]; }
  function summary(card) { return { brand: card.brand, last4: card.last4, exp_month: card.exp_month, exp_year: card.exp_year }; }

  function readSaved() {
    try {
      var card = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
      return card && /^pm_/.test(card.id) && /^cus_/.test(card.customer) && typeof card.last4 === "string" ? card : null;
    } catch (e) {
      return null; // storage disabled: nothing is remembered
    }
  }
  function keep(card) {
    saved = card;
    mode = card ? "saved" : "new";
    try {
      if (card) localStorage.setItem(STORAGE_KEY, JSON.stringify(card));
      else localStorage.removeItem(STORAGE_KEY);
    } catch (e) { /* storage disabled or full: the card is not remembered */ }
    render();
    sendReady();
  }
  function sendReady() { frame.send(saved ? { type: "ready", saved_card: summary(saved) } : { type: "ready" }); }

  function render() {
    document.documentElement.lang = frame.lang;
    document.title = t("title");
    document.querySelectorAll("[data-t]").forEach(function (element) { element.textContent = t(element.getAttribute("data-t")); });
    $("saved").hidden = !saved;
    if (saved) {
      var brand = BRANDS[saved.brand] || saved.brand;
      $("use-saved").textContent = brand + " •••• " + saved.last4;
      $("use-saved").setAttribute("aria-pressed", mode === "saved" ? "true" : "false");
      var expiry = saved.exp_month ? String(saved.exp_month).padStart(2, "0") + "/" + String(saved.exp_year).slice(-2) : "";
      $("saved-expiry").textContent = expiry ? t("expires") + " " + expiry : "";
    }
    $("other").hidden = mode !== "saved";
    $("card").hidden = mode === "saved";
  }

  // This origin's endpoints for saved cards (relative to this page), JSON both ways.
  function vault(method, path, body) {
    var init = { method: method, credentials: "omit", cache: "no-store" };
    if (body) { init.headers = { "content-type": "application/json" }; init.body = JSON.stringify(body); }
    return fetch("cards" + path, init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) { return { status: response.status, body: json }; });
    });
  }

  function failed(code, message) {
    $("alert").textContent = message;
    frame.send({ type: "error", code: code, message: message });
  }

  // The sheet's button, or a tap on the saved card: Stripe makes a PaymentMethod of the card
  // typed in (saved at Stripe when asked), or this origin gives a token for the saved one.
  function submit() {
    if (busy) return;
    busy = true;
    document.body.setAttribute("aria-busy", "true");
    $("use-saved").disabled = true;
    $("alert").textContent = "";
    $("status").textContent = "";
    (mode === "saved" && saved ? useSaved() : useNew()).then(null, function () {
      failed("network", t("network"));
    }).then(function () {
      busy = false;
      document.body.setAttribute("aria-busy", "false");
      $("use-saved").disabled = false;
    });
  }

  function useNew() {
    var remember = $("remember").checked;
    return stripe.createPaymentMethod({ type: "card", card: card }).then(function (result) {
      var method = result && result.paymentMethod;
      if (!method) {
        var error = (result && result.error) || {};
        // Stripe's own messages for the card (in the shopper's language), ours for the rest.
        var cardError = error.type === "card_error" || error.type === "validation_error";
        return failed(error.code || "invalid_field", cardError && error.message ? error.message : t("invalid_card"));
      }
      if (!remember) return frame.send({ type: "token", token: method.id, card: summary(method.card || {}) });
      return vault("POST", "", { payment_method: method.id }).then(function (answer) {
        if (answer.status !== 201) return refused(answer.body);
        $("remember").checked = false;
        if (typeof card.clear === "function") card.clear();
        keep(answer.body.card);
        frame.send({ type: "token", token: answer.body.token, card: summary(answer.body.card) });
      });
    });
  }

  function useSaved() {
    var path = "/" + encodeURIComponent(saved.id) + "/tokens";
    return vault("POST", path, { customer: saved.customer }).then(function (answer) {
      if (answer.status === 201) return frame.send({ type: "token", token: answer.body.token, card: summary(answer.body.card) });
      if (answer.body && answer.body.code === "invalid_payment_token") {
        keep(null);
        return failed("saved_card_unknown", t("saved_unknown"));
      }
      refused(answer.body);
    });
  }

  // The payment origin refused: a card declined when saved is the shopper's to change.
  function refused(body) {
    var code = String((body && body.code) || "network");
    failed(code, t(TEXTS.en[code] ? code : "network"));
  }

  // The card's bank asks for a confirmation (3-D Secure): Stripe.js shows its challenge in this
  // frame. However it ends, the shop's server asks Stripe whether the payment went through.
  var authenticating = false;
  function authenticate(authentication) {
    if (authentication.provider !== "stripe" || authenticating) return;
    authenticating = true;
    $("alert").textContent = "";
    stripe.confirmCardPayment(authentication.client_secret).then(function () {
      frame.send({ type: "authenticated" });
    }, function () {
      failed("network", t("network"));
    }).then(function () { authenticating = false; });
  }

  // The order was refused for this card: say so here, and take another.
  function declined(code) {
    mode = "new";
    render();
    $("alert").textContent = t(TEXTS.en[code] ? code : "card_declined");
    if (typeof card.clear === "function") card.clear();
  }

  $("use-saved").addEventListener("click", function () {
    mode = "saved";
    render();
    submit();
  });
  $("other").addEventListener("click", function () {
    mode = "new";
    $("alert").textContent = "";
    render();
  });
  $("forget").addEventListener("click", function () {
    var forgotten = saved;
    keep(null);
    $("status").textContent = t("forgotten");
    vault("DELETE", "/" + encodeURIComponent(forgotten.id) + "?customer=" + encodeURIComponent(forgotten.customer)).catch(function () {});
  });
  $("card").addEventListener("submit", function (event) { event.preventDefault(); submit(); });

  card.on("change", function (event) {
    var message = event && event.error ? event.error.message : "";
    $("card-error").textContent = message;
    $("card-element").setAttribute("aria-invalid", message ? "true" : "false");
  });
  card.mount("#card-element");
  render();
})();
