//! One's own data (PROGRAM.md, "One's own data"): the parts of the export no other domain
//! lists, and deleting the account.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lodestar_protocol::{Feedback, Read, Report};
use uuid::Uuid;

use super::StoreResult;

/// A member's own data.
#[async_trait]
pub trait AccountDataStore: Send + Sync + 'static {
    /// The member's own read receipts.
    async fn own_reads(&self, user: Uuid) -> StoreResult<Vec<Read>>;
    /// The feedback the member gave.
    async fn own_feedback(&self, user: Uuid) -> StoreResult<Vec<Feedback>>;
    /// The reports the member filed, without context.
    async fn filed_reports(&self, user: Uuid) -> StoreResult<Vec<Report>>;
    /// Deletes the account: active mentorships end (their other person told), every token
    /// goes, every person who shared a conversation is told to forget the profile, and the
    /// row goes, its messages kept with a null sender. `NotFound` when it is gone already.
    async fn delete_account(&self, user: Uuid, now: DateTime<Utc>) -> StoreResult<()>;
}
