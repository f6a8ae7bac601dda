//! Edits, deletes and reactions from the CLI: queued like a send, then pushed at once.

use chrono::Utc;
use uuid::Uuid;

use super::mentorship::Delivery;
use super::Client;
use crate::error::{ClientError, ClientResult};
use crate::outbox::Subject;

impl Client {
    /// Changes the text of one of the user's messages.
    pub async fn edit_message(&self, message_id: Uuid, text: &str) -> ClientResult<Delivery> {
        let a = self.active()?;
        a.replica.queue_edit(a.info.user_id, message_id, text, Utc::now()).await?;
        self.deliver_all(&[
            Subject { kind: "edit", id: message_id },
            Subject { kind: "message", id: message_id },
        ])
        .await
    }

    /// Deletes a message (one's own, or any in a group one owns or administers).
    pub async fn delete_message(&self, message_id: Uuid) -> ClientResult<Delivery> {
        let a = self.active()?;
        a.replica.queue_delete(a.info.user_id, message_id, Utc::now()).await?;
        self.deliver_all(&[
            Subject { kind: "delete", id: message_id },
            Subject { kind: "message", id: message_id },
        ])
        .await
    }

    /// Adds (`on`) or takes back the user's emoji on a message.
    pub async fn react(&self, message_id: Uuid, emoji: &str, on: bool) -> ClientResult<Delivery> {
        let a = self.active()?;
        a.replica.queue_reaction(a.info.user_id, message_id, emoji, on, Utc::now()).await?;
        self.deliver_all(&[
            Subject { kind: "reaction", id: message_id },
            Subject { kind: "message", id: message_id },
        ])
        .await
    }

    /// The message an argument names: its id, or the end (as `messages` shows it) or start of
    /// exactly one id in the replica, at least 4 characters.
    pub async fn message_named(&self, arg: &str) -> ClientResult<Uuid> {
        let arg = arg.trim().to_ascii_lowercase();
        if let Ok(id) = Uuid::parse_str(&arg) {
            return Ok(id);
        }
        if arg.len() < 4 || !arg.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(ClientError::NotFound(
                "message (give its id, or at least 4 characters of it as `messages` shows them)",
            ));
        }
        let found = self.active()?.replica.message_ids_matching(&arg).await?;
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(ClientError::NotFound("message (sync, or check the id)")),
            _ => Err(ClientError::NotFound(
                "single message with those characters (give more of its id)",
            )),
        }
    }
}
