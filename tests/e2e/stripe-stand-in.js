// A Stripe stand-in for the end-to-end tests, offline: localstripe (installed by
// scripts/setup.sh into .local/venv, started by tests/stripe/run_localstripe.py on a free
// loopback port) behind a small proxy that fills in what localstripe 1.15.10 lacks of what
// the card form uses:
// - its Stripe.js stand-in has an empty `createPaymentMethod`: the proxy serves it with one
//   that sends the card to /v1/payment_methods with the publishable key, as Stripe.js does;
// - its API takes only secret keys there: the proxy accepts the publishable key, as Stripe
//   does, and passes the request on with the secret key;
// - it declines 4000 0000 0000 0002 when attached to a Customer but charges it: the proxy
//   declines its charges too, with the error Stripe documents for it ("Testing", generic
//   decline: 402, `card_error`, `card_declined`, `generic_decline`).
// The tests can also make it hold Stripe's answer to a request after Stripe did the work
// (`holdAnswerTo`), as a server killed meanwhile never hears it.
// Everything else goes to localstripe as is. The server's flags: `standIn.flags`.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { join } from "node:path";
import { repo } from "./support.js";

export const SECRET_KEY = "sk_test_shoppable";
export const PUBLISHABLE_KEY = "pk_test_shoppable";

// Appended to localstripe's Stripe.js stand-in, whose top-level LOCALSTRIPE_BASE_API and card
// Element (`value.card`) it uses.
const CREATE_PAYMENT_METHOD = `
(function () {
  const make = Stripe;
  Stripe = function (key, options) {
    const stripe = make(key, options);
    stripe.createPaymentMethod = async ({ type, card }) => {
      const value = (card && card.value && card.value.card) || {};
      const body = new URLSearchParams({ type, key, "card[number]": value.number || "", "card[exp_month]": value.exp_month || "",
        "card[exp_year]": value.exp_year || "", "card[cvc]": value.cvc || "" });
      const response = await fetch(LOCALSTRIPE_BASE_API + "/v1/payment_methods", { method: "POST", body });
      const json = await response.json().catch(() => ({}));
      return response.ok ? { paymentMethod: json } : { error: json.error || {} };
    };
    return stripe;
  };
})();
`;

const GENERIC_DECLINE_CARD = "4000000000000002";

/** Starts localstripe and its proxy; resolves to { url, flags, stripe(path), intentsOf(orderId),
 * holdAnswerTo(suffix), stop }. */
export async function startStripeStandIn() {
  // PaymentMethods of the generic decline card, and the held requests: [suffix, resolve(held)].
  const declining = new Set();
  const holds = [];
  const python = process.env.SHOPPABLE_LOCALSTRIPE_PYTHON || join(repo, ".local/venv/bin/python");
  // Its standard input stays open: localstripe exits when it closes, with this process.
  const child = spawn(python, [join(repo, "tests/stripe/run_localstripe.py")], { stdio: ["pipe", "pipe", "ignore"] });
  const backend = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = out.match(/listening on (http:\/\/\S+)/);
      if (match) resolve(match[1]);
    });
    child.on("error", (error) => reject(new Error(`${python}: ${error.message} (run scripts/setup.sh)`)));
    child.on("exit", (code) => reject(new Error(`localstripe exited with ${code}`)));
  });

  const proxy = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    let body = Buffer.concat(chunks);
    const headers = {};
    for (const name of ["authorization", "content-type", "idempotency-key"]) {
      if (request.headers[name]) headers[name] = request.headers[name];
    }
    if (request.method === "POST" && request.url === "/v1/payment_methods" && !headers.authorization) {
      const form = new URLSearchParams(body.toString());
      if ((form.get("key") || "").startsWith("pk_")) {
        form.delete("key");
        body = Buffer.from(form.toString());
        headers.authorization = `Bearer ${SECRET_KEY}`;
        headers["content-type"] = "application/x-www-form-urlencoded";
      }
    }
    const confirm = request.method === "POST" && request.url.match(/^\/v1\/payment_intents\/(pi_\w+)\/confirm$/);
    if (confirm) {
      const intent = await (await fetch(`${backend}/v1/payment_intents/${confirm[1]}`, { headers: { authorization: `Bearer ${SECRET_KEY}` } })).json();
      if (declining.has(intent.payment_method)) {
        response.writeHead(402, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { type: "card_error", code: "card_declined", decline_code: "generic_decline",
          message: "Your card was declined.", payment_intent: { id: intent.id, status: "requires_payment_method" } } }));
        return;
      }
    }
    const answer = await fetch(backend + request.url, { method: request.method, headers, body: request.method === "GET" ? undefined : body });
    let text = await answer.text();
    if (request.method === "POST" && request.url === "/v1/payment_methods" && answer.ok
      && new URLSearchParams(body.toString()).get("card[number]") === GENERIC_DECLINE_CARD) {
      declining.add(JSON.parse(text).id);
    }
    const hold = holds.findIndex(([suffix]) => request.method === "POST" && request.url.endsWith(suffix));
    if (hold >= 0) {
      const [[, held]] = holds.splice(hold, 1);
      held();
      return; // never answered: the connection stays open until the server dies
    }
    if (request.url === "/js.stripe.com/v3/") text += CREATE_PAYMENT_METHOD;
    response.writeHead(answer.status, {
      "content-type": answer.headers.get("content-type") || "application/json",
      "access-control-allow-origin": "*",
      "access-control-allow-headers": "*",
    });
    response.end(text);
  });
  await new Promise((listening) => proxy.listen(0, "127.0.0.1", listening));
  const url = `http://127.0.0.1:${proxy.address().port}`;
  return {
    url,
    flags: ["--stripe-secret-key", SECRET_KEY, "--stripe-publishable-key", PUBLISHABLE_KEY, "--stripe-api-url", url,
      "--stripe-js-url", `${url}/js.stripe.com/v3/`],
    /** A Stripe API call, with the secret key: JSON. */
    async stripe(path) {
      const answer = await fetch(backend + path, { headers: { authorization: `Bearer ${SECRET_KEY}` } });
      return answer.json();
    },
    /** A PaymentMethod for a test card, as Stripe.js makes it: its id. */
    async paymentMethod(number) {
      const body = new URLSearchParams({ type: "card", "card[number]": number, "card[exp_month]": "12", "card[exp_year]": "2030", "card[cvc]": "123" });
      const answer = await fetch(`${url}/v1/payment_methods`, { method: "POST", body, headers: { authorization: `Bearer ${SECRET_KEY}` } });
      return (await answer.json()).id;
    },
    /** The amounts refunded of a PaymentIntent, in Stripe's records. */
    async refundsOf(intentId) {
      const list = await this.stripe(`/v1/refunds?payment_intent=${intentId}&limit=100`);
      return list.data.map((refund) => refund.amount);
    },
    /** The PaymentIntents whose metadata names this order. */
    async intentsOf(orderId) {
      const list = await this.stripe("/v1/payment_intents?limit=100");
      return list.data.filter((intent) => intent.metadata.order_id === orderId);
    },
    /** Holds Stripe's answer to the next POST whose path ends with `suffix`; resolves once
     * Stripe did the work. */
    holdAnswerTo(suffix) {
      return new Promise((held) => holds.push([suffix, held]));
    },
    async stop() {
      await new Promise((closed) => proxy.close(closed));
      child.kill();
    },
  };
}
