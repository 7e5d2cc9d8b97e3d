//! The catalog import of the admin API (`POST /v1/admin/catalog/import`, a Meta feed in CSV).

use reqwest::Method;
use serde_json::{Value, json};

use super::{Ctx, FEED_HEADER, check, feed_row, skip, unique};
use crate::{Check, CheckResult, Problem, ensure, ensure_eq};

pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "catalog.import-groups",
            "rows of one item_group_id are one product; sale_price is the price, price the compare-at price (none when equal)",
            import_groups
        ),
        check!("catalog.import-every-problem", "a bad feed imports nothing and lists every problem of every row", import_every_problem),
        check!(
            "catalog.import-file-errors",
            "an empty file (every column missing), a header without rows, a missing column or bad UTF-8: 422 at their rows",
            import_file_errors
        ),
        check!(
            "catalog.import-rows-are-records",
            "row numbers count CSV records (the header is row 1), not lines",
            import_rows_are_records
        ),
        check!(
            "catalog.import-options",
            "option axes color then size, values in order of appearance, titles from the non-empty values",
            import_options
        ),
        check!(
            "catalog.import-availability",
            "out of stock without quantity: stock 0, unavailable; in stock without quantity: untracked",
            import_availability
        ),
        check!(
            "catalog.import-moves-variant",
            "a variant id of another product moves to the product of the file; a product left without variants is gone",
            import_moves_variant
        ),
        check!("catalog.import-413", "a feed over the backend's limit (8 MiB for the reference): 413 payload_too_large", import_413),
        check!(
            "admin.stock",
            "PUT /v1/admin/variants/{id}/stock: 0 to 10^9 or null (required); availability follows the stock; 422 otherwise",
            stock
        ),
    ]
}

/// The (row, column) pairs of an import refusal, sorted.
fn problems(response: &crate::Response) -> Result<Vec<(u64, String)>, Problem> {
    response.expect_error_at(422, "invalid_field", "rows")?;
    let Some(rows) = response.body["rows"].as_array() else { crate::fail!("`rows` lists the problems: {}", response.body) };
    let mut found = Vec::new();
    for row in rows {
        ensure!(row["message"].as_str().is_some_and(|m| !m.is_empty()), "each problem has a message: {row}");
        found.push((row["row"].as_u64().unwrap_or(0), row["column"].as_str().unwrap_or("").to_owned()));
    }
    found.sort();
    Ok(found)
}

async fn import_groups(ctx: &Ctx) -> CheckResult {
    let group = unique("tee");
    let (price, sale, other) = (ctx.price(2990).await?, ctx.price(1990).await?, ctx.price(3100).await?);
    let csv = format!(
        "{FEED_HEADER}\n\
         {group}-s-red,T-shirt,Coton bio,in stock,new,{price},https://shop.example/tee,https://shop.example/tee.jpg,Brand,{sale},{group},Red,S,https://shop.example/tee2.jpg,5\n\
         {group}-m-red,T-shirt,Coton bio,in stock,new,{price},https://shop.example/tee,https://shop.example/tee.jpg,Brand,,{group},Red,M,,0\n\
         {group}-m-blue,T-shirt,Coton bio,out of stock,new,{other},https://shop.example/tee,https://shop.example/tee-blue.jpg,Brand,,{group},Blue,M,,9\n"
    );
    ensure_eq!(ctx.import(csv).await?.expect(200)?, &json!({"products": 1, "variants": 3}), "the import report");
    let product = ctx.http.get(&format!("/v1/products/{group}")).await?;
    let product = product.expect(200)?;
    let currency = ctx.currency().await?;
    ensure_eq!(product["title"], json!("T-shirt"), "title");
    let variants = product["variants"].as_array().cloned().unwrap_or_default();
    ensure_eq!(variants.len(), 3, "three variants");
    ensure_eq!(variants[0]["price"], json!({"amount": 1990, "currency": currency}), "the sale price is the price");
    ensure_eq!(variants[0]["compare_at_price"], json!({"amount": 2990, "currency": currency}), "price becomes compare_at_price");
    ensure_eq!((variants[0]["available"].clone(), variants[0]["stock"].clone()), (json!(true), json!(5)), "5 in stock");
    ensure_eq!((variants[1]["available"].clone(), variants[1]["stock"].clone()), (json!(false), json!(0)), "quantity 0");
    ensure_eq!(
        (variants[2]["available"].clone(), variants[2]["stock"].clone()),
        (json!(false), json!(0)),
        "out of stock wins over a quantity"
    );
    ensure_eq!(product["images"].as_array().map(Vec::len), Some(3), "the images of every row, once each");
    // A sale price equal to the price is no sale: no compare-at price.
    let flat = unique("flat");
    let csv = format!("{FEED_HEADER}\n{flat},Bol,x,in stock,new,{price},,https://shop.example/b.jpg,,{price},,,,,\n");
    ctx.import(csv).await?.expect(200)?;
    let flat = ctx.http.get(&format!("/v1/products/{flat}")).await?;
    let variant = flat.expect(200)?["variants"][0].clone();
    ensure_eq!(
        (variant["price"].clone(), variant.get("compare_at_price").cloned().unwrap_or(Value::Null)),
        (json!({"amount": 2990, "currency": currency}), Value::Null),
        "sale_price equal to price"
    );
    Ok(())
}

async fn import_every_problem(ctx: &Ctx) -> CheckResult {
    let good = unique("good");
    let price = ctx.price(1200).await?;
    let csv = format!(
        "{FEED_HEADER}\n{}\n{}\n{}\n{}\n",
        feed_row(&good, "Bol", &price, "4"),
        feed_row(&unique("bad"), "Bol", "12,00 EUR", "4"),
        feed_row(&unique("bad"), "Bol", &price, "-1"),
        // Repeats the first id and has a bad price: both are reported.
        feed_row(&good, "Bol", "12.00 XXX", "4"),
    );
    let refused = ctx.import(csv).await?;
    let expected = [(3, "price"), (4, "quantity"), (5, "id"), (5, "price")].map(|(r, c)| (r, c.to_owned()));
    ensure_eq!(problems(&refused)?, expected.to_vec(), "every problem of every row");
    ctx.http.get(&format!("/v1/products/{good}")).await?.expect_error(404, "not_found")?;
    Ok(())
}

/// The `problem` kinds of an import refusal that say one (the field is optional).
fn kinds(response: &crate::Response) -> Vec<String> {
    let rows = response.body["rows"].as_array().cloned().unwrap_or_default();
    rows.iter().filter_map(|row| row["problem"].as_str().map(str::to_owned)).collect()
}

async fn import_file_errors(ctx: &Ctx) -> CheckResult {
    let empty = ctx.import("").await?;
    let required = ["availability", "description", "id", "image_link", "price", "title"];
    ensure_eq!(problems(&empty)?, required.map(|c| (1, c.to_owned())).to_vec(), "an empty file misses every required column, at row 1");
    ensure!(kinds(&empty).iter().all(|k| k == "missing_column"), "an empty file's problems are missing_column: {}", empty.body);
    let header_only = ctx.import(format!("{FEED_HEADER}\n")).await?;
    ensure_eq!(problems(&header_only)?.iter().map(|p| p.0).collect::<Vec<_>>(), vec![1], "a feed without rows is a problem of row 1");
    ensure!(kinds(&header_only).iter().all(|k| k == "no_rows"), "a feed without rows is no_rows: {}", header_only.body);
    let missing = problems(&ctx.import("id,title\nx,y\n").await?)?;
    ensure!(missing.contains(&(1, "price".to_owned())), "a missing column is named at row 1: {missing:?}");
    let price = ctx.price(100).await?;
    let mut bad_utf8 =
        format!("{FEED_HEADER}\n{}\n{}\n", feed_row(&unique("ok"), "Bol", &price, "1"), feed_row(&unique("latin1"), "BXl", &price, "1"))
            .into_bytes();
    let position = bad_utf8.windows(3).position(|w| w == b"BXl").unwrap_or(0) + 1;
    bad_utf8[position] = 0xE9; // "é" in Latin-1: not UTF-8
    let utf8 = problems(&ctx.import(bad_utf8).await?)?;
    ensure_eq!(utf8.iter().map(|p| p.0).collect::<Vec<_>>(), vec![3], "the row that is not UTF-8");
    Ok(())
}

async fn import_rows_are_records(ctx: &Ctx) -> CheckResult {
    let price = ctx.price(1000).await?;
    let csv = format!(
        "{FEED_HEADER}\n{id},Lampe,\"Une lampe\nsur deux lignes\",in stock,new,{price},,https://shop.example/l.jpg,,,,,,,\n{}\n",
        feed_row(&unique("bad"), "Bol", "dix euros", "1"),
        id = unique("lamp"),
    );
    ensure_eq!(problems(&ctx.import(csv).await?)?, vec![(3, "price".to_owned())], "the bad record is row 3 (line 4)");
    Ok(())
}

fn row(id: &str, group: &str, color: &str, size: &str, price: &str) -> String {
    format!("{id},Robe,,in stock,new,{price},,https://shop.example/{id}.jpg,,,{group},{color},{size},,3")
}

async fn import_options(ctx: &Ctx) -> CheckResult {
    let group = unique("robe");
    let price = ctx.price(5000).await?;
    let csv = format!(
        "{FEED_HEADER}\n{}\n{}\n{}\n{}\n",
        row(&format!("{group}-1"), &group, "", "M", &price),
        row(&format!("{group}-2"), &group, "Rouge", "S", &price),
        row(&format!("{group}-3"), &group, "", "", &price),
        row(&format!("{group}-4"), &group, "Bleu", "M", &price),
    );
    ctx.import(csv).await?.expect(200)?;
    let product = ctx.http.get(&format!("/v1/products/{group}")).await?;
    let product = product.expect(200)?;
    ensure_eq!(
        product["options"],
        json!([{"name": "color", "values": ["Rouge", "Bleu"]}, {"name": "size", "values": ["M", "S"]}]),
        "options"
    );
    let variants: Vec<(Value, Value)> = product["variants"]
        .as_array()
        .map(|v| v.iter().map(|v| (v["title"].clone(), v["option_values"].clone())).collect())
        .unwrap_or_default();
    let expected = vec![
        (json!("M"), json!(["", "M"])),
        (json!("Rouge / S"), json!(["Rouge", "S"])),
        (json!("Robe"), json!(["", ""])),
        (json!("Bleu / M"), json!(["Bleu", "M"])),
    ];
    ensure_eq!(variants, expected, "variant titles and option values, in file order");
    ensure_eq!(product["description"], json!(""), "an empty description is accepted");
    Ok(())
}

async fn import_availability(ctx: &Ctx) -> CheckResult {
    let (gone, untracked) = (unique("gone"), unique("free"));
    let price = ctx.price(1000).await?;
    let csv = format!(
        "{FEED_HEADER}\n{gone},Bol,x,out of stock,new,{price},,https://shop.example/b.jpg,,,,,,,\n{untracked},Bol,x,in stock,new,{price},,https://shop.example/b.jpg,,,,,,,\n"
    );
    ctx.import(csv).await?.expect(200)?;
    let gone = ctx.http.get(&format!("/v1/products/{gone}")).await?;
    let gone = &gone.expect(200)?["variants"][0];
    ensure_eq!((gone["available"].clone(), gone["stock"].clone()), (json!(false), json!(0)), "out of stock without quantity");
    let untracked = ctx.http.get(&format!("/v1/products/{untracked}")).await?;
    let untracked = &untracked.expect(200)?["variants"][0];
    ensure_eq!(
        (untracked["available"].clone(), untracked.get("stock").cloned()),
        (json!(true), None),
        "in stock without quantity: untracked"
    );
    Ok(())
}

async fn import_moves_variant(ctx: &Ctx) -> CheckResult {
    let (first, second) = (unique("first"), unique("second"));
    let variant = unique("v");
    let price = ctx.price(1000).await?;
    let row = |group: &str| format!("{variant},Tasse,x,in stock,new,{price},,https://shop.example/t.jpg,,,{group},,,,2");
    ctx.import(format!("{FEED_HEADER}\n{}\n", row(&first))).await?.expect(200)?;
    ctx.import(format!("{FEED_HEADER}\n{}\n", row(&second))).await?.expect(200)?;
    let product = ctx.http.get(&format!("/v1/products/{second}")).await?;
    ensure_eq!(product.expect(200)?["variants"][0]["id"], json!(variant), "the variant is in the new product");
    let quote = ctx.http.post("/v1/quote", &json!({"lines": [{"variant_id": variant, "quantity": 1}]})).await?;
    ensure_eq!(quote.expect(200)?["lines"][0]["product_id"], json!(second), "a quote names the new product");
    let emptied = ctx.http.get(&format!("/v1/products/{first}")).await?;
    emptied.expect_error(404, "not_found")?;
    Ok(())
}

async fn import_413(ctx: &Ctx) -> CheckResult {
    ctx.admin()?;
    let huge = format!("{FEED_HEADER}\n{}", "x".repeat(9 * 1024 * 1024));
    let answer = ctx.import(huge).await?;
    if answer.status == 422 {
        return super::skip("the backend reads 9 MiB feeds: its limit is higher than this check's feed");
    }
    answer.expect_error(413, "payload_too_large")?;
    Ok(())
}

async fn stock(ctx: &Ctx) -> CheckResult {
    // Imported `out of stock`: unavailable, stock 0.
    let id = unique("stock");
    let price = ctx.price(1000).await?;
    ctx.import(format!("{FEED_HEADER}\n{id},Bol,x,out of stock,new,{price},,https://shop.example/b.jpg,,,,,,,\n")).await?.expect(200)?;
    let path = format!("/v1/admin/variants/{id}/stock");
    let put = async |body: Value| ctx.http.send(ctx.admin_request(Method::PUT, &path)?.json(&body)).await;
    let answer = put(json!({"stock": 3})).await?;
    if matches!(answer.status, 404 | 405) {
        return skip("the backend has no stock endpoint (`PUT /v1/admin/variants/{id}/stock` is the reference backend's)");
    }
    let variant = |product: &Value| {
        let variant = &product["variants"][0];
        (variant["available"].clone(), variant.get("stock").cloned().unwrap_or(Value::Null))
    };
    ensure_eq!(variant(answer.expect(200)?), (json!(true), json!(3)), "a stock above 0 makes an `out of stock` variant available");
    let read = ctx.http.get(&format!("/v1/products/{id}")).await?;
    ensure_eq!(variant(read.expect(200)?), (json!(true), json!(3)), "GET shows the new stock");
    ensure_eq!(variant(put(json!({"stock": 0})).await?.expect(200)?), (json!(false), json!(0)), "stock 0: sold out");
    ensure_eq!(variant(put(json!({"stock": null})).await?.expect(200)?), (json!(true), Value::Null), "null: not tracked");
    ensure_eq!(variant(put(json!({"stock": 1_000_000_000})).await?.expect(200)?), (json!(true), json!(1_000_000_000)), "10^9");
    for refused in [json!({}), json!({"stock": -1}), json!({"stock": 1.5}), json!({"stock": "3"}), json!({"stock": 1_000_000_001})] {
        put(refused.clone()).await?.expect_error_at(422, "invalid_field", "stock")?;
    }
    ensure_eq!(ctx.stock(&id).await?, json!(1_000_000_000), "refused requests change nothing");
    let unknown =
        ctx.http.send(ctx.admin_request(Method::PUT, &format!("/v1/admin/variants/{}/stock", unique("none")))?.json(&json!({"stock": 1})));
    unknown.await?.expect_error(404, "not_found")?;
    Ok(())
}
