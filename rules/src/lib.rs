//! The protocol's rules for the tag editor (`www/editor.js`), which imports this crate's wasm
//! build (`pkg/rules.js`) instead of repeating them in JavaScript: the reference server checks
//! the same functions of `shoppable-protocol`. The editor words the problems in its language.

use shoppable_protocol::{Currency, MAX_TAGS_PER_PHOTO, Money, MoneyError};
use wasm_bindgen::prelude::*;

/// Most tags one photo may carry.
#[wasm_bindgen(js_name = maxTags)]
pub fn max_tags() -> usize {
    MAX_TAGS_PER_PHOTO
}

/// Most tags one post may carry, all its media together.
#[wasm_bindgen(js_name = maxTagsPerPost)]
pub fn max_tags_per_post() -> usize {
    shoppable_protocol::MAX_TAGS_PER_POST
}

/// Most photos and videos one post may hold.
#[wasm_bindgen(js_name = maxMedia)]
pub fn max_media() -> usize {
    shoppable_protocol::MAX_MEDIA
}

/// True when a video tag may show from `start` to `end` seconds.
#[wasm_bindgen(js_name = isTimeRange)]
pub fn is_time_range(start: f64, end: f64) -> bool {
    shoppable_protocol::post::is_time_range(start, end)
}

/// True when `id` can name a post.
#[wasm_bindgen(js_name = isPostId)]
pub fn is_post_id(id: &str) -> bool {
    shoppable_protocol::post::is_valid_id(id)
}

/// True for an http(s) URL or a path on the site: what an image address may be.
#[wasm_bindgen(js_name = isSafeLink)]
pub fn is_safe_link(url: &str) -> bool {
    shoppable_protocol::url::is_safe_link(url)
}

/// True for a complete http(s) address: what a link-out product needs.
#[wasm_bindgen(js_name = isWebAddress)]
pub fn is_web_address(url: &str) -> bool {
    shoppable_protocol::url::is_web_address(url)
}

/// Why a text is not a price.
#[wasm_bindgen]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceProblem {
    /// Not `49.00 EUR`: the amount, one space, a currency code.
    Malformed = "malformed",
    /// More decimals than the currency has.
    TooPrecise = "too_precise",
    /// Beyond what an amount can hold.
    TooLarge = "too_large",
}

/// A price typed by someone, read as the widget reads static tags.
#[wasm_bindgen(getter_with_clone)]
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    /// The price written the widget's way (`12.50 EUR`), when the text is a price.
    pub text: Option<String>,
    pub problem: Option<PriceProblem>,
    /// The currency code the text names, when it names one.
    pub currency: Option<String>,
    /// Decimals that currency has, when it names one.
    pub digits: Option<u32>,
}

/// Reads a price forgivingly: white space is collapsed and the currency code may be in lower
/// case (`12.5  eur` is `12.50 EUR`); the rest is [`Money::parse`], the widget's own rule.
#[wasm_bindgen(js_name = readPrice)]
pub fn read_price(text: &str) -> Price {
    let cleaned = text.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_uppercase();
    let currency = cleaned.rsplit_once(' ').and_then(|(_, code)| code.parse::<Currency>().ok());
    let (text, problem) = match Money::parse(&cleaned) {
        Ok(money) => (Some(money.to_string()), None),
        Err(MoneyError::TooPrecise(_)) => (None, Some(PriceProblem::TooPrecise)),
        Err(MoneyError::TooLarge(_)) => (None, Some(PriceProblem::TooLarge)),
        Err(_) => (None, Some(PriceProblem::Malformed)),
    };
    Price { text, problem, currency: currency.map(String::from), digits: currency.map(|c| c.minor_digits()) }
}

/// `amount` minor units of `currency` in the machine format (`14.90 EUR`); None for a code
/// that is not one or an amount that is not a whole number.
#[wasm_bindgen(js_name = moneyText)]
pub fn money_text(amount: f64, currency: &str) -> Option<String> {
    money(amount, currency).map(|money| money.to_string())
}

/// `amount` minor units of `currency` in major units (14.9 for 1490 EUR), for
/// `Intl.NumberFormat`; None as for [`money_text`].
#[wasm_bindgen(js_name = majorUnits)]
pub fn major_units(amount: f64, currency: &str) -> Option<f64> {
    money(amount, currency).map(|money| money.major_units())
}

fn money(amount: f64, currency: &str) -> Option<Money> {
    // JSON numbers reach JavaScript as doubles: only whole ones within i64 are amounts.
    let currency = currency.parse().ok()?;
    (amount.fract() == 0.0 && amount.abs() < 9.2e18).then(|| Money::new(amount as i64, currency))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_read_forgivingly_and_written_the_widget_way() {
        assert_eq!(read_price(" 12.5   eur ").text.as_deref(), Some("12.50 EUR"));
        assert_eq!(read_price("1500 jpy").text.as_deref(), Some("1500 JPY"));
        assert_eq!(read_price("7. KWD").text.as_deref(), Some("7.000 KWD"));
    }

    #[test]
    fn prices_the_widget_refuses_are_refused_with_the_reason() {
        for text in ["12,00", "", "EUR 12", "-1 EUR", "12 EURO", "1.2.3 EUR"] {
            assert_eq!(read_price(text).problem, Some(PriceProblem::Malformed), "{text}");
        }
        let precise = read_price("1.5 jpy");
        assert_eq!((precise.problem, precise.currency.as_deref(), precise.digits), (Some(PriceProblem::TooPrecise), Some("JPY"), Some(0)));
        assert_eq!(read_price("99999999999999999999 EUR").problem, Some(PriceProblem::TooLarge));
    }

    #[test]
    fn amounts_from_json_are_formatted_in_their_currency() {
        assert_eq!(money_text(1490.0, "EUR").as_deref(), Some("14.90 EUR"));
        assert_eq!(money_text(-5.0, "USD").as_deref(), Some("-0.05 USD"));
        assert_eq!(major_units(1250.0, "KWD"), Some(1.25));
        assert_eq!(money_text(1.5, "EUR"), None);
        assert_eq!(money_text(100.0, "eur"), None);
    }
}
