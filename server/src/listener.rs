//! The TCP listener of the server and its connections ([`serve`]). Requests that hyper refuses
//! before any handler runs (a NUL byte in a header, a URI longer than 64 KiB, too many or too
//! large headers) are answered by hyper itself with a bare status and an empty body; the
//! connection wrapper here rewrites those answers, as they are written, into the protocol's
//! JSON error shape. Every answer of the application has a `Content-Type` (errors are made
//! JSON by `routes::json_errors`), so an error head without one and with `content-length: 0`
//! can only come from hyper.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use shoppable_protocol::{ApiError, ErrorCode};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

/// A [`TcpListener`] whose connections answer HTTP-level refusals in JSON.
pub struct JsonErrorsListener(pub TcpListener);

impl axum::serve::Listener for JsonErrorsListener {
    type Io = JsonErrorsIo<TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, address) = axum::serve::Listener::accept(&mut self.0).await;
        // Small answers leave at once instead of waiting for Nagle's algorithm.
        let _ = stream.set_nodelay(true);
        (JsonErrorsIo { inner: stream, rewrite: None }, address)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// Serves `app` on `listener` until `stop` turns true, then lets the requests in flight
/// finish (the caller bounds how long) and returns when every connection is closed. A client
/// has `header_timeout` to send a request's headers, counted from when the server waits for
/// them (a new connection, or a kept-alive one between requests); then its connection is
/// closed. Each request carries the peer's address (`ConnectInfo<SocketAddr>`), for the abuse
/// limits.
pub async fn serve(mut listener: JsonErrorsListener, app: Router, header_timeout: Duration, mut stop: watch::Receiver<bool>) {
    let (closing, closing_seen) = watch::channel(false);
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            (io, peer) = axum::serve::Listener::accept(&mut listener) => {
                let service = app.clone().map_request(move |mut request: Request<Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(peer));
                    request.map(Body::new)
                });
                connections.spawn(serve_connection(io, TowerToHyperService::new(service), header_timeout, closing_seen.clone()));
            }
            // Finished connections are collected as they go, so the set stays small.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = stop.wait_for(|stopped| *stopped) => break,
        }
    }
    drop(listener);
    let _ = closing.send(true);
    while connections.join_next().await.is_some() {}
}

/// One connection: HTTP/1.1 with the header time-out; on `closing`, the request in flight is
/// answered and the connection closed.
async fn serve_connection<S>(io: JsonErrorsIo<TcpStream>, service: S, header_timeout: Duration, mut closing: watch::Receiver<bool>)
where
    S: hyper::service::Service<Request<Incoming>, Response = axum::response::Response> + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(header_timeout);
    let connection = builder.serve_connection(TokioIo::new(io), service).with_upgrades();
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => return,
        _ = closing.wait_for(|closing| *closing) => {}
    }
    connection.as_mut().graceful_shutdown();
    let _ = connection.await;
}

/// A connection that replaces hyper's bodiless error answers with JSON ones.
pub struct JsonErrorsIo<T> {
    inner: T,
    /// The replacement being written, how much of it is written, and the length of the
    /// original bytes it stands for (what the writer is told was written).
    rewrite: Option<(Vec<u8>, usize, usize)>,
}

/// The JSON answer standing for `head`, when `head` is a complete bodiless error head from hyper.
pub fn rewrite_bare_error(head: &[u8]) -> Option<Vec<u8>> {
    if !(head.starts_with(b"HTTP/1.1 4") || head.starts_with(b"HTTP/1.0 4")) || !head.ends_with(b"\r\n\r\n") {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text[..text.len() - 4].split("\r\n");
    let status_line = lines.next()?;
    let status: u16 = status_line.get(9..12)?.parse().ok()?;
    let headers: Vec<&str> = lines.collect();
    let named = |name: &str| headers.iter().any(|h| h.split_once(':').is_some_and(|(n, _)| n.trim().eq_ignore_ascii_case(name)));
    let empty =
        headers.iter().any(|h| h.split_once(':').is_some_and(|(n, v)| n.trim().eq_ignore_ascii_case("content-length") && v.trim() == "0"));
    if !empty || named("content-type") {
        return None;
    }
    let (code, message) = match status {
        413 => (ErrorCode::PayloadTooLarge, "the request is too large"),
        414 => (ErrorCode::MalformedRequest, "the URL is too long"),
        431 => (ErrorCode::MalformedRequest, "the request headers are too many or too large"),
        _ => (ErrorCode::MalformedRequest, "the request is not valid HTTP"),
    };
    let body = serde_json::to_string(&ApiError::new(code, message)).ok()?;
    let mut answer = format!("{status_line}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n", body.len());
    for header in headers.iter().filter(|h| !h.to_ascii_lowercase().starts_with("content-length")) {
        answer.push_str(header);
        answer.push_str("\r\n");
    }
    answer.push_str("\r\n");
    answer.push_str(&body);
    Some(answer.into_bytes())
}

impl<T: AsyncWrite + Unpin> JsonErrorsIo<T> {
    /// Writes `buf`, or its JSON replacement; Ready(n) tells the caller all of `buf` is gone.
    fn write_or_rewrite(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Option<Poll<io::Result<usize>>> {
        if self.rewrite.is_none() {
            self.rewrite = rewrite_bare_error(buf).map(|bytes| (bytes, 0, buf.len()));
        }
        let (bytes, written, reported) = self.rewrite.as_mut()?;
        while *written < bytes.len() {
            match Pin::new(&mut self.inner).poll_write(cx, &bytes[*written..]) {
                Poll::Ready(Ok(0)) => {
                    return Some(Poll::Ready(Err(io::ErrorKind::WriteZero.into())));
                }
                Poll::Ready(Ok(n)) => *written += n,
                Poll::Ready(Err(error)) => return Some(Poll::Ready(Err(error))),
                Poll::Pending => return Some(Poll::Pending),
            }
        }
        let reported = *reported;
        self.rewrite = None;
        Some(Poll::Ready(Ok(reported)))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for JsonErrorsIo<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for JsonErrorsIo<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if let Some(poll) = self.write_or_rewrite(cx, buf) {
            return poll;
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        // hyper writes a head as one slice: a bare error head is a single, first slice.
        if let Some(first) = bufs.iter().find(|b| !b.is_empty())
            && (self.rewrite.is_some() || first.starts_with(b"HTTP/1.1 4") || first.starts_with(b"HTTP/1.0 4"))
            && let Some(poll) = self.write_or_rewrite(cx, first)
        {
            return poll;
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(Pin::new(&mut self.inner).poll_shutdown(cx))?;
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::rewrite_bare_error;

    #[test]
    fn rewrites_hyper_bare_errors_only() {
        let bare = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Sun, 22 Nov 2026 11:00:00 GMT\r\n\r\n";
        let answer = String::from_utf8(rewrite_bare_error(bare).unwrap()).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 431 "));
        assert!(head.contains("content-type: application/json"));
        assert!(head.contains(&format!("content-length: {}", body.len())));
        assert!(head.contains("date: "));
        let error: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(error["code"], "malformed_request");

        let json = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 0\r\n\r\n";
        assert!(rewrite_bare_error(json).is_none(), "answers with a type are the application's");
        assert!(rewrite_bare_error(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(rewrite_bare_error(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n{}").is_none());
    }
}
