//! Reactions in the replica: everyone's from sync, the user's own written at once (and queued),
//! and what the conversation view shows of them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use lodestar_protocol::{Change, ChangeOp, Reaction, ReactionKey};
use sqlx::{Sqlite, Transaction};
use uuid::Uuid;

use super::apply::ApplyStats;
use super::Replica;
use crate::error::ClientResult;

/// One emoji on a message, as the conversation view shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReactionCount {
    /// The emoji.
    pub emoji: String,
    /// How many people reacted with it.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: i64,
    /// Whether the user is one of them.
    pub mine: bool,
    /// Who, by username (those the replica knows), for the hover text.
    pub names: Vec<String>,
}

/// Applies a `reaction` change and notes its conversation (for the views that show it).
pub(super) async fn apply_reaction(
    tx: &mut Transaction<'_, Sqlite>,
    change: &Change,
    stats: &mut ApplyStats,
) -> ClientResult<()> {
    let message_id = if change.op == ChangeOp::Upsert {
        let r: Reaction = super::apply::decode(change)?;
        set(tx, r.message_id, r.user_id, &r.emoji, Some(r.created_at)).await?;
        r.message_id
    } else {
        let k: ReactionKey = super::apply::decode(change)?;
        set(tx, k.message_id, k.user_id, &k.emoji, None).await?;
        k.message_id
    };
    let conversation: Option<Uuid> =
        sqlx::query_scalar("SELECT conversation_id FROM messages WHERE message_id = $1")
            .bind(message_id)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some(id) = conversation.filter(|id| !stats.conversations.contains(id)) {
        stats.conversations.push(id);
    }
    Ok(())
}

/// Adds (`Some(when)`) or removes one person's emoji on a message.
pub(crate) async fn set(
    tx: &mut Transaction<'_, Sqlite>,
    message_id: Uuid,
    user_id: Uuid,
    emoji: &str,
    added: Option<DateTime<Utc>>,
) -> ClientResult<()> {
    let q = match added {
        Some(at) => sqlx::query(
            "INSERT INTO reactions (message_id, user_id, emoji, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(message_id)
        .bind(user_id)
        .bind(emoji)
        .bind(at),
        None => sqlx::query("DELETE FROM reactions WHERE message_id = $1 AND user_id = $2 AND emoji = $3")
            .bind(message_id)
            .bind(user_id)
            .bind(emoji),
    };
    q.execute(&mut **tx).await?;
    Ok(())
}

impl Replica {
    /// The reactions on `messages`, by message: each emoji once, in the order first used, with
    /// its count and who.
    pub async fn reactions(
        &self,
        me: Uuid,
        messages: &[Uuid],
    ) -> ClientResult<BTreeMap<Uuid, Vec<ReactionCount>>> {
        let mut out: BTreeMap<Uuid, Vec<ReactionCount>> = BTreeMap::new();
        if messages.is_empty() {
            return Ok(out);
        }
        let mut qb = sqlx::QueryBuilder::<Sqlite>::new(
            "SELECT r.message_id, r.emoji, r.user_id, u.username FROM reactions r \
             LEFT JOIN users u ON u.user_id = r.user_id WHERE r.message_id IN (",
        );
        let mut ids = qb.separated(", ");
        for id in messages {
            ids.push_bind(*id);
        }
        qb.push(") ORDER BY r.created_at, r.rowid");
        let rows: Vec<(Uuid, String, Uuid, Option<String>)> =
            qb.build_query_as().fetch_all(self.pool()).await?;
        for (message_id, emoji, user_id, username) in rows {
            let list = out.entry(message_id).or_default();
            let i = match list.iter().position(|c| c.emoji == emoji) {
                Some(i) => i,
                None => {
                    list.push(ReactionCount { emoji, count: 0, mine: false, names: Vec::new() });
                    list.len() - 1
                }
            };
            let c = &mut list[i];
            c.count += 1;
            c.mine |= user_id == me;
            c.names.extend(username);
        }
        Ok(out)
    }
}
