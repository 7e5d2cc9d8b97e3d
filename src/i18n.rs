//! Every string the shopper sees, in French and English.

/// The language of the widget's text. Numbers and prices use the full locale tag
/// (see [`crate::config::WidgetConfig::locale_tag`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    Fr,
    #[default]
    En,
}

impl Lang {
    /// `fr`, `fr-FR`, `fr-CA` are French; everything else falls back to English.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Lang::Fr,
            _ => Lang::En,
        }
    }
}

/// The text keys; `Lang::text` gives each its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    ShoppableImage,
    ShowProducts,
    HideProducts,
    Close,
    AddToBag,
    BuyNow,
    ViewProduct,
    SoldOut,
    Choose,
    Loading,
    LoadFailed,
    Retry,
    AddedToBag,
    Sale,
    WasPrice,
}

impl Lang {
    pub fn text(self, key: Text) -> &'static str {
        use Text::*;
        match (self, key) {
            (Lang::Fr, ShoppableImage) => "Image avec produits",
            (Lang::En, ShoppableImage) => "Shoppable image",
            (Lang::Fr, ShowProducts) => "Afficher les produits",
            (Lang::En, ShowProducts) => "Show products",
            (Lang::Fr, HideProducts) => "Masquer les produits",
            (Lang::En, HideProducts) => "Hide products",
            (Lang::Fr, Close) => "Fermer",
            (Lang::En, Close) => "Close",
            (Lang::Fr, AddToBag) => "Ajouter au panier",
            (Lang::En, AddToBag) => "Add to bag",
            (Lang::Fr, BuyNow) => "Acheter",
            (Lang::En, BuyNow) => "Buy now",
            (Lang::Fr, ViewProduct) => "Voir le produit",
            (Lang::En, ViewProduct) => "View product",
            (Lang::Fr, SoldOut) => "Épuisé",
            (Lang::En, SoldOut) => "Sold out",
            (Lang::Fr, Choose) => "Choisir",
            (Lang::En, Choose) => "Choose",
            (Lang::Fr, Loading) => "Chargement…",
            (Lang::En, Loading) => "Loading…",
            (Lang::Fr, LoadFailed) => "Impossible de charger ce produit.",
            (Lang::En, LoadFailed) => "This product could not be loaded.",
            (Lang::Fr, Retry) => "Réessayer",
            (Lang::En, Retry) => "Try again",
            (Lang::Fr, AddedToBag) => "Ajouté au panier",
            (Lang::En, AddedToBag) => "Added to bag",
            (Lang::Fr, Sale) => "Promo",
            (Lang::En, Sale) => "Sale",
            (Lang::Fr, WasPrice) => "Prix précédent",
            (Lang::En, WasPrice) => "Was",
        }
    }

    /// "Only 3 left" / "Plus que 3 en stock".
    pub fn only_left(self, count: u32) -> String {
        match self {
            Lang::Fr => format!("Plus que {count} en stock"),
            Lang::En => format!("Only {count} left"),
        }
    }

    /// The accessible name of a tag: "Tasse Expresso, 29,90 €".
    pub fn tag_label(self, title: &str, price: &str) -> String {
        format!("{title}, {price}")
    }

    /// Announced when the tags appear: "3 produits" / "3 products".
    pub fn products_shown(self, count: usize) -> String {
        match (self, count) {
            (Lang::Fr, 0 | 1) => format!("{count} produit"),
            (Lang::Fr, _) => format!("{count} produits"),
            (Lang::En, 1) => "1 product".to_owned(),
            (Lang::En, _) => format!("{count} products"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_language_from_a_locale_tag() {
        assert_eq!(Lang::from_tag("fr"), Lang::Fr);
        assert_eq!(Lang::from_tag("fr-CA"), Lang::Fr);
        assert_eq!(Lang::from_tag("FR_fr"), Lang::Fr);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("de"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
    }

    #[test]
    fn plurals_follow_each_language() {
        assert_eq!(Lang::Fr.products_shown(1), "1 produit");
        assert_eq!(Lang::Fr.products_shown(2), "2 produits");
        assert_eq!(Lang::En.products_shown(1), "1 product");
        assert_eq!(Lang::En.products_shown(0), "0 products");
    }
}
