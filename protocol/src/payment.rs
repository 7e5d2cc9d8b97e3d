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
    use super::luhn_valid;

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
