//! The code to paste into a page once the post is saved: the widget with this console's own
//! backend, and the post's first photo marked with its id; and the saved post as that code
//! shows it, by the real widget on this page.

use leptos::prelude::*;

use super::Editor;

/// Escapes text for a double-quoted HTML attribute value.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The embed code of post `id`, whose first photo is `image`, served by the backend at `api`,
/// with the widget at `widget`.
pub fn code(id: &str, image: &shoppable_protocol::Image, api: &str, widget: &str, locale: &str) -> String {
    format!(
        "<script src=\"{}\" data-api=\"{}/\" data-locale=\"{}\" defer></script>\n<img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"{}\" data-shoppable-post=\"{}\">",
        attribute(widget),
        attribute(api),
        attribute(locale),
        attribute(&image.url),
        image.width,
        image.height,
        attribute(&image.alt),
        attribute(id),
    )
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
        let image = editor.draft(|d| d.slides.first().map(|s| s.image.clone()))?;
        let api = editor.ctx.api();
        Some(code(&id, &image, api.base(), &widget_url(), l.code()))
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

/// Adds the widget's loader to the console once, set to the console's backend: it mounts the
/// preview's marked image as it would on a blog.
fn load_widget(api: &str, locale: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if document.get_element_by_id("shoppable-widget").is_some() {
        return;
    }
    let Ok(script) = document.create_element("script") else { return };
    for (name, value) in [("id", "shoppable-widget"), ("src", &widget_url()), ("data-api", &format!("{api}/")), ("data-locale", locale)] {
        let _ = script.set_attribute(name, value);
    }
    if let Some(head) = document.head() {
        let _ = head.append_child(&script);
    }
}

/// The saved post's first photo, with its tags drawn by the widget.
#[component]
pub fn Preview() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let (session, l) = (editor.session, editor.lang());
    // Drawn again at each save (the post changed) or change of first photo, not at each edit.
    let first = Memo::new(move |_| editor.draft(|d| d.slides.first().map(|s| s.image.clone())));
    move || {
        let id = session.saved.get()?;
        let image = first.get()?;
        let api = editor.ctx.api();
        load_widget(api.base(), l.code());
        Some(view! {
            <section class="preview" aria-labelledby="preview-title">
                <h3 id="preview-title">{l.t(tr!("Aperçu avec le widget", "Preview with the widget", "Vorschau mit dem Widget", "Vista previa con el widget", "Anteprima con il widget"))}</h3>
                <img src=api.absolute(&image.url) width=image.width height=image.height alt=image.alt data-shoppable-post=id />
            </section>
        })
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
        let code = code("look-1", &image, "https://shop.example", "https://shop.example/pkg/shoppable.js", "de");
        assert_eq!(
            code,
            "<script src=\"https://shop.example/pkg/shoppable.js\" data-api=\"https://shop.example/\" data-locale=\"de\" defer></script>\n\
             <img src=\"https://shop.example/v1/media/a.png\" width=\"600\" height=\"400\" alt=\"&quot;Café&quot; &lt;b&gt;\" data-shoppable-post=\"look-1\">"
        );
    }
}
