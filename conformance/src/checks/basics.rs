//! Conventions, errors, CORS, configuration, posts and products.

use reqwest::Method;
use serde_json::{Value, json};

use super::{Ctx, FEED_HEADER, check, skip, strings, unique};
use crate::{Check, CheckResult, Problem, ensure, ensure_eq, fail};

pub fn checks() -> Vec<Check> {
    vec![
        check!("config.shape", "GET /v1/config: version 1, currencies, countries, payment methods, cancel window", config_shape),
        check!("errors.shape", "every failure is JSON {code, message, field?} with its status (unknown path: 404 not_found)", errors_shape),
        check!("errors.method-405", "a known path with another method: 405 method_not_allowed", method_405),
        check!("errors.malformed-400", "unparsable JSON or a missing JSON content type: 400 malformed_request", malformed_400),
        check!("errors.invalid-field-422", "a body of the wrong shape: 422 invalid_field naming the value", invalid_field_422),
        check!("errors.undecodable-path-400", "a path that does not percent-decode to UTF-8: 400 malformed_request", undecodable_path_400),
        check!("errors.not-found-404", "an unknown post or product id: 404 not_found", not_found_404),
        check!("limits.json-64kib", "JSON bodies up to 64 KiB are read", json_64kib),
        check!("limits.payload-413", "a body over the backend's limit: 413 payload_too_large", payload_413),
        check!("cors.preflight", "a preflight from an allowed origin allows the protocol's methods and headers", cors_preflight),
        check!("cors.refused-origin", "a preflight from another origin gets no Access-Control-Allow-Origin", cors_refused),
        check!("cors.error-answers", "error answers carry Access-Control-Allow-Origin too", cors_errors),
        check!("cors.vary", "an answer whose CORS headers depend on Origin says `Vary: Origin`", cors_vary),
        check!("admin.unauthorized-401", "admin paths without the right token: 401 unauthorized", admin_unauthorized),
        check!("admin.routing-404-405", "with the token, unknown admin paths are 404 and wrong methods 405", admin_routing),
        check!("admin.posts-put", "PUT creates (200 or 201) or replaces (200) a post; DELETE 204 then 404", admin_posts_put),
        check!(
            "admin.posts-validation",
            "a refused post names its field: image.url, image.width, tags, tags[i].x, tags[i].product_id, id",
            admin_posts_validation
        ),
        check!(
            "admin.media",
            "POST /v1/admin/media: 201 with a /v1/media/ url serving the same bytes; 422 for a disguised file; 401",
            admin_media
        ),
        check!("posts.read", "GET /v1/posts/{id}: the image as saved, tags with positions and product summaries", posts_read),
        check!("posts.tag-ids", "tag ids are unique and non-empty within a post", posts_tag_ids),
        check!("posts.gone-product", "a tag whose product no longer exists is left out", posts_gone_product),
        check!("posts.batch", "GET /v1/posts?ids=: posts in the order asked, duplicates once, unknown ids in missing", posts_batch),
        check!(
            "posts.batch-limits",
            "ids: 1 to 50 after dropping duplicates and empty items; 400 without ids, 422 field ids",
            posts_batch_limits
        ),
        check!("products.read", "GET /v1/products/{id}: options, variants with titles, option values and prices", products_read),
        check!("products.search", "GET /v1/products?q=: title substring, case-insensitive, ordered by title then id", products_search),
        check!("products.search-limit", "limit 1 to 100 (422 field limit otherwise; 400 field limit for limit=x)", products_search_limit),
    ]
}

async fn config_shape(ctx: &Ctx) -> CheckResult {
    let config = ctx.config().await?;
    ensure_eq!(config["protocol_version"], json!(1), "protocol_version");
    let codes = |value: &Value, len: usize| {
        value.as_array().is_some_and(|a| {
            !a.is_empty() && a.iter().all(|c| c.as_str().is_some_and(|c| c.len() == len && c.bytes().all(|b| b.is_ascii_uppercase())))
        })
    };
    ensure!(codes(&config["currencies"], 3), "currencies: a non-empty list of ISO 4217 codes in capitals: {}", config["currencies"]);
    ensure!(codes(&config["countries"], 2), "countries: a non-empty list of ISO 3166-1 alpha-2 codes in capitals: {}", config["countries"]);
    let Some(methods) = config["payment_methods"].as_array() else { fail!("payment_methods is a list: {config}") };
    for method in methods {
        let url = method["tokenize_url"].as_str().unwrap_or("");
        ensure!(method["provider"].is_string(), "payment_methods[].provider is a string: {method}");
        ensure!(
            url.starts_with("https://") || url.starts_with("http://") || url.starts_with("/v1/"),
            "tokenize_url is an absolute http(s) URL or a path starting with /v1/: {method}"
        );
        ensure!(method["brands"].is_array(), "payment_methods[].brands is a list: {method}");
    }
    ensure!(config["cancel_window_seconds"].as_u64().is_some(), "cancel_window_seconds is a whole number: {config}");
    ensure!(config["shop_name"].is_string(), "shop_name is a string");
    Ok(())
}

async fn errors_shape(ctx: &Ctx) -> CheckResult {
    ctx.http.get("/v1/no/such/route").await?.expect_error(404, "not_found")?;
    let error = ctx.http.post("/v1/quote", &json!({"lines": []})).await?;
    error.expect_error(422, "invalid_field")?;
    Ok(())
}

async fn method_405(ctx: &Ctx) -> CheckResult {
    ctx.http.send(ctx.http.request(Method::DELETE, "/v1/config")).await?.expect_error(405, "method_not_allowed")?;
    ctx.http.get("/v1/quote").await?.expect_error(405, "method_not_allowed")?;
    Ok(())
}

fn json_post(ctx: &Ctx, path: &str, body: &str) -> reqwest::RequestBuilder {
    ctx.http.request(Method::POST, path).header("Content-Type", "application/json").body(body.to_owned())
}

async fn malformed_400(ctx: &Ctx) -> CheckResult {
    ctx.http.send(json_post(ctx, "/v1/quote", "{\"lines\": [")).await?.expect_error(400, "malformed_request")?;
    ctx.http.send(json_post(ctx, "/v1/quote", "not json")).await?.expect_error(400, "malformed_request")?;
    let text = ctx.http.request(Method::POST, "/v1/quote").header("Content-Type", "text/plain").body("{\"lines\": []}");
    ctx.http.send(text).await?.expect_error(400, "malformed_request")?;
    Ok(())
}

async fn invalid_field_422(ctx: &Ctx) -> CheckResult {
    let two = ctx.http.send(json_post(ctx, "/v1/quote", r#"{"lines": [{"variant_id": "a", "quantity": "two"}]}"#)).await?;
    two.expect_error_at(422, "invalid_field", "lines[0].quantity")?;
    let negative = ctx.http.send(json_post(ctx, "/v1/quote", r#"{"lines": [{"variant_id": "a", "quantity": -1}]}"#)).await?;
    negative.expect_error_at(422, "invalid_field", "lines[0].quantity")?;
    let missing = ctx.http.send(json_post(ctx, "/v1/quote", r#"{"address": null}"#)).await?;
    missing.expect_error_at(422, "invalid_field", "lines")?;
    let missing_inner = ctx.http.send(json_post(ctx, "/v1/quote", r#"{"lines": [{"quantity": 1}]}"#)).await?;
    missing_inner.expect_error_at(422, "invalid_field", "lines[0].variant_id")?;
    // A body that is not an object is about the whole body: no `field`.
    let array = ctx.http.send(json_post(ctx, "/v1/quote", "[]")).await?;
    array.expect_error(422, "invalid_field")?;
    ensure!(array.body.get("field").is_none_or(Value::is_null), "a non-object body has no `field`: {}", array.body);
    Ok(())
}

async fn undecodable_path_400(ctx: &Ctx) -> CheckResult {
    ctx.http.get("/v1/posts/%FF").await?.expect_error(400, "malformed_request")?;
    ctx.http.get("/v1/products/%C3%28").await?.expect_error(400, "malformed_request")?;
    Ok(())
}

async fn not_found_404(ctx: &Ctx) -> CheckResult {
    ctx.http.get(&format!("/v1/posts/{}", unique("no-such-post"))).await?.expect_error(404, "not_found")?;
    ctx.http.get(&format!("/v1/products/{}", unique("no-such-product"))).await?.expect_error(404, "not_found")?;
    Ok(())
}

async fn json_64kib(ctx: &Ctx) -> CheckResult {
    let body = json!({"lines": [{"variant_id": unique("ghost"), "quantity": 1}], "padding": "x".repeat(60 * 1024)});
    ctx.http.post("/v1/quote", &body).await?.expect(200)?;
    Ok(())
}

async fn payload_413(ctx: &Ctx) -> CheckResult {
    let huge = format!(r#"{{"lines": [], "padding": "{}"}}"#, "x".repeat(2 * 1024 * 1024));
    let answer = ctx.http.send(json_post(ctx, "/v1/quote", &huge)).await?;
    if answer.status == 422 {
        return skip("the backend reads 2 MiB JSON bodies: its limit is higher than this check's body");
    }
    answer.expect_error(413, "payload_too_large")?;
    Ok(())
}

fn preflight(ctx: &Ctx, origin: &str, method: &str, headers: &str) -> reqwest::RequestBuilder {
    ctx.http
        .request(Method::OPTIONS, "/v1/orders")
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method)
        .header("Access-Control-Request-Headers", headers)
}

fn allows_origin(response: &crate::Response, origin: &str) -> bool {
    response.header("access-control-allow-origin").is_some_and(|v| v == origin || v == "*")
}

async fn cors_preflight(ctx: &Ctx) -> CheckResult {
    let origin = ctx.allowed_origin()?;
    for method in ["GET", "POST", "PUT", "DELETE"] {
        let answer = ctx.http.send(preflight(ctx, origin, method, "content-type,idempotency-key,order-secret,authorization")).await?;
        ensure!(answer.status / 100 == 2, "a preflight for {method} is answered 2xx, not {}", answer.status);
        ensure!(allows_origin(&answer, origin), "a preflight from {origin} gets Access-Control-Allow-Origin: {:?}", answer.headers);
        let methods = answer.header("access-control-allow-methods").unwrap_or("").to_ascii_uppercase();
        ensure!(methods == "*" || methods.split(',').any(|m| m.trim() == method), "Access-Control-Allow-Methods has {method}: `{methods}`");
        let headers = answer.header("access-control-allow-headers").unwrap_or("").to_ascii_lowercase();
        for needed in ["content-type", "idempotency-key", "order-secret", "authorization"] {
            ensure!(
                headers == "*" || headers.split(',').any(|h| h.trim() == needed),
                "Access-Control-Allow-Headers has {needed}: `{headers}`"
            );
        }
    }
    Ok(())
}

async fn cors_refused(ctx: &Ctx) -> CheckResult {
    let allowed = ctx.allowed_origin()?;
    let other = "https://refused.conformance.invalid";
    if allowed == other {
        return skip("--origin is the origin this check uses as a refused one");
    }
    let answer = ctx.http.send(preflight(ctx, other, "POST", "content-type")).await?;
    match answer.header("access-control-allow-origin") {
        Some("*") => skip("the backend allows every origin (`*`), so no origin is refused"),
        Some(value) if value == other => fail!("a preflight from {other} is allowed"),
        _ => Ok(()),
    }
}

async fn cors_errors(ctx: &Ctx) -> CheckResult {
    let origin = ctx.allowed_origin()?;
    let not_found = ctx.http.send(ctx.http.request(Method::GET, &format!("/v1/posts/{}", unique("none"))).header("Origin", origin)).await?;
    not_found.expect_error(404, "not_found")?;
    ensure!(allows_origin(&not_found, origin), "a 404 answer to {origin} carries Access-Control-Allow-Origin: {:?}", not_found.headers);
    let invalid = ctx.http.send(ctx.http.request(Method::POST, "/v1/quote").header("Origin", origin).json(&json!({"lines": []}))).await?;
    invalid.expect_error(422, "invalid_field")?;
    ensure!(allows_origin(&invalid, origin), "a 422 answer carries Access-Control-Allow-Origin");
    let no_key = ctx.http.send(ctx.http.request(Method::POST, "/v1/orders").header("Origin", origin).json(&json!({}))).await?;
    ensure!(no_key.status / 100 == 4, "an order without key is refused: {}", no_key.status);
    ensure!(allows_origin(&no_key, origin), "a {} answer to POST /v1/orders carries Access-Control-Allow-Origin", no_key.status);
    Ok(())
}

async fn cors_vary(ctx: &Ctx) -> CheckResult {
    let origin = ctx.allowed_origin()?;
    let answer = ctx.http.send(ctx.http.request(Method::GET, "/v1/config").header("Origin", origin)).await?;
    answer.expect(200)?;
    if answer.header("access-control-allow-origin") == Some("*") {
        return skip("the backend answers `*` to every origin: nothing varies");
    }
    let vary: Vec<String> = answer
        .headers
        .get_all("vary")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_ascii_lowercase())
        .collect();
    ensure!(vary.iter().any(|v| v == "origin" || v == "*"), "`Vary` names Origin: {vary:?}");
    Ok(())
}

async fn admin_unauthorized(ctx: &Ctx) -> CheckResult {
    let input = json!({"image": {"url": "/a.jpg", "width": 1, "height": 1}, "tags": []});
    let anonymous = ctx.http.send(ctx.http.request(Method::PUT, &format!("/v1/admin/posts/{}", unique("p"))).json(&input)).await?;
    if matches!(anonymous.status, 404 | 405) {
        return skip("the backend has no admin API (it is optional)");
    }
    anonymous.expect_error(401, "unauthorized")?;
    let wrong = |method, path: &str| ctx.http.request(method, path).bearer_auth("wrong-token-of-the-conformance-tool");
    ctx.http.send(wrong(Method::GET, "/v1/admin/orders")).await?.expect_error(401, "unauthorized")?;
    let import = wrong(Method::POST, "/v1/admin/catalog/import").header("Content-Type", "text/csv").body("id\n");
    ctx.http.send(import).await?.expect_error(401, "unauthorized")?;
    Ok(())
}

async fn admin_routing(ctx: &Ctx) -> CheckResult {
    let unknown = ctx.http.send(ctx.admin_request(Method::GET, "/v1/admin/no-such-thing")?).await?;
    unknown.expect_error(404, "not_found")?;
    let wrong_method = ctx.http.send(ctx.admin_request(Method::DELETE, "/v1/admin/orders")?).await?;
    wrong_method.expect_error(405, "method_not_allowed")?;
    Ok(())
}

/// A post with one tag on a new product; returns (post id, product id, the PUT answer).
async fn new_post(ctx: &Ctx) -> Result<(String, String, crate::Response), Problem> {
    let product = ctx.stocked(1500, 3).await?;
    let post_id = unique("look");
    let input = json!({
        "image": {"url": "https://shop.example/look.jpg", "width": 800, "height": 600, "alt": "A look"},
        "tags": [{"x": 0.25, "y": 0.75, "product_id": product}, {"x": 0.0, "y": 1.0, "product_id": product}],
    });
    let saved = ctx.http.send(ctx.admin_request(Method::PUT, &format!("/v1/admin/posts/{post_id}"))?.json(&input)).await?;
    Ok((post_id, product, saved))
}

async fn admin_posts_put(ctx: &Ctx) -> CheckResult {
    let (post_id, product, created) = new_post(ctx).await?;
    ensure!(matches!(created.status, 200 | 201), "creating a post answers 200 or 201, not {} {}", created.status, created.body);
    ensure_eq!(created.body["id"], json!(post_id), "the answer is the post");
    let path = format!("/v1/admin/posts/{post_id}");
    let replacement =
        json!({"image": {"url": "/images/other.png", "width": 10, "height": 20}, "tags": [{"x": 0.5, "y": 0.5, "product_id": product}]});
    let replaced = ctx.http.send(ctx.admin_request(Method::PUT, &path)?.json(&replacement)).await?;
    let replaced = replaced.expect(200)?;
    ensure_eq!(replaced["tags"].as_array().map(Vec::len), Some(1), "the replaced post has the new tags");
    let read = ctx.http.get(&format!("/v1/posts/{post_id}")).await?;
    ensure_eq!(read.expect(200)?["image"]["url"], json!("/images/other.png"), "GET shows the replacement");
    let deleted = ctx.http.send(ctx.admin_request(Method::DELETE, &path)?).await?;
    ensure_eq!(deleted.status, 204, "DELETE answers 204");
    ctx.http.get(&format!("/v1/posts/{post_id}")).await?.expect_error(404, "not_found")?;
    ctx.http.send(ctx.admin_request(Method::DELETE, &path)?).await?.expect_error(404, "not_found")?;
    Ok(())
}

async fn admin_posts_validation(ctx: &Ctx) -> CheckResult {
    let product = ctx.stocked(1500, 3).await?;
    let path = format!("/v1/admin/posts/{}", unique("look"));
    let image = json!({"url": "https://shop.example/look.jpg", "width": 800, "height": 600});
    let tag = |x: f64, y: f64, product_id: &str| json!({"x": x, "y": y, "product_id": product_id});
    let cases = [
        (json!({"image": image, "tags": [tag(1.5, 0.5, &product)]}), "tags[0].x"),
        (json!({"image": image, "tags": [tag(0.5, 0.5, &product), tag(0.5, -0.1, &product)]}), "tags[1].y"),
        (json!({"image": image, "tags": [tag(0.5, 0.5, &unique("none"))]}), "tags[0].product_id"),
        (json!({"image": {"url": "javascript:alert(1)", "width": 1, "height": 1}, "tags": []}), "image.url"),
        (json!({"image": {"url": "/a.png", "width": 0, "height": 1}, "tags": []}), "image.width"),
        (json!({"image": image, "tags": vec![tag(0.5, 0.5, &product); 6]}), "tags"),
    ];
    for (input, field) in cases {
        let refused = ctx.http.send(ctx.admin_request(Method::PUT, &path)?.json(&input)).await?;
        refused.expect_error_at(422, "invalid_field", field)?;
    }
    let bad_id = ctx.http.send(ctx.admin_request(Method::PUT, "/v1/admin/posts/a%20b")?.json(&json!({"image": image, "tags": []}))).await?;
    bad_id.expect_error_at(422, "invalid_field", "id")?;
    Ok(())
}

/// A 1×1 transparent PNG.
const PNG: [u8; 70] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63,
    0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

async fn admin_media(ctx: &Ctx) -> CheckResult {
    let upload = |content_type: &str, body: Vec<u8>| {
        Ok::<_, Problem>(ctx.admin_request(Method::POST, "/v1/admin/media")?.header("Content-Type", content_type).body(body))
    };
    let answer = ctx.http.send(upload("image/png", PNG.to_vec())?).await?;
    if matches!(answer.status, 404 | 405) {
        return skip("the backend takes no photo uploads (they are optional)");
    }
    let body = answer.expect(201)?;
    let url = body["url"].as_str().unwrap_or("").to_owned();
    ensure!(url.starts_with("/v1/media/"), "`url` is a path under the base URL: {body}");
    ensure_eq!(
        (body["content_type"].as_str(), body["size"].as_u64()),
        (Some("image/png"), Some(PNG.len() as u64)),
        "content_type and size"
    );
    let photo = ctx.http.get(&url).await?;
    ensure_eq!(photo.status, 200, "GET {url}");
    ensure_eq!(photo.raw, PNG.to_vec(), "the same bytes");
    ensure_eq!(photo.header("content-type"), Some("image/png"), "Content-Type");
    ensure_eq!(photo.header("x-content-type-options"), Some("nosniff"), "X-Content-Type-Options");
    let disguised = ctx.http.send(upload("image/png", b"<html><script>alert(1)</script></html>".to_vec())?).await?;
    disguised.expect_error(422, "invalid_field")?;
    let anonymous = ctx.http.request(Method::POST, "/v1/admin/media").header("Content-Type", "image/png").body(PNG.to_vec());
    ctx.http.send(anonymous).await?.expect_error(401, "unauthorized")?;
    Ok(())
}

async fn posts_read(ctx: &Ctx) -> CheckResult {
    let (post_id, product, saved) = new_post(ctx).await?;
    ensure!(matches!(saved.status, 200 | 201), "the post is saved: {} {}", saved.status, saved.body);
    let post = ctx.http.get(&format!("/v1/posts/{post_id}")).await?;
    let post = post.expect(200)?;
    ensure_eq!(post["id"], json!(post_id), "id");
    ensure_eq!(
        post["image"],
        json!({"url": "https://shop.example/look.jpg", "width": 800, "height": 600, "alt": "A look"}),
        "the image as saved"
    );
    let tag = &post["tags"][0];
    ensure_eq!((tag["x"].as_f64(), tag["y"].as_f64()), (Some(0.25), Some(0.75)), "the tag's position");
    ensure_eq!(tag["product"]["id"], json!(product), "the tag's product");
    ensure_eq!(tag["product"]["price"], json!({"amount": 1500, "currency": ctx.currency().await?}), "the summary's price");
    ensure_eq!(tag["product"]["available"], json!(true), "the summary's availability");
    ensure!(tag["product"]["title"].is_string(), "the summary has a title: {tag}");
    Ok(())
}

async fn posts_tag_ids(ctx: &Ctx) -> CheckResult {
    let (post_id, _, _) = new_post(ctx).await?;
    let post = ctx.http.get(&format!("/v1/posts/{post_id}")).await?;
    let ids = post.expect(200)?["tags"]
        .as_array()
        .map(|tags| tags.iter().map(|t| t["id"].as_str().unwrap_or("").to_owned()).collect::<Vec<_>>())
        .unwrap_or_default();
    ensure_eq!(ids.len(), 2, "both tags are shown");
    ensure!(ids.iter().all(|id| !id.is_empty()) && ids[0] != ids[1], "tag ids are unique and non-empty: {ids:?}");
    Ok(())
}

async fn posts_gone_product(ctx: &Ctx) -> CheckResult {
    let (post_id, product, _) = new_post(ctx).await?;
    // Moving the product's only variant to another product removes the product.
    let price = ctx.price(1500).await?;
    let csv = format!("{FEED_HEADER}\n{product},Mug,x,in stock,new,{price},,https://shop.example/m.jpg,,,{},,,,3\n", unique("other"));
    ctx.import(csv).await?.expect(200)?;
    ctx.http.get(&format!("/v1/products/{product}")).await?.expect_error(404, "not_found")?;
    let post = ctx.http.get(&format!("/v1/posts/{post_id}")).await?;
    ensure_eq!(post.expect(200)?["tags"], json!([]), "the tags of a gone product");
    let batch = ctx.http.get(&format!("/v1/posts?ids={post_id}")).await?;
    ensure_eq!(batch.expect(200)?["posts"][0]["tags"], json!([]), "the same in a batch");
    Ok(())
}

async fn posts_batch(ctx: &Ctx) -> CheckResult {
    let (first, _, _) = new_post(ctx).await?;
    let (second, _, _) = new_post(ctx).await?;
    let nope = unique("nope");
    let batch = ctx.http.get(&format!("/v1/posts?ids={second},{nope},{first},{second}")).await?;
    let batch = batch.expect(200)?;
    let ids: Vec<String> =
        batch["posts"].as_array().map(|p| p.iter().map(|p| p["id"].as_str().unwrap_or("").to_owned()).collect()).unwrap_or_default();
    ensure_eq!(ids, vec![second.clone(), first.clone()], "posts in the order asked, each once");
    ensure_eq!(strings(&batch["missing"]), vec![nope], "missing");
    Ok(())
}

async fn posts_batch_limits(ctx: &Ctx) -> CheckResult {
    let ids: Vec<String> = (0..51).map(|i| format!("{}-{i}", unique("p"))).collect();
    let too_many = ctx.http.get(&format!("/v1/posts?ids={}", ids.join(","))).await?;
    too_many.expect_error_at(422, "invalid_field", "ids")?;
    // 50 distinct ids, one repeated and empty items: within the limit once reduced.
    let fifty = format!("{},{},,", ids[..50].join(","), ids[0]);
    let answer = ctx.http.get(&format!("/v1/posts?ids={fifty}")).await?;
    ensure_eq!(answer.expect(200)?["missing"].as_array().map(Vec::len), Some(50), "50 distinct ids are read");
    ctx.http.get("/v1/posts?ids=").await?.expect_error_at(422, "invalid_field", "ids")?;
    ctx.http.get("/v1/posts?ids=,,").await?.expect_error_at(422, "invalid_field", "ids")?;
    ctx.http.get("/v1/posts").await?.expect_error_at(400, "malformed_request", "ids")?;
    Ok(())
}

async fn products_read(ctx: &Ctx) -> CheckResult {
    let id = ctx.stocked(1200, 4).await?;
    let product = ctx.http.get(&format!("/v1/products/{id}")).await?;
    let product = product.expect(200)?;
    ensure_eq!(product["id"], json!(id), "id");
    ensure!(product["title"].is_string() && product["description"].is_string(), "title and description: {product}");
    let options = product["options"].as_array().map(Vec::len);
    let Some(variants) = product["variants"].as_array().filter(|v| !v.is_empty()) else { fail!("at least one variant: {product}") };
    for variant in variants {
        ensure_eq!(variant["option_values"].as_array().map(Vec::len), options, "one option value per option axis");
        ensure!(variant["title"].is_string() && variant["price"]["amount"].is_i64(), "a variant has a title and a price: {variant}");
    }
    ensure_eq!(variants[0]["title"], product["title"], "a variant without options is titled like its product");
    ensure_eq!((variants[0]["available"].clone(), variants[0]["stock"].clone()), (json!(true), json!(4)), "available, 4 in stock");
    Ok(())
}

async fn products_search(ctx: &Ctx) -> CheckResult {
    let token = unique("srch").replace('-', "");
    let group = unique("s");
    // Titles that differ by case only are tied, and ties go by id.
    let rows = [
        (format!("{group}-c"), format!("Zeta {token}")),
        (format!("{group}-b"), format!("Alpha {token}")),
        (format!("{group}-a"), format!("alpha {token}")),
    ];
    let mut csv = format!("{FEED_HEADER}\n");
    let price = ctx.price(1000).await?;
    for (id, title) in &rows {
        csv.push_str(&format!("{id},{title},,in stock,new,{price},,https://shop.example/i.jpg,,,,,,,\n"));
    }
    ctx.import(csv).await?.expect(200)?;
    let found = ctx.http.get(&format!("/v1/products?q={}", token.to_uppercase())).await?;
    let ids: Vec<String> = found.expect(200)?["products"]
        .as_array()
        .map(|p| p.iter().map(|p| p["id"].as_str().unwrap_or("").to_owned()).collect())
        .unwrap_or_default();
    ensure_eq!(ids, vec![format!("{group}-a"), format!("{group}-b"), format!("{group}-c")], "ordered by title ignoring case, then id");
    let by_id = ctx.http.get(&format!("/v1/products?q={group}")).await?;
    ensure_eq!(by_id.expect(200)?["products"], json!([]), "the search is on titles, not ids");
    let limited = ctx.http.get(&format!("/v1/products?q={token}&limit=2")).await?;
    ensure_eq!(limited.expect(200)?["products"].as_array().map(Vec::len), Some(2), "limit=2");
    Ok(())
}

async fn products_search_limit(ctx: &Ctx) -> CheckResult {
    for limit in ["0", "101"] {
        ctx.http.get(&format!("/v1/products?limit={limit}")).await?.expect_error_at(422, "invalid_field", "limit")?;
    }
    // A parameter that does not parse as its type is malformed, and named.
    ctx.http.get("/v1/products?limit=x").await?.expect_error_at(400, "malformed_request", "limit")?;
    ctx.http.get("/v1/products?limit=100").await?.expect(200)?;
    Ok(())
}
