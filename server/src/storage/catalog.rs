//! Products and variants: reads for the card and the tags, the import's writes, and stock.

use std::collections::HashMap;

use shoppable_protocol::{Currency, Money, Product, ProductImage, ProductSummary, Variant};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{Db, fetch_in, now};
use crate::error::{AppError, AppResult};

fn json_column<T: serde::de::DeserializeOwned>(row: &AnyRow, column: &str) -> AppResult<T> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| AppError::internal(format!("column {column}: {e}")))
}

/// JSON text of a value that always serializes (plain data).
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn money(amount: i64, currency: &str) -> AppResult<Money> {
    let currency: Currency = currency.parse().map_err(AppError::internal)?;
    Ok(Money::new(amount, currency))
}

fn variant_from_row(row: &AnyRow) -> AppResult<(String, Variant)> {
    let currency: String = row.try_get("currency")?;
    let stock: Option<i64> = row.try_get("stock")?;
    let variant = Variant {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        option_values: json_column(row, "option_values")?,
        price: money(row.try_get("price")?, &currency)?,
        compare_at_price: row.try_get::<Option<i64>, _>("compare_at_price")?.map(|a| money(a, &currency)).transpose()?,
        available: stock.is_none_or(|s| s > 0),
        stock: stock.map(|s| u32::try_from(s.max(0)).unwrap_or(u32::MAX)),
        image_url: row.try_get("image_url")?,
    };
    Ok((row.try_get("product_id")?, variant))
}

const PRODUCT_COLUMNS: &str = "id, title, description, brand, url, images, options";
const VARIANT_COLUMNS: &str = "id, product_id, title, option_values, price, compare_at_price, currency, stock, image_url";

/// The products with these ids, with their variants; missing ids are left out.
pub async fn load_products(db: &Db, ids: &[String]) -> AppResult<HashMap<String, Product>> {
    let mut products = HashMap::new();
    for row in fetch_in(db, &format!("SELECT {PRODUCT_COLUMNS} FROM products WHERE id IN ({{ids}})"), ids).await? {
        let product = Product {
            id: row.try_get("id")?,
            title: row.try_get("title")?,
            description: row.try_get("description")?,
            brand: row.try_get("brand")?,
            url: row.try_get("url")?,
            images: json_column(&row, "images")?,
            options: json_column(&row, "options")?,
            variants: Vec::new(),
        };
        products.insert(product.id.clone(), product);
    }
    let sql = format!("SELECT {VARIANT_COLUMNS} FROM variants WHERE product_id IN ({{ids}}) ORDER BY position");
    for row in fetch_in(db, &sql, ids).await? {
        let (product_id, variant) = variant_from_row(&row)?;
        if let Some(product) = products.get_mut(&product_id) {
            product.variants.push(variant);
        }
    }
    Ok(products)
}

pub async fn load_product(db: &Db, id: &str) -> AppResult<Option<Product>> {
    Ok(load_products(db, &[id.to_owned()]).await?.remove(id))
}

/// What a tag shows: the cheapest available variant's price (the cheapest of all when none is).
pub fn summarize(product: &Product) -> Option<ProductSummary> {
    let cheapest = |available_only: bool| product.variants.iter().filter(|v| v.available || !available_only).min_by_key(|v| v.price.amount);
    let variant = cheapest(true).or_else(|| cheapest(false))?;
    Some(ProductSummary {
        id: product.id.clone(),
        title: product.title.clone(),
        price: variant.price,
        compare_at_price: variant.compare_at_price,
        image_url: product.images.first().map(|i| i.url.clone()).or_else(|| variant.image_url.clone()),
        available: product.variants.iter().any(|v| v.available),
    })
}

/// Title search, case-insensitive, by title order.
pub async fn search(db: &Db, text: &str, limit: u32) -> AppResult<Vec<ProductSummary>> {
    let pattern = format!("%{}%", text.to_lowercase().replace(['%', '_'], ""));
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM products WHERE LOWER(title) LIKE $1 ORDER BY LOWER(title), id LIMIT $2")
        .bind(pattern)
        .bind(i64::from(limit))
        .fetch_all(&db.pool)
        .await?;
    let products = load_products(db, &ids).await?;
    Ok(ids.iter().filter_map(|id| products.get(id)).filter_map(summarize).collect())
}

/// One variant with what a quote needs of its product.
#[derive(Debug, Clone)]
pub struct PricedVariant {
    pub variant: Variant,
    pub product_id: String,
    pub product_title: String,
    pub product_image: Option<String>,
}

pub async fn priced_variants(db: &Db, ids: &[String]) -> AppResult<HashMap<String, PricedVariant>> {
    let columns = VARIANT_COLUMNS.split(", ").map(|c| format!("v.{c}")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT {columns}, p.title AS product_title, p.images AS product_images \
         FROM variants v JOIN products p ON p.id = v.product_id WHERE v.id IN ({{ids}})"
    );
    let mut found = HashMap::new();
    for row in fetch_in(db, &sql, ids).await? {
        let (product_id, variant) = variant_from_row(&row)?;
        let images: Vec<ProductImage> = json_column(&row, "product_images")?;
        let priced = PricedVariant {
            product_id,
            product_title: row.try_get("product_title")?,
            product_image: images.into_iter().next().map(|i| i.url),
            variant,
        };
        found.insert(priced.variant.id.clone(), priced);
    }
    Ok(found)
}

/// Creates or replaces each product with all its variants (variants it had before and that
/// are not in `product` disappear).
pub async fn replace_product(conn: &mut AnyConnection, product: &Product) -> AppResult<()> {
    sqlx::query("DELETE FROM variants WHERE product_id = $1").bind(&product.id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM products WHERE id = $1").bind(&product.id).execute(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO products (id, title, description, brand, url, images, options, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&product.id)
    .bind(&product.title)
    .bind(&product.description)
    .bind(&product.brand)
    .bind(&product.url)
    .bind(to_json(&product.images))
    .bind(to_json(&product.options))
    .bind(now())
    .execute(&mut *conn)
    .await?;
    for (position, variant) in product.variants.iter().enumerate() {
        // A variant id moved from another product leaves it.
        sqlx::query("DELETE FROM variants WHERE id = $1").bind(&variant.id).execute(&mut *conn).await?;
        sqlx::query(
            "INSERT INTO variants (id, product_id, position, title, option_values, price, compare_at_price, \
             currency, stock, image_url) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&variant.id)
        .bind(&product.id)
        .bind(position as i64)
        .bind(&variant.title)
        .bind(to_json(&variant.option_values))
        .bind(variant.price.amount)
        .bind(variant.compare_at_price.map(|m| m.amount))
        .bind(variant.price.currency.as_str())
        .bind(variant.stock.map(i64::from))
        .bind(&variant.image_url)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Takes `quantity` units out of stock if that many are left; false (and nothing changed)
/// otherwise. One conditional UPDATE, so concurrent orders can never oversell.
pub async fn reserve_stock(conn: &mut AnyConnection, variant_id: &str, quantity: u32) -> AppResult<bool> {
    let done = sqlx::query("UPDATE variants SET stock = stock - $1 WHERE id = $2 AND (stock IS NULL OR stock >= $1)")
        .bind(i64::from(quantity))
        .bind(variant_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Puts units back into stock (cancelled or failed orders).
pub async fn release_stock(conn: &mut AnyConnection, variant_id: &str, quantity: u32) -> AppResult<()> {
    sqlx::query("UPDATE variants SET stock = stock + $1 WHERE id = $2").bind(i64::from(quantity)).bind(variant_id).execute(conn).await?;
    Ok(())
}

pub async fn is_empty(db: &Db) -> AppResult<bool> {
    let products: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products").fetch_one(&db.pool).await?;
    let posts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM posts").fetch_one(&db.pool).await?;
    Ok(products == 0 && posts == 0)
}
