//! The embedded default: one SQLite file in WAL mode.
//!
//! Writes go through a pool of exactly one connection, which serialises writers (SQLite allows
//! one at a time anyway) and so makes seqs commit in order; reads use their own pool and never
//! wait for a writer under WAL. Commits are durable (`synchronous = FULL`: the WAL is synced at
//! every commit), because a message is acknowledged only once it survives a power cut; the group
//! commit in `crate::commit` pays that sync once per batch.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use tokio::sync::watch;

use super::{StoreError, StoreResult};

/// The SQLite store.
pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
    watch: watch::Sender<i64>,
    checkpointer: tokio::task::JoinHandle<()>,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite://PATH`, `sqlite:PATH` or a
    /// plain path) and runs the migrations.
    pub async fn open(url: &str) -> StoreResult<Self> {
        let path =
            url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Corrupt(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        // The writer never checkpoints: at every ~4 MB of WAL that would copy pages into the
        // database and sync it inside some request's commit, stalling every message queued
        // behind it. A background task checkpoints instead (see `checkpoints`).
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone().pragma("wal_autocheckpoint", "0"))
            .await?;
        sqlx::migrate!("../../migrations/server-sqlite").run(&write).await?;
        // The planner's statistics (which index a directory filter uses, migration 0016), kept
        // as SQLite advises for long-lived connections: at open, then every few hours.
        sqlx::query("PRAGMA optimize=0x10002").execute(&write).await?;
        let read = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        let latest: i64 = sqlx::query_scalar("SELECT value FROM seq_counter WHERE id = 1")
            .fetch_one(&read)
            .await?;
        let checkpointer = tokio::spawn(checkpoints(read.clone()));
        Ok(SqliteStore { read, write, watch: watch::Sender::new(latest), checkpointer })
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        self.checkpointer.abort();
    }
}

/// How often the planner's statistics are refreshed.
const OPTIMIZE_EVERY: Duration = Duration::from_secs(6 * 3600);

/// How often the WAL is copied back into the database.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// Checkpoints the WAL beside the writer, never blocking it (`PASSIVE`), so the WAL stays small
/// without any commit paying for it; refreshes the planner's statistics every few hours.
async fn checkpoints(read: SqlitePool) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut optimized = tokio::time::Instant::now();
    loop {
        tick.tick().await;
        if optimized.elapsed() >= OPTIMIZE_EVERY {
            optimized = tokio::time::Instant::now();
            if let Err(e) = sqlx::query("PRAGMA optimize").execute(&read).await {
                tracing::warn!(error = %e, "PRAGMA optimize failed; the next try is in a few hours");
            }
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&read).await {
            tracing::warn!(error = %e, "WAL checkpoint failed; retrying");
        }
    }
}

mod imp {
    use super::SqliteStore;

    impl SqliteStore {
        fn reader(&self) -> &sqlx::SqlitePool {
            &self.read
        }

        fn writer(&self) -> &sqlx::SqlitePool {
            &self.write
        }

        fn watch(&self) -> &tokio::sync::watch::Sender<i64> {
            &self.watch
        }

        fn backend_name(&self) -> &'static str {
            "sqlite"
        }

        async fn after_commit(&self, seq: i64) {
            crate::store::bump(&self.watch, seq);
        }
    }

    impl_store!(SqliteStore, sqlx::Sqlite);
}
