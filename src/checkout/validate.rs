//! Checks made before anything is sent, so the shopper sees a clear message next to the
//! field at once. The backend and the payment provider check again: these only save a trip.

use shoppable_protocol::payment::luhn_valid;

use crate::i18n::Text;

/// The contact and shipping fields, as typed.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AddressForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub line1: String,
    pub line2: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
}

/// A field of the checkout forms, named as in the protocol's `field` paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Email,
    Phone,
    Line1,
    PostalCode,
    City,
    Country,
    CardNumber,
    Expiry,
    Cvc,
}

impl Field {
    /// Maps a backend error's `field` (`address.postal_code`, `number`, `exp_year`...) to the
    /// form field to show it next to.
    pub fn from_protocol(path: &str) -> Option<Field> {
        Some(match path.trim_start_matches("address.") {
            "name" => Field::Name,
            "email" => Field::Email,
            "phone" => Field::Phone,
            "line1" => Field::Line1,
            "postal_code" => Field::PostalCode,
            "city" => Field::City,
            "country" => Field::Country,
            "number" => Field::CardNumber,
            "exp_month" | "exp_year" => Field::Expiry,
            "cvc" => Field::Cvc,
            _ => return None,
        })
    }

    /// The input's element id (the error's id adds `-error`).
    pub fn input_id(self) -> &'static str {
        match self {
            Field::Name => "shoppable-name",
            Field::Email => "shoppable-email",
            Field::Phone => "shoppable-phone",
            Field::Line1 => "shoppable-line1",
            Field::PostalCode => "shoppable-postalcode",
            Field::City => "shoppable-city",
            Field::Country => "shoppable-country",
            Field::CardNumber => "shoppable-cardnumber",
            Field::Expiry => "shoppable-expiry",
            Field::Cvc => "shoppable-cvc",
        }
    }

    pub fn label(self) -> Text {
        match self {
            Field::Name => Text::FieldName,
            Field::Email => Text::FieldEmail,
            Field::Phone => Text::FieldPhone,
            Field::Line1 => Text::FieldLine1,
            Field::PostalCode => Text::FieldPostalCode,
            Field::City => Text::FieldCity,
            Field::Country => Text::FieldCountry,
            Field::CardNumber => Text::CardNumber,
            Field::Expiry => Text::Expiry,
            Field::Cvc => Text::Cvc,
        }
    }

    /// The input's `autocomplete`, so browsers fill the forms in.
    pub fn autocomplete(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Email => "email",
            Field::Phone => "tel",
            Field::Line1 => "address-line1",
            Field::PostalCode => "postal-code",
            Field::City => "address-level2",
            Field::Country => "country",
            Field::CardNumber => "cc-number",
            Field::Expiry => "cc-exp",
            Field::Cvc => "cc-csc",
        }
    }

    /// The input's `type`.
    pub fn input_type(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::Phone => "tel",
            _ => "text",
        }
    }

    /// Digits only: phones show a number pad.
    pub fn numeric(self) -> bool {
        matches!(self, Field::CardNumber | Field::Cvc)
    }
}

/// A checkout form whose text fields a `TextField` edits.
pub trait Form {
    fn value(&self, field: Field) -> String;
    fn set(&mut self, field: Field, value: String);
}

/// Implements `Form` from the form's text fields; a field that is not on the form reads as
/// empty and ignores what is set.
macro_rules! text_fields {
    ($form:ty { $($field:ident => $member:ident),* $(,)? }) => {
        impl Form for $form {
            fn value(&self, field: Field) -> String {
                match field {
                    $(Field::$field => self.$member.clone(),)*
                    _ => String::new(),
                }
            }

            fn set(&mut self, field: Field, value: String) {
                match field {
                    $(Field::$field => self.$member = value,)*
                    _ => {}
                }
            }
        }
    };
}

text_fields!(AddressForm { Name => name, Email => email, Phone => phone, Line1 => line1, PostalCode => postal_code, City => city });
text_fields!(CardForm { CardNumber => number, Expiry => expiry, Cvc => cvc });

/// Every problem of the address form, in the form's order.
pub fn check_address(form: &AddressForm, countries: &[String]) -> Vec<(Field, Text)> {
    let mut problems = Vec::new();
    let blank = |value: &str| value.trim().is_empty();
    if blank(&form.name) {
        problems.push((Field::Name, Text::RequiredName));
    }
    if !looks_like_email(form.email.trim()) {
        problems.push((Field::Email, if blank(&form.email) { Text::RequiredEmail } else { Text::InvalidEmail }));
    }
    let phone = form.phone.trim();
    let phone_ok = phone.is_empty()
        || (phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) && phone.chars().filter(char::is_ascii_digit).count() >= 6);
    if !phone_ok {
        problems.push((Field::Phone, Text::InvalidPhone));
    }
    if blank(&form.line1) {
        problems.push((Field::Line1, Text::RequiredAddress));
    }
    if blank(&form.postal_code) {
        problems.push((Field::PostalCode, Text::RequiredPostalCode));
    }
    if blank(&form.city) {
        problems.push((Field::City, Text::RequiredCity));
    }
    if !countries.iter().any(|c| c == &form.country) {
        problems.push((Field::Country, Text::RequiredCountry));
    }
    problems
}

fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// The card fields, as typed. Never stored anywhere.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CardForm {
    pub number: String,
    /// `MM/YY` or `MM/YYYY`.
    pub expiry: String,
    pub cvc: String,
}

/// A card that passed the checks, ready for the payment provider.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedCard {
    pub number: String,
    pub exp_month: u32,
    pub exp_year: u32,
    pub cvc: String,
}

/// Checks the card form against today's `(month, year)`.
pub fn check_card(form: &CardForm, today: (u32, u32)) -> Result<CheckedCard, Vec<(Field, Text)>> {
    let mut problems = Vec::new();
    let number: String = form.number.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let number_ok = (12..=19).contains(&number.len()) && luhn_valid(&number);
    if !number_ok {
        problems.push((Field::CardNumber, if number.is_empty() { Text::RequiredCardNumber } else { Text::InvalidCardNumber }));
    }
    let expiry = parse_expiry(&form.expiry);
    match expiry {
        None => problems.push((Field::Expiry, Text::InvalidExpiry)),
        Some((month, year)) if (year, month) < (today.1, today.0) => problems.push((Field::Expiry, Text::CardExpired)),
        Some(_) => {}
    }
    let cvc = form.cvc.trim();
    let cvc_length = if number.starts_with("34") || number.starts_with("37") { 4 } else { 3 };
    if cvc.len() != cvc_length || !cvc.bytes().all(|b| b.is_ascii_digit()) {
        problems.push((Field::Cvc, Text::InvalidCvc));
    }
    match (problems.is_empty(), expiry) {
        (true, Some((exp_month, exp_year))) => Ok(CheckedCard { number, exp_month, exp_year, cvc: cvc.to_owned() }),
        _ => Err(problems),
    }
}

/// `12/30`, `12 / 2030`, `1/30` -> (12, 2030).
pub fn parse_expiry(text: &str) -> Option<(u32, u32)> {
    let (month, year) = text.split_once('/')?;
    let month: u32 = month.trim().parse().ok()?;
    let year = year.trim();
    let year: u32 = match year.len() {
        2 => 2000 + year.parse::<u32>().ok()?,
        4 => year.parse().ok()?,
        _ => return None,
    };
    (1..=12).contains(&month).then_some((month, year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address() -> AddressForm {
        AddressForm {
            name: "Camille Martin".into(),
            email: "camille@example.com".into(),
            phone: String::new(),
            line1: "12 rue des Lilas".into(),
            line2: String::new(),
            postal_code: "75011".into(),
            city: "Paris".into(),
            country: "FR".into(),
        }
    }

    #[test]
    fn a_complete_address_passes() {
        assert!(check_address(&address(), &["FR".into(), "BE".into()]).is_empty());
    }

    #[test]
    fn each_missing_or_bad_field_is_named() {
        let form = AddressForm { name: " ".into(), email: "camille@".into(), phone: "abc".into(), country: "US".into(), ..address() };
        let fields: Vec<Field> = check_address(&form, &["FR".into()]).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, [Field::Name, Field::Email, Field::Phone, Field::Country]);
    }

    #[test]
    fn card_checks_expiry_and_cvc() {
        let today = (11, 2026);
        let card = CardForm { number: "4242 4242 4242 4242".into(), expiry: "12/30".into(), cvc: "123".into() };
        assert_eq!(check_card(&card, today).unwrap().exp_year, 2030);
        let expired = CardForm { expiry: "10/26".into(), ..card.clone() };
        assert_eq!(check_card(&expired, today).unwrap_err(), [(Field::Expiry, Text::CardExpired)]);
        let this_month = CardForm { expiry: "11/2026".into(), ..card.clone() };
        assert!(check_card(&this_month, today).is_ok());
        let bad = CardForm { number: "4242 4242 4242 4241".into(), expiry: "13/30".into(), cvc: "12".into() };
        let fields: Vec<Field> = check_card(&bad, today).unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, [Field::CardNumber, Field::Expiry, Field::Cvc]);
        let amex = CardForm { number: "378282246310005".into(), expiry: "12/30".into(), cvc: "123".into() };
        assert_eq!(check_card(&amex, today).unwrap_err(), [(Field::Cvc, Text::InvalidCvc)]);
    }

    #[test]
    fn backend_field_paths_map_to_form_fields() {
        assert_eq!(Field::from_protocol("address.postal_code"), Some(Field::PostalCode));
        assert_eq!(Field::from_protocol("exp_year"), Some(Field::Expiry));
        assert_eq!(Field::from_protocol("lines[0].quantity"), None);
    }
}
