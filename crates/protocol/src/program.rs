//! The program's safety (PROGRAM.md, "Safety and the program"): blocking, reports and their
//! resolutions, suspension, and the coordinators' trail of who did what.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use std::collections::BTreeMap;

use crate::{Message, Profile};

/// `POST /v1/blocks`: whom to block.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockRequest {
    /// The person blocked.
    pub user_id: Uuid,
}

/// `GET /v1/blocks`: whom the caller has blocked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BlockList {
    /// By username.
    pub blocked: Vec<Profile>,
}

status_enum! {
    /// Why someone is reported.
    ReportReason {
        /// Unwanted, hostile or repeated contact.
        Harassment = "harassment",
        /// Advertising, scams, bulk messages.
        Spam = "spam",
        /// Content that has no place in the program.
        Inappropriate = "inappropriate",
        /// Someone may be in danger.
        Safety = "safety",
        /// Anything else; the details say what.
        Other = "other",
    }
}

status_enum! {
    /// Where a report stands.
    ReportStatus {
        /// Waiting for a coordinator.
        Open = "open",
        /// A coordinator acted on it.
        Resolved = "resolved",
    }
}

status_enum! {
    /// What a coordinator did about a report.
    ReportAction {
        /// Nothing to act on.
        Dismiss = "dismiss",
        /// The reported person was warned.
        Warn = "warn",
        /// The reported person was suspended.
        Suspend = "suspend",
    }
}

status_enum! {
    /// A line of the coordinators' trail.
    AuditAction {
        /// A report was dismissed.
        ReportDismissed = "report_dismissed",
        /// A report's subject was warned.
        Warned = "warned",
        /// A member was suspended.
        Suspended = "suspended",
        /// A member's suspension was lifted.
        Unsuspended = "unsuspended",
        /// A held message was released to its conversation.
        MessageReleased = "message_released",
        /// A held message was rejected.
        MessageRejected = "message_rejected",
    }
}

/// `POST /v1/reports`: a member reports someone, perhaps one of their messages.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// Made by the client: the idempotency key.
    pub report_id: Uuid,
    /// The person reported.
    pub user_id: Uuid,
    /// One of their messages, in a conversation the reporter takes part in.
    #[serde(default)]
    pub message_id: Option<Uuid>,
    /// `harassment`, `spam`, `inappropriate`, `safety` or `other`.
    pub reason: String,
    /// What happened, up to 2,000 characters.
    #[serde(default)]
    pub details: Option<String>,
}

/// What a coordinator decided about a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Resolution {
    /// Dismiss, warn or suspend.
    pub action: ReportAction,
    /// The coordinator's note.
    pub note: Option<String>,
    /// The coordinator (null once their account is deleted).
    pub resolved_by: Option<Uuid>,
    /// When.
    pub resolved_at: DateTime<Utc>,
}

/// A report as coordinators see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Report {
    /// The reporter's id for it.
    pub report_id: Uuid,
    /// Who reported (null once their account is deleted).
    pub reporter_id: Option<Uuid>,
    /// Who was reported (null once their account is deleted).
    pub user_id: Option<Uuid>,
    /// The message reported, if one was.
    pub message_id: Option<Uuid>,
    /// Why.
    pub reason: ReportReason,
    /// The reporter's words.
    pub details: Option<String>,
    /// Open or resolved.
    pub status: ReportStatus,
    /// When it was filed.
    pub created_at: DateTime<Utc>,
    /// Once resolved.
    pub resolution: Option<Resolution>,
    /// The reported message and the five before it in its conversation, oldest first.
    pub context: Vec<Message>,
}

/// `GET /v1/admin/reports`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportList {
    /// Newest first.
    pub reports: Vec<Report>,
    /// Everyone the reports and their context name, to show names beside ids.
    pub users: Vec<Profile>,
}

/// `GET /v1/admin/reports?status=`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, utoipa::IntoParams)]
pub struct ReportsQuery {
    /// `open` (the default) or `resolved`.
    pub status: Option<String>,
}

/// `POST /v1/admin/reports/{id}/resolve`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    /// `dismiss`, `warn` or `suspend`.
    pub action: String,
    /// Up to 500 characters; for a suspension, the reason given to the member.
    #[serde(default)]
    pub note: Option<String>,
}

/// `POST /v1/admin/users/{id}/suspend`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuspendRequest {
    /// Why, 1 to 500 characters: kept in the trail and told to the member at login.
    pub reason: String,
}

/// A suspended member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Suspension {
    /// Who.
    pub user: Profile,
    /// Why.
    pub reason: String,
    /// Since when.
    pub suspended_at: DateTime<Utc>,
    /// The coordinator who suspended them (null once their account is deleted).
    pub suspended_by: Option<Uuid>,
}

/// `GET /v1/admin/suspended`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SuspensionList {
    /// Most recent first.
    pub suspended: Vec<Suspension>,
}

/// A line of the coordinators' trail: written once, never changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditEntry {
    /// Its place in the trail.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub audit_id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// The coordinator (null once their account is deleted).
    pub actor_id: Option<Uuid>,
    /// What was done.
    pub action: AuditAction,
    /// To whom.
    pub user_id: Option<Uuid>,
    /// The report it resolved.
    pub report_id: Option<Uuid>,
    /// The held message it released or rejected.
    pub message_id: Option<Uuid>,
    /// The coordinator's note or reason.
    pub note: Option<String>,
}

/// `GET /v1/admin/audit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditList {
    /// Newest first.
    pub entries: Vec<AuditEntry>,
    /// Everyone the entries name.
    pub users: Vec<Profile>,
    /// Whether older entries exist (`?before=` the last `audit_id`).
    pub has_more: bool,
}

/// `GET /v1/admin/audit?before=&limit=`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Entries before this `audit_id`.
    pub before: Option<i64>,
    /// 1 to 200; 50 by default.
    pub limit: Option<i64>,
}

/// `GET /v1/admin/held`: messages waiting for a coordinator, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HeldList {
    /// Each with `status: held` and its `held_reason`.
    pub messages: Vec<Message>,
    /// Each held message's id to the person it was sent to.
    pub recipients: BTreeMap<Uuid, Uuid>,
    /// Everyone the messages name: their senders and recipients.
    pub users: Vec<Profile>,
}

/// `GET /v1/me/export`: everything the server holds about the caller, as one document.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountExport {
    /// When it was made.
    pub exported_at: DateTime<Utc>,
    /// The caller's own record.
    pub me: crate::Me,
    /// Their conversations.
    pub conversations: Vec<crate::ConversationSummary>,
    /// Every message of those conversations they may see, by conversation, oldest first.
    pub messages: Vec<Message>,
    /// Their read receipts.
    pub reads: Vec<crate::Read>,
    /// Their mentorship requests, made and received.
    pub requests: Vec<crate::MentorshipRequest>,
    /// Their mentorships with goals, tasks and sessions.
    pub mentorships: Vec<crate::MentorshipDetail>,
    /// The shared notes of those sessions.
    pub notes: Vec<crate::SessionNotes>,
    /// The feedback they gave.
    pub feedback: Vec<crate::Feedback>,
    /// Whom they blocked.
    pub blocked: Vec<Profile>,
    /// The reports they filed (without others' context).
    pub reports: Vec<Report>,
}

/// `DELETE /v1/me`: the password, to be sure.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccountRequest {
    /// The current password.
    pub password: String,
}
