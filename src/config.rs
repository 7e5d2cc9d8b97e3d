//! The widget's configuration, read by the loader from its `<script>` tag's `data-*`
//! attributes and handed over as an object.

use wasm_bindgen::prelude::*;

use crate::api::{ApiClient, DEFAULT_TIMEOUT_MS};
use crate::i18n::Lang;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WidgetConfig {
    /// Base URL of the backend, without the `/v1` prefix; absent in static-only pages.
    pub api: Option<String>,
    /// BCP 47 tag such as `fr-FR`; the page's `<html lang>` or the browser's language
    /// when absent.
    pub locale: Option<String>,
    /// How currencies are shown: `symbol` (default, `€`), `code` (`EUR`) or `name`.
    pub currency_display: Option<String>,
    /// Request time-out in milliseconds (`data-timeout`); 10 s by default.
    pub timeout: Option<u32>,
    /// `data-analytics="off"`: no insight events for the shop (`insights.rs`).
    pub analytics: Option<String>,
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Intl, js_name = getCanonicalLocales)]
    fn canonical_locales(tag: &str) -> Result<js_sys::Array, JsValue>;
}

impl WidgetConfig {
    /// The configuration object the loader passes (`api`, `locale`, `currencyDisplay`,
    /// `timeout`, `analytics`; each may be `null`).
    pub fn from_js(config: JsValue) -> Result<WidgetConfig, String> {
        let fields = crate::json::Fields::of(config).ok_or("Shoppable: bad configuration: not an object")?;
        Ok(WidgetConfig {
            api: fields.string("api"),
            locale: fields.string("locale"),
            currency_display: fields.string("currencyDisplay"),
            timeout: fields.number("timeout").filter(|ms| *ms >= 0.0).map(|ms| ms.min(f64::from(u32::MAX)) as u32),
            analytics: fields.string("analytics"),
        })
    }

    /// The locale used for numbers and prices: the configured one if the browser knows it,
    /// else the page's language, else the browser's, else `en`.
    pub fn locale_tag(&self) -> String {
        let page_lang = || web_sys::window()?.document()?.document_element()?.get_attribute("lang");
        let browser_lang = || web_sys::window()?.navigator().language();
        [self.locale.clone(), page_lang(), browser_lang()]
            .into_iter()
            .flatten()
            .find_map(|tag| canonical_locales(&tag).ok()?.get(0).as_string())
            .unwrap_or_else(|| "en".to_owned())
    }

    /// The protocol client of the configured backend; `None` on static-only pages.
    pub fn client(&self) -> Option<ApiClient> {
        let timeout = self.timeout.filter(|ms| *ms > 0).unwrap_or(DEFAULT_TIMEOUT_MS);
        self.api.as_deref().map(|api| ApiClient::new(api, timeout))
    }

    pub fn currency_display(&self) -> &str {
        match self.currency_display.as_deref() {
            Some(display @ ("code" | "name" | "narrowSymbol")) => display,
            _ => "symbol",
        }
    }
}

/// What every component of one mounted widget reads: language, locale and API.
#[derive(Debug, Clone)]
pub struct WidgetContext {
    pub config: WidgetConfig,
    pub locale: String,
    pub lang: Lang,
}

impl WidgetContext {
    /// The context the widget's root provides to its views (`mount.rs`); a view drawn outside
    /// a root gets the defaults.
    pub fn current() -> WidgetContext {
        leptos::prelude::use_context().unwrap_or_else(|| WidgetContext::new(WidgetConfig::default()))
    }

    pub fn new(config: WidgetConfig) -> WidgetContext {
        // A language the widget does not speak: English words, and English numbers and dates
        // with them rather than a page half in one language, half in another.
        let locale = config.locale_tag();
        match Lang::from_tag(&locale) {
            Some(lang) => WidgetContext { config, locale, lang },
            None => WidgetContext { config, locale: "en".to_owned(), lang: Lang::En },
        }
    }

    /// The protocol client of the configured backend; `None` on static-only pages.
    pub fn client(&self) -> Option<ApiClient> {
        self.config.client()
    }
}
