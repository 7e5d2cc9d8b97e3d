//! The post being edited, and its history: the one owner of the editor's state. Every change
//! goes through [`History::apply`], which refuses what breaks the protocol's limits (media per
//! post, tags per photo and per post, from `shoppable-protocol`), so the draft on screen is
//! always one the rules allow, and undo and redo only ever restore such drafts.

use serde::{Deserialize, Serialize};
use shoppable_protocol::post::{LinkOut, MediaKind, MediumInput, PostInput, PostProblem, TagInput, Video};
use shoppable_protocol::{Image, MAX_MEDIA, MAX_TAGS_PER_PHOTO, MAX_TAGS_PER_POST, Money, Post, ProductSummary};

/// Most steps kept for undo.
const HISTORY_STEPS: usize = 100;

/// What a tag shows: nothing chosen yet, a product of the shop's catalog, or a product sold
/// elsewhere (its fields as typed, checked when the post is saved).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Product {
    None,
    Catalog(ProductSummary),
    Link(LinkFields),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LinkFields {
    pub title: String,
    /// As typed: `49.00 EUR`.
    pub price: String,
    pub url: String,
}

/// A tag: a position on a photo; on a video a time range and, optionally, a position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    pub at: Option<(f64, f64)>,
    pub range: Option<(f64, f64)>,
    pub product: Product,
}

/// One photo or video of the post, with its tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slide {
    pub kind: MediaKind,
    /// The photo, or the video's poster (with the video's size and text alternative).
    pub image: Image,
    /// The video file's address, for a video.
    pub video: Option<String>,
    pub tags: Vec<Tag>,
}

impl Slide {
    /// Most tags this slide may carry on its own.
    pub fn limit(&self) -> usize {
        match self.kind {
            MediaKind::Photo => MAX_TAGS_PER_PHOTO,
            MediaKind::Video => MAX_TAGS_PER_POST,
        }
    }
}

/// The post as the editor holds it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub id: String,
    pub slides: Vec<Slide>,
}

/// One change to the draft.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    SetId(String),
    AddSlide(Slide),
    RemoveSlide(usize),
    /// Moves a slide one place earlier (`-1`) or later (`1`).
    MoveSlide(usize, isize),
    SetAlt(usize, String),
    AddTag(usize, Tag),
    RemoveTag(usize, usize),
    MoveTag(usize, usize, Option<(f64, f64)>),
    SetRange(usize, usize, (f64, f64)),
    SetProduct(usize, usize, Product),
}

impl Edit {
    /// Edits typed letter by letter are one undo step per field: the same key as the previous
    /// edit replaces it instead of adding a step.
    fn typing_key(&self) -> Option<(u8, usize, usize)> {
        match self {
            Edit::SetId(_) => Some((0, 0, 0)),
            Edit::SetAlt(slide, _) => Some((1, *slide, 0)),
            Edit::SetProduct(slide, tag, Product::Link(_)) => Some((2, *slide, *tag)),
            _ => None,
        }
    }
}

/// Why an edit was refused: the draft is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooManyMedia,
    TooManyTagsOnPhoto,
    TooManyTagsInPost,
    /// The slide or tag is no longer there (a stale click).
    Gone,
}

/// Why the draft cannot be saved yet.
#[derive(Debug, Clone, PartialEq)]
pub enum Unsavable {
    BadId,
    NoMedia,
    /// Tag `.1` of slide `.0` has no product yet.
    NoProduct(usize, usize),
    /// Tag `.1` of slide `.0` has a price that is not one.
    BadPrice(usize, usize),
    /// A rule of the protocol (`PostInput::check`), with its field and English message.
    Rule(PostProblem),
}

/// Reads a typed price forgivingly (white space collapsed, the code in any case), then by the
/// protocol's own rule.
pub fn read_price(text: &str) -> Option<Money> {
    let cleaned = text.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_uppercase();
    Money::parse(&cleaned).ok()
}

/// A position kept within the photo, rounded as the server stores it.
pub fn clamp_point(x: f64, y: f64) -> (f64, f64) {
    let fit = |v: f64| (v.clamp(0.0, 1.0) * 10_000.0).round() / 10_000.0;
    (fit(x), fit(y))
}

impl Draft {
    pub fn tag_count(&self) -> usize {
        self.slides.iter().map(|s| s.tags.len()).sum()
    }

    /// The draft of a saved post: its media, or its one photo.
    pub fn from_post(post: &Post) -> Draft {
        let slides = match &post.media {
            Some(media) => media
                .iter()
                .map(|m| Slide {
                    kind: m.kind,
                    image: m.image.clone(),
                    video: m.video.as_ref().map(|v| v.url.clone()),
                    tags: m
                        .tags
                        .iter()
                        .map(|t| Tag {
                            at: t.x.zip(t.y),
                            range: t.start.zip(t.end),
                            product: match (&t.product, &t.link) {
                                (Some(product), _) => Product::Catalog(product.clone()),
                                (None, Some(link)) => Product::Link(LinkFields {
                                    title: link.title.clone(),
                                    price: link.price.to_string(),
                                    url: link.url.clone(),
                                }),
                                (None, None) => Product::None,
                            },
                        })
                        .collect(),
                })
                .collect(),
            None => vec![Slide {
                kind: MediaKind::Photo,
                image: post.image.clone(),
                video: None,
                tags: post
                    .tags
                    .iter()
                    .map(|t| Tag { at: Some((t.x, t.y)), range: None, product: Product::Catalog(t.product.clone()) })
                    .collect(),
            }],
        };
        Draft { id: post.id.clone(), slides }
    }

    /// The body of `PUT /v1/admin/posts/{id}`, once the id is one: see [`Draft::post_input`].
    pub fn input(&self) -> Result<PostInput, Unsavable> {
        if !shoppable_protocol::post::is_valid_id(&self.id) {
            return Err(Unsavable::BadId);
        }
        self.post_input()
    }

    /// The post without its id (a save's body, a preview's): always `media`, so that catalog
    /// and link-out tags may sit side by side; then every rule of the protocol, as the server
    /// checks it.
    pub fn post_input(&self) -> Result<PostInput, Unsavable> {
        if self.slides.is_empty() {
            return Err(Unsavable::NoMedia);
        }
        let mut media = Vec::with_capacity(self.slides.len());
        for (i, slide) in self.slides.iter().enumerate() {
            let mut tags = Vec::with_capacity(slide.tags.len());
            for (j, tag) in slide.tags.iter().enumerate() {
                let (product_id, link) = match &tag.product {
                    Product::None => return Err(Unsavable::NoProduct(i, j)),
                    Product::Catalog(product) => (Some(product.id.clone()), None),
                    Product::Link(fields) => {
                        let price = read_price(&fields.price).ok_or(Unsavable::BadPrice(i, j))?;
                        let link = LinkOut {
                            title: fields.title.trim().to_owned(),
                            price,
                            compare_at_price: None,
                            url: fields.url.trim().to_owned(),
                            image_url: None,
                        };
                        (None, Some(link))
                    }
                };
                tags.push(TagInput {
                    x: tag.at.map(|p| p.0),
                    y: tag.at.map(|p| p.1),
                    start: tag.range.map(|r| r.0),
                    end: tag.range.map(|r| r.1),
                    product_id,
                    link,
                });
            }
            media.push(MediumInput {
                kind: slide.kind,
                image: slide.image.clone(),
                video: slide.video.clone().map(|url| Video { url, captions: Vec::new() }),
                tags,
            });
        }
        let input = PostInput { image: None, tags: Vec::new(), media: Some(media) };
        input.check().map_err(Unsavable::Rule)?;
        Ok(input)
    }

    fn slide_mut(&mut self, slide: usize) -> Result<&mut Slide, Refusal> {
        self.slides.get_mut(slide).ok_or(Refusal::Gone)
    }

    fn tag_mut(&mut self, slide: usize, tag: usize) -> Result<&mut Tag, Refusal> {
        self.slide_mut(slide)?.tags.get_mut(tag).ok_or(Refusal::Gone)
    }

    /// The draft after `edit`, or why not.
    fn edited(&self, edit: Edit) -> Result<Draft, Refusal> {
        let mut next = self.clone();
        match edit {
            Edit::SetId(id) => next.id = id,
            Edit::AddSlide(slide) => {
                if next.slides.len() >= MAX_MEDIA {
                    return Err(Refusal::TooManyMedia);
                }
                next.slides.push(slide);
            }
            Edit::RemoveSlide(slide) => {
                next.slide_mut(slide)?;
                next.slides.remove(slide);
            }
            Edit::MoveSlide(slide, by) => {
                let to = slide.checked_add_signed(by).filter(|to| *to < next.slides.len()).ok_or(Refusal::Gone)?;
                next.slide_mut(slide)?;
                next.slides.swap(slide, to);
            }
            Edit::SetAlt(slide, alt) => next.slide_mut(slide)?.image.alt = alt,
            Edit::AddTag(slide, tag) => {
                let total = next.tag_count();
                let slide = next.slide_mut(slide)?;
                if slide.tags.len() >= slide.limit() {
                    return Err(if slide.kind == MediaKind::Photo { Refusal::TooManyTagsOnPhoto } else { Refusal::TooManyTagsInPost });
                }
                if total >= MAX_TAGS_PER_POST {
                    return Err(Refusal::TooManyTagsInPost);
                }
                slide.tags.push(tag);
            }
            Edit::RemoveTag(slide, tag) => {
                next.tag_mut(slide, tag)?;
                next.slide_mut(slide)?.tags.remove(tag);
            }
            Edit::MoveTag(slide, tag, at) => next.tag_mut(slide, tag)?.at = at.map(|(x, y)| clamp_point(x, y)),
            Edit::SetRange(slide, tag, range) => next.tag_mut(slide, tag)?.range = Some(range),
            Edit::SetProduct(slide, tag, product) => next.tag_mut(slide, tag)?.product = product,
        }
        Ok(next)
    }
}

/// The draft and the drafts before and after it, for undo and redo.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    past: Vec<Draft>,
    present: Draft,
    future: Vec<Draft>,
    /// The field last typed in, while typing goes on in it.
    typing: Option<(u8, usize, usize)>,
}

impl History {
    pub fn new(draft: Draft) -> History {
        History { past: Vec::new(), present: draft, future: Vec::new(), typing: None }
    }

    pub fn draft(&self) -> &Draft {
        &self.present
    }

    /// Applies `edit` as one step (typing in the same field stays one step); a refused edit
    /// changes nothing.
    pub fn apply(&mut self, edit: Edit) -> Result<(), Refusal> {
        let key = edit.typing_key();
        let next = self.present.edited(edit)?;
        if next == self.present {
            return Ok(());
        }
        if key.is_none() || key != self.typing {
            self.past.push(std::mem::replace(&mut self.present, next));
            if self.past.len() > HISTORY_STEPS {
                self.past.remove(0);
            }
        } else {
            self.present = next;
        }
        self.typing = key;
        self.future.clear();
        Ok(())
    }

    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }

    /// Goes one step back; false when there is none.
    pub fn undo(&mut self) -> bool {
        let Some(previous) = self.past.pop() else { return false };
        self.future.push(std::mem::replace(&mut self.present, previous));
        self.typing = None;
        true
    }

    /// Goes one undone step forward again; false when there is none.
    pub fn redo(&mut self) -> bool {
        let Some(next) = self.future.pop() else { return false };
        self.past.push(std::mem::replace(&mut self.present, next));
        self.typing = None;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo() -> Slide {
        Slide {
            kind: MediaKind::Photo,
            image: Image { url: "/p.png".into(), width: 10, height: 10, alt: String::new() },
            video: None,
            tags: vec![],
        }
    }

    fn video() -> Slide {
        Slide { video: Some("/v.webm".into()), kind: MediaKind::Video, ..photo() }
    }

    fn tag() -> Tag {
        Tag { at: Some((0.5, 0.5)), range: None, product: Product::None }
    }

    fn link(title: &str, price: &str) -> Product {
        Product::Link(LinkFields { title: title.into(), price: price.into(), url: "https://example.com/p".into() })
    }

    #[test]
    fn limits_refuse_and_change_nothing() {
        let mut history = History::new(Draft::default());
        for _ in 0..MAX_MEDIA {
            history.apply(Edit::AddSlide(photo())).unwrap();
        }
        let before = history.draft().clone();
        assert_eq!(history.apply(Edit::AddSlide(photo())), Err(Refusal::TooManyMedia));
        for _ in 0..MAX_TAGS_PER_PHOTO {
            history.apply(Edit::AddTag(0, tag())).unwrap();
        }
        assert_eq!(history.apply(Edit::AddTag(0, tag())), Err(Refusal::TooManyTagsOnPhoto));
        for slide in 1..4 {
            for _ in 0..MAX_TAGS_PER_PHOTO {
                history.apply(Edit::AddTag(slide, tag())).unwrap();
            }
        }
        assert_eq!(history.draft().tag_count(), MAX_TAGS_PER_POST);
        assert_eq!(history.apply(Edit::AddTag(4, tag())), Err(Refusal::TooManyTagsInPost));
        assert_ne!(history.draft(), &before);
        assert_eq!(history.draft().tag_count(), MAX_TAGS_PER_POST);
    }

    #[test]
    fn undo_and_redo_walk_the_steps_and_a_new_edit_drops_the_redo() {
        let mut history = History::new(Draft::default());
        history.apply(Edit::AddSlide(photo())).unwrap();
        history.apply(Edit::AddTag(0, tag())).unwrap();
        history.apply(Edit::MoveTag(0, 0, Some((0.7, 1.4)))).unwrap();
        assert_eq!(history.draft().slides[0].tags[0].at, Some((0.7, 1.0)), "kept within the photo");
        assert!(history.undo());
        assert_eq!(history.draft().slides[0].tags[0].at, Some((0.5, 0.5)));
        assert!(history.redo());
        assert_eq!(history.draft().slides[0].tags[0].at, Some((0.7, 1.0)));
        assert!(history.undo() && history.undo());
        assert!(history.draft().slides[0].tags.is_empty());
        history.apply(Edit::SetAlt(0, "a".into())).unwrap();
        assert!(!history.can_redo());
        assert!(!history.redo());
    }

    #[test]
    fn typing_in_one_field_is_one_step() {
        let mut history = History::new(Draft::default());
        history.apply(Edit::AddSlide(photo())).unwrap();
        for alt in ["C", "Ca", "Caf", "Café"] {
            history.apply(Edit::SetAlt(0, alt.into())).unwrap();
        }
        history.apply(Edit::SetId("a".into())).unwrap();
        history.undo();
        assert_eq!(history.draft().slides[0].image.alt, "Café");
        history.undo();
        assert_eq!(history.draft().slides[0].image.alt, "");
    }

    #[test]
    fn slides_move_within_bounds() {
        let mut history = History::new(Draft::default());
        history.apply(Edit::AddSlide(photo())).unwrap();
        history.apply(Edit::AddSlide(video())).unwrap();
        assert_eq!(history.apply(Edit::MoveSlide(0, -1)), Err(Refusal::Gone));
        history.apply(Edit::MoveSlide(1, -1)).unwrap();
        assert_eq!(history.draft().slides[0].kind, MediaKind::Video);
    }

    #[test]
    fn a_post_of_catalog_and_link_tags_is_saved_as_media_and_checked_by_the_protocol() {
        let mut history = History::new(Draft::default());
        history.apply(Edit::SetId("look".into())).unwrap();
        history.apply(Edit::AddSlide(photo())).unwrap();
        history.apply(Edit::AddSlide(video())).unwrap();
        history.apply(Edit::AddTag(0, tag())).unwrap();
        history.apply(Edit::AddTag(1, Tag { at: None, range: Some((1.0, 3.5)), product: link("Collier", "12.5 eur") })).unwrap();
        assert_eq!(history.draft().input(), Err(Unsavable::NoProduct(0, 0)));
        history.apply(Edit::SetProduct(0, 0, link("Coussin", "1,5"))).unwrap();
        assert_eq!(history.draft().input(), Err(Unsavable::BadPrice(0, 0)));
        history.apply(Edit::SetProduct(0, 0, link("Coussin", "35 EUR"))).unwrap();
        let input = history.draft().input().unwrap();
        let media = input.media.unwrap();
        assert_eq!(media[1].tags[0].start, Some(1.0));
        assert_eq!(media[1].tags[0].link.as_ref().unwrap().price.to_string(), "12.50 EUR");
        history.apply(Edit::SetRange(1, 0, (4.0, 2.0))).unwrap();
        match history.draft().input() {
            Err(Unsavable::Rule(problem)) => assert_eq!(problem.field, "media[1].tags[0].end"),
            other => panic!("{other:?}"),
        }
        history.apply(Edit::SetId("pas d'espace".into())).unwrap();
        assert_eq!(history.draft().input(), Err(Unsavable::BadId));
        assert!(matches!(history.draft().post_input(), Err(Unsavable::Rule(_))), "a preview needs no id, but the rules");
    }

    #[test]
    fn prices_are_read_forgivingly_by_the_protocols_rule() {
        assert_eq!(read_price("  12.5   eur ").map(|m| m.to_string()), Some("12.50 EUR".into()));
        assert_eq!(read_price("1.5 JPY"), None);
        assert_eq!(read_price("12,00"), None);
    }
}
