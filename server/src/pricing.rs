//! Quotes: the server prices a bag from ids and quantities only. Order creation uses the same
//! computation, so what the shopper reviewed is what is charged.

use std::collections::HashMap;

use shoppable_protocol::{
    Address, ApiError, ErrorCode, LineRequest, MAX_LINES, MAX_QUANTITY, Money, Quote, QuoteRequest, QuotedLine, ShippingOption,
};

use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::extract::check_id;
use crate::storage::Db;
use crate::storage::catalog::priced_variants;

/// VAT contained in a tax-inclusive amount, rounded half up to the minor unit:
/// `amount × rate / (10000 + rate)` with the rate in basis points, in integers only.
pub fn included_tax(amount: i64, rate_basis_points: i64) -> i64 {
    // In i128: `2 × amount × rate` of a large amount does not fit in i64; the result does.
    let (amount, rate) = (i128::from(amount), i128::from(rate_basis_points));
    let denominator = 10_000 + rate;
    (2 * amount * rate + denominator).div_euclid(2 * denominator) as i64
}

/// The refusal of a bag whose amounts do not fit in the protocol's integers.
fn too_large(field: impl Into<String>) -> AppError {
    AppError::invalid(field, "the amount is too large to be charged")
}

/// The shipping options to `country`: cheaper and faster at home (the first configured
/// country); standard shipping is free from the configured subtotal.
pub fn shipping_options(config: &Config, country: &str, subtotal: Money) -> Vec<ShippingOption> {
    let home = config.countries.first().is_some_and(|c| c == country);
    let (standard, express, standard_days, express_days) = if home { (490, 990, (2, 4), (1, 2)) } else { (990, 1990, (3, 6), (2, 3)) };
    let standard = if subtotal.amount >= config.free_shipping_from { 0 } else { standard };
    let option = |id: &str, label: &str, amount, (min_days, max_days)| ShippingOption {
        id: id.to_owned(),
        label: label.to_owned(),
        price: Money::new(amount, subtotal.currency),
        min_days,
        max_days,
    };
    vec![option("standard", "Standard", standard, standard_days), option("express", "Express", express, express_days)]
}

fn check_address(config: &Config, address: &Address) -> AppResult<()> {
    let required = [
        ("name", &address.name),
        ("email", &address.email),
        ("line1", &address.line1),
        ("postal_code", &address.postal_code),
        ("city", &address.city),
    ];
    for (name, value) in required {
        if value.trim().is_empty() || value.len() > 200 {
            return Err(AppError::invalid(format!("address.{name}"), format!("{name} must be 1 to 200 characters")));
        }
    }
    if crate::mail::address_of(&address.email).is_none() {
        return Err(AppError::invalid("address.email", "the e-mail address is not valid: write one address, such as camille@example.com"));
    }
    if !config.countries.contains(&address.country) {
        return Err(AppError::invalid("address.country", format!("the shop ships to {} only", config.countries.join(", "))));
    }
    Ok(())
}

fn check_lines(lines: &[LineRequest]) -> AppResult<()> {
    if lines.is_empty() || lines.len() > MAX_LINES {
        return Err(AppError::invalid("lines", format!("a bag has 1 to {MAX_LINES} lines")));
    }
    for (i, line) in lines.iter().enumerate() {
        if !(1..=MAX_QUANTITY).contains(&line.quantity) {
            return Err(AppError::invalid(format!("lines[{i}].quantity"), format!("quantity must be 1 to {MAX_QUANTITY}")));
        }
        if let Some(post_id) = &line.post_id {
            check_id(format!("lines[{i}].post_id"), post_id)?;
        }
    }
    Ok(())
}

pub async fn quote(db: &Db, config: &Config, request: &QuoteRequest) -> AppResult<Quote> {
    check_lines(&request.lines)?;
    if let Some(address) = &request.address {
        check_address(config, address)?;
    }
    let currency = config.currency;
    let ids: Vec<String> = request.lines.iter().map(|l| l.variant_id.clone()).collect();
    let variants = priced_variants(db, &ids).await?;
    // Units asked so far per variant, so that two lines of one variant share its stock.
    let mut asked: HashMap<&str, u32> = HashMap::new();
    let mut lines = Vec::with_capacity(request.lines.len());
    for (i, line) in request.lines.iter().enumerate() {
        let Some(found) = variants.get(&line.variant_id).filter(|v| v.variant.price.currency == currency) else {
            lines.push(QuotedLine {
                variant_id: line.variant_id.clone(),
                product_id: String::new(),
                title: String::new(),
                variant_title: String::new(),
                image_url: None,
                quantity: line.quantity,
                unit_price: Money::zero(currency),
                total: Money::zero(currency),
                available_quantity: Some(0),
                error: Some(ApiError::new(ErrorCode::NotFound, "no variant with that id").with_field(format!("lines[{i}].variant_id"))),
            });
            continue;
        };
        let variant = &found.variant;
        // Earlier lines of the variant that can be served take their units first; a line that
        // cannot be served takes none.
        let taken = asked.entry(&line.variant_id).or_default();
        // An unavailable variant has nothing left, whether or not its stock is tracked.
        let left = if variant.available { variant.stock.map(|stock| stock.saturating_sub(*taken)) } else { Some(0) };
        if left.is_none_or(|left| left >= line.quantity) {
            *taken += line.quantity;
        }
        let error = left.filter(|&left| left < line.quantity).map(|left| {
            let message = if left == 0 { "sold out".to_owned() } else { format!("only {left} left") };
            ApiError::new(ErrorCode::OutOfStock, message).with_field(format!("lines[{i}].quantity"))
        });
        lines.push(QuotedLine {
            variant_id: variant.id.clone(),
            product_id: found.product_id.clone(),
            title: found.product_title.clone(),
            variant_title: variant.title.clone(),
            image_url: variant.image_url.clone().or_else(|| found.product_image.clone()),
            quantity: line.quantity,
            unit_price: variant.price,
            total: variant.price.checked_times(line.quantity).ok_or_else(|| too_large(format!("lines[{i}].quantity")))?,
            available_quantity: left,
            error,
        });
    }
    let mut subtotal = Money::zero(currency);
    for line in lines.iter().filter(|l| l.error.is_none()) {
        subtotal = subtotal.checked_add(line.total).map_err(|_| too_large("lines"))?;
    }
    let shipping_options = match &request.address {
        Some(address) => shipping_options(config, &address.country, subtotal),
        None => Vec::new(),
    };
    let selected = match &request.shipping_option {
        Some(id) if request.address.is_some() => Some(
            shipping_options
                .iter()
                .find(|o| &o.id == id)
                .ok_or_else(|| AppError::invalid("shipping_option", "no shipping option with that id for this address"))?,
        ),
        _ => shipping_options.iter().min_by_key(|o| o.price.amount),
    };
    let shipping = Money::new(selected.map_or(0, |o| o.price.amount), currency);
    let total = subtotal.checked_add(shipping).map_err(|_| too_large("lines"))?;
    Ok(Quote {
        currency,
        orderable: selected.is_some() && lines.iter().all(|l| l.error.is_none()),
        selected_shipping_option: selected.map(|o| o.id.clone()),
        lines,
        shipping_options,
        subtotal,
        shipping,
        tax: Money::new(included_tax(total.amount, config.vat_basis_points), currency),
        tax_included: true,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::included_tax;

    #[test]
    fn included_vat_is_rounded_half_up() {
        assert_eq!(included_tax(12_000, 2000), 2000);
        assert_eq!(included_tax(2990, 2000), 498); // 498.33
        assert_eq!(included_tax(3, 2000), 1); // 0.5 rounds up
        assert_eq!(included_tax(2, 2000), 0); // 0.33
        assert_eq!(included_tax(0, 2000), 0);
        assert_eq!(included_tax(1055, 550), 55); // 5.5%: 54.98
        assert_eq!(included_tax(i64::MAX, 2000), 1_537_228_672_809_129_301); // MAX / 6, no wrap
    }
}
