//! PostgreSQL, for programs that outgrow one process: any number of server instances share
//! one database and nothing else.
//!
//! Each instance LISTENs on `lodestar_changes`. After a commit, a writer only raises a local
//! `watch`; one notifier task per instance sends `NOTIFY` with the newest seq whenever that moves,
//! so a burst of commits costs one poke (never inside the insert transaction, so the hot path
//! holds no extra lock). Every instance pokes its local WebSocket tasks, which then pull the data
//! themselves. A poll of the counter every two seconds covers notifications lost while the
//! listener reconnects.

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
    /// The newest seq committed anywhere: what WebSocket tasks wait on.
    watch: Arc<watch::Sender<i64>>,
    /// The newest seq committed by this instance: what the notifier announces.
    committed: Arc<watch::Sender<i64>>,
    tasks: [JoinHandle<()>; 2],
}

impl Drop for PgStore {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
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
        let committed = Arc::new(watch::Sender::new(latest));
        let tasks = [
            tokio::spawn(listen(listener, pool.clone(), watch.clone())),
            tokio::spawn(notify(committed.subscribe(), pool.clone())),
        ];
        Ok(PgStore { pool, watch, committed, tasks })
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

/// Announces this instance's commits, one NOTIFY for however many commits happened meanwhile.
async fn notify(mut committed: watch::Receiver<i64>, pool: PgPool) {
    while committed.changed().await.is_ok() {
        let seq = *committed.borrow_and_update();
        let sent = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(seq.to_string())
            .execute(&pool)
            .await;
        if let Err(e) = sent {
            // Other instances still catch up through their poll of the counter.
            tracing::warn!(error = %e, "NOTIFY failed");
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
            crate::store::bump(&self.watch, seq);
            crate::store::bump(&self.committed, seq);
        }
    }

    impl_store!(PgStore, sqlx::Postgres);
}
