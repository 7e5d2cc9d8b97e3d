//! Choosing a variant from option values (size, colour), with sold-out choices disabled.

use shoppable_protocol::{Product, Variant};

/// The selected value of each option axis, in `Product::options` order.
pub type Selection = Vec<String>;

/// Starts on the first variant that can be bought, so the card opens on something orderable.
pub fn initial_selection(product: &Product) -> Selection {
    product.variants.iter().find(|v| v.available).or_else(|| product.variants.first()).map(|v| v.option_values.clone()).unwrap_or_default()
}

/// The variant matching every selected value.
pub fn selected_variant<'p>(product: &'p Product, selection: &[String]) -> Option<&'p Variant> {
    product.variants.iter().find(|v| v.option_values == selection)
}

/// Whether picking `value` on `axis`, keeping the other axes as selected, gives a variant
/// that can be bought. Used to disable sold-out choices.
pub fn choice_available(product: &Product, selection: &[String], axis: usize, value: &str) -> bool {
    product.variants.iter().any(|v| {
        v.available
            && v.option_values.get(axis).map(String::as_str) == Some(value)
            && v.option_values.iter().enumerate().all(|(i, own)| i == axis || selection.get(i) == Some(own))
    })
}

/// Changes one axis; when the other axes then name no variant, moves them to the first
/// available variant with the new value, so the shopper never lands on a missing combination.
pub fn select(product: &Product, selection: &[String], axis: usize, value: &str) -> Selection {
    let mut next = selection.to_vec();
    if let Some(slot) = next.get_mut(axis) {
        *slot = value.to_owned();
    }
    if selected_variant(product, &next).is_some_and(|v| v.available) {
        return next;
    }
    product
        .variants
        .iter()
        .filter(|v| v.option_values.get(axis).map(String::as_str) == Some(value))
        .find(|v| v.available)
        .map(|v| v.option_values.clone())
        .unwrap_or(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shoppable_protocol::{Currency, Money, ProductOption};

    fn variant(id: &str, size: &str, colour: &str, available: bool) -> Variant {
        Variant {
            id: id.into(),
            title: format!("{size} / {colour}"),
            option_values: vec![size.into(), colour.into()],
            price: Money::new(2990, Currency::EUR),
            compare_at_price: None,
            available,
            stock: Some(if available { 4 } else { 0 }),
            image_url: None,
        }
    }

    fn shirt() -> Product {
        Product {
            id: "shirt".into(),
            title: "Shirt".into(),
            description: String::new(),
            brand: None,
            url: None,
            images: vec![],
            options: vec![
                ProductOption { name: "size".into(), values: vec!["S".into(), "M".into()] },
                ProductOption { name: "color".into(), values: vec!["Blue".into(), "Red".into()] },
            ],
            variants: vec![variant("s-blue", "S", "Blue", false), variant("s-red", "S", "Red", true), variant("m-blue", "M", "Blue", true)],
        }
    }

    #[test]
    fn opens_on_the_first_available_variant() {
        assert_eq!(initial_selection(&shirt()), vec!["S", "Red"]);
    }

    #[test]
    fn sold_out_and_missing_combinations_are_not_available() {
        let product = shirt();
        let selection = vec!["S".to_owned(), "Red".to_owned()];
        assert!(!choice_available(&product, &selection, 1, "Blue"), "S / Blue is sold out");
        assert!(!choice_available(&product, &selection, 0, "M"), "M / Red does not exist");
        assert!(choice_available(&product, &selection, 0, "S"));
    }

    #[test]
    fn selecting_moves_to_an_existing_variant() {
        let product = shirt();
        let next = select(&product, &["S".to_owned(), "Red".to_owned()], 0, "M");
        assert_eq!(next, vec!["M", "Blue"]);
        assert_eq!(selected_variant(&product, &next).map(|v| v.id.as_str()), Some("m-blue"));
    }
}
