//! Country names for what the server writes to people (e-mails), in French and English: the
//! browser's `Intl.DisplayNames` does this for the widget and the console, the server has no
//! such table of its own. Codes not listed here are written as they are.

/// (ISO 3166-1 alpha-2 code, French name, English name).
const NAMES: [(&str, &str, &str); 49] = [
    ("AD", "Andorre", "Andorra"),
    ("AT", "Autriche", "Austria"),
    ("AU", "Australie", "Australia"),
    ("BE", "Belgique", "Belgium"),
    ("BG", "Bulgarie", "Bulgaria"),
    ("BR", "Brésil", "Brazil"),
    ("CA", "Canada", "Canada"),
    ("CH", "Suisse", "Switzerland"),
    ("CI", "Côte d’Ivoire", "Côte d’Ivoire"),
    ("CY", "Chypre", "Cyprus"),
    ("CZ", "Tchéquie", "Czechia"),
    ("DE", "Allemagne", "Germany"),
    ("DK", "Danemark", "Denmark"),
    ("DZ", "Algérie", "Algeria"),
    ("EE", "Estonie", "Estonia"),
    ("ES", "Espagne", "Spain"),
    ("FI", "Finlande", "Finland"),
    ("FR", "France", "France"),
    ("GB", "Royaume-Uni", "United Kingdom"),
    ("GR", "Grèce", "Greece"),
    ("HR", "Croatie", "Croatia"),
    ("HU", "Hongrie", "Hungary"),
    ("IE", "Irlande", "Ireland"),
    ("IS", "Islande", "Iceland"),
    ("IT", "Italie", "Italy"),
    ("JP", "Japon", "Japan"),
    ("LI", "Liechtenstein", "Liechtenstein"),
    ("LT", "Lituanie", "Lithuania"),
    ("LU", "Luxembourg", "Luxembourg"),
    ("LV", "Lettonie", "Latvia"),
    ("MA", "Maroc", "Morocco"),
    ("MC", "Monaco", "Monaco"),
    ("MT", "Malte", "Malta"),
    ("MX", "Mexique", "Mexico"),
    ("NL", "Pays-Bas", "Netherlands"),
    ("NO", "Norvège", "Norway"),
    ("NZ", "Nouvelle-Zélande", "New Zealand"),
    ("PL", "Pologne", "Poland"),
    ("PT", "Portugal", "Portugal"),
    ("RE", "La Réunion", "Réunion"),
    ("RO", "Roumanie", "Romania"),
    ("SE", "Suède", "Sweden"),
    ("SG", "Singapour", "Singapore"),
    ("SI", "Slovénie", "Slovenia"),
    ("SK", "Slovaquie", "Slovakia"),
    ("SM", "Saint-Marin", "San Marino"),
    ("SN", "Sénégal", "Senegal"),
    ("TN", "Tunisie", "Tunisia"),
    ("US", "États-Unis", "United States"),
];

/// The country of `code` by its French (`french`) or English name.
pub fn name(code: &str, french: bool) -> &str {
    match NAMES.iter().find(|(known, _, _)| known.eq_ignore_ascii_case(code)) {
        Some((_, fr, en)) => {
            if french {
                fr
            } else {
                en
            }
        }
        None => code,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn countries_are_named_in_each_language_and_sorted_for_reading() {
        assert_eq!(super::name("DE", true), "Allemagne");
        assert_eq!(super::name("DE", false), "Germany");
        assert_eq!(super::name("XK", true), "XK");
        assert!(super::NAMES.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }
}
