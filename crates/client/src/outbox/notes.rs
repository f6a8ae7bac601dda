//! An edit of a session's notes as an outbox action: one yrs update (base64), sent to be merged.
//! Edits typed while one waits fold into it (the two updates merged into one), so a long
//! offline afternoon of typing is one request; merging on the server is idempotent, so an edit
//! sent again after a crash changes nothing.

use lodestar_protocol::{NotesUpdateRequest, SessionNotes};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Action, Lane, Subject, Summary, Tx};
use crate::api::Api;
use crate::error::ClientResult;
use crate::replica::mentorship::store_notes;

/// The largest folded update (bytes): with base64 it stays well inside the server's 64 KiB body.
const FOLD_MAX: usize = 40 * 1024;

/// `POST /v1/sessions/{id}/notes`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EditNotes {
    /// Its mentorship (the lane).
    pub mentorship_id: Uuid,
    /// The session.
    pub session_id: Uuid,
    /// Base64 of the yrs v1 update.
    pub update: String,
}

impl EditNotes {
    /// An edit carrying `update`.
    pub fn new(mentorship_id: Uuid, session_id: Uuid, update: &[u8]) -> Self {
        EditNotes { mentorship_id, session_id, update: lodestar_notes::encode(update) }
    }
}

impl Action for EditNotes {
    type Sent = SessionNotes;

    /// After the session's own proposal, when that was made offline too.
    fn lane(&self) -> Lane {
        Lane::Mentorship(self.mentorship_id)
    }

    fn subject(&self) -> Subject {
        Subject { kind: "notes", id: self.session_id }
    }

    fn waits_for(&self) -> Option<Subject> {
        Some(Subject { kind: "session", id: self.session_id })
    }

    fn summary(&self) -> Summary {
        Summary { title: "Session notes".to_owned(), detail: "edits to merge".to_owned() }
    }

    fn fold(&mut self, newer: &Self) -> bool {
        let decode = |u: &str| lodestar_notes::decode(u).ok();
        let (Some(a), Some(b)) = (decode(&self.update), decode(&newer.update)) else {
            return false;
        };
        match lodestar_notes::combine(&a, &b) {
            Ok(both) if both.len() <= FOLD_MAX => {
                self.update = lodestar_notes::encode(&both);
                true
            }
            _ => false,
        }
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<SessionNotes> {
        api.merge_notes(self.session_id, &NotesUpdateRequest { update: self.update.clone() }).await
    }

    /// The server's merged document joins the local one (which may hold newer typing).
    async fn acked(&self, tx: &mut Tx, sent: &SessionNotes) -> ClientResult<()> {
        store_notes(tx, sent).await
    }
}
