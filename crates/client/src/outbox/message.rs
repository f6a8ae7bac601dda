//! A message typed here: shown at once in its conversation (pending), sent in typing order.

use chrono::{DateTime, Utc};
use lodestar_protocol::{validate, DeliveryStatus, Message, SendMessageRequest};
use uuid::Uuid;

use super::{Action, Lane, OutboxAction, Subject, Summary, Tx};
use crate::api::Api;
use crate::error::{ClientError, ClientResult};
use crate::replica::Replica;

impl Action for SendMessageRequest {
    type Sent = Message;

    fn lane(&self) -> Lane {
        Lane::Conversation(self.conversation_id)
    }

    fn subject(&self) -> Subject {
        Subject { kind: "message", id: self.message_id }
    }

    /// An attachment is uploaded first (and it waits for its conversation); otherwise a
    /// conversation opened offline is opened on the server first.
    fn waits_for(&self) -> Option<Subject> {
        match super::upload::pending_upload(self.media_url.as_deref()) {
            Some(upload) => Some(Subject { kind: super::upload::SUBJECT, id: upload }),
            None => Some(Subject { kind: super::direct::SUBJECT, id: self.conversation_id }),
        }
    }

    fn summary(&self) -> Summary {
        let detail = match (&self.content, &self.media_url) {
            (Some(t), _) => crate::engine::notify::preview_text(t),
            (None, Some(m)) => m.clone(),
            (None, None) => String::new(),
        };
        Summary { title: "Message".to_owned(), detail }
    }

    /// A message naming its upload takes the server's URL from the upload's answer (kept with
    /// the entry, so a restart in between loses nothing).
    async fn send(&self, api: &Api, parent: Option<&serde_json::Value>) -> ClientResult<Message> {
        if super::upload::pending_upload(self.media_url.as_deref()).is_none() {
            return api.send_message(self).await;
        }
        let info: lodestar_protocol::MediaInfo = parent
            .and_then(|p| serde_json::from_value(p.clone()).ok())
            .ok_or_else(|| ClientError::Corrupt("a message's upload left no media URL".into()))?;
        let request = SendMessageRequest { media_url: Some(info.url), ..self.clone() };
        api.send_message(&request).await
    }

    /// The server's copy (its seq, its clamped time) replaces the pending one.
    async fn acked(&self, tx: &mut Tx, sent: &Message) -> ClientResult<()> {
        crate::replica::store_message(tx, sent).await
    }

    /// A refused message only ever existed here.
    async fn discarded(&self, tx: &mut Tx) -> ClientResult<()> {
        sqlx::query("DELETE FROM messages WHERE message_id = $1 AND seq IS NULL")
            .bind(self.message_id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}

impl Replica {
    /// Queues a message from `me`: checked against the rules first, then shown in its
    /// conversation (pending) and queued, in one transaction; the draft is cleared.
    pub async fn queue_message(
        &self,
        me: Uuid,
        conversation_id: Uuid,
        content: Option<&str>,
        media_url: Option<&str>,
        reply_to: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> ClientResult<Message> {
        let body = validate::message_body(content, media_url)?;
        if let Some(r) = reply_to {
            let conversation: Option<Uuid> =
                sqlx::query_scalar("SELECT conversation_id FROM messages WHERE message_id = $1")
                    .bind(r)
                    .fetch_optional(self.pool())
                    .await?;
            if conversation != Some(conversation_id) {
                return Err(ClientError::field("reply_to", "not_in_conversation"));
            }
        }
        let message = pending(me, conversation_id, body.content, body.media_url, reply_to, now);
        let mut tx = self.write().await?;
        show_and_queue(&mut tx, &message, now).await?;
        sqlx::query("DELETE FROM drafts WHERE conversation_id = $1")
            .bind(conversation_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(message)
    }
}

/// A message from `me` as it shows while it waits in the outbox (no seq yet).
pub(super) fn pending(
    me: Uuid,
    conversation_id: Uuid,
    content: Option<String>,
    media_url: Option<String>,
    reply_to: Option<Uuid>,
    now: DateTime<Utc>,
) -> Message {
    Message {
        // Time-ordered (UUIDv7), not random: every replica and the server index messages by
        // id, and random ids scatter each page of a sync over the whole index (a page of
        // 1,000 touched ~1,000 of its pages at a million messages; the first sync took twice
        // as long as with ids that arrive in order, `make bench`, group "group").
        message_id: Uuid::now_v7(),
        conversation_id,
        sender_id: Some(me),
        content,
        media_url,
        sent_at: chrono::SubsecRound::trunc_subsecs(now, 6),
        seq: 0,
        status: DeliveryStatus::Delivered,
        held_reason: None,
        reply_to,
        edited_at: None,
        deleted_at: None,
    }
}

/// Shows a pending `message` in its conversation and queues its send, in `tx`.
pub(super) async fn show_and_queue(
    tx: &mut Tx,
    message: &Message,
    now: DateTime<Utc>,
) -> ClientResult<()> {
    sqlx::query(
        "INSERT INTO messages (message_id, conversation_id, sender_id, content, media_url, sent_at, seq, reply_to) \
         VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)",
    )
    .bind(message.message_id)
    .bind(message.conversation_id)
    .bind(message.sender_id)
    .bind(&message.content)
    .bind(&message.media_url)
    .bind(message.sent_at)
    .bind(message.reply_to)
    .execute(&mut **tx)
    .await?;
    let request = SendMessageRequest {
        message_id: message.message_id,
        conversation_id: message.conversation_id,
        content: message.content.clone(),
        media_url: message.media_url.clone(),
        sent_at: Some(message.sent_at),
        reply_to: message.reply_to,
    };
    crate::replica::enqueue(tx, OutboxAction::from(request), now).await?;
    Ok(())
}
