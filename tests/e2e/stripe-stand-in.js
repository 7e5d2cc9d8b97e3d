// A Stripe stand-in for the end-to-end tests, offline: localstripe (installed by
// scripts/setup.sh into .local/venv, started by tests/stripe/run_localstripe.py on a free
// loopback port) behind a small proxy that fills in what localstripe 1.15.10 lacks of what
// the card form uses:
// - its Stripe.js stand-in has an empty `createPaymentMethod`: the proxy serves it with one
//   that sends the card to /v1/payment_methods with the publishable key, as Stripe.js does;
// - its API takes only secret keys there: the proxy accepts the publishable key, as Stripe
//   does, and passes the request on with the secret key.
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

/** Starts localstripe and its proxy; resolves to { url, flags, stripe(path, init), stop }. */
export async function startStripeStandIn() {
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
    const answer = await fetch(backend + request.url, { method: request.method, headers, body: request.method === "GET" ? undefined : body });
    let text = await answer.text();
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
    /** The PaymentIntents whose metadata names this order. */
    async intentsOf(orderId) {
      const list = await this.stripe("/v1/payment_intents?limit=100");
      return list.data.filter((intent) => intent.metadata.order_id === orderId);
    },
    async stop() {
      await new Promise((closed) => proxy.close(closed));
      child.kill();
    },
  };
}
