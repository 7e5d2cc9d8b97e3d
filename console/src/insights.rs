//! Insights: per day, post and product over a date range: tag views, card opens (a tap on a
//! tag opens its card), adds to bag, orders, revenue and conversion, with a plain SVG chart.

use leptos::prelude::*;
use shoppable_protocol::{InsightCounts, InsightsReport, MediaKind};

use crate::api::encode;
use crate::{Ctx, Lang, error_box, focus_heading, format_day, format_money, loading};

/// `part / whole` as a percentage, or a dash when there is no whole.
fn rate(part: u64, whole: u64, lang: Lang) -> String {
    if whole == 0 {
        return "—".to_owned();
    }
    // As the browser writes a percentage in the language: "12,5 %", "12.5%", "12,5%".
    let options = js_sys::Object::new();
    let digits = wasm_bindgen::JsValue::from(1);
    for (name, value) in [("style", "percent".into()), ("minimumFractionDigits", digits.clone()), ("maximumFractionDigits", digits)] {
        let _ = js_sys::Reflect::set(&options, &name.into(), &value);
    }
    let format = js_sys::Intl::NumberFormat::new(&js_sys::Array::of1(&lang.locale().into()), &options).format();
    let ratio = part as f64 / whole as f64;
    format.call1(&wasm_bindgen::JsValue::NULL, &ratio.into()).ok().and_then(|text| text.as_string()).unwrap_or_default()
}

const CHART_W: f64 = 640.0;
const CHART_H: f64 = 200.0;
const PAD: f64 = 28.0;

/// Three series per day, as polylines over the range, with their legend.
fn chart(days: &[InsightCounts], lang: Lang) -> impl IntoView {
    let max = days.iter().map(|d| d.tag_views.max(d.tag_opens).max(d.adds_to_bag)).max().unwrap_or(0).max(1) as f64;
    let step = if days.len() > 1 { (CHART_W - 2.0 * PAD) / (days.len() - 1) as f64 } else { 0.0 };
    let points = |value: fn(&InsightCounts) -> u64| {
        days.iter()
            .enumerate()
            .map(|(i, d)| format!("{:.1},{:.1}", PAD + i as f64 * step, CHART_H - PAD - value(d) as f64 / max * (CHART_H - 2.0 * PAD)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let total = |value: fn(&InsightCounts) -> u64| days.iter().map(value).sum::<u64>();
    let description = format!(
        "{} {} {}, {} {}, {} {}.",
        lang.t(tr!("Sur la période :", "Over the range:", "Im Zeitraum:", "En el periodo:", "Nel periodo:")),
        total(|d| d.tag_views),
        lang.t(tr!("vues de tags", "tag views", "Tag-Aufrufe", "vistas de etiquetas", "visualizzazioni dei tag")),
        total(|d| d.tag_opens),
        lang.t(tr!("ouvertures de fiches", "card opens", "geöffnete Produktkarten", "fichas abiertas", "schede aperte")),
        total(|d| d.adds_to_bag),
        lang.t(tr!("ajouts au panier", "adds to bag", "Warenkorb-Hinzufügungen", "añadidos a la cesta", "aggiunte al carrello")),
    );
    let first = days.first().map(|d| format_day(&d.key, lang)).unwrap_or_default();
    let last = days.last().map(|d| format_day(&d.key, lang)).unwrap_or_default();
    let series = [
        (
            "views",
            lang.t(tr!("Vues de tags", "Tag views", "Tag-Aufrufe", "Vistas de etiquetas", "Visualizzazioni dei tag")),
            points(|d| d.tag_views),
        ),
        (
            "opens",
            lang.t(tr!("Ouvertures de fiches", "Card opens", "Geöffnete Produktkarten", "Fichas abiertas", "Schede aperte")),
            points(|d| d.tag_opens),
        ),
        (
            "adds",
            lang.t(tr!("Ajouts au panier", "Adds to bag", "Warenkorb-Hinzufügungen", "Añadidos a la cesta", "Aggiunte al carrello")),
            points(|d| d.adds_to_bag),
        ),
    ];
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {CHART_W} {CHART_H}") role="img" aria-labelledby="chart-title chart-desc">
                <title id="chart-title">{lang.t(tr!("Activité par jour", "Activity per day", "Aktivität pro Tag", "Actividad por día", "Attività al giorno"))}</title>
                <desc id="chart-desc">{description}</desc>
                <line x1=PAD y1=CHART_H - PAD x2=CHART_W - PAD y2=CHART_H - PAD class="axis" />
                <line x1=PAD y1=PAD x2=PAD y2=CHART_H - PAD class="axis" />
                <text x=PAD - 4.0 y=PAD + 4.0 text-anchor="end" class="tick">{max as u64}</text>
                <text x=PAD - 4.0 y=CHART_H - PAD text-anchor="end" class="tick">"0"</text>
                <text x=PAD y=CHART_H - 8.0 class="tick">{first}</text>
                <text x=CHART_W - PAD y=CHART_H - 8.0 text-anchor="end" class="tick">{last}</text>
                {series.iter().map(|(class, _, points)| view! { <polyline class=format!("series {class}") points=points.clone() fill="none" /> }).collect_view()}
            </svg>
            <figcaption>
                <ul class="legend">
                    {series.iter().map(|(class, name, _)| view! { <li><span class=format!("swatch {class}") aria-hidden="true"></span>{*name}</li> }).collect_view()}
                </ul>
            </figcaption>
        </figure>
    }
}

fn table(rows: Vec<InsightCounts>, lang: Lang, products: bool) -> impl IntoView {
    let l = lang;
    let caption = if products {
        l.t(tr!(
            "Par produit (conversion : commandes ÷ ouvertures de fiches)",
            "Per product (conversion: orders ÷ card opens)",
            "Pro Produkt (Konversion: Bestellungen ÷ geöffnete Produktkarten)",
            "Por producto (conversión: pedidos ÷ fichas abiertas)",
            "Per prodotto (conversione: ordini ÷ schede aperte)"
        ))
    } else {
        l.t(tr!(
            "Par publication (conversion : commandes ÷ ouvertures de fiches)",
            "Per post (conversion: orders ÷ card opens)",
            "Pro Beitrag (Konversion: Bestellungen ÷ geöffnete Produktkarten)",
            "Por publicación (conversión: pedidos ÷ fichas abiertas)",
            "Per post (conversione: ordini ÷ schede aperte)"
        ))
    };
    view! {
        <table class="insights">
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">{if products { l.t(tr!("Produit", "Product", "Produkt", "Producto", "Prodotto")) } else { l.t(tr!("Publication", "Post", "Beitrag", "Publicación", "Post")) }}</th>
                <th scope="col" class="num">{l.t(tr!("Vues de tags", "Tag views", "Tag-Aufrufe", "Vistas de etiquetas", "Visualizzazioni dei tag"))}</th>
                <th scope="col" class="num">{l.t(tr!("Ouvertures de fiches", "Card opens", "Geöffnete Produktkarten", "Fichas abiertas", "Schede aperte"))}</th>
                <th scope="col" class="num">{l.t(tr!("Ajouts au panier", "Adds to bag", "Warenkorb-Hinzufügungen", "Añadidos a la cesta", "Aggiunte al carrello"))}</th>
                <th scope="col" class="num">{l.t(tr!("Achats immédiats", "Buy now", "Sofortkäufe", "Compras inmediatas", "Acquisti immediati"))}</th>
                <th scope="col" class="num">{l.t(tr!("Commandes", "Orders", "Bestellungen", "Pedidos", "Ordini"))}</th>
                <th scope="col" class="num">{l.t(tr!("Chiffre d'affaires", "Revenue", "Umsatz", "Ingresos", "Fatturato"))}</th>
                <th scope="col" class="num">{l.t(tr!("Conversion", "Conversion", "Konversion", "Conversión", "Conversione"))}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let name = row.title.clone().unwrap_or_else(|| row.key.clone());
                    let conversion = rate(row.orders.unwrap_or(0), row.tag_opens, l);
                    let media = medium_rows(&name, &row, l);
                    view! {
                        <tr data-key=row.key.clone()>
                            <th scope="row">{name}</th>
                            <td class="num views">{row.tag_views}</td>
                            <td class="num opens">{row.tag_opens}</td>
                            <td class="num adds">{row.adds_to_bag}</td>
                            <td class="num buy-now">{row.checkouts}</td>
                            <td class="num orders">{row.orders.unwrap_or(0)}</td>
                            <td class="num revenue">{row.revenue.map(|m| format_money(&m, l)).unwrap_or_default()}</td>
                            <td class="num conversion">{conversion}</td>
                        </tr>
                        {media}
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The rows of a post of several media, one per medium under the post's: its events only (an
/// order's line names only its post, so orders, revenue and conversion stay the post's). The
/// row's header names the post too, for a screen reader that reads it alone.
fn medium_rows(post: &str, row: &InsightCounts, l: Lang) -> impl IntoView + use<> {
    row.media
        .iter()
        .map(|medium| {
            let slide = match medium.kind {
                MediaKind::Photo => tr!("Diapositive {} (photo)", "Slide {} (photo)", "Folie {} (Foto)", "Diapositiva {} (foto)", "Slide {} (foto)"),
                MediaKind::Video => tr!("Diapositive {} (vidéo)", "Slide {} (video)", "Folie {} (Video)", "Diapositiva {} (vídeo)", "Slide {} (video)"),
            };
            view! {
                <tr class="medium" data-post=row.key.clone() data-medium=medium.index>
                    <th scope="row"><span class="visually-hidden">{format!("{post}, ")}</span>{l.with(slide, &[&(medium.index + 1).to_string()])}</th>
                    <td class="num views">{medium.tag_views}</td>
                    <td class="num opens">{medium.tag_opens}</td>
                    <td class="num adds">{medium.adds_to_bag}</td>
                    <td class="num buy-now">{medium.checkouts}</td>
                    <td class="num orders"></td>
                    <td class="num revenue"></td>
                    <td class="num conversion"></td>
                </tr>
            }
        })
        .collect_view()
}

/// `#/insights`: the last 30 days by default.
pub fn page(ctx: Ctx) -> impl IntoView {
    let l = ctx.lang;
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let asked = RwSignal::new((String::new(), String::new()));
    let state: RwSignal<Option<Result<InsightsReport, String>>> = RwSignal::new(None);
    Effect::new(move |_| {
        let (from_day, to_day) = asked.get();
        state.set(None);
        leptos::task::spawn_local(async move {
            let path = format!("/v1/admin/insights?from={}&to={}", encode(&from_day), encode(&to_day));
            match ctx.api().get::<InsightsReport>(&path).await {
                Ok(report) => {
                    from.set(report.from.clone());
                    to.set(report.to.clone());
                    state.set(Some(Ok(report)));
                }
                Err(failure) if ctx.refused(&failure) => {}
                Err(failure) => state.set(Some(Err(failure.text(ctx.lang)))),
            }
        });
    });
    focus_heading();
    view! {
        <h2 tabindex="-1">{l.t(tr!("Statistiques", "Insights", "Statistiken", "Estadísticas", "Statistiche"))}</h2>
        <p class="muted">{l.t(tr!("Comptes anonymes envoyés par le widget (aucun cookie, aucune donnée personnelle ; rien quand la page ou le navigateur le refuse), par jour UTC.", "Anonymous counts sent by the widget (no cookie, no personal data; nothing when the page or the browser refuses), per UTC day.", "Anonyme Zählungen, die das Widget sendet (kein Cookie, keine personenbezogenen Daten; nichts, wenn die Seite oder der Browser es ablehnt), pro UTC-Tag.", "Recuentos anónimos enviados por el widget (sin cookies ni datos personales; nada cuando la página o el navegador lo rechazan), por día UTC.", "Conteggi anonimi inviati dal widget (nessun cookie, nessun dato personale; nulla quando la pagina o il browser lo rifiutano), per giorno UTC."))}</p>
        <form class="filters" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); asked.set((from.get_untracked(), to.get_untracked())); }>
            <div class="field">
                <label for="insights-from">{l.t(tr!("Du", "From", "Von", "Desde", "Dal"))}</label>
                <input id="insights-from" type="date" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="insights-to">{l.t(tr!("Au", "To", "Bis", "Hasta", "Al"))}</label>
                <input id="insights-to" type="date" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) />
            </div>
            <button type="submit">{l.t(tr!("Afficher", "Show", "Anzeigen", "Mostrar", "Mostra"))}</button>
        </form>
        {move || match state.get() {
            None => loading(l).into_any(),
            Some(Err(message)) => error_box(message).into_any(),
            Some(Ok(report)) => {
                let orders: u64 = report.days.iter().map(|d| d.orders.unwrap_or(0)).sum();
                let revenue = report.days.iter().filter_map(|d| d.revenue).reduce(|mut a, b| { a.amount = a.amount.saturating_add(b.amount); a });
                view! {
                    <p class="summary" role="status">
                        {l.with(
                            tr!("Du {} au {} · commandes : ", "From {} to {} · orders: ", "Vom {} bis {} · Bestellungen: ", "Del {} al {} · pedidos: ", "Dal {} al {} · ordini: "),
                            &[&format_day(&report.from, l), &format_day(&report.to, l)],
                        )}
                        <strong class="total-orders">{orders}</strong>
                        {format!(" · {} ", l.t(tr!("chiffre d'affaires des articles, hors livraison :", "revenue from items, shipping excluded:", "Umsatz der Artikel, ohne Versand:", "ingresos de los artículos, sin envío:", "fatturato degli articoli, spedizione esclusa:")))}
                        <strong class="total-revenue">{revenue.map(|m| format_money(&m, l)).unwrap_or_default()}</strong>
                    </p>
                    <p class="muted">{l.t(tr!("Les commandes annulées ou remboursées ne sont pas comptées. « Achats immédiats » : le bouton « Acheter » d'une fiche, qui met le produit au panier et ouvre la commande.", "Cancelled and refunded orders are not counted. “Buy now”: a card's “Buy now” button, which puts the product in the bag and opens the checkout.", "Stornierte oder erstattete Bestellungen werden nicht gezählt. „Sofortkäufe“: die Schaltfläche „Jetzt kaufen“ einer Produktkarte, die das Produkt in den Warenkorb legt und die Kasse öffnet.", "Los pedidos cancelados o reembolsados no se cuentan. «Compras inmediatas»: el botón «Comprar ahora» de una ficha, que añade el producto a la cesta y abre el pedido.", "Gli ordini annullati o rimborsati non sono conteggiati. «Acquisti immediati»: il pulsante «Acquista ora» di una scheda, che mette il prodotto nel carrello e apre l'ordine."))}</p>
                    {chart(&report.days, l)}
                    <section aria-labelledby="posts-insights">
                        <h3 id="posts-insights">{l.t(tr!("Publications", "Posts", "Beiträge", "Publicaciones", "Post pubblicati"))}</h3>
                        {if report.posts.is_empty() {
                            view! { <p>{l.t(tr!("Aucune activité sur la période.", "No activity over the range.", "Keine Aktivität im Zeitraum.", "Sin actividad en el periodo.", "Nessuna attività nel periodo."))}</p> }.into_any()
                        } else {
                            table(report.posts, l, false).into_any()
                        }}
                        <p class="muted">{l.t(tr!("Une commande compte pour chaque publication d'où vient l'un de ses articles.", "An order counts for each post one of its items was bought from.", "Eine Bestellung zählt für jeden Beitrag, aus dem einer ihrer Artikel gekauft wurde.", "Un pedido cuenta para cada publicación de la que procede uno de sus artículos.", "Un ordine conta per ogni post da cui proviene uno dei suoi articoli."))}</p>
                        <p class="muted">{l.t(tr!("Sous une publication de plusieurs photos ou vidéos, chaque diapositive a sa ligne : les vues, ouvertures et ajouts de ses tags. Les commandes restent celles de la publication.", "Under a post of several photos or videos, each slide has its row: the views, opens and adds of its tags. Orders stay the post's.", "Unter einem Beitrag mit mehreren Fotos oder Videos hat jede Folie ihre Zeile: die Aufrufe, Öffnungen und Hinzufügungen ihrer Tags. Bestellungen bleiben die des Beitrags.", "Bajo una publicación de varias fotos o vídeos, cada diapositiva tiene su fila: las vistas, aperturas y añadidos de sus etiquetas. Los pedidos siguen siendo los de la publicación.", "Sotto un post di più foto o video, ogni slide ha la sua riga: visualizzazioni, aperture e aggiunte dei suoi tag. Gli ordini restano quelli del post."))}</p>
                    </section>
                    <section aria-labelledby="products-insights">
                        <h3 id="products-insights">{l.t(tr!("Produits", "Products", "Produkte", "Productos", "Prodotti"))}</h3>
                        {if report.products.is_empty() {
                            view! { <p>{l.t(tr!("Aucune activité sur la période.", "No activity over the range.", "Keine Aktivität im Zeitraum.", "Sin actividad en el periodo.", "Nessuna attività nel periodo."))}</p> }.into_any()
                        } else {
                            table(report.products, l, true).into_any()
                        }}
                    </section>
                }.into_any()
            }
        }}
    }
}
