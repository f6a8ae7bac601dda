//! The outbox's storage: what the user did, kept until the server has it.
//!
//! An action's visible effect (the message in its conversation, the read rows, the edited
//! profile) and its entry are written in one transaction by [`enqueue`]'s callers, so the UI
//! shows it at once and nothing is lost in a crash. Entries are sent in `id` order within a
//! lane; an entry that waits for another (`depends_on`) is sent once that one was taken, with
//! its answer (`parent_result`). A retry sends the same action (a message keeps its id), so the
//! server stores it once however often it is sent. An entry refused for good is marked `failed`
//! with the reason, and what waits for it `blocked`, never dropped.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Replica;
use crate::error::{ClientError, ClientResult};
use crate::outbox::{known, OutboxAction, Summary};

/// A write transaction of the replica, of any lifetime.
type Tx<'a> = sqlx::Transaction<'a, sqlx::Sqlite>;

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
    /// Waits for an entry the server refused; see the reason.
    Blocked,
}

/// One waiting action.
#[derive(Debug, Clone)]
pub struct OutboxEntry {
    /// Its place in the queue.
    pub id: i64,
    /// Its stored kind (also for kinds this version does not know).
    pub kind: String,
    /// The action; `None` when a newer version wrote a kind this one cannot read (kept, shown,
    /// never sent or dropped here), or when the stored action is unreadable.
    pub action: Option<OutboxAction>,
    /// The entry it waits for, until that one is taken.
    pub depends_on: Option<i64>,
    /// What the server answered to the entry it waited for.
    pub parent_result: Option<serde_json::Value>,
    /// Where it stands.
    pub state: OutboxState,
    /// Sending attempts so far.
    pub attempts: i64,
    /// The server's reason, once failed or blocked.
    pub last_error: Option<String>,
}

impl OutboxEntry {
    /// The conversation it concerns, if it concerns one.
    pub fn conversation_id(&self) -> Option<Uuid> {
        match self.action.as_ref()?.lane() {
            crate::outbox::Lane::Conversation(id) => Some(id),
            _ => None,
        }
    }

    /// The message it sends, for messages.
    pub fn message_id(&self) -> Option<Uuid> {
        match &self.action {
            Some(OutboxAction::Message(m)) => Some(m.message_id),
            _ => None,
        }
    }

    /// What it is, for people.
    pub fn summary(&self) -> Summary {
        match &self.action {
            Some(action) => action.summary(),
            None if known(&self.kind) => Summary {
                title: self.kind.replace('_', " "),
                detail: "Its stored form cannot be read; discard it".to_owned(),
            },
            None => Summary {
                title: self.kind.replace('_', " "),
                detail: "Made by a newer version of Lodestar; it waits for that version to send it"
                    .to_owned(),
            },
        }
    }
}

type EntryRow = (i64, String, String, Option<i64>, Option<String>, String, i64, Option<String>);

const ENTRY_COLUMNS: &str =
    "id, kind, action, depends_on, parent_result, state, attempts, last_error";

fn entry(row: EntryRow) -> OutboxEntry {
    let (id, kind, action, depends_on, parent_result, state, attempts, last_error) = row;
    let action = if known(&kind) {
        match serde_json::from_str::<OutboxAction>(&action) {
            Ok(a) => Some(a),
            Err(e) => {
                tracing::warn!(entry = id, error = %e, "an outbox entry cannot be read");
                None
            }
        }
    } else {
        None
    };
    OutboxEntry {
        id,
        kind,
        action,
        depends_on,
        parent_result: parent_result.and_then(|r| serde_json::from_str(&r).ok()),
        state: match state.as_str() {
            "pending" => OutboxState::Pending,
            "sending" => OutboxState::Sending,
            "blocked" => OutboxState::Blocked,
            _ => OutboxState::Failed,
        },
        attempts,
        last_error,
    }
}

/// Queues an action in `tx` (beside its visible effect): folded into a waiting entry on the
/// same subject when the action allows it, else a new entry, waiting for the entry its action
/// names if that is still queued. Answers the entry's id.
pub(crate) async fn enqueue(
    tx: &mut Tx<'_>,
    action: OutboxAction,
    now: DateTime<Utc>,
) -> ClientResult<i64> {
    let subject = action.subject();
    let waiting: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, action FROM outbox WHERE kind = $1 AND subject = $2 AND subject_id = $3 \
         AND state = 'pending' ORDER BY id DESC LIMIT 1",
    )
    .bind(action.kind())
    .bind(subject.kind)
    .bind(subject.id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((id, stored)) = waiting {
        if let Ok(mut older) = serde_json::from_str::<OutboxAction>(&stored) {
            if older.fold(&action) {
                sqlx::query("UPDATE outbox SET action = $2 WHERE id = $1")
                    .bind(id)
                    .bind(to_json(&older)?)
                    .execute(&mut **tx)
                    .await?;
                return Ok(id);
            }
        }
    }
    let parent: Option<(i64, String, Option<String>)> =
        match action.waits_for() {
            Some(s) => sqlx::query_as(
                "SELECT id, state, last_error FROM outbox WHERE subject = $1 AND subject_id = $2 \
                 ORDER BY id DESC LIMIT 1",
            )
            .bind(s.kind)
            .bind(s.id)
            .fetch_optional(&mut **tx)
            .await?,
            None => None,
        };
    // A child of a refused entry cannot go either, until that one is retried.
    let (state, reason) = match &parent {
        Some((id, state, reason)) if state == "failed" || state == "blocked" => {
            ("blocked", Some(blocked_reason(*id, reason.as_deref())))
        }
        _ => ("pending", None),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO outbox (kind, lane, subject, subject_id, action, depends_on, state, last_error, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(action.kind())
    .bind(action.lane().key())
    .bind(subject.kind)
    .bind(subject.id)
    .bind(to_json(&action)?)
    .bind(parent.map(|p| p.0))
    .bind(state)
    .bind(reason)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

fn to_json(action: &OutboxAction) -> ClientResult<String> {
    serde_json::to_string(action).map_err(|e| ClientError::Corrupt(format!("outbox action: {e}")))
}

fn blocked_reason(parent: i64, reason: Option<&str>) -> String {
    format!("waits for entry {parent}, which the server refused: {}", reason.unwrap_or("unknown"))
}

/// Removes a sent entry in `tx` and readies what waited for it, handing over its result.
pub(crate) async fn retire(tx: &mut Tx<'_>, entry_id: i64, result: &str) -> ClientResult<()> {
    sqlx::query("UPDATE outbox SET depends_on = NULL, parent_result = $2 WHERE depends_on = $1")
        .bind(entry_id)
        .bind(result)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM outbox WHERE id = $1").bind(entry_id).execute(&mut **tx).await?;
    Ok(())
}

/// The server confirmed these subjects (a pull brought them): their entries are done, and what
/// waited for them is readied.
pub(crate) async fn retire_subjects(
    tx: &mut Tx<'_>,
    subject: &str,
    ids: &[Uuid],
) -> ClientResult<()> {
    for chunk in ids.chunks(500) {
        let mut qb =
            sqlx::QueryBuilder::<sqlx::Sqlite>::new("SELECT id FROM outbox WHERE subject = ");
        qb.push_bind(subject).push(" AND subject_id IN (");
        let mut list = qb.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        qb.push(")");
        let done: Vec<i64> = qb.build_query_scalar().fetch_all(&mut **tx).await?;
        for id in done {
            retire(tx, id, "null").await?;
        }
    }
    Ok(())
}

/// Drops an entry not in flight with everything that waits for it, each taking its visible
/// effect with it.
pub(crate) async fn drop_entry(tx: &mut crate::outbox::Tx, entry_id: i64) -> ClientResult<()> {
    let mut doomed = descendants(tx, entry_id).await?;
    doomed.push(entry_id);
    for id in doomed {
        let row: Option<EntryRow> =
            sqlx::query_as(&format!("DELETE FROM outbox WHERE id = $1 RETURNING {ENTRY_COLUMNS}"))
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
        if let Some(action) = row.map(entry).and_then(|e| e.action) {
            action.discarded(tx).await?;
        }
    }
    Ok(())
}

/// Every entry that waits, directly or not, for `entry_id`.
async fn descendants(tx: &mut Tx<'_>, entry_id: i64) -> ClientResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "WITH RECURSIVE kids(id) AS (SELECT id FROM outbox WHERE depends_on = $1 \
         UNION SELECT o.id FROM outbox o JOIN kids k ON o.depends_on = k.id) SELECT id FROM kids",
    )
    .bind(entry_id)
    .fetch_all(&mut **tx)
    .await?)
}

impl Replica {
    /// Every entry, in queue order.
    pub async fn outbox(&self) -> ClientResult<Vec<OutboxEntry>> {
        let rows: Vec<EntryRow> =
            sqlx::query_as(&format!("SELECT {ENTRY_COLUMNS} FROM outbox ORDER BY id"))
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(entry).collect())
    }

    /// Counts of outbox entries waiting and failed (blocked ones count as failed: they wait
    /// for the user too).
    pub async fn outbox_counts(&self) -> ClientResult<(i64, i64)> {
        Ok(sqlx::query_as(
            "SELECT (SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')), \
             (SELECT count(*) FROM outbox WHERE state IN ('failed', 'blocked'))",
        )
        .fetch_one(self.pool())
        .await?)
    }

    /// The first entry ready to be sent, marked `sending` in the same statement: of a kind this
    /// version knows, waiting for nothing, and with no earlier entry of its lane in flight (so
    /// even two processes on one data folder keep each lane's order).
    pub(crate) async fn take_next(&self) -> ClientResult<Option<OutboxEntry>> {
        let kinds = serde_json::to_string(OutboxAction::KINDS)
            .map_err(|e| ClientError::Corrupt(e.to_string()))?;
        let row: Option<EntryRow> = sqlx::query_as(&format!(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = \
             (SELECT o.id FROM outbox o WHERE o.state = 'pending' AND o.depends_on IS NULL \
              AND o.kind IN (SELECT value FROM json_each($1)) AND NOT EXISTS \
              (SELECT 1 FROM outbox e WHERE e.state = 'sending' AND e.id < o.id AND e.lane = o.lane) \
              ORDER BY o.id LIMIT 1) \
             RETURNING {ENTRY_COLUMNS}"
        ))
        .bind(kinds)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(entry))
    }

    /// Puts an entry back in the queue after a failure worth retrying.
    pub(crate) async fn requeue(&self, entry_id: i64) -> ClientResult<()> {
        sqlx::query("UPDATE outbox SET state = 'pending' WHERE id = $1")
            .bind(entry_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The server refused an entry for good: kept, with the reason, until the user retries or
    /// discards it; everything waiting for it is blocked with that reason.
    pub(crate) async fn fail(&self, entry_id: i64, reason: &str) -> ClientResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE outbox SET state = 'failed', last_error = $2 WHERE id = $1")
            .bind(entry_id)
            .bind(reason)
            .execute(&mut *tx)
            .await?;
        let blocked = blocked_reason(entry_id, Some(reason));
        for id in descendants(&mut tx, entry_id).await? {
            sqlx::query("UPDATE outbox SET state = 'blocked', last_error = $2 WHERE id = $1")
                .bind(id)
                .bind(&blocked)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The user asks to try a failed entry again; what it blocked waits for it again.
    pub async fn retry(&self, entry_id: i64) -> ClientResult<()> {
        let mut tx = self.write().await?;
        let n = sqlx::query("UPDATE outbox SET state = 'pending', last_error = NULL WHERE id = $1 AND state = 'failed'")
            .bind(entry_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(ClientError::NotFound("failed outbox entry"));
        }
        for id in descendants(&mut tx, entry_id).await? {
            sqlx::query("UPDATE outbox SET state = 'pending', last_error = NULL WHERE id = $1 AND state = 'blocked'")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Drops a refused (or blocked) entry at the user's word, with everything that waits for
    /// it; each takes its visible effect with it (a refused message only ever existed here).
    pub async fn discard(&self, entry_id: i64) -> ClientResult<()> {
        let mut tx = self.write().await?;
        let state: Option<String> = sqlx::query_scalar("SELECT state FROM outbox WHERE id = $1")
            .bind(entry_id)
            .fetch_optional(&mut *tx)
            .await?;
        if !matches!(state.as_deref(), Some("failed" | "blocked")) {
            return Err(ClientError::NotFound("failed outbox entry"));
        }
        drop_entry(&mut tx, entry_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores messages fetched outside sync (older history, fetched on scrolling back).
    pub async fn store_messages(
        &self,
        messages: &[lodestar_protocol::Message],
    ) -> ClientResult<()> {
        let mut tx = self.write().await?;
        for m in messages {
            super::apply::upsert_message(&mut tx, m, super::apply::Retire::Outbox).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
#[path = "outbox_tests.rs"]
mod tests;
