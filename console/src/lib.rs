//! The shop's console (`/console/`): orders, catalog, posts and insights, for the shop owner,
//! over the admin API of `docs/PROTOCOL.md` with the protocol crate's types. A Leptos CSR app
//! in one wasm module (`pkg/console.js`), the tag editor included; the admin token is kept for
//! the tab's life in `sessionStorage`.
//!
//! Views are chosen by the URL's hash (`#/orders`, `#/orders/ID`, `#/disputes`, `#/catalog`,
//! `#/posts`, `#/posts/new`, `#/posts/ID`, `#/insights`), so the browser's history and links
//! work without a router.

/// A text in the console's five languages, `tr!("fr", "en", "de", "es", "it")`, checked when
/// the console compiles: a text with fewer than five does not match, and [`Tr::checked`]
/// refuses (a compile error, in a constant) an empty one or a German, Spanish and Italian all
/// left in English.
macro_rules! tr {
    ($fr:literal, $en:literal, $de:literal, $es:literal, $it:literal $(,)?) => {{
        const TEXT: $crate::Tr = $crate::Tr::checked([$fr, $en, $de, $es, $it]);
        TEXT
    }};
}

mod after_sale;
mod api;
mod catalog;
mod disputes;
mod editor;
mod insights;
mod orders;
mod posts;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

pub use api::{Api, Failure};

/// Where the admin token is kept (the name of the former separate editor's, so a tab signed in
/// before an upgrade stays signed in).
const TOKEN_KEY: &str = "shoppable-editor:admin-token";
const LANG_KEY: &str = "shoppable-console:lang";

/// The console's languages, in the order of a [`Tr`]'s texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
    De,
    Es,
    It,
}

/// One text in each language, `[fr, en, de, es, it]`; written with `tr!`.
#[derive(Debug, Clone, Copy)]
pub struct Tr([&'static str; 5]);

impl Tr {
    /// `texts`, once checked: none empty, and not German, Spanish and Italian all English.
    pub const fn checked(texts: [&'static str; 5]) -> Tr {
        let mut i = 0;
        while i < texts.len() {
            assert!(!texts[i].is_empty(), "a text is empty in one of the console's languages");
            i += 1;
        }
        let english = texts[Lang::En as usize];
        let untranslated = same(texts[2], english) && same(texts[3], english) && same(texts[4], english);
        assert!(!untranslated, "a text is left in English in German, Spanish and Italian");
        Tr(texts)
    }
}

/// `a == b`, in a constant.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl Lang {
    pub const ALL: [Lang; 5] = [Lang::Fr, Lang::En, Lang::De, Lang::Es, Lang::It];

    /// The text in the console's language.
    pub fn t(self, text: Tr) -> &'static str {
        text.0[self as usize]
    }

    /// `text` with its `{}` replaced by `values`, in order: a sentence with values keeps each
    /// language's word order.
    pub fn with(self, text: Tr, values: &[&str]) -> String {
        values.iter().fold(self.t(text).to_owned(), |text, value| text.replacen("{}", value, 1))
    }

    /// The colon after a label: French puts a space before it.
    pub fn colon(self) -> &'static str {
        if self == Lang::Fr { " : " } else { ": " }
    }

    /// A count and its noun, as the language writes them: "1 produit", "2 produits"; French
    /// takes the singular for 0 and 1, the others for 1 only. `nouns` are `(one, many)` in
    /// each language, `[fr, en, de, es, it]`.
    pub fn counted(self, count: u32, nouns: [(&str, &str); 5]) -> String {
        let (one, many) = nouns[self as usize];
        let singular = if self == Lang::Fr { count <= 1 } else { count == 1 };
        format!("{} {}", format_count(count, self), if singular { one } else { many })
    }

    pub fn code(self) -> &'static str {
        ["fr", "en", "de", "es", "it"][self as usize]
    }

    /// The locale of numbers, prices and dates.
    pub fn locale(self) -> &'static str {
        ["fr-FR", "en-GB", "de-DE", "es-ES", "it-IT"][self as usize]
    }

    /// The language's name in itself, for the language switch.
    pub fn name(self) -> &'static str {
        ["Français", "English", "Deutsch", "Español", "Italiano"][self as usize]
    }

    fn from_code(code: &str) -> Option<Lang> {
        let primary = code.get(..2)?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.code() == primary)
    }
}

/// The console's views, from the URL's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Orders,
    Order(String),
    Disputes,
    Catalog,
    Posts,
    /// The tag editor on a new post.
    NewPost,
    /// The tag editor on a saved post.
    Post(String),
    Insights,
}

impl Route {
    fn from_hash(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let mut parts = path.splitn(2, '/');
        match (parts.next().unwrap_or(""), parts.next()) {
            ("orders", Some(id)) if !id.is_empty() => Route::Order(js_sys::decode_uri_component(id).map(String::from).unwrap_or_default()),
            ("disputes", _) => Route::Disputes,
            ("catalog", _) => Route::Catalog,
            ("posts", Some("new")) => Route::NewPost,
            ("posts", Some(id)) if !id.is_empty() => Route::Post(js_sys::decode_uri_component(id).map(String::from).unwrap_or_default()),
            ("posts", _) => Route::Posts,
            ("insights", _) => Route::Insights,
            _ => Route::Orders,
        }
    }

    fn section(&self) -> &'static str {
        match self {
            Route::Orders | Route::Order(_) => "orders",
            Route::Disputes => "disputes",
            Route::Catalog => "catalog",
            Route::Posts | Route::NewPost | Route::Post(_) => "posts",
            Route::Insights => "insights",
        }
    }
}

/// What every view reads: the language, the API client (with the token) and a way to sign out.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub lang: Lang,
    pub api: StoredValue<Api>,
    pub signed_out: RwSignal<Option<String>>,
}

impl Ctx {
    pub fn api(&self) -> Api {
        self.api.get_value()
    }

    /// Forgets the token after the shop refused it, saying why on the sign-in form.
    pub fn refused(&self, failure: &Failure) -> bool {
        if failure.status == 401 {
            forget_token();
            self.signed_out.set(Some(failure.text(self.lang)));
            return true;
        }
        false
    }
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn kept_token() -> Option<String> {
    session()?.get_item(TOKEN_KEY).ok()?.filter(|t| !t.trim().is_empty())
}

fn forget_token() {
    if let Some(storage) = session() {
        let _ = storage.remove_item(TOKEN_KEY);
    }
}

fn initial_lang() -> Lang {
    let window = web_sys::window();
    let query = window.as_ref().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let asked = query.trim_start_matches('?').split('&').find_map(|pair| pair.strip_prefix("lang=")).and_then(Lang::from_code);
    let kept = || window.as_ref()?.local_storage().ok()??.get_item(LANG_KEY).ok()?.as_deref().and_then(Lang::from_code);
    let browser = || window.as_ref()?.navigator().language().as_deref().and_then(Lang::from_code);
    asked.or_else(kept).or_else(browser).unwrap_or(Lang::Fr)
}

fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Moves the keyboard focus to the view's heading once it is in the DOM, so a screen reader
/// announces the new view and Tab continues from there.
pub fn focus_heading() {
    focus_when_drawn(|document| document.query_selector("main h2").ok().flatten());
}

/// Focuses what `find` returns once the view is drawn (in the next task), unless the focus has
/// gone elsewhere meanwhile: a redraw drops it to the page's body, but a quick Tab or click
/// moves it on, and the user's choice wins (a busy phone runs the task late).
pub fn focus_when_drawn(find: impl FnOnce(&web_sys::Document) -> Option<web_sys::Element> + 'static) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    let was = document.active_element();
    after(0, move || {
        let now = document.active_element();
        if now != was && now.as_ref() != document.body().as_deref() {
            return;
        }
        if let Some(element) = find(&document).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = element.focus();
        }
    });
}

/// Runs `then` in `ms` milliseconds, in a task of its own.
pub fn after(ms: i32, then: impl FnOnce() + 'static) {
    let run = Closure::once_into_js(then);
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(run.unchecked_ref(), ms);
    }
}

/// An RFC 3339 time in the console's language.
pub fn format_time(at: &str, lang: Lang) -> String {
    shoppable::money::format_time(at, lang.locale())
}

/// A UTC day (`2026-12-03`) as the console's language writes dates ("3 déc. 2026"); the text
/// as it came when it is not a day.
pub fn format_day(day: &str, lang: Lang) -> String {
    let date = js_sys::Date::new(&format!("{day}T00:00:00Z").into());
    if date.get_time().is_nan() {
        return day.to_owned();
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &"UTC".into());
    date.to_locale_date_string(lang.locale(), &options).into()
}

pub fn format_money(money: &shoppable_protocol::Money, lang: Lang) -> String {
    shoppable::money::format_money(money, lang.locale(), "symbol")
}

/// A count as people of the console's language write it ("1 000 000", "1,000,000").
pub fn format_count(count: u32, lang: Lang) -> String {
    js_sys::Number::from(count).to_locale_string(lang.locale()).into()
}

/// The error box of a view: `role="alert"`, so it is read out when it appears.
pub fn error_box(message: String) -> impl IntoView {
    view! { <p class="error" role="alert">{message}</p> }
}

pub fn loading(lang: Lang) -> impl IntoView {
    view! { <p class="loading" role="status">{lang.t(tr!("Chargement…", "Loading…", "Wird geladen…", "Cargando…", "Caricamento…"))}</p> }
}

#[component]
fn SignIn(lang: Lang, token: RwSignal<Option<String>>, refused: RwSignal<Option<String>>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(refused.get_untracked());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let given = typed.get_untracked().trim().to_owned();
        if given.is_empty() {
            problem.set(Some(
                lang.t(tr!(
                    "Saisissez le jeton d'administration.",
                    "Enter the admin token.",
                    "Geben Sie das Admin-Token ein.",
                    "Introduce el token de administración.",
                    "Inserisci il token di amministrazione."
                ))
                .to_owned(),
            ));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let api = Api::new(&given);
            let answer = api.get::<shoppable_protocol::OrderList>("/v1/admin/orders?limit=1").await;
            busy.set(false);
            match answer {
                Ok(_) => {
                    if let Some(storage) = session() {
                        let _ = storage.set_item(TOKEN_KEY, &given);
                    }
                    refused.set(None);
                    token.set(Some(given));
                }
                Err(failure) => problem.set(Some(failure.text(lang))),
            }
        });
    };
    focus_heading();
    view! {
        <h2 tabindex="-1">{lang.t(tr!("Connexion", "Sign in", "Anmeldung", "Inicio de sesión", "Accesso"))}</h2>
        <form class="sign-in" on:submit=submit novalidate>
            <label for="token">{lang.t(tr!("Jeton d'administration (gardé jusqu'à la fermeture de l'onglet)", "Admin token (kept until this tab is closed)", "Admin-Token (bleibt bis zum Schließen des Tabs gespeichert)", "Token de administración (se guarda hasta cerrar la pestaña)", "Token di amministrazione (conservato fino alla chiusura della scheda)"))}</label>
            <input id="token" type="password" autocomplete="current-password" required
                aria-invalid=move || problem.get().is_some().to_string()
                aria-describedby="token-error"
                prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
            <button type="submit" disabled=move || busy.get()>{lang.t(tr!("Se connecter", "Sign in", "Anmelden", "Iniciar sesión", "Accedi"))}</button>
            <p id="token-error" class="error" role="alert">{move || problem.get()}</p>
        </form>
    }
}

#[component]
fn App() -> impl IntoView {
    let lang = RwSignal::new(initial_lang());
    let token = RwSignal::new(kept_token());
    let signed_out: RwSignal<Option<String>> = RwSignal::new(None);
    let route = RwSignal::new(Route::from_hash(&current_hash()));
    // The draft being edited outlives a language switch.
    let editing = editor::Session::new();
    let on_hash = Closure::<dyn Fn()>::new(move || {
        route.set(Route::from_hash(&current_hash()));
        focus_heading();
    });
    if let Some(window) = web_sys::window() {
        let _ = window.add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
    }
    on_hash.forget();
    // A refused token signs out.
    Effect::new(move |_| {
        if signed_out.get().is_some() {
            token.set(None);
        }
    });
    Effect::new(move |_| {
        let lang = lang.get();
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", lang.code());
        }
        if let Some(title) = web_sys::window().and_then(|w| w.document()) {
            title.set_title(lang.t(tr!(
                "Console de la boutique",
                "Shop console",
                "Shop-Konsole",
                "Consola de la tienda",
                "Console del negozio"
            )));
        }
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = storage.set_item(LANG_KEY, lang.code());
        }
    });
    let sign_out = move |_| {
        forget_token();
        signed_out.set(None);
        token.set(None);
    };

    move || {
        let l = lang.get();
        let nav_link = move |section: &'static str, name: Tr| {
            let current = move || (route.get().section() == section).then_some("page");
            view! { <li><a href=format!("#/{section}") aria-current=current>{l.t(name)}</a></li> }
        };
        let signed_in = token.get();
        let body = match signed_in.clone() {
            None => view! { <SignIn lang=l token=token refused=signed_out /> }.into_any(),
            Some(given) => {
                let ctx = Ctx { lang: l, api: StoredValue::new(Api::new(&given)), signed_out };
                (move || match route.get() {
                    Route::Orders => orders::list(ctx).into_any(),
                    Route::Order(id) => orders::page(ctx, id).into_any(),
                    Route::Disputes => disputes::page(ctx).into_any(),
                    Route::Catalog => catalog::page(ctx).into_any(),
                    Route::Posts => posts::page(ctx).into_any(),
                    Route::NewPost => editor::page(ctx, editing, None).into_any(),
                    Route::Post(id) => editor::page(ctx, editing, Some(id)).into_any(),
                    Route::Insights => insights::page(ctx).into_any(),
                })
                .into_any()
            }
        };
        view! {
            <header class="top">
                <h1>{l.t(tr!("Console de la boutique", "Shop console", "Shop-Konsole", "Consola de la tienda", "Console del negozio"))}</h1>
                <div class="tools">
                    <label for="lang">{l.t(tr!("Langue", "Language", "Sprache", "Idioma", "Lingua"))}</label>
                    <select id="lang" on:change=move |ev| lang.set(Lang::from_code(&event_target_value(&ev)).unwrap_or(Lang::Fr))>
                        {Lang::ALL.into_iter().map(|option| view! { <option value=option.code() lang=option.code() selected=l == option>{option.name()}</option> }).collect_view()}
                    </select>
                    {signed_in.is_some().then(|| view! {
                        <button type="button" class="secondary" on:click=sign_out>{l.t(tr!("Se déconnecter", "Sign out", "Abmelden", "Cerrar sesión", "Esci"))}</button>
                    })}
                </div>
            </header>
            {signed_in.is_some().then(|| view! {
                <nav aria-label=l.t(tr!("Sections", "Sections", "Bereiche", "Secciones", "Sezioni"))>
                    <ul>
                        {nav_link("orders", tr!("Commandes", "Orders", "Bestellungen", "Pedidos", "Ordini"))}
                        {nav_link("disputes", tr!("Litiges", "Disputes", "Streitfälle", "Disputas", "Contestazioni"))}
                        {nav_link("catalog", tr!("Catalogue", "Catalog", "Katalog", "Catálogo", "Catalogo"))}
                        {nav_link("posts", tr!("Publications", "Posts", "Beiträge", "Publicaciones", "Post pubblicati"))}
                        {nav_link("insights", tr!("Statistiques", "Insights", "Statistiken", "Estadísticas", "Statistiche"))}
                    </ul>
                </nav>
            })}
            <main>{body}</main>
        }
    }
}

/// Mounts the console in `#console`.
#[wasm_bindgen(start)]
pub fn start() {
    let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("console")) else { return };
    let Ok(root) = root.dyn_into::<web_sys::HtmlElement>() else { return };
    root.set_inner_html("");
    leptos::mount::mount_to(root, App).forget();
}
