//! Public reads (posts, products) as ready-to-send JSON: an in-process cache of the serialized
//! answers, and the HTTP caching headers (`ETag`, `Cache-Control`) that let browsers and CDNs
//! keep them too.
//!
//! Every write that changes what a public read shows (admin writes, catalog imports, stock
//! taken or given back) calls [`ReadCache::invalidate`], which empties the cache of this
//! process at once. Other processes on the same database (several instances, or the `import`
//! command) are not told: their entries also expire after `--read-cache-ms`, a bound on how
//! stale a read can be.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Response, StatusCode, header};
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

/// The request's `If-None-Match` values (an extractor that copies nothing else).
pub struct IfNoneMatch(pub Vec<HeaderValue>);

impl<S: Send + Sync> FromRequestParts<S> for IfNoneMatch {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(IfNoneMatch(parts.headers.get_all(header::IF_NONE_MATCH).iter().cloned().collect()))
    }
}

/// Entries kept at most; the cache is emptied when it is full (reads come back at once).
const MAX_ENTRIES: usize = 10_000;

/// A serialized answer with its validator.
#[derive(Debug, Clone)]
pub struct Cached {
    pub body: Bytes,
    /// `W/"<hash of the body>"`: weak, since gzip may change the bytes on the wire.
    pub etag: HeaderValue,
}

impl Cached {
    pub fn new(body: Vec<u8>) -> Cached {
        let digest = Sha256::digest(&body);
        let etag = HeaderValue::from_str(&format!("W/\"{}\"", hex::encode(&digest[..12]))).expect("hex is a valid header");
        Cached { body: Bytes::from(body), etag }
    }

    /// The JSON of a value that always serializes (plain data).
    pub fn json<T: serde::Serialize>(value: &T) -> AppResult<Cached> {
        serde_json::to_vec(value).map(Cached::new).map_err(AppError::internal)
    }
}

struct Entry {
    value: Arc<Cached>,
    generation: u64,
    stored: Instant,
}

#[derive(Clone)]
pub struct ReadCache {
    inner: Arc<Inner>,
}

struct Inner {
    entries: RwLock<HashMap<String, Entry>>,
    generation: AtomicU64,
    ttl: Duration,
    cache_control: HeaderValue,
}

impl ReadCache {
    /// `ttl` zero disables the cache; `max_age` and `stale` are the `Cache-Control` seconds.
    pub fn new(ttl: Duration, max_age: u64, stale: u64) -> ReadCache {
        let cache_control = if max_age == 0 && stale == 0 {
            HeaderValue::from_static("no-cache")
        } else {
            HeaderValue::from_str(&format!("public, max-age={max_age}, stale-while-revalidate={stale}")).expect("digits")
        };
        ReadCache { inner: Arc::new(Inner { entries: RwLock::default(), generation: AtomicU64::new(0), ttl, cache_control }) }
    }

    /// Forgets every entry: call it after any write that a public read shows.
    pub fn invalidate(&self) {
        self.inner.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut entries) = self.inner.entries.write() {
            entries.clear();
        }
    }

    /// The generation to pass to [`ReadCache::put`]: taken before reading the database, so that
    /// an answer read before a write is never kept after it.
    pub fn generation(&self) -> u64 {
        self.inner.generation.load(Ordering::SeqCst)
    }

    pub fn get(&self, key: &str) -> Option<Arc<Cached>> {
        let entries = self.inner.entries.read().ok()?;
        let entry = entries.get(key)?;
        (entry.generation == self.generation() && entry.stored.elapsed() < self.inner.ttl).then(|| entry.value.clone())
    }

    pub fn put(&self, key: String, generation: u64, value: Arc<Cached>) {
        if self.inner.ttl.is_zero() || generation != self.generation() {
            return;
        }
        if let Ok(mut entries) = self.inner.entries.write() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, Entry { value, generation, stored: Instant::now() });
        }
    }

    /// The cached answer for `key`, or the one `load` makes (then kept).
    pub async fn get_or_load<E, F>(&self, key: &str, load: F) -> Result<Arc<Cached>, E>
    where
        F: Future<Output = Result<Cached, E>>,
    {
        if let Some(hit) = self.get(key) {
            return Ok(hit);
        }
        let generation = self.generation();
        let value = Arc::new(load.await?);
        self.put(key.to_owned(), generation, value.clone());
        Ok(value)
    }

    /// `200` with the body, or `304` when the request's `If-None-Match` has its ETag; both
    /// with `ETag` and `Cache-Control`.
    pub fn respond(&self, request: &IfNoneMatch, cached: &Cached) -> Response<Body> {
        let fresh = request.0.iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == cached.etag.to_str().unwrap_or("").trim_start_matches("W/")
        });
        let builder =
            Response::builder().header(header::ETAG, cached.etag.clone()).header(header::CACHE_CONTROL, self.inner.cache_control.clone());
        let response = if fresh {
            builder.status(StatusCode::NOT_MODIFIED).body(Body::empty())
        } else {
            builder
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(Body::from(cached.body.clone()))
        };
        response.unwrap_or_default()
    }
}
