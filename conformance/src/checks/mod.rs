//! Every check, named after its rule in docs/PROTOCOL.md, and what they share.

mod after_sale;
mod basics;
mod catalog;
mod insights;
mod media;
mod orders;
mod quote;
mod sca;

use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use tokio::sync::OnceCell;

use crate::webhooks::Receiver;
use crate::{Check, Http, Problem, Response};

/// What every check gets: the backend, and what the command line gave.
pub struct Ctx {
    pub http: Http,
    pub admin_token: Option<String>,
    /// An origin the backend allows by CORS.
    pub origin: Option<String>,
    pub webhooks: Option<Receiver>,
    config: OnceCell<Value>,
    shipping_option: OnceCell<String>,
}

/// Registers `async fn name(ctx: &Ctx) -> CheckResult` as a check.
macro_rules! check {
    ($id:literal, $rule:literal, $function:path) => {
        $crate::Check { id: $id, rule: $rule, run: |ctx| Box::pin($function(ctx)) }
    };
}
pub(crate) use check;

/// Every check, in the order of PROTOCOL.md.
pub fn all_checks() -> Vec<Check> {
    let mut checks = basics::checks();
    checks.extend(media::checks());
    checks.extend(catalog::checks());
    checks.extend(quote::checks());
    checks.extend(orders::checks());
    checks.extend(sca::checks());
    checks.extend(after_sale::checks());
    checks.extend(insights::checks());
    checks
}

pub fn skip<T>(why: impl Into<String>) -> Result<T, Problem> {
    Err(Problem::Skip(why.into()))
}

fn random_hex() -> String {
    let mut bytes = [0u8; 8];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

/// An id no other check or earlier run uses, so that checks can share a backend.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", random_hex())
}

pub const GOOD_CARD: &str = "4242424242424242";
pub const DECLINED_CARD: &str = "4000000000000002";
pub const NO_FUNDS_CARD: &str = "4000000000009995";

pub const FEED_HEADER: &str = "id,title,description,availability,condition,price,link,image_link,brand,sale_price,item_group_id,color,size,additional_image_link,quantity";

/// One feed row for a single-variant product.
pub fn feed_row(id: &str, title: &str, price: &str, quantity: &str) -> String {
    format!(
        "{id},{title},A test product,in stock,new,\"{price}\",https://shop.example/{id},https://shop.example/{id}.jpg,Test,,,,,,{quantity}"
    )
}

/// Digits of the currency's minor unit (ISO 4217).
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI" | "VND" | "VUV" | "XAF" | "XOF"
        | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// The values of a JSON array of strings.
pub fn strings(value: &Value) -> Vec<String> {
    value.as_array().map(|items| items.iter().map(|v| v.as_str().unwrap_or("?").to_owned()).collect()).unwrap_or_default()
}

impl Ctx {
    pub fn new(http: Http, admin_token: Option<String>, origin: Option<String>, webhooks: Option<Receiver>) -> Ctx {
        let blank = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        Ctx {
            http,
            admin_token: blank(admin_token),
            origin: blank(origin),
            webhooks,
            config: OnceCell::new(),
            shipping_option: OnceCell::new(),
        }
    }

    /// `GET /v1/config`, read once.
    pub async fn config(&self) -> Result<&Value, Problem> {
        self.config
            .get_or_try_init(|| async {
                let response = self.http.get("/v1/config").await?;
                Ok(response.expect(200)?.clone())
            })
            .await
    }

    /// The shop's currency (the first of `currencies`).
    pub async fn currency(&self) -> Result<String, Problem> {
        Ok(self.config().await?["currencies"][0].as_str().unwrap_or("EUR").to_owned())
    }

    /// A shipping address in the shop's first country.
    pub async fn address(&self) -> Result<Value, Problem> {
        let country = self.config().await?["countries"][0].as_str().unwrap_or("FR").to_owned();
        Ok(json!({"name": "Camille Martin", "email": "camille@example.com", "line1": "12 rue des Lilas",
                  "postal_code": "75011", "city": "Paris", "country": country}))
    }

    /// The admin token, or a skip saying why the check needs it.
    pub fn admin(&self) -> Result<&str, Problem> {
        match &self.admin_token {
            Some(token) => Ok(token),
            None => skip("needs --admin-token (the admin API creates products and posts with known stock)"),
        }
    }

    pub fn admin_request(&self, method: Method, path: &str) -> Result<RequestBuilder, Problem> {
        Ok(self.http.request(method, path).bearer_auth(self.admin()?))
    }

    /// Imports a Meta catalog feed through the admin API.
    pub async fn import(&self, csv: impl Into<reqwest::Body>) -> Result<Response, Problem> {
        let request = self.admin_request(Method::POST, "/v1/admin/catalog/import")?.header("Content-Type", "text/csv").body(csv);
        let response = self.http.send(request).await?;
        if response.status == 404 || response.status == 405 {
            return skip(format!("the backend has no catalog import (`POST /v1/admin/catalog/import` answers {})", response.status));
        }
        Ok(response)
    }

    /// A price text in the shop's currency for `amount` minor units: `12.00 EUR` for 1200,
    /// `1200 JPY`, `1.200 KWD`.
    pub async fn price(&self, amount: i64) -> Result<String, Problem> {
        let currency = self.currency().await?;
        Ok(match minor_digits(&currency) {
            0 => format!("{amount} {currency}"),
            digits => {
                let unit = 10_i64.pow(digits);
                let width = digits as usize;
                format!("{}.{:0width$} {currency}", amount / unit, amount % unit)
            }
        })
    }

    /// A new product with one variant of the same id, `quantity` units in stock.
    pub async fn stocked(&self, amount: i64, quantity: u32) -> Result<String, Problem> {
        let id = unique("item");
        let csv = format!("{FEED_HEADER}\n{}\n", feed_row(&id, "Mug", &self.price(amount).await?, &quantity.to_string()));
        self.import(csv).await?.expect(200)?;
        Ok(id)
    }

    /// The `stock` of a product's first variant.
    pub async fn stock(&self, product: &str) -> Result<Value, Problem> {
        let response = self.http.get(&format!("/v1/products/{product}")).await?;
        Ok(response.expect(200)?["variants"][0]["stock"].clone())
    }

    /// A single-use token of the `test` provider for a test card.
    pub async fn card_token(&self, number: &str) -> Result<String, Problem> {
        let response = self.tokenize(json!({"number": number, "exp_month": 12, "exp_year": 2040, "cvc": "123"})).await?;
        match response.body["token"].as_str() {
            Some(token) if response.status == 201 => Ok(token.to_owned()),
            _ => Err(Problem::Fail(format!("the test card {number} gets no token: {} {}", response.status, response.body))),
        }
    }

    /// Sends card details to the `test` provider's tokenization endpoint.
    pub async fn tokenize(&self, card: Value) -> Result<Response, Problem> {
        let config = self.config().await?;
        let methods = config["payment_methods"].as_array().cloned().unwrap_or_default();
        let Some(test) = methods.iter().find(|m| m["provider"] == "test") else {
            return skip("the backend announces no `test` payment provider, which the checks pay with");
        };
        let url = test["tokenize_url"].as_str().unwrap_or_default();
        self.http.send(self.post_to(url).json(&card)).await
    }

    /// A `POST` to a URL of the configuration (`tokenize_url`, `events_url`): absolute, or a
    /// `/v1/` path appended to the base URL.
    pub fn post_to(&self, url: &str) -> RequestBuilder {
        if url.starts_with("http://") || url.starts_with("https://") {
            self.http.client.post(url)
        } else {
            self.http.request(Method::POST, url)
        }
    }

    /// The origin given by `--origin`, or a skip saying the check needs it.
    pub fn allowed_origin(&self) -> Result<&str, Problem> {
        match &self.origin {
            Some(origin) => Ok(origin),
            None => skip("needs --origin (an origin the backend allows by CORS)"),
        }
    }

    /// An order request for `lines`, with the shop's address, the shipping option the quote
    /// selects, and a payment token.
    pub async fn order_body(&self, lines: Value, token: &str) -> Result<Value, Problem> {
        Ok(json!({"lines": lines, "address": self.address().await?, "shipping_option": self.shipping_option().await?,
                  "payment": {"provider": "test", "token": token}}))
    }

    /// The id of the cheapest shipping option to the shop's address.
    /// (Asked once: backends may limit the rate of quotes.)
    pub async fn shipping_option(&self) -> Result<String, Problem> {
        let id = self
            .shipping_option
            .get_or_try_init(|| async {
                let lines = json!([{"variant_id": "any", "quantity": 1}]);
                let quote = self.http.post("/v1/quote", &json!({"lines": lines, "address": self.address().await?})).await?;
                let quote = quote.expect(200)?;
                match quote["selected_shipping_option"].as_str() {
                    Some(id) => Ok(id.to_owned()),
                    None => Err(Problem::Fail(format!("a quote with an address selects a shipping option: {quote}"))),
                }
            })
            .await?;
        Ok(id.clone())
    }

    pub async fn place_order(&self, key: &str, body: &Value) -> Result<Response, Problem> {
        self.http.send(self.http.request(Method::POST, "/v1/orders").header("Idempotency-Key", key).json(body)).await
    }

    /// A paid order of `quantity` units of `variant`: the creation answer (with its secret).
    pub async fn paid_order(&self, variant: &str, quantity: u32) -> Result<Value, Problem> {
        let body = self.order_body(json!([{"variant_id": variant, "quantity": quantity}]), &self.card_token(GOOD_CARD).await?).await?;
        Ok(self.place_order(&unique("key"), &body).await?.expect(201)?.clone())
    }

    pub async fn with_secret(&self, method: Method, path: &str, secret: &str) -> Result<Response, Problem> {
        self.http.send(self.http.request(method, path).header("Order-Secret", secret)).await
    }
}
