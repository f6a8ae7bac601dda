//! What the user does to a message after sending it (API.md, "Richer messages"), offline like
//! the send: an edit, a delete or a reaction shows at once and is queued in the message's
//! conversation lane, so it reaches the server after the send it follows. Each carries what it
//! replaced, so a refusal or a discard puts the message back as the server still has it.

use chrono::{DateTime, Utc};
use lodestar_protocol::{validate, ErrorCode, Message, EDIT_WINDOW_HOURS};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Action, Lane, OutboxAction, Subject, Summary, Tx};
use crate::api::Api;
use crate::error::{ClientError, ClientResult};
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

/// A stored message as a revision reads it.
#[derive(sqlx::FromRow)]
struct Stored {
    conversation_id: Uuid,
    sender_id: Option<Uuid>,
    content: Option<String>,
    media_url: Option<String>,
    sent_at: DateTime<Utc>,
    seq: Option<i64>,
    edited_at: Option<DateTime<Utc>>,
    deleted_at: Option<DateTime<Utc>>,
}

impl Stored {
    fn before(&self) -> Before {
        Before {
            content: self.content.clone(),
            media_url: self.media_url.clone(),
            edited_at: self.edited_at,
        }
    }
}

async fn stored(tx: &mut Tx, message_id: Uuid) -> ClientResult<Stored> {
    sqlx::query_as(
        "SELECT conversation_id, sender_id, content, media_url, sent_at, seq, edited_at, deleted_at \
         FROM messages WHERE message_id = $1",
    )
    .bind(message_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(ClientError::NotFound("message"))
}

/// The send of a message still waiting in the outbox (not in flight), if any.
async fn waiting_send(tx: &mut Tx, message_id: Uuid) -> ClientResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM outbox WHERE subject = 'message' AND subject_id = $1 AND state <> 'sending'",
    )
    .bind(message_id)
    .fetch_optional(&mut **tx)
    .await?)
}

impl Replica {
    /// Changes the text of the user's own message: shown at once and queued; a message still
    /// waiting in the outbox just gets the new text before it is sent.
    pub async fn queue_edit(
        &self,
        me: Uuid,
        message_id: Uuid,
        content: &str,
        now: DateTime<Utc>,
    ) -> ClientResult<()> {
        let content =
            validate::edit(&lodestar_protocol::EditMessageRequest { content: content.to_owned() })?;
        let mut tx = self.write().await?;
        let m = stored(&mut tx, message_id).await?;
        if m.sender_id != Some(me) {
            return Err(ClientError::rule(
                ErrorCode::Forbidden,
                "only the person who sent this message may do that",
            ));
        }
        if m.deleted_at.is_some() {
            return Err(ClientError::rule(ErrorCode::Conflict, "this message was deleted"));
        }
        if let Some(entry) = waiting_send(&mut tx, message_id).await? {
            sqlx::query(
                "UPDATE outbox SET action = json_set(action, '$.content', $2) WHERE id = $1",
            )
            .bind(entry)
            .bind(&content)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE messages SET content = $2 WHERE message_id = $1")
                .bind(message_id)
                .bind(&content)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(());
        }
        if m.seq.is_some() && now - m.sent_at > chrono::Duration::hours(EDIT_WINDOW_HOURS) {
            return Err(ClientError::rule(
                ErrorCode::Forbidden,
                "a message can be edited for 24 hours after it was sent",
            ));
        }
        let action = EditMessage {
            message_id,
            conversation_id: m.conversation_id,
            content: content.clone(),
            before: m.before(),
        };
        sqlx::query("UPDATE messages SET content = $2, edited_at = $3 WHERE message_id = $1")
            .bind(message_id)
            .bind(&content)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        crate::replica::enqueue(&mut tx, OutboxAction::from(action), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a message (one's own, or any in a group one owns or administers): a tombstone at
    /// once, queued; a message still waiting in the outbox is just dropped with it.
    pub async fn queue_delete(
        &self,
        me: Uuid,
        message_id: Uuid,
        now: DateTime<Utc>,
    ) -> ClientResult<()> {
        let mut tx = self.write().await?;
        let m = stored(&mut tx, message_id).await?;
        if m.deleted_at.is_some() {
            return Ok(());
        }
        if m.sender_id != Some(me) && !self.moderates(&mut tx, me, m.conversation_id).await? {
            return Err(ClientError::rule(
                ErrorCode::Forbidden,
                "only the person who sent this message may do that",
            ));
        }
        if let Some(entry) = waiting_send(&mut tx, message_id).await? {
            crate::replica::outbox::drop_entry(&mut tx, entry).await?;
            tx.commit().await?;
            return Ok(());
        }
        let action =
            DeleteMessage { message_id, conversation_id: m.conversation_id, before: m.before() };
        sqlx::query("UPDATE messages SET content = NULL, media_url = NULL, deleted_at = $2 WHERE message_id = $1")
            .bind(message_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM reactions WHERE message_id = $1")
            .bind(message_id)
            .execute(&mut *tx)
            .await?;
        crate::replica::enqueue(&mut tx, OutboxAction::from(action), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds (`on`) or takes back the user's emoji on a message: shown at once, queued.
    pub async fn queue_reaction(
        &self,
        me: Uuid,
        message_id: Uuid,
        emoji: &str,
        on: bool,
        now: DateTime<Utc>,
    ) -> ClientResult<()> {
        let emoji = validate::emoji(emoji).map_err(|code| ClientError::field("emoji", code))?;
        let mut tx = self.write().await?;
        let m = stored(&mut tx, message_id).await?;
        if m.deleted_at.is_some() {
            return Err(ClientError::rule(ErrorCode::Conflict, "this message was deleted"));
        }
        crate::replica::reactions::set(&mut tx, message_id, me, &emoji, on.then_some(now)).await?;
        let action =
            React { message_id, conversation_id: m.conversation_id, user_id: me, emoji, on };
        crate::replica::enqueue(&mut tx, OutboxAction::from(action), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether `me` owns or administers the group whose conversation this is.
    async fn moderates(&self, tx: &mut Tx, me: Uuid, conversation_id: Uuid) -> ClientResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM conversations c JOIN group_members gm ON gm.group_id = c.group_id \
             WHERE c.conversation_id = $1 AND gm.user_id = $2 AND gm.role IN ('owner', 'admin')",
        )
        .bind(conversation_id)
        .bind(me)
        .fetch_one(&mut **tx)
        .await?;
        Ok(n > 0)
    }
}
