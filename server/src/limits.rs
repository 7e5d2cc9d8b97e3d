//! Abuse limits: how much one client (an IP address) may ask of the server, and, where all
//! clients share a resource, how much they may together. Each budget refills at a steady rate
//! up to a burst (GCRA, the `governor` crate). A client over its share gets `429 rate_limited`
//! with `Retry-After`; its share is checked first and spends nothing of the global budget, and
//! it is a small part of that budget, so one client can never take it whole. The figures are
//! listed in the README ("Limits"); `--rate-limit-per-second 0` turns them all off.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota};
use tower_governor::key_extractor::{KeyExtractor, SmartIpKeyExtractor};

use crate::AppState;
use crate::config::Config;
use crate::error::{AppError, Refusal};

/// What a group of routes draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Quotes, orders, card tokens and insight batches of the API, per request
    /// (`--rate-limit-per-second`, `--rate-limit-burst`).
    Writes,
    /// Card tokens and remembered cards, on the API and the payment form's origin, per
    /// request: what a card tester needs by the thousand.
    CardTokens,
    /// The shopper's order pages (read, cancel, returns, messages), per request.
    OrderPages,
    /// Insight events (`POST /v1/events`), per event.
    Events,
}

/// A steady rate and the burst above it.
#[derive(Debug, Clone, Copy)]
struct Rate {
    per_second: f64,
    burst: u32,
}

impl Rate {
    fn quota(self) -> Option<Quota> {
        let burst = NonZeroU32::new(self.burst)?;
        (self.per_second > 0.0).then_some(())?;
        Quota::with_period(Duration::from_secs_f64(1.0 / self.per_second)).map(|quota| quota.allow_burst(burst))
    }
}

/// One kind of work's limits: per client, and (where clients share a resource) for all.
struct Budget {
    per_client: Option<DefaultKeyedRateLimiter<IpAddr>>,
    global: Option<DefaultDirectRateLimiter>,
}

impl Budget {
    fn new(per_client: Rate, global: Option<Rate>) -> Budget {
        Budget {
            per_client: per_client.quota().map(DefaultKeyedRateLimiter::keyed),
            global: global.and_then(Rate::quota).map(DefaultDirectRateLimiter::direct),
        }
    }

    /// Takes `cells` of `client`'s share, then of the global budget; else the seconds to wait.
    fn admit(&self, client: IpAddr, cells: NonZeroU32) -> Result<(), u64> {
        let clock = DefaultClock::default();
        let wait = |earliest: governor::NotUntil<<DefaultClock as Clock>::Instant>| earliest.wait_time_from(clock.now()).as_secs() + 1;
        // More cells than a burst holds never pass: said as a minute's wait.
        if let Some(limiter) = &self.per_client {
            limiter.check_key_n(&client, cells).map_err(|_| 60_u64)?.map_err(wait)?;
        }
        if let Some(limiter) = &self.global {
            limiter.check_n(cells).map_err(|_| 60_u64)?.map_err(wait)?;
        }
        Ok(())
    }

    fn forget_idle_clients(&self) {
        if let Some(limiter) = &self.per_client {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// Every budget, shared by the API and the payment form's origin.
pub struct Limits {
    writes: Budget,
    card_tokens: Budget,
    order_pages: Budget,
    events: Budget,
    trust_forwarded_for: bool,
}

/// Card tokens: 150 at once per client (the conformance suite's run, a shop's test session),
/// then 2 a second; 1,500 at once for everyone, then 20 a second.
const CARD_TOKENS: (Rate, Rate) = (Rate { per_second: 2.0, burst: 150 }, Rate { per_second: 20.0, burst: 1500 });
/// Order pages: 100 at once per client, then 10 a second.
const ORDER_PAGES: Rate = Rate { per_second: 10.0, burst: 100 };
/// Insight events (a batch holds up to 50): 500 at once per client, then 50 a second; 5,000
/// at once for everyone, then 500 a second.
const EVENTS: (Rate, Rate) = (Rate { per_second: 50.0, burst: 500 }, Rate { per_second: 500.0, burst: 5000 });

impl Limits {
    /// The budgets of the configuration, and a task that forgets idle clients every minute.
    pub fn start(config: &Config) -> Arc<Limits> {
        let limits = Arc::new(if config.rate_limit_per_second == 0 {
            let off = || Budget { per_client: None, global: None };
            Limits { writes: off(), card_tokens: off(), order_pages: off(), events: off(), trust_forwarded_for: false }
        } else {
            let writes = Rate { per_second: f64::from(config.rate_limit_per_second), burst: config.rate_limit_burst.max(1) };
            Limits {
                writes: Budget::new(writes, None),
                card_tokens: Budget::new(CARD_TOKENS.0, Some(CARD_TOKENS.1)),
                order_pages: Budget::new(ORDER_PAGES, None),
                events: Budget::new(EVENTS.0, Some(EVENTS.1)),
                trust_forwarded_for: config.trust_forwarded_for,
            }
        });
        let weak = Arc::downgrade(&limits);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                let Some(limits) = weak.upgrade() else { return };
                for budget in [&limits.writes, &limits.card_tokens, &limits.order_pages, &limits.events] {
                    budget.forget_idle_clients();
                }
            }
        });
        limits
    }

    /// Takes `cells` of `client`'s `kind` budget; `429 rate_limited` beyond.
    pub fn admit(&self, kind: Kind, client: ClientIp, cells: u32) -> Result<(), AppError> {
        let Some(cells) = NonZeroU32::new(cells) else { return Ok(()) };
        let budget = match kind {
            Kind::Writes => &self.writes,
            Kind::CardTokens => &self.card_tokens,
            Kind::OrderPages => &self.order_pages,
            Kind::Events => &self.events,
        };
        budget.admit(client.0, cells).map_err(|wait| AppError::Refused(Refusal::RateLimited { retry_after_seconds: wait }))
    }

    /// Who sent `request`: the peer's address, or with `--trust-forwarded-for` (only behind a
    /// reverse proxy that sets them) the one in `X-Forwarded-For`/`X-Real-IP`/`Forwarded`.
    pub fn client<T>(&self, request: &axum::http::Request<T>) -> ClientIp {
        let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(address)| address.ip());
        let forwarded = self.trust_forwarded_for.then(|| SmartIpKeyExtractor.extract(request).ok()).flatten();
        // A request without a peer comes from inside the process (tests): one client.
        ClientIp(forwarded.or(peer).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
    }
}

/// The client's IP address, as [`Limits::client`] tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ClientIp, AppError> {
        let request = axum::http::Request::from_parts(parts.clone(), ());
        Ok(state.limits.client(&request))
    }
}

/// Middleware: one request of the `kind` budget (`axum::middleware::from_fn_with_state` with
/// the state and the kind).
pub async fn one_request(State((state, kind)): State<(AppState, Kind)>, request: Request, next: Next) -> Response {
    let client = state.limits.client(&request);
    match state.limits.admit(kind, client, 1) {
        Ok(()) => next.run(request).await,
        Err(refusal) => refusal.into_response(),
    }
}
