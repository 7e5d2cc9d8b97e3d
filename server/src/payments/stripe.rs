//! The `stripe` provider: charges are Stripe PaymentIntents in the shop's currency, with the
//! order id in their metadata; refunds are Stripe Refunds. The shop's server only handles
//! PaymentMethod ids (`pm_…`) made by Stripe.js in the shopper's browser, never a card.
//!
//! Stripe's API is form-encoded requests and JSON answers; `reqwest` (already a dependency)
//! speaks it in a few lines, where a Stripe crate would add hundreds of generated types to
//! the build (docs/BENCHMARKS.md, "Stripe client").
//!
//! Money moves exactly once:
//! - every POST carries an `Idempotency-Key` derived from the order (or the refund), so a
//!   retry, here or after a crash, gets Stripe's first answer instead of a second charge;
//! - a charge is two calls: the intent is created, recorded in `stripe_payment_intents`, and
//!   only then confirmed. Crash recovery asks Stripe about that very intent (`find_charge`),
//!   and cancels one never confirmed, so that "not charged" stays true.
//!
//! Saved cards ("Remember this card") are Stripe Customers, each made with the card's
//! PaymentMethod attached (`payment_method` of "Create a customer"), by the
//! payment origin's routes (`payments::frame`). The frame keeps only the two ids, in its
//! origin's storage. An attached PaymentMethod can be charged again and again, so its ids never
//! reach the shop's page: each payment with it gets a single-use token
//! (`stripe_saved_card_tokens`), spent by the one order it pays.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use shoppable_protocol::{Authentication, CardSummary, Money, PaymentMethod, PaymentSummary};
use sqlx::Row;

use super::{Authenticated, Charge, PaymentError, PaymentFuture, PaymentProvider};
use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::storage::{Db, now, random_hex};

pub const PROVIDER_ID: &str = "stripe";
/// The API version whose answers this module reads, sent with every request so that a newer
/// account default cannot change them.
const API_VERSION: &str = "2024-06-20";
/// Tries of one call when Stripe cannot be reached or asks for a retry; each try waits at
/// most [`TIMEOUT`], so that all of them end well before crash recovery looks at the order.
const ATTEMPTS: u32 = 3;
const TIMEOUT: Duration = Duration::from_secs(25);
/// How the tokens of saved cards start (Stripe's own ids start with `pm_`, `cus_`, ...).
const SAVED_TOKEN_PREFIX: &str = "saved_";
/// A saved card's token pays an order placed within the hour, as a test provider's token.
const SAVED_TOKEN_LIFETIME_SECONDS: i64 = 3600;

pub struct StripeProvider {
    db: Db,
    http: reqwest::Client,
    /// `https://api.stripe.com`, or a stand-in's address in tests.
    api_url: String,
    secret_key: String,
    /// What the card form needs (`payments::frame`).
    pub frame: StripeFrame,
    /// The card form's URL, once `--payments-listen` is bound.
    pub frame_url: std::sync::OnceLock<String>,
}

/// What Stripe's card form is made with: Stripe.js, the publishable key, and the origins of
/// Stripe that the form talks to (for its `Content-Security-Policy`).
pub struct StripeFrame {
    pub publishable_key: String,
    pub js_url: String,
    pub api_url: String,
}

impl StripeProvider {
    /// The provider when a secret key is configured; None runs the shop without Stripe.
    pub fn from_config(config: &Config, db: Db) -> AppResult<Option<StripeProvider>> {
        let Some(secret_key) = config.stripe_secret_key.clone() else { return Ok(None) };
        if !(secret_key.starts_with("sk_") || secret_key.starts_with("rk_")) {
            return Err(AppError::internal("--stripe-secret-key must be a secret key (sk_…) or a restricted key (rk_…)"));
        }
        let publishable_key = config.stripe_publishable_key.clone().unwrap_or_default();
        if !publishable_key.starts_with("pk_") || !publishable_key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(AppError::internal("--stripe-publishable-key must be a publishable key (pk_…)"));
        }
        let web_url = |flag: &str, url: &str| match url::Url::parse(url) {
            Ok(parsed) if matches!(parsed.scheme(), "https" | "http") => Ok(url.trim_end_matches('/').to_owned()),
            _ => Err(AppError::internal(format!("{flag} must be an https URL"))),
        };
        let api_url = web_url("--stripe-api-url", &config.stripe_api_url)?;
        let js_url = web_url("--stripe-js-url", &config.stripe_js_url)?;
        let http = reqwest::Client::builder().timeout(TIMEOUT).build().map_err(AppError::internal)?;
        let frame = StripeFrame { publishable_key, js_url: format!("{js_url}/"), api_url: api_url.clone() };
        Ok(Some(StripeProvider { db, http, api_url, secret_key, frame, frame_url: std::sync::OnceLock::new() }))
    }

    /// Sends a request built by `request` (once per try) and reads Stripe's answer. Tries
    /// again, with the same idempotency key, when Stripe cannot be reached or answers that a
    /// retry may work (`Stripe-Should-Retry`, else 409, 429 and 5xx as its docs say).
    async fn send<T: DeserializeOwned>(&self, request: impl Fn() -> reqwest::RequestBuilder) -> Result<T, Failure> {
        let mut attempt = 1;
        loop {
            let failure = match request().bearer_auth(&self.secret_key).header("Stripe-Version", API_VERSION).send().await {
                Ok(response) if response.status().is_success() => {
                    return response.json::<T>().await.map_err(|e| Failure::Unreadable(e.to_string()));
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    let should_retry = match response.headers().get("stripe-should-retry").and_then(|v| v.to_str().ok()) {
                        Some(value) => value == "true",
                        None => matches!(status, 409 | 429 | 500..),
                    };
                    let error = response.json::<ErrorBody>().await.map(|body| body.error).unwrap_or_default();
                    let failure = Failure::Refused { status, error };
                    if !should_retry {
                        return Err(failure);
                    }
                    failure
                }
                Err(error) => Failure::Unreachable(error.to_string()),
            };
            if attempt == ATTEMPTS {
                return Err(failure);
            }
            tokio::time::sleep(Duration::from_millis(250 * 4u64.pow(attempt - 1))).await;
            attempt += 1;
        }
    }

    async fn post<T: DeserializeOwned>(&self, path: &str, idempotency_key: &str, form: &[(&str, &str)]) -> Result<T, Failure> {
        let url = format!("{}{path}", self.api_url);
        self.send(|| self.http.post(&url).header("Idempotency-Key", idempotency_key).form(form)).await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str, query: &[(&str, &str)]) -> Result<T, Failure> {
        let url = format!("{}{path}", self.api_url);
        self.send(|| self.http.get(&url).query(query)).await
    }

    async fn charge_intent(&self, token: &str, amount: Money, order_id: &str) -> Result<Charge, PaymentError> {
        let payer = self.payer(token, order_id).await?;
        let (value, currency) = (amount.amount.to_string(), amount.currency.as_str().to_ascii_lowercase());
        let mut form = vec![
            ("amount", value.as_str()),
            ("currency", currency.as_str()),
            ("payment_method", payer.payment_method.as_str()),
            ("payment_method_types[]", "card"),
            ("metadata[order_id]", order_id),
        ];
        // Stripe charges a saved PaymentMethod only with the Customer it is attached to.
        form.extend(payer.customer.as_deref().map(|customer| ("customer", customer)));
        let created: Created =
            self.post("/v1/payment_intents", &idempotency_key(order_id, "intent"), &form).await.map_err(Failure::into_charge_error)?;
        self.record(order_id, &created.id).await?;
        let confirm = format!("/v1/payment_intents/{}/confirm", created.id);
        let intent: Intent = self
            .post(&confirm, &idempotency_key(order_id, "confirm"), &[("expand[]", "payment_method")])
            .await
            .map_err(Failure::into_charge_error)?;
        match intent.status {
            IntentStatus::Succeeded => Ok(intent.charge()),
            IntentStatus::RequiresAction => {
                // The bank asks the shopper to confirm (3-D Secure): the frame runs
                // `confirmCardPayment` with the intent's client secret.
                let client_secret = intent.client_secret.ok_or_else(|| {
                    AppError::internal(format!("Stripe intent {} requires an action but has no client secret", intent.id))
                })?;
                Err(PaymentError::AuthenticationRequired(Authentication { provider: PROVIDER_ID.to_owned(), client_secret }))
            }
            status => Err(AppError::internal(format!("Stripe intent {} is {status:?} after its confirmation", intent.id)).into()),
        }
    }

    /// What pays an order: a PaymentMethod made by Stripe.js for this payment, or a saved
    /// card's token, spent here by this order.
    async fn payer(&self, token: &str, order_id: &str) -> Result<Payer, PaymentError> {
        if token.starts_with("pm_") {
            return Ok(Payer { payment_method: token.to_owned(), customer: None });
        }
        if !token.starts_with(SAVED_TOKEN_PREFIX) {
            return Err(PaymentError::InvalidToken);
        }
        let mut write = self.db.write_tx().await?;
        let row = sqlx::query(
            "UPDATE stripe_saved_card_tokens SET order_id = $1 WHERE token = $2 AND order_id IS NULL AND created_at >= $3 \
             RETURNING customer_id, payment_method_id",
        )
        .bind(order_id)
        .bind(token)
        .bind(now() - SAVED_TOKEN_LIFETIME_SECONDS)
        .fetch_optional(&mut *write.tx)
        .await
        .map_err(AppError::from)?;
        let Some(row) = row else { return Err(PaymentError::InvalidToken) };
        let payer = Payer {
            payment_method: row.try_get("payment_method_id").map_err(AppError::from)?,
            customer: Some(row.try_get("customer_id").map_err(AppError::from)?),
        };
        write.commit().await?;
        Ok(payer)
    }

    /// "Remember this card": a Customer of its own for the PaymentMethod that Stripe.js made,
    /// with the PaymentMethod attached in the same call (Stripe refuses it there when the
    /// card is declined), and a token to pay the current order with it.
    pub async fn save_card(&self, payment_method: &str) -> Result<SavedCardToken, PaymentError> {
        if !is_id(payment_method, "pm_") {
            return Err(PaymentError::InvalidToken);
        }
        let form = [("payment_method", payment_method)];
        let customer: Created =
            self.post("/v1/customers", &idempotency_key(payment_method, "customer"), &form).await.map_err(Failure::into_charge_error)?;
        let method = self.saved_method(&customer.id, payment_method).await?;
        let method = method.ok_or_else(|| AppError::internal(format!("Stripe did not attach {payment_method} to {}", customer.id)))?;
        self.saved_token(&customer.id, method).await
    }

    /// A new token for a card saved before, once Stripe says it is still this Customer's.
    pub async fn token_for_saved(&self, customer: &str, payment_method: &str) -> Result<SavedCardToken, PaymentError> {
        let method = self.saved_method(customer, payment_method).await?.ok_or(PaymentError::InvalidToken)?;
        self.saved_token(customer, method).await
    }

    /// "Forget this card": the PaymentMethod is detached from its Customer, and can never be
    /// charged again. Forgetting a card forgotten already does nothing.
    pub async fn forget_saved(&self, customer: &str, payment_method: &str) -> Result<(), PaymentError> {
        if self.saved_method(customer, payment_method).await?.is_none() {
            return Ok(());
        }
        let detach = format!("/v1/payment_methods/{payment_method}/detach");
        let _: StoredMethod = self
            .post(&detach, &idempotency_key(payment_method, "detach"), &[])
            .await
            .map_err(|f| f.into_provider_error("forget a card"))?;
        Ok(())
    }

    /// The PaymentMethod at Stripe, when it is attached to this Customer.
    async fn saved_method(&self, customer: &str, payment_method: &str) -> Result<Option<StoredMethod>, PaymentError> {
        if !is_id(payment_method, "pm_") || !is_id(customer, "cus_") {
            return Ok(None);
        }
        match self.get::<StoredMethod>(&format!("/v1/payment_methods/{payment_method}"), &[]).await {
            Ok(method) if method.customer.as_deref() == Some(customer) => Ok(Some(method)),
            Ok(_) | Err(Failure::Refused { status: 404, .. }) => Ok(None),
            Err(failure) => Err(failure.into_provider_error("read a saved card")),
        }
    }

    async fn saved_token(&self, customer: &str, method: StoredMethod) -> Result<SavedCardToken, PaymentError> {
        let token = format!("{SAVED_TOKEN_PREFIX}{}", random_hex(24));
        let mut write = self.db.write_tx().await?;
        // The tokens that expired unspent go as new ones are made: nothing can spend them.
        sqlx::query("DELETE FROM stripe_saved_card_tokens WHERE order_id IS NULL AND created_at < $1")
            .bind(now() - SAVED_TOKEN_LIFETIME_SECONDS)
            .execute(&mut *write.tx)
            .await
            .map_err(AppError::from)?;
        sqlx::query("INSERT INTO stripe_saved_card_tokens (token, customer_id, payment_method_id, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&token)
            .bind(customer)
            .bind(&method.id)
            .bind(now())
            .execute(&mut *write.tx)
            .await
            .map_err(AppError::from)?;
        write.commit().await?;
        let summary = method.card.ok_or_else(|| AppError::internal(format!("Stripe PaymentMethod {} is not a card", method.id)))?;
        Ok(SavedCardToken { token, card: SavedCard { id: method.id, customer: customer.to_owned(), summary } })
    }

    /// Remembers the intent made for an order, before it can charge anything.
    async fn record(&self, order_id: &str, intent_id: &str) -> AppResult<()> {
        let mut write = self.db.write_tx().await?;
        sqlx::query(
            "INSERT INTO stripe_payment_intents (order_id, intent_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (order_id) DO NOTHING",
        )
        .bind(order_id)
        .bind(intent_id)
        .bind(now())
        .execute(&mut *write.tx)
        .await?;
        write.commit().await
    }

    /// Cancels an intent not charged yet, so that it never will be; the intent as it is
    /// after (succeeded when it was charged meanwhile).
    async fn cancel(&self, order_id: &str, intent_id: &str) -> Result<Intent, PaymentError> {
        let path = format!("/v1/payment_intents/{intent_id}/cancel");
        match self.post::<Intent>(&path, &idempotency_key(order_id, "cancel"), &[("expand[]", "payment_method")]).await {
            Ok(intent) => Ok(intent),
            // Refused: it is charged, or cancelled already; Stripe tells which.
            Err(Failure::Refused { .. }) => self.intent(intent_id).await,
            Err(failure) => Err(failure.into_provider_error("cancel a payment")),
        }
    }

    async fn intent(&self, intent_id: &str) -> Result<Intent, PaymentError> {
        let path = format!("/v1/payment_intents/{intent_id}");
        self.get(&path, &[("expand[]", "payment_method")]).await.map_err(|f| f.into_provider_error("read a payment"))
    }

    async fn intent_of(&self, order_id: &str) -> Result<Option<String>, PaymentError> {
        let intent_id = sqlx::query_scalar("SELECT intent_id FROM stripe_payment_intents WHERE order_id = $1")
            .bind(order_id)
            .fetch_optional(&self.db.pool)
            .await
            .map_err(AppError::from)?;
        Ok(intent_id)
    }

    /// Where the intent of an order that asked for 3-D Secure stands, as Stripe says (never
    /// as the browser says). A failed challenge leaves the intent waiting for another card:
    /// it is cancelled, so that nothing can charge it later.
    async fn challenge_status(&self, order_id: &str) -> Result<Authenticated, PaymentError> {
        let Some(intent_id) = self.intent_of(order_id).await? else { return Ok(Authenticated::Failed) };
        let intent = self.intent(&intent_id).await?;
        Ok(match intent.status {
            IntentStatus::Succeeded => Authenticated::Charged(intent.charge()),
            IntentStatus::RequiresAction | IntentStatus::RequiresConfirmation | IntentStatus::Processing => Authenticated::Pending,
            IntentStatus::RequiresPaymentMethod | IntentStatus::RequiresCapture | IntentStatus::Canceled => {
                match self.cancel(order_id, &intent_id).await? {
                    intent @ Intent { status: IntentStatus::Succeeded, .. } => Authenticated::Charged(intent.charge()),
                    _ => Authenticated::Failed,
                }
            }
        })
    }

    async fn find(&self, order_id: &str) -> Result<Option<Charge>, PaymentError> {
        let Some(intent_id) = self.intent_of(order_id).await? else { return Ok(None) };
        let mut intent = self.intent(&intent_id).await?;
        if matches!(intent.status, IntentStatus::RequiresConfirmation | IntentStatus::RequiresAction | IntentStatus::RequiresCapture) {
            intent = self.cancel(order_id, &intent_id).await?;
        }
        match intent.status {
            IntentStatus::Succeeded => Ok(Some(intent.charge())),
            IntentStatus::Canceled | IntentStatus::RequiresPaymentMethod => Ok(None),
            status => Err(AppError::internal(format!("Stripe intent {intent_id} is still {status:?}; asked again later")).into()),
        }
    }

    async fn refund_intent(&self, intent_id: &str, amount: Money, refund_key: &str) -> Result<(), PaymentError> {
        let value = amount.amount.to_string();
        let form = [("payment_intent", intent_id), ("amount", value.as_str()), ("metadata[refund]", refund_key)];
        let refund: Refund =
            self.post("/v1/refunds", &idempotency_key(refund_key, "refund"), &form).await.map_err(|f| f.into_provider_error("refund"))?;
        match refund.status.as_str() {
            "succeeded" | "pending" => Ok(()),
            status => Err(AppError::internal(format!("Stripe refund {} of {intent_id} is {status}", refund.id)).into()),
        }
    }
}

/// An id of Stripe's with this prefix (`pm_`, `cus_`), which can go in a URL's path as it is.
fn is_id(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix)
        .is_some_and(|rest| (1..=255).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
}

impl StripeProvider {
    /// What was refunded of a PaymentIntent at Stripe without this server: the refunds
    /// without the `refund` metadata its own carry (`refund_intent`), such as one made in
    /// Stripe's dashboard.
    pub async fn refunded_elsewhere(&self, intent_id: &str) -> Result<i64, PaymentError> {
        let list: RefundList = self
            .get("/v1/refunds", &[("payment_intent", intent_id), ("limit", "100")])
            .await
            .map_err(|f| f.into_provider_error("list refunds"))?;
        let elsewhere =
            list.data.iter().filter(|r| !r.metadata.contains_key("refund") && matches!(r.status.as_str(), "succeeded" | "pending"));
        Ok(elsewhere.map(|r| r.amount).sum())
    }
}

/// The Stripe idempotency key of one step of one order or refund: the same on every try and
/// in every process, and never the same for two steps.
fn idempotency_key(subject: &str, step: &str) -> String {
    format!("shoppable:{subject}:{step}")
}

impl PaymentProvider for StripeProvider {
    fn method(&self) -> PaymentMethod {
        PaymentMethod {
            provider: PROVIDER_ID.to_owned(),
            // Stripe.js makes PaymentMethods there, in the shopper's browser.
            tokenize_url: format!("{}/v1/payment_methods", self.api_url),
            brands: ["visa", "mastercard", "amex"].map(String::from).to_vec(),
            frame_url: self.frame_url.get().cloned(),
        }
    }

    fn charge<'a>(&'a self, token: &'a str, amount: Money, reference: &'a str) -> PaymentFuture<'a, Charge> {
        Box::pin(self.charge_intent(token, amount, reference))
    }

    fn authentication<'a>(&'a self, reference: &'a str) -> PaymentFuture<'a, Authenticated> {
        Box::pin(self.challenge_status(reference))
    }

    fn find_charge<'a>(&'a self, reference: &'a str) -> PaymentFuture<'a, Option<Charge>> {
        Box::pin(self.find(reference))
    }

    fn refund<'a>(&'a self, reference: &'a str, amount: Money, refund_key: &'a str) -> PaymentFuture<'a, ()> {
        Box::pin(self.refund_intent(reference, amount, refund_key))
    }
}

#[derive(Deserialize)]
struct Created {
    id: String,
}

/// What pays one order.
struct Payer {
    payment_method: String,
    /// The Customer of a saved card.
    customer: Option<String>,
}

/// A PaymentMethod as Stripe stores it.
#[derive(Deserialize)]
struct StoredMethod {
    id: String,
    customer: Option<String>,
    card: Option<CardSummary>,
}

/// A single-use token for a saved card, and what the payment frame keeps of the card.
#[derive(Serialize)]
pub struct SavedCardToken {
    pub token: String,
    pub card: SavedCard,
}

/// A card saved at Stripe, as the payment frame keeps it: ids and what a receipt shows.
#[derive(Serialize)]
pub struct SavedCard {
    /// The PaymentMethod.
    pub id: String,
    pub customer: String,
    #[serde(flatten)]
    pub summary: CardSummary,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum IntentStatus {
    RequiresPaymentMethod,
    RequiresConfirmation,
    RequiresAction,
    Processing,
    RequiresCapture,
    Canceled,
    Succeeded,
}

#[derive(Deserialize)]
struct Intent {
    id: String,
    status: IntentStatus,
    /// What Stripe.js needs to run the 3-D Secure challenge in the frame.
    client_secret: Option<String>,
    /// Expanded by every request that reads an intent.
    payment_method: Option<ExpandedMethod>,
}

#[derive(Deserialize)]
struct ExpandedMethod {
    card: Option<CardDetails>,
}

#[derive(Deserialize)]
struct CardDetails {
    brand: String,
    last4: String,
}

impl Intent {
    fn charge(self) -> Charge {
        let card = self.payment_method.and_then(|m| m.card);
        let (brand, last4) = card.map_or_else(Default::default, |c| (c.brand, c.last4));
        Charge { summary: PaymentSummary { provider: PROVIDER_ID.to_owned(), brand, last4 }, reference: self.id }
    }
}

#[derive(Deserialize)]
struct Refund {
    id: String,
    status: String,
    #[serde(default)]
    amount: i64,
    #[serde(default)]
    metadata: std::collections::HashMap<String, String>,
}

#[derive(Deserialize)]
struct RefundList {
    data: Vec<Refund>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: StripeError,
}

/// Stripe's error object (its API reference, "Errors").
#[derive(Debug, Default, Deserialize)]
struct StripeError {
    code: Option<String>,
    decline_code: Option<String>,
    message: Option<String>,
}

#[derive(Debug)]
enum Failure {
    /// Stripe answered with an error.
    Refused { status: u16, error: StripeError },
    /// No answer: charged or not, nobody knows.
    Unreachable(String),
    /// An answer this module cannot read.
    Unreadable(String),
}

impl Failure {
    /// A failure of creating or confirming a charge: a declined card and an unusable
    /// PaymentMethod are the shopper's to fix; the rest is the provider's.
    fn into_charge_error(self) -> PaymentError {
        match &self {
            Failure::Refused { status: 402, error } => match (error.decline_code.as_deref(), error.code.as_deref()) {
                (Some("insufficient_funds"), _) | (_, Some("insufficient_funds")) => PaymentError::InsufficientFunds,
                _ => PaymentError::Declined,
            },
            Failure::Refused { status: 404, .. } => PaymentError::InvalidToken,
            Failure::Refused { error, .. }
                if matches!(error.code.as_deref(), Some("resource_missing" | "payment_method_unexpected_state")) =>
            {
                PaymentError::InvalidToken
            }
            _ => self.into_provider_error("charge"),
        }
    }

    fn into_provider_error(self, what: &str) -> PaymentError {
        let detail = match self {
            Failure::Refused { status, error } => format!("answered {status}: {}", error.message.unwrap_or_default()),
            Failure::Unreachable(error) => format!("could not be reached: {error}"),
            Failure::Unreadable(error) => format!("gave an answer that cannot be read: {error}"),
        };
        AppError::internal(format!("Stripe, asked to {what}, {detail}")).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(status: u16, body: &str) -> Failure {
        Failure::Refused { status, error: serde_json::from_str::<ErrorBody>(body).unwrap().error }
    }

    /// Saved cards' ids come from the shopper's browser and go into Stripe's URLs.
    #[test]
    fn ids_from_the_browser_cannot_leave_their_path() {
        assert!(is_id("pm_1PqRsT2eZvKYlo2C", "pm_"));
        assert!(!is_id("pm_x/../../customers/cus_y", "pm_"));
        assert!(!is_id("pm_x?expand[]=customer", "pm_"));
        assert!(!is_id("pm_", "pm_"));
        assert!(!is_id("cus_1", "pm_"));
    }

    /// Error bodies as Stripe's API reference documents them ("Errors", "Declines").
    #[test]
    fn declines_are_the_shoppers_the_rest_the_providers() {
        let declined = r#"{"error":{"type":"card_error","code":"card_declined","decline_code":"generic_decline","message":"Your card was declined."}}"#;
        let no_funds = r#"{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds."}}"#;
        let missing = r#"{"error":{"type":"invalid_request_error","code":"resource_missing","param":"payment_method","message":"No such PaymentMethod: 'pm_x'"}}"#;
        let bad_key = r#"{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_test_****"}}"#;
        assert!(matches!(refused(402, declined).into_charge_error(), PaymentError::Declined));
        assert!(matches!(refused(402, no_funds).into_charge_error(), PaymentError::InsufficientFunds));
        assert!(matches!(refused(400, missing).into_charge_error(), PaymentError::InvalidToken));
        assert!(matches!(refused(401, bad_key).into_charge_error(), PaymentError::Provider(_)));
        assert!(matches!(Failure::Unreachable("timed out".into()).into_charge_error(), PaymentError::Provider(_)));
    }
}
