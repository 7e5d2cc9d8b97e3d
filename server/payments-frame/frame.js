// The `test` payment provider's card form, shown by the Shoppable widget in an iframe (the
// "Payment frame" contract of docs/PROTOCOL.md). The card number and the security code stay
// in this document, on the provider's origin: they go to this origin's own endpoints
// (same-origin fetch), and the shop's page receives only a single-use token and a summary
// (brand, last 4 digits, expiry) over a MessagePort. What both card forms share (the
// remembered card, the common words) is card-form.js.
"use strict";
(function () {
  // This form's own words; card-form.js has those both forms say.
  var TEXTS = {
    fr: {
      number: "Numéro de carte",
      expiry: "Expiration (MM/AA)",
      cvc: "Cryptogramme (CVC)",
      safety: "Vos données de carte sont saisies chez le prestataire de paiement : ni la boutique ni la page ne les voient.",
      test: "Prestataire de test : carte 4242 4242 4242 4242, date future, CVC 123 ; 4000 0000 0000 0002 est refusée ; 4000 0027 6000 3184 demande une confirmation (3-D Secure).",
      required_number: "Indiquez le numéro de votre carte.",
      invalid_number: "Ce numéro de carte n'est pas valide.",
      invalid_expiry: "Indiquez la date d'expiration au format MM/AA.",
      expired: "Cette carte a expiré.",
      invalid_cvc: "Le cryptogramme a 3 chiffres (4 pour American Express).",
      challenge_title: "Confirmez ce paiement",
      challenge_text: "Banque de test (3-D Secure) : votre banque demande de confirmer ce paiement.",
      challenge_complete: "Confirmer le paiement",
      challenge_fail: "Refuser",
    },
    en: {
      number: "Card number",
      expiry: "Expiry (MM/YY)",
      cvc: "Security code (CVC)",
      safety: "Your card details are entered with the payment provider: neither the shop nor the page sees them.",
      test: "Test provider: card 4242 4242 4242 4242, a future date, CVC 123; 4000 0000 0000 0002 is declined; 4000 0027 6000 3184 asks for a confirmation (3-D Secure).",
      required_number: "Enter your card number.",
      invalid_number: "This card number is not valid.",
      invalid_expiry: "Enter the expiry date as MM/YY.",
      expired: "This card has expired.",
      invalid_cvc: "The security code has 3 digits (4 for American Express).",
      challenge_title: "Confirm this payment",
      challenge_text: "Test bank (3-D Secure): your bank asks you to confirm this payment.",
      challenge_complete: "Complete",
      challenge_fail: "Fail",
    },
    de: {
      challenge_title: "Bestätigen Sie diese Zahlung",
      challenge_text: "Testbank (3-D Secure): Ihre Bank bittet Sie, diese Zahlung zu bestätigen.",
      challenge_complete: "Zahlung bestätigen",
      challenge_fail: "Ablehnen",
      number: "Kartennummer",
      expiry: "Ablaufdatum (MM/JJ)",
      cvc: "Prüfnummer (CVC)",
      safety: "Ihre Kartendaten geben Sie beim Zahlungsdienstleister ein: Weder der Shop noch die Seite sehen sie.",
      test: "Testanbieter: Karte 4242 4242 4242 4242, ein Datum in der Zukunft, CVC 123; 4000 0000 0000 0002 wird abgelehnt.",
      required_number: "Geben Sie Ihre Kartennummer ein.",
      invalid_number: "Diese Kartennummer ist ungültig.",
      invalid_expiry: "Geben Sie das Ablaufdatum als MM/JJ ein.",
      expired: "Diese Karte ist abgelaufen.",
      invalid_cvc: "Die Prüfnummer hat 3 Ziffern (4 bei American Express).",
    },
    es: {
      challenge_title: "Confirma este pago",
      challenge_text: "Banco de prueba (3-D Secure): tu banco te pide que confirmes este pago.",
      challenge_complete: "Confirmar el pago",
      challenge_fail: "Rechazar",
      number: "Número de tarjeta",
      expiry: "Caducidad (MM/AA)",
      cvc: "Código de seguridad (CVC)",
      safety: "Los datos de tu tarjeta se introducen en el proveedor de pagos: ni la tienda ni la página los ven.",
      test: "Proveedor de prueba: tarjeta 4242 4242 4242 4242, una fecha futura, CVC 123; 4000 0000 0000 0002 se rechaza.",
      required_number: "Introduce el número de tu tarjeta.",
      invalid_number: "Este número de tarjeta no es válido.",
      invalid_expiry: "Introduce la fecha de caducidad como MM/AA.",
      expired: "Esta tarjeta ha caducado.",
      invalid_cvc: "El código de seguridad tiene 3 cifras (4 en American Express).",
    },
    it: {
      challenge_title: "Conferma questo pagamento",
      challenge_text: "Banca di prova (3-D Secure): la tua banca ti chiede di confermare questo pagamento.",
      challenge_complete: "Conferma il pagamento",
      challenge_fail: "Rifiuta",
      number: "Numero della carta",
      expiry: "Scadenza (MM/AA)",
      cvc: "Codice di sicurezza (CVC)",
      safety: "I dati della carta si inseriscono presso il fornitore dei pagamenti: né il negozio né la pagina li vedono.",
      test: "Fornitore di prova: carta 4242 4242 4242 4242, una data futura, CVC 123; 4000 0000 0000 0002 viene rifiutata.",
      required_number: "Inserisci il numero della tua carta.",
      invalid_number: "Questo numero di carta non è valido.",
      invalid_expiry: "Inserisci la data di scadenza nel formato MM/AA.",
      expired: "Questa carta è scaduta.",
      invalid_cvc: "Il codice di sicurezza ha 3 cifre (4 per American Express).",
    },
  };

  var form = shoppableCardForm({
    storageKey: "shoppable-test-provider:saved-card",
    isCard: function (card) { return typeof card.id === "string"; },
    texts: TEXTS,
    render: render,
    submit: submit,
    focusCard: function () { $("number").focus(); },
    handlers: {
      connected: function () { render(); form.sendReady(); },
      configured: function () { render(); },
      submit: function () { submit(); },
      declined: function (code) { declined(code); },
      authenticate: function (authentication) { authenticate(authentication); },
    },
  });
  var $ = form.$, t = form.t;
  var busy = false;
  // The challenge shown (its id), until the shopper answers it.
  var challenge = null;
  var fields = ["number", "expiry", "cvc"];

  // --- view ---
  function render() {
    form.render();
    if (challenge) $("saved").hidden = $("card").hidden = true;
    $("challenge").hidden = !challenge;
    fields.forEach(function (name) { if (!$(name + "-error").textContent) $(name).setAttribute("aria-invalid", "false"); });
  }

  function setBusy(value) {
    busy = value;
    form.setBusy(value);
  }
  function send(message) { form.frame.send(message); }

  function showError(name, key) {
    $(name + "-error").textContent = key ? t(key) : "";
    $(name).setAttribute("aria-invalid", key ? "true" : "false");
  }
  function clearErrors() { fields.forEach(function (name) { showError(name, null); }); $("alert").textContent = ""; }
  function clearFields() { fields.forEach(function (name) { $(name).value = ""; }); }

  // --- checks, as the provider's servers make them ---
  function luhn(digits) {
    var sum = 0;
    for (var i = 0; i < digits.length; i++) {
      var digit = digits.charCodeAt(digits.length - 1 - i) - 48;
      if (i % 2 === 1) { digit *= 2; if (digit > 9) digit -= 9; }
      sum += digit;
    }
    return digits.length > 0 && sum % 10 === 0;
  }
  function parseExpiry(text) {
    var match = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(text);
    if (!match) return null;
    var month = Number(match[1]);
    var year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
    return month >= 1 && month <= 12 ? { month: month, year: year } : null;
  }
  /** The card as typed, or null after marking every problem. */
  function check() {
    var number = $("number").value.replace(/[\s-]/g, "");
    var problems = {};
    if (!number) problems.number = "required_number";
    else if (!/^\d{12,19}$/.test(number) || !luhn(number)) problems.number = "invalid_number";
    var expiry = parseExpiry($("expiry").value);
    var now = new Date();
    if (!expiry) problems.expiry = "invalid_expiry";
    else if (expiry.year * 12 + expiry.month < now.getFullYear() * 12 + now.getMonth() + 1) problems.expiry = "expired";
    var cvc = $("cvc").value.trim();
    var amex = /^3[47]/.test(number);
    if (!(amex ? /^\d{4}$/ : /^\d{3}$/).test(cvc)) problems.cvc = "invalid_cvc";
    fields.forEach(function (name) { showError(name, problems[name]); });
    var first = fields.filter(function (name) { return problems[name]; })[0];
    if (first) {
      $(first).focus();
      send({ type: "error", code: first === "number" ? "invalid_card_number" : first === "cvc" ? "invalid_cvc" : "invalid_field", message: t(problems[first]) });
      return null;
    }
    return { number: number, exp_month: expiry.month, exp_year: expiry.year, cvc: cvc };
  }

  // Relative to this page: the provider's own endpoints, same origin.
  function post(path, body) { return form.request("POST", path, body); }

  function failed(code, key) { form.failed(code, t(key)); }

  // --- submit: the sheet's button, Enter in a field, or a tap on the remembered card ---
  function submit() {
    if (busy) return;
    clearErrors();
    $("status").textContent = "";
    if (form.usesSaved()) return useSaved();
    var card = check();
    if (!card) return;
    var remember = $("remember").checked;
    var expiry = { month: card.exp_month, year: card.exp_year };
    setBusy(true);
    post(remember ? "cards" : "tokens", card).then(function (answer) {
      card = null;
      if (answer.status !== 201) return refused(answer.body);
      var body = answer.body;
      var cardSummary = remember ? body.card : { brand: body.brand, last4: body.last4, exp_month: expiry.month, exp_year: expiry.year };
      clearFields();
      $("remember").checked = false;
      if (remember) {
        form.keep({ id: body.card.id, brand: body.card.brand, last4: body.card.last4, exp_month: body.card.exp_month, exp_year: body.card.exp_year });
      }
      send({ type: "token", token: body.token, card: form.summary(cardSummary) });
    }, function () {
      failed("network", "network");
    }).then(function () { setBusy(false); });
  }
  function refused(body) {
    var field = { number: "number", exp_month: "expiry", exp_year: "expiry", cvc: "cvc" }[body && body.field];
    var key = { invalid_card_number: "invalid_number", card_expired: "expired", invalid_cvc: "invalid_cvc", invalid_field: "invalid_expiry" }[body && body.code];
    if (field && key) {
      showError(field, key);
      $(field).focus();
      send({ type: "error", code: body.code, message: t(key) });
    } else {
      failed(String((body && body.code) || "network"), "network");
    }
  }

  function useSaved() {
    setBusy(true);
    var saved = form.saved();
    post("cards/" + encodeURIComponent(saved.id) + "/tokens").then(function (answer) {
      if (answer.status === 201) {
        send({ type: "token", token: answer.body.token, card: form.summary(saved) });
      } else if (answer.status === 404 || (answer.body && answer.body.code === "card_expired")) {
        form.keep(null);
        failed("saved_card_unknown", answer.status === 404 ? "saved_unknown" : "expired");
      } else {
        failed(String((answer.body && answer.body.code) || "network"), "network");
      }
    }, function () {
      failed("network", "network");
    }).then(function () { setBusy(false); });
  }

  function declined(code) {
    var key = form.says(code) ? code : "card_declined";
    challenge = null;
    clearErrors();
    clearFields();
    form.choose("new");
    render();
    $("alert").textContent = t(key);
  }

  // --- the card's bank challenge (3-D Secure), as the test bank shows it ---
  function authenticate(authentication) {
    if (authentication.provider !== "test") return;
    var shown = challenge === authentication.client_secret;
    challenge = authentication.client_secret;
    clearErrors();
    render();
    if (!shown) $("challenge-complete").focus();
  }

  function answerChallenge(result) {
    if (!challenge || busy) return;
    setBusy(true);
    $("challenge-complete").disabled = $("challenge-fail").disabled = true;
    // Relative to this page: the provider's own endpoint, same origin.
    post("authentications/" + encodeURIComponent(challenge), { result: result }).then(function (answer) {
      // 409: answered already (another tab). Either way the challenge has ended, and the shop
      // asks the provider how.
      if (answer.status !== 200 && answer.status !== 409) return failed("network", "network");
      challenge = null;
      render();
      send({ type: "authenticated" });
    }, function () {
      failed("network", "network");
    }).then(function () {
      setBusy(false);
      $("challenge-complete").disabled = $("challenge-fail").disabled = false;
    });
  }
  $("challenge-complete").addEventListener("click", function () { answerChallenge("succeeded"); });
  $("challenge-fail").addEventListener("click", function () { answerChallenge("failed"); });

  $("card").addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.type === "text") { event.preventDefault(); submit(); }
  });
  fields.forEach(function (name) {
    $(name).addEventListener("input", function () { if ($(name).getAttribute("aria-invalid") === "true") showError(name, null); });
  });

  render();
})();
