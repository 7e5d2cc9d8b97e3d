//! After the sale on the reference server: the e-mails it writes (language, content, retries,
//! restarts), partial refunds of the `test` provider, and concurrent changes of one order.
//! Protocol rules are checked by the conformance suite (`protocol.rs`); these need a local
//! server (SQLite, or PostgreSQL under `scripts/with-postgres.sh`).

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use support::*;

async fn admin_post(server: &Server, token: &str, path: &str, body: Value) -> Response {
    server.send(server.admin_request(Method::POST, path, token).json(&body)).await
}

async fn shopper_post(server: &Server, order: &Value, path: &str, body: Value) -> Response {
    let request = server.client.post(server.url(path)).header("Order-Secret", order["secret"].as_str().unwrap()).json(&body);
    server.send(request).await
}

/// Imports `id` at 12.00 EUR with 10 units, and buys `quantity` of it in `locale`.
async fn buy(server: &Server, token: &str, id: &str, quantity: u32, locale: &str) -> Value {
    server.import(token, &format!("{FEED_HEADER}\n{}\n", feed_row(id, "Tasse bleue", "12.00 EUR", "10"))).await.expect(200);
    let mut body = order_body(json!([{"variant_id": id, "quantity": quantity}]), &server.card_token(GOOD_CARD).await);
    body["locale"] = json!(locale);
    server.place_order(&unique("key"), &body).await.expect(201).clone()
}

async fn ship_and_deliver(server: &Server, token: &str, order: &Value) {
    let id = order["id"].as_str().unwrap();
    let tracking = json!({"tracking_number": "6A123", "tracking_url": "https://suivi.example/6A123"});
    admin_post(server, token, &format!("/v1/admin/orders/{id}/ship"), tracking).await.expect(200);
    server.send(server.admin_request(Method::POST, &format!("/v1/admin/orders/{id}/deliver"), token)).await.expect(200);
}

/// The shopper asks to return one unit of the order's first line: the return's id.
async fn return_one_unit(server: &Server, order: &Value, reason: &str) -> String {
    let path = format!("/v1/orders/{}/returns", order["id"].as_str().unwrap());
    let ret = shopper_post(server, order, &path, json!({"lines": [{"line": 0, "quantity": 1}], "reason": reason})).await;
    let body = ret.expect(201);
    body["returns"].as_array().unwrap().last().unwrap()["id"].as_str().unwrap().to_owned()
}

/// The `.eml` files of `dir` (CRLF read as LF), once there are `count` of them (waits up to
/// 20 s), in no particular order.
async fn emails(dir: &Path, count: usize) -> Vec<String> {
    let started = std::time::Instant::now();
    loop {
        let files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "eml")).collect())
            .unwrap_or_default();
        if files.len() >= count || started.elapsed() > Duration::from_secs(20) {
            return files.iter().map(|f| std::fs::read_to_string(f).unwrap().replace("\r\n", "\n")).collect();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn bodies_containing<'a>(emails: &'a [String], text: &str) -> Vec<&'a String> {
    emails.iter().filter(|e| e.contains(text)).collect()
}

#[tokio::test]
async fn the_shopper_gets_an_email_for_each_step_in_the_order_language() {
    if skip_when_remote("the_shopper_gets_an_email_for_each_step_in_the_order_language") {
        return;
    }
    let scratch = Scratch::new().await;
    let mail_dir = scratch.dir.join("mail");
    let server = Server::spawn_on(scratch, &["--mail-dir", mail_dir.to_str().unwrap()], true).await;
    let token = server.admin_token.clone().unwrap();

    let order = buy(&server, &token, "tasse-fr", 2, "fr-CA").await;
    assert_eq!(order["locale"], "fr", "the language of the order, without its region");
    let id = order["id"].as_str().unwrap();
    ship_and_deliver(&server, &token, &order).await;
    let ret_id = return_one_unit(&server, &order, "Trop petite").await;
    let approval = json!({"instructions": "Renvoyez-la au 1 rue du Retour", "label_url": "https://labels.example/r1.pdf"});
    admin_post(&server, &token, &format!("/v1/admin/orders/{id}/returns/{ret_id}/approve"), approval).await.expect(200);
    admin_post(&server, &token, &format!("/v1/admin/orders/{id}/returns/{ret_id}/receive"), json!(null)).await.expect(200);
    admin_post(&server, &token, &format!("/v1/admin/orders/{id}/returns/{ret_id}/refund"), json!(null)).await.expect(200);
    shopper_post(&server, &order, &format!("/v1/orders/{id}/messages"), json!({"body": "Merci !"})).await.expect(201);
    admin_post(&server, &token, &format!("/v1/admin/orders/{id}/messages"), json!({"body": "Avec plaisir, à bientôt <b>Camille</b>"}))
        .await
        .expect(201);

    let english = buy(&server, &token, "cup-en", 1, "en-GB").await;
    let english_id = english["id"].as_str().unwrap();
    admin_post(&server, &token, &format!("/v1/admin/orders/{english_id}/refund"), json!(null)).await.expect(200);

    // Confirmed, shipped, delivered, return requested (its acknowledgement), approved, refunded,
    // the shop's reply (not the shopper's own message, nor the receipt); then confirmed and
    // refunded in English.
    let all = emails(&mail_dir, 9).await;
    assert_eq!(all.len(), 9, "{all:#?}");
    for email in &all {
        assert!(email.contains("To: camille@example.com"), "{email}");
        assert!(email.contains("Content-Transfer-Encoding: 8bit") || email.contains("Content-Transfer-Encoding: 7bit"), "{email}");
    }
    let number = order["number"].as_str().unwrap();
    let french = bodies_containing(&all, number);
    assert_eq!(french.len(), 7);
    assert!(
        french
            .iter()
            .all(|e| e.contains("Bonjour Camille Martin,")
                && e.contains("Livraison à : Camille Martin, 12 rue des Lilas, 75011 Paris, France")),
        "{french:#?}"
    );
    let expect = |text: &str| assert_eq!(french.iter().filter(|e| e.contains(text)).count(), 1, "one e-mail says {text:?}: {french:#?}");
    expect("Merci pour votre commande !");
    expect("Numéro de suivi : 6A123\nSuivi : https://suivi.example/6A123");
    expect("Votre commande a été livrée.");
    expect("Renvoyez-la au 1 rue du Retour\n\nÉtiquette de retour : https://labels.example/r1.pdf");
    expect(
        "Nous avons bien reçu votre demande de retour, et vous répondrons\nrapidement. Vous avez demandé à retourner :\n  1 × Tasse bleue\n\nMotif : Trop petite",
    );
    expect("Nous avons reçu votre retour et vous avons remboursé 12,00\u{a0}€ :\n  1 × Tasse bleue");
    expect("Avec plaisir, à bientôt <b>Camille</b>");
    assert!(bodies_containing(&all, "Merci !").is_empty(), "no e-mail for the shopper's own message");

    let english_number = english["number"].as_str().unwrap();
    let english_mails = bodies_containing(&all, english_number);
    assert_eq!(english_mails.len(), 2);
    assert!(english_mails.iter().any(|e| e.contains("Hello Camille Martin,\n\nThank you for your order!")), "{english_mails:#?}");
    assert!(english_mails.iter().any(|e| e.contains("We refunded you €16.90.")), "{english_mails:#?}");
}

#[tokio::test]
async fn emails_say_what_moved_and_write_countries_and_money_as_people_read_them() {
    if skip_when_remote("emails_say_what_moved_and_write_countries_and_money_as_people_read_them") {
        return;
    }
    let scratch = Scratch::new().await;
    let mail_dir = scratch.dir.join("mail");
    let args = ["--mail-dir", mail_dir.to_str().unwrap(), "--shop-url", "https://boutique.example/carnet"];
    let server = Server::spawn_on(scratch, &args, true).await;
    let token = server.admin_token.clone().unwrap();
    server.import(&token, &format!("{FEED_HEADER}\n{}\n", feed_row("bol-fr", "Bol", "1234.50 EUR", "10"))).await.expect(200);
    let buy_in = |locale: &'static str| {
        let server = &server;
        async move {
            let mut body = order_body(json!([{"variant_id": "bol-fr", "quantity": 2}]), &server.card_token(GOOD_CARD).await);
            body["locale"] = json!(locale);
            body["address"]["country"] = json!("DE");
            server.place_order(&unique("key"), &body).await.expect(201).clone()
        }
    };

    // A return of one bowl refunded, then the whole order: the second refund says what it moved.
    let order = buy_in("fr").await;
    let id = order["id"].as_str().unwrap();
    ship_and_deliver(&server, &token, &order).await;
    let asked = shopper_post(
        &server,
        &order,
        &format!("/v1/orders/{id}/returns"),
        json!({"lines": [{"line": 0, "quantity": 1}], "reason": "Fêlé"}),
    )
    .await;
    let ret_id = asked.expect(201)["returns"][0]["id"].as_str().unwrap().to_owned();
    for step in ["approve", "receive", "refund"] {
        admin_post(&server, &token, &format!("/v1/admin/orders/{id}/returns/{ret_id}/{step}"), json!({})).await.expect(200);
    }
    admin_post(&server, &token, &format!("/v1/admin/orders/{id}/refund"), json!(null)).await.expect(200);
    let english = buy_in("en").await;
    let english_id = english["id"].as_str().unwrap();
    admin_post(&server, &token, &format!("/v1/admin/orders/{english_id}/refund"), json!(null)).await.expect(200);

    // Confirmed, shipped, delivered, return requested, approved, refunded, order refunded; then
    // confirmed and refunded in English.
    let all = emails(&mail_dir, 9).await;
    assert_eq!(all.len(), 9, "{all:#?}");
    // Read as flowing text: where the 72-column lines break does not matter here.
    let all: Vec<String> = all.iter().map(|e| e.replace('\n', " ")).collect();
    let french = bodies_containing(&all, order["number"].as_str().unwrap());
    let one = |text: &str| {
        let found = bodies_containing(&all, text);
        assert_eq!(found.len(), 1, "one e-mail says {text:?}: {french:#?}");
        found[0].clone()
    };
    one("Nous avons bien reçu votre demande de retour");
    let total = order["total"]["amount"].as_i64().unwrap();
    assert_eq!(total, 2 * 123_450, "free shipping over the threshold");
    let refunded = one(
        "Nous vous avons remboursé 1\u{202f}234,50\u{a0}€. Avec les 1\u{202f}234,50\u{a0}€ déjà remboursés pour vos retours, la commande vous est remboursée en entier : 2\u{202f}469,00\u{a0}€.",
    );
    assert!(refunded.contains("Remboursé : 2\u{202f}469,00\u{a0}€"), "{refunded}");
    assert!(french.iter().all(|e| e.contains("75011 Paris, Allemagne") && e.contains("(2 articles)")), "{french:#?}");
    assert!(french.iter().all(|e| !e.contains("EUR") && !e.contains("(s)")), "{french:#?}");
    // Every e-mail links to the order on the shop's page; the confirmation's link, with the
    // order's secret, opens it on any device.
    let link = format!("https://boutique.example/carnet#shoppable-order={id}");
    let with_secret = format!("{link}.{}", order["secret"].as_str().unwrap());
    assert_eq!(bodies_containing(&all, &with_secret).len(), 1, "{french:#?}");
    assert!(one("Merci pour votre commande").contains(&with_secret));
    assert!(french.iter().all(|e| e.contains(&format!("{link}.")) || e.contains(&format!("{link} "))), "{french:#?}");

    let english_mails = bodies_containing(&all, english["number"].as_str().unwrap());
    assert_eq!(english_mails.len(), 2);
    assert!(
        english_mails.iter().all(|e| e.contains("Shipping to: Camille Martin, 12 rue des Lilas, 75011 Paris, Germany")),
        "{english_mails:#?}"
    );
    assert!(
        english_mails.iter().all(|e| !e.contains("Delivered to") && e.contains("(2 items)") && e.contains("Total: €2,469.00")),
        "{english_mails:#?}"
    );
    assert!(english_mails.iter().any(|e| e.contains("We refunded you €2,469.00.")), "{english_mails:#?}");
}

#[tokio::test]
async fn emails_speak_german_spanish_and_italian_with_each_locale_s_money() {
    if skip_when_remote("emails_speak_german_spanish_and_italian_with_each_locale_s_money") {
        return;
    }
    let scratch = Scratch::new().await;
    let mail_dir = scratch.dir.join("mail");
    let server = Server::spawn_on(scratch, &["--mail-dir", mail_dir.to_str().unwrap()], true).await;
    let token = server.admin_token.clone().unwrap();
    server.import(&token, &format!("{FEED_HEADER}\n{}\n", feed_row("bol-it", "Bol", "1234.50 EUR", "40"))).await.expect(200);
    // (locale, what its confirmation says): 2 bowls, 2,469.00 EUR (Spanish and Italian group
    // digits from five on, as the browser does), and 10 bowls, 12,345.00 EUR.
    let cases = [
        (
            "it-IT",
            [
                "Ciao Camille Martin,",
                "Grazie per il tuo ordine!",
                "2 × Bol: 2469,00\u{a0}€",
                "Totale: 2469,00\u{a0}€",
                "(2 articoli)",
                "Spedizione a: Camille Martin, 12 rue des Lilas, 75011 Paris, Francia",
            ],
            "Totale: 12.345,00\u{a0}€",
        ),
        (
            "de-DE",
            [
                "Hallo Camille Martin,",
                "Vielen Dank für Ihre Bestellung!",
                "2 × Bol: 2.469,00\u{a0}€",
                "Gesamt: 2.469,00\u{a0}€",
                "(2 Artikel)",
                "Lieferung an: Camille Martin, 12 rue des Lilas, 75011 Paris, Frankreich",
            ],
            "Gesamt: 12.345,00\u{a0}€",
        ),
        (
            "es-ES",
            [
                "Hola, Camille Martin:",
                "¡Gracias por tu pedido!",
                "2 × Bol: 2469,00\u{a0}€",
                "Total: 2469,00\u{a0}€",
                "(2 artículos)",
                "Envío a: Camille Martin, 12 rue des Lilas, 75011 Paris, Francia",
            ],
            "Total: 12.345,00\u{a0}€",
        ),
    ];
    let mut numbers = Vec::new();
    for (locale, _, _) in &cases {
        for quantity in [2, 10] {
            let mut body = order_body(json!([{"variant_id": "bol-it", "quantity": quantity}]), &server.card_token(GOOD_CARD).await);
            body["locale"] = json!(locale);
            let order = server.place_order(&unique("key"), &body).await.expect(201).clone();
            numbers.push(order["number"].as_str().unwrap().to_owned());
        }
    }
    let all = emails(&mail_dir, 6).await;
    // Read as flowing text: where the 72-column lines break does not matter here.
    let all: Vec<String> = all.iter().map(|e| e.replace('\n', " ")).collect();
    for ((locale, says, big_total), pair) in cases.iter().zip(numbers.chunks(2)) {
        let two = bodies_containing(&all, &pair[0]);
        assert_eq!(two.len(), 1, "{locale}: {all:#?}");
        for text in says {
            assert!(two[0].contains(text), "{locale}: {text:?} in {}", two[0]);
        }
        assert!(!two[0].contains("Thank you") && !two[0].contains("€2,469"), "{locale}: {}", two[0]);
        let ten = bodies_containing(&all, &pair[1]);
        assert!(ten[0].contains(big_total), "{locale}: {big_total:?} in {}", ten[0]);
    }
}

#[tokio::test]
async fn emails_that_cannot_be_sent_are_kept_and_sent_after_a_restart() {
    if skip_when_remote("emails_that_cannot_be_sent_are_kept_and_sent_after_a_restart") {
        return;
    }
    // An SMTP server nobody listens on: every attempt fails and is retried.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let smtp = format!("smtp://{closed}");
    let scratch = Scratch::new().await;
    let (database, mail_dir) = (scratch.database.clone(), scratch.dir.join("mail"));
    let server = Server::spawn_on(scratch, &["--smtp-url", &smtp, "--mail-dir", mail_dir.to_str().unwrap()], true).await;
    let token = server.admin_token.clone().unwrap();
    let order = buy(&server, &token, "tasse-smtp", 1, "fr").await;
    ship_and_deliver(&server, &token, &order).await;
    let pending = "SELECT COUNT(*) FROM outbox WHERE kind = 'email' AND delivered_at IS NULL AND failed_at IS NULL";
    let tried = "SELECT COUNT(*) FROM outbox WHERE kind = 'email' AND attempts > 0 AND last_error LIKE 'SMTP%'";
    let started = std::time::Instant::now();
    while database_number(&database, tried).await < 3 && started.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(database_number(&database, tried).await, 3, "each of the 3 e-mails was tried and failed");
    assert_eq!(database_number(&database, pending).await, 3, "and is kept for another attempt");
    assert!(emails(&mail_dir, 0).await.is_empty());

    // The same database without SMTP: the e-mails are written as files, each once.
    let scratch = server.kill9().await;
    let server = Server::spawn_on(scratch, &["--mail-dir", mail_dir.to_str().unwrap()], true).await;
    let written = emails(&mail_dir, 3).await;
    assert_eq!(written.len(), 3, "{written:#?}");
    for text in ["Merci pour votre commande", "Votre commande est en route", "Votre commande a été livrée"] {
        assert_eq!(bodies_containing(&written, text).len(), 1, "{text}: {written:#?}");
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(database_number(&database, pending).await, 0);
    assert_eq!(emails(&mail_dir, 3).await.len(), 3, "nothing is sent twice");
    drop(server);
}

#[tokio::test]
async fn a_return_refunds_its_lines_and_the_order_refund_only_the_rest() {
    if skip_when_remote("a_return_refunds_its_lines_and_the_order_refund_only_the_rest") {
        return;
    }
    let scratch = Scratch::new().await;
    let database = scratch.database.clone();
    let server = Server::spawn_on(scratch, &[], true).await;
    let token = server.admin_token.clone().unwrap();
    let order = buy(&server, &token, "tasse-part", 3, "en").await;
    let id = order["id"].as_str().unwrap();
    assert_eq!(order["total"]["amount"], 4090, "3 × 12.00 and 4.90 of shipping");
    ship_and_deliver(&server, &token, &order).await;
    let ret = shopper_post(
        &server,
        &order,
        &format!("/v1/orders/{id}/returns"),
        json!({"lines": [{"line": 0, "quantity": 2}], "reason": "Chipped"}),
    )
    .await;
    let ret_id = ret.expect(201)["returns"][0]["id"].as_str().unwrap().to_owned();
    for step in ["approve", "receive", "refund"] {
        let body = if step == "approve" { json!({}) } else { json!(null) };
        admin_post(&server, &token, &format!("/v1/admin/orders/{id}/returns/{ret_id}/{step}"), body).await.expect(200);
    }
    let refunded = format!("SELECT refunded_amount FROM test_payment_charges WHERE reference = '{id}'");
    assert_eq!(database_number(&database, &refunded).await, 2400, "two units refunded");
    assert_eq!(
        database_number(&database, "SELECT stock FROM variants WHERE id = 'tasse-part'").await,
        9,
        "the two returned units are back"
    );

    // The last unit is on its way back when the shop refunds the whole order.
    let last_id = return_one_unit(&server, &order, "Chipped too").await;
    admin_post(&server, &token, &format!("/v1/admin/orders/{id}/returns/{last_id}/approve"), json!({})).await.expect(200);
    admin_post(&server, &token, &format!("/v1/admin/orders/{id}/returns/{last_id}/receive"), json!(null)).await.expect(200);
    let whole = admin_post(&server, &token, &format!("/v1/admin/orders/{id}/refund"), json!(null)).await;
    assert_eq!(whole.expect(200)["status"], "refunded");
    assert_eq!(database_number(&database, &refunded).await, 4090, "the rest, never more than was charged");
    let again = admin_post(&server, &token, &format!("/v1/admin/orders/{id}/returns/{last_id}/refund"), json!(null)).await;
    again.expect_error(409, "invalid_transition");
    assert_eq!(database_number(&database, &refunded).await, 4090);
}

#[tokio::test]
async fn concurrent_messages_are_all_kept_and_a_double_return_request_makes_one_return() {
    if skip_when_remote("concurrent_messages_are_all_kept_and_a_double_return_request_makes_one_return") {
        return;
    }
    let server = Server::spawn(&[], true).await;
    let token = server.admin_token.clone().unwrap();
    let order = buy(&server, &token, "tasse-race", 2, "fr").await;
    let id = order["id"].as_str().unwrap();
    let mut sends = tokio::task::JoinSet::new();
    for i in 0..6 {
        let request = if i % 2 == 0 {
            let shopper = server
                .client
                .post(server.url(&format!("/v1/orders/{id}/messages")))
                .header("Order-Secret", order["secret"].as_str().unwrap());
            shopper.json(&json!({"body": format!("question {i}")}))
        } else {
            server
                .admin_request(Method::POST, &format!("/v1/admin/orders/{id}/messages"), &token)
                .json(&json!({"body": format!("answer {i}")}))
        };
        sends.spawn(request.send());
    }
    while let Some(sent) = sends.join_next().await {
        assert_eq!(sent.unwrap().unwrap().status(), 201);
    }
    let read = server.order_with_secret(Method::GET, &format!("/v1/orders/{id}"), order["secret"].as_str().unwrap()).await;
    let mut bodies: Vec<String> =
        read.expect(200)["messages"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap().to_owned()).collect();
    bodies.sort();
    assert_eq!(bodies, ["answer 1", "answer 3", "answer 5", "question 0", "question 2", "question 4"]);

    ship_and_deliver(&server, &token, &order).await;
    let request = json!({"lines": [{"line": 0, "quantity": 1}], "reason": "Cracked"});
    let path = format!("/v1/orders/{id}/returns");
    let (first, second) =
        tokio::join!(shopper_post(&server, &order, &path, request.clone()), shopper_post(&server, &order, &path, request));
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [201, 409], "one return; the double click is refused");
    let read = server.order_with_secret(Method::GET, &format!("/v1/orders/{id}"), order["secret"].as_str().unwrap()).await;
    assert_eq!(read.expect(200)["returns"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_status_move_and_messages_at_the_same_moment_all_succeed_and_two_ships_make_one() {
    if skip_when_remote("a_status_move_and_messages_at_the_same_moment_all_succeed_and_two_ships_make_one") {
        return;
    }
    let server = Server::spawn(&[], true).await;
    let token = server.admin_token.clone().unwrap();
    let order = buy(&server, &token, "tasse-move-race", 1, "fr").await;
    let id = order["id"].as_str().unwrap();
    let message_path = format!("/v1/orders/{id}/messages");
    let ship_path = format!("/v1/admin/orders/{id}/ship");
    let ship = |number: &str| admin_post(&server, &token, &ship_path, json!({"tracking_number": number}));
    let (first_message, first_ship, second_message, second_ship) = tokio::join!(
        shopper_post(&server, &order, &message_path, json!({"body": "Is it on its way?"})),
        ship("T-1"),
        shopper_post(&server, &order, &message_path, json!({"body": "Thank you"})),
        ship("T-2"),
    );
    assert_eq!([first_message.status, second_message.status], [201, 201], "a message is never refused because the order moved");
    let mut ships = [first_ship.status, second_ship.status];
    ships.sort();
    assert_eq!(ships, [200, 409], "the order is shipped once; the second ship is told why");

    let read = server.order_with_secret(Method::GET, &format!("/v1/orders/{id}"), order["secret"].as_str().unwrap()).await;
    let read = read.expect(200);
    assert_eq!(read["status"], "shipped");
    assert_eq!(read["messages"].as_array().unwrap().len(), 2, "both messages kept by the move");
    let shipped = read["history"].as_array().unwrap().iter().filter(|event| event["status"] == "shipped").count();
    assert_eq!(shipped, 1);
}

#[tokio::test]
async fn a_return_label_url_is_a_web_address_like_the_tracking_url() {
    if skip_when_remote("a_return_label_url_is_a_web_address_like_the_tracking_url") {
        return;
    }
    let server = Server::spawn(&[], true).await;
    let token = server.admin_token.clone().unwrap();
    let order = buy(&server, &token, "tasse-label", 1, "en").await;
    let id = order["id"].as_str().unwrap();
    ship_and_deliver(&server, &token, &order).await;
    let ret_id = return_one_unit(&server, &order, "Too small").await;
    let approve = format!("/v1/admin/orders/{id}/returns/{ret_id}/approve");
    for label in [
        "https://labels.example/r/1\r\nBcc: someone@example.com",
        "https://labels.example/r/1\nSee attached",
        "https://labels.example/<script>alert(1)</script>",
        "https://labels.example/\"onmouseover=\"alert(1)",
        "javascript:alert(1)",
        "/relative/label.pdf",
    ] {
        let refused = admin_post(&server, &token, &approve, json!({"label_url": label})).await;
        refused.expect_error(422, "invalid_field");
        assert_eq!(refused.field(), "label_url", "{label:?}");
    }
    // The same rule for the tracking URL.
    let shipped = json!({"tracking_number": "6A9", "tracking_url": "https://track.example/<b>6A9</b>"});
    let order2 = buy(&server, &token, "tasse-label-2", 1, "en").await;
    let ship = admin_post(&server, &token, &format!("/v1/admin/orders/{}/ship", order2["id"].as_str().unwrap()), shipped).await;
    ship.expect_error(422, "invalid_field");
    let approved = admin_post(&server, &token, &approve, json!({"label_url": "https://labels.example/r/1?c=a%20b"})).await;
    assert_eq!(approved.expect(200)["returns"][0]["label_url"], "https://labels.example/r/1?c=a%20b");
}

#[tokio::test]
async fn an_order_email_is_one_address_a_mail_server_takes() {
    if skip_when_remote("an_order_email_is_one_address_a_mail_server_takes") {
        return;
    }
    let scratch = Scratch::new().await;
    let mail_dir = scratch.dir.join("mail");
    let server = Server::spawn_on(scratch, &["--mail-dir", mail_dir.to_str().unwrap()], true).await;
    let token = server.admin_token.clone().unwrap();
    server.import(&token, &format!("{FEED_HEADER}\n{}\n", feed_row("tasse-mail", "Tasse", "12.00 EUR", "10"))).await.expect(200);
    let order = async |email: &str| {
        let mut body = order_body(json!([{"variant_id": "tasse-mail", "quantity": 1}]), &server.card_token(GOOD_CARD).await);
        body["address"]["email"] = json!(email);
        server.place_order(&unique("key"), &body).await
    };
    for email in [
        "camille@example.com\r\nBcc: all@example.com",
        "camille@example.com\nBcc: all@example.com",
        "camille@example.com, all@example.com",
        "camille@example.com;all@example.com",
        "Camille <camille@example.com>",
        "camille@@example.com",
        "camille@example",
        "josé@example.com",
    ] {
        let refused = order(email).await;
        refused.expect_error(422, "invalid_field");
        assert_eq!(refused.field(), "address.email", "{email:?}");
        let quote = json!({"lines": [{"variant_id": "tasse-mail", "quantity": 1}], "address": {"name": "C", "email": email,
                           "line1": "1 rue", "postal_code": "75011", "city": "Paris", "country": "FR"}});
        server.post("/v1/quote", &quote).await.expect_error(422, "invalid_field");
    }
    // A domain in another script is written the way mail servers read it (IDNA).
    let placed = order("camille@exämple.fr").await;
    assert_eq!(placed.expect(201)["address"]["email"], "camille@exämple.fr", "kept as the shopper wrote it");
    let sent = emails(&mail_dir, 1).await;
    assert_eq!(sent.len(), 1, "the confirmation is sent");
    assert!(sent[0].contains("To: camille@xn--exmple-cua.fr\n"), "{}", sent[0]);
    assert!(sent[0].split("\n\n").next().unwrap().is_ascii(), "the headers are ASCII: {}", sent[0]);
}
