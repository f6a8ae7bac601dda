//! Queueing what the user does to a message (see `message_actions`): each checked against the
//! rules the server applies, shown at once, and queued in one transaction; what only the outbox
//! ever held (a send that has not left) is changed or dropped in place instead.

use chrono::{DateTime, Utc};
use lodestar_protocol::{validate, ErrorCode, EDIT_WINDOW_HOURS};
use uuid::Uuid;

use super::message_actions::{Before, DeleteMessage, EditMessage, React};
use super::{OutboxAction, Tx};
use crate::error::{ClientError, ClientResult};
use crate::replica::Replica;

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
