//! The baseline of `bench/server.sh`: a bare axum handler answering every GET with the bytes
//! of a file, as `application/json`. What the reference server is compared with, in the same
//! run on the same machine: the cost of HTTP itself, without routing, layers or storage.
//!
//! `cargo run --profile server -p shoppable-server --example bare -- answer.json`
//! prints `listening on http://127.0.0.1:PORT` like the server.

use axum::body::Bytes;
use axum::http::header;
use axum::routing::get;
use axum::serve::ListenerExt;

#[tokio::main]
async fn main() {
    let path = std::env::args().nth(1).expect("usage: bare FILE");
    let bytes = Bytes::from(std::fs::read(&path).expect("read the answer file"));
    let handler = move || {
        let bytes = bytes.clone();
        async move { ([(header::CONTENT_TYPE, "application/json")], bytes) }
    };
    let app = axum::Router::new().fallback(get(handler));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("listen");
    println!("listening on http://{}", listener.local_addr().expect("an address"));
    // As the server does: small answers leave at once.
    let listener = listener.tap_io(|stream| {
        let _ = stream.set_nodelay(true);
    });
    axum::serve(listener, app).await.expect("serve");
}
