//! Photos, videos and captions uploaded by the console's tag editor (`#/posts/new`), so that
//! a file opened from the computer can become a post: `POST /v1/admin/media` (admin) stores
//! the bytes and answers their address, `GET /v1/media/{name}` serves them back. Reference
//! backend only, like the rest of the admin API.
//!
//! Deliberately small: PNG, JPEG, WebP or GIF photos, MP4 or WebM videos and WebVTT captions
//! only, and the declared type must match the file's first bytes, so no HTML or script is ever
//! served from the API's origin; at most [`PHOTO_BODY_LIMIT`] for a photo or captions and
//! [`VIDEO_BODY_LIMIT`] for a video; the file name is the SHA-256 of the content, so names
//! never come from the client and the same file uploaded twice is stored once.
//!
//! Files live in the media store (`crate::media_store`, the `object_store` crate): by default
//! the folder `SHOPPABLE_MEDIA_DIR`, or `<name>-media/` next to the SQLite file
//! (`.local/demo.sqlite` -> `.local/demo-media/`), or `shoppable-media/` in the working
//! directory on PostgreSQL, created on the first upload; S3-compatible storage with
//! `--media-store s3://bucket/prefix`.

use axum::body::Body;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
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
pub const PHOTO_BODY_LIMIT: usize = 5 * 1024 * 1024;
/// A minute of 1080p video for the web fits (a try-on, a reel); longer belongs on a video host.
pub const VIDEO_BODY_LIMIT: usize = 50 * 1024 * 1024;

/// An accepted type: its MIME type, the extension of its stored files, its size limit
/// (`sniff` checks the bytes).
struct Kind {
    mime: &'static str,
    extension: &'static str,
    limit: usize,
}

const KINDS: [Kind; 7] = [
    Kind { mime: "image/png", extension: "png", limit: PHOTO_BODY_LIMIT },
    Kind { mime: "image/jpeg", extension: "jpg", limit: PHOTO_BODY_LIMIT },
    Kind { mime: "image/webp", extension: "webp", limit: PHOTO_BODY_LIMIT },
    Kind { mime: "image/gif", extension: "gif", limit: PHOTO_BODY_LIMIT },
    Kind { mime: "video/mp4", extension: "mp4", limit: VIDEO_BODY_LIMIT },
    Kind { mime: "video/webm", extension: "webm", limit: VIDEO_BODY_LIMIT },
    Kind { mime: "text/vtt", extension: "vtt", limit: PHOTO_BODY_LIMIT },
];

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
    let Some(kind) = KINDS.iter().find(|kind| kind.mime == declared) else {
        return Err(AppError::invalid(
            "Content-Type",
            "upload a PNG, JPEG, WebP or GIF photo, an MP4 or WebM video, or WebVTT captions, with its Content-Type",
        ));
    };
    let bytes = read_body(request, kind.limit).await?;
    if sniff(&bytes) != Some(kind.mime) {
        return Err(AppError::invalid("body", format!("the body is not a {} file", kind.mime)));
    }
    let (content_type, extension) = (kind.mime, kind.extension);
    let name = format!("{}.{extension}", hex::encode(Sha256::digest(&bytes)));
    let size = bytes.len();
    state.media.put(&name, bytes).await?;
    Ok((StatusCode::CREATED, Json(Uploaded { url: format!("/v1/media/{name}"), content_type, size })))
}

/// `GET /v1/media/{name}`
/// With one satisfiable `Range: bytes=...`, answers `206` with that part: a browser seeks in a
/// video that way. Any other range is ignored and the whole file served (RFC 9110 allows it).
async fn show(State(state): State<AppState>, UrlPath(name): UrlPath<String>, request_headers: HeaderMap) -> AppResult<Response> {
    // Only names this module made: 64 hex digits and a known extension (no path tricks).
    let (hash, extension) = name.split_once('.').unwrap_or(("", ""));
    let kind = KINDS.iter().find(|kind| kind.extension == extension);
    let (Some(&Kind { mime: content_type, .. }), true) =
        (kind, hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
    else {
        return Err(AppError::new(ErrorCode::NotFound, "no such media"));
    };
    let Some(bytes) = state.media.get(&name).await? else {
        return Err(AppError::new(ErrorCode::NotFound, "no such media"));
    };
    let range = request_headers.get(header::RANGE).and_then(|v| v.to_str().ok()).and_then(|v| byte_range(v, bytes.len()));
    let mut response = match range {
        Some((first, last)) => {
            let mut partial = Response::new(Body::from(bytes.slice(first..=last)));
            *partial.status_mut() = StatusCode::PARTIAL_CONTENT;
            let content_range = format!("bytes {first}-{last}/{}", bytes.len());
            partial.headers_mut().insert(header::CONTENT_RANGE, HeaderValue::from_str(&content_range).map_err(AppError::internal)?);
            partial
        }
        None => Response::new(Body::from(bytes)),
    };
    let headers = response.headers_mut();
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // A photo opened on its own runs nothing and loads nothing, whatever its bytes hide.
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"));
    // The name is the content's hash: it never changes.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    Ok(response)
}

/// The first and last byte (inclusive) of one satisfiable range of a file of `len` bytes:
/// `bytes=0-99`, `bytes=100-` (to the end), `bytes=-100` (the last 100); None otherwise.
fn byte_range(header: &str, len: usize) -> Option<(usize, usize)> {
    let (first, last) = header.trim().strip_prefix("bytes=")?.split_once('-')?;
    let (first, last) = match (first.trim(), last.trim()) {
        ("", suffix) => {
            let suffix: usize = suffix.parse().ok()?;
            (len.checked_sub(suffix.min(len))?, len.checked_sub(1)?)
        }
        (first, "") => (first.parse().ok()?, len.checked_sub(1)?),
        (first, last) => (first.parse().ok()?, last.parse::<usize>().ok()?.min(len.checked_sub(1)?)),
    };
    (first <= last && last < len).then_some((first, last))
}

/// `ftyp` brands of ISO media files that are photos, not videos.
const IMAGE_BRANDS: [&[u8]; 6] = [b"heic", b"heix", b"mif1", b"msf1", b"avif", b"avis"];

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
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && !IMAGE_BRANDS.contains(&&bytes[8..12]) {
        // An ISO media file opens with its `ftyp` box; HEIF and AVIF photos share the format.
        Some("video/mp4")
    } else if bytes.starts_with(b"\x1a\x45\xdf\xa3") && bytes[..bytes.len().min(64)].windows(4).any(|w| w == b"webm") {
        // EBML, with the DocType `webm` in its header (not any Matroska file).
        Some("video/webm")
    } else if bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes).starts_with(b"WEBVTT") && std::str::from_utf8(bytes).is_ok() {
        // Served as text/vtt with nosniff: a browser never reads it as a page.
        Some("text/vtt")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{byte_range, sniff};

    #[test]
    fn reads_one_byte_range_and_ignores_the_others() {
        assert_eq!(byte_range("bytes=0-99", 1000), Some((0, 99)));
        assert_eq!(byte_range("bytes=900-", 1000), Some((900, 999)));
        assert_eq!(byte_range("bytes=-100", 1000), Some((900, 999)));
        assert_eq!(byte_range("bytes=-5000", 1000), Some((0, 999)));
        assert_eq!(byte_range("bytes=990-2000", 1000), Some((990, 999)));
        for header in ["bytes=1000-", "bytes=5-2", "bytes=0-1,5-6", "items=0-1", "bytes=a-b", "bytes=-0", "bytes=-"] {
            assert_eq!(byte_range(header, 1000), None, "{header}");
        }
        assert_eq!(byte_range("bytes=0-", 0), None);
    }

    #[test]
    fn recognises_images_by_their_first_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0..JFIF"), Some("image/jpeg"));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"GIF89a..."), Some("image/gif"));
        assert_eq!(sniff(b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41"), Some("video/mp4"));
        assert_eq!(sniff(b"\0\0\0\x1cftypavif\0\0\0\0avifmif1"), None);
        assert_eq!(sniff(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm\x42\x87"), Some("video/webm"));
        assert_eq!(sniff(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska"), None);
        assert_eq!(sniff(b"WEBVTT\n\n00:00.000 --> 00:01.000\nBonjour"), Some("text/vtt"));
        assert_eq!(sniff("\u{feff}WEBVTT\n".as_bytes()), Some("text/vtt"));
        assert_eq!(sniff(b"WEBVTT\xff\xfe"), None);
        assert_eq!(sniff(b"<!doctype html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b""), None);
    }
}
