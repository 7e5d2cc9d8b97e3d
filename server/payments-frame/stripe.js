// The `stripe` provider's card form, shown by the Shoppable widget in an iframe (the "Payment
// frame" contract of docs/PROTOCOL.md, `contract.js`). Stripe.js Elements take the card in
// this document, on the payment origin, and send it to Stripe; the shop's page receives only
// the PaymentMethod's id and a summary (brand, last 4 digits, expiry) over a MessagePort.
// "Remember this card" saves the card at Stripe through this origin's own endpoints (a
// Customer with the PaymentMethod attached): this origin's storage keeps the two ids, and the
// page gets a single-use token for each payment with it, never the ids. What both card forms
// share (the remembered card, the common words) is card-form.js.
"use strict";
(function () {
  // This form's own words; card-form.js has those both forms say.
  var TEXTS = {
    fr: {
      card: "Carte bancaire",
      safety: "Vos données de carte vont directement à Stripe, notre prestataire de paiement : ni la boutique ni la page ne les voient.",
      invalid_card: "Vérifiez le numéro, la date d'expiration et le cryptogramme de votre carte.",
    },
    en: {
      card: "Bank card",
      safety: "Your card details go straight to Stripe, our payment provider: neither the shop nor the page sees them.",
      invalid_card: "Check your card's number, expiry date and security code.",
    },
    de: {
      card: "Bankkarte",
      safety: "Ihre Kartendaten gehen direkt an Stripe, unseren Zahlungsdienstleister: Weder der Shop noch die Seite sehen sie.",
      invalid_card: "Prüfen Sie Kartennummer, Ablaufdatum und Prüfnummer Ihrer Karte.",
    },
    es: {
      card: "Tarjeta bancaria",
      safety: "Los datos de tu tarjeta van directamente a Stripe, nuestro proveedor de pagos: ni la tienda ni la página los ven.",
      invalid_card: "Comprueba el número, la fecha de caducidad y el código de seguridad de tu tarjeta.",
    },
    it: {
      card: "Carta bancaria",
      safety: "I dati della carta vanno direttamente a Stripe, il nostro fornitore dei pagamenti: né il negozio né la pagina li vedono.",
      invalid_card: "Controlla il numero, la data di scadenza e il codice di sicurezza della tua carta.",
    },
  };

  var form = shoppableCardForm({
    storageKey: "shoppable-stripe:saved-card",
    isCard: function (card) { return /^pm_/.test(card.id) && /^cus_/.test(card.customer); },
    texts: TEXTS,
    render: function () { form.render(); },
    submit: submit,
    focusCard: function () { if (typeof card.focus === "function") card.focus(); },
    handlers: {
      connected: function () { form.render(); form.sendReady(); },
      configured: function () { form.render(); },
      submit: function () { submit(); },
      declined: function (code) { declined(code); },
      authenticate: function (authentication) { authenticate(authentication); },
    },
  });
  var $ = form.$, t = form.t;
  var stripe = Stripe(document.querySelector('meta[name="stripe-key"]').content, { locale: form.frame.lang });
  var card = stripe.elements().create("card", { hidePostalCode: true });
  var busy = false;

  // The sheet's button, or a tap on the saved card: Stripe makes a PaymentMethod of the card
  // typed in (saved at Stripe when asked), or this origin gives a token for the saved one.
  function submit() {
    if (busy) return;
    busy = true;
    form.setBusy(true);
    $("alert").textContent = "";
    $("status").textContent = "";
    (form.usesSaved() ? useSaved() : useNew()).then(null, function () {
      form.failed("network", t("network"));
    }).then(function () {
      busy = false;
      form.setBusy(false);
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
        return form.failed(error.code || "invalid_field", cardError && error.message ? error.message : t("invalid_card"));
      }
      if (!remember) return form.frame.send({ type: "token", token: method.id, card: form.summary(method.card || {}) });
      return form.request("POST", "cards", { payment_method: method.id }).then(function (answer) {
        if (answer.status !== 201) return refused(answer.body);
        $("remember").checked = false;
        if (typeof card.clear === "function") card.clear();
        form.keep(answer.body.card);
        form.frame.send({ type: "token", token: answer.body.token, card: form.summary(answer.body.card) });
      });
    });
  }

  function useSaved() {
    var saved = form.saved();
    var path = "cards/" + encodeURIComponent(saved.id) + "/tokens";
    return form.request("POST", path, { customer: saved.customer }).then(function (answer) {
      if (answer.status === 201) return form.frame.send({ type: "token", token: answer.body.token, card: form.summary(answer.body.card) });
      if (answer.body && answer.body.code === "invalid_payment_token") {
        form.keep(null);
        return form.failed("saved_card_unknown", t("saved_unknown"));
      }
      refused(answer.body);
    });
  }

  // The payment origin refused: a card declined when saved is the shopper's to change.
  function refused(body) {
    var code = String((body && body.code) || "network");
    form.failed(code, t(form.says(code) ? code : "network"));
  }

  // The card's bank asks for a confirmation (3-D Secure): Stripe.js shows its challenge in this
  // frame. However it ends, the shop's server asks Stripe whether the payment went through.
  var authenticating = false;
  function authenticate(authentication) {
    if (authentication.provider !== "stripe" || authenticating) return;
    authenticating = true;
    $("alert").textContent = "";
    stripe.confirmCardPayment(authentication.client_secret).then(function () {
      form.frame.send({ type: "authenticated" });
    }, function () {
      form.failed("network", t("network"));
    }).then(function () { authenticating = false; });
  }

  // The order was refused for this card: say so here, and take another.
  function declined(code) {
    form.choose("new");
    form.render();
    $("alert").textContent = t(form.says(code) ? code : "card_declined");
    if (typeof card.clear === "function") card.clear();
  }

  card.on("change", function (event) {
    var message = event && event.error ? event.error.message : "";
    $("card-error").textContent = message;
    $("card-element").setAttribute("aria-invalid", message ? "true" : "false");
  });
  card.mount("#card-element");
  form.render();
})();
