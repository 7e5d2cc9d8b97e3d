//! The tag editor: `#/posts/new` and `#/posts/<id>`. A post of up to ten photos and videos,
//! each with its own tags, built with the pointer or the keyboard alone, kept as a draft on
//! this device until it is saved, then the embed snippet to copy.
//!
//! One [`Session`] owns the draft and its history (`draft::History`) for the console's life,
//! so a language switch keeps the work; the views read it through the [`Editor`] context.

mod draft;
mod media;
mod snippet;
mod tags;

use leptos::prelude::*;
use shoppable_protocol::Post;
use wasm_bindgen::prelude::*;

use crate::api::encode;
use crate::{Ctx, Lang, focus_heading};
use draft::{Draft, Edit, History, Refusal, Unsavable};

const DRAFT_KEY: &str = "shoppable-console:draft:";

/// The draft being edited, the post it belongs to and what is selected, kept while the console
/// is open.
#[derive(Clone, Copy)]
pub struct Session {
    /// The post's id, or "new": whose draft `history` holds.
    key: RwSignal<Option<String>>,
    history: RwSignal<History>,
    /// A kept draft was restored when the editor opened.
    restored: RwSignal<bool>,
    /// The id of the post as last saved, for the snippet.
    saved: RwSignal<Option<String>>,
    slide: RwSignal<usize>,
    tag: RwSignal<Option<usize>>,
    /// The last message, kept when a saved new post moves to its own address.
    message: RwSignal<Option<Message>>,
}

impl Session {
    pub fn new() -> Session {
        Session {
            key: RwSignal::new(None),
            history: RwSignal::new(History::new(Draft::default())),
            restored: RwSignal::new(false),
            saved: RwSignal::new(None),
            slide: RwSignal::new(0),
            tag: RwSignal::new(None),
            message: RwSignal::new(None),
        }
    }
}

/// A message of the editor: read out politely, or at once when `urgent`.
#[derive(Debug, Clone, PartialEq)]
struct Message {
    text: String,
    urgent: bool,
}

/// What the editor's views share.
#[derive(Clone, Copy)]
pub(crate) struct Editor {
    ctx: Ctx,
    session: Session,
}

impl Editor {
    fn lang(&self) -> Lang {
        self.ctx.lang
    }

    fn say(&self, text: String) {
        self.session.message.set(Some(Message { text, urgent: false }));
    }

    fn alert(&self, text: String) {
        self.session.message.set(Some(Message { text, urgent: true }));
    }

    fn draft<T>(&self, read: impl FnOnce(&Draft) -> T) -> T {
        self.session.history.with(|h| read(h.draft()))
    }

    /// Applies `edit` and keeps the draft; a refusal is said, and nothing changes.
    fn edit(&self, edit: Edit) -> bool {
        match self.session.history.try_update(|h| h.apply(edit)) {
            Some(Ok(())) => {
                self.keep();
                true
            }
            Some(Err(refusal)) => {
                self.alert(refusal_text(refusal, self.lang()));
                false
            }
            None => false,
        }
    }

    fn undo(&self) {
        let l = self.lang();
        if self.session.history.try_update(History::undo).unwrap_or(false) {
            self.settle();
            self.say(
                l.t(tr!(
                    "Modification défaite.",
                    "Change undone.",
                    "Änderung rückgängig gemacht.",
                    "Cambio deshecho.",
                    "Modifica annullata."
                ))
                .into(),
            );
        } else {
            self.say(
                l.t(tr!(
                    "Rien à défaire.",
                    "Nothing to undo.",
                    "Nichts rückgängig zu machen.",
                    "Nada que deshacer.",
                    "Niente da annullare."
                ))
                .into(),
            );
        }
    }

    fn redo(&self) {
        let l = self.lang();
        if self.session.history.try_update(History::redo).unwrap_or(false) {
            self.settle();
            self.say(
                l.t(tr!(
                    "Modification refaite.",
                    "Change redone.",
                    "Änderung wiederhergestellt.",
                    "Cambio rehecho.",
                    "Modifica ripristinata."
                ))
                .into(),
            );
        } else {
            self.say(
                l.t(tr!(
                    "Rien à refaire.",
                    "Nothing to redo.",
                    "Nichts wiederherzustellen.",
                    "Nada que rehacer.",
                    "Niente da ripristinare."
                ))
                .into(),
            );
        }
    }

    /// After undo or redo: the selection stays within the draft, which is kept.
    fn settle(&self) {
        let (slides, tags) = self.draft(|d| {
            let slide = self.session.slide.get_untracked().min(d.slides.len().saturating_sub(1));
            (d.slides.len(), d.slides.get(slide).map_or(0, |s| s.tags.len()))
        });
        self.session.slide.update(|s| *s = (*s).min(slides.saturating_sub(1)));
        self.session.tag.update(|t| *t = t.filter(|t| *t < tags));
        self.keep();
    }

    /// Writes the draft to this device, so a reload loses nothing.
    fn keep(&self) {
        let Some(key) = self.session.key.get_untracked() else { return };
        let json = self.draft(|d| serde_json::to_string(d).unwrap_or_default());
        if let Some(storage) = local() {
            let _ = storage.set_item(&format!("{DRAFT_KEY}{key}"), &json);
        }
    }

    fn forget_kept(&self) {
        if let (Some(key), Some(storage)) = (self.session.key.get_untracked(), local()) {
            let _ = storage.remove_item(&format!("{DRAFT_KEY}{key}"));
        }
    }
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn kept_draft(key: &str) -> Option<Draft> {
    let json = local()?.get_item(&format!("{DRAFT_KEY}{key}")).ok()??;
    serde_json::from_str(&json).ok()
}

fn refusal_text(refusal: Refusal, l: Lang) -> String {
    match refusal {
        Refusal::TooManyMedia => l.with(
            tr!(
                "Une publication a au plus {} photos et vidéos.",
                "A post has at most {} photos and videos.",
                "Ein Beitrag hat höchstens {} Fotos und Videos.",
                "Una publicación tiene como máximo {} fotos y vídeos.",
                "Un post ha al massimo {} foto e video."
            ),
            &[&shoppable_protocol::MAX_MEDIA.to_string()],
        ),
        Refusal::TooManyTagsOnPhoto => l.with(
            tr!(
                "Une photo a au plus {} tags.",
                "A photo has at most {} tags.",
                "Ein Foto hat höchstens {} Tags.",
                "Una foto tiene como máximo {} etiquetas.",
                "Una foto ha al massimo {} tag."
            ),
            &[&shoppable_protocol::MAX_TAGS_PER_PHOTO.to_string()],
        ),
        Refusal::TooManyTagsInPost => l.with(
            tr!(
                "Une publication a au plus {} tags en tout.",
                "A post has at most {} tags in all.",
                "Ein Beitrag hat insgesamt höchstens {} Tags.",
                "Una publicación tiene como máximo {} etiquetas en total.",
                "Un post ha al massimo {} tag in tutto."
            ),
            &[&shoppable_protocol::MAX_TAGS_PER_POST.to_string()],
        ),
        Refusal::Gone => l
            .t(tr!(
                "Cet élément n'existe plus.",
                "This item no longer exists.",
                "Dieses Element existiert nicht mehr.",
                "Este elemento ya no existe.",
                "Questo elemento non esiste più."
            ))
            .into(),
    }
}

fn unsavable_text(problem: &Unsavable, l: Lang) -> String {
    let tag = |slide: &usize, tag: &usize| [(slide + 1).to_string(), (tag + 1).to_string()];
    match problem {
        Unsavable::BadId => l
            .t(tr!(
                "L'identifiant a de 1 à 100 lettres, chiffres, « - », « _ » ou « . ».",
                "The id has 1 to 100 letters, digits, “-”, “_” or “.”.",
                "Die ID hat 1 bis 100 Buchstaben, Ziffern, „-“, „_“ oder „.“.",
                "El id tiene de 1 a 100 letras, cifras, «-», «_» o «.».",
                "L'id ha da 1 a 100 lettere, cifre, «-», «_» o «.»."
            ))
            .into(),
        Unsavable::NoMedia => l
            .t(tr!(
                "Ajoutez d'abord une photo ou une vidéo.",
                "Add a photo or a video first.",
                "Fügen Sie zuerst ein Foto oder ein Video hinzu.",
                "Añade primero una foto o un vídeo.",
                "Aggiungi prima una foto o un video."
            ))
            .into(),
        Unsavable::NoProduct(s, t) => {
            let [s, t] = tag(s, t);
            l.with(
                tr!(
                    "Diapositive {}, tag {} : choisissez un produit.",
                    "Slide {}, tag {}: choose a product.",
                    "Folie {}, Tag {}: Wählen Sie ein Produkt.",
                    "Diapositiva {}, etiqueta {}: elige un producto.",
                    "Slide {}, tag {}: scegli un prodotto."
                ),
                &[&s, &t],
            )
        }
        Unsavable::BadPrice(s, t) => {
            let [s, t] = tag(s, t);
            l.with(
                tr!(
                    "Diapositive {}, tag {} : écrivez le prix avec un point et la devise, par exemple 49.00 EUR.",
                    "Slide {}, tag {}: write the price with a dot and the currency, e.g. 49.00 EUR.",
                    "Folie {}, Tag {}: Schreiben Sie den Preis mit Punkt und Währung, z. B. 49.00 EUR.",
                    "Diapositiva {}, etiqueta {}: escribe el precio con punto y la moneda, p. ej. 49.00 EUR.",
                    "Slide {}, tag {}: scrivi il prezzo con il punto e la valuta, ad es. 49.00 EUR."
                ),
                &[&s, &t],
            )
        }
        Unsavable::Rule(problem) => format!(
            "{} ({}){}{}",
            l.t(tr!("Valeur refusée", "Value refused", "Wert abgelehnt", "Valor rechazado", "Valore rifiutato")),
            problem.field,
            l.colon(),
            problem.message
        ),
    }
}

/// Focuses the element with `id` once it is drawn (a new tag's button, a moved slide's).
fn focus_later(id: String) {
    crate::focus_when_drawn(move |document| document.get_element_by_id(&id));
}

/// Starts editing `key` ("new" or a post's id): its kept draft if there is one (said, with a
/// way to discard it), else the saved post, else nothing.
fn open(editor: Editor, key: String) {
    let session = editor.session;
    if session.key.get_untracked().as_deref() == Some(key.as_str()) {
        return;
    }
    session.key.set(Some(key.clone()));
    session.saved.set((key != "new").then(|| key.clone()));
    session.slide.set(0);
    session.tag.set(None);
    session.message.set(None);
    match kept_draft(&key) {
        Some(draft) => {
            session.history.set(History::new(draft));
            session.restored.set(true);
        }
        None => {
            session.restored.set(false);
            load(editor, key);
        }
    }
}

/// The post as saved (or an empty draft for a new one), replacing the draft.
fn load(editor: Editor, key: String) {
    let session = editor.session;
    if key == "new" {
        session.history.set(History::new(Draft::default()));
        return;
    }
    session.history.set(History::new(Draft { id: key.clone(), slides: Vec::new() }));
    leptos::task::spawn_local(async move {
        match editor.ctx.api().get::<Post>(&format!("/v1/posts/{}", encode(&key))).await {
            Ok(post) if session.key.get_untracked().as_deref() == Some(key.as_str()) => {
                session.history.set(History::new(Draft::from_post(&post)));
            }
            Ok(_) => {}
            Err(failure) if editor.ctx.refused(&failure) => {}
            Err(failure) => editor.alert(failure.text(editor.lang())),
        }
    });
}

/// `#/posts/new` (`id` None) and `#/posts/<id>`.
pub fn page(ctx: Ctx, session: Session, id: Option<String>) -> impl IntoView {
    let l = ctx.lang;
    let editor = Editor { ctx, session };
    provide_context(editor);
    open(editor, id.clone().unwrap_or_else(|| "new".into()));
    focus_heading();
    let is_new = id.is_none();
    let heading = match &id {
        None => l.t(tr!("Nouvelle publication", "New post", "Neuer Beitrag", "Nueva publicación", "Nuovo post")).to_owned(),
        Some(id) => format!("{}{}{id}", l.t(tr!("Publication", "Post", "Beitrag", "Publicación", "Post")), l.colon()),
    };
    let discard = move |_| {
        editor.forget_kept();
        session.restored.set(false);
        session.slide.set(0);
        session.tag.set(None);
        load(editor, session.key.get_untracked().unwrap_or_else(|| "new".into()));
        editor.say(
            l.t(tr!("Brouillon abandonné.", "Draft discarded.", "Entwurf verworfen.", "Borrador descartado.", "Bozza scartata.")).into(),
        );
    };
    // Ctrl+Z and Ctrl+Shift+Z (or Ctrl+Y) anywhere in the editor but in a text field, which
    // keeps its own undo.
    let shortcuts = move |ev: leptos::ev::KeyboardEvent| {
        if !(ev.ctrl_key() || ev.meta_key()) {
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|input| !matches!(input.type_().as_str(), "radio" | "checkbox" | "file" | "button"));
        if typing {
            return;
        }
        match (ev.key().to_ascii_lowercase().as_str(), ev.shift_key()) {
            ("z", false) => {
                ev.prevent_default();
                editor.undo();
            }
            ("z", true) | ("y", false) => {
                ev.prevent_default();
                editor.redo();
            }
            _ => {}
        }
    };
    view! {
        <div class="editor" on:keydown=shortcuts>
            <h2 tabindex="-1">{heading}</h2>
            <p><a href="#/posts">{l.t(tr!("← Toutes les publications", "← All posts", "← Alle Beiträge", "← Todas las publicaciones", "← Tutti i post"))}</a></p>
            {move || session.restored.get().then(|| view! {
                <p class="notice" role="status">
                    {l.t(tr!("Brouillon restauré : vos modifications non enregistrées de cet appareil sont reprises.", "Draft restored: your unsaved changes on this device are back.", "Entwurf wiederhergestellt: Ihre nicht gespeicherten Änderungen auf diesem Gerät sind zurück.", "Borrador restaurado: tus cambios sin guardar en este dispositivo han vuelto.", "Bozza ripristinata: le modifiche non salvate su questo dispositivo sono tornate."))}
                    " "
                    <button type="button" class="secondary" on:click=discard>{l.t(tr!("Abandonner le brouillon", "Discard the draft", "Entwurf verwerfen", "Descartar el borrador", "Scarta la bozza"))}</button>
                </p>
            })}
            <p class="live" role="status">{move || session.message.get().filter(|m| !m.urgent).map(|m| m.text)}</p>
            <p class="live error" role="alert">{move || session.message.get().filter(|m| m.urgent).map(|m| m.text)}</p>
            <div class="editor-tools">
                <button type="button" class="secondary" aria-keyshortcuts="Control+Z"
                    disabled=move || !session.history.with(History::can_undo) on:click=move |_| editor.undo()>
                    {l.t(tr!("Défaire", "Undo", "Rückgängig", "Deshacer", "Annulla"))}
                </button>
                <button type="button" class="secondary" aria-keyshortcuts="Control+Shift+Z"
                    disabled=move || !session.history.with(History::can_redo) on:click=move |_| editor.redo()>
                    {l.t(tr!("Refaire", "Redo", "Wiederholen", "Rehacer", "Ripristina"))}
                </button>
                <span class="muted">{l.t(tr!("Ctrl+Z défait, Ctrl+Maj+Z refait.", "Ctrl+Z undoes, Ctrl+Shift+Z redoes.", "Strg+Z macht rückgängig, Strg+Umschalt+Z stellt wieder her.", "Ctrl+Z deshace, Ctrl+Mayús+Z rehace.", "Ctrl+Z annulla, Ctrl+Maiusc+Z ripristina."))}</span>
            </div>
            <div class="editor-grid">
                <div>
                    {is_new.then(|| id_field(editor))}
                    <media::Slides />
                </div>
                <div>
                    <tags::Stage />
                </div>
            </div>
            <SaveBar is_new=is_new />
            <snippet::Snippet />
            <snippet::Preview />
        </div>
    }
}

/// The new post's id.
fn id_field(editor: Editor) -> impl IntoView {
    let l = editor.lang();
    view! {
        <div class="field">
            <label for="post-id">{l.t(tr!("Identifiant de la publication", "Post id", "Beitrags-ID", "Id de la publicación", "Id del post"))}</label>
            <input id="post-id" type="text" autocomplete="off" spellcheck="false" aria-describedby="post-id-hint"
                prop:value=move || editor.draft(|d| d.id.clone())
                on:input=move |ev| { editor.edit(Edit::SetId(event_target_value(&ev).trim().to_owned())); } />
            <p id="post-id-hint" class="muted">{l.t(tr!("Lettres, chiffres, « - », « _ » ou « . » (100 au plus).", "Letters, digits, “-”, “_” or “.” (100 at most).", "Buchstaben, Ziffern, „-“, „_“ oder „.“ (höchstens 100).", "Letras, cifras, «-», «_» o «.» (100 como máximo).", "Lettere, cifre, «-», «_» o «.» (al massimo 100)."))}</p>
        </div>
    }
}

/// Save and delete.
#[component]
fn SaveBar(is_new: bool) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let (ctx, session, l) = (editor.ctx, editor.session, editor.lang());
    let busy = RwSignal::new(false);
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let confirming = RwSignal::new(false);
    let save = move |_| {
        if busy.get_untracked() {
            return;
        }
        let (id, input) = editor.draft(|d| (d.id.clone(), d.input()));
        let input = match input {
            Ok(input) => input,
            Err(unsavable) => {
                let text = unsavable_text(&unsavable, l);
                problem.set(Some(text.clone()));
                editor.alert(text);
                return;
            }
        };
        problem.set(None);
        busy.set(true);
        editor.say(l.t(tr!("Enregistrement…", "Saving…", "Wird gespeichert…", "Guardando…", "Salvataggio…")).into());
        leptos::task::spawn_local(async move {
            let answer = ctx.api().put::<Post>(&format!("/v1/admin/posts/{}", encode(&id)), &input).await;
            // The bar may be gone meanwhile (another view, a language switch): `try_`.
            busy.try_set(false);
            match answer {
                Ok(post) => {
                    editor.forget_kept();
                    session.restored.set(false);
                    session.saved.set(Some(post.id.clone()));
                    let count = editor.draft(Draft::tag_count) as u32;
                    let tags =
                        l.counted(count, [("tag", "tags"), ("tag", "tags"), ("Tag", "Tags"), ("etiqueta", "etiquetas"), ("tag", "tag")]);
                    editor.say(l.with(
                        tr!(
                            "Publication « {} » enregistrée avec {}.",
                            "Post “{}” saved with {}.",
                            "Beitrag „{}“ mit {} gespeichert.",
                            "Publicación «{}» guardada con {}.",
                            "Post «{}» salvato con {}."
                        ),
                        &[&post.id, &tags],
                    ));
                    if is_new {
                        // The saved post has its own address: the editor goes on there, with
                        // the same draft and history.
                        session.key.set(Some(post.id.clone()));
                        if let Some(window) = web_sys::window() {
                            let _ = window.location().set_hash(&format!("/posts/{}", encode(&post.id)));
                        }
                    }
                }
                Err(failure) if ctx.refused(&failure) => {}
                Err(failure) => {
                    let text = failure.text(l);
                    problem.try_set(Some(text.clone()));
                    editor.alert(text);
                }
            }
        });
    };
    let delete = move |_| {
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        let id = editor.draft(|d| d.id.clone());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = ctx.api().delete(&format!("/v1/admin/posts/{}", encode(&id))).await;
            busy.try_set(false);
            confirming.try_set(false);
            match answer {
                Ok(()) => {
                    editor.forget_kept();
                    session.key.set(None);
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().set_hash("/posts");
                    }
                }
                Err(failure) if ctx.refused(&failure) => {}
                Err(failure) => {
                    problem.try_set(Some(failure.text(l)));
                }
            }
        });
    };
    view! {
        <div class="save-bar">
            <button type="button" id="save" aria-describedby="save-error" disabled=move || busy.get() on:click=save>
                {l.t(tr!("Enregistrer dans la boutique", "Save to the shop", "Im Shop speichern", "Guardar en la tienda", "Salva nel negozio"))}
            </button>
            {(!is_new).then(|| view! {
                <button type="button" class="danger" disabled=move || busy.get() on:click=delete>
                    {move || if confirming.get() {
                        l.t(tr!("Confirmer la suppression", "Confirm the deletion", "Löschen bestätigen", "Confirmar la eliminación", "Conferma l'eliminazione"))
                    } else {
                        l.t(tr!("Supprimer la publication", "Delete the post", "Beitrag löschen", "Eliminar la publicación", "Elimina il post"))
                    }}
                </button>
            })}
            <p id="save-error" class="error">{move || problem.get()}</p>
        </div>
    }
}
