//! The protocol client: typed requests to a backend's `/v1` endpoints, each with a time-out.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use shoppable_protocol::url::is_safe_link;
use shoppable_protocol::{
    ApiError, Authentication, CardDetails, CardToken, Configuration, IDEMPOTENCY_KEY_HEADER, Image, MAX_BATCH_POSTS, MessageRequest, Money,
    ORDER_SECRET_HEADER, Order, OrderRequest, PATH_PREFIX, PhotoPost, Product, ProductSummary, Quote, QuoteRequest, QuotedLine,
    ReturnRequest, Tag,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::json::Fields;

/// How long a request may take before the widget gives up and says so, unless the script
/// tag's `data-timeout` says otherwise.
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;

#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// No answer: offline, DNS, CORS refusal, or the server is down.
    Network(String),
    /// No answer within the time-out.
    Timeout,
    /// The backend answered with an error status; `error` is its JSON error when it sent one.
    Status { status: u16, error: Option<ApiError> },
    /// The backend answered 2xx with a body that is not the protocol's JSON.
    Malformed(String),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Network(reason) => write!(f, "the backend could not be reached ({reason})"),
            ClientError::Timeout => write!(f, "the backend did not answer in time"),
            ClientError::Status { status, error: Some(error) } => write!(f, "HTTP {status}: {error}"),
            ClientError::Status { status, error: None } => write!(f, "HTTP {status}"),
            ClientError::Malformed(reason) => write!(f, "the backend sent an invalid answer ({reason})"),
        }
    }
}

impl ClientError {
    /// The backend's error code, when it answered with a protocol error.
    pub fn code(&self) -> Option<shoppable_protocol::ErrorCode> {
        match self {
            ClientError::Status { error: Some(error), .. } => Some(error.code),
            _ => None,
        }
    }

    /// The backend's `field`, when its error names one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ClientError::Status { error: Some(error), .. } => error.field.as_deref(),
            _ => None,
        }
    }

    /// True when the same request may succeed later (no answer, or a server failure).
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Network(_) | ClientError::Timeout | ClientError::Malformed(_) => true,
            ClientError::Status { status, error } => {
                *status >= 500 || error.as_ref().is_some_and(|e| e.code == shoppable_protocol::ErrorCode::IdempotencyKeyInUse)
            }
        }
    }
}

/// Posts read, by id.
pub type Posts = HashMap<String, Rc<PhotoPost>>;

#[derive(Debug, Clone, PartialEq)]
pub struct ApiClient {
    base: String,
    timeout_ms: u32,
}

thread_local! {
    /// Posts already read, by API base and post id: a page scrolled back and forth, or a
    /// widget refreshed by hand, does not ask twice.
    static POSTS: RefCell<HashMap<(String, String), Rc<PhotoPost>>> = RefCell::new(HashMap::new());
    /// The `media` of the posts read that have it (protocol 1.2), as the backend sent them, by
    /// API base and post id: the media chunk reads them (`media.rs`), the tags' download does
    /// not. A JavaScript `Map`: no hash map code of its own in that download.
    static MEDIA: js_sys::Map = js_sys::Map::new();
}

impl ApiClient {
    /// The client of the backend at `base`, which may be relative to the page (`/`, `/api`):
    /// it is made absolute once, so every URL built from it stays right on any page.
    pub fn new(base: &str, timeout_ms: u32) -> ApiClient {
        let page = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
        let base = web_sys::Url::new_with_base(base, &page).map(|url| url.href()).unwrap_or_else(|_| base.to_owned());
        ApiClient { base: base.trim_end_matches('/').to_owned(), timeout_ms }
    }

    /// A URL from the backend made absolute as PROTOCOL.md says: `/v1/...` is appended to the
    /// base URL like an endpoint, other references are resolved against the base URL (never
    /// against the page, which may be a blog on another origin). Links that are not http(s)
    /// become empty, so they are never shown or followed.
    pub fn absolute(&self, url: &mut String) {
        let resolved = if !is_safe_link(url) {
            None
        } else if url.starts_with(PATH_PREFIX) && url[PATH_PREFIX.len()..].starts_with('/') {
            Some(format!("{}{url}", self.base))
        } else {
            web_sys::Url::new_with_base(url, &format!("{}/", self.base)).ok().map(|u| u.href())
        };
        *url = resolved.unwrap_or_default();
    }

    fn absolute_post(&self, post: &mut PhotoPost) {
        self.absolute(&mut post.image.url);
        for tag in &mut post.tags {
            tag.product.image_url.as_mut().into_iter().for_each(|url| self.absolute(url));
        }
    }

    fn absolute_product(&self, product: &mut Product) {
        let urls = product.url.iter_mut().chain(product.images.iter_mut().map(|image| &mut image.url));
        urls.chain(product.variants.iter_mut().filter_map(|v| v.image_url.as_mut())).for_each(|url| self.absolute(url));
    }

    /// Line photos of a quote or an order: on a blog of another origin they must still come
    /// from the shop.
    fn absolute_lines(&self, lines: &mut [QuotedLine]) {
        lines.iter_mut().filter_map(|line| line.image_url.as_mut()).for_each(|url| self.absolute(url));
    }

    /// An order as the backend answered it, its photos made absolute.
    fn absolute_order(&self, mut order: Order) -> Order {
        self.absolute_lines(&mut order.lines);
        order
    }

    /// The posts with these ids, from the cache or in as few batch requests as the protocol
    /// allows. Ids the backend does not know are absent from the answer. The requests leave
    /// now, all at once, not when the answer is first awaited: the caller sets up meanwhile.
    pub fn posts(&self, ids: &[String]) -> impl Future<Output = Result<Posts, ClientError>> + use<> {
        let mut found = HashMap::new();
        let mut wanted = Vec::new();
        POSTS.with(|cache| {
            let cache = cache.borrow();
            for id in ids {
                match cache.get(&(self.base.clone(), id.clone())) {
                    Some(post) => drop(found.insert(id.clone(), post.clone())),
                    None if !wanted.contains(id) => wanted.push(id.clone()),
                    None => {}
                }
            }
        });
        let batches: Vec<_> = wanted
            .chunks(MAX_BATCH_POSTS)
            .map(|chunk| {
                let ids: Vec<String> = chunk.iter().map(|id| encode(id)).collect();
                self.request("GET", &self.url(&format!("/posts?ids={}", ids.join(","))), None, &[])
            })
            .collect();
        let client = self.clone();
        async move {
            for batch in batches {
                let (status, body) = batch?.answer().await?;
                if !(200..300).contains(&status) {
                    return Err(ClientError::Status { status, error: None });
                }
                let batch = read_post_batch(&body).ok_or_else(|| ClientError::Malformed("not a batch of posts".into()))?;
                POSTS.with(|cache| {
                    let mut cache = cache.borrow_mut();
                    for (mut post, media) in batch {
                        if let Some(media) = media {
                            MEDIA.with(|all| all.set(&client.media_key(&post.id), &media));
                        }
                        client.absolute_post(&mut post);
                        let post = Rc::new(post);
                        cache.insert((client.base.clone(), post.id.clone()), post.clone());
                        found.insert(post.id.clone(), post);
                    }
                });
            }
            Ok(found)
        }
    }

    /// The `media` of a post read by [`ApiClient::posts`], unread, when it has some: a post of
    /// several media, a video, or link-out tags.
    pub fn media(&self, id: &str) -> Option<JsValue> {
        Some(MEDIA.with(|all| all.get(&self.media_key(id)))).filter(|media| !media.is_undefined())
    }

    fn media_key(&self, id: &str) -> JsValue {
        format!("{} {id}", self.base).into()
    }

    pub async fn product(&self, id: &str) -> Result<Product, ClientError> {
        let mut product: Product = self.get_json(&format!("/products/{}", encode(id))).await?;
        self.absolute_product(&mut product);
        Ok(product)
    }

    pub async fn config(&self) -> Result<Configuration, ClientError> {
        self.get_json("/config").await
    }

    pub async fn quote(&self, request: &QuoteRequest) -> Result<Quote, ClientError> {
        let mut quote: Quote = self.send("POST", &self.url("/quote"), Some(request), &[]).await?;
        self.absolute_lines(&mut quote.lines);
        Ok(quote)
    }

    /// Sends card details to the payment provider's `tokenize_url` (from the configuration):
    /// the only request that ever carries a card number, and never to the shop's endpoints.
    pub async fn tokenize(&self, tokenize_url: &str, card: &CardDetails) -> Result<CardToken, ClientError> {
        let mut url = tokenize_url.to_owned();
        self.absolute(&mut url);
        self.send("POST", &url, Some(card), &[]).await
    }

    /// Places an order; the same `idempotency_key` for retries of the same attempt, and to
    /// complete it after the card's bank challenge.
    pub async fn create_order(&self, request: &OrderRequest, idempotency_key: &str) -> Result<Placement, ClientError> {
        let body = crate::json::to_string(request).map_err(ClientError::Malformed)?;
        let (status, text) =
            self.fetch("POST", &self.url("/orders"), Some(body.as_str()), &[(IDEMPOTENCY_KEY_HEADER, idempotency_key)]).await?;
        if status == 202 {
            // `OrderAction`, read by hand: the frame needs only the `authentication`.
            let authentication = Fields::parse(&text)
                .and_then(|action| action.object("authentication"))
                .and_then(|auth| Some(Authentication { provider: auth.string("provider")?, client_secret: auth.string("client_secret")? }));
            return authentication.map(Placement::Authenticate).ok_or(ClientError::Malformed(text));
        }
        parse_json(status, &text).map(|order| Placement::Placed(self.absolute_order(order)))
    }

    pub async fn order(&self, id: &str, secret: &str) -> Result<Order, ClientError> {
        let url = self.url(&format!("/orders/{}", encode(id)));
        self.send("GET", &url, None::<&()>, &[(ORDER_SECRET_HEADER, secret)]).await.map(|order| self.absolute_order(order))
    }

    pub async fn cancel_order(&self, id: &str, secret: &str) -> Result<Order, ClientError> {
        let url = self.url(&format!("/orders/{}/cancel", encode(id)));
        self.send("POST", &url, None::<&()>, &[(ORDER_SECRET_HEADER, secret)]).await.map(|order| self.absolute_order(order))
    }

    /// Asks to return lines of a delivered order.
    pub async fn request_return(&self, id: &str, secret: &str, request: &ReturnRequest) -> Result<Order, ClientError> {
        let url = self.url(&format!("/orders/{}/returns", encode(id)));
        self.send("POST", &url, Some(request), &[(ORDER_SECRET_HEADER, secret)]).await.map(|order| self.absolute_order(order))
    }

    /// Writes to the shop about an order.
    pub async fn write_message(&self, id: &str, secret: &str, request: &MessageRequest) -> Result<Order, ClientError> {
        let url = self.url(&format!("/orders/{}/messages", encode(id)));
        self.send("POST", &url, Some(request), &[(ORDER_SECRET_HEADER, secret)]).await.map(|order| self.absolute_order(order))
    }

    fn url(&self, path: &str) -> String {
        format!("{}{PATH_PREFIX}{path}", self.base)
    }

    async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        self.send("GET", &self.url(path), None::<&()>, &[]).await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: &str,
        url: &str,
        body: Option<&impl Serialize>,
        headers: &[(&str, &str)],
    ) -> Result<T, ClientError> {
        let body = body.map(crate::json::to_string).transpose().map_err(ClientError::Malformed)?;
        let (status, text) = self.fetch(method, url, body.as_deref(), headers).await?;
        parse_json(status, &text)
    }

    /// The status and body of a request.
    async fn fetch(&self, method: &str, url: &str, body: Option<&str>, headers: &[(&str, &str)]) -> Result<(u16, String), ClientError> {
        self.request(method, url, body, headers)?.answer().await
    }

    /// Sends a request (a JSON `body`, if any), which is aborted after the time-out.
    fn request(&self, method: &str, url: &str, body: Option<&str>, headers: &[(&str, &str)]) -> Result<Sent, ClientError> {
        let window = web_sys::window().ok_or_else(|| ClientError::Network("no window".into()))?;
        let signal = web_sys::AbortSignal::timeout_with_u32(self.timeout_ms);
        let init = web_sys::RequestInit::new();
        init.set_method(method);
        init.set_signal(Some(&signal));
        let fields = web_sys::Headers::new().map_err(network_error)?;
        for (name, value) in headers {
            fields.set(name, value).map_err(network_error)?;
        }
        if let Some(body) = body {
            fields.set("Content-Type", "application/json").map_err(network_error)?;
            init.set_body(&body.into());
        }
        init.set_headers(&fields);
        Ok(Sent { response: JsFuture::from(window.fetch_with_str_and_init(url, &init)), signal })
    }
}

/// A request on its way: it left when it was made.
struct Sent {
    response: JsFuture,
    /// Aborts the request, the reading of its body included, at the time-out.
    signal: web_sys::AbortSignal,
}

impl Sent {
    /// The answer's status and body.
    async fn answer(self) -> Result<(u16, String), ClientError> {
        let read = async {
            let response: web_sys::Response = self.response.await?.unchecked_into();
            let body = JsFuture::from(response.text()?).await?;
            Ok::<_, JsValue>((response.status(), body.as_string().unwrap_or_default()))
        };
        read.await.map_err(|error| if self.signal.aborted() { ClientError::Timeout } else { network_error(error) })
    }
}

/// A request that got no answer, with the browser's reason (`TypeError: Failed to fetch`).
fn network_error(error: JsValue) -> ClientError {
    ClientError::Network(match error.dyn_ref::<js_sys::Error>() {
        Some(error) => error.to_string().into(),
        None => format!("{error:?}"),
    })
}

/// The posts of a `GET /v1/posts` answer (`PostBatch`), read field by field as the protocol's
/// types define them (see `json::Fields` for why not serde). A post that does not read is
/// left out, like one the backend does not know.
fn read_post_batch(body: &str) -> Option<Vec<(PhotoPost, Option<JsValue>)>> {
    let batch = Fields::parse(body)?;
    Some(
        batch
            .list("posts")
            .into_iter()
            .filter_map(|post| {
                let post = Fields::of(post)?;
                let media = post.list("media");
                let media = (!media.is_empty()).then(|| media.into_iter().collect::<js_sys::Array>().into());
                Some((read_post(post)?, media))
            })
            .collect(),
    )
}

fn read_post(post: Fields) -> Option<PhotoPost> {
    let tags = post.list("tags").into_iter().filter_map(|tag| read_tag(Fields::of(tag)?)).collect();
    Some(PhotoPost { id: post.string("id")?, image: read_image(&post.object("image")?)?, tags })
}

/// A post's (or a medium's) `image`; the media chunk reads media with it too.
pub fn read_image(image: &Fields) -> Option<Image> {
    Some(Image {
        url: image.string("url")?,
        width: image.integer("width").and_then(|w| u32::try_from(w).ok())?,
        height: image.integer("height").and_then(|h| u32::try_from(h).ok())?,
        alt: image.string("alt").unwrap_or_default(),
    })
}

fn read_tag(tag: Fields) -> Option<Tag> {
    Some(Tag { id: tag.string("id")?, x: tag.number("x")?, y: tag.number("y")?, product: read_product(&tag.object("product")?)? })
}

/// A tag's `product`.
pub fn read_product(product: &Fields) -> Option<ProductSummary> {
    Some(ProductSummary {
        id: product.string("id")?,
        title: product.string("title")?,
        price: read_money(&product.object("price")?)?,
        compare_at_price: product.object("compare_at_price").and_then(|money| read_money(&money)),
        image_url: product.string("image_url"),
        available: product.boolean("available")?,
    })
}

pub fn read_money(money: &Fields) -> Option<Money> {
    Some(Money { amount: money.integer("amount")?, currency: money.string("currency")?.parse().ok()? })
}

fn encode(segment: &str) -> String {
    js_sys::encode_uri_component(segment).into()
}

/// The answer to an order request, moved once to its handler: boxing the order would only
/// add code.
#[allow(clippy::large_enum_variant)]
pub enum Placement {
    Placed(Order),
    /// `202 requires_action` (`OrderAction`): the payment frame runs the card's bank challenge
    /// first.
    Authenticate(Authentication),
}

fn parse_json<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ClientError> {
    if !(200..300).contains(&status) {
        return Err(ClientError::Status { status, error: crate::json::parse(body).ok() });
    }
    crate::json::parse(body).map_err(ClientError::Malformed)
}
