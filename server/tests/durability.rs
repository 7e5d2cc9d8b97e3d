//! Durable side effects (issue 15): a server killed with SIGKILL during order load, then
//! restarted, has lost no acknowledged order, leaves no key stuck, no order `placed`, no charge
//! without its paid order, exact stock, and sends the webhooks queued before the kill; two
//! instances on one PostgreSQL never oversell and send each webhook once. On SQLite, or on
//! PostgreSQL under `scripts/with-postgres.sh`.

mod support;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use support::*;

/// Recovery and rate limits fit for a test: what is left for a second is settled each second.
const FLAGS: [&str; 6] = ["--rate-limit-per-second", "0", "--recovery-after-seconds", "1", "--recovery-interval-seconds", "1"];

/// An order request: its key, its body, and its answer (None: cut by the kill).
type Outcome = (String, Value, Option<(u16, Value)>);

async fn import(server: &Server, id: &str, stock: u32) {
    let token = server.admin_token.clone().unwrap();
    server.import(&token, &format!("{FEED_HEADER}\n{}\n", feed_row(id, "Mug", "5.00 EUR", &stock.to_string()))).await.expect(200);
}

async fn orders_with_status(server: &Server, status: &str) -> Vec<Value> {
    let token = server.admin_token.clone().unwrap();
    let list = server.send(server.admin_request(Method::GET, &format!("/v1/admin/orders?status={status}&limit=500"), &token)).await;
    list.expect(200)["orders"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_server_killed_during_order_load_loses_nothing_acknowledged_and_leaves_nothing_stuck() {
    if skip_when_remote("a_server_killed_during_order_load_loses_nothing_acknowledged_and_leaves_nothing_stuck") {
        return;
    }
    const STOCK: u32 = 1000;
    let receiver = Receiver::start(false).await;
    let mut flags = FLAGS.to_vec();
    flags.extend(["--webhook-url", receiver.url.as_str()]);
    let server = Server::spawn(&flags, true).await;
    let mug = unique("mug");
    import(&server, &mug, STOCK).await;
    let mut tokens = Vec::new();
    for _ in 0..300 {
        tokens.push(server.card_token(GOOD_CARD).await);
    }

    // Orders from 12 clients at once; the server is killed while they run.
    let tokens = Arc::new(Mutex::new(tokens));
    let outcomes: Arc<Mutex<Vec<Outcome>>> = Arc::default();
    let mut clients = Vec::new();
    for _ in 0..12 {
        let (tokens, outcomes, mug) = (tokens.clone(), outcomes.clone(), mug.clone());
        let (base, client) = (server.base.clone(), server.client.clone());
        clients.push(tokio::spawn(async move {
            loop {
                let Some(token) = tokens.lock().unwrap().pop() else {
                    return;
                };
                let key = unique("key");
                let body = order_body(json!([{"variant_id": mug, "quantity": 1}]), &token);
                let request = client.post(format!("{base}/v1/orders")).header("Idempotency-Key", &key).json(&body);
                let answer = match request.send().await {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        response.json::<Value>().await.ok().map(|body| (status, body))
                    }
                    Err(_) => None,
                };
                let gone = answer.is_none();
                outcomes.lock().unwrap().push((key, body, answer));
                if gone {
                    return;
                }
            }
        }));
    }
    // Killed in the middle of the load: after 60 answers, with tokens still left.
    let started = Instant::now();
    while outcomes.lock().unwrap().len() < 60 && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(!tokens.lock().unwrap().is_empty(), "the load was still running");
    let scratch = server.kill9().await;
    for client in clients {
        let _ = client.await;
    }
    let outcomes = Arc::into_inner(outcomes).unwrap().into_inner().unwrap();
    let database = scratch.database.clone();

    let left_placed = database_number(&database, "SELECT COUNT(*) FROM orders WHERE status = 'placed'").await;
    let left_in_flight = database_number(&database, "SELECT COUNT(*) FROM idempotency_keys WHERE status_code IS NULL").await;
    eprintln!("after the kill: {left_placed} orders placed, {left_in_flight} keys in flight");
    receiver.accept();
    let server = Server::spawn_on(scratch, &flags, true).await;
    // Recovery settles what is left for a second, every second.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let stuck = database_number(&database, "SELECT COUNT(*) FROM idempotency_keys WHERE status_code IS NULL").await
            + database_number(&database, "SELECT COUNT(*) FROM orders WHERE status = 'placed'").await;
        if stuck == 0 || Instant::now() > deadline {
            assert_eq!(stuck, 0, "keys in flight or orders placed are left after recovery");
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let acknowledged: Vec<&Value> = outcomes.iter().filter_map(|(_, _, a)| a.as_ref().filter(|(s, _)| *s == 201).map(|(_, b)| b)).collect();
    let cut: Vec<&Outcome> = outcomes.iter().filter(|(_, _, a)| a.is_none()).collect();
    assert!(acknowledged.len() >= 5, "the load ran before the kill: {} orders", acknowledged.len());
    for order in &acknowledged {
        let path = format!("/v1/orders/{}", order["id"].as_str().unwrap());
        let read = server.order_with_secret(Method::GET, &path, order["secret"].as_str().unwrap()).await;
        assert_eq!(read.expect(200)["status"], "paid", "an acknowledged order is kept");
    }
    // Every request cut by the kill gets its real answer on retry: the order it made, or a
    // new run (it never charged); never `in use`.
    let mut retried = 0;
    for (key, body, _) in &cut {
        let answer = server.place_order(key, body).await;
        assert_eq!(answer.status, 201, "a retry after the crash: {}", answer.body);
        retried += 1;
    }
    eprintln!("{} orders acknowledged, {retried} cut by the kill and retried", acknowledged.len());

    let paid = orders_with_status(&server, "paid").await;
    assert!(orders_with_status(&server, "placed").await.is_empty(), "no order is left placed");
    let product = server.get(&format!("/v1/products/{mug}")).await;
    assert_eq!(product.expect(200)["variants"][0]["stock"], STOCK as usize - paid.len(), "stock is exact");
    assert_eq!(database_number(&database, "SELECT COUNT(*) FROM idempotency_keys WHERE status_code IS NULL").await, 0);
    let orphans = "SELECT COUNT(*) FROM test_payment_charges WHERE reference NOT IN (SELECT id FROM orders WHERE status = 'paid')";
    assert_eq!(database_number(&database, orphans).await, 0, "every charge has its paid order");
    assert_eq!(database_number(&database, "SELECT COUNT(*) FROM test_payment_charges").await, paid.len() as i64);

    // Webhooks queued before the kill (the receiver was down) are sent after the restart.
    let seen = receiver.wait_for(2 * paid.len()).await;
    for order in &paid {
        let id = order["id"].as_str().unwrap().to_owned();
        for kind in ["order.placed", "order.paid"] {
            assert_eq!(seen.get(&(id.clone(), kind.to_owned())), Some(&1), "{kind} of {id} sent once");
        }
    }
    assert_eq!(seen.len(), 2 * paid.len());
}

#[tokio::test]
async fn two_instances_on_one_postgresql_share_uploads_never_oversell_and_send_each_webhook_once() {
    if skip_when_remote("two_instances_on_one_postgresql_share_uploads_never_oversell_and_send_each_webhook_once") {
        return;
    }
    if std::env::var("SHOPPABLE_TEST_DATABASE_URL").is_err() {
        eprintln!(
            "SKIPPED two_instances_on_one_postgresql_share_uploads_never_oversell_and_send_each_webhook_once: PostgreSQL only (scripts/with-postgres.sh)"
        );
        return;
    }
    let receiver = Receiver::start(true).await;
    let media = std::env::temp_dir().join(unique("shoppable-shared-media"));
    let media_flag = media.display().to_string();
    let mut flags = FLAGS.to_vec();
    flags.extend(["--media-store", media_flag.as_str(), "--webhook-url", receiver.url.as_str(), "--read-cache-ms", "200"]);
    let scratch = Scratch::new().await;
    let other_dir = std::env::temp_dir().join(unique("shoppable-test"));
    std::fs::create_dir_all(&other_dir).unwrap();
    let second = Scratch { dir: other_dir, database: scratch.database.clone() };
    let a = Server::spawn_on(scratch, &flags, true).await;
    let b = Server::spawn_on(second, &flags, true).await;
    let mug = unique("mug");
    import(&a, &mug, 30).await;

    // A photo uploaded through one instance is served by the other.
    const PNG: &[u8] = include_bytes!("../../www/images/chelsea.png");
    let token = a.admin_token.clone().unwrap();
    let upload = a.admin_request(Method::POST, "/v1/admin/media", &token).header("Content-Type", "image/png");
    let uploaded = a.send(upload.body(PNG.to_vec())).await;
    let url = uploaded.expect(201)["url"].as_str().unwrap().to_owned();
    let photo = b.client.get(b.url(&url)).send().await.unwrap();
    assert_eq!(photo.status(), 200);
    assert_eq!(photo.bytes().await.unwrap().as_ref(), PNG);

    let mut bodies = Vec::new();
    for i in 0..80 {
        let server = if i % 2 == 0 { &a } else { &b };
        bodies.push(order_body(json!([{"variant_id": mug, "quantity": 1}]), &server.card_token(GOOD_CARD).await));
    }
    let keys: Vec<String> = bodies.iter().map(|_| unique("key")).collect();
    let mut tasks = Vec::new();
    for (i, (key, body)) in keys.into_iter().zip(bodies).enumerate() {
        let (base, client) = if i % 2 == 0 { (a.base.clone(), a.client.clone()) } else { (b.base.clone(), b.client.clone()) };
        tasks.push(tokio::spawn(async move {
            let response = client.post(format!("{base}/v1/orders")).header("Idempotency-Key", key).json(&body).send().await.unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap();
            (status, body)
        }));
    }
    let mut by_outcome: HashMap<(u16, String), usize> = HashMap::new();
    let mut placed = HashSet::new();
    for task in tasks {
        let (status, body) = task.await.unwrap();
        if status == 201 {
            placed.insert(body["id"].as_str().unwrap().to_owned());
        }
        *by_outcome.entry((status, body["code"].as_str().unwrap_or("").to_owned())).or_default() += 1;
    }
    assert_eq!(by_outcome, HashMap::from([((201, String::new()), 30), ((409, "out_of_stock".to_owned()), 50)]));
    // Both instances see the stock (each within its read cache's 200 ms).
    tokio::time::sleep(Duration::from_millis(250)).await;
    for server in [&a, &b] {
        assert_eq!(server.get(&format!("/v1/products/{mug}")).await.expect(200)["variants"][0]["stock"], 0);
    }
    let seen = receiver.wait_for(60).await;
    tokio::time::sleep(Duration::from_millis(1500)).await; // time for a duplicate to show up
    let seen_after = receiver.wait_for(60).await;
    assert_eq!(seen, seen_after);
    assert_eq!(seen.len(), 60, "placed and paid of each order");
    for id in &placed {
        for kind in ["order.placed", "order.paid"] {
            assert_eq!(seen.get(&(id.clone(), kind.to_owned())), Some(&1), "{kind} of {id} sent once by the two instances");
        }
    }
    let _ = std::fs::remove_dir_all(media);
}

/// The `.eml` files of `dir`: (name, bytes).
fn eml_files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<(String, Vec<u8>)> = entries
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|x| x == "eml"))
        .map(|path| (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap_or_default()))
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn emails_are_sent_once_and_whole_across_kills_while_they_are_written() {
    if skip_when_remote("emails_are_sent_once_and_whole_across_kills_while_they_are_written") {
        return;
    }
    const ORDERS: usize = 150;
    // An SMTP server nobody listens on: the confirmations wait in the outbox.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let smtp = format!("smtp://{closed}");
    let scratch = Scratch::new().await;
    let (database, mail_dir) = (scratch.database.clone(), scratch.dir.join("mail"));
    let mail_flag = mail_dir.display().to_string();
    let mut flags = FLAGS.to_vec();
    flags.extend(["--mail-dir", mail_flag.as_str()]);
    let with_smtp: Vec<&str> = flags.iter().copied().chain(["--smtp-url", smtp.as_str()]).collect();
    let server = Server::spawn_on(scratch, &with_smtp, true).await;
    let mug = unique("mug");
    import(&server, &mug, 1000).await;
    let mut placing = tokio::task::JoinSet::new();
    for _ in 0..ORDERS {
        let body = order_body(json!([{"variant_id": mug, "quantity": 1}]), &server.card_token(GOOD_CARD).await);
        let request = server.client.post(server.url("/v1/orders")).header("Idempotency-Key", unique("key")).json(&body);
        placing.spawn(async move { request.send().await.unwrap().json::<Value>().await.unwrap() });
    }
    let mut numbers = Vec::new();
    while let Some(order) = placing.join_next().await {
        numbers.push(order.unwrap()["number"].as_str().expect("an order").to_owned());
    }
    let tried = "SELECT COUNT(*) FROM outbox WHERE kind = 'email' AND attempts > 0";
    let started = Instant::now();
    while database_number(&database, tried).await < ORDERS as i64 && started.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(database_number(&database, tried).await, ORDERS as i64, "every e-mail was tried once");
    let mut scratch = server.kill9().await;

    // Without SMTP they are written as files; the server is killed three times as it writes.
    for round in 1..=3 {
        let server = Server::spawn_on(scratch, &flags, true).await;
        let started = Instant::now();
        while eml_files(&mail_dir).len() < round * 30 && started.elapsed() < Duration::from_secs(20) {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        scratch = server.kill9().await;
    }
    let server = Server::spawn_on(scratch, &flags, true).await;
    let pending = "SELECT COUNT(*) FROM outbox WHERE kind = 'email' AND delivered_at IS NULL";
    let started = Instant::now();
    while database_number(&database, pending).await > 0 && started.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(database_number(&database, pending).await, 0, "every e-mail is sent");
    tokio::time::sleep(Duration::from_millis(1500)).await; // time for a duplicate to show up

    let files = eml_files(&mail_dir);
    let mut sent: HashMap<String, usize> = HashMap::new();
    for (name, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        let number = text.split("Subject: Order ").nth(1).and_then(|rest| rest.split(' ').next());
        let number = number.unwrap_or_else(|| panic!("{name} is not a whole confirmation ({} bytes): {text:?}", bytes.len()));
        assert!(text.contains("Thank you for your order!"), "{name} is whole: {text:?}");
        *sent.entry(number.to_owned()).or_default() += 1;
    }
    let twice: Vec<_> = sent.iter().filter(|(_, count)| **count > 1).collect();
    assert!(twice.is_empty(), "e-mails sent more than once: {twice:?}");
    assert_eq!(sent.len(), ORDERS, "one confirmation per order");
    for number in &numbers {
        assert_eq!(sent.get(number), Some(&1), "{number}");
    }
    drop(server);
}
