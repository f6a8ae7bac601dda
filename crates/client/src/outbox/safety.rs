//! Blocking and reporting (PROGRAM.md, "Safety and the program"), offline like a message: a
//! block hides the person's direct conversation at once and is queued; a report is queued, so
//! one written on a train is filed when the network returns.

use chrono::{DateTime, Utc};
use lodestar_protocol::{validate, ReportRequest};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Action, Lane, OutboxAction, Subject, Summary, Tx};
use crate::api::Api;
use crate::error::ClientResult;
use crate::replica::Replica;

/// A block of someone, or its lifting.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SetBlock {
    /// The person.
    pub user_id: Uuid,
    /// Blocked (`true`) or unblocked.
    pub blocked: bool,
}

impl Action for SetBlock {
    type Sent = ();

    fn lane(&self) -> Lane {
        Lane::Me
    }

    fn subject(&self) -> Subject {
        Subject { kind: "block", id: self.user_id }
    }

    fn summary(&self) -> Summary {
        let title = if self.blocked { "Block" } else { "Unblock" };
        Summary { title: title.to_owned(), detail: String::new() }
    }

    /// Blocking and unblocking offline sends only the last word.
    fn fold(&mut self, newer: &Self) -> bool {
        self.blocked = newer.blocked;
        true
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<()> {
        if self.blocked {
            api.block(self.user_id).await
        } else {
            api.unblock(self.user_id).await
        }
    }

    /// Shown at once; the server's list is the truth again.
    async fn refused(&self, api: &Api, replica: &Replica) -> ClientResult<()> {
        if let Ok(list) = api.blocks().await {
            let ids: Vec<Uuid> = list.blocked.iter().map(|p| p.user_id).collect();
            replica.replace_blocks(&ids, Utc::now()).await?;
        }
        Ok(())
    }

    async fn discarded(&self, tx: &mut Tx) -> ClientResult<()> {
        // Discarding a block that never reached the server shows the conversation again.
        set_blocked(tx, self.user_id, !self.blocked, Utc::now()).await
    }
}

impl Action for ReportRequest {
    type Sent = ();

    fn lane(&self) -> Lane {
        Lane::Me
    }

    fn subject(&self) -> Subject {
        Subject { kind: "report", id: self.report_id }
    }

    fn summary(&self) -> Summary {
        Summary { title: "Report".to_owned(), detail: self.reason.clone() }
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<()> {
        api.report(self).await
    }
}

async fn set_blocked(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    user: Uuid,
    blocked: bool,
    now: DateTime<Utc>,
) -> ClientResult<()> {
    if blocked {
        sqlx::query(
            "INSERT INTO blocks (user_id, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(user)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    } else {
        sqlx::query("DELETE FROM blocks WHERE user_id = $1").bind(user).execute(&mut **tx).await?;
    }
    Ok(())
}

impl Replica {
    /// Blocks (or unblocks) `user`: their direct conversation is hidden (or shown) at once and
    /// the change queued, in one transaction.
    pub async fn queue_block(
        &self,
        me: Uuid,
        user: Uuid,
        blocked: bool,
        now: DateTime<Utc>,
    ) -> ClientResult<()> {
        if me == user {
            return Err(validate::FieldErrors(
                [("user_id".to_owned(), "self".to_owned())].into_iter().collect(),
            )
            .into());
        }
        let mut tx = self.write().await?;
        set_blocked(&mut tx, user, blocked, now).await?;
        crate::replica::enqueue(
            &mut tx,
            OutboxAction::from(SetBlock { user_id: user, blocked }),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Queues a report, checked against the rules first.
    pub async fn queue_report(
        &self,
        report: ReportRequest,
        now: DateTime<Utc>,
    ) -> ClientResult<()> {
        validate::report(&report)?;
        let mut tx = self.write().await?;
        crate::replica::enqueue(&mut tx, OutboxAction::from(report), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whom the user has blocked, by id.
    pub async fn blocked_ids(&self) -> ClientResult<Vec<Uuid>> {
        Ok(sqlx::query_scalar("SELECT user_id FROM blocks ORDER BY created_at")
            .fetch_all(self.pool())
            .await?)
    }

    /// Replaces the blocks with the server's list.
    pub async fn replace_blocks(&self, ids: &[Uuid], now: DateTime<Utc>) -> ClientResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM blocks").execute(&mut *tx).await?;
        for id in ids {
            set_blocked(&mut tx, *id, true, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Applies a `block` change from sync.
pub(crate) async fn apply_block(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    user: Uuid,
    blocked: bool,
) -> ClientResult<()> {
    set_blocked(tx, user, blocked, Utc::now()).await
}
