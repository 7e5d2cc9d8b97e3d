//! The code to paste into a page once the post is saved: the widget with this console's own
//! backend, and the post marked with its id; and the draft as that code will show it, unsaved
//! edits included, by the real widget on this page.

use leptos::prelude::*;
use shoppable_protocol::{MediaKind, Post};

use super::draft::Draft;
use super::{Editor, unsavable_text};
use crate::after;

/// Escapes text for a double-quoted HTML attribute value.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The embed code of post `id`, whose first photo is `image`, served by the backend at `api`,
/// with the widget at `widget`. A post of several media or a video (`whole`) is a
/// `<shoppable-post>`, drawn whole by the widget, its photo shown until then; one photo is the
/// photo itself, marked.
pub fn code(id: &str, image: &shoppable_protocol::Image, whole: bool, api: &str, widget: &str, locale: &str) -> String {
    let script = format!(
        "<script src=\"{}\" data-api=\"{}/\" data-locale=\"{}\" defer></script>",
        attribute(widget),
        attribute(api),
        attribute(locale)
    );
    let photo = format!(
        "<img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"{}\"",
        attribute(&image.url),
        image.width,
        image.height,
        attribute(&image.alt)
    );
    if whole {
        format!("{script}\n<shoppable-post post=\"{}\">{photo}></shoppable-post>", attribute(id))
    } else {
        format!("{script}\n{photo} data-shoppable-post=\"{}\">", attribute(id))
    }
}

/// Whether the widget shows `draft` as a carousel or a video rather than a photo.
fn is_whole(draft: &Draft) -> bool {
    draft.slides.len() > 1 || draft.slides.first().is_some_and(|s| s.kind == MediaKind::Video)
}

/// The widget's loader, next to the console's files (`/pkg/shoppable.js` on the reference
/// server).
fn widget_url() -> String {
    let page = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    web_sys::Url::new_with_base("../pkg/shoppable.js", &page).map(|u| u.href()).unwrap_or_default()
}

#[component]
pub fn Snippet() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let (session, l) = (editor.session, editor.lang());
    let snippet = move || {
        let id = session.saved.get()?;
        let (image, whole) = editor.draft(|d| Some((d.slides.first()?.image.clone(), is_whole(d))))?;
        let api = editor.ctx.api();
        Some(code(&id, &image, whole, api.base(), &widget_url(), l.code()))
    };
    let copy = move |_| {
        let Some(text) = snippet() else { return };
        let Some(window) = web_sys::window() else { return };
        let promise = window.navigator().clipboard().write_text(&text);
        leptos::task::spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
                editor.say(l.t(tr!("Code copié.", "Code copied.", "Code kopiert.", "Código copiado.", "Codice copiato.")).into());
            } else {
                editor.alert(
                    l.t(tr!(
                        "La copie a échoué : sélectionnez le code et copiez-le.",
                        "Copying failed: select the code and copy it.",
                        "Kopieren fehlgeschlagen: Markieren und kopieren Sie den Code.",
                        "La copia ha fallado: selecciona el código y cópialo.",
                        "La copia non è riuscita: seleziona il codice e copialo."
                    ))
                    .into(),
                );
            }
        });
    };
    view! {
        <section class="snippet" aria-labelledby="snippet-title">
            <h3 id="snippet-title">{l.t(tr!("Code à coller", "Code to paste", "Einzufügender Code", "Código para pegar", "Codice da incollare"))}</h3>
            {move || match snippet() {
                None => view! { <p class="muted">{l.t(tr!("Le code apparaît une fois la publication enregistrée.", "The code appears once the post is saved.", "Der Code erscheint, sobald der Beitrag gespeichert ist.", "El código aparece una vez guardada la publicación.", "Il codice appare una volta salvato il post."))}</p> }.into_any(),
                Some(text) => view! {
                    <label for="snippet">{l.t(tr!("Code HTML", "HTML code", "HTML-Code", "Código HTML", "Codice HTML"))}</label>
                    <textarea id="snippet" rows="4" readonly spellcheck="false" prop:value=text></textarea>
                    <p><button type="button" id="copy" on:click=copy>{l.t(tr!("Copier le code", "Copy the code", "Code kopieren", "Copiar el código", "Copia il codice"))}</button></p>
                }.into_any(),
            }}
        </section>
    }
}

/// Adds the widget's loader to the console once, set to the console's backend, without
/// insights (the shop owner's looks are no shopper's): it draws the preview as on a blog.
fn load_widget(api: &str, locale: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if document.get_element_by_id("shoppable-widget").is_some() {
        return;
    }
    let Ok(script) = document.create_element("script") else { return };
    let attributes = [
        ("id", "shoppable-widget"),
        ("src", &widget_url()),
        ("data-api", &format!("{api}/")),
        ("data-locale", locale),
        ("data-analytics", "off"),
    ];
    for (name, value) in attributes {
        let _ = script.set_attribute(name, value);
    }
    if let Some(head) = document.head() {
        let _ = head.append_child(&script);
    }
}

/// Milliseconds without an edit before the preview is made again.
const PREVIEW_PAUSE_MS: i32 = 400;

/// The draft as the widget will show it, unsaved edits included: after each pause in the
/// editing, the shop keeps it as a short-lived preview (`POST /v1/admin/previews`, checked by
/// the rules of saving, never published) that the widget draws here; a draft that breaks a
/// rule says which instead.
#[component]
pub fn Preview() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let (ctx, l) = (editor.ctx, editor.lang());
    // Changes with the post only, not with what is selected.
    let input = Memo::new(move |_| editor.draft(Draft::post_input));
    let shown: RwSignal<Option<String>> = RwSignal::new(None);
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    // Each change of the draft is a newer request: a late answer to an older one is dropped.
    let latest = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let input = input.get();
        latest.update_value(|n| *n += 1);
        let asked = latest.get_value();
        let input = match input {
            Ok(input) => input,
            Err(unsavable) => {
                shown.set(None);
                problem.set(Some(unsavable_text(&unsavable, l)));
                return;
            }
        };
        let current = move || latest.try_get_value() == Some(asked);
        after(PREVIEW_PAUSE_MS, move || {
            if !current() {
                return;
            }
            leptos::task::spawn_local(async move {
                let answer = ctx.api().post::<Post>("/v1/admin/previews", &input).await;
                if !current() {
                    return;
                }
                match answer {
                    // The view may be gone meanwhile (another view, a language switch): `try_`.
                    Ok(post) => {
                        problem.try_set(None);
                        shown.try_set(Some(post.id));
                    }
                    Err(failure) if ctx.refused(&failure) => {}
                    Err(failure) => {
                        shown.try_set(None);
                        problem.try_set(Some(failure.text(l)));
                    }
                }
            });
        });
    });
    load_widget(ctx.api().base(), l.code());
    view! {
        <section class="preview" aria-labelledby="preview-title">
            <h3 id="preview-title">{l.t(tr!("Aperçu avec le widget", "Preview with the widget", "Vorschau mit dem Widget", "Vista previa con el widget", "Anteprima con il widget"))}</h3>
            <p class="muted">{l.t(tr!(
                "Le brouillon tel que le widget le montrera, modifications non enregistrées comprises ; il n'est pas publié.",
                "The draft as the widget will show it, unsaved changes included; it is not published.",
                "Der Entwurf, wie das Widget ihn zeigen wird, mit nicht gespeicherten Änderungen; er wird nicht veröffentlicht.",
                "El borrador tal como lo mostrará el widget, con los cambios sin guardar; no se publica.",
                "La bozza come la mostrerà il widget, modifiche non salvate comprese; non è pubblicata."
            ))}</p>
            <p id="preview-problem" class="error">{move || problem.get()}</p>
            {move || shown.get().map(|id| view! { <shoppable-post post=id></shoppable-post> })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_names_the_post_and_the_backend_and_escapes_what_it_quotes() {
        let image = shoppable_protocol::Image {
            url: "https://shop.example/v1/media/a.png".into(),
            width: 600,
            height: 400,
            alt: "\"Café\" <b>".into(),
        };
        let script =
            "<script src=\"https://shop.example/pkg/shoppable.js\" data-api=\"https://shop.example/\" data-locale=\"de\" defer></script>";
        let photo = "<img src=\"https://shop.example/v1/media/a.png\" width=\"600\" height=\"400\" alt=\"&quot;Café&quot; &lt;b&gt;\"";
        let code_of = |whole| code("look-1", &image, whole, "https://shop.example", "https://shop.example/pkg/shoppable.js", "de");
        assert_eq!(code_of(false), format!("{script}\n{photo} data-shoppable-post=\"look-1\">"));
        assert_eq!(code_of(true), format!("{script}\n<shoppable-post post=\"look-1\">{photo}></shoppable-post>"));
    }
}
