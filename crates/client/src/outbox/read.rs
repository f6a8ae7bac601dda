//! Read receipts: a conversation marked read here at once, the server told when it answers.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Action, Lane, OutboxAction, Subject, Summary};
use crate::api::Api;
use crate::error::ClientResult;
use crate::replica::Replica;

/// The most ids `POST /v1/read` takes at once.
const MAX_IDS: usize = 1_000;

/// Messages of one conversation read by the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkRead {
    /// The conversation.
    pub conversation_id: Uuid,
    /// Its messages now read.
    pub message_ids: Vec<Uuid>,
}

impl Action for MarkRead {
    type Sent = ();

    fn lane(&self) -> Lane {
        Lane::Conversation(self.conversation_id)
    }

    fn subject(&self) -> Subject {
        Subject { kind: "read", id: self.conversation_id }
    }

    fn summary(&self) -> Summary {
        let n = self.message_ids.len();
        Summary {
            title: "Read receipt".to_owned(),
            detail: format!("{n} message{}", if n == 1 { "" } else { "s" }),
        }
    }

    /// Receipts of one conversation still waiting go as one request, while it fits.
    fn fold(&mut self, newer: &Self) -> bool {
        let fresh: Vec<Uuid> =
            newer.message_ids.iter().filter(|id| !self.message_ids.contains(id)).copied().collect();
        if self.message_ids.len() + fresh.len() > MAX_IDS {
            return false;
        }
        self.message_ids.extend(fresh);
        true
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<()> {
        api.read(&self.message_ids).await
    }
}

impl Replica {
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
        for chunk in unread.chunks(MAX_IDS) {
            let action = MarkRead { conversation_id, message_ids: chunk.to_vec() };
            crate::replica::enqueue(&mut tx, OutboxAction::from(action), now).await?;
        }
        tx.commit().await?;
        Ok(unread.len())
    }
}
