//! The offline replica: one SQLite file per user (WAL, foreign keys on), migrated at open.
//!
//! It holds the server's tables as this user may see them, the outbox of what the user did
//! offline, drafts, per-conversation settings, the sync cursor and an FTS5 index of message
//! content. Every write that must be atomic with another (a message and its outbox entry; a
//! page of changes and the cursor that covers it) happens in one transaction.

mod apply;
mod groups;
mod local;
pub mod mentorship;
pub(crate) mod outbox;
mod queries;
pub(crate) mod reactions;
mod records;
mod search;
#[cfg(test)]
#[path = "unread_tests.rs"]
mod unread_tests;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use uuid::Uuid;

pub(crate) use apply::store_message;
pub use apply::ApplyStats;
pub use groups::GroupRows;
pub(crate) use outbox::enqueue;
pub use outbox::{OutboxEntry, OutboxState};
pub use queries::{
    held_words, AttachmentView, ConversationItem, MessageItem, MessageStatus, ReplyPreview,
};
pub use reactions::ReactionCount;
pub(crate) use records::store_me;
pub use search::SearchHit;

use crate::error::{ClientError, ClientResult};

/// The replica of one user's world.
#[derive(Clone)]
pub struct Replica {
    pool: SqlitePool,
    /// Where attached files are kept (private, beside the database).
    files: std::path::PathBuf,
    /// Pushes from this replica run one at a time (see `sync::push`).
    push_lock: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// A draft: the unsent text of one conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Draft {
    /// The text typed so far.
    pub content: String,
    /// A media URL typed so far.
    pub media_url: Option<String>,
}

impl Replica {
    /// Opens (creating if missing) the replica at `path` and migrates it. Outbox entries left
    /// `sending` by a crash go back to `pending`: the message id makes sending them again safe.
    pub async fn open(path: &Path) -> ClientResult<Replica> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::private::private_dir(dir).map_err(|e| {
                ClientError::Corrupt(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        crate::private::private_database(path).map_err(|e| {
            ClientError::Corrupt(format!("cannot make {} private: {e}", path.display()))
        })?;
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        // One writer at a time keeps transactions from failing with "database is locked";
        // WAL lets readers go on meanwhile.
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        sqlx::migrate!("../../migrations/client").run(&pool).await?;
        sqlx::query("UPDATE outbox SET state = 'pending' WHERE state = 'sending'")
            .execute(&pool)
            .await?;
        let files = path.parent().unwrap_or_else(|| Path::new(".")).join("attachments");
        Ok(Replica { pool, files, push_lock: Default::default() })
    }

    /// The private folder attached files are copied into.
    pub fn files(&self) -> &Path {
        &self.files
    }

    /// The pool, for queries of the engine's other modules.
    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A write transaction that holds SQLite's write lock from its first statement. A deferred
    /// one that reads first and writes later would fail at once with `SQLITE_BUSY` when another
    /// connection (a push beside a pull, or a second process) wrote in between, because SQLite
    /// refuses to upgrade it rather than risk a deadlock; taken up front, the busy timeout waits.
    pub(crate) async fn write(&self) -> ClientResult<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Held for the whole of a push, so two pushes from one replica never interleave.
    pub(crate) async fn push_guard(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.push_lock.lock().await
    }

    /// The signed-in user this replica belongs to, once known.
    pub async fn me(&self) -> ClientResult<Option<Uuid>> {
        Ok(sqlx::query_scalar::<_, Option<Uuid>>("SELECT me FROM sync_state WHERE id = 1")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Records whose replica this is.
    pub async fn set_me(&self, user_id: Uuid) -> ClientResult<()> {
        sqlx::query("UPDATE sync_state SET me = $1 WHERE id = 1")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The sync cursor and when the last sync ended.
    pub async fn cursor(&self) -> ClientResult<(Option<String>, Option<DateTime<Utc>>)> {
        Ok(sqlx::query_as("SELECT cursor, last_sync_at FROM sync_state WHERE id = 1")
            .fetch_one(&self.pool)
            .await?)
    }

    /// The draft of a conversation, if any.
    pub async fn draft(&self, conversation_id: Uuid) -> ClientResult<Option<Draft>> {
        let row: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT content, media_url FROM drafts WHERE conversation_id = $1")
                .bind(conversation_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(content, media_url)| Draft { content, media_url }))
    }

    /// Saves (or, when empty, clears) the draft of a conversation.
    pub async fn set_draft(
        &self,
        conversation_id: Uuid,
        draft: &Draft,
        now: DateTime<Utc>,
    ) -> ClientResult<()> {
        if draft.content.is_empty() && draft.media_url.as_deref().unwrap_or_default().is_empty() {
            sqlx::query("DELETE FROM drafts WHERE conversation_id = $1")
                .bind(conversation_id)
                .execute(&self.pool)
                .await?;
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO drafts (conversation_id, content, media_url, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (conversation_id) DO UPDATE SET content = excluded.content, \
             media_url = excluded.media_url, updated_at = excluded.updated_at",
        )
        .bind(conversation_id)
        .bind(&draft.content)
        .bind(&draft.media_url)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Mutes or unmutes a conversation (no notifications while muted).
    pub async fn set_muted(&self, conversation_id: Uuid, muted: bool) -> ClientResult<()> {
        sqlx::query(
            "INSERT INTO conversation_settings (conversation_id, muted) VALUES ($1, $2) \
             ON CONFLICT (conversation_id) DO UPDATE SET muted = excluded.muted",
        )
        .bind(conversation_id)
        .bind(muted)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Whether a conversation is muted.
    pub async fn is_muted(&self, conversation_id: Uuid) -> ClientResult<bool> {
        Ok(sqlx::query_scalar::<_, bool>(
            "SELECT muted FROM conversation_settings WHERE conversation_id = $1",
        )
        .bind(conversation_id)
        .fetch_optional(&self.pool)
        .await?
        .unwrap_or(false))
    }
}
