//! A direct conversation opened here, offline: it exists in the replica at once (its id is
//! derived from the pair, so it is the one the server will have), and on the server before
//! anything is sent into it (its messages wait for this entry).

use chrono::{DateTime, Utc};
use lodestar_protocol::{direct_conversation_id, Conversation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Action, Lane, OutboxAction, Subject, Summary, Tx};
use crate::api::Api;
use crate::error::ClientResult;
use crate::replica::Replica;

/// The subject of an opening, which a conversation's messages wait for.
pub(super) const SUBJECT: &str = "direct";

/// `POST /v1/conversations/direct` for a conversation the replica already shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenDirect {
    /// The conversation (derived from the two users).
    pub conversation_id: Uuid,
    /// The other person.
    pub other_user_id: Uuid,
}

impl Action for OpenDirect {
    type Sent = Conversation;

    fn lane(&self) -> Lane {
        Lane::Conversation(self.conversation_id)
    }

    fn subject(&self) -> Subject {
        Subject { kind: SUBJECT, id: self.conversation_id }
    }

    fn summary(&self) -> Summary {
        Summary { title: "New conversation".to_owned(), detail: String::new() }
    }

    /// Opening twice is opening once.
    fn fold(&mut self, _: &Self) -> bool {
        true
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<Conversation> {
        api.open_direct(self.other_user_id).await
    }

    /// The conversation only ever existed here, unless something came into it since.
    async fn discarded(&self, tx: &mut Tx) -> ClientResult<()> {
        let used: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM messages WHERE conversation_id = $1 AND seq IS NOT NULL",
        )
        .bind(self.conversation_id)
        .fetch_one(&mut **tx)
        .await?;
        if used == 0 {
            for sql in [
                "DELETE FROM direct_conversation_participants WHERE conversation_id = $1",
                "DELETE FROM conversations WHERE conversation_id = $1",
            ] {
                sqlx::query(sql).bind(self.conversation_id).execute(&mut **tx).await?;
            }
        }
        Ok(())
    }
}

/// Opens the direct conversation of `me` and `other` in `tx` if the replica lacks it, queuing
/// its opening on the server; answers its id.
pub(crate) async fn open_direct_in(
    tx: &mut Tx,
    me: Uuid,
    other: Uuid,
    now: DateTime<Utc>,
) -> ClientResult<Uuid> {
    let id = direct_conversation_id(me, other);
    let known: i64 =
        sqlx::query_scalar("SELECT count(*) FROM conversations WHERE conversation_id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    if known > 0 {
        return Ok(id);
    }
    sqlx::query("INSERT INTO conversations (conversation_id, type, group_id, created_at) VALUES ($1, 'DIRECT', NULL, $2)")
        .bind(id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    for user in [me, other] {
        sqlx::query("INSERT INTO direct_conversation_participants (conversation_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(user)
            .execute(&mut **tx)
            .await?;
    }
    let action = OpenDirect { conversation_id: id, other_user_id: other };
    crate::replica::enqueue(tx, OutboxAction::from(action), now).await?;
    Ok(id)
}

impl Replica {
    /// Opens the direct conversation of `me` and `other` here, at once and offline, and queues
    /// its opening on the server, in one transaction.
    pub async fn open_direct_locally(
        &self,
        me: Uuid,
        other: Uuid,
        now: DateTime<Utc>,
    ) -> ClientResult<Uuid> {
        let id = direct_conversation_id(me, other);
        if self.has_conversation(id).await? {
            return Ok(id);
        }
        let mut tx = self.write().await?;
        let id = open_direct_in(&mut tx, me, other, now).await?;
        tx.commit().await?;
        Ok(id)
    }
}
