//! Safety (PROGRAM.md, "Safety and the program"): blocking and reporting, offline like a
//! message; the export and the deletion of one's account, which need the server.

use chrono::Utc;
use lodestar_protocol::ReportRequest;
use uuid::Uuid;

use super::mentorship::Delivery;
use super::Client;
use crate::error::{ClientError, ClientResult};
use crate::outbox::Subject;

/// Someone the user blocked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Blocked {
    /// Who.
    pub user_id: Uuid,
    /// Their username ("someone" when this device never knew it).
    pub username: String,
}

/// A report as the member writes it.
#[derive(Debug, Clone)]
pub struct NewReport {
    /// The person (`@` optional).
    pub username: String,
    /// `harassment`, `spam`, `inappropriate`, `safety` or `other`.
    pub reason: String,
    /// One of their messages.
    pub message_id: Option<Uuid>,
    /// What happened.
    pub details: Option<String>,
}

impl Client {
    /// Blocks (`true`) or unblocks someone by username: their direct conversation is hidden
    /// (or shown) at once; sent now if the server answers, queued otherwise.
    pub async fn set_block(&self, username: &str, blocked: bool) -> ClientResult<Delivery> {
        let user = self.user_named(username).await?;
        let a = self.active()?;
        a.replica.queue_block(a.info.user_id, user, blocked, Utc::now()).await?;
        self.deliver(Subject { kind: "block", id: user }).await
    }

    /// Whom the user has blocked: the server's list, else the replica's.
    pub async fn blocks(&self) -> ClientResult<Vec<Blocked>> {
        let a = self.active()?;
        match a.api.blocks().await {
            Ok(list) => Ok(list
                .blocked
                .into_iter()
                .map(|p| Blocked { user_id: p.user_id, username: p.username })
                .collect()),
            Err(ClientError::Offline(_)) => {
                let mut out = Vec::new();
                for user_id in a.replica.blocked_ids().await? {
                    out.push(Blocked { user_id, username: self.username(user_id).await? });
                }
                Ok(out)
            }
            Err(e) => Err(e),
        }
    }

    /// Reports someone (perhaps one of their messages): checked, queued, sent now if the server
    /// answers. Answers the report's id and how it went.
    pub async fn report(&self, report: NewReport) -> ClientResult<(Uuid, Delivery)> {
        let user_id = self.user_named(&report.username).await?;
        let a = self.active()?;
        let request = ReportRequest {
            report_id: Uuid::new_v4(),
            user_id,
            message_id: report.message_id,
            reason: report.reason,
            details: report.details,
        };
        let id = request.report_id;
        a.replica.queue_report(request, Utc::now()).await?;
        Ok((id, self.deliver(Subject { kind: "report", id }).await?))
    }

    /// Everything the server holds about the user, as the JSON document it wrote (online).
    pub async fn export(&self) -> ClientResult<Vec<u8>> {
        self.active()?.api.export_account().await
    }

    /// Deletes the account (online, with the password), then signs out here and forgets the
    /// replica: nothing of the account is left on this device either.
    pub async fn delete_account(&mut self, password: &str) -> ClientResult<()> {
        self.active()?.api.delete_account(password).await?;
        self.logout(true).await
    }
}
