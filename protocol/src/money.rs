//! Money on the wire: integer minor units plus an ISO 4217 currency code, never floats.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An ISO 4217 currency code: three ASCII upper-case letters, e.g. `EUR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Currency {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Currency".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[A-Z]{3}$",
            "description": "ISO 4217 currency code"
        })
    }
}

impl Currency {
    pub const EUR: Currency = Currency(*b"EUR");
    pub const USD: Currency = Currency(*b"USD");

    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point in this currency (ISO 4217 minor units).
    pub fn minor_digits(&self) -> u32 {
        match self.as_str() {
            "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI" | "VND" | "VUV" | "XAF"
            | "XOF" | "XPF" => 0,
            "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
            _ => 2,
        }
    }
}

impl std::str::FromStr for Currency {
    type Err = MoneyError;
    fn from_str(code: &str) -> Result<Self, Self::Err> {
        match code.as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => Ok(Currency([a, b, c])),
            _ => Err(MoneyError::BadCurrency(code.to_owned())),
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        code.parse()
    }
}

impl From<Currency> for String {
    fn from(currency: Currency) -> String {
        currency.as_str().to_owned()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount of money: `{"amount": 2990, "currency": "EUR"}` is 29.90 EUR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Money {
    /// Integer amount in the currency's minor unit (cents for EUR and USD, yen for JPY).
    pub amount: i64,
    pub currency: Currency,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("`{0}` is not an ISO 4217 currency code (three capital letters, e.g. EUR)")]
    BadCurrency(String),
    #[error("`{0}` is not a price; write the amount, a space and the currency, e.g. `29.90 EUR`")]
    BadPrice(String),
    #[error("`{0}` has more decimals than its currency allows")]
    TooPrecise(String),
    #[error("`{0}` is too large")]
    TooLarge(String),
    #[error("cannot add {0} to {1}: the currencies differ")]
    CurrencyMismatch(Currency, Currency),
}

impl Money {
    pub fn new(amount: i64, currency: Currency) -> Self {
        Money { amount, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Money::new(0, currency)
    }

    /// Parses the price format of Meta catalog feeds and static-mode tags: `29.90 EUR`
    /// (a non-negative decimal number with a `.`, one space, the currency code).
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let bad = || MoneyError::BadPrice(text.to_owned());
        let (number, code) = text.trim().split_once(' ').ok_or_else(bad)?;
        let currency: Currency = code.trim().parse()?;
        let (units, fraction) = number.split_once('.').unwrap_or((number, ""));
        let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if units.is_empty() || !digits_ok(units) || !digits_ok(fraction) {
            return Err(bad());
        }
        let scale = currency.minor_digits();
        let fraction = fraction.trim_end_matches('0');
        if fraction.len() > scale as usize {
            return Err(MoneyError::TooPrecise(text.to_owned()));
        }
        let too_large = || MoneyError::TooLarge(text.to_owned());
        let units: i64 = units.parse().map_err(|_| too_large())?;
        let fraction_value: i64 = if fraction.is_empty() { 0 } else { fraction.parse().map_err(|_| bad())? };
        let fraction_value = fraction_value * 10_i64.pow(scale - fraction.len() as u32);
        let amount = units.checked_mul(10_i64.pow(scale)).and_then(|a| a.checked_add(fraction_value)).ok_or_else(too_large)?;
        Ok(Money::new(amount, currency))
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(other.currency, self.currency));
        }
        let sum = self.amount.checked_add(other.amount).ok_or_else(|| MoneyError::TooLarge(format!("{self} + {other}")))?;
        Ok(Money::new(sum, self.currency))
    }

    /// `quantity` times this amount; None when it does not fit (never wraps).
    pub fn checked_times(self, quantity: u32) -> Option<Money> {
        self.amount.checked_mul(i64::from(quantity)).map(|amount| Money::new(amount, self.currency))
    }

    /// `quantity` times this amount, saturating at the largest amount (never wraps); use
    /// [`Money::checked_times`] where an overflow must be refused.
    pub fn times(self, quantity: u32) -> Money {
        Money::new(self.amount.saturating_mul(i64::from(quantity)), self.currency)
    }

    /// The amount as a decimal number in major units, for display APIs such as
    /// `Intl.NumberFormat` (never for arithmetic).
    pub fn major_units(&self) -> f64 {
        self.amount as f64 / 10_f64.powi(self.currency.minor_digits() as i32)
    }
}

impl fmt::Display for Money {
    /// The machine format `29.90 EUR`, the inverse of [`Money::parse`]; user-facing text is
    /// formatted for the locale by the widget.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = self.currency.minor_digits();
        let sign = if self.amount < 0 { "-" } else { "" };
        let abs = self.amount.unsigned_abs();
        if scale == 0 {
            return write!(f, "{sign}{abs} {}", self.currency);
        }
        let unit = 10_u64.pow(scale);
        write!(f, "{sign}{}.{:0width$} {}", abs / unit, abs % unit, self.currency, width = scale as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_meta_feed_prices() {
        assert_eq!(Money::parse("29.90 EUR"), Ok(Money::new(2990, Currency::EUR)));
        assert_eq!(Money::parse("29.9 EUR"), Ok(Money::new(2990, Currency::EUR)));
        assert_eq!(Money::parse("49 USD"), Ok(Money::new(4900, Currency::USD)));
        assert_eq!(Money::parse("1500 JPY").map(|m| m.amount), Ok(1500));
        assert_eq!(Money::parse("1.250 KWD").map(|m| m.amount), Ok(1250));
    }

    #[test]
    fn refuses_malformed_prices() {
        for text in ["", "29.90", "EUR 29.90", "29,90 EUR", "-1.00 EUR", "1.999 EUR", "12 eur", "1.5 JPY", "99999999999999999999 EUR"] {
            assert!(Money::parse(text).is_err(), "{text} should be refused");
        }
    }

    #[test]
    fn display_round_trips() {
        for text in ["29.90 EUR", "0.05 USD", "1500 JPY", "1.250 KWD"] {
            assert_eq!(Money::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn serializes_as_minor_units_and_code() {
        let json = serde_json::to_string(&Money::new(2990, Currency::EUR)).unwrap();
        assert_eq!(json, r#"{"amount":2990,"currency":"EUR"}"#);
        assert!(serde_json::from_str::<Money>(r#"{"amount":1,"currency":"eur"}"#).is_err());
        assert!(serde_json::from_str::<Money>(r#"{"amount":1.5,"currency":"EUR"}"#).is_err());
    }

    #[test]
    fn refuses_adding_other_currencies() {
        let eur = Money::new(100, Currency::EUR);
        assert_eq!(eur.checked_add(eur), Ok(Money::new(200, Currency::EUR)));
        assert!(eur.checked_add(Money::new(100, Currency::USD)).is_err());
    }

    #[test]
    fn arithmetic_never_wraps() {
        let max = Money::new(i64::MAX, Currency::EUR);
        assert!(max.checked_add(Money::new(1, Currency::EUR)).is_err());
        assert_eq!(max.checked_times(2), None);
        assert_eq!(max.times(2), max);
        assert_eq!(Money::new(250, Currency::EUR).checked_times(3), Some(Money::new(750, Currency::EUR)));
    }
}
