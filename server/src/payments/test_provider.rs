//! The `test` provider: a stand-in payment service with Stripe's test cards. Its tokenization
//! endpoint plays the provider's servers; the shop's code only handles its tokens.

use shoppable_protocol::payment::luhn_valid;
use shoppable_protocol::{Authentication, CardDetails, CardToken, ErrorCode, Money, PaymentMethod, PaymentSummary};
use sqlx::Row;

use super::{Authenticated, Charge, PaymentError, PaymentFuture, PaymentProvider};
use crate::error::{AppError, AppResult};
use crate::storage::{Db, flag, new_id, now, random_hex};

pub const PROVIDER_ID: &str = "test";
pub const TOKENIZE_PATH: &str = "/v1/payments/test/tokens";
/// Tokens are meant to be charged right after they are made.
const TOKEN_LIFETIME_SECONDS: i64 = 3600;
/// How long an `answers_late` charge's answer waits at most for the shop to settle its order.
const LATE_ANSWER_AT_MOST: std::time::Duration = std::time::Duration::from_secs(30);

/// What charging a card number will do.
pub(crate) fn outcome(number: &str) -> &'static str {
    match number {
        "4000000000000002" => "declined",
        "4000000000009995" => "insufficient_funds",
        // Charged, but the bank refuses refunds until `refuse_refunds` is cleared.
        "4000000000005126" => "refunds_refused",
        // Charged, but the answer reaches the shop late (a slow network, a busy provider).
        "4000000000007726" => "answers_late",
        // Stripe's "always authenticate" test card: the bank asks for 3-D Secure.
        "4000002760003184" => "authenticate",
        _ => "succeeds",
    }
}

fn brand(number: &str) -> Option<&'static str> {
    let prefix = |len: usize| number.get(..len).and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
    match number.len() {
        13 | 16 | 19 if number.starts_with('4') => Some("visa"),
        16 if (51..=55).contains(&prefix(2)) || (2221..=2720).contains(&prefix(4)) => Some("mastercard"),
        15 if matches!(prefix(2), 34 | 37) => Some("amex"),
        _ => None,
    }
}

/// Checks a card the way a payment service does before it issues a token.
pub fn check_card(card: &CardDetails, (year, month): (u32, u32)) -> AppResult<(String, &'static str)> {
    let number: String = card.number.chars().filter(|c| !c.is_whitespace()).collect();
    let bad_number = || AppError::field(ErrorCode::InvalidCardNumber, "number", "the card number is not valid");
    if !luhn_valid(&number) {
        return Err(bad_number());
    }
    let brand = brand(&number).ok_or_else(bad_number)?;
    if !(1..=12).contains(&card.exp_month) {
        return Err(AppError::invalid("exp_month", "the expiry month must be 1 to 12"));
    }
    if !(2000..=2100).contains(&card.exp_year) {
        return Err(AppError::invalid("exp_year", "the expiry year must have four digits"));
    }
    if (card.exp_year, card.exp_month) < (year, month) {
        return Err(AppError::field(ErrorCode::CardExpired, "exp_year", "the card has expired"));
    }
    let cvc_len = if brand == "amex" { 4..=4 } else { 3..=4 };
    if !cvc_len.contains(&card.cvc.len()) || !card.cvc.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::field(ErrorCode::InvalidCvc, "cvc", "the security code must be 3 or 4 digits"));
    }
    Ok((number, brand))
}

/// The body of `POST /v1/payments/test/authentications/{id}` and its answer.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct ChallengeAnswer {
    pub result: ChallengeResult,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChallengeResult {
    Succeeded,
    Failed,
}

pub struct TestProvider {
    db: Db,
    /// The card form's URL, once `--payments-listen` is bound (`payments::frame`).
    pub frame_url: std::sync::OnceLock<String>,
}

impl TestProvider {
    pub fn new(db: Db) -> Self {
        TestProvider { db, frame_url: std::sync::OnceLock::new() }
    }

    /// Turns a card into a single-use token. Only the brand, the last four digits and the
    /// test outcome are kept; the number and the security code are dropped here.
    pub async fn tokenize(&self, card: &CardDetails) -> AppResult<CardToken> {
        let today = time::OffsetDateTime::now_utc();
        let (number, brand) = check_card(card, (today.year() as u32, u8::from(today.month()) as u32))?;
        let token = CardToken { token: new_id("tok"), brand: brand.to_owned(), last4: number[number.len() - 4..].to_owned() };
        let mut write = self.db.write_tx().await?;
        // The tokens that expired unspent go as new ones are made: nothing can charge them.
        sqlx::query("DELETE FROM test_payment_tokens WHERE used = $1 AND created_at < $2")
            .bind(flag(false))
            .bind(now() - TOKEN_LIFETIME_SECONDS)
            .execute(&mut *write.tx)
            .await?;
        sqlx::query("INSERT INTO test_payment_tokens (token, brand, last4, outcome, used, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&token.token)
            .bind(&token.brand)
            .bind(&token.last4)
            .bind(outcome(&number))
            .bind(flag(false))
            .bind(now())
            .execute(&mut *write.tx)
            .await?;
        write.commit().await?;
        Ok(token)
    }

    async fn charge_token(&self, token: &str, amount: Money, order_reference: &str) -> Result<Charge, PaymentError> {
        let mut write = self.db.write_tx().await?;
        // One statement spends the token and reads what it holds.
        let row = sqlx::query(
            "UPDATE test_payment_tokens SET used = $1 WHERE token = $2 AND used = $3 AND created_at >= $4 \
             RETURNING brand, last4, outcome",
        )
        .bind(flag(true))
        .bind(token)
        .bind(flag(false))
        .bind(now() - TOKEN_LIFETIME_SECONDS)
        .fetch_optional(&mut *write.tx)
        .await
        .map_err(AppError::from)?;
        let Some(row) = row else { return Err(PaymentError::InvalidToken) };
        let outcome: String = row.try_get("outcome").map_err(AppError::from)?;
        let summary = PaymentSummary {
            provider: PROVIDER_ID.to_owned(),
            brand: row.try_get("brand").map_err(AppError::from)?,
            last4: row.try_get("last4").map_err(AppError::from)?,
        };
        let mut charged = None;
        let mut challenge = None;
        match outcome.as_str() {
            "succeeds" | "refunds_refused" | "answers_late" => {
                let refuse_refunds = outcome == "refunds_refused";
                charged = Some(record_charge(&mut write.tx, amount, order_reference, &summary, refuse_refunds).await?)
            }
            "authenticate" => {
                // Unguessable: whoever holds it can confirm the payment.
                let id = format!("tauth_{}", random_hex(24));
                sqlx::query(
                    "INSERT INTO test_payment_authentications (id, reference, amount, currency, brand, last4, status, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)",
                )
                .bind(&id)
                .bind(order_reference)
                .bind(amount.amount)
                .bind(amount.currency.as_str())
                .bind(&summary.brand)
                .bind(&summary.last4)
                .bind(now())
                .execute(&mut *write.tx)
                .await
                .map_err(AppError::from)?;
                challenge = Some(id);
            }
            _ => {}
        }
        write.commit().await?;
        if outcome == "answers_late" {
            self.answer_late(order_reference).await?;
        }
        match (charged, challenge) {
            (Some(reference), _) => Ok(Charge { summary, reference }),
            (_, Some(client_secret)) => {
                Err(PaymentError::AuthenticationRequired(Authentication { provider: PROVIDER_ID.to_owned(), client_secret }))
            }
            _ if outcome == "insufficient_funds" => Err(PaymentError::InsufficientFunds),
            _ => Err(PaymentError::Declined),
        }
    }

    /// The shopper's answer to a challenge, from the frame's challenge page: `succeeded`
    /// charges the card. A challenge is answered once; answered again the same way (a double
    /// click), it answers as the first time; the other way, 409 `invalid_transition`.
    pub async fn answer_challenge(&self, client_secret: &str, answer: ChallengeAnswer) -> AppResult<ChallengeAnswer> {
        let succeeded = answer.result == ChallengeResult::Succeeded;
        let wanted = if succeeded { "succeeded" } else { "failed" };
        let mut write = self.db.write_tx().await?;
        let row = sqlx::query(
            "UPDATE test_payment_authentications SET status = $1 WHERE id = $2 AND status = 'pending' \
             RETURNING reference, amount, currency, brand, last4",
        )
        .bind(wanted)
        .bind(client_secret)
        .fetch_optional(&mut *write.tx)
        .await?;
        let Some(row) = row else {
            let status: Option<String> = sqlx::query_scalar("SELECT status FROM test_payment_authentications WHERE id = $1")
                .bind(client_secret)
                .fetch_optional(&mut *write.tx)
                .await?;
            return match status.as_deref() {
                None => Err(AppError::new(ErrorCode::NotFound, "no such challenge")),
                Some(status) if status == wanted => Ok(answer),
                Some(_) => Err(AppError::new(ErrorCode::InvalidTransition, "this challenge is already over")),
            };
        };
        if succeeded {
            let currency: String = row.try_get("currency")?;
            let amount = Money::new(row.try_get("amount")?, currency.parse().map_err(AppError::internal)?);
            let summary = PaymentSummary { provider: PROVIDER_ID.to_owned(), brand: row.try_get("brand")?, last4: row.try_get("last4")? };
            record_charge(&mut write.tx, amount, &row.try_get::<String, _>("reference")?, &summary, false).await?;
        }
        write.commit().await?;
        Ok(answer)
    }

    async fn challenge_status(&self, order_reference: &str) -> Result<Authenticated, PaymentError> {
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM test_payment_authentications WHERE reference = $1")
            .bind(order_reference)
            .fetch_optional(&self.db.pool)
            .await
            .map_err(AppError::from)?;
        Ok(match status.as_deref() {
            Some("pending") => Authenticated::Pending,
            Some("succeeded") => self.find(order_reference).await?.map_or(Authenticated::Failed, Authenticated::Charged),
            _ => Authenticated::Failed,
        })
    }

    /// The charge of `order_reference`, after cancelling its challenge if it is still pending.
    async fn settle(&self, order_reference: &str) -> Result<Option<Charge>, PaymentError> {
        let mut write = self.db.write_tx().await?;
        sqlx::query("UPDATE test_payment_authentications SET status = 'canceled' WHERE reference = $1 AND status = 'pending'")
            .bind(order_reference)
            .execute(&mut *write.tx)
            .await
            .map_err(AppError::from)?;
        write.commit().await?;
        self.find(order_reference).await
    }

    /// Holds a charge's answer until the shop has settled its order without it (crash recovery
    /// found the charge): the answer that comes after the shop stopped waiting.
    async fn answer_late(&self, order_reference: &str) -> Result<(), PaymentError> {
        let started = std::time::Instant::now();
        while started.elapsed() < LATE_ANSWER_AT_MOST {
            let status: Option<String> = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
                .bind(order_reference)
                .fetch_optional(&self.db.pool)
                .await
                .map_err(AppError::from)?;
            if status.as_deref() != Some("placed") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Ok(())
    }

    async fn find(&self, order_reference: &str) -> Result<Option<Charge>, PaymentError> {
        let row = sqlx::query("SELECT id, brand, last4 FROM test_payment_charges WHERE reference = $1")
            .bind(order_reference)
            .fetch_optional(&self.db.pool)
            .await
            .map_err(AppError::from)?;
        let Some(row) = row else { return Ok(None) };
        let summary = PaymentSummary {
            provider: PROVIDER_ID.to_owned(),
            brand: row.try_get::<Option<String>, _>("brand").map_err(AppError::from)?.unwrap_or_default(),
            last4: row.try_get::<Option<String>, _>("last4").map_err(AppError::from)?.unwrap_or_default(),
        };
        Ok(Some(Charge { summary, reference: row.try_get("id").map_err(AppError::from)? }))
    }

    /// Refunds `amount` of a charge, all at once or in parts (returns), never more than it,
    /// and once per `refund_key`: asked again with a key it has refunded, it refunds nothing
    /// more and answers as the first time.
    async fn refund_charge(&self, reference: &str, amount: Money, refund_key: &str) -> Result<(), PaymentError> {
        let mut write = self.db.write_tx().await?;
        let refused: Option<i64> = sqlx::query_scalar("SELECT refuse_refunds FROM test_payment_charges WHERE id = $1")
            .bind(reference)
            .fetch_optional(&mut *write.tx)
            .await
            .map_err(AppError::from)?;
        if refused == Some(flag(true)) {
            return Err(PaymentError::Declined);
        }
        let first = sqlx::query(
            "INSERT INTO test_payment_refunds (refund_key, charge_id, amount, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (refund_key) DO NOTHING",
        )
        .bind(refund_key)
        .bind(reference)
        .bind(amount.amount)
        .bind(now())
        .execute(&mut *write.tx)
        .await
        .map_err(AppError::from)?;
        if first.rows_affected() == 0 {
            let done: Option<(String, i64)> = sqlx::query_as("SELECT charge_id, amount FROM test_payment_refunds WHERE refund_key = $1")
                .bind(refund_key)
                .fetch_optional(&mut *write.tx)
                .await
                .map_err(AppError::from)?;
            return match done {
                Some((charge, refunded)) if charge == reference && refunded == amount.amount => Ok(()),
                _ => Err(AppError::internal(format!("refund key {refund_key} was used for another refund")).into()),
            };
        }
        let done = sqlx::query(
            "UPDATE test_payment_charges SET refunded_amount = refunded_amount + $1, refunded = $2 \
             WHERE id = $3 AND currency = $4 AND $1 > 0 AND refunded_amount + $1 <= amount",
        )
        .bind(amount.amount)
        .bind(flag(true))
        .bind(reference)
        .bind(amount.currency.as_str())
        .execute(&mut *write.tx)
        .await
        .map_err(AppError::from)?;
        if done.rows_affected() != 1 {
            // Dropped, the transaction forgets the key too.
            return Err(AppError::internal(format!(
                "charge {reference} is unknown, in another currency, or has less than {amount} left to refund"
            ))
            .into());
        }
        write.commit().await?;
        Ok(())
    }
}

impl PaymentProvider for TestProvider {
    fn method(&self) -> PaymentMethod {
        PaymentMethod {
            provider: PROVIDER_ID.to_owned(),
            tokenize_url: TOKENIZE_PATH.to_owned(),
            brands: ["visa", "mastercard", "amex"].map(String::from).to_vec(),
            frame_url: self.frame_url.get().cloned(),
        }
    }

    fn charge<'a>(&'a self, token: &'a str, amount: Money, reference: &'a str) -> PaymentFuture<'a, Charge> {
        Box::pin(self.charge_token(token, amount, reference))
    }

    fn authentication<'a>(&'a self, reference: &'a str) -> PaymentFuture<'a, Authenticated> {
        Box::pin(self.challenge_status(reference))
    }

    fn find_charge<'a>(&'a self, reference: &'a str) -> PaymentFuture<'a, Option<Charge>> {
        Box::pin(self.settle(reference))
    }

    fn refund<'a>(&'a self, reference: &'a str, amount: Money, refund_key: &'a str) -> PaymentFuture<'a, ()> {
        Box::pin(self.refund_charge(reference, amount, refund_key))
    }
}

/// Records a successful charge of `order_reference`; its id.
async fn record_charge(
    tx: &mut sqlx::AnyConnection,
    amount: Money,
    order_reference: &str,
    summary: &PaymentSummary,
    refuse_refunds: bool,
) -> Result<String, AppError> {
    let id = new_id("ch");
    sqlx::query(
        "INSERT INTO test_payment_charges (id, amount, currency, refunded, created_at, reference, brand, last4, refuse_refunds) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(amount.amount)
    .bind(amount.currency.as_str())
    .bind(flag(false))
    .bind(now())
    .bind(order_reference)
    .bind(&summary.brand)
    .bind(&summary.last4)
    .bind(flag(refuse_refunds))
    .execute(tx)
    .await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(number: &str, exp: (u32, u32), cvc: &str) -> CardDetails {
        CardDetails { number: number.into(), exp_year: exp.0, exp_month: exp.1, cvc: cvc.into() }
    }

    #[test]
    fn accepts_test_cards_and_finds_the_brand() {
        let today = (2026, 11);
        assert_eq!(check_card(&card("4242 4242 4242 4242", (2026, 11), "123"), today).unwrap().1, "visa");
        assert_eq!(check_card(&card("5555555555554444", (2030, 1), "1234"), today).unwrap().1, "mastercard");
        assert_eq!(check_card(&card("378282246310005", (2030, 1), "1234"), today).unwrap().1, "amex");
    }

    /// A provider on a new SQLite database in its own folder (removed by `close`).
    async fn scratch_provider() -> (TestProvider, Db, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(new_id("shoppable-test-provider"));
        std::fs::create_dir_all(&dir).unwrap();
        let db = Db::connect(&format!("sqlite://{}?mode=rwc", dir.join("shop.sqlite").display())).await.unwrap();
        (TestProvider::new(db.clone()), db, dir)
    }

    async fn close(db: Db, dir: std::path::PathBuf) {
        db.pool.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Refunds `amounts` of a 40.90 EUR charge, each under its key: what the charge has
    /// refunded in the end.
    async fn refunded_after(refunds: &[(&str, i64)]) -> i64 {
        let (provider, db, dir) = scratch_provider().await;
        let token = provider.tokenize(&card("4242424242424242", (2040, 1), "123")).await.unwrap();
        let charge = provider.charge_token(&token.token, Money::new(4090, "EUR".parse().unwrap()), "ord_1").await.unwrap();
        for (key, amount) in refunds {
            let _ = provider.refund_charge(&charge.reference, Money::new(*amount, "EUR".parse().unwrap()), key).await;
        }
        let refunded: i64 = sqlx::query_scalar("SELECT refunded_amount FROM test_payment_charges").fetch_one(&db.pool).await.unwrap();
        close(db, dir).await;
        refunded
    }

    #[tokio::test]
    async fn a_refund_asked_again_with_its_key_refunds_nothing_more() {
        assert_eq!(refunded_after(&[("ret_1", 1200), ("ret_1", 1200)]).await, 1200, "asked twice, refunded once");
        assert_eq!(refunded_after(&[("ret_1", 1200), ("ret_2", 1200)]).await, 2400, "two returns of one amount");
        assert_eq!(refunded_after(&[("ret_1", 2400), ("ret_1", 1000)]).await, 2400, "a key is one refund");
        assert_eq!(refunded_after(&[("ret_1", 5000), ("ret_1", 4090)]).await, 4090, "a refused refund keeps no key");
    }

    #[tokio::test]
    async fn a_token_that_expired_unspent_pays_nothing_and_goes_when_the_next_is_made() {
        let (provider, db, dir) = scratch_provider().await;
        let visa = card("4242424242424242", (2040, 1), "123");
        let (spent, expired) = (provider.tokenize(&visa).await.unwrap(), provider.tokenize(&visa).await.unwrap());
        provider.charge_token(&spent.token, Money::new(1200, "EUR".parse().unwrap()), "ord_1").await.unwrap();
        sqlx::query("UPDATE test_payment_tokens SET created_at = created_at - $1")
            .bind(TOKEN_LIFETIME_SECONDS + 1)
            .execute(&db.pool)
            .await
            .unwrap();
        let charged = provider.charge_token(&expired.token, Money::new(1200, "EUR".parse().unwrap()), "ord_2").await;
        assert!(matches!(charged, Err(PaymentError::InvalidToken)), "an hour old, it pays nothing");

        let fresh = provider.tokenize(&visa).await.unwrap();
        let kept: Vec<String> =
            sqlx::query_scalar("SELECT token FROM test_payment_tokens ORDER BY created_at").fetch_all(&db.pool).await.unwrap();
        assert_eq!(kept, [spent.token, fresh.token], "the spent token stays with its charge; the expired one is gone");
        close(db, dir).await;
    }

    #[test]
    fn refuses_bad_numbers_expiry_and_cvc() {
        let today = (2026, 11);
        let code = |c: CardDetails| match check_card(&c, today) {
            Err(AppError::Api(e)) => (e.code, e.field.unwrap_or_default()),
            other => panic!("expected an error, got {other:?}"),
        };
        assert_eq!(code(card("4242424242424241", (2030, 1), "123")), (ErrorCode::InvalidCardNumber, "number".into()));
        assert_eq!(code(card("4242424242424242", (2026, 10), "123")), (ErrorCode::CardExpired, "exp_year".into()));
        assert_eq!(code(card("4242424242424242", (2030, 13), "123")), (ErrorCode::InvalidField, "exp_month".into()));
        assert_eq!(code(card("4242424242424242", (2030, 1), "12")), (ErrorCode::InvalidCvc, "cvc".into()));
        assert_eq!(code(card("4242424242424242", (2030, 1), "12a")), (ErrorCode::InvalidCvc, "cvc".into()));
    }
}
