//! Reports, suspension and the coordinators' trail (PROGRAM.md, "Safety and the program").
//! Every write a coordinator makes appends a line to the trail in the same transaction, so the
//! trail cannot miss an action that took effect.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use lodestar_protocol::validate::NewReport;
use lodestar_protocol::{
    AuditEntry, HeldList, Message, Profile, Report, ReportAction, ReportStatus, Suspension,
};
use uuid::Uuid;

use super::StoreResult;

/// A report as filed: who, about whom, which message.
#[derive(Debug, Clone)]
pub struct FiledReport {
    /// The reporter's id for it.
    pub report_id: Uuid,
    /// The reporter.
    pub reporter_id: Uuid,
    /// The person reported.
    pub user_id: Uuid,
    /// One of their messages.
    pub message_id: Option<Uuid>,
    /// Reason and details.
    pub body: NewReport,
}

/// Reports, suspensions, the trail.
#[async_trait]
pub trait SafetyStore: Send + Sync + 'static {
    /// Whether `user` is one of the program's coordinators.
    async fn is_coordinator(&self, user: Uuid) -> StoreResult<bool>;
    /// Files a report; answers whether this made it (`false`: the reporter filed this id
    /// already). `NotFound` for an unknown user; `Rule` when the message is not one of the
    /// reported person's in a conversation the reporter takes part in (`message_id:
    /// not_theirs`), or names the reporter (`user_id: self`); `Conflict` when the id is another
    /// reporter's.
    async fn file_report(&self, report: FiledReport, now: DateTime<Utc>) -> StoreResult<bool>;
    /// The reports in `status`, newest first, each with its context, and everyone they name.
    async fn reports(
        &self,
        status: ReportStatus,
        today: NaiveDate,
    ) -> StoreResult<(Vec<Report>, Vec<Profile>)>;
    /// Resolves an open report (`Refused(Resolved)` when it is not open), suspending its
    /// subject for `suspend` (the note is the reason); appends the trail.
    async fn resolve_report(
        &self,
        actor: Uuid,
        report_id: Uuid,
        action: ReportAction,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> StoreResult<Report>;
    /// Suspends `user`: every token revoked, sign-in refused, gone from the directory and
    /// matches. Answers whether this suspended them (`false`: they were already). `Rule` for
    /// oneself (`user_id: self`).
    async fn suspend(
        &self,
        actor: Uuid,
        user: Uuid,
        reason: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Lifts a suspension (nothing when there was none). `NotFound` for an unknown user.
    async fn unsuspend(&self, actor: Uuid, user: Uuid, now: DateTime<Utc>) -> StoreResult<()>;
    /// The suspended members, most recent first.
    async fn suspended(&self, today: NaiveDate) -> StoreResult<Vec<Suspension>>;
    /// Which of `users` are suspended (what a closing socket tells its client).
    async fn suspended_among(&self, users: &[Uuid]) -> StoreResult<Vec<Uuid>>;
    /// The held messages, oldest first, with their recipients and everyone they name.
    async fn held(&self, today: NaiveDate) -> StoreResult<HeldList>;
    /// Releases (`true`: delivered to the conversation, at a new place in it) or rejects a
    /// held message; appends the trail. `NotFound` for an unknown message, `Refused(NotHeld)`
    /// when it is not held.
    async fn review_held(
        &self,
        actor: Uuid,
        message_id: Uuid,
        release: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<Message>;
    /// The trail, newest first: at most `limit` entries before `before`, whether older exist,
    /// and everyone the entries name.
    async fn audit(
        &self,
        before: Option<i64>,
        limit: i64,
        today: NaiveDate,
    ) -> StoreResult<(Vec<AuditEntry>, bool, Vec<Profile>)>;
}
