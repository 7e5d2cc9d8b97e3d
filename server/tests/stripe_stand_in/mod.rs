//! A Stripe stand-in for the tests, offline: localstripe (PyPI, installed by
//! `scripts/setup.sh` into `.local/venv`), started once per test binary on a free loopback
//! port, behind a proxy of each test's own.
//!
//! localstripe keeps PaymentIntents, PaymentMethods and Refunds as Stripe does, but ignores
//! `Idempotency-Key`. The proxy adds what Stripe's API reference documents for it ("Idempotent
//! requests"): the first answer to a key is kept and replayed to every later request with that
//! key. It also records every request, and can lose an answer or hang, as a network or a
//! crash would.

#![allow(dead_code)] // each test binary uses its own part of this module

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tokio::sync::Notify;

/// Any test-mode keys: localstripe checks only their form.
pub const SECRET_KEY: &str = "sk_test_shoppable";
pub const PUBLISHABLE_KEY: &str = "pk_test_shoppable";

struct LocalStripe {
    url: String,
    /// Its standard input is kept open: localstripe exits when it closes, with this process.
    _child: Child,
}

/// localstripe's address; started at the first call of the test binary.
fn local_stripe() -> &'static str {
    static STARTED: OnceLock<LocalStripe> = OnceLock::new();
    &STARTED
        .get_or_init(|| {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
            let python = std::env::var_os("SHOPPABLE_LOCALSTRIPE_PYTHON")
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| root.join(".local/venv/bin/python"));
            assert!(python.exists(), "{} is missing: run scripts/setup.sh (it installs localstripe)", python.display());
            let mut child = Command::new(&python)
                .arg(root.join("tests/stripe/run_localstripe.py"))
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("start localstripe");
            let mut line = String::new();
            BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("localstripe prints its address");
            let url = line.strip_prefix("listening on ").expect("a `listening on URL` line from localstripe").trim().to_owned();
            LocalStripe { url, _child: child }
        })
        .url
}

/// What the proxy does to the next request whose path ends with a given text.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Fault {
    /// Stripe does the work; its answer never comes back (the server is killed meanwhile).
    HangAfter,
    /// The request never reaches Stripe.
    HangBefore,
    /// Stripe does the work and its answer is lost: the client sees a 500 and tries again.
    LoseAnswer,
}

#[derive(Default)]
struct Shared {
    answers: HashMap<String, (StatusCode, Bytes)>,
    requests: Vec<(Method, String, Option<String>)>,
    faults: Vec<(String, Fault)>,
}

#[derive(Clone)]
pub struct StandIn {
    /// The proxy's address: the server's `--stripe-api-url`.
    pub url: String,
    /// localstripe's Stripe.js stand-in, through the proxy: the server's `--stripe-js-url`.
    js_url: String,
    shared: Arc<Mutex<Shared>>,
    /// Told when a fault is applied.
    pub faulted: Arc<Notify>,
    http: reqwest::Client,
}

impl StandIn {
    pub async fn start() -> StandIn {
        let stand_in = StandIn {
            url: String::new(),
            js_url: String::new(),
            shared: Arc::default(),
            faulted: Arc::default(),
            http: reqwest::Client::new(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new().fallback(proxy).with_state(stand_in.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        StandIn { js_url: format!("{url}/js.stripe.com/v3/"), url, ..stand_in }
    }

    /// The server's flags for this stand-in (Stripe's card form on a payments origin).
    pub fn flags(&self) -> [&str; 10] {
        [
            "--stripe-secret-key",
            SECRET_KEY,
            "--stripe-publishable-key",
            PUBLISHABLE_KEY,
            "--stripe-api-url",
            &self.url,
            "--stripe-js-url",
            &self.js_url,
            "--payments-listen",
            "127.0.0.1:0",
        ]
    }

    pub fn fault_next(&self, path_suffix: &str, fault: Fault) {
        self.shared.lock().unwrap().faults.push((path_suffix.to_owned(), fault));
    }

    /// The requests received so far: method, path and idempotency key.
    pub fn requests(&self) -> Vec<(Method, String, Option<String>)> {
        self.shared.lock().unwrap().requests.clone()
    }

    /// A PaymentMethod for a test card, made as Stripe.js makes it in the shopper's browser.
    pub async fn payment_method(&self, number: &str) -> String {
        let form =
            [("type", "card"), ("card[number]", number), ("card[exp_month]", "12"), ("card[exp_year]", "2040"), ("card[cvc]", "123")];
        let method: Value = self.stripe(Method::POST, "/v1/payment_methods").form(&form).send().await.unwrap().json().await.unwrap();
        method["id"].as_str().unwrap_or_else(|| panic!("a PaymentMethod: {method}")).to_owned()
    }

    /// Stripe's PaymentIntents whose metadata names this order.
    pub async fn intents_of(&self, order_id: &str) -> Vec<Value> {
        let mut found = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut query = vec![("limit", "100".to_owned())];
            query.extend(after.clone().map(|id| ("starting_after", id)));
            let page: Value = self.stripe(Method::GET, "/v1/payment_intents").query(&query).send().await.unwrap().json().await.unwrap();
            let data = page["data"].as_array().unwrap();
            found.extend(data.iter().filter(|i| i["metadata"]["order_id"] == order_id).cloned());
            if page["has_more"] != true {
                return found;
            }
            after = data.last().and_then(|i| i["id"].as_str()).map(str::to_owned);
        }
    }

    /// The amounts refunded of a PaymentIntent, in Stripe's records.
    pub async fn refunds_of(&self, intent_id: &str) -> Vec<i64> {
        let list: Value = self
            .stripe(Method::GET, "/v1/refunds")
            .query(&[("payment_intent", intent_id), ("limit", "100")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        list["data"].as_array().unwrap().iter().map(|r| r["amount"].as_i64().unwrap()).collect()
    }

    /// An object in Stripe's records (`/v1/payment_methods/pm_…`).
    pub async fn object(&self, path: &str) -> Value {
        self.stripe(Method::GET, path).send().await.unwrap().json().await.unwrap()
    }

    /// A refund made at Stripe: by the shop's server when it names the shop's `refund_key` in
    /// its metadata (as the server's own do), else without the shop (in Stripe's dashboard).
    pub async fn refund_at_stripe(&self, intent_id: &str, amount: i64, refund_key: Option<&str>) {
        let mut form = vec![("payment_intent", intent_id.to_owned()), ("amount", amount.to_string())];
        form.extend(refund_key.map(|key| ("metadata[refund]", key.to_owned())));
        let refund: Value = self.stripe(Method::POST, "/v1/refunds").form(&form).send().await.unwrap().json().await.unwrap();
        assert_eq!(refund["status"], "succeeded", "{refund}");
    }

    /// Has localstripe send its events (every type: it takes no list in 1.15.10), signed
    /// with `secret`, to `url` (`/_config/webhooks/NAME`, its own route).
    pub async fn send_webhooks_to(&self, name: &str, url: &str, secret: &str) {
        let form = [("url", url), ("secret", secret)];
        let answer = self.stripe(Method::POST, &format!("/_config/webhooks/{name}")).form(&form).send().await.unwrap();
        assert!(answer.status().is_success(), "{}", answer.status());
    }

    /// The shopper's answer to a 3-D Secure challenge, as Stripe.js sends it from the frame
    /// (localstripe's own route, which its Stripe.js stand-in calls): the intent's id is the
    /// part of its client secret before `_secret_`.
    pub async fn authenticate(&self, client_secret: &str, success: bool) {
        let intent = client_secret.split("_secret_").next().unwrap();
        let form = [("client_secret", client_secret), ("success", if success { "true" } else { "false" })];
        let answer = self.stripe(Method::POST, &format!("/v1/payment_intents/{intent}/_authenticate")).form(&form).send().await.unwrap();
        assert!(answer.status().is_success(), "{}", answer.status());
    }

    fn stripe(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}{path}", local_stripe())).bearer_auth(SECRET_KEY)
    }
}

async fn proxy(State(stand_in): State<StandIn>, request: Request) -> Response {
    let (method, path, query) = (request.method().clone(), request.uri().path().to_owned(), request.uri().query().map(str::to_owned));
    let headers = request.headers().clone();
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let fault = {
        let mut shared = stand_in.shared.lock().unwrap();
        shared.requests.push((method.clone(), path.clone(), key.clone()));
        if let Some((status, body)) = key.as_ref().and_then(|k| shared.answers.get(k)) {
            return answer(*status, body.clone());
        }
        let position = shared.faults.iter().position(|(suffix, _)| path.ends_with(suffix.as_str()));
        position.map(|i| shared.faults.remove(i).1)
    };
    if fault == Some(Fault::HangBefore) {
        stand_in.faulted.notify_one();
        return std::future::pending().await;
    }
    let body = axum::body::to_bytes(request.into_body(), 1 << 20).await.unwrap();
    let (status, bytes) = forward(&stand_in, method, &path, query, &headers, body).await;
    if let Some(key) = key {
        stand_in.shared.lock().unwrap().answers.insert(key, (status, bytes.clone()));
    }
    match fault {
        Some(Fault::HangAfter) => {
            stand_in.faulted.notify_one();
            std::future::pending().await
        }
        Some(Fault::LoseAnswer) => {
            stand_in.faulted.notify_one();
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        _ => answer(status, bytes),
    }
}

async fn forward(
    stand_in: &StandIn,
    method: Method,
    path: &str,
    query: Option<String>,
    headers: &HeaderMap,
    body: Bytes,
) -> (StatusCode, Bytes) {
    let url = format!("{}{path}{}", local_stripe(), query.map(|q| format!("?{q}")).unwrap_or_default());
    let mut request = stand_in.http.request(method, url).body(body);
    for name in ["authorization", "content-type"] {
        if let Some(value) = headers.get(name) {
            request = request.header(name, value);
        }
    }
    let response = request.send().await.expect("localstripe answers");
    (response.status(), response.bytes().await.unwrap())
}

fn answer(status: StatusCode, body: Bytes) -> Response {
    (status, [("content-type", "application/json")], Body::from(body)).into_response()
}
