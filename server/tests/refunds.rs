//! Money moves exactly once (issue 21): a refund the provider refuses leaves the order as it
//! was until a retry succeeds; a charge whose answer came after recovery settled the order is
//! kept; and refunds under concurrent load survive a kill -9, checked against the `test`
//! provider's own record of its refunds. On SQLite, or on PostgreSQL under
//! `scripts/with-postgres.sh` (which also runs the two-instance test).

mod support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use support::*;

/// Recovery and rate limits fit for a test: what is left for a second is settled each second.
const FLAGS: [&str; 6] = ["--rate-limit-per-second", "0", "--recovery-after-seconds", "1", "--recovery-interval-seconds", "1"];
/// Charged, but its bank refuses refunds until the test clears `refuse_refunds`.
const REFUND_REFUSED_CARD: &str = "4000000000005126";
/// Charged, but the provider's answer comes only once the shop settled the order otherwise.
const LATE_ANSWER_CARD: &str = "4000000000007726";
/// A mug costs 5.00 EUR; an order is two of them with shipping.
const MUG_PRICE: i64 = 500;

/// Runs one statement on the server's database: the test playing the provider's bank.
async fn execute(database: &str, sql: &str) {
    let mut conn = database_connection(database).await;
    sqlx::query(sql).execute(&mut conn).await.unwrap();
}

/// (text, number) rows of `sql`.
async fn pairs(database: &str, sql: &str) -> Vec<(String, i64)> {
    let mut conn = database_connection(database).await;
    sqlx::query_as(sql).fetch_all(&mut conn).await.unwrap()
}

/// The `test` provider's own record: refund key -> (charge, amount), and order id -> (charge, amount charged).
async fn provider_record(database: &str) -> (HashMap<String, (String, i64)>, HashMap<String, (String, i64)>) {
    let mut conn = database_connection(database).await;
    let refunds: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT refund_key, charge_id, amount FROM test_payment_refunds").fetch_all(&mut conn).await.unwrap();
    let charges: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT reference, id, amount FROM test_payment_charges").fetch_all(&mut conn).await.unwrap();
    (
        refunds.into_iter().map(|(key, charge, amount)| (key, (charge, amount))).collect(),
        charges.into_iter().map(|(order, charge, amount)| (order, (charge, amount))).collect(),
    )
}

async fn import(server: &Server, id: &str, stock: u32) {
    let token = server.admin_token.clone().unwrap();
    server.import(&token, &format!("{FEED_HEADER}\n{}\n", feed_row(id, "Mug", "5.00 EUR", &stock.to_string()))).await.expect(200);
}

async fn admin(server: &Server, method: Method, path: &str, body: Option<Value>) -> Response {
    let token = server.admin_token.clone().unwrap();
    let request = server.admin_request(method, path, &token);
    server
        .send(match body {
            Some(body) => request.json(&body),
            None => request,
        })
        .await
}

async fn stock(server: &Server, mug: &str) -> i64 {
    server.get(&format!("/v1/products/{mug}")).await.expect(200)["variants"][0]["stock"].as_i64().unwrap()
}

/// Subjects of the e-mails queued for order `number`.
async fn emails_about(database: &str, number: &str) -> Vec<String> {
    let sql = format!("SELECT payload, attempts FROM outbox WHERE kind = 'email' AND payload LIKE '%{number}%'");
    let rows = pairs(database, &sql).await;
    rows.into_iter().map(|(payload, _)| serde_json::from_str::<Value>(&payload).unwrap()["subject"].as_str().unwrap().to_owned()).collect()
}

fn is_order_refund(subject: &str) -> bool {
    subject.ends_with(" refunded") && subject.starts_with("Order ") || subject.ends_with(" remboursée") && subject.starts_with("Commande ")
}

fn is_return_refund(subject: &str) -> bool {
    subject.starts_with("Return refunded") || subject.starts_with("Retour remboursé")
}

/// Places an order of `units` mugs paid with `card`: (id, secret, number).
async fn order(server: &Server, mug: &str, units: u32, card: &str) -> (String, String, String) {
    let body = order_body(json!([{"variant_id": mug, "quantity": units}]), &server.card_token(card).await);
    let placed = server.place_order(&unique("key"), &body).await;
    let order = placed.expect(201);
    assert_eq!(order["status"], "paid");
    let text = |name: &str| order[name].as_str().unwrap().to_owned();
    (text("id"), text("secret"), text("number"))
}

#[tokio::test]
async fn a_refund_the_provider_refuses_changes_nothing_until_a_retry_refunds_it_once() {
    if skip_when_remote("a_refund_the_provider_refuses_changes_nothing_until_a_retry_refunds_it_once") {
        return;
    }
    let scratch = Scratch::new().await;
    let database = scratch.database.clone();
    let server = Server::spawn_on(scratch, &FLAGS, true).await;
    let mug = unique("mug");
    import(&server, &mug, 10).await;
    let (id, secret, number) = order(&server, &mug, 2, REFUND_REFUSED_CARD).await;
    let (refused_cancel, cancel_secret, _) = order(&server, &mug, 1, REFUND_REFUSED_CARD).await;
    assert_eq!(stock(&server, &mug).await, 7);

    // The shop refunds, the bank refuses: the order is as it was, the console shows why.
    let refund = admin(&server, Method::POST, &format!("/v1/admin/orders/{id}/refund"), None).await;
    refund.expect_error(500, "internal");
    assert!(refund.body["message"].as_str().unwrap().contains("has not made the refund"), "{}", refund.body);
    let shown = server.order_with_secret(Method::GET, &format!("/v1/orders/{id}"), &secret).await;
    assert_eq!(shown.expect(200)["status"], "paid", "never refunded before the provider says so");
    let open = admin(&server, Method::GET, &format!("/v1/admin/orders/{id}/refunds"), None).await;
    let open = open.expect(200)["refunds"].as_array().unwrap().clone();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["refund_key"], format!("{id}:order"));
    assert_eq!(open[0]["order_status"], "refunded");
    assert_eq!(open[0]["state"], "failed");
    assert_eq!(open[0]["attempts"], 1);
    assert!(!open[0]["last_error"].as_str().unwrap_or("").is_empty());
    assert_eq!(stock(&server, &mug).await, 7, "units stay sold while the refund is not made");
    assert!(!emails_about(&database, &number).await.iter().any(|s| is_order_refund(s)), "no refund e-mail");
    // Nothing else moves the order meanwhile; the retry is refused again by the bank.
    let ship = admin(&server, Method::POST, &format!("/v1/admin/orders/{id}/ship"), Some(json!({"tracking_number": "6A1"}))).await;
    ship.expect_error(409, "invalid_transition");
    admin(&server, Method::POST, &format!("/v1/admin/orders/{id}/refunds/retry"), None).await.expect_error(500, "internal");

    // The shopper cancels the other order, refused too: still paid, and cancellable again.
    let cancel = server.order_with_secret(Method::POST, &format!("/v1/orders/{refused_cancel}/cancel"), &cancel_secret).await;
    cancel.expect_error(500, "internal");
    let shown = server.order_with_secret(Method::GET, &format!("/v1/orders/{refused_cancel}"), &cancel_secret).await;
    assert_eq!(shown.expect(200)["status"], "paid");
    // Both wait on the shop in its list of orders, and are among those waiting.
    for query in ["", "?waiting=true"] {
        let list = admin(&server, Method::GET, &format!("/v1/admin/orders{query}"), None).await;
        let mut failed: Vec<String> = serde_json::from_value(list.expect(200)["refund_failed"].clone()).unwrap();
        failed.sort();
        let mut expected = vec![id.clone(), refused_cancel.clone()];
        expected.sort();
        assert_eq!(failed, expected, "{query}");
    }

    // The bank accepts again: a retry from the console (and the shopper's second cancel) refund once.
    execute(&database, "UPDATE test_payment_charges SET refuse_refunds = 0").await;
    let retried = admin(&server, Method::POST, &format!("/v1/admin/orders/{id}/refunds/retry"), None).await;
    assert_eq!(retried.expect(200)["status"], "refunded");
    let cancelled = server.order_with_secret(Method::POST, &format!("/v1/orders/{refused_cancel}/cancel"), &cancel_secret).await;
    assert_eq!(cancelled.expect(200)["status"], "cancelled");
    for order in [&id, &refused_cancel] {
        let open = admin(&server, Method::GET, &format!("/v1/admin/orders/{order}/refunds"), None).await;
        assert_eq!(open.expect(200)["refunds"], json!([]), "nothing left to retry");
    }
    admin(&server, Method::POST, &format!("/v1/admin/orders/{id}/refunds/retry"), None).await.expect_error(409, "invalid_transition");
    admin(&server, Method::POST, &format!("/v1/admin/orders/{id}/refund"), None).await.expect_error(409, "invalid_transition");
    let waiting = admin(&server, Method::GET, "/v1/admin/orders?waiting=true", None).await;
    assert_eq!(waiting.expect(200), &json!({"orders": []}), "nothing waits on the shop any more");
    assert_eq!(stock(&server, &mug).await, 10, "the units came back once");

    let (refunds, charges) = provider_record(&database).await;
    assert_eq!(refunds.len(), 2, "one refund each: {refunds:?}");
    for order in [&id, &refused_cancel] {
        let (charge, amount) = &charges[order.as_str()];
        assert_eq!(&refunds[&format!("{order}:order")], &(charge.clone(), *amount), "refunded once, the whole charge");
    }
    let refund_emails = |subjects: Vec<String>| subjects.iter().filter(|s| is_order_refund(s)).count();
    assert_eq!(refund_emails(emails_about(&database, &number).await), 1, "one refund e-mail");
}

#[tokio::test]
async fn a_charge_answered_after_recovery_settled_its_order_is_kept_and_answered() {
    if skip_when_remote("a_charge_answered_after_recovery_settled_its_order_is_kept_and_answered") {
        return;
    }
    let scratch = Scratch::new().await;
    let database = scratch.database.clone();
    let server = Server::spawn_on(scratch, &FLAGS, true).await;
    let mug = unique("mug");
    import(&server, &mug, 10).await;
    let key = unique("key");
    let body = order_body(json!([{"variant_id": mug, "quantity": 1}]), &server.card_token(LATE_ANSWER_CARD).await);
    // Recovery finds the order placed and charged, and settles it paid before the answer comes.
    let placed = server.place_order(&key, &body).await;
    let order = placed.expect(201).clone();
    assert_eq!(order["status"], "paid");
    let id = order["id"].as_str().unwrap();
    let shown = server.order_with_secret(Method::GET, &format!("/v1/orders/{id}"), order["secret"].as_str().unwrap()).await;
    assert_eq!(shown.expect(200)["status"], "paid");
    let (refunds, charges) = provider_record(&database).await;
    assert_eq!(charges.len(), 1);
    assert!(refunds.is_empty(), "the paid order's charge is not refunded: {refunds:?}");
    assert_eq!(server.place_order(&key, &body).await.expect(201)["id"], order["id"], "a retry gets the same order");
    assert_eq!(stock(&server, &mug).await, 9);
}

/// A delivered order of two mugs with one returned and received: (id, return id).
async fn delivered_with_a_return(base: String, client: reqwest::Client, token: String, mug: String) -> (String, String) {
    let admin = |path: String, body: Value| client.post(format!("{base}{path}")).bearer_auth(&token).json(&body).send();
    let card = json!({"number": GOOD_CARD, "exp_month": 12, "exp_year": 2040, "cvc": "123"});
    let card: Value = client.post(format!("{base}/v1/payments/test/tokens")).json(&card).send().await.unwrap().json().await.unwrap();
    let body = order_body(json!([{"variant_id": mug, "quantity": 2}]), card["token"].as_str().unwrap());
    let order = client.post(format!("{base}/v1/orders")).header("Idempotency-Key", unique("key")).json(&body);
    let order: Value = order.send().await.unwrap().json().await.unwrap();
    let (id, secret) = (order["id"].as_str().unwrap().to_owned(), order["secret"].as_str().unwrap().to_owned());
    assert_eq!(admin(format!("/v1/admin/orders/{id}/ship"), json!({"tracking_number": "6A1"})).await.unwrap().status(), 200);
    assert_eq!(admin(format!("/v1/admin/orders/{id}/deliver"), json!({})).await.unwrap().status(), 200);
    let asked = client.post(format!("{base}/v1/orders/{id}/returns")).header("Order-Secret", &secret);
    let asked: Value =
        asked.json(&json!({"reason": "Too small", "lines": [{"line": 0, "quantity": 1}]})).send().await.unwrap().json().await.unwrap();
    let return_id = asked["returns"][0]["id"].as_str().unwrap().to_owned();
    for step in ["approve", "receive"] {
        assert_eq!(admin(format!("/v1/admin/orders/{id}/returns/{return_id}/{step}"), json!({})).await.unwrap().status(), 200);
    }
    (id, return_id)
}

/// `count` delivered orders with a received return, made by 16 clients.
async fn delivered_orders(server: &Server, mug: &str, count: usize) -> Vec<(String, String)> {
    let mut made = tokio::task::JoinSet::new();
    let left = Arc::new(AtomicUsize::new(count));
    for _ in 0..16 {
        let (base, client, token, mug, left) =
            (server.base.clone(), server.client.clone(), server.admin_token.clone().unwrap(), mug.to_owned(), left.clone());
        made.spawn(async move {
            let mut orders = Vec::new();
            while left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok() {
                orders.push(delivered_with_a_return(base.clone(), client.clone(), token.clone(), mug.clone()).await);
            }
            orders
        });
    }
    made.join_all().await.into_iter().flatten().collect()
}

/// Starts the refunds of `orders` (each order's return, and each whole order, in turn), sent by
/// 16 clients spread over `bases`: the refunds not sent yet, the answers (path, status), and
/// the clients, each of which stops when its server is gone.
async fn refund_under_load(
    bases: &[String],
    client: &reqwest::Client,
    token: &str,
    orders: &[(String, String)],
) -> (Arc<Mutex<Vec<String>>>, Arc<Mutex<Vec<(String, u16)>>>, Vec<tokio::task::JoinHandle<()>>) {
    let mut paths = Vec::new();
    for (i, (id, return_id)) in orders.iter().enumerate() {
        let ret = format!("/v1/admin/orders/{id}/returns/{return_id}/refund");
        let whole = format!("/v1/admin/orders/{id}/refund");
        // Half the orders see their return refunded first, half the whole order first.
        if i % 2 == 0 { paths.extend([ret, whole]) } else { paths.extend([whole, ret]) }
    }
    paths.reverse();
    let paths = Arc::new(Mutex::new(paths));
    let answers: Arc<Mutex<Vec<(String, u16)>>> = Arc::default();
    let mut clients = Vec::new();
    for n in 0..16 {
        let (paths, answers, client, token) = (paths.clone(), answers.clone(), client.clone(), token.to_owned());
        let base = bases[n % bases.len()].clone();
        clients.push(tokio::spawn(async move {
            loop {
                let Some(path) = paths.lock().unwrap().pop() else { return };
                match client.post(format!("{base}{path}")).bearer_auth(&token).send().await {
                    Ok(response) => answers.lock().unwrap().push((path, response.status().as_u16())),
                    // Cut by the kill: this client stops.
                    Err(_) => return,
                }
            }
        }));
    }
    (paths, answers, clients)
}

/// Waits until no refund is left pending (recovery's work), at most 30 s.
async fn wait_for_recovery(database: &str) {
    let started = Instant::now();
    let pending = "SELECT COUNT(*) FROM refunds WHERE state = 'pending'";
    while database_number(database, pending).await > 0 && started.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(database_number(database, pending).await, 0, "no refund is left pending after recovery");
    assert_eq!(database_number(database, "SELECT COUNT(*) FROM refunds WHERE state = 'failed'").await, 0, "the provider refused none");
}

/// Every order shows a refund exactly when the provider made it, once, for exactly its amount;
/// and its e-mails say so once. Returns (orders refunded whole, returns refunded).
async fn check_against_the_provider(server: &Server, database: &str, orders: &[(String, String)]) -> (usize, usize) {
    let (refunds, charges) = provider_record(database).await;
    let (mut whole, mut returns) = (0, 0);
    let mut keys_seen = 0;
    for (id, return_id) in orders {
        let order = admin(server, Method::GET, &format!("/v1/admin/orders/{id}"), None).await.expect(200).clone();
        let (charge, charged) = charges[id.as_str()].clone();
        let total = order["total"]["amount"].as_i64().unwrap();
        assert_eq!(charged, total);
        let ret = &order["returns"][0];
        assert_eq!(ret["id"], return_id.as_str());
        let return_refunded = ret["status"] == "refunded";
        let order_refunded = order["status"] == "refunded";
        assert!(order_refunded || order["status"] == "delivered", "{id}: {}", order["status"]);
        assert!(return_refunded || ret["status"] == "received", "{id}: {}", ret["status"]);
        let by_return = refunds.get(return_id.as_str());
        assert_eq!(return_refunded, by_return.is_some(), "{id}: the return shows refunded exactly when the provider refunded it");
        if let Some(refund) = by_return {
            assert_eq!(refund, &(charge.clone(), MUG_PRICE), "{id}: the return's amount, on its charge");
            returns += 1;
            keys_seen += 1;
        }
        let by_order = refunds.get(&format!("{id}:order"));
        assert_eq!(order_refunded, by_order.is_some(), "{id}: the order shows refunded exactly when the provider refunded it");
        if let Some(refund) = by_order {
            let expected = total - if return_refunded { MUG_PRICE } else { 0 };
            assert_eq!(refund, &(charge.clone(), expected), "{id}: what the returns had not refunded, on its charge");
            whole += 1;
            keys_seen += 1;
        }
        let subjects = emails_about(database, order["number"].as_str().unwrap()).await;
        assert_eq!(subjects.iter().filter(|s| is_order_refund(s)).count(), usize::from(order_refunded), "{id}: {subjects:?}");
        assert_eq!(subjects.iter().filter(|s| is_return_refund(s)).count(), usize::from(return_refunded), "{id}: {subjects:?}");
    }
    assert_eq!(refunds.len(), keys_seen, "no refund at the provider that no order shows");
    (whole, returns)
}

const ORDERS: usize = 120;

#[tokio::test]
async fn refunds_under_load_survive_a_kill_and_match_the_providers_record() {
    if skip_when_remote("refunds_under_load_survive_a_kill_and_match_the_providers_record") {
        return;
    }
    let scratch = Scratch::new().await;
    let database = scratch.database.clone();
    let server = Server::spawn_on(scratch, &FLAGS, true).await;
    let mug = unique("mug");
    import(&server, &mug, 1000).await;
    let orders = delivered_orders(&server, &mug, ORDERS).await;
    assert_eq!(orders.len(), ORDERS);

    let token = server.admin_token.clone().unwrap();
    let (left, answers, clients) = refund_under_load(std::slice::from_ref(&server.base), &server.client, &token, &orders).await;
    // Killed in the middle of the load: 0.3 s in, with refunds still to send.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!left.lock().unwrap().is_empty(), "the load was still running");
    let scratch = server.kill9().await;
    for client in clients {
        let _ = client.await;
    }
    let pending = database_number(&database, "SELECT COUNT(*) FROM refunds WHERE state = 'pending'").await;
    eprintln!("{} answers before the kill; {pending} refunds left pending", answers.lock().unwrap().len());

    let server = Server::spawn_on(scratch, &FLAGS, true).await;
    wait_for_recovery(&database).await;
    let (whole, returns) = check_against_the_provider(&server, &database, &orders).await;
    eprintln!("{whole} orders refunded whole, {returns} returns refunded");
    assert!(whole + returns > 0, "refunds were made");
}

#[tokio::test]
async fn two_instances_on_one_postgresql_one_killed_during_refunds_move_money_once() {
    if skip_when_remote("two_instances_on_one_postgresql_one_killed_during_refunds_move_money_once") {
        return;
    }
    if std::env::var("SHOPPABLE_TEST_DATABASE_URL").is_err() {
        eprintln!("SKIPPED two_instances_on_one_postgresql_one_killed_during_refunds_move_money_once: PostgreSQL only");
        return;
    }
    let scratch = Scratch::new().await;
    let database = scratch.database.clone();
    let other_dir = std::env::temp_dir().join(unique("shoppable-test"));
    std::fs::create_dir_all(&other_dir).unwrap();
    let second = Scratch { dir: other_dir, database: database.clone() };
    // One admin token for both, so that any client can send any refund to either.
    let token = unique("token");
    let flags: Vec<&str> = FLAGS.iter().copied().chain(["--admin-token", token.as_str()]).collect();
    let mut a = Server::spawn_on(scratch, &flags, false).await;
    let mut b = Server::spawn_on(second, &flags, false).await;
    a.admin_token = Some(token.clone());
    b.admin_token = Some(token.clone());
    let mug = unique("mug");
    import(&a, &mug, 1000).await;
    let orders = delivered_orders(&a, &mug, ORDERS).await;

    // Clients of both instances refund the same orders; A dies 0.3 s in, B's clients finish the
    // load and B's recovery finishes what A left halfway.
    let (left, answers, clients) = refund_under_load(&[a.base.clone(), b.base.clone()], &a.client, &token, &orders).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!left.lock().unwrap().is_empty(), "the load was still running");
    let _ = a.kill9().await;
    let pending = database_number(&database, "SELECT COUNT(*) FROM refunds WHERE state = 'pending'").await;
    eprintln!("{pending} refunds pending right after A's kill");
    for client in clients {
        let _ = client.await;
    }
    assert!(left.lock().unwrap().is_empty(), "B took the rest of the load");
    eprintln!("{} answers", answers.lock().unwrap().len());
    wait_for_recovery(&database).await;
    let (whole, returns) = check_against_the_provider(&b, &database, &orders).await;
    eprintln!("{whole} orders refunded whole, {returns} returns refunded");
}
