//! Photos uploaded by the tag editor (`www/editor.html`), so that a photo opened from the
//! computer can become a post: `POST /v1/admin/media` (admin) stores the bytes and answers
//! their address, `GET /v1/media/{name}` serves them back. Reference backend only, like the
//! rest of the admin API.
//!
//! Deliberately small: PNG, JPEG, WebP or GIF only, and the declared type must match the
//! file's first bytes, so no HTML or script is ever served from the API's origin; at most
//! [`MEDIA_BODY_LIMIT`]; the file name is the SHA-256 of the content, so names never come
//! from the client and the same photo uploaded twice is stored once.
//!
//! Files live in the media store (`crate::media_store`, the `object_store` crate): by default
//! the folder `SHOPPABLE_MEDIA_DIR`, or `<name>-media/` next to the SQLite file
//! (`.local/demo.sqlite` -> `.local/demo-media/`), or `shoppable-media/` in the working
//! directory on PostgreSQL, created on the first upload; S3-compatible storage with
//! `--media-store s3://bucket/prefix`.

use axum::body::Body;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use sha2::{Digest, Sha256};
use shoppable_protocol::ErrorCode;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::{Admin, read_body};

/// A photo for the web, even a large one, fits; more is not a photo for a blog post.
pub const MEDIA_BODY_LIMIT: usize = 5 * 1024 * 1024;

/// The accepted types, by MIME type, with the extension of their stored files (`sniff` checks the bytes).
const KINDS: [(&str, &str); 4] = [("image/png", "png"), ("image/jpeg", "jpg"), ("image/webp", "webp"), ("image/gif", "gif")];

/// The routes, merged into `/v1`.
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/media", post(upload)).route("/media/{name}", get(show))
}

#[derive(Serialize)]
pub struct Uploaded {
    /// A path under the base URL (`/v1/media/...`), like the configuration's `tokenize_url`.
    url: String,
    content_type: &'static str,
    size: usize,
}

/// `POST /v1/admin/media`, body: the image bytes with their `Content-Type`.
async fn upload(_: Admin, State(state): State<AppState>, request: Request) -> AppResult<(StatusCode, Json<Uploaded>)> {
    let declared = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let Some(&(content_type, extension)) = KINDS.iter().find(|(mime, _)| *mime == declared) else {
        return Err(AppError::invalid("Content-Type", "upload a PNG, JPEG, WebP or GIF image with its Content-Type"));
    };
    let bytes = read_body(request, MEDIA_BODY_LIMIT).await?;
    if sniff(&bytes) != Some(content_type) {
        return Err(AppError::invalid("body", format!("the body is not a {content_type} image")));
    }
    let name = format!("{}.{extension}", hex::encode(Sha256::digest(&bytes)));
    let size = bytes.len();
    state.media.put(&name, bytes).await?;
    Ok((StatusCode::CREATED, Json(Uploaded { url: format!("/v1/media/{name}"), content_type, size })))
}

/// `GET /v1/media/{name}`
async fn show(State(state): State<AppState>, UrlPath(name): UrlPath<String>) -> AppResult<Response> {
    // Only names this module made: 64 hex digits and a known extension (no path tricks).
    let (hash, extension) = name.split_once('.').unwrap_or(("", ""));
    let kind = KINDS.iter().find(|(_, ext)| *ext == extension);
    let (Some(&(content_type, _)), true) =
        (kind, hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
    else {
        return Err(AppError::new(ErrorCode::NotFound, "no such media"));
    };
    let Some(bytes) = state.media.get(&name).await? else {
        return Err(AppError::new(ErrorCode::NotFound, "no such media"));
    };
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // A photo opened on its own runs nothing and loads nothing, whatever its bytes hide.
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"));
    // The name is the content's hash: it never changes.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    Ok(response)
}

/// The type the bytes really are, from their signature.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn recognises_images_by_their_first_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0..JFIF"), Some("image/jpeg"));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"GIF89a..."), Some("image/gif"));
        assert_eq!(sniff(b"<!doctype html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b""), None);
    }
}
