//! Runs the protocol suite against a fresh `shoppable-server` process (SQLite in a temp dir,
//! or a fresh database on the PostgreSQL of `SHOPPABLE_TEST_DATABASE_URL`), or against any
//! backend at `SHOPPABLE_TEST_BASE_URL`, and speaks HTTP to it like a client would.

#![allow(dead_code)] // each test binary uses its own part of this module

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub const ADMIN_TOKEN_ENV: &str = "SHOPPABLE_TEST_ADMIN_TOKEN";

pub struct Server {
    pub base: String,
    /// The payments origin (`--payments-listen`), when the server has one.
    pub payments: Option<String>,
    pub admin_token: Option<String>,
    pub client: reqwest::Client,
    /// The process we started, killed on drop; None for a remote backend.
    child: Option<Child>,
    scratch: Option<Scratch>,
}

/// A temp dir and a database nobody else uses: a SQLite file in the dir, or a new database
/// on the PostgreSQL of `SHOPPABLE_TEST_DATABASE_URL`.
pub struct Scratch {
    pub dir: PathBuf,
    pub database: String,
}

impl Scratch {
    pub async fn new() -> Scratch {
        let dir = std::env::temp_dir().join(unique("shoppable-test"));
        std::fs::create_dir_all(&dir).unwrap();
        let database = match std::env::var("SHOPPABLE_TEST_DATABASE_URL") {
            Ok(admin_url) => new_postgres_database(&admin_url).await,
            Err(_) => dir.join("shop.sqlite").display().to_string(),
        };
        Scratch { dir, database }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Response {
    /// The error code of a protocol error body.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    pub fn field(&self) -> &str {
        self.body["field"].as_str().unwrap_or("")
    }

    #[track_caller]
    pub fn expect(&self, status: u16) -> &Value {
        assert_eq!(self.status, status, "unexpected answer: {}", self.body);
        &self.body
    }

    /// Asserts a protocol error: status, code, and that the body is the one error shape.
    #[track_caller]
    pub fn expect_error(&self, status: u16, code: &str) {
        assert_eq!((self.status, self.code()), (status, code), "unexpected answer: {}", self.body);
        assert!(self.body["message"].is_string(), "an error has a message: {}", self.body);
        assert_eq!(self.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"), "errors are JSON");
    }
}

pub fn remote_base_url() -> Option<String> {
    std::env::var("SHOPPABLE_TEST_BASE_URL").ok().filter(|u| !u.is_empty()).map(|u| u.trim_end_matches('/').to_owned())
}

/// True (after saying why) when the test needs a server process of its own.
pub fn skip_when_remote(test: &str) -> bool {
    let remote = remote_base_url().is_some();
    if remote {
        eprintln!("SKIPPED {test}: it configures the reference server itself, so it cannot run against SHOPPABLE_TEST_BASE_URL");
    }
    remote
}

fn random_hex() -> String {
    let mut bytes = [0u8; 8];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

/// An id no other test or earlier run uses, so tests can share a remote backend.
/// One number read from the server's database itself (a SQLite path or a PostgreSQL URL), for
/// what the API does not show: outbox rows, idempotency keys, charges.
pub async fn database_number(database: &str, sql: &str) -> i64 {
    use sqlx::Connection;
    let mut conn = database_connection(database).await;
    let value: i64 = sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    value
}

/// A connection to the server's database (a SQLite path or a PostgreSQL URL).
pub async fn database_connection(database: &str) -> sqlx::AnyConnection {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let url = if database.starts_with("postgres") { database.to_owned() } else { format!("sqlite://{database}") };
    sqlx::AnyConnection::connect(&url).await.unwrap()
}

pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", random_hex())
}

async fn new_postgres_database(admin_url: &str) -> String {
    use sqlx::Connection;
    let name = format!("shoppable_test_{}", random_hex());
    let mut conn = sqlx::PgConnection::connect(admin_url).await.expect("connect to SHOPPABLE_TEST_DATABASE_URL");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create a test database");
    let (server, _) = admin_url.rsplit_once('/').expect("a postgres:// URL ending in /database");
    format!("{server}/{name}")
}

impl Server {
    /// The backend under test: `SHOPPABLE_TEST_BASE_URL` when set, else a new local server.
    pub async fn start() -> Server {
        match remote_base_url() {
            Some(base) => Server {
                base,
                payments: None,
                admin_token: std::env::var(ADMIN_TOKEN_ENV).ok().filter(|t| !t.is_empty()),
                client: client(),
                child: None,
                scratch: None,
            },
            None => Server::spawn(&[], true).await,
        }
    }

    /// A new local server process on a new database, with these extra flags and an admin
    /// token when asked.
    pub async fn spawn(args: &[&str], with_admin_token: bool) -> Server {
        Server::spawn_on(Scratch::new().await, args, with_admin_token).await
    }

    pub async fn spawn_on(scratch: Scratch, args: &[&str], with_admin_token: bool) -> Server {
        let admin_token = with_admin_token.then(random_hex);
        let mut command = server_command(&scratch.database);
        command.args(["--listen", "127.0.0.1:0"]).args(args).stdout(Stdio::piped()).kill_on_drop(true);
        if scratch.database.starts_with("postgres") {
            // Uploaded photos and e-mails would land in the working directory: keep them with
            // the scratch.
            command.env("SHOPPABLE_MEDIA_DIR", scratch.dir.join("media"));
            command.env("SHOPPABLE_MAIL_DIR", scratch.dir.join("mail"));
        }
        if let Some(token) = &admin_token {
            command.args(["--admin-token", token]);
        }
        let mut child = command.spawn().expect("start shoppable-server");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // `payments frame on URL` comes first, with --payments-listen.
        let mut payments = None;
        let base = loop {
            let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
                .await
                .expect("the server prints its address within a minute")
                .unwrap()
                .expect("the server exited before listening");
            match (line.strip_prefix("payments frame on "), line.strip_prefix("listening on ")) {
                (Some(url), _) => payments = Some(url.trim().to_owned()),
                (_, Some(url)) => break url.trim().to_owned(),
                _ => {}
            }
        };
        Server { base, payments, admin_token, client: client(), child: Some(child), scratch: Some(scratch) }
    }

    /// Sends SIGTERM and waits for the process to end: its exit status and how long it took.
    pub async fn terminate(mut self) -> (std::process::ExitStatus, Duration) {
        let child = self.child.as_mut().expect("a local server");
        let pid = child.id().expect("a running server").to_string();
        let started = std::time::Instant::now();
        let killed = std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(killed.success());
        let status = tokio::time::timeout(Duration::from_secs(30), child.wait()).await.expect("the server stops").unwrap();
        (status, started.elapsed())
    }

    pub fn is_local(&self) -> bool {
        self.child.is_some()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Response {
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("a complete body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| panic!("status {status}: the body is not JSON: {}", String::from_utf8_lossy(&bytes)))
        };
        Response { status, headers, body }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(self.client.get(self.url(path))).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.send(self.client.post(self.url(path)).json(body)).await
    }

    /// The admin token, or None after saying why the calling test is skipped.
    pub fn admin(&self, test: &str) -> Option<String> {
        if self.admin_token.is_none() {
            eprintln!("SKIPPED {test}: it needs the admin API; set {ADMIN_TOKEN_ENV} to run it against this backend");
        }
        self.admin_token.clone()
    }

    pub fn admin_request(&self, method: reqwest::Method, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(path)).bearer_auth(token)
    }

    /// Imports a Meta catalog feed through the admin API.
    pub async fn import(&self, token: &str, csv: &str) -> Response {
        let request = self
            .admin_request(reqwest::Method::POST, "/v1/admin/catalog/import", token)
            .header("Content-Type", "text/csv")
            .body(csv.to_owned());
        self.send(request).await
    }

    /// A single-use payment token for a test card.
    pub async fn card_token(&self, number: &str) -> String {
        let card = json!({"number": number, "exp_month": 12, "exp_year": 2040, "cvc": "123"});
        let response = self.post("/v1/payments/test/tokens", &card).await;
        response.expect(201)["token"].as_str().unwrap().to_owned()
    }

    pub async fn place_order(&self, key: &str, body: &Value) -> Response {
        self.send(self.client.post(self.url("/v1/orders")).header("Idempotency-Key", key).json(body)).await
    }

    pub async fn order_with_secret(&self, method: reqwest::Method, path: &str, secret: &str) -> Response {
        self.send(self.client.request(method, self.url(path)).header("Order-Secret", secret)).await
    }
}

/// The server binary on `database`, with a clean environment and quiet logs.
pub fn server_command(database: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shoppable-server"));
    command
        .args(["--database", database])
        .env_remove("SHOPPABLE_ADMIN_TOKEN")
        .env_remove("SHOPPABLE_ALLOWED_ORIGINS")
        .env_remove("SHOPPABLE_DATABASE_URL")
        .env("RUST_LOG", std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()))
        .stderr(if std::env::var_os("SHOPPABLE_TEST_LOG").is_some() { Stdio::inherit() } else { Stdio::null() });
    command
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.start_kill();
        }
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap()
}

pub const GOOD_CARD: &str = "4242424242424242";
pub const DECLINED_CARD: &str = "4000000000000002";
pub const NO_FUNDS_CARD: &str = "4000000000009995";

/// A shipping address in the shop's home country.
pub fn address() -> Value {
    json!({"name": "Camille Martin", "email": "camille@example.com", "line1": "12 rue des Lilas",
           "postal_code": "75011", "city": "Paris", "country": "FR"})
}

pub fn order_body(lines: Value, token: &str) -> Value {
    json!({"lines": lines, "address": address(), "shipping_option": "standard",
           "payment": {"provider": "test", "token": token}})
}

pub const FEED_HEADER: &str = "id,title,description,availability,condition,price,link,image_link,brand,sale_price,item_group_id,color,size,additional_image_link,quantity";

/// One feed row for a single-variant product.
pub fn feed_row(id: &str, title: &str, price: &str, quantity: &str) -> String {
    format!(
        "{id},{title},A test product,in stock,new,\"{price}\",https://shop.example/{id},https://shop.example/{id}.jpg,Test,,,,,,{quantity}"
    )
}

impl Server {
    /// Kills the process with SIGKILL (no shutdown at all) and hands back its database, so a
    /// new process can be started on it.
    pub async fn kill9(mut self) -> Scratch {
        let mut child = self.child.take().expect("a local server");
        let pid = child.id().expect("a running server").to_string();
        let killed = std::process::Command::new("kill").args(["-KILL", &pid]).status().unwrap();
        assert!(killed.success());
        let _ = tokio::time::timeout(Duration::from_secs(30), child.wait()).await.expect("the server dies");
        self.scratch.take().expect("a local database")
    }
}

/// A webhook receiver that refuses everything until `accept` is set.
pub struct Receiver {
    pub url: String,
    accept: Arc<AtomicBool>,
    events: Arc<Mutex<Vec<Value>>>,
}

impl Receiver {
    pub async fn start(accept: bool) -> Receiver {
        let accept = Arc::new(AtomicBool::new(accept));
        let events = Arc::new(Mutex::new(Vec::new()));
        let (open, sink) = (accept.clone(), events.clone());
        let app = axum::Router::new().route(
            "/hooks",
            axum::routing::post(move |body: axum::body::Bytes| async move {
                if !open.load(Ordering::SeqCst) {
                    return axum::http::StatusCode::SERVICE_UNAVAILABLE;
                }
                sink.lock().unwrap().push(serde_json::from_slice(&body).unwrap_or_default());
                axum::http::StatusCode::OK
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { url, accept, events }
    }

    /// From now on, events are taken (a receiver that was down comes back).
    pub fn accept(&self) {
        self.accept.store(true, Ordering::SeqCst);
    }

    /// The events taken so far, in the order they came.
    pub fn events(&self) -> Vec<Value> {
        self.events.lock().unwrap().clone()
    }

    /// (order id, event type) -> how many times received, once `expected` events came (or 20 s).
    pub async fn wait_for(&self, expected: usize) -> HashMap<(String, String), usize> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.events.lock().unwrap().len() < expected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut seen = HashMap::new();
        for event in self.events.lock().unwrap().iter() {
            let key = (event["order"]["id"].as_str().unwrap_or("").to_owned(), event["type"].as_str().unwrap_or("").to_owned());
            *seen.entry(key).or_default() += 1;
        }
        seen
    }
}
