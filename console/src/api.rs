//! The admin API client: same-origin requests with the admin token, protocol errors kept.

use gloo_net::http::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shoppable_protocol::{ApiError, RowError};

#[derive(Debug, Clone)]
pub struct Api {
    base: String,
    token: String,
}

/// A refused or failed request: the HTTP status (0 without an answer), the backend's message
/// and, for a refused catalog feed, its bad rows.
#[derive(Debug, Clone, Default)]
pub struct Failure {
    pub status: u16,
    pub message: String,
    pub field: Option<String>,
    pub rows: Vec<RowError>,
}

#[derive(serde::Deserialize)]
struct ErrorBody {
    #[serde(flatten)]
    error: ApiError,
    #[serde(default)]
    rows: Vec<RowError>,
}

impl Api {
    /// The backend of the page's `<body data-api>` (default: this origin).
    pub fn new(token: &str) -> Api {
        let document = web_sys::window().and_then(|w| w.document());
        let given = document.and_then(|d| d.body()).and_then(|b| b.get_attribute("data-api")).unwrap_or_else(|| "/".into());
        let page = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
        let base = web_sys::Url::new_with_base(&given, &page).map(|u| u.href()).unwrap_or(given);
        Api { base: base.trim_end_matches('/').to_owned(), token: token.trim().to_owned() }
    }

    /// A URL from the backend made absolute: `/v1/...` appended to the base, other references
    /// resolved against it (as PROTOCOL.md says).
    pub fn absolute(&self, url: &str) -> String {
        if url.starts_with("/v1/") {
            return format!("{}{url}", self.base);
        }
        web_sys::Url::new_with_base(url, &format!("{}/", self.base)).map(|u| u.href()).unwrap_or_default()
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Failure> {
        self.send(Method::GET, path, None).await
    }

    pub async fn post<T: DeserializeOwned>(&self, path: &str, body: &impl Serialize) -> Result<T, Failure> {
        let json = serde_json::to_string(body).unwrap_or_default();
        self.send(Method::POST, path, Some(("application/json", json.into()))).await
    }

    pub async fn put<T: DeserializeOwned>(&self, path: &str, body: &impl Serialize) -> Result<T, Failure> {
        let json = serde_json::to_string(body).unwrap_or_default();
        self.send(Method::PUT, path, Some(("application/json", json.into()))).await
    }

    /// A body of another type (a catalog feed as `text/csv`).
    pub async fn post_raw<T: DeserializeOwned>(&self, path: &str, content_type: &str, body: wasm_bindgen::JsValue) -> Result<T, Failure> {
        self.send(Method::POST, path, Some((content_type, body))).await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<(&str, wasm_bindgen::JsValue)>,
    ) -> Result<T, Failure> {
        let builder =
            RequestBuilder::new(&format!("{}{path}", self.base)).method(method).header("Authorization", &format!("Bearer {}", self.token));
        let request = match body {
            Some((content_type, body)) => builder.header("Content-Type", content_type).body(body),
            None => builder.build(),
        };
        let unreachable = |e: gloo_net::Error| Failure { message: format!("the shop could not be reached ({e})"), ..Failure::default() };
        let response = request.map_err(unreachable)?.send().await.map_err(unreachable)?;
        let status = response.status();
        let text = response.text().await.map_err(unreachable)?;
        if !(200..300).contains(&status) {
            return Err(match serde_json::from_str::<ErrorBody>(&text) {
                Ok(body) => Failure { status, message: body.error.message, field: body.error.field, rows: body.rows },
                Err(_) => Failure { status, message: format!("HTTP {status}"), ..Failure::default() },
            });
        }
        serde_json::from_str(&text).map_err(|e| Failure { status, message: format!("unexpected answer ({e})"), ..Failure::default() })
    }
}

/// A query string value.
pub fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}
