//! The catalog: a Meta feed imported from a file, with the report of its rows; products and
//! the stock of each variant.

use leptos::prelude::*;
use shoppable_protocol::{AdminProductList, ImportReport, Product, RowError, RowProblem, StockRequest};
use wasm_bindgen::JsCast;

use crate::api::encode;
use crate::{Ctx, Failure, Lang, error_box, focus_heading, format_count, format_money, loading};

const PAGE: u32 = 25;

#[derive(Clone)]
enum Imported {
    Idle,
    /// "Import" with no file chosen: nothing was sent.
    NoFile,
    Busy,
    Done(ImportReport),
    Refused(Failure),
}

fn import_section(ctx: Ctx, reload: RwSignal<u32>) -> impl IntoView {
    let l = ctx.lang;
    let state = RwSignal::new(Imported::Idle);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let file = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("feed"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            state.set(Imported::NoFile);
            return;
        };
        state.set(Imported::Busy);
        leptos::task::spawn_local(async move {
            match ctx.api().post_raw::<ImportReport>("/v1/admin/catalog/import", "text/csv", file.into()).await {
                Ok(report) => {
                    state.set(Imported::Done(report));
                    reload.update(|n| *n += 1);
                }
                Err(failure) if ctx.refused(&failure) => {}
                Err(failure) => state.set(Imported::Refused(failure)),
            }
        });
    };
    view! {
        <section aria-labelledby="import-title">
            <h3 id="import-title">{l.t("Importer un flux catalogue Meta (CSV)", "Import a Meta catalog feed (CSV)")}</h3>
            <form class="import" on:submit=submit>
                <div class="field">
                    <label for="feed">{l.t("Fichier CSV", "CSV file")}</label>
                    <input id="feed" type="file" accept=".csv,text/csv" aria-describedby="feed-hint"
                        aria-invalid=move || matches!(state.get(), Imported::NoFile).to_string()
                        on:change=move |_| if matches!(state.get_untracked(), Imported::NoFile) { state.set(Imported::Idle) } />
                    <p id="feed-hint" class="muted">{l.t(
                        "Toutes les lignes sont importées, ou aucune : les erreurs sont listées ligne par ligne.",
                        "All rows are imported, or none: errors are listed row by row.")}</p>
                </div>
                <button type="submit" disabled=move || matches!(state.get(), Imported::Busy)>{l.t("Importer", "Import")}</button>
            </form>
            <div class="report" role="status">
                {move || match state.get() {
                    Imported::Idle => ().into_any(),
                    Imported::NoFile => view! { <p class="error">{l.t("Choisissez d'abord un fichier CSV.", "Choose a CSV file first.")}</p> }.into_any(),
                    Imported::Busy => view! { <p>{l.t("Import en cours…", "Importing…")}</p> }.into_any(),
                    Imported::Done(report) => view! {
                        <p class="done">{format!("{} {}, {}.", l.t("Importé :", "Imported:"),
                            l.counted(report.products, ("produit", "produits"), ("product", "products")),
                            l.counted(report.variants, ("variante", "variantes"), ("variant", "variants")))}</p>
                    }.into_any(),
                    Imported::Refused(failure) => view! {
                        <p class="error">{l.t("Rien n'a été importé. ", "Nothing was imported. ")}{failure.rows.is_empty().then(|| failure.text(l))}</p>
                        {(!failure.rows.is_empty()).then(|| view! {
                            <table class="row-errors">
                                <caption>{format!("{} ({})", l.t("Lignes en erreur", "Rows with errors"), failure.rows.len())}</caption>
                                <thead><tr>
                                    <th scope="col" class="num">{l.t("Ligne", "Row")}</th>
                                    <th scope="col">{l.t("Colonne", "Column")}</th>
                                    <th scope="col">{l.t("Problème", "Problem")}</th>
                                </tr></thead>
                                <tbody>
                                    {failure.rows.iter().map(|row| view! {
                                        <tr><td class="num">{row.row}</td><td>{row.column.clone().unwrap_or_default()}</td><td>{row_problem(row, l)}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })}
                    }.into_any(),
                }}
            </div>
        </section>
    }
}

/// A row's problem in the console's language: in French, said from its kind; in English, the
/// backend's message, which also names the value at fault. A backend that gives no kind is
/// shown as it speaks.
fn row_problem(row: &RowError, lang: Lang) -> String {
    let (Lang::Fr, Some(problem)) = (lang, row.problem) else { return row.message.clone() };
    match problem {
        RowProblem::Other => return row.message.clone(),
        RowProblem::NotCsv => "fichier CSV illisible à cette ligne",
        RowProblem::NoRows => "le fichier n’a aucune ligne de produit",
        RowProblem::MissingColumn => "cette colonne manque",
        RowProblem::Required => "cette colonne est obligatoire",
        RowProblem::NulCharacter => "une cellule contient un caractère NUL",
        RowProblem::RepeatedId => "cet id est déjà celui d’une ligne précédente",
        RowProblem::NotAPrice => "ce n’est pas un prix : écrivez le montant, une espace et la devise, p. ex. 29.90 EUR",
        RowProblem::WrongCurrency => "les prix doivent être dans la devise de la boutique",
        RowProblem::SaleAbovePrice => "le prix soldé dépasse le prix",
        RowProblem::Availability => "doit être « in stock » ou « out of stock »",
        RowProblem::Quantity => return format!("doit être un nombre entier d’unités, de 0 à {}", format_count(StockRequest::MAX, lang)),
        RowProblem::NotALink => "doit être une URL http(s) ou un chemin du site",
    }
    .to_owned()
}

/// One variant's stock: a number field (empty: not tracked) and its own save button.
fn stock_form(ctx: Ctx, product: &Product, index: usize) -> impl IntoView {
    let l = ctx.lang;
    let variant = product.variants[index].clone();
    let name = if product.variants.len() > 1 || !variant.title.is_empty() && variant.title != product.title {
        format!("{} — {}", product.title, variant.title)
    } else {
        product.title.clone()
    };
    let value = RwSignal::new(variant.stock.map(|s| s.to_string()).unwrap_or_default());
    let note: RwSignal<Option<(bool, String)>> = RwSignal::new(None);
    let input_id = format!("stock-{}", variant.id);
    let variant_id = StoredValue::new(variant.id.clone());
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = value.get_untracked().trim().to_owned();
        let stock = if text.is_empty() {
            None
        } else {
            match text.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    note.set(Some((false, l.t("Un nombre entier positif, ou vide.", "A whole number, or empty.").to_owned())));
                    return;
                }
            }
        };
        let request = StockRequest { stock };
        if request.is_too_large() {
            let most = format_count(StockRequest::MAX, l);
            note.set(Some((false, format!("{} {most} {}", l.t("Au plus", "At most"), l.t("unités.", "units.")))));
            return;
        }
        leptos::task::spawn_local(async move {
            let path = format!("/v1/admin/variants/{}/stock", encode(&variant_id.get_value()));
            match ctx.api().put::<Product>(&path, &request).await {
                Ok(_) => note.set(Some((true, l.t("Enregistré", "Saved").to_owned()))),
                Err(failure) if ctx.refused(&failure) => {}
                Err(failure) => note.set(Some((false, failure.text(l)))),
            }
        });
    };
    view! {
        <tr>
            <th scope="row">{name.clone()}</th>
            <td class="num">{format_money(&variant.price, l)}</td>
            <td>
                <form class="stock" on:submit=save>
                    <label class="visually-hidden" for=input_id.clone()>{format!("{} {name}", l.t("Stock de", "Stock of"))}</label>
                    <input id=input_id type="number" min="0" step="1" inputmode="numeric"
                        placeholder=l.t("non suivi", "not tracked")
                        prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                    <button type="submit" class="secondary">{l.t("Enregistrer", "Save")}</button>
                    <span role="status" class=move || match note.get() { Some((false, _)) => "error", _ => "done" }>
                        {move || note.get().map(|(_, text)| text)}
                    </span>
                </form>
            </td>
        </tr>
    }
}

/// `#/catalog`.
pub fn page(ctx: Ctx) -> impl IntoView {
    let l = ctx.lang;
    let reload = RwSignal::new(0u32);
    let search = RwSignal::new(String::new());
    let applied = RwSignal::new(String::new());
    let offset = RwSignal::new(0u32);
    let state: RwSignal<Option<Result<Vec<Product>, String>>> = RwSignal::new(None);
    Effect::new(move |_| {
        let (_, q, from) = (reload.get(), applied.get(), offset.get());
        state.set(None);
        leptos::task::spawn_local(async move {
            let path = format!("/v1/admin/products?limit={}&offset={from}&q={}", PAGE + 1, encode(&q));
            match ctx.api().get::<AdminProductList>(&path).await {
                Ok(list) => state.set(Some(Ok(list.products))),
                Err(failure) if ctx.refused(&failure) => {}
                Err(failure) => state.set(Some(Err(failure.text(ctx.lang)))),
            }
        });
    });
    focus_heading();
    view! {
        <h2 tabindex="-1">{l.t("Catalogue", "Catalog")}</h2>
        {import_section(ctx, reload)}
        <section aria-labelledby="products-title">
            <h3 id="products-title">{l.t("Produits et stock", "Products and stock")}</h3>
            <form class="filters" role="search" aria-label=l.t("Chercher un produit", "Search products")
                on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); offset.set(0); applied.set(search.get_untracked()); }>
                <div class="field">
                    <label for="product-search">{l.t("Titre", "Title")}</label>
                    <input id="product-search" type="search" prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev)) />
                </div>
                <button type="submit">{l.t("Chercher", "Search")}</button>
            </form>
            {move || match state.get() {
                None => loading(l).into_any(),
                Some(Err(message)) => error_box(message).into_any(),
                Some(Ok(products)) if products.is_empty() => view! { <p role="status">{l.t("Aucun produit.", "No products.")}</p> }.into_any(),
                Some(Ok(mut products)) => {
                    let more = products.len() > PAGE as usize;
                    products.truncate(PAGE as usize);
                    let first = offset.get_untracked();
                    view! {
                        <table class="products">
                            <caption>{l.t("Stock par variante (vide : non suivi, jamais épuisé)", "Stock per variant (empty: not tracked, never runs out)")}</caption>
                            <thead><tr>
                                <th scope="col">{l.t("Produit", "Product")}</th>
                                <th scope="col" class="num">{l.t("Prix", "Price")}</th>
                                <th scope="col">{l.t("Stock", "Stock")}</th>
                            </tr></thead>
                            <tbody>
                                {products.iter().flat_map(|p| (0..p.variants.len()).map(move |i| stock_form(ctx, p, i))).collect_view()}
                            </tbody>
                        </table>
                        <div class="pager">
                            <button type="button" class="secondary" disabled=first == 0
                                on:click=move |_| offset.update(|o| *o = o.saturating_sub(PAGE))>{l.t("Page précédente", "Previous page")}</button>
                            <button type="button" class="secondary" disabled=!more
                                on:click=move |_| offset.update(|o| *o += PAGE)>{l.t("Page suivante", "Next page")}</button>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
