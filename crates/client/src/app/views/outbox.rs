//! The outbox as its screen lists it.

use serde::Serialize;
use uuid::Uuid;

use crate::replica::{OutboxEntry, OutboxState};

/// An outbox entry as the outbox view lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "OutboxEntry"))]
pub struct OutboxView {
    /// Its place in the queue.
    pub id: i64,
    /// What it does, as stored (`message`, `read`, `profile`, `open_direct`, or a newer
    /// version's kind).
    pub kind: String,
    /// What kind of thing, for people ("Message", "Read receipt", "Profile change").
    pub title: String,
    /// Which one, for people ("see you at noon", "3 messages", "bio, city").
    pub summary: String,
    /// The conversation it concerns.
    pub conversation_id: Option<Uuid>,
    /// The message, for messages.
    pub message_id: Option<Uuid>,
    /// The entry it waits for, until that one is sent.
    pub depends_on: Option<i64>,
    /// Where it stands.
    pub state: OutboxState,
    /// Sending attempts so far.
    pub attempts: i64,
    /// The server's reason, once failed or blocked.
    pub last_error: Option<String>,
}

impl From<OutboxEntry> for OutboxView {
    fn from(e: OutboxEntry) -> Self {
        let summary = e.summary();
        OutboxView {
            id: e.id,
            title: summary.title,
            summary: summary.detail,
            conversation_id: e.conversation_id(),
            message_id: e.message_id(),
            depends_on: e.depends_on,
            kind: e.kind,
            state: e.state,
            attempts: e.attempts,
            last_error: e.last_error,
        }
    }
}
