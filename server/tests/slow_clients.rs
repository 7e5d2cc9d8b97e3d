//! Slow and idle clients (issue 26): headers that never end, bodies shorter than their
//! `Content-Length` and idle connections are given up after their time-outs, and SIGTERM
//! stops the server within its deadline whatever its clients do. Raw TCP clients, on SQLite
//! or on PostgreSQL under `scripts/with-postgres.sh`.

mod support;

use std::time::{Duration, Instant};

use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn connect(server: &Server) -> TcpStream {
    TcpStream::connect(server.base.trim_start_matches("http://")).await.unwrap()
}

/// What the server sends until it closes the connection, and how long it took; None when it
/// still holds the connection after `patience`.
async fn until_closed(stream: &mut TcpStream, patience: Duration) -> Option<(String, Duration)> {
    let started = Instant::now();
    let mut answer = Vec::new();
    match tokio::time::timeout(patience, stream.read_to_end(&mut answer)).await {
        Ok(_) => Some((String::from_utf8_lossy(&answer).into_owned(), started.elapsed())),
        Err(_) => None,
    }
}

#[tokio::test]
async fn unfinished_headers_and_idle_connections_are_closed_after_the_header_time_out() {
    if skip_when_remote("unfinished_headers_and_idle_connections_are_closed_after_the_header_time_out") {
        return;
    }
    let server = Server::spawn(&["--header-timeout-seconds", "1"], false).await;
    let mut unfinished = connect(&server).await;
    unfinished.write_all(b"GET /v1/config HTTP/1.1\r\nHost: x\r\nX-Slow: ").await.unwrap();
    let mut silent = connect(&server).await;
    let mut kept_alive = connect(&server).await;
    kept_alive.write_all(b"GET /v1/config HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();

    for (name, stream) in [("unfinished headers", &mut unfinished), ("a silent connection", &mut silent)] {
        let (_, took) = until_closed(stream, Duration::from_secs(10)).await.unwrap_or_else(|| panic!("{name} is still held after 10 s"));
        assert!(took < Duration::from_secs(5), "{name}: closed after {took:?}");
    }
    // A kept-alive connection gets its answer, then is closed when no next request comes.
    let (answer, took) = until_closed(&mut kept_alive, Duration::from_secs(10)).await.expect("an idle kept-alive connection is closed");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(took < Duration::from_secs(5), "closed after {took:?}");
    // The server still serves.
    server.get("/v1/config").await.expect(200);
}

#[tokio::test]
async fn a_body_shorter_than_its_length_is_given_up_with_a_json_error() {
    if skip_when_remote("a_body_shorter_than_its_length_is_given_up_with_a_json_error") {
        return;
    }
    let server = Server::spawn(&["--body-timeout-seconds", "1"], false).await;
    let mut stream = connect(&server).await;
    let head = "POST /v1/quote HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    stream.write_all(format!("{head}{{\"lines\":").as_bytes()).await.unwrap();
    let (answer, took) = until_closed(&mut stream, Duration::from_secs(10)).await.expect("the server gives the body up");
    assert!(took < Duration::from_secs(5), "given up after {took:?}");
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no answer: {answer:?}"));
    assert!(head.starts_with("HTTP/1.1 408"), "{head}");
    let error: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body:?}"));
    assert_eq!(error["code"], "request_timeout", "{error}");
    server.get("/v1/config").await.expect(200);
}

#[tokio::test]
async fn sigterm_stops_the_server_within_its_deadline_whatever_its_clients_do() {
    if skip_when_remote("sigterm_stops_the_server_within_its_deadline_whatever_its_clients_do") {
        return;
    }
    // Client time-outs longer than the test: only the stop's deadline can end these clients.
    let flags = ["--header-timeout-seconds", "300", "--body-timeout-seconds", "300", "--shutdown-timeout-seconds", "2"];
    let server = Server::spawn(&flags, false).await;
    let mut clients = Vec::new();
    for _ in 0..20 {
        let mut unfinished = connect(&server).await;
        unfinished.write_all(b"GET /v1/config HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        let mut short_body = connect(&server).await;
        short_body
            .write_all(b"POST /v1/quote HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
            .await
            .unwrap();
        clients.extend([unfinished, short_body, connect(&server).await]);
    }
    tokio::time::sleep(Duration::from_millis(300)).await; // the requests reach their handlers
    let (status, took) = server.terminate().await;
    assert!(status.success(), "{status}");
    assert!(took < Duration::from_secs(5), "stopped after {took:?}");
}
