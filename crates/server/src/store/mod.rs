//! The server's storage: one [`Store`] trait, a SQLite and a PostgreSQL implementation.
//!
//! # How sync stays gap-free
//! Every accepted change is written to the `changes` log with a `seq` taken from the one-row
//! `seq_counter`, *inside* the transaction that makes the change. On PostgreSQL the counter's
//! row lock is held until that transaction commits, so a writer that takes seq N+1 waits until
//! the writer holding N has committed: seqs become visible strictly in order, and a cursor that
//! moved past N can never miss a late commit of N. On SQLite there is one writer connection, so
//! the same holds trivially. The counter also serialises writers' checks: a check made while
//! holding it (a send's "is the sender a member", a read's "do these messages exist") stays true
//! until commit, since every writer that could falsify it (a removal, a group's delete) takes the
//! counter before writing. Checks nothing can falsify that way (is a name taken: the unique
//! index decides) run before it, to keep the lock short.
//!
//! # Lock order
//! On PostgreSQL every writer that logs a change takes the counter's row lock *before its first
//! write*, and so before any other row lock: a send takes the counter, then its insert locks the
//! conversation and sender rows (foreign-key checks); a group's delete, which locks the group and
//! cascades through its conversation and messages, must therefore hold the counter before it
//! touches any of them, or each would wait for the other (a deadlock). The same order holds for
//! every write path: `lock_seq_counter` before the first `INSERT`/`UPDATE`/`DELETE`, and
//! `lock_group` (where all group writes start) takes the counter first itself. Writes that log
//! nothing (sessions, throttle counts, password hashes) never take the counter and each holds at
//! most one user's row, so they may make a writer wait but cannot close a cycle with it.
//!
//! # Who sees a change
//! A change row is scoped in one of three ways: `target_user_id` (only that user: snapshots
//! given on joining, one's own profile, a leaver's final delete), `conversation_id` (every
//! current member of that conversation), or `subject_user_id` (a profile, seen by everyone who
//! shares a conversation with its owner). When someone gains access to a conversation they are
//! given a targeted snapshot of its current state, so history written before their cursor
//! reaches them.
//!
//! # History of a new member
//! Joining a group never copies its history (a million messages would be a million rows
//! written under the counter's lock). The add logs a targeted join marker (kind `conversation`,
//! op `join`, never served itself) and reserves the block of seqs after it, one for each seq
//! from the conversation's first change to the add, at the cost of one counter bump; the
//! member's `joined_seq` is the block's end. Sync hides the conversation's own changes before
//! `joined_seq` from that member and, on reaching the marker, serves the conversation's message
//! and read changes of that span at their places in the block, so pages keep their order and
//! cursors (a cursor inside the block resumes it). Only the membership that wrote the marker is
//! served its block: a removed member is not, a rejoined one gets the newer block.
//!
//! # Live fan-out
//! After a commit the store pokes a local `watch` with the newest seq; on PostgreSQL it also
//! sends `NOTIFY lodestar_changes` *after* the commit (never inside it), and every instance's
//! listener pokes its own `watch`. WebSocket tasks then pull what their user may see.

#[macro_use]
mod sql;
mod account_data;
mod media;
pub(crate) mod mentorship_records;
mod message_actions;
mod postgres;
mod program;
pub(crate) mod records;
mod safety;
pub(crate) mod safety_records;
mod sqlite;
mod stats;
mod traits;

use chrono::{DateTime, Utc};
use lodestar_protocol::validate::{MessageBody, NewUser};
use lodestar_protocol::{Conversation, Message};
use uuid::Uuid;

pub use account_data::AccountDataStore;
pub use lodestar_protocol::validate::attachment_url as media_url;
pub use media::{MediaRecord, MediaStore};
pub use message_actions::MessageActionStore;
pub use postgres::PgStore;
pub use program::ProgramStore;
pub use safety::{FiledReport, SafetyStore};
pub use sqlite::SqliteStore;
pub use stats::StatsStore;
pub use traits::{
    AccountStore, ConversationStore, GroupStore, MentorshipStore, ProfileStore, RequestStore,
    SessionStore, Store, SyncStore,
};

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
    /// The change would break a rule that only the stored state can check (e.g. a group's
    /// last owner stepping down).
    #[error("{field}: {code}")]
    Rule {
        /// The field at fault.
        field: &'static str,
        /// The rule code.
        code: &'static str,
    },
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations failed at start.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value could not be read back (a bug or a hand-edited database).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// The batch this request was committed in failed as a whole (every request in it gets
    /// the same error).
    #[error("{0}")]
    Batch(std::sync::Arc<StoreError>),
    /// The server is shutting down and takes no more writes.
    #[error("the server is shutting down")]
    Stopped,
    /// A rule of the program refuses the action (PROGRAM.md); nothing was written.
    #[error("{0}")]
    Refused(Refusal),
}

/// Why the program's rules refuse an action, each answering its own status and code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// 409 `conflict`: a pending request to, or an active mentorship with, that mentor exists.
    #[error("you already have a pending request to, or a mentorship with, this mentor")]
    AlreadyAsked,
    /// 409 `limit_reached`: the mentee has as many pending requests as allowed.
    #[error("you have 5 pending requests; wait for an answer or withdraw one")]
    TooManyPending,
    /// 409 `unavailable`: the mentor is not accepting requests or has no open slot.
    #[error("this mentor has no open slot or is not accepting requests")]
    MentorUnavailable,
    /// 409 `not_pending`: the request was already answered, withdrawn or expired.
    #[error("this request is no longer pending")]
    NotPending,
    /// 409 `conflict`: the mentorship has ended and is read-only.
    #[error("this mentorship has ended and can no longer be changed")]
    Ended,
    /// 403 `forbidden`: the caller is the other party of what they name (a mentee accepting,
    /// a mentor withdrawing).
    #[error("only the other person of this request may do that")]
    WrongParty,
    /// 403 `forbidden`: a session is confirmed by the person who did not propose it.
    #[error("the other person confirms a session you proposed")]
    OwnProposal,
    /// 409 `conflict`: the session was cancelled and can no longer be changed.
    #[error("this session was cancelled")]
    Cancelled,
    /// 403 `blocked`: one of the two people has blocked the other.
    #[error("one of you has blocked the other")]
    Blocked,
    /// 403 `safeguarding`: a minor and an adult talk directly only inside an active mentorship
    /// between the two.
    #[error("a minor and an adult can only message each other inside a mentorship between them")]
    Safeguarding,
    /// 409 `conflict`: the message is not (or no longer) held.
    #[error("this message is not waiting for review")]
    NotHeld,
    /// 409 `conflict`: the report was resolved already.
    #[error("this report was already resolved")]
    Resolved,
    /// 409 `limit_reached`: the reporter has as many open reports as allowed.
    #[error("you have 20 open reports; the program's coordinators will look at them first")]
    TooManyReports,
    /// 403 `forbidden`: only a message's sender changes it (and a group's owners and admins
    /// delete in it).
    #[error("only the person who sent this message may do that")]
    NotSender,
    /// 403 `forbidden`: a message's text can be changed for 24 hours after it was sent.
    #[error("a message can be edited for 24 hours after it was sent")]
    EditWindow,
    /// 409 `conflict`: the message was deleted.
    #[error("this message was deleted")]
    Deleted,
    /// 409 `conflict`: the message waits for a coordinator (or was rejected by one).
    #[error("this message is with your program's coordinators; delete it and send a new one")]
    Held,
}

impl StoreError {
    /// A machine-readable code for logs.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Conflict(_) => "conflict",
            StoreError::NotFound => "not_found",
            StoreError::Rule { .. } => "rule",
            StoreError::Database(_) => "database",
            StoreError::Migrate(_) => "migrate",
            StoreError::Corrupt(_) => "corrupt",
            StoreError::Batch(e) => e.code(),
            StoreError::Stopped => "stopped",
            StoreError::Refused(_) => "refused",
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
    /// When the sender says they sent it. Stored as given when it is in the past or within the
    /// clock skew; later than that it is stored as the time the store accepts it
    /// (`records::accepted_sent_at`).
    pub sent_at: DateTime<Utc>,
    /// The message of the same conversation it answers.
    pub reply_to: Option<Uuid>,
}

/// Who a logged change is for: its `changes` row without the data (see "Who sees a change").
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeScope {
    /// Its seq.
    pub seq: i64,
    /// What changed.
    pub kind: lodestar_protocol::ChangeKind,
    /// Every member of this conversation sees it.
    pub conversation_id: Option<Uuid>,
    /// Everyone sharing a conversation with this user sees it.
    pub subject_user_id: Option<Uuid>,
    /// Only this user sees it.
    pub target_user_id: Option<Uuid>,
}

/// A mentorship request as the store takes it: validated, from the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRequest {
    /// Client-made id (the idempotency key).
    pub request_id: Uuid,
    /// The mentor asked.
    pub mentor_id: Uuid,
    /// The validated message.
    pub message: String,
}

/// What a login needs to check a password.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    /// The account.
    pub user_id: Uuid,
    /// The argon2id PHC string.
    pub password_hash: String,
    /// Why the account is suspended, when it is.
    pub suspended: Option<String>,
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
