//! `POST /v1/quote`: the backend prices a bag.

use serde_json::{Value, json};

use super::{Ctx, FEED_HEADER, check, unique};
use crate::{Check, CheckResult, ensure, ensure_eq};

pub fn checks() -> Vec<Check> {
    vec![
        check!("quote.server-prices", "prices come from the backend; client prices and unknown fields are ignored", server_prices),
        check!(
            "quote.unknown-variant",
            "an unknown variant's line: not_found at lines[i].variant_id, empty texts, zero prices",
            unknown_variant
        ),
        check!("quote.shared-stock", "lines of one variant share its stock, in line order; a line with an error takes none", shared_stock),
        check!("quote.sold-out", "an unavailable variant's line: out_of_stock with available_quantity 0", sold_out),
        check!("quote.shipping", "shipping options with an address; the cheapest unless one is asked; the totals add up", shipping),
        check!("quote.no-address", "without an address: no shipping options, not orderable", no_address),
        check!("quote.line-post", "a line's post_id is accepted and changes no price", line_post),
        check!("quote.validation", "a refused request names its field: lines, lines[i].quantity, address.*, shipping_option", validation),
    ]
}

async fn server_prices(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(1200, 5).await?;
    let currency = ctx.currency().await?;
    let lines = json!([{"variant_id": mug, "quantity": 2, "price": 1, "unit_price": {"amount": 1, "currency": currency}}]);
    let quote = ctx.http.post("/v1/quote", &json!({"lines": lines, "total": 1, "anything": {"new": true}})).await?;
    let quote = quote.expect(200)?;
    ensure_eq!(quote["currency"], json!(currency), "currency");
    let line = &quote["lines"][0];
    ensure_eq!(line["unit_price"], json!({"amount": 1200, "currency": currency}), "client prices are ignored");
    ensure_eq!(line["total"]["amount"], json!(2400), "line total");
    ensure_eq!(
        (line["variant_id"].clone(), line["product_id"].clone(), line["quantity"].clone()),
        (json!(mug), json!(mug), json!(2)),
        "the line"
    );
    ensure!(line.get("error").is_none_or(Value::is_null), "no error: {line}");
    ensure_eq!(line["available_quantity"], json!(5), "available_quantity of a tracked variant");
    ensure_eq!(quote["subtotal"]["amount"], json!(2400), "subtotal");
    Ok(())
}

async fn line_post(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(1200, 5).await?;
    let quote = |post: Value| json!({"lines": [{"variant_id": mug, "quantity": 2, "post_id": post}]});
    let with_post = ctx.http.post("/v1/quote", &quote(json!(unique("look")))).await?;
    let without = ctx.http.post("/v1/quote", &quote(Value::Null)).await?;
    let (with_post, without) = (with_post.expect(200)?, without.expect(200)?);
    ensure!(with_post["lines"][0].get("error").is_none_or(Value::is_null), "no error: {}", with_post["lines"][0]);
    ensure_eq!(
        (with_post["lines"][0]["total"].clone(), with_post["subtotal"].clone()),
        (without["lines"][0]["total"].clone(), without["subtotal"].clone()),
        "the same prices with and without a post"
    );
    Ok(())
}

async fn unknown_variant(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(1200, 5).await?;
    let ghost = unique("ghost");
    let quote =
        ctx.http.post("/v1/quote", &json!({"lines": [{"variant_id": mug, "quantity": 1}, {"variant_id": ghost, "quantity": 3}]})).await?;
    let quote = quote.expect(200)?;
    let currency = ctx.currency().await?;
    let line = &quote["lines"][1];
    ensure_eq!(
        (line["error"]["code"].clone(), line["error"]["field"].clone()),
        (json!("not_found"), json!("lines[1].variant_id")),
        "the line's error"
    );
    ensure!(line["error"]["message"].is_string(), "the line's error has a message: {line}");
    ensure_eq!((line["variant_id"].clone(), line["quantity"].clone()), (json!(ghost), json!(3)), "the line echoes what was asked");
    ensure_eq!(
        (line["product_id"].clone(), line["title"].clone(), line["variant_title"].clone()),
        (json!(""), json!(""), json!("")),
        "texts that cannot be known are empty"
    );
    let zero = json!({"amount": 0, "currency": currency});
    ensure_eq!((line["unit_price"].clone(), line["total"].clone()), (zero.clone(), zero), "prices that cannot be known are zero");
    ensure_eq!(quote["subtotal"]["amount"], json!(1200), "a line with an error is left out of the subtotal");
    ensure_eq!(quote["orderable"], json!(false), "not orderable");
    Ok(())
}

fn line_summary(quote: &Value) -> Vec<(Value, Value)> {
    quote["lines"]
        .as_array()
        .map(|l| l.iter().map(|l| (l["error"]["code"].clone(), l["available_quantity"].clone())).collect())
        .unwrap_or_default()
}

async fn shared_stock(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(1000, 2).await?;
    let quote = async |quantities: &[u32]| {
        let lines: Vec<Value> = quantities.iter().map(|q| json!({"variant_id": mug, "quantity": q})).collect();
        ctx.http.post("/v1/quote", &json!({"lines": lines})).await
    };
    let null = Value::Null;
    let both = quote(&[1, 1]).await?;
    ensure_eq!(line_summary(both.expect(200)?), vec![(null.clone(), json!(2)), (null.clone(), json!(1))], "[1, 1] of 2 units");
    let second_short = quote(&[2, 1]).await?;
    let second_short = second_short.expect(200)?;
    ensure_eq!(line_summary(second_short), vec![(null.clone(), json!(2)), (json!("out_of_stock"), json!(0))], "[2, 1] of 2 units");
    ensure_eq!(second_short["lines"][1]["error"]["field"], json!("lines[1].quantity"), "the error names the line's quantity");
    let first_short = quote(&[3, 1]).await?;
    let first_short = first_short.expect(200)?;
    ensure_eq!(line_summary(first_short), vec![(json!("out_of_stock"), json!(2)), (null, json!(2))], "[3, 1] of 2 units");
    ensure_eq!(first_short["subtotal"]["amount"], json!(1000), "only the line that can be served counts");
    Ok(())
}

async fn sold_out(ctx: &Ctx) -> CheckResult {
    let gone = unique("gone");
    let price = ctx.price(1000).await?;
    ctx.import(format!("{FEED_HEADER}\n{gone},Bol,x,out of stock,new,{price},,https://shop.example/b.jpg,,,,,,,\n")).await?.expect(200)?;
    let quote = ctx.http.post("/v1/quote", &json!({"lines": [{"variant_id": gone, "quantity": 1}]})).await?;
    let quote = quote.expect(200)?;
    ensure_eq!(line_summary(quote), vec![(json!("out_of_stock"), json!(0))], "a sold-out variant");
    ensure_eq!(quote["lines"][0]["title"], json!("Bol"), "its title is known");
    Ok(())
}

async fn shipping(ctx: &Ctx) -> CheckResult {
    let mug = ctx.stocked(1200, 5).await?;
    let address = ctx.address().await?;
    let quote = ctx.http.post("/v1/quote", &json!({"lines": [{"variant_id": mug, "quantity": 1}], "address": address})).await?;
    let quote = quote.expect(200)?;
    let Some(options) = quote["shipping_options"].as_array().filter(|o| !o.is_empty()) else {
        crate::fail!("a quote with an address lists shipping options: {quote}")
    };
    let cheapest = options.iter().min_by_key(|o| o["price"]["amount"].as_i64()).cloned().unwrap_or_default();
    ensure_eq!(quote["selected_shipping_option"], cheapest["id"], "the cheapest option is selected by default");
    check_totals(quote)?;
    ensure_eq!(quote["orderable"], json!(true), "orderable");
    for option in options {
        ensure!(
            option["id"].is_string() && option["label"].is_string() && option["min_days"].is_u64() && option["max_days"].is_u64(),
            "an option: {option}"
        );
        let chosen = ctx
            .http
            .post("/v1/quote", &json!({"lines": [{"variant_id": mug, "quantity": 1}], "address": address, "shipping_option": option["id"]}))
            .await?;
        let chosen = chosen.expect(200)?;
        ensure_eq!(chosen["selected_shipping_option"], option["id"], "the option asked for is selected");
        ensure_eq!(chosen["shipping"], option["price"], "shipping is the option's price");
        check_totals(chosen)?;
    }
    Ok(())
}

fn check_totals(quote: &Value) -> CheckResult {
    let amount = |v: &Value| v["amount"].as_i64().unwrap_or(i64::MIN);
    let (subtotal, shipping, tax, total) =
        (amount(&quote["subtotal"]), amount(&quote["shipping"]), amount(&quote["tax"]), amount(&quote["total"]));
    let expected = if quote["tax_included"] == true { subtotal + shipping } else { subtotal + shipping + tax };
    ensure_eq!(total, expected, "total = subtotal + shipping (+ tax when not included): {quote}");
    ensure!(tax >= 0 && quote["tax_included"].is_boolean(), "tax and tax_included: {quote}");
    Ok(())
}

async fn no_address(ctx: &Ctx) -> CheckResult {
    let quote = ctx.http.post("/v1/quote", &json!({"lines": [{"variant_id": unique("any"), "quantity": 1}]})).await?;
    let quote = quote.expect(200)?;
    ensure_eq!((quote["shipping_options"].clone(), quote["orderable"].clone()), (json!([]), json!(false)), "no options, not orderable");
    ensure!(quote.get("selected_shipping_option").is_none_or(Value::is_null), "no option selected: {quote}");
    Ok(())
}

async fn validation(ctx: &Ctx) -> CheckResult {
    let address = ctx.address().await?;
    let line = json!([{"variant_id": unique("any"), "quantity": 1}]);
    let with_address = |change: &dyn Fn(&mut Value)| {
        let mut address = address.clone();
        change(&mut address);
        json!({"lines": line, "address": address})
    };
    let lines: Vec<Value> = (0..51).map(|_| json!({"variant_id": "a", "quantity": 1})).collect();
    let cases = [
        (json!({"lines": []}), "lines"),
        (json!({"lines": lines}), "lines"),
        (json!({"lines": [{"variant_id": "a", "quantity": 0}]}), "lines[0].quantity"),
        (json!({"lines": [{"variant_id": "a", "quantity": 1}, {"variant_id": "a", "quantity": 100}]}), "lines[1].quantity"),
        (with_address(&|a| a["country"] = json!("ZZ")), "address.country"),
        (with_address(&|a| a["email"] = json!("camille.example.com")), "address.email"),
        (with_address(&|a| a["name"] = json!("   ")), "address.name"),
        (with_address(&|a| a["city"] = json!("")), "address.city"),
        (with_address(&|a| a["postal_code"] = json!("")), "address.postal_code"),
        (with_address(&|a| a["line1"] = json!(" ")), "address.line1"),
        (json!({"lines": line, "address": address, "shipping_option": unique("teleport")}), "shipping_option"),
    ];
    for (request, field) in cases {
        let refused = ctx.http.post("/v1/quote", &request).await?;
        refused.expect_error_at(422, "invalid_field", field)?;
    }
    Ok(())
}
