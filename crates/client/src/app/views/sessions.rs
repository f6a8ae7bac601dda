//! Sessions as the mentorship panel shows them (times in UTC: the UI writes them in the user's
//! own zone and the proposer's), the forms that propose, move and rate one, and the notes.

use chrono::{DateTime, Utc};
use lodestar_protocol::{Feedback, Session, SessionStatus};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::mentorship::{person, PersonRef};
use crate::error::ClientResult;
use crate::replica::mentorship::Marks;
use crate::replica::Replica;

/// A session of the mentorship, as the panel's timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MeetingView {
    /// The session.
    pub session_id: Uuid,
    /// RFC 3339 (UTC).
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub starts_at: DateTime<Utc>,
    /// Minutes.
    pub duration_minutes: i32,
    /// The proposer's IANA zone.
    pub time_zone: String,
    /// A video link or a place.
    pub location: Option<String>,
    /// What to talk about.
    pub agenda: Option<String>,
    /// Proposed, confirmed or cancelled.
    pub status: SessionStatus,
    /// Who proposed it (or last moved it).
    pub proposed_by: PersonRef,
    /// Why it was cancelled, if it was and they said.
    pub cancel_reason: Option<String>,
    /// Confirmed and over.
    pub held: bool,
    /// The user may confirm it (proposed by the other person, still ahead).
    pub can_confirm: bool,
    /// The shared notes as this device has them.
    pub notes: String,
    /// The user's own feedback, once given.
    pub my_feedback: Option<Feedback>,
    /// A change to it waits in the outbox.
    pub pending: bool,
    /// The server refused the last change, for this reason.
    pub failed: Option<String>,
}

/// A session as the panel shows it.
pub async fn session_view(
    replica: &Replica,
    me: Uuid,
    x: &Session,
    marks: &Marks,
    now: DateTime<Utc>,
) -> ClientResult<MeetingView> {
    let mark = marks.of(&[
        ("session", x.session_id),
        ("session_step", x.session_id),
        ("notes", x.session_id),
        ("feedback", x.session_id),
    ]);
    Ok(MeetingView {
        session_id: x.session_id,
        starts_at: x.starts_at,
        duration_minutes: x.duration_minutes,
        time_zone: x.time_zone.clone(),
        location: x.location.clone(),
        agenda: x.agenda.clone(),
        status: x.status,
        proposed_by: person(replica, x.proposed_by).await?,
        cancel_reason: x.cancel_reason.clone(),
        held: x.held(now),
        can_confirm: x.status == SessionStatus::Proposed
            && x.proposed_by != me
            && x.starts_at > now,
        notes: replica.notes(x.session_id).await?,
        my_feedback: replica.feedback(x.session_id).await?,
        pending: mark.pending,
        failed: mark.failed,
    })
}

/// The session form: `session_id` null proposes one; on an edit, null fields stay as they are
/// (a new time or length makes it proposed again).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SessionEdit {
    /// The session edited; none for a new one.
    pub session_id: Option<Uuid>,
    /// The wall-clock start, `YYYY-MM-DDTHH:MM` (a `datetime-local` input) in `time_zone`.
    pub starts_local: Option<String>,
    /// The IANA zone of `starts_local` (the user's own).
    pub time_zone: Option<String>,
    /// Minutes, 15 to 240.
    pub duration_minutes: Option<i64>,
    /// A video link or a place (blank clears).
    pub location: Option<String>,
    /// What to talk about (blank clears).
    pub agenda: Option<String>,
}

/// The feedback form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FeedbackEdit {
    /// 1 to 5.
    pub rating: i64,
    /// `good`, `unsure` or `poor`.
    pub fit: String,
    /// Anything else (optional).
    pub comment: Option<String>,
}
