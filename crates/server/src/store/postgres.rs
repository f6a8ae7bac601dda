//! PostgreSQL, for programs that outgrow one process: any number of server instances share
//! one database and nothing else.
//!
//! Each instance LISTENs on `lodestar_changes`; a writer NOTIFYs with its last seq after its
//! transaction has committed (never inside it, so the hot insert path holds no extra lock), and
//! every instance pokes its local WebSocket tasks, which then pull the data themselves. A poll of
//! the counter every two seconds covers notifications lost while the listener reconnects.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgListener, PgPoolOptions};
use sqlx::PgPool;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{bump, StoreResult};

/// The channel every instance listens on.
const CHANNEL: &str = "lodestar_changes";

/// The PostgreSQL store.
pub struct PgStore {
    pool: PgPool,
    watch: Arc<watch::Sender<i64>>,
    listener: JoinHandle<()>,
}

impl Drop for PgStore {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

impl PgStore {
    /// Connects to `url`, runs the migrations (under sqlx's advisory lock, so instances may start
    /// together) and starts listening for other instances' commits.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let max = std::env::var("LODESTAR_PG_POOL").ok().and_then(|v| v.parse().ok()).unwrap_or(16);
        let pool = PgPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        sqlx::migrate!("../../migrations/server-postgres").run(&pool).await?;
        let latest: i64 = sqlx::query_scalar("SELECT value FROM seq_counter WHERE id = 1")
            .fetch_one(&pool)
            .await?;
        let watch = Arc::new(watch::Sender::new(latest));
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(CHANNEL).await?;
        let listener = tokio::spawn(listen(listener, pool.clone(), watch.clone()));
        Ok(PgStore { pool, watch, listener })
    }
}

async fn listen(mut listener: PgListener, pool: PgPool, watch: Arc<watch::Sender<i64>>) {
    let mut poll = tokio::time::interval(Duration::from_secs(2));
    loop {
        tokio::select! {
            n = listener.try_recv() => match n {
                Ok(Some(n)) => {
                    if let Ok(seq) = n.payload().parse::<i64>() {
                        bump(&watch, seq);
                    }
                }
                // The connection dropped; sqlx reconnects on the next call. Catch up now.
                Ok(None) => poll_latest(&pool, &watch).await,
                Err(e) => {
                    tracing::warn!(error = %e, "LISTEN connection failed; retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            },
            _ = poll.tick() => poll_latest(&pool, &watch).await,
        }
    }
}

async fn poll_latest(pool: &PgPool, watch: &watch::Sender<i64>) {
    match sqlx::query_scalar::<_, i64>("SELECT value FROM seq_counter WHERE id = 1")
        .fetch_one(pool)
        .await
    {
        Ok(seq) => bump(watch, seq),
        Err(e) => tracing::warn!(error = %e, "cannot read the seq counter"),
    }
}

mod imp {
    use super::PgStore;

    impl PgStore {
        fn reader(&self) -> &sqlx::PgPool {
            &self.pool
        }

        fn writer(&self) -> &sqlx::PgPool {
            &self.pool
        }

        fn watch(&self) -> &tokio::sync::watch::Sender<i64> {
            &self.watch
        }

        fn backend_name(&self) -> &'static str {
            "postgres"
        }

        async fn after_commit(&self, seq: i64) {
            if seq <= 0 {
                return;
            }
            super::bump(&self.watch, seq);
            let notified = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(super::CHANNEL)
                .bind(seq.to_string())
                .execute(&self.pool)
                .await;
            if let Err(e) = notified {
                // Other instances still catch up through their poll of the counter.
                tracing::warn!(error = %e, "NOTIFY failed");
            }
        }
    }

    impl_store!(PgStore, sqlx::Postgres);
}
