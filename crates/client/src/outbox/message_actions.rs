//! What the user does to a message after sending it (API.md, "Richer messages"), offline like
//! the send: an edit, a delete or a reaction shows at once and is queued in the message's
//! conversation lane, so it reaches the server after the send it follows. Each carries what it
//! replaced, so a refusal or a discard puts the message back as the server still has it.

use chrono::{DateTime, Utc};
use lodestar_protocol::Message;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Action, Lane, Subject, Summary, Tx};
use crate::api::Api;
use crate::error::ClientResult;
use crate::replica::Replica;

/// The text of a message before a revision made here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Before {
    /// Its text.
    pub content: Option<String>,
    /// Its media.
    pub media_url: Option<String>,
    /// When it was last edited.
    pub edited_at: Option<DateTime<Utc>>,
}

/// `PATCH /v1/messages/{id}`: new text for one's own message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EditMessage {
    /// The message.
    pub message_id: Uuid,
    /// Its conversation (the lane).
    pub conversation_id: Uuid,
    /// The new text.
    pub content: String,
    /// What the server still has.
    pub before: Before,
}

/// `DELETE /v1/messages/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeleteMessage {
    /// The message.
    pub message_id: Uuid,
    /// Its conversation (the lane).
    pub conversation_id: Uuid,
    /// What the server still has.
    pub before: Before,
}

/// `PUT` or `DELETE /v1/messages/{id}/reactions/{emoji}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct React {
    /// The message.
    pub message_id: Uuid,
    /// Its conversation (the lane).
    pub conversation_id: Uuid,
    /// Who reacts (the user).
    pub user_id: Uuid,
    /// The emoji.
    pub emoji: String,
    /// Added (`true`) or taken back.
    pub on: bool,
}

/// Puts a message's text back as it was before a revision made here.
async fn restore(tx: &mut Tx, message_id: Uuid, before: &Before) -> ClientResult<()> {
    sqlx::query(
        "UPDATE messages SET content = $2, media_url = $3, edited_at = $4, deleted_at = NULL WHERE message_id = $1",
    )
    .bind(message_id)
    .bind(&before.content)
    .bind(&before.media_url)
    .bind(before.edited_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// [`restore`] in a transaction of its own (a refusal, heard outside the push's).
async fn restore_now(replica: &Replica, message_id: Uuid, before: &Before) -> ClientResult<()> {
    let mut tx = replica.write().await?;
    restore(&mut tx, message_id, before).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes the server's copy of a revised message (acknowledged: its times are the server's).
async fn revised(tx: &mut Tx, m: &Message) -> ClientResult<()> {
    sqlx::query(
        "UPDATE messages SET content = $2, media_url = $3, edited_at = $4, deleted_at = $5 WHERE message_id = $1",
    )
    .bind(m.message_id)
    .bind(&m.content)
    .bind(&m.media_url)
    .bind(m.edited_at)
    .bind(m.deleted_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Action for EditMessage {
    type Sent = Message;

    fn lane(&self) -> Lane {
        Lane::Conversation(self.conversation_id)
    }

    fn subject(&self) -> Subject {
        Subject { kind: "edit", id: self.message_id }
    }

    fn waits_for(&self) -> Option<Subject> {
        Some(Subject { kind: "message", id: self.message_id })
    }

    fn summary(&self) -> Summary {
        Summary {
            title: "Edit".to_owned(),
            detail: crate::engine::notify::preview_text(&self.content),
        }
    }

    /// Edits made offline send only the last text (and remember the first one's before).
    fn fold(&mut self, newer: &Self) -> bool {
        self.content = newer.content.clone();
        true
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<Message> {
        api.edit_message(self.message_id, &self.content).await
    }

    async fn acked(&self, tx: &mut Tx, sent: &Message) -> ClientResult<()> {
        revised(tx, sent).await
    }

    async fn refused(&self, _: &Api, replica: &Replica) -> ClientResult<()> {
        restore_now(replica, self.message_id, &self.before).await
    }

    async fn discarded(&self, tx: &mut Tx) -> ClientResult<()> {
        restore(tx, self.message_id, &self.before).await
    }
}

impl Action for DeleteMessage {
    type Sent = ();

    fn lane(&self) -> Lane {
        Lane::Conversation(self.conversation_id)
    }

    fn subject(&self) -> Subject {
        Subject { kind: "delete", id: self.message_id }
    }

    fn waits_for(&self) -> Option<Subject> {
        Some(Subject { kind: "message", id: self.message_id })
    }

    fn summary(&self) -> Summary {
        let detail = self.before.content.as_deref().map(crate::engine::notify::preview_text);
        Summary { title: "Delete".to_owned(), detail: detail.unwrap_or_default() }
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<()> {
        api.delete_message(self.message_id).await
    }

    async fn refused(&self, _: &Api, replica: &Replica) -> ClientResult<()> {
        restore_now(replica, self.message_id, &self.before).await
    }

    async fn discarded(&self, tx: &mut Tx) -> ClientResult<()> {
        restore(tx, self.message_id, &self.before).await
    }
}

impl Action for React {
    type Sent = ();

    fn lane(&self) -> Lane {
        Lane::Conversation(self.conversation_id)
    }

    fn subject(&self) -> Subject {
        Subject { kind: "reaction", id: self.message_id }
    }

    fn waits_for(&self) -> Option<Subject> {
        Some(Subject { kind: "message", id: self.message_id })
    }

    fn summary(&self) -> Summary {
        let title = if self.on { "Reaction" } else { "Reaction taken back" };
        Summary { title: title.to_owned(), detail: self.emoji.clone() }
    }

    /// Toggling one emoji offline sends only the last word.
    fn fold(&mut self, newer: &Self) -> bool {
        if newer.emoji != self.emoji {
            return false;
        }
        self.on = newer.on;
        true
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<()> {
        api.react(self.message_id, &self.emoji, self.on).await
    }

    async fn refused(&self, _: &Api, replica: &Replica) -> ClientResult<()> {
        let mut tx = replica.write().await?;
        self.discarded(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn discarded(&self, tx: &mut Tx) -> ClientResult<()> {
        let undo = (!self.on).then(Utc::now);
        crate::replica::reactions::set(tx, self.message_id, self.user_id, &self.emoji, undo).await
    }
}
