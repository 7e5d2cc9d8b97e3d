//! The Shoppable protocol, version 1: the JSON contract between the widget and a backend.
//!
//! `docs/PROTOCOL.md` is the normative description; these types are its executable form and
//! `docs/schema/` holds the JSON Schemas generated from them. Every type ignores unknown
//! fields so that additive changes on either side never break the other.

pub mod admin;
pub mod after_sale;
pub mod console;
pub mod error;
pub mod money;
pub mod order;
pub mod payment;
pub mod post;
pub mod product;
pub mod quote;
pub mod shop;
pub mod url;

pub use admin::{
    Dispute, DisputeList, DisputeStatus, ImportErrors, ImportReport, OpenRefund, OpenRefunds, OrderList, RefundState, RowError, RowProblem,
    WebhookEvent,
};
pub use after_sale::{
    ApproveReturn, Author, MAX_MESSAGE_CHARS, MAX_MESSAGES, MAX_REASON_CHARS, Message, MessageRequest, RefuseReturn, Return, ReturnEvent,
    ReturnLine, ReturnRequest, ReturnStatus, clean_text,
};
pub use console::{
    AdminProductList, EventBatch, InsightCounts, InsightEvent, InsightName, InsightsReport, MAX_EVENTS_PER_BATCH, MediumCounts, PostList,
    StockRequest,
};
pub use error::{ApiError, ErrorCode};
pub use money::{Currency, Money, MoneyError};
pub use order::{
    ActionStatus, AwaitsShop, Order, OrderAction, OrderLine, OrderRequest, OrderStatus, ShipProblem, ShipRequest, StatusEvent,
};
pub use payment::{Authentication, CardDetails, CardSummary, CardToken, FrameMessage, PaymentSummary, PaymentToken, WidgetMessage};
pub use post::{
    Captions, CheckedPost, Image, LinkOut, MAX_MEDIA, MAX_TAGS_PER_PHOTO, MAX_TAGS_PER_POST, MediaKind, MediaTag, Medium, MediumInput,
    PhotoPost, Post, PostBatch, PostInput, PostProblem, Tag, TagInput, Video,
};
pub use product::{Product, ProductImage, ProductList, ProductOption, ProductSummary, Variant};
pub use quote::{Address, LineRequest, Quote, QuoteRequest, QuotedLine, ShippingOption};
pub use shop::{Configuration, PaymentMethod};

/// The major version served under the `/v1/` path prefix.
pub const PROTOCOL_VERSION: u32 = 1;
/// Path prefix of every endpoint of this version.
pub const PATH_PREFIX: &str = "/v1";
/// Most posts one batch read may ask for.
pub const MAX_BATCH_POSTS: usize = 50;
/// Most lines one bag, quote or order may hold.
pub const MAX_LINES: usize = 50;
/// Most units of one line.
pub const MAX_QUANTITY: u32 = 99;
/// Header carrying the client's idempotency key on order creation.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";

/// True when `key` can be an `Idempotency-Key`: 1 to 255 visible ASCII characters (`!` to
/// `~`; a space is not one), which a UUID is.
pub fn is_valid_idempotency_key(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}
/// Header carrying an order's secret when reading, cancelling, returning or writing about it.
pub const ORDER_SECRET_HEADER: &str = "Order-Secret";
