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

use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use shoppable_protocol::{Authentication, Money, PaymentMethod, PaymentSummary};

use super::{Authenticated, Charge, PaymentError, PaymentFuture, PaymentProvider};
use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::storage::{Db, now};

pub const PROVIDER_ID: &str = "stripe";
/// The API version whose answers this module reads, sent with every request so that a newer
/// account default cannot change them.
const API_VERSION: &str = "2024-06-20";
/// Tries of one call when Stripe cannot be reached or asks for a retry; each try waits at
/// most [`TIMEOUT`], so that all of them end well before crash recovery looks at the order.
const ATTEMPTS: u32 = 3;
const TIMEOUT: Duration = Duration::from_secs(25);

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

    async fn charge_intent(&self, payment_method: &str, amount: Money, order_id: &str) -> Result<Charge, PaymentError> {
        if !payment_method.starts_with("pm_") {
            return Err(PaymentError::InvalidToken);
        }
        let (value, currency) = (amount.amount.to_string(), amount.currency.as_str().to_ascii_lowercase());
        let form = [
            ("amount", value.as_str()),
            ("currency", currency.as_str()),
            ("payment_method", payment_method),
            ("payment_method_types[]", "card"),
            ("metadata[order_id]", order_id),
        ];
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
