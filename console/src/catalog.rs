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
            <h3 id="import-title">{l.t(tr!("Importer un flux catalogue Meta (CSV)", "Import a Meta catalog feed (CSV)", "Einen Meta-Katalog-Feed importieren (CSV)", "Importar un feed de catálogo de Meta (CSV)", "Importa un feed di catalogo Meta (CSV)"))}</h3>
            <form class="import" on:submit=submit>
                <div class="field">
                    <label for="feed">{l.t(tr!("Fichier CSV", "CSV file", "CSV-Datei", "Archivo CSV", "File CSV"))}</label>
                    <input id="feed" type="file" accept=".csv,text/csv" aria-describedby="feed-hint"
                        aria-invalid=move || matches!(state.get(), Imported::NoFile).to_string()
                        on:change=move |_| if matches!(state.get_untracked(), Imported::NoFile) { state.set(Imported::Idle) } />
                    <p id="feed-hint" class="muted">{l.t(tr!("Toutes les lignes sont importées, ou aucune : les erreurs sont listées ligne par ligne.", "All rows are imported, or none: errors are listed row by row.", "Alle Zeilen werden importiert oder keine: Fehler werden Zeile für Zeile aufgeführt.", "Se importan todas las filas o ninguna: los errores se indican fila por fila.", "Si importano tutte le righe o nessuna: gli errori sono elencati riga per riga."))}</p>
                </div>
                <button type="submit" disabled=move || matches!(state.get(), Imported::Busy)>{l.t(tr!("Importer", "Import", "Importieren", "Importar", "Importa"))}</button>
            </form>
            <div class="report" role="status">
                {move || match state.get() {
                    Imported::Idle => ().into_any(),
                    Imported::NoFile => view! { <p class="error">{l.t(tr!("Choisissez d'abord un fichier CSV.", "Choose a CSV file first.", "Wählen Sie zuerst eine CSV-Datei.", "Elige primero un archivo CSV.", "Scegli prima un file CSV."))}</p> }.into_any(),
                    Imported::Busy => view! { <p>{l.t(tr!("Import en cours…", "Importing…", "Wird importiert…", "Importando…", "Importazione…"))}</p> }.into_any(),
                    Imported::Done(report) => view! {
                        <p class="done">{format!("{} {}, {}.", l.t(tr!("Importé :", "Imported:", "Importiert:", "Importado:", "Importato:")),
                            l.counted(report.products, [("produit", "produits"), ("product", "products"), ("Produkt", "Produkte"), ("producto", "productos"), ("prodotto", "prodotti")]),
                            l.counted(report.variants, [("variante", "variantes"), ("variant", "variants"), ("Variante", "Varianten"), ("variante", "variantes"), ("variante", "varianti")]))}</p>
                    }.into_any(),
                    Imported::Refused(failure) => view! {
                        <p class="error">{l.t(tr!("Rien n'a été importé. ", "Nothing was imported. ", "Nichts wurde importiert. ", "No se ha importado nada. ", "Non è stato importato nulla. "))}{failure.rows.is_empty().then(|| failure.text(l))}</p>
                        {(!failure.rows.is_empty()).then(|| view! {
                            <table class="row-errors">
                                <caption>{format!("{} ({})", l.t(tr!("Lignes en erreur", "Rows with errors", "Fehlerhafte Zeilen", "Filas con errores", "Righe con errori")), failure.rows.len())}</caption>
                                <thead><tr>
                                    <th scope="col" class="num">{l.t(tr!("Ligne", "Row", "Zeile", "Fila", "Riga"))}</th>
                                    <th scope="col">{l.t(tr!("Colonne", "Column", "Spalte", "Columna", "Colonna"))}</th>
                                    <th scope="col">{l.t(tr!("Problème", "Problem", "Problem", "Problema", "Problema"))}</th>
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

/// A row's problem in the console's language: said from its kind; in English, the backend's
/// message, which also names the value at fault. A backend that gives no kind (or one this
/// console does not know) is shown as it speaks.
fn row_problem(row: &RowError, lang: Lang) -> String {
    let Some(problem) = row.problem.filter(|_| lang != Lang::En) else { return row.message.clone() };
    let text = match problem {
        RowProblem::Other => return row.message.clone(),
        RowProblem::NotCsv => tr!(
            "fichier CSV illisible à cette ligne",
            "unreadable CSV at this row",
            "CSV-Datei in dieser Zeile unlesbar",
            "archivo CSV ilegible en esta fila",
            "file CSV illeggibile in questa riga"
        ),
        RowProblem::NoRows => tr!(
            "le fichier n’a aucune ligne de produit",
            "the file has no product rows",
            "die Datei hat keine Produktzeile",
            "el archivo no tiene ninguna fila de producto",
            "il file non ha nessuna riga di prodotto"
        ),
        RowProblem::MissingColumn => {
            tr!("cette colonne manque", "this column is missing", "diese Spalte fehlt", "falta esta columna", "manca questa colonna")
        }
        RowProblem::Required => tr!(
            "cette colonne est obligatoire",
            "this column is required",
            "diese Spalte ist erforderlich",
            "esta columna es obligatoria",
            "questa colonna è obbligatoria"
        ),
        RowProblem::NulCharacter => tr!(
            "une cellule contient un caractère NUL",
            "a cell holds a NUL character",
            "eine Zelle enthält ein NUL-Zeichen",
            "una celda contiene un carácter NUL",
            "una cella contiene un carattere NUL"
        ),
        RowProblem::RepeatedId => tr!(
            "cet id est déjà celui d’une ligne précédente",
            "this id is already an earlier row's",
            "diese ID hat bereits eine frühere Zeile",
            "este id ya es el de una fila anterior",
            "questo id è già quello di una riga precedente"
        ),
        RowProblem::NotAPrice => tr!(
            "ce n’est pas un prix : écrivez le montant, une espace et la devise, p. ex. 29.90 EUR",
            "not a price: write the amount, a space and the currency, e.g. 29.90 EUR",
            "kein Preis: Schreiben Sie den Betrag, ein Leerzeichen und die Währung, z. B. 29.90 EUR",
            "no es un precio: escribe el importe, un espacio y la moneda, p. ej. 29.90 EUR",
            "non è un prezzo: scrivi l’importo, uno spazio e la valuta, ad es. 29.90 EUR"
        ),
        RowProblem::WrongCurrency => tr!(
            "les prix doivent être dans la devise de la boutique",
            "prices must be in the shop's currency",
            "Preise müssen in der Währung des Shops sein",
            "los precios deben estar en la moneda de la tienda",
            "i prezzi devono essere nella valuta del negozio"
        ),
        RowProblem::SaleAbovePrice => tr!(
            "le prix soldé dépasse le prix",
            "the sale price is above the price",
            "der Aktionspreis liegt über dem Preis",
            "el precio rebajado supera el precio",
            "il prezzo scontato supera il prezzo"
        ),
        RowProblem::Availability => tr!(
            "doit être « in stock » ou « out of stock »",
            "must be “in stock” or “out of stock”",
            "muss „in stock“ oder „out of stock“ sein",
            "debe ser «in stock» u «out of stock»",
            "deve essere «in stock» o «out of stock»"
        ),
        RowProblem::Quantity => {
            let most = format_count(StockRequest::MAX, lang);
            let text = tr!(
                "doit être un nombre entier d’unités, de 0 à {}",
                "must be a whole number of units, from 0 to {}",
                "muss eine ganze Zahl von Einheiten sein, von 0 bis {}",
                "debe ser un número entero de unidades, de 0 a {}",
                "deve essere un numero intero di unità, da 0 a {}"
            );
            return lang.with(text, &[&most]);
        }
        RowProblem::NotALink => tr!(
            "doit être une URL http(s) ou un chemin du site",
            "must be an http(s) URL or a path of the site",
            "muss eine http(s)-URL oder ein Pfad der Website sein",
            "debe ser una URL http(s) o una ruta del sitio",
            "deve essere un URL http(s) o un percorso del sito"
        ),
    };
    lang.t(text).to_owned()
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
                    note.set(Some((
                        false,
                        l.t(tr!(
                            "Un nombre entier positif, ou vide.",
                            "A whole number, or empty.",
                            "Eine ganze Zahl oder leer.",
                            "Un número entero, o vacío.",
                            "Un numero intero, o vuoto."
                        ))
                        .to_owned(),
                    )));
                    return;
                }
            }
        };
        let request = StockRequest { stock };
        if request.is_too_large() {
            let most = format_count(StockRequest::MAX, l);
            note.set(Some((
                false,
                l.with(
                    tr!(
                        "Au plus {} unités.",
                        "At most {} units.",
                        "Höchstens {} Einheiten.",
                        "Como máximo {} unidades.",
                        "Al massimo {} unità."
                    ),
                    &[&most],
                ),
            )));
            return;
        }
        leptos::task::spawn_local(async move {
            let path = format!("/v1/admin/variants/{}/stock", encode(&variant_id.get_value()));
            match ctx.api().put::<Product>(&path, &request).await {
                Ok(_) => note.set(Some((true, l.t(tr!("Enregistré", "Saved", "Gespeichert", "Guardado", "Salvato")).to_owned()))),
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
                    <label class="visually-hidden" for=input_id.clone()>{format!("{} {name}", l.t(tr!("Stock de", "Stock of", "Bestand von", "Stock de", "Scorte di")))}</label>
                    <input id=input_id type="number" min="0" step="1" inputmode="numeric"
                        placeholder=l.t(tr!("non suivi", "not tracked", "nicht verfolgt", "sin seguimiento", "non monitorato"))
                        prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
                    <button type="submit" class="secondary">{l.t(tr!("Enregistrer", "Save", "Speichern", "Guardar", "Salva"))}</button>
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
        <h2 tabindex="-1">{l.t(tr!("Catalogue", "Catalog", "Katalog", "Catálogo", "Catalogo"))}</h2>
        {import_section(ctx, reload)}
        <section aria-labelledby="products-title">
            <h3 id="products-title">{l.t(tr!("Produits et stock", "Products and stock", "Produkte und Bestand", "Productos y stock", "Prodotti e scorte"))}</h3>
            <form class="filters" role="search" aria-label=l.t(tr!("Chercher un produit", "Search products", "Produkte suchen", "Buscar productos", "Cerca prodotti"))
                on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); offset.set(0); applied.set(search.get_untracked()); }>
                <div class="field">
                    <label for="product-search">{l.t(tr!("Titre", "Title", "Titel", "Título", "Titolo"))}</label>
                    <input id="product-search" type="search" prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev)) />
                </div>
                <button type="submit">{l.t(tr!("Chercher", "Search", "Suchen", "Buscar", "Cerca"))}</button>
            </form>
            {move || match state.get() {
                None => loading(l).into_any(),
                Some(Err(message)) => error_box(message).into_any(),
                Some(Ok(products)) if products.is_empty() => view! { <p role="status">{l.t(tr!("Aucun produit.", "No products.", "Keine Produkte.", "No hay productos.", "Nessun prodotto."))}</p> }.into_any(),
                Some(Ok(mut products)) => {
                    let more = products.len() > PAGE as usize;
                    products.truncate(PAGE as usize);
                    let first = offset.get_untracked();
                    view! {
                        <table class="products">
                            <caption>{l.t(tr!("Stock par variante (vide : non suivi, jamais épuisé)", "Stock per variant (empty: not tracked, never runs out)", "Bestand je Variante (leer: nicht verfolgt, nie ausverkauft)", "Stock por variante (vacío: sin seguimiento, nunca se agota)", "Scorte per variante (vuoto: non monitorate, mai esaurito)"))}</caption>
                            <thead><tr>
                                <th scope="col">{l.t(tr!("Produit", "Product", "Produkt", "Producto", "Prodotto"))}</th>
                                <th scope="col" class="num">{l.t(tr!("Prix", "Price", "Preis", "Precio", "Prezzo"))}</th>
                                <th scope="col">{l.t(tr!("Stock", "Stock", "Bestand", "Existencias", "Scorte"))}</th>
                            </tr></thead>
                            <tbody>
                                {products.iter().flat_map(|p| (0..p.variants.len()).map(move |i| stock_form(ctx, p, i))).collect_view()}
                            </tbody>
                        </table>
                        <div class="pager">
                            <button type="button" class="secondary" disabled=first == 0
                                on:click=move |_| offset.update(|o| *o = o.saturating_sub(PAGE))>{l.t(tr!("Page précédente", "Previous page", "Vorherige Seite", "Página anterior", "Pagina precedente"))}</button>
                            <button type="button" class="secondary" disabled=!more
                                on:click=move |_| offset.update(|o| *o += PAGE)>{l.t(tr!("Page suivante", "Next page", "Nächste Seite", "Página siguiente", "Pagina successiva"))}</button>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
