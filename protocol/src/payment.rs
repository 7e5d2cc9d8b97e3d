//! Payment by provider token: card numbers go to the payment provider, never to the shop.

use serde::{Deserialize, Serialize};

/// Sent by the widget to a provider's `tokenize_url` (never to the order endpoint).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CardDetails {
    /// Digits; spaces are ignored, any other character makes the number invalid.
    pub number: String,
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 12)))]
    pub exp_month: u32,
    /// Four digits, e.g. 2030.
    pub exp_year: u32,
    /// 3 or 4 digits; exactly 4 for American Express.
    #[cfg_attr(feature = "schema", schemars(pattern(r"^[0-9]{3,4}$")))]
    pub cvc: String,
}

/// The provider's answer: a single-use token standing for the card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CardToken {
    pub token: String,
    pub brand: String,
    pub last4: String,
}

/// The payment part of an order request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PaymentToken {
    pub provider: String,
    pub token: String,
}

/// What an order keeps of its payment: never more than the brand and the last four digits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PaymentSummary {
    pub provider: String,
    /// `""` until the charge has answered (an order still `placed`).
    pub brand: String,
    /// `""` until the charge has answered.
    pub last4: String,
}

/// What a payment frame tells about a card: never more than a receipt shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CardSummary {
    /// `visa`, `mastercard`, `amex`, or another lower-case brand id.
    pub brand: String,
    pub last4: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp_month: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp_year: Option<u32>,
}

/// The one message a widget posts to the frame's window (`targetOrigin`: the origin of
/// `frame_url`), with a `MessagePort` in its transfer list; everything else goes over that port.
pub const FRAME_CONNECT: &str = "shoppable-payment-connect";

/// Messages a payment frame sends to the widget over the `MessagePort` (PROTOCOL.md, "Payment
/// frame"). Unknown `type`s are ignored by the receiver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FrameMessage {
    /// The form is shown. Sent again when what it says changes (a card remembered or forgotten).
    Ready {
        /// The card the provider remembers for this shopper, offered in one tap.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        saved_card: Option<CardSummary>,
    },
    /// The height in CSS pixels the frame's content needs; the widget sizes the iframe to it.
    Height { height: u32 },
    /// The card was checked and tokenized: a single-use token for the order request.
    Token { token: String, card: CardSummary },
    /// The challenge asked by `authenticate` has ended, whatever its outcome: the widget sends
    /// the order again with its `Idempotency-Key`, and the backend, which asks the provider,
    /// answers whether it is paid.
    Authenticated,
    /// The card could not be tokenized; the frame already shows why, next to the field.
    Error {
        /// A protocol error code (`invalid_card_number`, `card_expired`, `invalid_cvc`,
        /// `invalid_field`, `network`...).
        code: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
}

/// Messages the widget sends to a payment frame over the `MessagePort`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WidgetMessage {
    /// Sent first, and again when it changes: the shopper's language and the sheet's theme.
    Configure {
        /// `fr` or `en` (a BCP 47 language; the frame falls back to English).
        lang: String,
        /// Theme values by name (`accent`, `accent-text`, `text`, `background`, `font`,
        /// `radius`, `focus`, `error`): CSS values, which the frame checks before use.
        #[serde(default)]
        theme: std::collections::BTreeMap<String, String>,
    },
    /// The shopper pressed the sheet's button: check and tokenize the card (or the saved card).
    Submit,
    /// The order was refused for this card (`card_declined`, `insufficient_funds`,
    /// `authentication_failed`, `invalid_payment_token`): the frame says so and takes another
    /// card.
    Declined { code: String },
    /// The order answered `requires_action`: the frame shows the card's bank challenge
    /// (3-D Secure) itself, in its own document, and answers `authenticated` when it ends.
    Authenticate { authentication: Authentication },
}

/// What a payment frame needs to run the card's bank challenge (3-D Secure) of an order that
/// answered `requires_action`. Never anything of the card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Authentication {
    /// The payment method's provider (`test`, `stripe`).
    pub provider: String,
    /// The provider's handle on the pending payment, for its own frame: a Stripe
    /// PaymentIntent's client secret, the `test` provider's challenge id.
    pub client_secret: String,
}

/// A brand id as shoppers read it: `visa` -> `Visa`, `amex` -> `American Express`.
pub fn brand_name(brand: &str) -> String {
    match brand {
        "visa" => "Visa".into(),
        "mastercard" => "Mastercard".into(),
        "amex" => "American Express".into(),
        "discover" => "Discover".into(),
        "jcb" => "JCB".into(),
        "unionpay" => "UnionPay".into(),
        "diners" => "Diners Club".into(),
        // ASCII only: Unicode case tables would weigh on the widget's download.
        other => {
            let mut name = other.to_owned();
            if let Some(first) = name.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            name
        }
    }
}

/// The Luhn checksum every card number carries (`digits`: ASCII digits only). Shared by the
/// widget's form checks and the reference backend's test provider.
pub fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let digit = u32::from(b.wrapping_sub(b'0'));
            if i % 2 == 1 { if digit * 2 > 9 { digit * 2 - 9 } else { digit * 2 } } else { digit }
        })
        .sum();
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_messages_are_tagged_by_type() {
        let token: FrameMessage = serde_json::from_str(
            r#"{"type":"token","token":"tok_1","card":{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2030},"extra":1}"#,
        )
        .unwrap();
        assert_eq!(
            token,
            FrameMessage::Token {
                token: "tok_1".into(),
                card: CardSummary { brand: "visa".into(), last4: "4242".into(), exp_month: Some(12), exp_year: Some(2030) },
            }
        );
        assert_eq!(serde_json::to_string(&WidgetMessage::Submit).unwrap(), r#"{"type":"submit"}"#);
        assert!(serde_json::from_str::<FrameMessage>(r#"{"type":"unknown"}"#).is_err());
    }

    #[test]
    fn brands_read_as_names() {
        assert_eq!(brand_name("visa"), "Visa");
        assert_eq!(brand_name("amex"), "American Express");
        assert_eq!(brand_name("maestro"), "Maestro");
    }

    #[test]
    fn checks_the_luhn_digit() {
        for number in ["4242424242424242", "4000000000000002", "5555555555554444", "378282246310005"] {
            assert!(luhn_valid(number), "{number}");
        }
        for number in ["4242424242424241", "", "42424242424242a2"] {
            assert!(!luhn_valid(number), "{number:?}");
        }
    }
}
