//! The selected slide and its tags: placed by pointer (click the photo, drag a tag) or by
//! keyboard (arrows move the focused tag, Shift or Alt + arrow a fine step, Delete removes it), listed,
//! and each one's product: from the catalog (search) or a link-out product; on a video, the
//! time range, set by scrubbing the video, and an optional position.

use leptos::prelude::*;
use shoppable_protocol::{MediaKind, ProductList, ProductSummary};
use wasm_bindgen::JsCast;

use super::draft::{Edit, LinkFields, Product, Slide, Tag, read_price};
use super::{Editor, focus_later};
use crate::api::encode;
use crate::{Lang, format_money};

/// An arrow moves a tag by 5 % of the photo, Shift or Alt + arrow by 1 %.
const STEP: f64 = 0.05;
const FINE_STEP: f64 = 0.01;
/// A new video tag shows for this long from the video's current time.
const VIDEO_TAG_SECONDS: f64 = 5.0;

fn percent(fraction: f64) -> String {
    format!("{}", (fraction * 1000.0).round() / 10.0)
}

fn seconds(value: f64) -> String {
    format!("{}", (value * 10.0).round() / 10.0)
}

/// What a tag shows, for its names.
fn product_name(product: &Product, l: Lang) -> String {
    match product {
        Product::Catalog(product) => product.title.clone(),
        Product::Link(link) if !link.title.trim().is_empty() => link.title.clone(),
        _ => l.t(tr!("sans produit", "no product", "ohne Produkt", "sin producto", "senza prodotto")).into(),
    }
}

/// The slide's video element, when the selected slide is a video.
fn video_element() -> Option<web_sys::HtmlVideoElement> {
    web_sys::window()?.document()?.get_element_by_id("slide-video")?.dyn_into().ok()
}

fn video_time() -> f64 {
    video_element().map(|v| v.current_time()).filter(|t| t.is_finite()).unwrap_or(0.0)
}

/// The point of `event` in fractions of the element it is on (the photo), or of its parent (a
/// tag is on the photo's frame).
fn fraction_at(event: &web_sys::MouseEvent, frame: &web_sys::Element) -> (f64, f64) {
    let rect = frame.get_bounding_client_rect();
    ((event.client_x() as f64 - rect.left()) / rect.width(), (event.client_y() as f64 - rect.top()) / rect.height())
}

/// Adds `tag` to slide `slide`, selected and said; its index, or None when refused.
fn place_tag(editor: Editor, slide: usize, tag: Tag) -> Option<usize> {
    if !editor.edit(Edit::AddTag(slide, tag)) {
        return None;
    }
    let tag = editor.draft(|d| d.slides[slide].tags.len() - 1);
    editor.session.tag.set(Some(tag));
    let text = tr!("Tag {} placé.", "Tag {} placed.", "Tag {} gesetzt.", "Etiqueta {} colocada.", "Tag {} posizionato.");
    editor.say(editor.lang().with(text, &[&(tag + 1).to_string()]));
    Some(tag)
}

#[component]
pub fn Stage() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let (session, l) = (editor.session, editor.lang());
    // Only a change of photo or video redraws the frame (a video keeps playing while tags
    // change).
    let slide = Memo::new(move |_| {
        let index = session.slide.get();
        editor.draft(|d| d.slides.get(index).map(|s| (index, Slide { tags: Vec::new(), ..s.clone() })))
    });
    let add_tag = move |at: Option<(f64, f64)>| {
        let index = session.slide.get_untracked();
        let Some(kind) = editor.draft(|d| d.slides.get(index).map(|s| s.kind)) else { return };
        let range = (kind == MediaKind::Video).then(|| {
            let start = video_time();
            (start, start + VIDEO_TAG_SECONDS)
        });
        let at = match kind {
            MediaKind::Photo => Some(at.unwrap_or((0.5, 0.5))),
            MediaKind::Video => at,
        };
        if let Some(tag) = place_tag(editor, index, Tag { at, range, product: Product::None }) {
            focus_later(if at.is_some() { format!("tag-{tag}") } else { format!("tag-item-{tag}") });
        }
    };
    view! {
        <section class="stage-panel" aria-labelledby="stage-title">
            <h3 id="stage-title">{l.t(tr!("Tags", "Tags", "Tags", "Etiquetas", "Tag"))}</h3>
            {move || match slide.get() {
                None => view! { <p class="muted">{l.t(tr!("Ajoutez une photo ou une vidéo pour y placer des tags.", "Add a photo or a video to place tags on it.", "Fügen Sie ein Foto oder Video hinzu, um Tags darauf zu setzen.", "Añade una foto o un vídeo para colocar etiquetas.", "Aggiungi una foto o un video per posizionarvi dei tag."))}</p> }.into_any(),
                Some((_, shown)) => view! {
                    <p id="stage-help" class="muted">{l.t(tr!(
                        "Cliquez sur la photo pour placer un tag, faites-le glisser pour le déplacer. Au clavier : flèches pour déplacer le tag choisi de 5 %, Maj ou Alt + flèche pour un pas fin de 1 %, Suppr pour le retirer.",
                        "Click the photo to place a tag, drag it to move it. With the keyboard: arrows move the focused tag by 5 %, Shift or Alt + arrow by a fine step of 1 %, Delete removes it.",
                        "Klicken Sie auf das Foto, um ein Tag zu setzen, ziehen Sie es, um es zu verschieben. Mit der Tastatur: Pfeiltasten verschieben das Tag um 5 %, Umschalt oder Alt + Pfeil in feinen Schritten von 1 %, Entf entfernt es.",
                        "Haz clic en la foto para colocar una etiqueta y arrástrala para moverla. Con el teclado: las flechas la mueven un 5 %, Mayús o Alt + flecha un paso fino del 1 %, Supr la quita.",
                        "Fai clic sulla foto per posizionare un tag, trascinalo per spostarlo. Con la tastiera: le frecce spostano il tag del 5 %, Maiusc o Alt + freccia di un passo fine dell'1 %, Canc lo rimuove."
                    ))}</p>
                    <Frame shown=shown.clone() />
                    <p>
                        <button type="button" id="add-tag" on:click=move |_| add_tag(None)>
                            {if shown.kind == MediaKind::Video {
                                l.t(tr!("Ajouter un tag à cet instant", "Add a tag at this moment", "Ein Tag zu diesem Zeitpunkt hinzufügen", "Añadir una etiqueta en este momento", "Aggiungi un tag in questo momento"))
                            } else {
                                l.t(tr!("Ajouter un tag au centre", "Add a tag in the centre", "Ein Tag in der Mitte hinzufügen", "Añadir una etiqueta en el centro", "Aggiungi un tag al centro"))
                            }}
                        </button>
                    </p>
                    <TagList />
                    <Inspector />
                }.into_any(),
            }}
        </section>
    }
}

/// The photo or video, with its tags at their places.
#[component]
fn Frame(shown: Slide) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let (session, l) = (editor.session, editor.lang());
    let index = session.slide.get_untracked();
    // A drag in progress: the tag and where it is, saved as one step when the pointer is up.
    let dragging: RwSignal<Option<(usize, (f64, f64))>> = RwSignal::new(None);
    let place = move |ev: leptos::ev::MouseEvent| {
        let Some(frame) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let (x, y) = fraction_at(&ev, &frame);
        place_tag(editor, index, Tag { at: Some(super::draft::clamp_point(x, y)), range: None, product: Product::None });
    };
    let media = match shown.kind {
        MediaKind::Photo => view! {
            <img id="slide-image" src=editor.ctx.api().absolute(&shown.image.url) alt=shown.image.alt.clone() width=shown.image.width height=shown.image.height on:click=place />
        }
        .into_any(),
        MediaKind::Video => view! {
            <video id="slide-video" src=editor.ctx.api().absolute(shown.video.as_deref().unwrap_or_default()) poster=editor.ctx.api().absolute(&shown.image.url) controls muted preload="auto"
                width=shown.image.width height=shown.image.height aria-label=shown.image.alt.clone()></video>
        }
        .into_any(),
    };
    let tags = move || {
        let tags = editor.draft(|d| d.slides.get(index).map(|s| s.tags.clone()).unwrap_or_default());
        tags.into_iter()
            .enumerate()
            .filter_map(|(n, tag)| tag.at.map(|at| (n, tag, at)))
            .map(|(n, tag, at)| {
                let shown_at = move || dragging.get().filter(|(d, _)| *d == n).map_or(at, |(_, p)| p);
                let label = move || {
                    let (x, y) = shown_at();
                    l.with(
                        tr!(
                            "Tag {} : {}, à {} % de la gauche et {} % du haut",
                            "Tag {}: {}, {} % from the left and {} % from the top",
                            "Tag {}: {}, {} % von links und {} % von oben",
                            "Etiqueta {}: {}, a {} % de la izquierda y {} % de arriba",
                            "Tag {}: {}, a {} % da sinistra e {} % dall'alto"
                        ),
                        &[&(n + 1).to_string(), &product_name(&tag.product, l), &percent(x), &percent(y)],
                    )
                };
                let keys = move |ev: leptos::ev::KeyboardEvent| {
                    let step = if ev.shift_key() || ev.alt_key() { FINE_STEP } else { STEP };
                    let (dx, dy) = match ev.key().as_str() {
                        "ArrowLeft" => (-step, 0.0),
                        "ArrowRight" => (step, 0.0),
                        "ArrowUp" => (0.0, -step),
                        "ArrowDown" => (0.0, step),
                        "Delete" | "Backspace" => {
                            ev.prevent_default();
                            remove_tag(editor, index, n);
                            return;
                        }
                        _ => return,
                    };
                    ev.prevent_default();
                    session.tag.set(Some(n));
                    if editor.edit(Edit::MoveTag(index, n, Some((at.0 + dx, at.1 + dy)))) {
                        let (x, y) = editor.draft(|d| d.slides[index].tags[n].at.unwrap_or_default());
                        editor.say(l.with(tr!("Tag {} : {} %, {} %.", "Tag {}: {} %, {} %.", "Tag {}: {} %, {} %.", "Etiqueta {}: {} %, {} %.", "Tag {}: {} %, {} %."), &[&(n + 1).to_string(), &percent(x), &percent(y)]));
                        focus_later(format!("tag-{n}"));
                    }
                };
                let down = move |ev: leptos::ev::PointerEvent| {
                    if ev.button() != 0 {
                        return;
                    }
                    session.tag.set(Some(n));
                    if let Some(target) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                        let _ = target.set_pointer_capture(ev.pointer_id());
                    }
                    dragging.set(Some((n, at)));
                };
                let moving = move |ev: leptos::ev::PointerEvent| {
                    if dragging.get_untracked().is_none_or(|(d, _)| d != n) {
                        return;
                    }
                    let frame = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|t| t.parent_element());
                    if let Some(frame) = frame {
                        let (x, y) = fraction_at(&ev, &frame);
                        dragging.set(Some((n, super::draft::clamp_point(x, y))));
                    }
                };
                let up = move |_: leptos::ev::PointerEvent| {
                    if let Some((d, to)) = dragging.get_untracked().filter(|(d, _)| *d == n) {
                        dragging.set(None);
                        // A click that wobbles a little does not move the tag.
                        if (to.0 - at.0).abs() + (to.1 - at.1).abs() > 0.005 {
                            editor.edit(Edit::MoveTag(index, d, Some(to)));
                        }
                    }
                };
                view! {
                    <button type="button" class="tag" id=format!("tag-{n}") aria-describedby="stage-help"
                        aria-label=label aria-pressed=move || (session.tag.get() == Some(n)).to_string()
                        style:left=move || format!("{}%", shown_at().0 * 100.0) style:top=move || format!("{}%", shown_at().1 * 100.0)
                        on:keydown=keys on:pointerdown=down on:pointermove=moving on:pointerup=up on:pointercancel=move |_| dragging.set(None)
                        on:click=move |_| session.tag.set(Some(n))>{n + 1}</button>
                }
            })
            .collect_view()
    };
    view! {
        <div class="frame" class:video=shown.kind == MediaKind::Video>
            {media}
            {tags}
        </div>
    }
}

fn remove_tag(editor: Editor, slide: usize, tag: usize) {
    let l = editor.lang();
    if editor.edit(Edit::RemoveTag(slide, tag)) {
        let left = editor.draft(|d| d.slides.get(slide).map_or(0, |s| s.tags.len()));
        let next = (left > 0).then(|| tag.min(left - 1));
        editor.session.tag.set(next);
        editor.say(l.with(
            tr!("Tag {} retiré.", "Tag {} removed.", "Tag {} entfernt.", "Etiqueta {} quitada.", "Tag {} rimosso."),
            &[&(tag + 1).to_string()],
        ));
        focus_later(next.map_or("add-tag".into(), |n| format!("tag-item-{n}")));
    }
}

/// Every tag of the slide, to choose one or remove it.
#[component]
fn TagList() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let (session, l) = (editor.session, editor.lang());
    let index = session.slide.get_untracked();
    let remove = tr!("Retirer", "Remove", "Entfernen", "Quitar", "Rimuovi");
    move || {
        let Some(shown) = editor.draft(|d| d.slides.get(index).cloned()) else { return ().into_any() };
        let count = shown.tags.len();
        view! {
            <p class="muted">{l.with(tr!("{} sur {} pour cette diapositive.", "{} of {} on this slide.", "{} von {} auf dieser Folie.", "{} de {} en esta diapositiva.", "{} di {} su questa slide."), &[&count.to_string(), &shown.limit().to_string()])}</p>
            <ol class="tag-list" aria-labelledby="stage-title">
                {shown.tags.iter().enumerate().map(|(n, tag)| {
                    let mut name = format!("{}. {}", n + 1, product_name(&tag.product, l));
                    if let Some((start, end)) = tag.range {
                        name.push_str(&format!(" ({} s – {} s)", seconds(start), seconds(end)));
                    }
                    view! {
                        <li>
                            <button type="button" class="link" id=format!("tag-item-{n}") aria-pressed=move || (session.tag.get() == Some(n)).to_string()
                                on:click=move |_| session.tag.set(Some(n))>{name}</button>
                            <button type="button" class="secondary small" aria-label=format!("{}{}{} {}", l.t(remove), l.colon(), l.t(tr!("tag", "tag", "Tag", "etiqueta", "tag")), n + 1)
                                on:click=move |_| remove_tag(editor, index, n)>{l.t(remove)}</button>
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
        .into_any()
    }
}

/// The selected tag's product, and on a video its time range and position.
#[component]
fn Inspector() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let session = editor.session;
    // Redrawn when another tag or kind of product is chosen, not as its fields are typed.
    let which = Memo::new(move |_| {
        let (slide, tag) = (session.slide.get(), session.tag.get()?);
        editor.draft(|d| d.slides.get(slide).and_then(|s| Some((slide, tag, s.kind, std::mem::discriminant(&s.tags.get(tag)?.product)))))
    });
    move || {
        let (slide, tag, kind, _) = which.get()?;
        let current = session.history.with_untracked(|h| h.draft().slides[slide].tags[tag].clone());
        Some(view! { <TagFields slide=slide tag=tag kind=kind current=current /> })
    }
}

#[component]
fn TagFields(slide: usize, tag: usize, kind: MediaKind, current: Tag) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let l = editor.lang();
    let is_link = matches!(current.product, Product::Link(_));
    let set_kind = move |link: bool| {
        let product = if link { Product::Link(LinkFields::default()) } else { Product::None };
        editor.edit(Edit::SetProduct(slide, tag, product));
    };
    view! {
        <fieldset class="inspector">
            <legend>{l.with(tr!("Tag {}", "Tag {}", "Tag {}", "Etiqueta {}", "Tag {}"), &[&(tag + 1).to_string()])}</legend>
            <div class="choice" role="radiogroup" aria-labelledby="kind-label">
                <span id="kind-label">{l.t(tr!("Produit", "Product", "Produkt", "Producto", "Prodotto"))}</span>
                <label><input type="radio" name="kind" value="catalog" checked=!is_link on:change=move |_| set_kind(false) />
                    " "{l.t(tr!("du catalogue de la boutique", "from the shop's catalog", "aus dem Katalog des Shops", "del catálogo de la tienda", "dal catalogo del negozio"))}</label>
                <label><input type="radio" name="kind" value="link" checked=is_link on:change=move |_| set_kind(true) />
                    " "{l.t(tr!("vendu ailleurs (lien sortant)", "sold elsewhere (link-out)", "anderswo verkauft (externer Link)", "vendido en otro sitio (enlace externo)", "venduto altrove (link esterno)"))}</label>
            </div>
            {match current.product.clone() {
                Product::Link(fields) => view! { <LinkForm slide=slide tag=tag fields=fields /> }.into_any(),
                _ => view! { <Search slide=slide tag=tag /> }.into_any(),
            }}
            {(kind == MediaKind::Video).then(|| view! { <TimeRange slide=slide tag=tag current=current.clone() /> })}
        </fieldset>
    }
}

/// The catalog search and the chosen product.
#[component]
fn Search(slide: usize, tag: usize) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let l = editor.lang();
    let results: RwSignal<Option<Result<Vec<ProductSummary>, String>>> = RwSignal::new(None);
    let asked = RwSignal::new(0u32);
    let search = move |query: String| {
        let seq = asked.get_untracked() + 1;
        asked.set(seq);
        leptos::task::spawn_local(async move {
            let answer = editor.ctx.api().get::<ProductList>(&format!("/v1/products?q={}&limit=8", encode(query.trim()))).await;
            // A newer search was started meanwhile (its answer counts), or the tag's fields are
            // gone (another tag or product kind was chosen): the answer is dropped.
            if asked.try_get_untracked() != Some(seq) {
                return;
            }
            results.try_set(Some(answer.map(|list| list.products).map_err(|failure| failure.text(l))));
        });
    };
    let pick = move |product: ProductSummary| {
        let title = product.title.clone();
        if editor.edit(Edit::SetProduct(slide, tag, Product::Catalog(product))) {
            editor.say(l.with(
                tr!("Tag {} : {}.", "Tag {}: {}.", "Tag {}: {}.", "Etiqueta {}: {}.", "Tag {}: {}."),
                &[&(tag + 1).to_string(), &title],
            ));
            focus_later(format!("tag-item-{tag}"));
        }
    };
    let chosen = move || match editor.draft(|d| d.slides.get(slide).and_then(|s| s.tags.get(tag)).map(|t| t.product.clone())) {
        Some(Product::Catalog(product)) => l.with(
            tr!(
                "Produit choisi : {}, {}",
                "Chosen product: {}, {}",
                "Gewähltes Produkt: {}, {}",
                "Producto elegido: {}, {}",
                "Prodotto scelto: {}, {}"
            ),
            &[&product.title, &format_money(&product.price, l)],
        ),
        _ => l
            .t(tr!(
                "Aucun produit choisi.",
                "No product chosen.",
                "Kein Produkt gewählt.",
                "Ningún producto elegido.",
                "Nessun prodotto scelto."
            ))
            .into(),
    };
    view! {
        <p class="chosen">{chosen}</p>
        <label for="search">{l.t(tr!("Chercher un produit", "Search for a product", "Ein Produkt suchen", "Buscar un producto", "Cerca un prodotto"))}</label>
        <input id="search" type="search" autocomplete="off" aria-controls="results"
            on:input=move |ev| search(event_target_value(&ev)) on:focus=move |ev| if results.get_untracked().is_none() { search(event_target_value(&ev)) } />
        <ul id="results" class="results" aria-live="polite">
            {move || match results.get() {
                None => ().into_any(),
                Some(Err(message)) => view! { <li class="error">{message}</li> }.into_any(),
                Some(Ok(products)) if products.is_empty() => view! { <li>{l.t(tr!("Aucun produit ne correspond.", "No product matches.", "Kein Produkt passt.", "Ningún producto coincide.", "Nessun prodotto corrisponde."))}</li> }.into_any(),
                Some(Ok(products)) => products.into_iter().map(|product| {
                    let price = format_money(&product.price, l);
                    let thumb = product.image_url.as_ref().map(|url| editor.ctx.api().absolute(url));
                    let title = product.title.clone();
                    view! {
                        <li><button type="button" class="result" on:click=move |_| pick(product.clone())>
                            {thumb.map(|src| view! { <img src=src alt="" width="32" height="32" /> })}
                            <span>{title}</span>" "<span class="price">{price}</span>
                        </button></li>
                    }
                }).collect_view().into_any(),
            }}
        </ul>
    }
}

/// A link-out product's fields, each with its problem once left.
#[component]
fn LinkForm(slide: usize, tag: usize, fields: LinkFields) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let l = editor.lang();
    let problems: RwSignal<[Option<String>; 3]> = RwSignal::new([None, None, None]);
    let check = move |which: usize| {
        let fields = editor.draft(|d| match d.slides.get(slide).and_then(|s| s.tags.get(tag)).map(|t| &t.product) {
            Some(Product::Link(fields)) => fields.clone(),
            _ => LinkFields::default(),
        });
        let problem = match which {
            0 => fields.title.trim().is_empty().then(|| {
                l.t(tr!(
                    "Indiquez le nom du produit.",
                    "Give the product's name.",
                    "Geben Sie den Produktnamen an.",
                    "Indica el nombre del producto.",
                    "Indica il nome del prodotto."
                ))
                .to_owned()
            }),
            1 => read_price(&fields.price).is_none().then(|| {
                l.with(
                    tr!(
                        "Écrivez le prix avec un point et le code de la devise, par exemple « 49.00 EUR » (pas « {} »).",
                        "Write the price with a dot and the currency code, e.g. “49.00 EUR” (not “{}”).",
                        "Schreiben Sie den Preis mit Punkt und Währungscode, z. B. „49.00 EUR“ (nicht „{}“).",
                        "Escribe el precio con punto y el código de la moneda, p. ej. «49.00 EUR» (no «{}»).",
                        "Scrivi il prezzo con il punto e il codice della valuta, ad es. «49.00 EUR» (non «{}»)."
                    ),
                    &[fields.price.trim()],
                )
            }),
            _ => (!shoppable_protocol::url::is_web_address(fields.url.trim())).then(|| {
                l.t(tr!(
                    "Seules les adresses http:// et https:// complètes sont acceptées.",
                    "Only complete http:// and https:// addresses are accepted.",
                    "Nur vollständige http://- und https://-Adressen werden akzeptiert.",
                    "Solo se aceptan direcciones http:// y https:// completas.",
                    "Sono accettati solo indirizzi http:// e https:// completi."
                ))
                .to_owned()
            }),
        };
        problems.update(|p| p[which] = problem);
    };
    let set = move |which: usize, value: String| {
        let mut fields = editor.draft(|d| match d.slides.get(slide).and_then(|s| s.tags.get(tag)).map(|t| &t.product) {
            Some(Product::Link(fields)) => fields.clone(),
            _ => LinkFields::default(),
        });
        match which {
            0 => fields.title = value,
            1 => fields.price = value,
            _ => fields.url = value,
        }
        editor.edit(Edit::SetProduct(slide, tag, Product::Link(fields)));
        // A field in error is checked again as it is typed, so its message goes once it is right.
        if problems.with_untracked(|p| p[which].is_some()) {
            check(which);
        }
    };
    let field = move |which: usize, id: &'static str, label: &'static str, value: String| {
        let error = format!("{id}-error");
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type="text" spellcheck="false" prop:value=value aria-describedby=error.clone()
                    aria-invalid=move || problems.with(|p| p[which].is_some()).to_string()
                    on:input=move |ev| set(which, event_target_value(&ev)) on:change=move |_| check(which) />
                <p id=error class="error">{move || problems.with(|p| p[which].clone())}</p>
            </div>
        }
    };
    view! {
        {field(0, "link-title", l.t(tr!("Nom du produit", "Product name", "Produktname", "Nombre del producto", "Nome del prodotto")), fields.title)}
        {field(1, "link-price", l.t(tr!("Prix (montant, espace, devise : 49.00 EUR)", "Price (amount, space, currency: 49.00 EUR)", "Preis (Betrag, Leerzeichen, Währung: 49.00 EUR)", "Precio (importe, espacio, moneda: 49.00 EUR)", "Prezzo (importo, spazio, valuta: 49.00 EUR)")), fields.price)}
        {field(2, "link-url", l.t(tr!("Adresse du produit (http ou https)", "Product address (http or https)", "Produktadresse (http oder https)", "Dirección del producto (http o https)", "Indirizzo del prodotto (http o https)")), fields.url)}
    }
}

/// A video tag's time range (scrubbed or typed) and its optional position.
#[component]
fn TimeRange(slide: usize, tag: usize, current: Tag) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let l = editor.lang();
    let initial = current.range.unwrap_or((0.0, VIDEO_TAG_SECONDS));
    let set = move |range: (f64, f64)| {
        if editor.edit(Edit::SetRange(slide, tag, range)) {
            editor.say(l.with(
                tr!(
                    "Tag {} : de {} s à {} s.",
                    "Tag {}: from {} s to {} s.",
                    "Tag {}: von {} s bis {} s.",
                    "Etiqueta {}: de {} s a {} s.",
                    "Tag {}: da {} s a {} s."
                ),
                &[&(tag + 1).to_string(), &seconds(range.0), &seconds(range.1)],
            ));
        }
    };
    let range = move || editor.draft(|d| d.slides.get(slide).and_then(|s| s.tags.get(tag)).and_then(|t| t.range)).unwrap_or(initial);
    let typed = move |ev: leptos::ev::Event, is_start: bool| {
        let Ok(value) = event_target_value(&ev).replace(',', ".").parse::<f64>() else { return };
        let (s, e) = range();
        set(if is_start { (value, e) } else { (s, value) });
    };
    let placed = current.at.is_some();
    view! {
        <div class="time-range">
            <div class="field">
                <label for="tag-start">{l.t(tr!("Début (secondes)", "Start (seconds)", "Beginn (Sekunden)", "Inicio (segundos)", "Inizio (secondi)"))}</label>
                <input id="tag-start" type="number" min="0" step="0.1" prop:value=move || seconds(range().0) on:change=move |ev| typed(ev, true) />
            </div>
            <button type="button" class="secondary" on:click=move |_| { let (_, e) = range(); set((video_time(), e)); }>
                {l.t(tr!("Début ici", "Start here", "Beginn hier", "Empieza aquí", "Inizio qui"))}
            </button>
            <div class="field">
                <label for="tag-end">{l.t(tr!("Fin (secondes)", "End (seconds)", "Ende (Sekunden)", "Fin (segundos)", "Fine (secondi)"))}</label>
                <input id="tag-end" type="number" min="0" step="0.1" prop:value=move || seconds(range().1) on:change=move |ev| typed(ev, false) />
            </div>
            <button type="button" class="secondary" on:click=move |_| { let (s, _) = range(); set((s, video_time())); }>
                {l.t(tr!("Fin ici", "End here", "Ende hier", "Termina aquí", "Fine qui"))}
            </button>
            <p class="muted">{l.t(tr!("« Début ici » et « Fin ici » prennent l'instant de la vidéo : lisez-la ou déplacez son curseur.", "“Start here” and “End here” take the video's current time: play it or move its slider.", "„Beginn hier“ und „Ende hier“ nehmen die aktuelle Zeit des Videos: Spielen Sie es ab oder bewegen Sie den Regler.", "«Empieza aquí» y «Termina aquí» toman el momento actual del vídeo: reprodúcelo o mueve su control.", "«Inizio qui» e «Fine qui» prendono il momento attuale del video: riproducilo o sposta il cursore."))}</p>
            <label class="check"><input type="checkbox" id="tag-placed" checked=placed
                on:change=move |ev| { let on = event_target_checked(&ev); editor.edit(Edit::MoveTag(slide, tag, on.then_some((0.5, 0.5)))); } />
                " "{l.t(tr!("Montrer le tag à un endroit de la vidéo (sinon, seulement dans la liste des produits)", "Show the tag at a point of the video (otherwise only in the product list)", "Das Tag an einer Stelle des Videos zeigen (sonst nur in der Produktliste)", "Mostrar la etiqueta en un punto del vídeo (si no, solo en la lista de productos)", "Mostra il tag in un punto del video (altrimenti solo nell'elenco dei prodotti)"))}</label>
        </div>
    }
}
