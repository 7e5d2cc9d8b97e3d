//! Settings, from command-line flags or the environment (each flag names its variable).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use shoppable_protocol::Currency;

#[derive(Debug, Clone, Parser)]
#[command(name = "shoppable-server", version, about = "Reference backend of the Shoppable protocol v1")]
pub struct Config {
    /// Address to listen on; port 0 picks a free port (the real one is printed).
    #[arg(long, env = "SHOPPABLE_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Second address, for the `test` payment provider's card form (its own origin, shown in
    /// an iframe by the widget); without it the widget asks for the card in the page itself.
    #[arg(long, env = "SHOPPABLE_PAYMENTS_LISTEN")]
    pub payments_listen: Option<SocketAddr>,

    /// Public URL of `--payments-listen` when a proxy serves it elsewhere (default: `http://ADDR`).
    #[arg(long, env = "SHOPPABLE_PAYMENTS_URL", requires = "payments_listen")]
    pub payments_url: Option<String>,

    /// Secret key of a Stripe account (`sk_test_…` in test mode, `sk_live_…` to take real
    /// money): payments then go through Stripe, whose card form is served from
    /// `--payments-listen`, and the `test` provider is off. Without it the shop takes the
    /// `test` provider's test cards only.
    #[arg(long, env = "SHOPPABLE_STRIPE_SECRET_KEY", hide_env_values = true,
          requires_all = ["stripe_publishable_key", "payments_listen"])]
    pub stripe_secret_key: Option<String>,

    /// Publishable key of the same account (`pk_test_…`, `pk_live_…`), for Stripe.js in the
    /// card form.
    #[arg(long, env = "SHOPPABLE_STRIPE_PUBLISHABLE_KEY", requires = "stripe_secret_key")]
    pub stripe_publishable_key: Option<String>,

    /// Signing secret (`whsec_…`) of the shop's webhook endpoint at Stripe, whose events
    /// (`POST /v1/payments/stripe/webhook`) keep orders in step with what Stripe did: late
    /// payments, refunds made at Stripe, disputes. Without it that endpoint answers 404.
    #[arg(long, env = "SHOPPABLE_STRIPE_WEBHOOK_SECRET", hide_env_values = true, requires = "stripe_secret_key")]
    pub stripe_webhook_secret: Option<String>,

    /// Base URL of Stripe's API; another one only for a Stripe stand-in in tests.
    #[arg(long, env = "SHOPPABLE_STRIPE_API_URL", default_value = "https://api.stripe.com")]
    pub stripe_api_url: String,

    /// Stripe.js, loaded by the card form; another one only for a Stripe stand-in in tests.
    #[arg(long, env = "SHOPPABLE_STRIPE_JS_URL", default_value = "https://js.stripe.com/v3/")]
    pub stripe_js_url: String,

    /// A SQLite file path (created when missing), `sqlite://...`, or `postgres://...`.
    #[arg(long, env = "SHOPPABLE_DATABASE_URL", default_value = "shoppable.sqlite")]
    pub database: String,

    /// Bearer token of the admin API; without one the admin API answers 401 to everything.
    #[arg(long, env = "SHOPPABLE_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,

    /// Origin allowed to call the API from a browser (CORS) and to show the payment form;
    /// repeat the flag for several. Never `*`: any site could then frame the card form.
    #[arg(long = "allowed-origin", env = "SHOPPABLE_ALLOWED_ORIGINS", value_delimiter = ',', value_parser = listed_origin)]
    pub allowed_origins: Vec<String>,

    /// Directory served at `/` (index.html for directories), e.g. the demo page and the wasm.
    #[arg(long, env = "SHOPPABLE_SITE_DIR")]
    pub site_dir: Option<PathBuf>,

    /// Fill an empty database with the demo catalog and posts.
    #[arg(long, env = "SHOPPABLE_SEED_DEMO")]
    pub seed_demo: bool,

    #[arg(long, env = "SHOPPABLE_SHOP_NAME", default_value = "Boutique Shoppable")]
    pub shop_name: String,

    /// The shop's currency: every price of the catalog is in it.
    #[arg(long, env = "SHOPPABLE_CURRENCY", default_value = "EUR")]
    pub currency: Currency,

    /// ISO 3166-1 alpha-2 codes of the countries shipped to; the first is the home country.
    #[arg(long = "country", env = "SHOPPABLE_COUNTRIES", value_delimiter = ',',
          default_values_t = ["FR", "BE", "LU", "CH", "DE", "ES", "IT"].map(String::from))]
    pub countries: Vec<String>,

    /// Subtotal, in minor units, from which standard shipping is free.
    #[arg(long, env = "SHOPPABLE_FREE_SHIPPING_FROM", default_value_t = 5000)]
    pub free_shipping_from: i64,

    /// VAT rate included in every price, in basis points (2000 = 20%).
    #[arg(long, env = "SHOPPABLE_VAT_BASIS_POINTS", default_value_t = 2000)]
    pub vat_basis_points: i64,

    /// How long after placing an order the shopper may cancel it.
    #[arg(long, env = "SHOPPABLE_CANCEL_WINDOW_SECONDS", default_value_t = 1800)]
    pub cancel_window_seconds: u64,

    /// How long after delivery the shopper may ask for a return, in seconds; 0: no returns.
    #[arg(long, env = "SHOPPABLE_RETURN_WINDOW_SECONDS", default_value_t = 30 * 86_400)]
    pub return_window_seconds: u64,

    /// SMTP server for the e-mails to shoppers, e.g. `smtps://user:password@mail.example`
    /// (`smtp://host:port?tls=required` for STARTTLS, `smtp://localhost:25` for a local relay).
    /// Without it, e-mails are written as `.eml` files to `--mail-dir`.
    #[arg(long, env = "SHOPPABLE_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Folder of the `.eml` files when no SMTP server is configured. Default: next to the
    /// SQLite file (`<name>-mail/`), or `shoppable-mail/` with PostgreSQL.
    #[arg(long, env = "SHOPPABLE_MAIL_DIR")]
    pub mail_dir: Option<PathBuf>,

    /// The page of the shop's site that shows the widget (with its bag and orders): each
    /// e-mail links to its order there (`#shoppable-order=...`). Without it, e-mails tell the
    /// shopper to open the order on the site.
    #[arg(long, env = "SHOPPABLE_SHOP_URL")]
    pub shop_url: Option<String>,

    /// Sender address of the e-mails; the shop's name is shown with it.
    #[arg(long, env = "SHOPPABLE_MAIL_FROM", default_value = "no-reply@shoppable.invalid")]
    pub mail_from: String,

    /// Receives order events as signed POSTs.
    #[arg(long, env = "SHOPPABLE_WEBHOOK_URL")]
    pub webhook_url: Option<String>,

    /// Key of the webhooks' HMAC-SHA256 signature.
    #[arg(long, env = "SHOPPABLE_WEBHOOK_SECRET", hide_env_values = true, requires = "webhook_url")]
    pub webhook_secret: Option<String>,

    /// How long this process may answer a public read (posts, products) from memory, in
    /// milliseconds; its own writes empty the cache at once, this bounds how late it sees the
    /// writes of other processes on the same database. 0 disables the cache.
    #[arg(long, env = "SHOPPABLE_READ_CACHE_MS", default_value_t = 1000)]
    pub read_cache_ms: u64,

    /// `max-age` of public reads (`Cache-Control`), in seconds: how long browsers and CDNs
    /// may show a post or a product without asking again.
    #[arg(long, env = "SHOPPABLE_CACHE_MAX_AGE", default_value_t = 5)]
    pub cache_max_age: u64,

    /// `stale-while-revalidate` of public reads, in seconds: how long after `max-age` a
    /// cache may still answer while it checks with the server in the background.
    #[arg(long, env = "SHOPPABLE_CACHE_STALE_WHILE_REVALIDATE", default_value_t = 30)]
    pub cache_stale_while_revalidate: u64,

    /// Requests per second each client (IP address) may make to quote, card tokens and
    /// orders together, on average; 0 turns every abuse limit off (README, "Limits").
    #[arg(long, env = "SHOPPABLE_RATE_LIMIT_PER_SECOND", default_value_t = 50)]
    pub rate_limit_per_second: u32,

    /// Requests a client may make at once above that rate.
    #[arg(long, env = "SHOPPABLE_RATE_LIMIT_BURST", default_value_t = 500)]
    pub rate_limit_burst: u32,

    /// Tell clients apart by `X-Forwarded-For`/`X-Real-IP`/`Forwarded`: only behind a reverse
    /// proxy that sets them, since clients could otherwise pick any address.
    #[arg(long, env = "SHOPPABLE_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// Seconds a client has to send a request's headers, from when the server waits for them
    /// (a new connection, or a kept-alive one between requests); then the connection closes.
    #[arg(long, env = "SHOPPABLE_HEADER_TIMEOUT_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_seconds: u64,

    /// Seconds a client has to send a request's body, from when its headers arrived; then
    /// `408 request_timeout` and the connection closes.
    #[arg(long, env = "SHOPPABLE_BODY_TIMEOUT_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub body_timeout_seconds: u64,

    /// On SIGTERM or SIGINT, seconds the requests in flight have to finish before the process
    /// exits anyway (crash recovery settles what they leave).
    #[arg(long, env = "SHOPPABLE_SHUTDOWN_TIMEOUT_SECONDS", default_value_t = 10)]
    pub shutdown_timeout_seconds: u64,

    /// Crash recovery settles orders left `placed` and idempotency keys left in flight once
    /// they are this old, in seconds: longer than any request (with its payment) can take.
    #[arg(long, env = "SHOPPABLE_RECOVERY_AFTER_SECONDS", default_value_t = 120)]
    pub recovery_after_seconds: u64,

    /// How long an order waits for the card's bank challenge (3-D Secure), in seconds: then
    /// crash recovery releases it and nothing can be charged (docs/PROTOCOL.md, "Strong
    /// Customer Authentication").
    #[arg(long, env = "SHOPPABLE_AUTHENTICATION_HOLD_SECONDS", default_value_t = 900)]
    pub authentication_hold_seconds: u64,

    /// How often crash recovery looks, in seconds (it also runs at start).
    #[arg(long, env = "SHOPPABLE_RECOVERY_INTERVAL_SECONDS", default_value_t = 30)]
    pub recovery_interval_seconds: u64,

    /// Where uploaded photos are kept: a folder, or `s3://bucket/prefix` (S3-compatible, set
    /// up by the `AWS_*` variables). Default: `SHOPPABLE_MEDIA_DIR`, else a folder next to the
    /// SQLite file (`shoppable-media/` with PostgreSQL). Instances share uploads through it.
    #[arg(long, env = "SHOPPABLE_MEDIA_STORE")]
    pub media_store: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Import a Meta catalog feed (CSV) into the database, then exit.
    Import {
        /// The CSV file.
        file: PathBuf,
    },
}

impl Config {
    /// A folder next to the SQLite file (`shop.sqlite` gives `shop-<suffix>`), or
    /// `shoppable-<suffix>` in the working directory with PostgreSQL.
    pub fn beside_database(&self, suffix: &str) -> PathBuf {
        let database = &self.database;
        if database.starts_with("postgres://") || database.starts_with("postgresql://") {
            return PathBuf::from(format!("shoppable-{suffix}"));
        }
        let file = database.strip_prefix("sqlite://").or_else(|| database.strip_prefix("sqlite:")).unwrap_or(database);
        let file = std::path::Path::new(file.split('?').next().unwrap_or(file));
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("shoppable");
        file.with_file_name(format!("{stem}-{suffix}"))
    }

    /// The database URL as sqlx expects it: bare paths become SQLite files, created if missing.
    pub fn database_url(&self) -> String {
        let db = &self.database;
        if db.starts_with("postgres://") || db.starts_with("postgresql://") {
            db.clone()
        } else if db.starts_with("sqlite:") {
            if db.contains('?') { db.clone() } else { format!("{db}?mode=rwc") }
        } else {
            format!("sqlite://{db}?mode=rwc")
        }
    }
}

/// An origin of `--allowed-origin`: a site, never "every site".
fn listed_origin(text: &str) -> Result<String, String> {
    if text.trim() == "*" {
        return Err("`*` would let any site show the payment form and call the API: list the shop's sites".to_owned());
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::Config;

    #[test]
    fn every_origin_cannot_be_allowed() {
        let parse = |origins: &str| Config::try_parse_from(["shoppable-server", "--allowed-origin", origins]);
        assert_eq!(
            parse("https://blog.example,https://shop.example").unwrap().allowed_origins,
            ["https://blog.example", "https://shop.example"]
        );
        let refusal = parse("https://blog.example,*").unwrap_err().to_string();
        assert!(refusal.contains("any site"), "{refusal}");
    }
}
