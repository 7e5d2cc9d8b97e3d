//! Previews of unsaved posts, for the console's tag editor: `POST /v1/admin/previews` keeps a
//! draft (checked by the same rules as saving) in memory for a while, under an unguessable id
//! that `GET /v1/posts` serves like a post, so that the real widget can show the draft as a
//! blog would. A preview is never saved, never listed, and each one is immutable: a changed
//! draft is a new preview, so no cache (ours, the browser's) ever shows an old one under its id.
//!
//! A preview is for the shop owner, but its tags are the catalog's products: adding one to the
//! bag and ordering it works as from any post (the owner tries what shoppers will see), and
//! the order is a real one. Only the order's attribution to a post is dropped: an order line
//! is credited to a post only if the post is saved (`storage::insights`), and so are the
//! widget's events (the editor also turns them off), so a preview never counts in a post's
//! insights.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use shoppable_protocol::{CheckedPost, Post, PostInput};

use crate::AppState;
use crate::error::AppResult;
use crate::storage::{posts, random_hex};

/// Previews kept at most, all editors together: the oldest goes first. An editor shows only
/// its newest one.
pub const MAX_PREVIEWS: usize = 200;
/// How long a preview is served: long enough to look at it, short enough not to be mistaken
/// for a post.
pub const PREVIEW_TTL: Duration = Duration::from_secs(30 * 60);
/// The start of every preview's id; the rest is 128 random bits in hex.
const PREFIX: &str = "preview-";

struct Kept {
    id: String,
    made: Instant,
    post: CheckedPost,
}

/// The previews of this process, oldest first.
#[derive(Default)]
pub struct Previews {
    kept: Mutex<VecDeque<Kept>>,
}

impl Previews {
    /// Keeps `post` as a new preview made at `now`; returns its id.
    fn keep(&self, post: CheckedPost, now: Instant) -> String {
        let id = format!("{PREFIX}{}", random_hex(16));
        let mut kept = self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        kept.retain(|k| now.duration_since(k.made) < PREVIEW_TTL);
        while kept.len() >= MAX_PREVIEWS {
            kept.pop_front();
        }
        kept.push_back(Kept { id: id.clone(), made: now, post });
        id
    }

    /// The preview `id`, if it is still kept at `now`.
    fn find(&self, id: &str, now: Instant) -> Option<CheckedPost> {
        if !id.starts_with(PREFIX) {
            return None;
        }
        let kept = self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        kept.iter().find(|k| k.id == id && now.duration_since(k.made) < PREVIEW_TTL).map(|k| k.post.clone())
    }
}

/// A new preview of `input`, as `GET /v1/posts` serves it; `422` as saving it would be.
pub async fn create(state: &AppState, input: &PostInput) -> AppResult<Post> {
    let checked = posts::check_input(&state.db, input).await?;
    let id = state.previews.keep(checked.clone(), Instant::now());
    posts::unsaved_post(&state.db, &id, &checked).await
}

/// The posts with these ids: saved ones, and the previews still kept among the others.
pub async fn load(state: &AppState, ids: &[String]) -> AppResult<HashMap<String, Post>> {
    let mut found = posts::load_posts(&state.db, ids).await?;
    let now = Instant::now();
    for id in ids {
        if found.contains_key(id) {
            continue;
        }
        if let Some(checked) = state.previews.find(id, now) {
            found.insert(id.clone(), posts::unsaved_post(&state.db, id, &checked).await?);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shoppable_protocol::{Image, MediaKind, MediumInput};

    fn draft(alt: &str) -> CheckedPost {
        let image = Image { url: "/p.png".into(), width: 10, height: 10, alt: alt.into() };
        let medium = MediumInput { kind: MediaKind::Photo, image, video: None, tags: Vec::new() };
        PostInput { image: None, tags: Vec::new(), media: Some(vec![medium]) }.check().unwrap()
    }

    #[test]
    fn ids_are_unguessable_valid_post_ids_and_each_draft_gets_its_own() {
        let previews = Previews::default();
        let now = Instant::now();
        let (a, b) = (previews.keep(draft("a"), now), previews.keep(draft("a"), now));
        assert_ne!(a, b);
        for id in [&a, &b] {
            assert!(shoppable_protocol::post::is_valid_id(id), "{id}");
            let random = id.strip_prefix(PREFIX).unwrap();
            assert!(random.len() == 32 && random.bytes().all(|c| c.is_ascii_hexdigit()), "{id}");
        }
        assert_eq!(previews.find(&a, now), Some(draft("a")));
        assert_eq!(previews.find("preview-0", now), None);
    }

    #[test]
    fn a_preview_expires_after_its_time() {
        let previews = Previews::default();
        let made = Instant::now();
        let id = previews.keep(draft("a"), made);
        assert!(previews.find(&id, made + PREVIEW_TTL - Duration::from_secs(1)).is_some());
        assert_eq!(previews.find(&id, made + PREVIEW_TTL), None);
        // Expired ones make room when the next one is kept.
        previews.keep(draft("b"), made + PREVIEW_TTL);
        assert_eq!(previews.kept.lock().unwrap().len(), 1);
    }

    #[test]
    fn the_count_is_bounded_and_the_oldest_go_first() {
        let previews = Previews::default();
        let now = Instant::now();
        let first = previews.keep(draft("first"), now);
        let second = previews.keep(draft("second"), now);
        for _ in 2..MAX_PREVIEWS {
            previews.keep(draft("more"), now);
        }
        assert!(previews.find(&first, now).is_some());
        let newest = previews.keep(draft("newest"), now);
        assert_eq!(previews.kept.lock().unwrap().len(), MAX_PREVIEWS);
        assert_eq!(previews.find(&first, now), None);
        assert!(previews.find(&second, now).is_some());
        assert_eq!(previews.find(&newest, now), Some(draft("newest")));
    }
}
