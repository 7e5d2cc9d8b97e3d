// The `stripe` provider's card form, shown by the Shoppable widget in an iframe (the "Payment
// frame" contract of docs/PROTOCOL.md, `contract.js`). Stripe.js Elements take the card in
// this document, on the payment origin, and send it to Stripe; the shop's page receives only
// the PaymentMethod's id and a summary (brand, last 4 digits, expiry) over a MessagePort.
"use strict";
(function () {
  var TEXTS = {
    fr: {
      title: "Paiement par carte",
      card: "Carte bancaire",
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
      safety: "Your card details go straight to Stripe, our payment provider: neither the shop nor the page sees them.",
      invalid_card: "Check your card's number, expiry date and security code.",
      card_declined: "Your card was declined. Try another card.",
      insufficient_funds: "This card has insufficient funds. Try another card.",
      invalid_payment_token: "The payment expired. Enter your card again.",
      authentication_failed: "Your bank did not confirm the payment; nothing was charged. Try again or use another card.",
      network: "The payment service does not answer. Try again.",
    },
  };

  var frame = shoppableFrame({
    connected: function () { render(); frame.send({ type: "ready" }); },
    configured: function () { render(); },
    submit: function () { submit(); },
    declined: function (code) { declined(code); },
    authenticate: function (authentication) { authenticate(authentication); },
  });
  var stripe = Stripe(document.querySelector('meta[name="stripe-key"]').content, { locale: frame.lang });
  var card = stripe.elements().create("card", { hidePostalCode: true });
  var busy = false;

  function $(id) { return document.getElementById(id); }
  function t(key) { return TEXTS[frame.lang][key] || TEXTS.en[key] || key; }

  function render() {
    document.documentElement.lang = frame.lang;
    document.title = t("title");
    document.querySelectorAll("[data-t]").forEach(function (element) { element.textContent = t(element.getAttribute("data-t")); });
  }

  function failed(code, message) {
    $("alert").textContent = message;
    frame.send({ type: "error", code: code, message: message });
  }

  // The sheet's button: Stripe makes a PaymentMethod of the card, for the order request.
  function submit() {
    if (busy) return;
    busy = true;
    document.body.setAttribute("aria-busy", "true");
    $("alert").textContent = "";
    stripe.createPaymentMethod({ type: "card", card: card }).then(function (result) {
      var method = result && result.paymentMethod;
      if (method) {
        var summary = method.card || {};
        frame.send({ type: "token", token: method.id,
          card: { brand: summary.brand, last4: summary.last4, exp_month: summary.exp_month, exp_year: summary.exp_year } });
        return;
      }
      var error = (result && result.error) || {};
      // Stripe's own messages for the card (in the shopper's language), ours for the rest.
      var cardError = error.type === "card_error" || error.type === "validation_error";
      failed(error.code || "invalid_field", cardError && error.message ? error.message : t("invalid_card"));
    }, function () {
      failed("network", t("network"));
    }).then(function () {
      busy = false;
      document.body.setAttribute("aria-busy", "false");
    });
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
    $("alert").textContent = t(TEXTS.en[code] ? code : "card_declined");
    if (typeof card.clear === "function") card.clear();
  }

  card.on("change", function (event) {
    var message = event && event.error ? event.error.message : "";
    $("card-error").textContent = message;
    $("card-element").setAttribute("aria-invalid", message ? "true" : "false");
  });
  card.mount("#card-element");
  render();
})();
