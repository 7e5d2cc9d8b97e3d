//! The protocol suite against the reference server: the checks of the conformance tool
//! (`conformance/`, one per rule of docs/PROTOCOL.md) run against a fresh server process on
//! SQLite, or on PostgreSQL with `scripts/with-postgres.sh`, exactly as
//! `cargo run -p shoppable-conformance -- --base-url URL ...` runs them against any backend.
//! The tests after them cover what only the reference server has: its pricing rules, demo
//! data, command line, admin switch and shutdown.

mod support;

use reqwest::Method;
use serde_json::json;
use support::*;

const ORIGIN: &str = "https://blog.example";
const WEBHOOK_SECRET: &str = "whsec_conformance";

/// A loopback address nobody listens on yet, for the tool's webhook receiver.
fn free_address() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().to_string()
}

/// Runs the conformance tool with these arguments after `--base-url`: its exit code and output.
async fn conformance(server: &Server, args: &[&str]) -> (i32, String) {
    let mut command = vec!["shoppable-conformance", "--base-url", &server.base];
    command.extend_from_slice(args);
    let mut out = Vec::new();
    let code = shoppable_conformance::cli::run(command, &mut out).await;
    let out = String::from_utf8(out).unwrap();
    println!("{out}");
    (code, out)
}

/// The ids of the checks reported with this outcome (`pass`, `FAIL`, `skipped`).
fn reported(out: &str, outcome: &str) -> Vec<String> {
    out.lines()
        .filter_map(|line| line.strip_prefix(outcome))
        .map(|rest| rest.trim_start().split([':', ' ']).next().unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn the_reference_server_passes_every_conformance_check() {
    let hooks = free_address();
    let hooks_url = format!("http://{hooks}/hooks");
    let flags =
        ["--allowed-origin", ORIGIN, "--payments-listen", "127.0.0.1:0", "--webhook-url", &hooks_url, "--webhook-secret", WEBHOOK_SECRET];
    let server = Server::spawn(&flags, true).await;
    let token = server.admin_token.clone().unwrap();
    let args = ["--admin-token", &token, "--webhook-listen", &hooks, "--webhook-secret", WEBHOOK_SECRET, "--origin", ORIGIN];
    let (code, out) = conformance(&server, &args).await;
    assert_eq!(reported(&out, "FAIL"), Vec::<String>::new(), "{out}");
    // Only the refusal after the cancel window and the end of a 3-D Secure hold, which need
    // short ones (next tests).
    assert_eq!(reported(&out, "skipped"), ["orders.cancel-window", "sca.expired"], "{out}");
    let total = shoppable_conformance::checks::all_checks().len();
    let summary = format!("{} passed, 0 failed, 2 skipped", total - 2);
    assert!(out.lines().any(|line| line == summary), "the summary line `{summary}`:\n{out}");
    assert_eq!(code, 0);
}

#[tokio::test]
async fn a_3ds_hold_never_finished_ends_when_expires_at_comes() {
    let flags = ["--authentication-hold-seconds", "2", "--recovery-after-seconds", "1", "--recovery-interval-seconds", "1"];
    let server = Server::spawn(&flags, true).await;
    let token = server.admin_token.clone().unwrap();
    let (code, out) = conformance(&server, &["--admin-token", &token, "--only", "sca.expired"]).await;
    assert_eq!((code, reported(&out, "pass")), (0, vec!["sca.expired".to_owned()]), "{out}");
}

#[tokio::test]
async fn the_cancel_window_ends_when_cancellable_until_comes() {
    let server = Server::spawn(&["--cancel-window-seconds", "2"], true).await;
    let token = server.admin_token.clone().unwrap();
    let (code, out) = conformance(&server, &["--admin-token", &token, "--only", "orders.cancel-window"]).await;
    assert_eq!((code, reported(&out, "pass")), (0, vec!["orders.cancel-window".to_owned()]), "{out}");
    assert!(out.lines().any(|line| line == "1 passed, 0 failed, 0 skipped"), "{out}");
}

#[tokio::test]
async fn skipped_checks_say_why_and_never_pass() {
    // No admin token, no origin, no webhooks: the checks that need them are skipped, with the
    // reason, and counted as skipped.
    let server = Server::spawn(&[], false).await;
    let (code, out) = conformance(&server, &[]).await;
    assert_eq!(reported(&out, "FAIL"), Vec::<String>::new(), "{out}");
    let skipped = reported(&out, "skipped");
    for id in ["cors.preflight", "webhooks.signature", "idempotency.replay-201", "catalog.import-groups"] {
        assert!(skipped.iter().any(|s| s == id), "{id} is skipped:\n{out}");
        assert!(!reported(&out, "pass").iter().any(|s| s == id), "{id} is not a pass:\n{out}");
    }
    assert!(out.contains("skipped  cors.preflight: needs --origin"), "{out}");
    assert!(out.contains("skipped  idempotency.replay-201: needs --admin-token"), "{out}");
    assert!(out.contains("skipped  webhooks.signature: needs --webhook-listen"), "{out}");
    let passed = reported(&out, "pass").len();
    let summary = format!("{passed} passed, 0 failed, {} skipped", skipped.len());
    assert!(out.lines().any(|line| line == summary), "`{summary}`:\n{out}");
    assert!(reported(&out, "pass").iter().any(|s| s == "admin.unauthorized-401"), "{out}");
    assert_eq!(code, 0);
}

#[tokio::test]
async fn a_failed_check_fails_the_run() {
    // The reference server with its admin API off, told it has one: the admin checks fail.
    let server = Server::spawn(&[], false).await;
    let (code, out) = conformance(&server, &["--admin-token", "not-the-token", "--only", "admin.posts-put"]).await;
    assert_eq!(reported(&out, "FAIL"), ["admin.posts-put"], "{out}");
    assert!(out.lines().any(|line| line == "0 passed, 1 failed, 0 skipped"), "{out}");
    assert_eq!(code, 1);
}

#[tokio::test]
async fn the_reference_pricing_rules() {
    let server = Server::spawn(&[], true).await;
    let token = server.admin_token.clone().unwrap();
    let mug = unique("mug");
    server.import(&token, &format!("{FEED_HEADER}\n{}\n", feed_row(&mug, "Mug", "12.00 EUR", "5"))).await.expect(200);
    let quote = |option: &'static str, country: &'static str| {
        let mut to = address();
        to["country"] = json!(country);
        json!({"lines": [{"variant_id": mug, "quantity": 1}], "address": to, "shipping_option": option})
    };
    // 9.90 express at home, 20% VAT included, rounded half up.
    let express = server.post("/v1/quote", &quote("express", "FR")).await;
    let express = express.expect(200);
    assert_eq!((express["total"]["amount"].as_i64(), express["tax"]["amount"].as_i64()), (Some(1200 + 990), Some(365)));
    let abroad = server.post("/v1/quote", &quote("standard", "DE")).await;
    assert_eq!(abroad.expect(200)["shipping"]["amount"], 990);
    let mut big = quote("standard", "FR");
    big["lines"][0]["quantity"] = json!(5);
    assert_eq!(server.post("/v1/quote", &big).await.expect(200)["shipping"]["amount"], 0, "free from 50.00");
}

#[tokio::test]
async fn admin_api_is_disabled_without_a_configured_token() {
    let server = Server::spawn(&[], false).await;
    let response = server.send(server.admin_request(Method::GET, "/v1/admin/orders", "anything")).await;
    response.expect_error(401, "unauthorized");
    assert!(response.body["message"].as_str().unwrap().contains("disabled"));
}

#[tokio::test]
async fn the_demo_shop_is_seeded_and_its_site_served() {
    let site = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let server = Server::spawn(&["--seed-demo", "--site-dir", site], false).await;
    let batch = server.get("/v1/posts?ids=coffee,chelsea,astronaut,rocket").await;
    let batch = batch.expect(200);
    assert_eq!(batch["missing"], json!([]));
    for post in batch["posts"].as_array().unwrap() {
        let tags = post["tags"].as_array().unwrap();
        assert!(!tags.is_empty() && tags.len() <= 5, "{}", post["id"]);
        let image = server.client.get(server.url(post["image"]["url"].as_str().unwrap())).send().await.unwrap();
        assert_eq!(image.status(), 200, "{} is served", post["image"]["url"]);
    }
    let suit = server.get("/v1/products/combinaison-vol").await;
    let variants = suit.expect(200)["variants"].as_array().unwrap().clone();
    assert!(variants.iter().any(|v| v["available"] == false), "a sold-out size");
    let hidden = server.client.get(server.url("/.git/HEAD")).send().await.unwrap();
    assert_eq!(hidden.status(), 404, "hidden files are never served");
    server.get("/v1/nothing-here").await.expect_error(404, "not_found");
}

#[tokio::test]
async fn the_command_line_imports_a_feed_file() {
    let scratch = Scratch::new().await;
    let feed = scratch.dir.join("feed.csv");
    let id = unique("lamp");
    std::fs::write(&feed, format!("{FEED_HEADER}\n{}\n", feed_row(&id, "Lampe", "49.00 EUR", "7"))).unwrap();
    let output = server_command(&scratch.database).arg("import").arg(&feed).output().await.unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "imported 1 products, 1 variants");

    let bad = scratch.dir.join("bad.csv");
    std::fs::write(&bad, format!("{FEED_HEADER}\n{}\n", feed_row(&unique("lamp"), "Lampe", "49 euros", "7"))).unwrap();
    let mut command = server_command(&scratch.database);
    command.arg("import").arg(&bad).stderr(std::process::Stdio::piped());
    let output = command.output().await.unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("row 2") && stderr.contains("price"), "{stderr}");

    let server = Server::spawn_on(scratch, &[], false).await;
    let lamp = server.get(&format!("/v1/products/{id}")).await;
    assert_eq!(lamp.expect(200)["variants"][0]["stock"], 7);
}

#[tokio::test]
async fn the_server_stops_cleanly_on_sigterm() {
    let server = Server::spawn(&[], false).await;
    server.get("/v1/config").await.expect(200);
    let (status, took) = server.terminate().await;
    assert!(status.success(), "{status:?}");
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
}
