//! Country names for what the server writes to people (e-mails), in the five languages: the
//! browser's `Intl.DisplayNames` does this for the widget and the console, the server has no
//! such table of its own. Codes not listed here are written as they are.

use crate::mail::Lang;

/// (ISO 3166-1 alpha-2 code, its names in French, English, German, Spanish and Italian), as
/// Chromium's `Intl.DisplayNames` writes them.
const NAMES: [(&str, [&str; 5]); 49] = [
    ("AD", ["Andorre", "Andorra", "Andorra", "Andorra", "Andorra"]),
    ("AT", ["Autriche", "Austria", "Österreich", "Austria", "Austria"]),
    ("AU", ["Australie", "Australia", "Australien", "Australia", "Australia"]),
    ("BE", ["Belgique", "Belgium", "Belgien", "Bélgica", "Belgio"]),
    ("BG", ["Bulgarie", "Bulgaria", "Bulgarien", "Bulgaria", "Bulgaria"]),
    ("BR", ["Brésil", "Brazil", "Brasilien", "Brasil", "Brasile"]),
    ("CA", ["Canada", "Canada", "Kanada", "Canadá", "Canada"]),
    ("CH", ["Suisse", "Switzerland", "Schweiz", "Suiza", "Svizzera"]),
    ("CI", ["Côte d’Ivoire", "Côte d’Ivoire", "Côte d’Ivoire", "Côte d’Ivoire", "Costa d’Avorio"]),
    ("CY", ["Chypre", "Cyprus", "Zypern", "Chipre", "Cipro"]),
    ("CZ", ["Tchéquie", "Czechia", "Tschechien", "Chequia", "Cechia"]),
    ("DE", ["Allemagne", "Germany", "Deutschland", "Alemania", "Germania"]),
    ("DK", ["Danemark", "Denmark", "Dänemark", "Dinamarca", "Danimarca"]),
    ("DZ", ["Algérie", "Algeria", "Algerien", "Argelia", "Algeria"]),
    ("EE", ["Estonie", "Estonia", "Estland", "Estonia", "Estonia"]),
    ("ES", ["Espagne", "Spain", "Spanien", "España", "Spagna"]),
    ("FI", ["Finlande", "Finland", "Finnland", "Finlandia", "Finlandia"]),
    ("FR", ["France", "France", "Frankreich", "Francia", "Francia"]),
    ("GB", ["Royaume-Uni", "United Kingdom", "Vereinigtes Königreich", "Reino Unido", "Regno Unito"]),
    ("GR", ["Grèce", "Greece", "Griechenland", "Grecia", "Grecia"]),
    ("HR", ["Croatie", "Croatia", "Kroatien", "Croacia", "Croazia"]),
    ("HU", ["Hongrie", "Hungary", "Ungarn", "Hungría", "Ungheria"]),
    ("IE", ["Irlande", "Ireland", "Irland", "Irlanda", "Irlanda"]),
    ("IS", ["Islande", "Iceland", "Island", "Islandia", "Islanda"]),
    ("IT", ["Italie", "Italy", "Italien", "Italia", "Italia"]),
    ("JP", ["Japon", "Japan", "Japan", "Japón", "Giappone"]),
    ("LI", ["Liechtenstein", "Liechtenstein", "Liechtenstein", "Liechtenstein", "Liechtenstein"]),
    ("LT", ["Lituanie", "Lithuania", "Litauen", "Lituania", "Lituania"]),
    ("LU", ["Luxembourg", "Luxembourg", "Luxemburg", "Luxemburgo", "Lussemburgo"]),
    ("LV", ["Lettonie", "Latvia", "Lettland", "Letonia", "Lettonia"]),
    ("MA", ["Maroc", "Morocco", "Marokko", "Marruecos", "Marocco"]),
    ("MC", ["Monaco", "Monaco", "Monaco", "Mónaco", "Monaco"]),
    ("MT", ["Malte", "Malta", "Malta", "Malta", "Malta"]),
    ("MX", ["Mexique", "Mexico", "Mexiko", "México", "Messico"]),
    ("NL", ["Pays-Bas", "Netherlands", "Niederlande", "Países Bajos", "Paesi Bassi"]),
    ("NO", ["Norvège", "Norway", "Norwegen", "Noruega", "Norvegia"]),
    ("NZ", ["Nouvelle-Zélande", "New Zealand", "Neuseeland", "Nueva Zelanda", "Nuova Zelanda"]),
    ("PL", ["Pologne", "Poland", "Polen", "Polonia", "Polonia"]),
    ("PT", ["Portugal", "Portugal", "Portugal", "Portugal", "Portogallo"]),
    ("RE", ["La Réunion", "Réunion", "Réunion", "Reunión", "Riunione"]),
    ("RO", ["Roumanie", "Romania", "Rumänien", "Rumanía", "Romania"]),
    ("SE", ["Suède", "Sweden", "Schweden", "Suecia", "Svezia"]),
    ("SG", ["Singapour", "Singapore", "Singapur", "Singapur", "Singapore"]),
    ("SI", ["Slovénie", "Slovenia", "Slowenien", "Eslovenia", "Slovenia"]),
    ("SK", ["Slovaquie", "Slovakia", "Slowakei", "Eslovaquia", "Slovacchia"]),
    ("SM", ["Saint-Marin", "San Marino", "San Marino", "San Marino", "San Marino"]),
    ("SN", ["Sénégal", "Senegal", "Senegal", "Senegal", "Senegal"]),
    ("TN", ["Tunisie", "Tunisia", "Tunesien", "Túnez", "Tunisia"]),
    ("US", ["États-Unis", "United States", "Vereinigte Staaten", "Estados Unidos", "Stati Uniti"]),
];

/// The country of `code` by its name in `lang`.
pub fn name(code: &str, lang: Lang) -> &str {
    match NAMES.iter().find(|(known, _)| known.eq_ignore_ascii_case(code)) {
        Some((_, names)) => names[lang as usize],
        None => code,
    }
}

#[cfg(test)]
mod tests {
    use crate::mail::Lang;

    #[test]
    fn countries_are_named_in_each_language_and_sorted_for_reading() {
        assert_eq!(super::name("DE", Lang::Fr), "Allemagne");
        assert_eq!(super::name("DE", Lang::En), "Germany");
        assert_eq!(super::name("DE", Lang::De), "Deutschland");
        assert_eq!(super::name("DE", Lang::Es), "Alemania");
        assert_eq!(super::name("DE", Lang::It), "Germania");
        assert_eq!(super::name("XK", Lang::Fr), "XK");
        assert!(super::NAMES.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }
}
