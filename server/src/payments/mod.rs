//! Payment providers. The shop only ever sees a provider's single-use token, never a card:
//! order creation charges the token, cancellation and refunds refund the charge.

pub mod frame;
pub mod stripe;
pub mod stripe_events;
pub mod test_provider;

use std::future::Future;
use std::pin::Pin;

use shoppable_protocol::{Authentication, ErrorCode, Money, PaymentMethod, PaymentSummary};

use crate::error::AppError;

/// A successful charge: what the order shows, and the provider's reference for refunds.
#[derive(Debug, Clone)]
pub struct Charge {
    pub summary: PaymentSummary,
    pub reference: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("the card was declined")]
    Declined,
    #[error("the card has insufficient funds")]
    InsufficientFunds,
    #[error("the payment token is unknown, expired or already used")]
    InvalidToken,
    /// The card's bank asks the shopper to confirm the payment (3-D Secure): nothing is
    /// charged until the payment frame has run the challenge (`orders::place` holds the order).
    #[error("the card's bank asks the shopper to confirm the payment")]
    AuthenticationRequired(Authentication),
    /// The challenge failed, was abandoned or expired: nothing was charged.
    #[error("{0}")]
    AuthenticationFailed(&'static str),
    #[error(transparent)]
    Provider(#[from] AppError),
}

impl From<PaymentError> for AppError {
    fn from(error: PaymentError) -> Self {
        let field = "payment.token";
        match error {
            PaymentError::Declined | PaymentError::AuthenticationRequired(_) => {
                AppError::field(ErrorCode::CardDeclined, field, error.to_string())
            }
            PaymentError::AuthenticationFailed(_) => AppError::field(ErrorCode::AuthenticationFailed, field, error.to_string()),
            PaymentError::InsufficientFunds => AppError::field(ErrorCode::InsufficientFunds, field, error.to_string()),
            PaymentError::InvalidToken => AppError::field(ErrorCode::InvalidPaymentToken, field, error.to_string()),
            PaymentError::Provider(inner) => inner,
        }
    }
}

/// Where the challenge of a charge that asked for authentication stands.
#[derive(Debug)]
pub enum Authenticated {
    /// Confirmed: the charge is made.
    Charged(Charge),
    /// The shopper has not finished the challenge.
    Pending,
    /// Failed or abandoned: nothing is charged, and nothing can be any more.
    Failed,
}

pub type PaymentFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, PaymentError>> + Send + 'a>>;

pub trait PaymentProvider: Send + Sync {
    /// What `GET /v1/config` announces for this provider.
    fn method(&self) -> PaymentMethod;
    /// Charges a single-use token; the token is spent even when the card is declined. A card
    /// whose bank asks for a confirmation answers [`PaymentError::AuthenticationRequired`]:
    /// the charge waits for the challenge ([`PaymentProvider::authentication`]).
    /// `reference` (the order id) is kept with the charge, so that [`PaymentProvider::find_charge`]
    /// can tell after a crash whether the order was charged.
    fn charge<'a>(&'a self, token: &'a str, amount: Money, reference: &'a str) -> PaymentFuture<'a, Charge>;
    /// Where the challenge of the charge made with this reference stands.
    fn authentication<'a>(&'a self, reference: &'a str) -> PaymentFuture<'a, Authenticated>;
    /// The successful charge made with this reference, if any; a charge still waiting for its
    /// challenge is cancelled first, so that None means it never will be charged.
    fn find_charge<'a>(&'a self, reference: &'a str) -> PaymentFuture<'a, Option<Charge>>;
    /// Refunds `amount` of a charge. `refund_key` names this refund (the order, or one of its
    /// returns): the provider refunds once per key, however often it is asked.
    fn refund<'a>(&'a self, reference: &'a str, amount: Money, refund_key: &'a str) -> PaymentFuture<'a, ()>;
}
