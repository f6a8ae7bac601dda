//! lodestar-server: the program's server. axum over HTTP and WebSocket, one [`store::Store`]
//! trait with a SQLite (default) and a PostgreSQL implementation, argon2id passwords and opaque
//! tokens. The wire contract is `shared/design/API.md`; `GET /v1/openapi.json` describes it
//! from this code.

pub mod auth;
pub mod commit;
pub mod coordinators;
pub mod demo;
pub mod error;
pub mod every;
pub mod expiry;
pub mod extract;
pub mod feed;
pub mod live;
pub mod matching;
pub mod media;
pub mod routes;
pub mod safeguarding;
pub mod serve;
pub mod sockets;
pub mod store;
pub mod typing;
pub mod updates;

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use axum::extract::DefaultBodyLimit;
use axum::Router;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::auth::PasswordHasher;
use crate::error::ApiError;
use crate::store::{Store, StoreError};

/// The largest request body any route accepts.
pub const BODY_LIMIT: usize = 64 * 1024;

/// How much of an over-limit body the server still reads, so the client gets its 413.
const DRAIN_LIMIT: usize = 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<dyn Store>,
    /// Message writes, committed in batches.
    pub messages: commit::MessageCommitter,
    /// Who each new change is for, read once for every socket.
    pub feed: feed::Feed,
    /// The open event sockets: closed when their token goes, at most a few per user.
    pub sockets: sockets::Sockets,
    /// "Is typing" notices between this instance's sockets (never stored).
    pub typing: typing::Typing,
    /// Where attachments are kept.
    pub media: media::Media,
    /// Linked images, fetched by the server.
    pub remote: media::remote::RemoteImages,
    /// argon2id, bounded.
    pub hasher: PasswordHasher,
    /// Flips to true when the server shuts down, so WebSocket tasks close.
    pub shutdown: watch::Receiver<bool>,
    /// The OpenAPI document, built with the router.
    pub openapi: Arc<OnceLock<serde_json::Value>>,
    /// Take the client address from `X-Forwarded-For` (behind a load balancer).
    pub trust_proxy: bool,
    /// The desktop app's update feed.
    pub app_feed: updates::AppFeed,
}

/// How to run a server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen; port 0 picks a free one.
    pub listen: String,
    /// `sqlite://PATH` or `postgres://...`.
    pub database_url: String,
    /// Fill an empty database with a demo program.
    pub demo: bool,
    /// Behind a load balancer: take client addresses from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// Where attachments are kept (see [`media::Media::open`]); `None`: beside the database.
    pub media_store: Option<String>,
    /// Let the image proxy reach private addresses (tests on loopback only: in production a
    /// linked image must never reach into the server's own network).
    pub fetch_private_links: bool,
    /// The desktop app's update feed (`--app-feed`); `None`: no updates offered.
    pub app_feed: Option<std::path::PathBuf>,
}

/// Why a server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The database could not be opened or migrated.
    #[error("cannot open the database: {0}")]
    Store(#[from] StoreError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
    /// Setting up the server failed.
    #[error("cannot start: {0}")]
    Setup(String),
}

impl From<ApiError> for StartError {
    fn from(e: ApiError) -> Self {
        StartError::Setup(e.to_string())
    }
}

/// Builds the whole HTTP application over `state`.
pub fn app(state: AppState) -> Router {
    let (router, api) = routes::router().split_for_parts();
    let _ = state.openapi.set(serde_json::to_value(&api).unwrap_or_default());
    router
        .fallback(|| async { ApiError::NotFound("no such route") })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(limit_body))
        .layer(CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(ApiError::Internal(
                "handler panicked".into(),
            ))
        }))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// Refuses any request whose body is over [`BODY_LIMIT`] before a handler runs, including
/// routes that never read their body (logout, deletes), which must not act on such a request.
async fn limit_body(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    // An upload streams to storage, bounded by its own limit there.
    if req.method() == axum::http::Method::POST && req.uri().path() == "/v1/media" {
        return next.run(req).await;
    }
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(n) if n > BODY_LIMIT as u64 => {
            // Read (and drop) what the client is sending before answering: answering mid-upload
            // makes the connection close under the client, which then sees a broken connection
            // instead of the 413. Past DRAIN_LIMIT the connection is not worth saving.
            if n <= DRAIN_LIMIT as u64 {
                let _ = axum::body::to_bytes(req.into_body(), DRAIN_LIMIT).await;
            }
            ApiError::PayloadTooLarge.into_response()
        }
        Some(_) => next.run(req).await,
        None => {
            // No declared length (chunked, or none at all): read up to the limit here. A body
            // that fails to arrive leaves no one to answer, so 413 serves for both failures.
            let (parts, body) = req.into_parts();
            match axum::body::to_bytes(body, BODY_LIMIT).await {
                Ok(bytes) => {
                    next.run(axum::extract::Request::from_parts(parts, bytes.into())).await
                }
                Err(_) => ApiError::PayloadTooLarge.into_response(),
            }
        }
    }
}

/// A database URL fit for a log line: no password, in the user part or in the query string
/// (`?password=`, `sslpassword=`, ...). A URL that does not parse is not shown at all.
pub fn redact_database_url(database_url: &str) -> String {
    let Ok(mut url) = url::Url::parse(database_url) else {
        return "<a database URL that does not parse>".to_owned();
    };
    if url.password().is_some() {
        let _ = url.set_password(Some("REDACTED"));
    }
    let secret = |key: &std::borrow::Cow<'_, str>| {
        let key = key.to_ascii_lowercase();
        ["password", "secret", "token", "key"].iter().any(|s| key.contains(s))
    };
    if url.query_pairs().any(|(k, _)| secret(&k)) {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if secret(&k) { "REDACTED".to_owned() } else { v.into_owned() };
                (k.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

/// A server running in this process.
pub struct RunningServer {
    /// The bound address.
    pub addr: SocketAddr,
    /// Its store (tests inspect it).
    pub store: Arc<dyn Store>,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// `http://ADDR`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, finishes requests in flight, closes WebSockets, and waits.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
    }

    /// Waits until the server ends (after `shutdown` is triggered by `signal`).
    pub async fn run_until(self, signal: impl std::future::Future<Output = ()>) {
        signal.await;
        tracing::info!("shutting down: finishing requests in flight");
        self.stop().await;
    }
}

/// Opens the store, seeds the demo if asked, binds and starts serving in the background.
pub async fn start(config: Config) -> Result<RunningServer, StartError> {
    let store = store::open(&config.database_url).await?;
    let parallel = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let hasher = PasswordHasher::new(parallel)?;
    let media = media::Media::open(config.media_store.as_deref(), &config.database_url)
        .map_err(StartError::Setup)?;
    if config.demo {
        demo::seed(store.as_ref(), &hasher, &media).await?;
    }
    let remote =
        media::remote::RemoteImages::new(config.fetch_private_links).map_err(StartError::Setup)?;
    let app_feed = updates::AppFeed::open(config.app_feed).map_err(StartError::Setup)?;
    let parts = Parts { media, remote, typing_from: Some(config.database_url.clone()), app_feed };
    serve_all(config.listen, store, hasher, config.trust_proxy, serve::Limits::default(), parts)
        .await
}

/// What a server is made of beside its store: media storage, the image proxy, and (the
/// database URL) where typing notices go between instances.
struct Parts {
    media: media::Media,
    remote: media::remote::RemoteImages,
    typing_from: Option<String>,
    app_feed: updates::AppFeed,
}

/// Serves an already opened store, with the default [`serve::Limits`].
pub async fn start_with(
    listen: String,
    store: Arc<dyn Store>,
    hasher: PasswordHasher,
    trust_proxy: bool,
) -> Result<RunningServer, StartError> {
    start_with_limits(listen, store, hasher, trust_proxy, serve::Limits::default()).await
}

/// Serves an already opened store with the given timeouts and bound on requests in flight.
pub async fn start_with_limits(
    listen: String,
    store: Arc<dyn Store>,
    hasher: PasswordHasher,
    trust_proxy: bool,
    limits: serve::Limits,
) -> Result<RunningServer, StartError> {
    // Embedded servers (tests, benchmarks) keep their attachments in a private folder of
    // their own, gone with the process's temporary files.
    let dir = std::env::temp_dir().join(format!("lodestar-media-{}", uuid::Uuid::new_v4()));
    let media = media::Media::local(&dir).map_err(StartError::Setup)?;
    let remote = media::remote::RemoteImages::new(false).map_err(StartError::Setup)?;
    serve_all(
        listen,
        store,
        hasher,
        trust_proxy,
        limits,
        Parts { media, remote, typing_from: None, app_feed: updates::AppFeed::default() },
    )
    .await
}

/// Serves an opened store and media storage.
async fn serve_all(
    listen: String,
    store: Arc<dyn Store>,
    hasher: PasswordHasher,
    trust_proxy: bool,
    limits: serve::Limits,
    Parts { media, remote, typing_from, app_feed }: Parts,
) -> Result<RunningServer, StartError> {
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .map_err(|source| StartError::Bind { addr: listen.clone(), source })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind { addr: listen, source })?;
    let (shutdown, shutdown_rx) = watch::channel(false);
    let typing = match typing_from {
        Some(url) => {
            typing::Typing::connect(&url, shutdown_rx.clone()).await.map_err(StartError::Setup)?
        }
        None => typing::Typing::default(),
    };
    let state = AppState {
        store: store.clone(),
        messages: commit::MessageCommitter::spawn(store.clone()),
        feed: feed::Feed::spawn(store.clone()),
        sockets: sockets::Sockets::spawn(store.clone()),
        typing,
        media: media.clone(),
        remote,
        hasher,
        shutdown: shutdown_rx.clone(),
        openapi: Arc::new(OnceLock::new()),
        trust_proxy,
        app_feed,
    };
    expiry::spawn(store.clone(), shutdown_rx.clone());
    media::sweep::spawn(store.clone(), media.clone(), shutdown_rx.clone());
    tracing::info!(place = %media.place, "attachments kept here");
    let app = serve::limit(app(state), limits);
    let task = tokio::spawn(serve::run(listener, app, limits, shutdown_rx));
    tracing::info!(%addr, backend = store.backend(), "lodestar-server listening");
    Ok(RunningServer { addr, store, shutdown, task })
}

#[cfg(test)]
mod tests {
    use super::redact_database_url;

    #[test]
    fn database_urls_are_logged_without_passwords() {
        let shown = redact_database_url("postgres://app:hunter2hunter2@db.example:5432/lodestar");
        assert_eq!(shown, "postgres://app:REDACTED@db.example:5432/lodestar");
        let shown = redact_database_url(
            "postgres://db.example/lodestar?user=app&password=hunter2&sslmode=require",
        );
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("sslmode=require") && shown.contains("user=app"), "{shown}");
        assert_eq!(
            redact_database_url("sqlite:///var/lib/lodestar/server.db"),
            "sqlite:///var/lib/lodestar/server.db"
        );
        assert!(!redact_database_url("not a url with hunter2").contains("hunter2"));
    }
}
