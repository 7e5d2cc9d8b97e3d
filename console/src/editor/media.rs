//! The post's slides: photos and videos uploaded to the shop (`POST /v1/admin/media`), their
//! order (moved up and down with buttons, so the keyboard can do it) and their text
//! alternatives.

use leptos::prelude::*;
use serde::Deserialize;
use shoppable_protocol::{Image, MediaKind};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::draft::{Edit, Slide};
use super::{Editor, focus_later};
use crate::{Failure, Lang};

/// What the shop answers for an upload.
#[derive(Deserialize)]
struct Uploaded {
    url: String,
}

const PHOTO_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/webp", "image/gif"];
const VIDEO_TYPES: [&str; 2] = ["video/mp4", "video/webm"];

/// Why a file did not become a slide.
enum Trouble {
    NotMedia,
    Unreadable,
    Shop(Failure),
}

/// Waits for `event` (or `error`) on `target`.
async fn once(target: &web_sys::EventTarget, event: &str) -> bool {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let ok = resolve.clone();
        let done = Closure::once_into_js(move || {
            let _ = ok.call1(&JsValue::NULL, &JsValue::TRUE);
        });
        let failed = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::FALSE);
        });
        let _ = target.add_event_listener_with_callback(event, done.unchecked_ref());
        let _ = target.add_event_listener_with_callback("error", failed.unchecked_ref());
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

/// Sends bytes to the shop; the absolute address it serves them at (posts are shown on other
/// sites).
async fn upload(editor: Editor, content_type: &str, body: JsValue) -> Result<String, Trouble> {
    let api = editor.ctx.api();
    let uploaded = api.post_raw::<Uploaded>("/v1/admin/media", content_type, body).await.map_err(Trouble::Shop)?;
    Ok(api.absolute(&uploaded.url))
}

/// The photo's size, read from the shop's copy.
async fn photo_slide(editor: Editor, file: web_sys::File) -> Result<Slide, Trouble> {
    let url = upload(editor, &file.type_(), file.into()).await?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| Trouble::Unreadable)?;
    image.set_src(&url);
    if !once(&image, "load").await {
        return Err(Trouble::Unreadable);
    }
    let image = Image { url, width: image.natural_width(), height: image.natural_height(), alt: String::new() };
    Ok(Slide { kind: MediaKind::Photo, image, video: None, tags: Vec::new() })
}

/// The video, and its first frame as its poster.
async fn video_slide(editor: Editor, file: web_sys::File) -> Result<Slide, Trouble> {
    let url = upload(editor, &file.type_(), file.into()).await?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or(Trouble::Unreadable)?;
    let video: web_sys::HtmlVideoElement =
        document.create_element("video").ok().and_then(|e| e.dyn_into().ok()).ok_or(Trouble::Unreadable)?;
    video.set_muted(true);
    video.set_cross_origin(Some("anonymous"));
    video.set_preload("auto");
    video.set_src(&url);
    if !once(&video, "loadeddata").await {
        return Err(Trouble::Unreadable);
    }
    let (width, height) = (video.video_width(), video.video_height());
    let canvas: web_sys::HtmlCanvasElement =
        document.create_element("canvas").ok().and_then(|e| e.dyn_into().ok()).ok_or(Trouble::Unreadable)?;
    canvas.set_width(width);
    canvas.set_height(height);
    let context = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        .ok_or(Trouble::Unreadable)?;
    context.draw_image_with_html_video_element(&video, 0.0, 0.0).map_err(|_| Trouble::Unreadable)?;
    // As a Blob: the console's Content-Security-Policy lets it fetch nothing but its shop.
    let blob = js_sys::Promise::new(&mut |resolve, _| {
        let done = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        let _ = canvas.to_blob_with_type(done.unchecked_ref(), "image/png");
    });
    let blob = wasm_bindgen_futures::JsFuture::from(blob).await.ok().filter(|b| !b.is_null()).ok_or(Trouble::Unreadable)?;
    let poster = upload(editor, "image/png", blob).await?;
    let image = Image { url: poster, width, height, alt: String::new() };
    Ok(Slide { kind: MediaKind::Video, image, video: Some(url), tags: Vec::new() })
}

fn trouble_text(trouble: Trouble, l: Lang) -> String {
    match trouble {
        Trouble::NotMedia => l
            .t(tr!(
                "Ce fichier n'est ni une photo PNG, JPEG, WebP ou GIF, ni une vidéo MP4 ou WebM.",
                "This file is neither a PNG, JPEG, WebP or GIF photo nor an MP4 or WebM video.",
                "Diese Datei ist weder ein PNG-, JPEG-, WebP- oder GIF-Foto noch ein MP4- oder WebM-Video.",
                "Este archivo no es ni una foto PNG, JPEG, WebP o GIF ni un vídeo MP4 o WebM.",
                "Questo file non è né una foto PNG, JPEG, WebP o GIF né un video MP4 o WebM."
            ))
            .into(),
        Trouble::Unreadable => l
            .t(tr!(
                "Le navigateur n'a pas pu lire ce fichier.",
                "The browser could not read this file.",
                "Der Browser konnte diese Datei nicht lesen.",
                "El navegador no ha podido leer este archivo.",
                "Il browser non è riuscito a leggere questo file."
            ))
            .into(),
        Trouble::Shop(failure) => failure.text(l),
    }
}

/// The list of slides, the upload field and the selected slide's text alternative.
#[component]
pub fn Slides() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let (session, l) = (editor.session, editor.lang());
    let busy = RwSignal::new(false);
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let add = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        // Refused before anything is sent: the limit is the draft's.
        if editor.draft(|d| d.slides.len()) >= shoppable_protocol::MAX_MEDIA {
            let text = super::refusal_text(super::draft::Refusal::TooManyMedia, l);
            problem.set(Some(text.clone()));
            editor.alert(text);
            return;
        }
        let kind = file.type_();
        busy.set(true);
        problem.set(None);
        editor.say(
            l.t(tr!(
                "Envoi à la boutique…",
                "Uploading to the shop…",
                "Wird in den Shop hochgeladen…",
                "Subiendo a la tienda…",
                "Caricamento nel negozio…"
            ))
            .into(),
        );
        leptos::task::spawn_local(async move {
            let slide = if PHOTO_TYPES.contains(&kind.as_str()) {
                photo_slide(editor, file).await
            } else if VIDEO_TYPES.contains(&kind.as_str()) {
                video_slide(editor, file).await
            } else {
                Err(Trouble::NotMedia)
            };
            // The field may be gone meanwhile (another view, a language switch): `try_`.
            busy.try_set(false);
            match slide {
                Ok(slide) => {
                    let video = slide.kind == MediaKind::Video;
                    if editor.edit(Edit::AddSlide(slide)) {
                        let last = editor.draft(|d| d.slides.len() - 1);
                        session.slide.set(last);
                        session.tag.set(None);
                        let text = if video {
                            tr!(
                                "Vidéo ajoutée : diapositive {}.",
                                "Video added: slide {}.",
                                "Video hinzugefügt: Folie {}.",
                                "Vídeo añadido: diapositiva {}.",
                                "Video aggiunto: slide {}."
                            )
                        } else {
                            tr!(
                                "Photo ajoutée : diapositive {}.",
                                "Photo added: slide {}.",
                                "Foto hinzugefügt: Folie {}.",
                                "Foto añadida: diapositiva {}.",
                                "Foto aggiunta: slide {}."
                            )
                        };
                        editor.say(l.with(text, &[&(last + 1).to_string()]));
                    }
                }
                Err(Trouble::Shop(failure)) if editor.ctx.refused(&failure) => {}
                Err(trouble) => {
                    let text = trouble_text(trouble, l);
                    problem.try_set(Some(text.clone()));
                    editor.alert(text);
                }
            }
        });
    };
    let move_slide = move |index: usize, by: isize| {
        if editor.edit(Edit::MoveSlide(index, by)) {
            let to = index.saturating_add_signed(by);
            session.slide.set(to);
            session.tag.set(None);
            let button = if by < 0 { "up" } else { "down" };
            // The focus follows the slide; at an end, to its other button.
            let at_end = (by < 0 && to == 0) || (by > 0 && to + 1 == editor.draft(|d| d.slides.len()));
            let button = if at_end { if by < 0 { "down" } else { "up" } } else { button };
            focus_later(format!("slide-{button}-{to}"));
        }
    };
    let remove = move |index: usize| {
        if editor.edit(Edit::RemoveSlide(index)) {
            editor.settle();
            session.tag.set(None);
            editor.say(l.with(
                tr!("Diapositive {} retirée.", "Slide {} removed.", "Folie {} entfernt.", "Diapositiva {} eliminada.", "Slide {} rimossa."),
                &[&(index + 1).to_string()],
            ));
        }
    };
    let up = tr!("Monter", "Move up", "Nach oben", "Subir", "Sposta su");
    let down = tr!("Descendre", "Move down", "Nach unten", "Bajar", "Sposta giù");
    let remove_text = tr!("Retirer", "Remove", "Entfernen", "Quitar", "Rimuovi");
    // The button's words first, then which slide: the name contains what is seen.
    let named = move |action: crate::Tr, number: &str| {
        format!("{}{}{} {number}", l.t(action), l.colon(), l.t(tr!("diapositive", "slide", "Folie", "diapositiva", "slide")))
    };
    let has_slide = Memo::new(move |_| editor.draft(|d| d.slides.len()) > session.slide.get());
    view! {
        <section class="slides" aria-labelledby="slides-title">
            <h3 id="slides-title">{l.t(tr!("Photos et vidéos", "Photos and videos", "Fotos und Videos", "Fotos y vídeos", "Foto e video"))}</h3>
            <div class="field">
                <label for="media-file">{l.t(tr!("Ajouter une photo ou une vidéo", "Add a photo or a video", "Ein Foto oder Video hinzufügen", "Añadir una foto o un vídeo", "Aggiungi una foto o un video"))}</label>
                <input id="media-file" type="file" accept="image/png,image/jpeg,image/webp,image/gif,video/mp4,video/webm"
                    aria-describedby="media-hint media-error" disabled=move || busy.get() on:change=add />
                <p id="media-hint" class="muted">{l.with(tr!("Jusqu'à {} photos et vidéos ; 5 tags par photo, 20 par publication.", "Up to {} photos and videos; 5 tags per photo, 20 per post.", "Bis zu {} Fotos und Videos; 5 Tags pro Foto, 20 pro Beitrag.", "Hasta {} fotos y vídeos; 5 etiquetas por foto, 20 por publicación.", "Fino a {} foto e video; 5 tag per foto, 20 per post."), &[&shoppable_protocol::MAX_MEDIA.to_string()])}</p>
                <p id="media-error" class="error">{move || problem.get()}</p>
            </div>
            <ol class="slide-list">
                {move || {
                    let slides = editor.draft(|d| d.slides.clone());
                    let count = slides.len();
                    slides.into_iter().enumerate().map(|(index, slide)| {
                        let number = (index + 1).to_string();
                        let kind = if slide.kind == MediaKind::Video { l.t(tr!("vidéo", "video", "Video", "vídeo", "video")) } else { l.t(tr!("photo", "photo", "Foto", "foto", "foto")) };
                        let tags = l.counted(slide.tags.len() as u32, [("tag", "tags"), ("tag", "tags"), ("Tag", "Tags"), ("etiqueta", "etiquetas"), ("tag", "tag")]);
                        let name = format!("{number}. {kind}, {tags}");
                        view! {
                            <li class:current=move || session.slide.get() == index>
                                <img src=editor.ctx.api().absolute(&slide.image.url) alt="" width="48" height="48" />
                                <button type="button" class="link" id=format!("slide-{index}")
                                    aria-pressed=move || (session.slide.get() == index).to_string()
                                    on:click=move |_| { session.slide.set(index); session.tag.set(None); }>{name}</button>
                                <button type="button" class="secondary small" id=format!("slide-up-{index}") disabled=index == 0
                                    aria-label=named(up, &number) on:click=move |_| move_slide(index, -1)>{l.t(up)}</button>
                                <button type="button" class="secondary small" id=format!("slide-down-{index}") disabled=index + 1 == count
                                    aria-label=named(down, &number) on:click=move |_| move_slide(index, 1)>{l.t(down)}</button>
                                <button type="button" class="secondary small"
                                    aria-label=named(remove_text, &number) on:click=move |_| remove(index)>{l.t(remove_text)}</button>
                            </li>
                        }
                    }).collect_view()
                }}
            </ol>
            {move || has_slide.get().then(|| {
                let slide = session.slide.get();
                view! {
                    <div class="field">
                        <label for="slide-alt">{l.with(tr!("Description de la diapositive {} (texte alternatif)", "Description of slide {} (alternative text)", "Beschreibung der Folie {} (Alternativtext)", "Descripción de la diapositiva {} (texto alternativo)", "Descrizione della slide {} (testo alternativo)"), &[&(slide + 1).to_string()])}</label>
                        <input id="slide-alt" type="text" prop:value=move || editor.draft(|d| d.slides.get(slide).map(|s| s.image.alt.clone()).unwrap_or_default())
                            on:input=move |ev| { editor.edit(Edit::SetAlt(slide, event_target_value(&ev))); } />
                    </div>
                }
            })}
        </section>
    }
}
