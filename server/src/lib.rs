//! The reference backend of the Shoppable protocol v1 (`docs/PROTOCOL.md`).

pub mod cache;
pub mod catalog;
pub mod config;
mod countries;
pub mod demo;
pub mod error;
pub mod extract;
pub mod limits;
pub mod listener;
pub mod mail;
pub mod media_store;
pub mod orders;
pub mod payments;
pub mod previews;
pub mod pricing;
pub mod recovery;
pub mod routes;
pub mod sender;
pub mod storage;
pub mod webhooks;

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;

pub use config::Config;
use error::AppResult;
use payments::PaymentProvider;
use payments::stripe::StripeProvider;
use payments::test_provider::TestProvider;
use storage::Db;
use webhooks::Webhooks;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    /// Serialized public reads; emptied by every write they show.
    pub cache: cache::ReadCache,
    /// Uploaded photos (`object_store`).
    pub media: Arc<media_store::MediaStore>,
    pub webhooks: Webhooks,
    /// E-mails to shoppers.
    pub mailer: mail::Mailer,
    /// The `test` provider also plays the payment service's tokenization endpoint.
    pub test_payments: Arc<TestProvider>,
    /// Stripe, when configured: its card form is served with the `test` provider's.
    pub stripe: Option<Arc<StripeProvider>>,
    /// The tag editor's previews of unsaved posts (`previews`), in memory.
    pub previews: Arc<previews::Previews>,
    /// Shared, not copied: the state is cloned for every request.
    pub providers: Arc<[Arc<dyn PaymentProvider>]>,
    /// Abuse limits, per client and global (`limits`).
    pub limits: Arc<limits::Limits>,
    /// Held shared by every running request; taken exclusively at shutdown, so the database
    /// closes only after the requests still running (even for gone clients) have finished.
    pub running: Arc<tokio::sync::RwLock<()>>,
}

impl AppState {
    pub async fn new(config: Config) -> AppResult<AppState> {
        let db = Db::connect(&config.database_url()).await?;
        let test_payments = Arc::new(TestProvider::new(db.clone()));
        let cache = cache::ReadCache::new(
            std::time::Duration::from_millis(config.read_cache_ms),
            config.cache_max_age,
            config.cache_stale_while_revalidate,
        );
        let media = Arc::new(media_store::MediaStore::from_config(&config)?);
        // Stripe when configured, else the test cards; never both, so that a shop taking real
        // money accepts no test card.
        let stripe = StripeProvider::from_config(&config, db.clone())?.map(Arc::new);
        let providers: Arc<[Arc<dyn PaymentProvider>]> = match &stripe {
            Some(stripe) => Arc::from([stripe.clone() as Arc<dyn PaymentProvider>]),
            None => Arc::from([test_payments.clone() as Arc<dyn PaymentProvider>]),
        };
        Ok(AppState {
            cache,
            media,
            webhooks: Webhooks::start(db.clone(), config.webhook_url.clone(), config.webhook_secret.clone()),
            mailer: mail::Mailer::start(db.clone(), &config)?,
            limits: limits::Limits::start(&config),
            config: Arc::new(config),
            db,
            providers,
            previews: Arc::default(),
            stripe,
            test_payments,
            running: Arc::default(),
        })
    }

    pub fn provider(&self, id: &str) -> Option<&Arc<dyn PaymentProvider>> {
        self.providers.iter().find(|p| p.method().provider == id)
    }
}

/// Serves until SIGINT or SIGTERM, then lets the requests in flight finish, for at most
/// `--shutdown-timeout-seconds`: a client that sends nothing, or too slowly, never holds the
/// stop (what a cut request leaves is settled by crash recovery, as after a crash).
pub async fn run(config: Config) -> AppResult<()> {
    let state = AppState::new(config).await?;
    if let Some(config::Command::Import { file }) = &state.config.command {
        let csv = std::fs::read(file).map_err(|e| error::AppError::internal(format!("{}: {e}", file.display())))?;
        let report = catalog::import(&state.db, &state.config, &csv).await?;
        println!("imported {} products, {} variants", report.products, report.variants);
        return Ok(());
    }
    if state.config.seed_demo {
        demo::seed(&state).await?;
    }
    // What a stopped process left half done is settled now, then periodically.
    recovery::start(state.clone());
    let listener = TcpListener::bind(state.config.listen)
        .await
        .map_err(|e| error::AppError::internal(format!("cannot listen on {}: {e}", state.config.listen)))?;
    let address = listener.local_addr().map_err(error::AppError::internal)?;
    let (stop, stopping) = tokio::sync::watch::channel(false);
    // The card form's origin, with --payments-listen.
    let frame = payments::frame::start(&state, address, stopping.clone()).await?;
    println!("listening on http://{address}");
    // On stderr: whoever reads stdout may stop at the `listening on` line.
    if let Some(folder) = state.mailer.folder() {
        tracing::info!(folder = %folder.display(), "e-mails are written as .eml files");
    }
    tracing::info!(%address, "listening");
    let (db, running) = (state.db.clone(), state.running.clone());
    let header_timeout = Duration::from_secs(state.config.header_timeout_seconds);
    let deadline = Duration::from_secs(state.config.shutdown_timeout_seconds);
    let api = tokio::spawn(listener::serve(listener::JsonErrorsListener(listener), routes::router(state), header_timeout, stopping));
    shutdown_signal().await;
    let _ = stop.send(true);
    let finished = async {
        let _ = api.await;
        if let Some(frame) = frame {
            let _ = frame.await;
        }
        // Requests whose clients left run to their end (`routes::to_completion`).
        drop(running.write().await);
        db.pool.close().await;
    };
    if tokio::time::timeout(deadline, finished).await.is_err() {
        tracing::warn!("requests still running after {} s: stopping anyway", deadline.as_secs());
    }
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
