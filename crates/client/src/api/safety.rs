//! PROGRAM.md's safety routes: blocks, reports, one's own data, and the coordinators' routes.

use lodestar_protocol::{
    AuditList, BlockList, BlockRequest, DeleteAccountRequest, HeldList, Message, ProgramStats,
    Report, ReportList, ReportRequest, ResolveRequest, SuspendRequest, SuspensionList,
};
use reqwest::Method;
use uuid::Uuid;

use super::Api;
use crate::error::ClientResult;

impl Api {
    /// `POST /v1/blocks`.
    pub async fn block(&self, user_id: Uuid) -> ClientResult<()> {
        self.send(Method::POST, "/v1/blocks", Some(&BlockRequest { user_id })).await.map(|_| ())
    }

    /// `DELETE /v1/blocks/{id}`.
    pub async fn unblock(&self, user_id: Uuid) -> ClientResult<()> {
        self.send::<()>(Method::DELETE, &format!("/v1/blocks/{user_id}"), None).await.map(|_| ())
    }

    /// `GET /v1/blocks`.
    pub async fn blocks(&self) -> ClientResult<BlockList> {
        self.json::<_, ()>(Method::GET, "/v1/blocks", None).await
    }

    /// `POST /v1/reports` (the same report again is a retry).
    pub async fn report(&self, req: &ReportRequest) -> ClientResult<()> {
        self.send(Method::POST, "/v1/reports", Some(req)).await.map(|_| ())
    }

    /// `GET /v1/me/export`: the document as the server wrote it.
    pub async fn export_account(&self) -> ClientResult<Vec<u8>> {
        self.send::<()>(Method::GET, "/v1/me/export", None).await.map(|(_, bytes)| bytes)
    }

    /// `DELETE /v1/me`.
    pub async fn delete_account(&self, password: &str) -> ClientResult<()> {
        let body = DeleteAccountRequest { password: password.to_owned() };
        self.send(Method::DELETE, "/v1/me", Some(&body)).await.map(|_| ())
    }

    /// `GET /v1/admin/stats`.
    pub async fn program_stats(&self) -> ClientResult<ProgramStats> {
        self.json::<_, ()>(Method::GET, "/v1/admin/stats", None).await
    }

    /// `GET /v1/admin/reports?status=`.
    pub async fn admin_reports(&self, resolved: bool) -> ClientResult<ReportList> {
        let status = if resolved { "resolved" } else { "open" };
        self.json::<_, ()>(Method::GET, &format!("/v1/admin/reports?status={status}"), None).await
    }

    /// `POST /v1/admin/reports/{id}/resolve`.
    pub async fn resolve_report(
        &self,
        report_id: Uuid,
        req: &ResolveRequest,
    ) -> ClientResult<Report> {
        self.json(Method::POST, &format!("/v1/admin/reports/{report_id}/resolve"), Some(req)).await
    }

    /// `POST /v1/admin/users/{id}/suspend`.
    pub async fn suspend(&self, user_id: Uuid, reason: &str) -> ClientResult<()> {
        let body = SuspendRequest { reason: reason.to_owned() };
        self.send(Method::POST, &format!("/v1/admin/users/{user_id}/suspend"), Some(&body))
            .await
            .map(|_| ())
    }

    /// `DELETE /v1/admin/users/{id}/suspend`.
    pub async fn unsuspend(&self, user_id: Uuid) -> ClientResult<()> {
        self.send::<()>(Method::DELETE, &format!("/v1/admin/users/{user_id}/suspend"), None)
            .await
            .map(|_| ())
    }

    /// `GET /v1/admin/suspended`.
    pub async fn suspended(&self) -> ClientResult<SuspensionList> {
        self.json::<_, ()>(Method::GET, "/v1/admin/suspended", None).await
    }

    /// `GET /v1/admin/audit`: the newest page, or the page before `before`.
    pub async fn audit(&self, before: Option<i64>) -> ClientResult<AuditList> {
        let path = match before {
            Some(b) => format!("/v1/admin/audit?limit=200&before={b}"),
            None => "/v1/admin/audit?limit=200".to_owned(),
        };
        self.json::<_, ()>(Method::GET, &path, None).await
    }

    /// `GET /v1/admin/held`.
    pub async fn held(&self) -> ClientResult<HeldList> {
        self.json::<_, ()>(Method::GET, "/v1/admin/held", None).await
    }

    /// `POST /v1/admin/held/{id}/release` (`true`) or `/reject`.
    pub async fn review_held(&self, message_id: Uuid, release: bool) -> ClientResult<Message> {
        let verb = if release { "release" } else { "reject" };
        self.json::<_, ()>(Method::POST, &format!("/v1/admin/held/{message_id}/{verb}"), None).await
    }
}
