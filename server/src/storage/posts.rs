//! Posts and their tags; a tag shows its product's current summary.

use std::collections::HashMap;

use shoppable_protocol::{Image, Post, PostInput, Tag};
use sqlx::Row;

use super::catalog::{load_products, summarize};
use super::{Db, fetch_in, now};
use crate::error::AppResult;

/// The posts with these ids; missing ids are left out. Tags whose product no longer exists
/// are left out too, so a deleted product never shows a broken tag.
pub async fn load_posts(db: &Db, ids: &[String]) -> AppResult<HashMap<String, Post>> {
    let mut posts = HashMap::new();
    for row in fetch_in(db, "SELECT id, image_url, width, height, alt FROM posts WHERE id IN ({ids})", ids).await? {
        let post = Post {
            id: row.try_get("id")?,
            image: Image {
                url: row.try_get("image_url")?,
                width: row.try_get::<i64, _>("width")? as u32,
                height: row.try_get::<i64, _>("height")? as u32,
                alt: row.try_get("alt")?,
            },
            tags: Vec::new(),
        };
        posts.insert(post.id.clone(), post);
    }
    let sql = "SELECT post_id, position, x, y, product_id FROM tags WHERE post_id IN ({ids}) ORDER BY post_id, position";
    let tag_rows = fetch_in(db, sql, ids).await?;
    let mut product_ids: Vec<String> = tag_rows.iter().map(|r| r.try_get("product_id")).collect::<Result<_, _>>()?;
    product_ids.sort();
    product_ids.dedup();
    let products = load_products(db, &product_ids).await?;
    for row in tag_rows {
        let post_id: String = row.try_get("post_id")?;
        let product_id: String = row.try_get("product_id")?;
        let (Some(post), Some(product)) = (posts.get_mut(&post_id), products.get(&product_id).and_then(summarize)) else {
            continue;
        };
        let position: i64 = row.try_get("position")?;
        post.tags.push(Tag { id: format!("{post_id}-{}", position + 1), x: row.try_get("x")?, y: row.try_get("y")?, product });
    }
    Ok(posts)
}

/// Creates or replaces a post and all its tags.
pub async fn replace_post(db: &Db, id: &str, input: &PostInput) -> AppResult<()> {
    let mut write = db.write_tx().await?;
    let conn = &mut *write.tx;
    sqlx::query("DELETE FROM tags WHERE post_id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM posts WHERE id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query("INSERT INTO posts (id, image_url, width, height, alt, updated_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id)
        .bind(&input.image.url)
        .bind(i64::from(input.image.width))
        .bind(i64::from(input.image.height))
        .bind(&input.image.alt)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    for (position, tag) in input.tags.iter().enumerate() {
        sqlx::query("INSERT INTO tags (post_id, position, x, y, product_id) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(position as i64)
            .bind(tag.x)
            .bind(tag.y)
            .bind(&tag.product_id)
            .execute(&mut *conn)
            .await?;
    }
    write.commit().await
}

/// False when there was no such post.
pub async fn delete_post(db: &Db, id: &str) -> AppResult<bool> {
    let mut write = db.write_tx().await?;
    sqlx::query("DELETE FROM tags WHERE post_id = $1").bind(id).execute(&mut *write.tx).await?;
    let deleted = sqlx::query("DELETE FROM posts WHERE id = $1").bind(id).execute(&mut *write.tx).await?;
    write.commit().await?;
    Ok(deleted.rows_affected() == 1)
}
