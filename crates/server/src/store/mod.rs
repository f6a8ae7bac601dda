//! The server's storage: one [`Store`] trait, a SQLite and a PostgreSQL implementation.
//!
//! # How sync stays gap-free
//! Every accepted change is written to the `changes` log with a `seq` taken from the one-row
//! `seq_counter`, *inside* the transaction that makes the change. On PostgreSQL the counter's
//! row lock is held until that transaction commits, so a writer that takes seq N+1 waits until
//! the writer holding N has committed: seqs become visible strictly in order, and a cursor that
//! moved past N can never miss a late commit of N. On SQLite there is one writer connection, so
//! the same holds trivially. Writers do their reads and checks first and take the counter last,
//! to keep the lock short.
//!
//! # Who sees a change
//! A change row is scoped in one of three ways: `target_user_id` (only that user: snapshots
//! given on joining, one's own profile, a leaver's final delete), `conversation_id` (every
//! current member of that conversation), or `subject_user_id` (a profile, seen by everyone who
//! shares a conversation with its owner). When someone gains access to a conversation they are
//! given a targeted snapshot of its current state, so history written before their cursor
//! reaches them.
//!
//! # Live fan-out
//! After a commit the store pokes a local `watch` with the newest seq; on PostgreSQL it also
//! sends `NOTIFY lodestar_changes` *after* the commit (never inside it), and every instance's
//! listener pokes its own `watch`. WebSocket tasks then pull what their user may see.

#[macro_use]
mod common;
mod postgres;
pub(crate) mod records;
mod sqlite;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use lodestar_protocol::validate::{GroupPatch, MessageBody, NewGroup, NewUser, ProfilePatch};
use lodestar_protocol::{
    Change, Conversation, ConversationSummary, Group, GroupMember, Me, Message, Profile, Read,
    Role, UsersQuery,
};
use uuid::Uuid;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// What a store operation can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A unique value is taken; the map names each taken field.
    #[error("already taken: {0:?}")]
    Conflict(Vec<String>),
    /// The thing named does not exist (or the caller may not see it).
    #[error("not found")]
    NotFound,
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations failed at start.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value could not be read back (a bug or a hand-edited database).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// A machine-readable code for logs.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Conflict(_) => "conflict",
            StoreError::NotFound => "not_found",
            StoreError::Database(_) => "database",
            StoreError::Migrate(_) => "migrate",
            StoreError::Corrupt(_) => "corrupt",
        }
    }
}

/// Store results.
pub type StoreResult<T> = Result<T, StoreError>;

/// A new account, validated and with its password already hashed.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// The validated registration.
    pub user: NewUser,
    /// The argon2id PHC string.
    pub password_hash: String,
}

/// The outcome of `POST /v1/messages`.
#[derive(Debug, Clone, PartialEq)]
pub enum SendOutcome {
    /// Stored now.
    Created(Message),
    /// The same request was stored before.
    Existing(Message),
    /// The id is taken by a different message.
    IdConflict,
}

/// The outcome of opening a direct conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenedDirect {
    /// The conversation.
    pub conversation: Conversation,
    /// Whether this call made it.
    pub created: bool,
}

/// A message as the store holds it, before the route decides who may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    /// Client-made id.
    pub message_id: Uuid,
    /// Target conversation.
    pub conversation_id: Uuid,
    /// Validated content.
    pub body: MessageBody,
    /// When the user sent it.
    pub sent_at: DateTime<Utc>,
}

/// What a login needs to check a password.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    /// The account.
    pub user_id: Uuid,
    /// The argon2id PHC string.
    pub password_hash: String,
}

/// The storage behind the server. Every method that names a conversation, message or group on
/// behalf of a user answers `NotFound` when that user may not see it.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend, for logs: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// A `watch` of the newest committed seq, poked after every commit on any instance.
    fn subscribe(&self) -> tokio::sync::watch::Receiver<i64>;
    /// The newest committed seq.
    async fn latest_seq(&self) -> StoreResult<i64>;
    /// Whether the database holds no user yet (for `--demo`).
    async fn is_empty(&self) -> StoreResult<bool>;

    // Accounts and sessions.
    /// Creates an account; `Conflict` names each taken field.
    async fn create_user(&self, account: NewAccount, now: DateTime<Utc>) -> StoreResult<Me>;
    /// Finds an account by username or email, ignoring case.
    async fn find_login(&self, login: &str) -> StoreResult<Option<LoginRecord>>;
    /// The password hash of an account.
    async fn password_hash(&self, user_id: Uuid) -> StoreResult<String>;
    /// Replaces the password hash and revokes every token but `keep_token_hash`.
    async fn set_password_hash(
        &self,
        user_id: Uuid,
        hash: &str,
        keep_token_hash: &str,
    ) -> StoreResult<()>;
    /// Stores a session token's hash.
    async fn create_session(
        &self,
        user_id: Uuid,
        token_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The user of an unexpired session.
    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>)
        -> StoreResult<Option<Uuid>>;
    /// Revokes one session.
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Records a failed login under each key.
    async fn record_login_failure(&self, keys: &[String], at: DateTime<Utc>) -> StoreResult<()>;
    /// Failures under `key` since `since`: how many, and the oldest.
    async fn login_failures(
        &self,
        key: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<(i64, Option<DateTime<Utc>>)>;
    /// Forgets the failures under `key`.
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;

    // Profiles.
    /// The full record of a user.
    async fn me(&self, user_id: Uuid, today: NaiveDate) -> StoreResult<Me>;
    /// What others see of a user.
    async fn profile(&self, user_id: Uuid, today: NaiveDate) -> StoreResult<Profile>;
    /// Applies a validated edit; `Conflict` names taken fields.
    async fn update_me(
        &self,
        user_id: Uuid,
        patch: ProfilePatch,
        today: NaiveDate,
    ) -> StoreResult<Me>;
    /// One page of the directory, ordered by username; the query is already checked.
    async fn search_users(
        &self,
        query: &UsersQuery,
        limit: i64,
        today: NaiveDate,
    ) -> StoreResult<Vec<Profile>>;
    /// Everyone who offers mentoring (`mentors`) or seeks it (`!mentors`), for matching.
    async fn profiles_by_role(
        &self,
        mentors: bool,
        exclude: Uuid,
        today: NaiveDate,
    ) -> StoreResult<Vec<Profile>>;
    /// Which of `ids` name no user.
    async fn missing_users(&self, ids: &[Uuid]) -> StoreResult<Vec<Uuid>>;

    // Conversations and messages.
    /// Opens (or finds) the direct conversation of two users.
    async fn open_direct(
        &self,
        me: Uuid,
        other: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<OpenedDirect>;
    /// A conversation `user` takes part in.
    async fn conversation(&self, user: Uuid, conversation_id: Uuid) -> StoreResult<Conversation>;
    /// Every conversation of `user`, most recent first.
    async fn conversations(&self, user: Uuid) -> StoreResult<Vec<ConversationSummary>>;
    /// Messages older than `before`, newest `limit`, answered oldest first, and whether more exist.
    async fn messages(
        &self,
        user: Uuid,
        conversation_id: Uuid,
        before: Option<i64>,
        limit: i64,
    ) -> StoreResult<(Vec<Message>, bool)>;
    /// Stores a message from `sender`, idempotently by its id.
    async fn send_message(&self, sender: Uuid, message: NewMessage) -> StoreResult<SendOutcome>;
    /// Marks messages read by `user`; `NotFound` (and nothing written) if any is not visible.
    async fn mark_read(
        &self,
        user: Uuid,
        message_ids: &[Uuid],
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The reads of a message `user` may see.
    async fn reads(&self, user: Uuid, message_id: Uuid) -> StoreResult<Vec<Read>>;

    // Groups.
    /// Creates a group with `creator` as owner and `members` as members, and its conversation.
    async fn create_group(
        &self,
        creator: Uuid,
        group: NewGroup,
        members: &[Uuid],
        now: DateTime<Utc>,
    ) -> StoreResult<Group>;
    /// A group `user` belongs to, and `user`'s role in it.
    async fn group(&self, user: Uuid, group_id: Uuid) -> StoreResult<(Group, Role)>;
    /// Renames or re-describes a group.
    async fn update_group(&self, group_id: Uuid, patch: GroupPatch) -> StoreResult<Group>;
    /// Deletes a group, its conversation and its messages.
    async fn delete_group(&self, group_id: Uuid) -> StoreResult<()>;
    /// Adds a member; `Conflict(["user_id"])` if already one.
    async fn add_member(
        &self,
        group_id: Uuid,
        user_id: Uuid,
        role: Role,
        now: DateTime<Utc>,
    ) -> StoreResult<GroupMember>;
    /// Changes a member's role.
    async fn set_role(&self, group_id: Uuid, user_id: Uuid, role: Role)
        -> StoreResult<GroupMember>;
    /// Removes a member (or lets one leave).
    async fn remove_member(&self, group_id: Uuid, user_id: Uuid) -> StoreResult<()>;

    // Sync.
    /// The changes `user` may see after `since`, at most `limit`, the cursor after them, and
    /// whether more remain.
    async fn sync(
        &self,
        user: Uuid,
        since: i64,
        limit: i64,
    ) -> StoreResult<(Vec<Change>, i64, bool)>;
}

/// Raises the watched seq to `seq` if it is newer.
pub(crate) fn bump(watch: &tokio::sync::watch::Sender<i64>, seq: i64) {
    watch.send_if_modified(|v| {
        if seq > *v {
            *v = seq;
            true
        } else {
            false
        }
    });
}

/// Opens the store a database URL names (`sqlite://PATH` or `postgres://...`), running migrations.
pub async fn open(url: &str) -> StoreResult<std::sync::Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(std::sync::Arc::new(PgStore::connect(url).await?))
    } else {
        Ok(std::sync::Arc::new(SqliteStore::open(url).await?))
    }
}
