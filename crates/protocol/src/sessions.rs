//! Sessions of a mentorship (PROGRAM.md): meetings proposed by one of the two people and
//! confirmed by the other, moved (which makes them proposed again) or cancelled, and the
//! feedback each person may give once a confirmed one has ended.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::double_option;

status_enum! {
    /// Where a session stands.
    SessionStatus {
        /// Waiting for the other person to confirm.
        Proposed = "proposed",
        /// Both agreed.
        Confirmed = "confirmed",
        /// Called off.
        Cancelled = "cancelled",
    }
}

status_enum! {
    /// How a mentee or mentor feels the pairing fits, after a session.
    Fit {
        /// A good pairing.
        Good = "good",
        /// Too early to say.
        Unsure = "unsure",
        /// Not working.
        Poor = "poor",
    }
}

/// A meeting of a mentorship's two people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Session {
    /// Made by the client; the idempotency key (and the calendar file's UID).
    pub session_id: Uuid,
    /// Its mentorship.
    pub mentorship_id: Uuid,
    /// When it starts (UTC).
    pub starts_at: DateTime<Utc>,
    /// 15 to 240.
    pub duration_minutes: i32,
    /// The proposer's IANA time zone, for display and the calendar file.
    pub time_zone: String,
    /// A video link or a place; up to 255 characters.
    pub location: Option<String>,
    /// Up to 5,000 characters.
    pub agenda: Option<String>,
    /// Where it stands.
    pub status: SessionStatus,
    /// Who proposed it (or last moved it).
    pub proposed_by: Uuid,
    /// When the other person confirmed it.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Who cancelled it.
    pub cancelled_by: Option<Uuid>,
    /// Why, if they said.
    pub cancel_reason: Option<String>,
    /// Rises with every change (the calendar file's SEQUENCE).
    pub sequence: i32,
    /// When it was proposed first.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Session {
    /// When it ends.
    pub fn ends_at(&self) -> DateTime<Utc> {
        self.starts_at + chrono::TimeDelta::minutes(i64::from(self.duration_minutes))
    }

    /// Confirmed and over: feedback may be given.
    pub fn held(&self, now: DateTime<Utc>) -> bool {
        self.status == SessionStatus::Confirmed && self.ends_at() <= now
    }

    /// The session as one RFC 5545 event (`text/calendar`): a stable UID, a SEQUENCE rising with
    /// each change, a STATUS following the session. The server's `calendar.ics` and the app's
    /// "Add to calendar" both use this one.
    pub fn calendar_file(&self) -> String {
        use icalendar::{Calendar, Component, EventLike, EventStatus};
        let status = match self.status {
            SessionStatus::Proposed => EventStatus::Tentative,
            SessionStatus::Confirmed => EventStatus::Confirmed,
            SessionStatus::Cancelled => EventStatus::Cancelled,
        };
        let mut event = icalendar::Event::new();
        event
            .uid(&format!("{}@lodestar", self.session_id))
            .sequence(u32::try_from(self.sequence).unwrap_or(0))
            .timestamp(self.updated_at)
            .summary("Mentorship session")
            .starts(self.starts_at)
            .ends(self.ends_at())
            .status(status);
        if let Some(location) = &self.location {
            event.location(location);
        }
        if let Some(agenda) = &self.agenda {
            event.description(agenda);
        }
        Calendar::new().name("Lodestar").push(event.done()).done().to_string()
    }
}

/// `POST /v1/mentorships/{id}/sessions`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSessionRequest {
    /// Made by the client; the idempotency key.
    pub session_id: Uuid,
    /// RFC 3339, in the future.
    pub starts_at: String,
    /// 15 to 240.
    pub duration_minutes: i64,
    /// An IANA time zone (`America/Chicago`).
    pub time_zone: String,
    /// A video link or a place.
    #[serde(default)]
    pub location: Option<String>,
    /// What to talk about.
    #[serde(default)]
    pub agenda: Option<String>,
}

/// `PATCH /v1/sessions/{id}`: absent fields stay, `null` clears an optional one; a new time
/// makes the session proposed again, by the editor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSessionRequest {
    /// RFC 3339, in the future.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<String>,
    /// 15 to 240.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<i64>,
    /// An IANA time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// A video link or a place; `null` clears it.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub location: Option<Option<String>>,
    /// What to talk about; `null` clears it.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub agenda: Option<Option<String>>,
}

/// How a session went, for one of its two people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Feedback {
    /// The session.
    pub session_id: Uuid,
    /// Who wrote it.
    pub author_id: Uuid,
    /// 1 to 5.
    pub rating: i32,
    /// How the pairing fits.
    pub fit: Fit,
    /// Up to 2,000 characters.
    pub comment: Option<String>,
    /// When it was given (or last replaced).
    pub created_at: DateTime<Utc>,
}

/// `POST /v1/sessions/{id}/feedback`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    /// 1 to 5.
    pub rating: i64,
    /// `good`, `unsure` or `poor`.
    pub fit: String,
    /// Up to 2,000 characters.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A session's shared notes: what they read as, and the merged document they come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SessionNotes {
    /// The session.
    pub session_id: Uuid,
    /// The merged text.
    pub text: String,
    /// The whole document: base64 of a yrs (Yjs) v1 update. A client merges it into its own
    /// copy; merging what it already has changes nothing.
    pub state: String,
    /// When an edit last reached the server.
    pub updated_at: Option<DateTime<Utc>>,
}

/// `POST /v1/sessions/{id}/notes`: one client's edits, merged into the session's document (the
/// server reads every update with lodestar-notes' strict reader before yrs sees it).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotesUpdateRequest {
    /// Base64 of a yrs (Yjs) v1 update (lodestar-notes' `edit` makes one from the typed text).
    pub update: String,
}
