//! Saved posts: their photo and tags, with a link to the tag editor for each.

use leptos::prelude::*;
use shoppable_protocol::{Post, PostList};

use crate::api::encode;
use crate::{Ctx, error_box, focus_heading, format_money, loading};

/// `#/posts`: the last 100 saved posts.
pub fn page(ctx: Ctx) -> impl IntoView {
    let l = ctx.lang;
    let state: RwSignal<Option<Result<Vec<Post>, String>>> = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        match ctx.api().get::<PostList>("/v1/admin/posts?limit=100").await {
            Ok(list) => state.set(Some(Ok(list.posts))),
            Err(failure) if ctx.refused(&failure) => {}
            Err(failure) => state.set(Some(Err(failure.text(l)))),
        }
    });
    focus_heading();
    view! {
        <h2 tabindex="-1">{l.t(tr!("Publications", "Posts", "Beiträge", "Publicaciones", "Post pubblicati"))}</h2>
        <p><a href="../www/editor.html">{l.t(tr!("Nouvelle publication dans l'éditeur de tags", "New post in the tag editor", "Neuer Beitrag im Tag-Editor", "Nueva publicación en el editor de etiquetas", "Nuovo post nell'editor dei tag"))}</a></p>
        {move || match state.get() {
            None => loading(l).into_any(),
            Some(Err(message)) => error_box(message).into_any(),
            Some(Ok(posts)) if posts.is_empty() => view! { <p role="status">{l.t(tr!("Aucune publication enregistrée.", "No saved posts.", "Keine gespeicherten Beiträge.", "No hay publicaciones guardadas.", "Nessun post salvato."))}</p> }.into_any(),
            Some(Ok(posts)) => view! {
                <ul class="posts">
                    {posts.into_iter().map(|post| {
                        let src = ctx.api().absolute(&post.image.url);
                        view! {
                            <li class="post">
                                <img src=src alt=post.image.alt.clone() width=post.image.width height=post.image.height loading="lazy" />
                                <div>
                                    <h3>{post.id.clone()}</h3>
                                    <p class="muted">{l.counted(post.tags.len() as u32, [("tag", "tags"), ("tag", "tags"), ("Tag", "Tags"), ("etiqueta", "etiquetas"), ("tag", "tag")])}</p>
                                    <ul class="tags">
                                        {post.tags.iter().map(|tag| view! {
                                            <li>{tag.product.title.clone()}" · "{format_money(&tag.product.price, l)}</li>
                                        }).collect_view()}
                                    </ul>
                                    <a href=format!("../www/editor.html?post={}", encode(&post.id))>
                                        {format!("{} {}", l.t(tr!("Modifier dans l'éditeur :", "Edit in the tag editor:", "Im Editor bearbeiten:", "Editar en el editor:", "Modifica nell'editor:")), post.id)}
                                    </a>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
