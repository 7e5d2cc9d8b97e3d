//! Posts, their media and their tags; a catalog tag shows its product's current summary.

use std::collections::HashMap;

use shoppable_protocol::{CheckedPost, Image, LinkOut, MediaKind, MediaTag, Medium, Post, PostInput, Product, Tag, TagInput, Video};

use super::catalog::{from_json, load_products, summarize, to_json};
use super::{Db, fetch_in, now};
use crate::error::{AppError, AppResult};

#[derive(sqlx::FromRow)]
struct MediumRow {
    post_id: String,
    kind: String,
    image_url: String,
    width: i64,
    height: i64,
    alt: String,
    video: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TagRow {
    post_id: String,
    position: i64,
    medium: i64,
    x: Option<f64>,
    y: Option<f64>,
    start_seconds: Option<f64>,
    end_seconds: Option<f64>,
    product_id: Option<String>,
    link: Option<String>,
}

impl MediumRow {
    fn into_medium(self) -> AppResult<(String, Medium)> {
        let kind = MediaKind::parse(&self.kind).unwrap_or(MediaKind::Photo);
        let video: Option<Video> = self.video.as_deref().map(|text| from_json(text, "video")).transpose()?;
        let image = Image { url: self.image_url, width: self.width as u32, height: self.height as u32, alt: self.alt };
        Ok((self.post_id, Medium { kind, image, video, tags: Vec::new() }))
    }
}

/// The posts with these ids; missing ids are left out. Tags whose product no longer exists
/// are left out too, so a deleted product never shows a broken tag.
pub async fn load_posts(db: &Db, ids: &[String]) -> AppResult<HashMap<String, Post>> {
    let sql =
        "SELECT post_id, kind, image_url, width, height, alt, video FROM post_media WHERE post_id IN ({ids}) ORDER BY post_id, position";
    let mut media: HashMap<String, Vec<Medium>> = HashMap::new();
    for row in fetch_in(db, sql, ids).await? {
        let (post_id, medium) = <MediumRow as sqlx::FromRow<_>>::from_row(&row)?.into_medium()?;
        media.entry(post_id).or_default().push(medium);
    }
    let sql = "SELECT post_id, position, medium, x, y, start_seconds, end_seconds, product_id, link FROM media_tags \
               WHERE post_id IN ({ids}) ORDER BY post_id, position";
    let tag_rows: Vec<TagRow> = fetch_in(db, sql, ids).await?.iter().map(sqlx::FromRow::from_row).collect::<Result<_, _>>()?;
    let mut product_ids: Vec<String> = tag_rows.iter().filter_map(|tag| tag.product_id.clone()).collect();
    product_ids.sort();
    product_ids.dedup();
    let products = load_products(db, &product_ids).await?;
    for row in tag_rows {
        let link: Option<LinkOut> = row.link.as_deref().map(|text| from_json(text, "link")).transpose()?;
        let Some(medium) = media.get_mut(&row.post_id).and_then(|media| media.get_mut(row.medium as usize)) else {
            continue;
        };
        let tag = TagInput { x: row.x, y: row.y, start: row.start_seconds, end: row.end_seconds, product_id: row.product_id, link };
        medium.tags.extend(shown_tag(format!("{}-{}", row.post_id, row.position + 1), tag, &products));
    }
    Ok(media.into_iter().filter_map(|(id, media)| post(id.clone(), media).map(|post| (id, post))).collect())
}

/// A tag as a post shows it: with its product's current summary; `None` when that product is
/// gone.
fn shown_tag(id: String, tag: TagInput, products: &HashMap<String, Product>) -> Option<MediaTag> {
    let product = match &tag.product_id {
        Some(product_id) => Some(products.get(product_id).and_then(summarize)?),
        None => None,
    };
    Some(MediaTag { id, x: tag.x, y: tag.y, start: tag.start, end: tag.end, product, link: tag.link })
}

/// The post `checked` would be once saved as `id`, as `load_posts` would show it (tags
/// numbered in the same way), without saving it: the tag editor's previews.
pub async fn unsaved_post(db: &Db, id: &str, checked: &CheckedPost) -> AppResult<Post> {
    let product_ids: Vec<String> = checked.media.iter().flat_map(|m| &m.tags).filter_map(|tag| tag.product_id.clone()).collect();
    let products = load_products(db, &product_ids).await?;
    let mut position = 0;
    let media = checked
        .media
        .iter()
        .map(|medium| Medium {
            kind: medium.kind,
            image: medium.image.clone(),
            video: medium.video.clone(),
            tags: medium
                .tags
                .iter()
                .filter_map(|tag| {
                    position += 1;
                    shown_tag(format!("{id}-{position}"), tag.clone(), &products)
                })
                .collect(),
        })
        .collect();
    post(id.to_owned(), media).ok_or_else(|| AppError::internal("a checked post has media"))
}

/// The post of these media: `image` and `tags` are its first photo and that photo's catalog
/// tags (a video's poster and no tags when it has no photo); `media` is left out when they
/// say everything (PROTOCOL.md, "Posts").
fn post(id: String, media: Vec<Medium>) -> Option<Post> {
    let shown = media.iter().find(|m| m.kind == MediaKind::Photo).or(media.first())?;
    let tags = match shown.kind {
        MediaKind::Photo => shown
            .tags
            .iter()
            .filter_map(|tag| Some(Tag { id: tag.id.clone(), x: tag.x?, y: tag.y?, product: tag.product.clone()? }))
            .collect(),
        MediaKind::Video => Vec::new(),
    };
    let image = shown.image.clone();
    let complete = media.len() == 1 && shown.kind == MediaKind::Photo && tags.len() == shown.tags.len();
    Some(Post { id, image, tags, media: (!complete).then_some(media) })
}

/// `input` if it may be saved: every rule of the protocol (`PostInput::check`), then every
/// `product_id` naming a product; else `422` naming the first bad value.
pub async fn check_input(db: &Db, input: &PostInput) -> AppResult<CheckedPost> {
    let post = input.check().map_err(|problem| AppError::invalid(problem.field, problem.message))?;
    check_products(db, &post).await?;
    Ok(post)
}

/// `Err(422)` naming the first tag whose `product_id` names no product of the catalog.
async fn check_products(db: &Db, post: &CheckedPost) -> AppResult<()> {
    let product_ids: Vec<String> = post.media.iter().flat_map(|m| &m.tags).filter_map(|tag| tag.product_id.clone()).collect();
    let products = load_products(db, &product_ids).await?;
    for (i, medium) in post.media.iter().enumerate() {
        for (j, tag) in medium.tags.iter().enumerate() {
            if tag.product_id.as_ref().is_some_and(|id| !products.contains_key(id)) {
                return Err(AppError::invalid(format!("{}.product_id", post.tag_path(i, j)), "no product with that id"));
            }
        }
    }
    Ok(())
}

/// Creates or replaces a post with all its media and tags.
pub async fn replace_post(db: &Db, id: &str, post: &CheckedPost) -> AppResult<()> {
    let mut write = db.write_tx().await?;
    let conn = &mut *write.tx;
    for table in ["media_tags", "post_media"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE post_id = $1")).bind(id).execute(&mut *conn).await?;
    }
    sqlx::query("DELETE FROM posts WHERE id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query("INSERT INTO posts (id, updated_at) VALUES ($1, $2)").bind(id).bind(now()).execute(&mut *conn).await?;
    let mut tag_position = 0_i64;
    for (position, medium) in post.media.iter().enumerate() {
        sqlx::query(
            "INSERT INTO post_media (post_id, position, kind, image_url, width, height, alt, video) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(medium.kind.as_str())
        .bind(&medium.image.url)
        .bind(i64::from(medium.image.width))
        .bind(i64::from(medium.image.height))
        .bind(&medium.image.alt)
        .bind(medium.video.as_ref().map(to_json))
        .execute(&mut *conn)
        .await?;
        for tag in &medium.tags {
            sqlx::query(
                "INSERT INTO media_tags (post_id, position, medium, x, y, start_seconds, end_seconds, product_id, link) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(tag_position)
            .bind(position as i64)
            .bind(tag.x)
            .bind(tag.y)
            .bind(tag.start)
            .bind(tag.end)
            .bind(&tag.product_id)
            .bind(tag.link.as_ref().map(to_json))
            // Prepared once, PostgreSQL would keep the types of the first binds, and a NULL
            // of the Any driver is not a float: a later `start` would not fit.
            .persistent(false)
            .execute(&mut *conn)
            .await?;
            tag_position += 1;
        }
    }
    write.commit().await
}

/// False when there was no such post.
pub async fn delete_post(db: &Db, id: &str) -> AppResult<bool> {
    let mut write = db.write_tx().await?;
    for table in ["media_tags", "post_media"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE post_id = $1")).bind(id).execute(&mut *write.tx).await?;
    }
    let deleted = sqlx::query("DELETE FROM posts WHERE id = $1").bind(id).execute(&mut *write.tx).await?;
    write.commit().await?;
    Ok(deleted.rows_affected() == 1)
}
