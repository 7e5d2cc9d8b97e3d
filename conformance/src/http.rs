//! A thin HTTP client for the checks: every answer is read whole, its JSON parsed when it is
//! JSON, and transport failures become check failures.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder};
use serde_json::Value;

use crate::Problem;

#[derive(Clone)]
pub struct Http {
    /// The base URL without a trailing `/`; paths start with `/v1/`.
    pub base: String,
    pub client: reqwest::Client,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    /// The body as JSON, or `Null` when empty or not JSON (see `is_json`).
    pub body: Value,
    pub raw: Vec<u8>,
    pub is_json: bool,
}

impl Http {
    pub fn new(base: &str) -> Http {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        Http { base: base.trim_end_matches('/').to_owned(), client }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// Sends the request; a `429` (a backend limiting the rate of requests) is retried after
    /// its `Retry-After` (at most 5 s, 5 times), so rate limits do not fail checks.
    pub async fn send(&self, mut request: RequestBuilder) -> Result<Response, Problem> {
        for _ in 0..5 {
            let Some(retry) = request.try_clone() else {
                break;
            };
            let response = self.send_once(request).await?;
            if response.status != 429 {
                return Ok(response);
            }
            let wait = response.header("retry-after").and_then(|s| s.trim().parse::<u64>().ok()).unwrap_or(1);
            tokio::time::sleep(Duration::from_secs(wait.clamp(1, 5))).await;
            request = retry;
        }
        self.send_once(request).await
    }

    async fn send_once(&self, request: RequestBuilder) -> Result<Response, Problem> {
        let response = request.send().await.map_err(|e| Problem::Fail(format!("no answer: {e}")))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let raw = response.bytes().await.map_err(|e| Problem::Fail(format!("status {status}, body unreadable: {e}")))?.to_vec();
        let parsed: Option<Value> = serde_json::from_slice(&raw).ok();
        Ok(Response { status, headers, is_json: parsed.is_some(), body: parsed.unwrap_or(Value::Null), raw })
    }

    pub async fn get(&self, path: &str) -> Result<Response, Problem> {
        self.send(self.request(Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Result<Response, Problem> {
        self.send(self.request(Method::POST, path).json(body)).await
    }
}

impl Response {
    /// The `code` of an error body, or "".
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    /// The `field` of an error body, or "" when absent.
    pub fn field(&self) -> &str {
        self.body["field"].as_str().unwrap_or("")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn describe(&self) -> String {
        let text = String::from_utf8_lossy(&self.raw);
        let text: String = text.chars().take(400).collect();
        format!("{} {text}", self.status)
    }

    /// The body, when the status is `status`.
    pub fn expect(&self, status: u16) -> Result<&Value, Problem> {
        if self.status != status {
            return Err(Problem::Fail(format!("expected status {status}, got {}", self.describe())));
        }
        Ok(&self.body)
    }

    /// A protocol error with this status and code, in the one error shape, as JSON.
    pub fn expect_error(&self, status: u16, code: &str) -> Result<&Response, Problem> {
        if (self.status, self.code()) != (status, code) {
            return Err(Problem::Fail(format!("expected {status} {code}, got {}", self.describe())));
        }
        if !self.body["message"].is_string() {
            return Err(Problem::Fail(format!("an error has a string `message`: {}", self.describe())));
        }
        let content_type = self.header("content-type").unwrap_or("");
        if !content_type.starts_with("application/json") {
            return Err(Problem::Fail(format!("an error is `application/json`, not `{content_type}`")));
        }
        if !(self.body["field"].is_null() || self.body["field"].is_string()) {
            return Err(Problem::Fail(format!("`field` is a string when present: {}", self.describe())));
        }
        Ok(self)
    }

    /// A protocol error with this status, code and `field`.
    pub fn expect_error_at(&self, status: u16, code: &str, field: &str) -> Result<&Response, Problem> {
        self.expect_error(status, code)?;
        if self.field() != field {
            return Err(Problem::Fail(format!("expected {status} {code} with field `{field}`, got {}", self.describe())));
        }
        Ok(self)
    }
}
