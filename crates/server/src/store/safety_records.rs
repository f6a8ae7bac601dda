//! Rows of the safety tables (migration 0012) and their wire forms.

use chrono::{DateTime, Utc};
use lodestar_protocol::{
    AuditAction, AuditEntry, Message, Report, ReportAction, ReportReason, ReportStatus, Resolution,
};
use uuid::Uuid;

use super::StoreError;

/// The columns of `reports` in `ReportRow`'s order.
macro_rules! report_columns {
    () => {
        "report_id, reporter_id, user_id, message_id, reason, details, status, created_at, \
         action, note, resolved_by, resolved_at"
    };
}
pub(crate) use report_columns;

/// The columns of `audit_log` in `AuditRow`'s order.
macro_rules! audit_columns {
    () => {
        "audit_id, at, actor_id, action, user_id, report_id, message_id, note"
    };
}
pub(crate) use audit_columns;

/// A `reports` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ReportRow {
    pub report_id: Uuid,
    pub reporter_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub message_id: Option<Uuid>,
    pub reason: String,
    pub details: Option<String>,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub action: Option<String>,
    pub note: Option<String>,
    pub resolved_by: Option<Uuid>,
    pub resolved_at: Option<DateTime<Utc>>,
}

fn parsed<T>(value: &str, parse: fn(&str) -> Option<T>, what: &str) -> Result<T, StoreError> {
    parse(value).ok_or_else(|| StoreError::Corrupt(format!("{what} `{value}`")))
}

impl ReportRow {
    /// The wire form, with its context (oldest first).
    pub fn into_report(self, context: Vec<Message>) -> Result<Report, StoreError> {
        let resolution = match (self.action.as_deref(), self.resolved_at) {
            (Some(action), Some(resolved_at)) => Some(Resolution {
                action: parsed(action, ReportAction::parse, "report action")?,
                note: self.note,
                resolved_by: self.resolved_by,
                resolved_at,
            }),
            _ => None,
        };
        Ok(Report {
            report_id: self.report_id,
            reporter_id: self.reporter_id,
            user_id: self.user_id,
            message_id: self.message_id,
            reason: parsed(&self.reason, ReportReason::parse, "report reason")?,
            details: self.details,
            status: parsed(&self.status, ReportStatus::parse, "report status")?,
            created_at: self.created_at,
            resolution,
            context,
        })
    }

    /// Everyone the report names.
    pub fn people(&self) -> impl Iterator<Item = Uuid> {
        [self.reporter_id, self.user_id, self.resolved_by].into_iter().flatten()
    }
}

/// An `audit_log` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct AuditRow {
    pub audit_id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub user_id: Option<Uuid>,
    pub report_id: Option<Uuid>,
    pub message_id: Option<Uuid>,
    pub note: Option<String>,
}

impl TryFrom<AuditRow> for AuditEntry {
    type Error = StoreError;

    fn try_from(r: AuditRow) -> Result<Self, StoreError> {
        Ok(AuditEntry {
            audit_id: r.audit_id,
            at: r.at,
            actor_id: r.actor_id,
            action: parsed(&r.action, AuditAction::parse, "audit action")?,
            user_id: r.user_id,
            report_id: r.report_id,
            message_id: r.message_id,
            note: r.note,
        })
    }
}

/// A line to append to the trail.
#[derive(Debug, Clone)]
pub(crate) struct AuditLine {
    pub actor: Uuid,
    pub action: AuditAction,
    pub user_id: Option<Uuid>,
    pub report_id: Option<Uuid>,
    pub message_id: Option<Uuid>,
    pub note: Option<String>,
}

/// What a report's resolution writes in the trail.
pub(crate) fn audit_action(action: ReportAction) -> AuditAction {
    match action {
        ReportAction::Dismiss => AuditAction::ReportDismissed,
        ReportAction::Warn => AuditAction::Warned,
        ReportAction::Suspend => AuditAction::Suspended,
    }
}
