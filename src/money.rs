//! Prices, dates and countries in the reader's locale with the browser's `Intl`:
//! `29,90 €` in French, `€29.90` in English.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::{Array, Function, Intl, Object, Reflect};
use shoppable_protocol::Money;
use wasm_bindgen::JsValue;

thread_local! {
    /// Building a formatter is costly; a page formats the same few currencies many times.
    static FORMATTERS: RefCell<HashMap<(String, String, String), Function>> = RefCell::new(HashMap::new());
}

/// `money` as the shopper expects to read it. `locale` must be a valid BCP 47 tag (see
/// `WidgetConfig::locale_tag`); `display` is `symbol`, `code`, `name` or `narrowSymbol`.
pub fn format_money(money: &Money, locale: &str, display: &str) -> String {
    let currency = money.currency.as_str().to_owned();
    let key = (locale.to_owned(), currency.clone(), display.to_owned());
    let format = FORMATTERS.with(|cache| {
        cache
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| {
                let options = Object::new();
                let set = |name: &str, value: &str| Reflect::set(&options, &name.into(), &value.into());
                let _ = set("style", "currency");
                let _ = set("currency", &currency);
                let _ = set("currencyDisplay", display);
                Intl::NumberFormat::new(&Array::of1(&locale.into()), &options).format()
            })
            .clone()
    });
    format.call1(&JsValue::NULL, &money.major_units().into()).ok().and_then(|text| text.as_string()).unwrap_or_else(|| money.to_string())
}

/// An RFC 3339 time as people of `locale` read dates ("22 nov. 2026, 14:32"); the text as it
/// came when it is not a date.
pub fn format_time(at: &str, locale: &str) -> String {
    let date = js_sys::Date::new(&at.into());
    if date.get_time().is_nan() {
        return at.to_owned();
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(locale, &options).into()
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `Intl.DisplayNames`, for country names in the reader's language.
    #[wasm_bindgen(js_namespace = Intl)]
    type DisplayNames;
    #[wasm_bindgen(constructor, js_namespace = Intl, catch)]
    fn new(locales: &JsValue, options: &JsValue) -> Result<DisplayNames, JsValue>;
    #[wasm_bindgen(method)]
    fn of(this: &DisplayNames, code: &str) -> Option<String>;
}

/// The country of ISO code `code` by its name in `locale` ("FR": "France", "DE": "Allemagne"
/// in French); the code itself where the browser has no name for it.
pub fn country_name(code: &str, locale: &str) -> String {
    let options = Object::new();
    let _ = Reflect::set(&options, &"type".into(), &"region".into());
    DisplayNames::new(&locale.into(), &options).ok().and_then(|names| names.of(code)).unwrap_or_else(|| code.to_owned())
}
