//! Every string the shopper sees, in French, English, German, Spanish and Italian.
//!
//! The words are data: src/i18n/words.in has one row per text, `Key => [fr, en, de, es, it]`,
//! and sentences with values as templates (`"Nur noch {} verfügbar"`). build.rs makes of it
//! one file per language (`words.<lang>.<hash>.json`, an array in the order of [`Text`]) and
//! fails on a missing translation. The release build fetches only the shopper's language's
//! file, with its integrity, before the card, the checkout or an order's page open
//! ([`load_words`], called by `src/chunks.rs`); other builds (tests, native ones) have the
//! table compiled in (cfg `fetched_words`, set by build.rs). The words of the tags themselves
//! (the bag button, the count announced) show before anything is fetched: they stay below in
//! code, in five languages.
//!
//! Another helper's new texts may come as `Key => ("fr", "en")` arms of the old `match`: each
//! becomes a row of src/i18n/words.in with its German, Spanish and Italian (the build fails
//! until it has them).
//!
//! To add a text: a row in src/i18n/words.in with its five words, then `lang.text(Text::Key)`.
//!
//! The language is the configured locale's (`data-locale`, `Shoppable.configure`), else the
//! page's `<html lang>`, else the browser's (`WidgetConfig::locale_tag`); a language the
//! widget does not speak gives English words and English formats (`WidgetContext::new`).

/// The language of the widget's text. Numbers and prices use the full locale tag
/// (see [`crate::config::WidgetConfig::locale_tag`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    Fr,
    #[default]
    En,
    De,
    Es,
    It,
}

impl Lang {
    /// Every language, in the order of the words of a row of src/i18n/words.in.
    pub const ALL: [Lang; 5] = [Lang::Fr, Lang::En, Lang::De, Lang::Es, Lang::It];

    /// `fr`, `fr-FR`, `fr-CA` are French, and so on for each language; `None` for a language
    /// the widget does not speak.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        Lang::ALL.into_iter().find(|lang| primary.eq_ignore_ascii_case(lang.code()))
    }

    /// The primary language subtag (`de`), as the payment frame takes it.
    pub fn code(self) -> &'static str {
        ["fr", "en", "de", "es", "it"][self as usize]
    }
}

/// Declares [`Text`] from the rows of src/i18n/words.in (and, where the words are compiled
/// in, their table): a row without its five words matches no rule, a compile error.
macro_rules! texts {
    ($($key:ident => [$fr:expr, $en:expr, $de:expr, $es:expr, $it:expr $(,)?]),* $(,)?) => {
        /// The text keys; `Lang::text` gives each its words.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text {
            $($key),*
        }

        impl Text {
            /// How many texts a words file has.
            pub const COUNT: usize = [$(Text::$key),*].len();
        }

        #[cfg(not(fetched_words))]
        const WORDS: &[[&str; 5]] = &[$([$fr, $en, $de, $es, $it]),*];
    };
}
include!("i18n/words.in");

#[cfg(fetched_words)]
include!(concat!(env!("OUT_DIR"), "/word_files.rs"));

#[cfg(fetched_words)]
thread_local! {
    /// The words of each language fetched so far (a page has one), for the page's lifetime.
    static LOADED: std::cell::RefCell<[Option<&'static [&'static str]>; 5]> = const { std::cell::RefCell::new([None; 5]) };
}

/// Fetches `lang`'s words once, from the folder of the widget's files (the loader's
/// `Shoppable.files`), checked against the integrity this module was built with: the loader
/// checks the glue, the glue this wasm, and this wasm the words. The error is the browser's
/// (offline, integrity) or says what was wrong.
#[cfg(fetched_words)]
pub async fn load_words(lang: Lang) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    if LOADED.with(|loaded| loaded.borrow()[lang as usize].is_some()) {
        return Ok(());
    }
    let (name, integrity) = WORD_FILES[lang as usize];
    let window = web_sys::window().ok_or("no window")?;
    let files = js_sys::Reflect::get(&js_sys::Reflect::get(&window, &"Shoppable".into())?, &"files".into())?;
    let url = web_sys::Url::new_with_base(name, &files.as_string().ok_or("no Shoppable.files")?)?.href();
    let init = web_sys::RequestInit::new();
    init.set_integrity(integrity);
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init)).await?.unchecked_into();
    if !response.ok() {
        return Err(url.into());
    }
    let words: Vec<&'static str> = JsFuture::from(response.json()?)
        .await?
        .dyn_into::<js_sys::Array>()
        .map(|words| words.iter().filter_map(|word| word.as_string()).map(|word| &*word.leak()).collect())
        .unwrap_or_default();
    if words.len() != Text::COUNT {
        return Err(url.into());
    }
    LOADED.with(|loaded| loaded.borrow_mut()[lang as usize] = Some(words.leak()));
    Ok(())
}

/// The words are compiled in: nothing to fetch.
#[cfg(not(fetched_words))]
pub async fn load_words(_lang: Lang) -> Result<(), wasm_bindgen::JsValue> {
    Ok(())
}

impl Lang {
    /// `key`'s words; empty before [`load_words`] (the chunks wait for it).
    pub fn text(self, key: Text) -> &'static str {
        #[cfg(not(fetched_words))]
        return WORDS[key as usize][self as usize];
        #[cfg(fetched_words)]
        LOADED.with(|loaded| loaded.borrow()[self as usize].and_then(|words| words.get(key as usize).copied())).unwrap_or_default()
    }

    /// A template's words with each `{}` replaced by the next of `values` (which are never
    /// read as templates themselves: a product's title may hold `{}`).
    pub fn fill(self, key: Text, values: &[&str]) -> String {
        let mut filled = String::new();
        for (index, part) in self.text(key).split("{}").enumerate() {
            if index > 0 {
                filled.push_str(values.get(index - 1).unwrap_or(&""));
            }
            filled.push_str(part);
        }
        filled
    }

    /// `one` for one thing (and none, in French), else `many`, with `count` in it.
    fn count(self, count: usize, one: Text, many: Text) -> String {
        let single = count == 1 || (self == Lang::Fr && count == 0);
        self.fill(if single { one } else { many }, &[&count.to_string()])
    }

    /// "Only 3 left" / "Plus que 3 en stock".
    pub fn only_left(self, count: u32) -> String {
        self.fill(Text::OnlyLeft, &[&count.to_string()])
    }

    /// A product option's name in this language (`color` -> "Couleur"); names the text
    /// table does not know are shown as the backend wrote them.
    pub fn option_name(self, name: &str) -> String {
        let known = match name.to_lowercase().as_str() {
            "color" | "colour" | "couleur" | "farbe" | "colore" => Some(Text::OptionColor),
            "size" | "taille" | "größe" | "talla" | "taglia" => Some(Text::OptionSize),
            "material" | "matière" | "materiale" => Some(Text::OptionMaterial),
            _ => None,
        };
        known.map_or_else(|| name.to_owned(), |key| self.text(key).to_owned())
    }

    /// The bag button's name: "Panier, 3 articles".
    pub fn bag_label(self, count: u32) -> String {
        self.count(count as usize, Text::BagOne, Text::BagMany)
    }

    /// "Total : 18,40 €" in French (a space before the colon), "Total: €18.40" in the others.
    pub fn labelled(self, label: Text, value: &str) -> String {
        let colon = if self == Lang::Fr { " : " } else { ": " };
        format!("{}{colon}{value}", self.text(label))
    }

    /// "Step 2 of 5", announced with each checkout step.
    pub fn step_of(self, step: usize, steps: usize) -> String {
        self.fill(Text::StepOf, &[&step.to_string(), &steps.to_string()])
    }

    /// A shipping option's delivery estimate.
    pub fn delivery_days(self, min: u32, max: u32) -> String {
        if min == max {
            self.count(max as usize, Text::DaysOne, Text::DaysMany)
        } else {
            self.fill(Text::DaysRange, &[&min.to_string(), &max.to_string()])
        }
    }

    /// Said of a bag line the backend cannot supply as asked.
    pub fn only_available(self, title: &str, available: u32) -> String {
        match available {
            0 => self.fill(Text::LineSoldOut, &[title]),
            n => self.fill(Text::LineReduced, &[title, &n.to_string()]),
        }
    }

    /// "Cancellable until 14:32".
    pub fn cancel_until(self, time: &str) -> String {
        self.fill(Text::CancelUntil, &[time])
    }

    /// The badge's news: "2 commandes mises à jour" / "2 orders updated".
    pub fn orders_updated(self, count: usize) -> String {
        self.count(count, Text::OrdersUpdatedOne, Text::OrdersUpdatedMany)
    }

    /// "Returnable until 12/12/2026".
    pub fn return_until(self, time: &str) -> String {
        self.fill(Text::ReturnUntil, &[time])
    }

    /// What a carousel of media is, and each of its slides, for screen readers
    /// (`aria-roledescription`). Like [`Lang::products_button`], outside [`Text`]: only the
    /// media chunk (`carousel.rs`, `video.rs`) carries the words of this and the next three,
    /// and a carousel shows before any words file is fetched.
    pub fn carousel_role(self, slide: bool) -> &'static str {
        let [carousel, one_slide] = match self {
            Lang::Fr => ["carrousel", "diapositive"],
            Lang::En => ["carousel", "slide"],
            Lang::De => ["Karussell", "Folie"],
            Lang::Es => ["carrusel", "diapositiva"],
            Lang::It => ["carosello", "diapositiva"],
        };
        if slide { one_slide } else { carousel }
    }

    /// The carousel's arrows.
    pub fn slide_arrow(self, next: bool) -> &'static str {
        let [previous, following] = match self {
            Lang::Fr => ["Diapositive précédente", "Diapositive suivante"],
            Lang::En => ["Previous slide", "Next slide"],
            Lang::De => ["Vorherige Folie", "Nächste Folie"],
            Lang::Es => ["Diapositiva anterior", "Diapositiva siguiente"],
            Lang::It => ["Diapositiva precedente", "Diapositiva successiva"],
        };
        if next { following } else { previous }
    }

    /// A carousel's position dot, and its slide's name: "Diapositive 2 sur 4".
    pub fn slide_of(self, slide: usize, slides: usize) -> String {
        match self {
            Lang::Fr => format!("Diapositive {slide} sur {slides}"),
            Lang::En => format!("Slide {slide} of {slides}"),
            Lang::De => format!("Folie {slide} von {slides}"),
            Lang::Es => format!("Diapositiva {slide} de {slides}"),
            Lang::It => format!("Diapositiva {slide} di {slides}"),
        }
    }

    /// The title of a video's list of all its products.
    pub fn video_products(self) -> &'static str {
        match self {
            Lang::Fr => "Produits de cette vidéo",
            Lang::En => "Products in this video",
            Lang::De => "Produkte in diesem Video",
            Lang::Es => "Productos de este vídeo",
            Lang::It => "Prodotti in questo video",
        }
    }

    /// The name of the photo's bag button, which shows or hides its tags. Not a [`Text`]: the
    /// tags show before any words file is fetched.
    pub fn products_button(self, shown: bool) -> &'static str {
        let [show, hide] = match self {
            Lang::Fr => ["Afficher les produits", "Masquer les produits"],
            Lang::En => ["Show products", "Hide products"],
            Lang::De => ["Produkte anzeigen", "Produkte ausblenden"],
            Lang::Es => ["Mostrar productos", "Ocultar productos"],
            Lang::It => ["Mostra i prodotti", "Nascondi i prodotti"],
        };
        if shown { hide } else { show }
    }

    /// Announced when the tags appear: "3 produits" / "3 products". Not a [`Text`], as above.
    pub fn products_shown(self, count: usize) -> String {
        let [one, many] = match self {
            Lang::Fr => ["produit", "produits"],
            Lang::En => ["product", "products"],
            Lang::De => ["Produkt", "Produkte"],
            Lang::Es => ["producto", "productos"],
            Lang::It => ["prodotto", "prodotti"],
        };
        let single = count == 1 || (self == Lang::Fr && count == 0);
        format!("{count} {}", if single { one } else { many })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_language_from_a_locale_tag() {
        assert_eq!(Lang::from_tag("fr"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("FR_fr"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("de-AT"), Some(Lang::De));
        assert_eq!(Lang::from_tag("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("it"), Some(Lang::It));
        assert_eq!(Lang::from_tag("nl"), None);
        assert_eq!(Lang::from_tag(""), None);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.code()), Some(lang));
        }
    }

    /// The files build.rs wrote, as the widget fetches them.
    fn words_files() -> Vec<Vec<String>> {
        let dir = concat!(env!("OUT_DIR"), "/words");
        Lang::ALL
            .iter()
            .map(|lang| {
                let name = std::fs::read_dir(dir)
                    .unwrap()
                    .map(|entry| entry.unwrap().file_name().into_string().unwrap())
                    .find(|name| name.starts_with(&format!("words.{}.", lang.code())))
                    .unwrap_or_else(|| panic!("no words file for {lang:?} in {dir}"));
                serde_json::from_str(&std::fs::read_to_string(format!("{dir}/{name}")).unwrap()).unwrap()
            })
            .collect()
    }

    #[test]
    fn every_language_file_has_every_text() {
        let files = words_files();
        for (lang, words) in Lang::ALL.iter().zip(&files) {
            assert_eq!(words.len(), Text::COUNT, "{lang:?}'s file");
            for (index, word) in words.iter().enumerate() {
                assert!(!word.trim().is_empty(), "text {index} is empty in {lang:?}");
                assert_eq!(word, WORDS[index][*lang as usize], "{lang:?}'s file is not its words");
            }
        }
        let english = &files[Lang::En as usize];
        for index in 0..Text::COUNT {
            let translated = [Lang::De, Lang::Es, Lang::It].iter().any(|lang| files[*lang as usize][index] != english[index]);
            assert!(translated, "text {index} ({}) is left in English in de, es and it", english[index]);
        }
    }

    #[test]
    fn sentences_with_values_are_written_in_every_language() {
        assert_eq!(Lang::Fr.labelled(Text::Total, "18,40 €"), "Total : 18,40 €");
        assert_eq!(Lang::En.labelled(Text::Total, "€18.40"), "Total: €18.40");
        assert_eq!(Lang::De.labelled(Text::Total, "18,40 €"), "Gesamt: 18,40 €");
        assert_eq!(Lang::De.only_left(2), "Nur noch 2 verfügbar");
        assert_eq!(Lang::Es.step_of(2, 5), "Paso 2 de 5");
        assert_eq!(Lang::It.delivery_days(2, 4), "Da 2 a 4 giorni lavorativi");
        assert_eq!(Lang::It.option_name("size"), "Taglia");
        assert_eq!(Lang::De.option_name("Farbe"), "Farbe");
        assert_eq!(Lang::Es.option_name("Pattern"), "Pattern");
        // A title is a value, never a template.
        assert_eq!(Lang::En.only_available("Mug {}", 2), "“Mug {}”: only 2 left, quantity adjusted.");
        assert_eq!(Lang::De.only_available("Becher", 0), "„Becher“ ist ausverkauft: aus dem Warenkorb entfernt.");
        assert_eq!(Lang::Es.cancel_until("14:32"), "Puedes cancelarlo hasta las 14:32");
        for lang in [Lang::Fr, Lang::De, Lang::Es, Lang::It] {
            assert_ne!(lang.products_button(true), Lang::En.products_button(true));
            assert_ne!(lang.products_button(false), Lang::En.products_button(false));
            assert_ne!(lang.products_shown(2), Lang::En.products_shown(2));
        }
    }

    #[test]
    fn plurals_follow_each_language() {
        assert_eq!(Lang::Fr.products_shown(1), "1 produit");
        assert_eq!(Lang::Fr.products_shown(0), "0 produit");
        assert_eq!(Lang::Fr.products_shown(2), "2 produits");
        assert_eq!(Lang::En.products_shown(1), "1 product");
        assert_eq!(Lang::En.products_shown(0), "0 products");
        assert_eq!(Lang::Fr.orders_updated(1), "1 commande mise à jour");
        assert_eq!(Lang::Fr.orders_updated(2), "2 commandes mises à jour");
        assert_eq!(Lang::En.orders_updated(2), "2 orders updated");
        assert_eq!(Lang::Fr.delivery_days(1, 1), "1 jour ouvré");
        assert_eq!(Lang::Fr.delivery_days(2, 2), "2 jours ouvrés");
        assert_eq!(Lang::En.delivery_days(1, 1), "1 business day");
        assert_eq!(Lang::En.delivery_days(3, 5), "3 to 5 business days");
        assert_eq!(Lang::En.bag_label(1), "Bag, 1 item");
        assert_eq!(Lang::Fr.bag_label(0), "Panier, 0 article");
        assert_eq!(Lang::De.bag_label(1), "Warenkorb, 1 Artikel");
        assert_eq!(Lang::Es.bag_label(2), "Cesta, 2 artículos");
        assert_eq!(Lang::It.products_shown(1), "1 prodotto");
        assert_eq!(Lang::It.products_shown(3), "3 prodotti");
    }
}
