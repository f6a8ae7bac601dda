//! Safety in the window (PROGRAM.md, "Safety and the program"): blocking and reporting
//! (queued, so they work offline), the export and the deletion of one's account, and the
//! coordinators' Program section (online: it reads the whole program).

use chrono::Utc;
use lodestar_protocol::{
    validate, AuditList, HeldList, ProgramStats, ReportList, ReportRequest, ResolveRequest,
    SuspensionList,
};
use uuid::Uuid;

use super::views::ReportForm;
use super::App;
use crate::client::Blocked;
use crate::engine::Topic;
use crate::error::{ClientError, ClientResult};

impl App {
    /// Blocks (`true`) or unblocks someone (queued; works offline): their direct conversation
    /// leaves (or rejoins) the list at once.
    pub async fn set_block(&self, user_id: Uuid, blocked: bool) -> ClientResult<()> {
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        replica.queue_block(me, user_id, blocked, Utc::now()).await?;
        drop(client);
        self.queued(&[Topic::Conversations], None).await;
        Ok(())
    }

    /// Whom the user has blocked.
    pub async fn blocked_users(&self) -> ClientResult<Vec<Blocked>> {
        self.client.read().await.blocks().await
    }

    /// Reports someone, perhaps one of their messages (queued; works offline).
    pub async fn report_user(&self, form: &ReportForm) -> ClientResult<()> {
        let request = ReportRequest {
            report_id: Uuid::new_v4(),
            user_id: form.user_id,
            message_id: form.message_id,
            reason: form.reason.clone(),
            details: form.details.clone().filter(|d| !d.trim().is_empty()),
        };
        // Checked against the rules by `queue_report`, before anything is queued.
        let client = self.client.read().await;
        client.replica()?.queue_report(request, Utc::now()).await?;
        drop(client);
        self.queued(&[], None).await;
        Ok(())
    }

    /// Saves everything the server holds about the user to the Downloads folder, readable by
    /// the user alone; answers its path.
    pub async fn save_export(&self) -> ClientResult<String> {
        let client = self.client.read().await;
        let document = client.export().await?;
        let (_, _, _, username) = client.parts()?;
        let name = format!("lodestar-{username}-{}.json", Utc::now().format("%Y%m%d-%H%M"));
        let path = super::sessions::downloads()?.join(name);
        crate::private::write_private(&path, &document)
            .map_err(|e| ClientError::Corrupt(format!("{}: {e}", path.display())))?;
        Ok(path.display().to_string())
    }

    /// Deletes the account after the password (online), then signs out and forgets this
    /// device's replica. A wrong password changes nothing.
    pub async fn delete_account(&self, password: &str) -> ClientResult<()> {
        self.client.read().await.parts()?.0.delete_account(password).await?;
        if let Some(engine) = self.engine.lock().await.take() {
            engine.stop().await;
        }
        *self.sync.lock().unwrap_or_else(|p| p.into_inner()) = super::signed_out();
        self.client.write().await.logout(true).await
    }

    /// The program at a glance (coordinators).
    pub async fn program_stats(&self) -> ClientResult<ProgramStats> {
        self.client.read().await.parts()?.0.program_stats().await
    }

    /// The open (or resolved) reports with their context (coordinators).
    pub async fn program_reports(&self, resolved: bool) -> ClientResult<ReportList> {
        self.client.read().await.parts()?.0.admin_reports(resolved).await
    }

    /// Resolves a report: `dismiss`, `warn` or `suspend` (the note is then the reason).
    pub async fn resolve_report(
        &self,
        report_id: Uuid,
        action: &str,
        note: Option<String>,
    ) -> ClientResult<()> {
        let req = ResolveRequest { action: action.to_owned(), note };
        validate::resolution(&req)?;
        self.client.read().await.parts()?.0.resolve_report(report_id, &req).await.map(|_| ())
    }

    /// Suspends (with a reason) or lifts the suspension of a member (coordinators).
    pub async fn set_suspended(&self, user_id: Uuid, reason: Option<String>) -> ClientResult<()> {
        let client = self.client.read().await;
        let api = client.parts()?.0;
        match reason {
            Some(reason) => {
                validate::suspension(&lodestar_protocol::SuspendRequest {
                    reason: reason.clone(),
                })?;
                api.suspend(user_id, &reason).await
            }
            None => api.unsuspend(user_id).await,
        }
    }

    /// The suspended members (coordinators).
    pub async fn suspended_users(&self) -> ClientResult<SuspensionList> {
        self.client.read().await.parts()?.0.suspended().await
    }

    /// The trail of what coordinators did, newest first; `before` pages back (coordinators).
    pub async fn audit_trail(&self, before: Option<i64>) -> ClientResult<AuditList> {
        self.client.read().await.parts()?.0.audit(before).await
    }

    /// The messages held for review (coordinators).
    pub async fn held_messages(&self) -> ClientResult<HeldList> {
        self.client.read().await.parts()?.0.held().await
    }

    /// Releases (`true`) or rejects a held message (coordinators).
    pub async fn review_held(&self, message_id: Uuid, release: bool) -> ClientResult<()> {
        self.client.read().await.parts()?.0.review_held(message_id, release).await.map(|_| ())
    }
}
