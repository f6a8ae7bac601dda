//! The outbox: what the user did offline, kept until the server has it.
//!
//! Queueing writes the visible effect (the message in its conversation, the read rows) and the
//! outbox entry in one transaction, so the UI shows it at once and nothing is lost in a crash.
//! Entries are sent in `id` order, which is typing order within every conversation; a retry
//! uses the same message id, so the server stores each message once however often it is sent.
//! An entry the server refuses for good is marked `failed` with the reason, never dropped.

use chrono::{DateTime, Utc};
use lodestar_protocol::{validate, Me, Message, SendMessageRequest, UpdateMeRequest};
use uuid::Uuid;

use super::Replica;
use crate::error::{ClientError, ClientResult};

/// What an outbox entry does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum OutboxKind {
    /// `POST /v1/messages`.
    Message,
    /// `POST /v1/read`.
    Read,
    /// `PATCH /v1/me`.
    Profile,
}

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum OutboxState {
    /// Waiting to be sent.
    Pending,
    /// Being sent now.
    Sending,
    /// Refused by the server for good; see the reason.
    Failed,
}

/// One waiting action.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    /// Its place in the queue.
    pub id: i64,
    /// What it does.
    pub kind: OutboxKind,
    /// The conversation it concerns.
    pub conversation_id: Option<Uuid>,
    /// The message, for `Message` entries.
    pub message_id: Option<Uuid>,
    /// The request body to send.
    pub payload: serde_json::Value,
    /// Where it stands.
    pub state: OutboxState,
    /// Sending attempts so far.
    pub attempts: i64,
    /// The server's reason, once failed.
    pub last_error: Option<String>,
}

type EntryRow = (i64, String, Option<Uuid>, Option<Uuid>, String, String, i64, Option<String>);

fn entry(row: EntryRow) -> ClientResult<OutboxEntry> {
    let (id, kind, conversation_id, message_id, payload, state, attempts, last_error) = row;
    Ok(OutboxEntry {
        id,
        kind: match kind.as_str() {
            "message" => OutboxKind::Message,
            "read" => OutboxKind::Read,
            "profile" => OutboxKind::Profile,
            other => return Err(ClientError::Corrupt(format!("outbox kind {other}"))),
        },
        conversation_id,
        message_id,
        payload: serde_json::from_str(&payload)
            .map_err(|e| ClientError::Corrupt(format!("outbox payload: {e}")))?,
        state: match state.as_str() {
            "pending" => OutboxState::Pending,
            "sending" => OutboxState::Sending,
            _ => OutboxState::Failed,
        },
        attempts,
        last_error,
    })
}

const ENTRY_COLUMNS: &str =
    "id, kind, conversation_id, message_id, payload, state, attempts, last_error";

impl Replica {
    /// Queues a message from `me`: checked against the rules first, then shown in its
    /// conversation (pending) and queued, in one transaction; the draft is cleared.
    pub async fn queue_message(
        &self,
        me: Uuid,
        conversation_id: Uuid,
        content: Option<&str>,
        media_url: Option<&str>,
        now: DateTime<Utc>,
    ) -> ClientResult<Message> {
        let body = validate::message_body(content, media_url)?;
        let message = Message {
            message_id: Uuid::new_v4(),
            conversation_id,
            sender_id: Some(me),
            content: body.content,
            media_url: body.media_url,
            sent_at: chrono::SubsecRound::trunc_subsecs(now, 6),
            seq: 0,
        };
        let request = SendMessageRequest {
            message_id: message.message_id,
            conversation_id,
            content: message.content.clone(),
            media_url: message.media_url.clone(),
            sent_at: Some(message.sent_at),
        };
        let payload =
            serde_json::to_string(&request).map_err(|e| ClientError::Corrupt(e.to_string()))?;
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO messages (message_id, conversation_id, sender_id, content, media_url, sent_at, seq) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL)",
        )
        .bind(message.message_id)
        .bind(conversation_id)
        .bind(me)
        .bind(&message.content)
        .bind(&message.media_url)
        .bind(message.sent_at)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO outbox (kind, conversation_id, message_id, payload, created_at) VALUES ('message', $1, $2, $3, $4)",
        )
        .bind(conversation_id)
        .bind(message.message_id)
        .bind(payload)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM drafts WHERE conversation_id = $1")
            .bind(conversation_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(message)
    }

    /// Marks every message from others in a conversation read by `me`, locally at once and
    /// queued for the server. Answers how many became read.
    pub async fn queue_read(
        &self,
        me: Uuid,
        conversation_id: Uuid,
        now: DateTime<Utc>,
    ) -> ClientResult<usize> {
        let mut tx = self.write().await?;
        let unread: Vec<Uuid> = sqlx::query_scalar(
            "SELECT m.message_id FROM messages m WHERE m.conversation_id = $1 AND m.seq IS NOT NULL \
             AND (m.sender_id IS NULL OR m.sender_id <> $2) AND NOT EXISTS \
             (SELECT 1 FROM message_read_status r WHERE r.message_id = m.message_id AND r.user_id = $2) ORDER BY m.seq",
        )
        .bind(conversation_id)
        .bind(me)
        .fetch_all(&mut *tx)
        .await?;
        let now = chrono::SubsecRound::trunc_subsecs(now, 6);
        for id in &unread {
            sqlx::query("INSERT INTO message_read_status (message_id, user_id, read_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(me)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        // The server takes at most 1,000 ids a request.
        for chunk in unread.chunks(1_000) {
            let payload = serde_json::json!({ "message_ids": chunk }).to_string();
            sqlx::query("INSERT INTO outbox (kind, conversation_id, payload, created_at) VALUES ('read', $1, $2, $3)")
                .bind(conversation_id)
                .bind(payload)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(unread.len())
    }

    /// Edits the user's profile: checked against the rules, applied to the replica at once and
    /// queued as a `PATCH /v1/me`, in one transaction.
    pub async fn queue_profile(
        &self,
        me: Uuid,
        patch: &UpdateMeRequest,
        now: DateTime<Utc>,
    ) -> ClientResult<()> {
        let valid = validate::profile_patch(patch, now.date_naive())?;
        let payload =
            serde_json::to_string(patch).map_err(|e| ClientError::Corrupt(e.to_string()))?;
        let mut tx = self.write().await?;
        let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new("UPDATE users SET user_id = user_id");
        let mut set = |col: &str, v: Option<Option<String>>| {
            if let Some(v) = v {
                qb.push(format!(", {col} = ")).push_bind(v);
            }
        };
        set("username", valid.username.clone().map(Some));
        set("email", valid.email.clone().map(Some));
        set("phone_number", valid.phone_number.clone());
        set("city", valid.city.clone());
        set("state", valid.state.clone());
        set("profile_picture_url", valid.profile_picture_url.clone());
        set("bio", valid.bio.clone());
        set("job_title", valid.job_title.clone());
        set("industry", valid.industry.clone());
        set("skills", valid.skills.as_ref().map(|t| serde_json::to_string(t).ok()));
        set("interests", valid.interests.as_ref().map(|t| serde_json::to_string(t).ok()));
        if let Some(dob) = valid.date_of_birth {
            qb.push(", date_of_birth = ").push_bind(dob);
            qb.push(", age = ").push_bind(validate::age_on(dob, now.date_naive()));
        }
        if let Some(v) = valid.mentor_status {
            qb.push(", mentor_status = ").push_bind(v);
        }
        if let Some(v) = valid.mentee_status {
            qb.push(", mentee_status = ").push_bind(v);
        }
        if let Some(v) = valid.years_of_experience {
            qb.push(", years_of_experience = ").push_bind(v);
        }
        qb.push(" WHERE user_id = ").push_bind(me);
        qb.build().execute(&mut *tx).await?;
        sqlx::query("INSERT INTO outbox (kind, payload, created_at) VALUES ('profile', $1, $2)")
            .bind(payload)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The server took a profile edit: its answer replaces the local row and the entry goes.
    pub(crate) async fn ack_profile(&self, entry_id: i64, me: &Me) -> ClientResult<()> {
        let mut tx = self.write().await?;
        super::apply::store_me(&mut tx, me).await?;
        sqlx::query("DELETE FROM outbox WHERE id = $1").bind(entry_id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores messages fetched outside sync (older history, fetched on scrolling back).
    pub async fn store_messages(&self, messages: &[Message]) -> ClientResult<()> {
        let mut tx = self.write().await?;
        for m in messages {
            super::apply::upsert_message(&mut tx, m, super::apply::Retire::Outbox).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Shows the server's record of the user again (after a refused edit).
    pub(crate) async fn restore_me(&self, me: &Me) -> ClientResult<()> {
        let mut tx = self.write().await?;
        super::apply::store_me(&mut tx, me).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every entry, in queue order.
    pub async fn outbox(&self) -> ClientResult<Vec<OutboxEntry>> {
        let rows: Vec<EntryRow> =
            sqlx::query_as(&format!("SELECT {ENTRY_COLUMNS} FROM outbox ORDER BY id"))
                .fetch_all(self.pool())
                .await?;
        rows.into_iter().map(entry).collect()
    }

    /// The first entry waiting to be sent, marked `sending` in the same statement. An entry
    /// whose conversation has an earlier entry in flight is not taken, so even two processes
    /// on one data folder keep each conversation's order.
    pub(crate) async fn take_next(&self) -> ClientResult<Option<OutboxEntry>> {
        let row: Option<EntryRow> = sqlx::query_as(&format!(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = \
             (SELECT o.id FROM outbox o WHERE o.state = 'pending' AND NOT EXISTS \
              (SELECT 1 FROM outbox e WHERE e.state = 'sending' AND e.id < o.id AND e.conversation_id IS o.conversation_id) \
              ORDER BY o.id LIMIT 1) \
             RETURNING {ENTRY_COLUMNS}"
        ))
        .fetch_optional(self.pool())
        .await?;
        row.map(entry).transpose()
    }

    /// The server stored the message: its copy replaces the pending one and the entry goes.
    pub(crate) async fn ack_message(
        &self,
        entry_id: i64,
        server_copy: &Message,
    ) -> ClientResult<()> {
        let mut tx = self.write().await?;
        super::apply::upsert_message(&mut tx, server_copy, super::apply::Retire::Outbox).await?;
        sqlx::query("DELETE FROM outbox WHERE id = $1").bind(entry_id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The server has what the entry asked for.
    pub(crate) async fn ack(&self, entry_id: i64) -> ClientResult<()> {
        sqlx::query("DELETE FROM outbox WHERE id = $1").bind(entry_id).execute(self.pool()).await?;
        Ok(())
    }

    /// Puts an entry back in the queue after a failure worth retrying.
    pub(crate) async fn requeue(&self, entry_id: i64) -> ClientResult<()> {
        sqlx::query("UPDATE outbox SET state = 'pending' WHERE id = $1")
            .bind(entry_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Drops an entry the server refused, at the user's word. A refused message goes with it:
    /// it only ever existed here.
    pub async fn discard(&self, entry_id: i64) -> ClientResult<()> {
        let mut tx = self.write().await?;
        let message: Option<Option<Uuid>> = sqlx::query_scalar(
            "DELETE FROM outbox WHERE id = $1 AND state = 'failed' RETURNING message_id",
        )
        .bind(entry_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(message) = message else {
            return Err(ClientError::NotFound("failed outbox entry"));
        };
        if let Some(id) = message {
            sqlx::query("DELETE FROM messages WHERE message_id = $1 AND seq IS NULL")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The server refused an entry for good: kept, with the reason, until the user retries.
    pub(crate) async fn fail(&self, entry_id: i64, reason: &str) -> ClientResult<()> {
        sqlx::query("UPDATE outbox SET state = 'failed', last_error = $2 WHERE id = $1")
            .bind(entry_id)
            .bind(reason)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The user asks to try a failed entry again.
    pub async fn retry(&self, entry_id: i64) -> ClientResult<()> {
        let n = sqlx::query("UPDATE outbox SET state = 'pending', last_error = NULL WHERE id = $1 AND state = 'failed'")
            .bind(entry_id)
            .execute(self.pool())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(ClientError::NotFound("failed outbox entry"));
        }
        Ok(())
    }
}
