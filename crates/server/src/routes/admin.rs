//! The coordinators' routes (PROGRAM.md, "Safety and the program"): reports and their
//! resolution, suspension, the trail. Each takes a [`Coordinator`], so everyone else gets 403
//! whatever the route names; each change appends the trail in its own transaction.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use lodestar_protocol::{
    validate, AuditList, AuditQuery, ErrorBody, HeldList, Message, ProgramStats, Report,
    ReportAction, ReportList, ReportsQuery, ResolveRequest, SuspendRequest, SuspensionList,
};

use crate::error::ApiResult;
use crate::extract::{Body, Coordinator, Id, QueryOf};
use crate::sockets::Closed;
use crate::AppState;

/// The reports in one state (open by default), newest first, each with its context.
#[utoipa::path(get, path = "/v1/admin/reports", tag = "admin", security(("bearer" = [])),
    params(ReportsQuery),
    responses((status = 200, body = ReportList),
        (status = 403, body = ErrorBody, description = "Not a coordinator"),
        (status = 422, body = ErrorBody, description = "`status`")))]
pub async fn reports(
    State(s): State<AppState>,
    _: Coordinator,
    QueryOf(q): QueryOf<ReportsQuery>,
) -> ApiResult<Json<ReportList>> {
    let status = validate::report_status(q.status.as_deref())?;
    let (reports, users) = s.store.reports(status, Utc::now().date_naive()).await?;
    Ok(Json(ReportList { reports, users }))
}

/// Resolves an open report: dismiss, warn, or suspend its subject (the note is the reason).
#[utoipa::path(post, path = "/v1/admin/reports/{id}/resolve", tag = "admin", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The report")),
    request_body = ResolveRequest,
    responses((status = 200, body = Report),
        (status = 403, body = ErrorBody, description = "Not a coordinator"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "Resolved already"),
        (status = 422, body = ErrorBody, description = "`action`, `note` (required to suspend)")))]
pub async fn resolve(
    State(s): State<AppState>,
    Coordinator(me): Coordinator,
    Id(id): Id,
    Body(req): Body<ResolveRequest>,
) -> ApiResult<Json<Report>> {
    let (action, note) = validate::resolution(&req)?;
    let report = s.store.resolve_report(me.user_id, id, action, note, Utc::now()).await?;
    if let (ReportAction::Suspend, Some(user)) = (action, report.user_id) {
        s.sockets.close_user(user, Closed::Suspended);
    }
    Ok(Json(report))
}

/// Suspends a member: every token revoked and every socket closed at once, sign-in refused
/// with `suspended`, gone from the directory and matches. 204, also when they were already.
#[utoipa::path(post, path = "/v1/admin/users/{id}/suspend", tag = "admin", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The member")),
    request_body = SuspendRequest,
    responses((status = 204),
        (status = 403, body = ErrorBody, description = "Not a coordinator"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody, description = "`reason`, `user_id: self`")))]
pub async fn suspend(
    State(s): State<AppState>,
    Coordinator(me): Coordinator,
    Id(id): Id,
    Body(req): Body<SuspendRequest>,
) -> ApiResult<StatusCode> {
    let reason = validate::suspension(&req)?;
    s.store.suspend(me.user_id, id, &reason, Utc::now()).await?;
    s.sockets.close_user(id, Closed::Suspended);
    Ok(StatusCode::NO_CONTENT)
}

/// Lifts a suspension: 204, also when there was none.
#[utoipa::path(delete, path = "/v1/admin/users/{id}/suspend", tag = "admin", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The member")),
    responses((status = 204),
        (status = 403, body = ErrorBody, description = "Not a coordinator"), (status = 404, body = ErrorBody)))]
pub async fn unsuspend(
    State(s): State<AppState>,
    Coordinator(me): Coordinator,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    s.store.unsuspend(me.user_id, id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The suspended members, most recent first.
#[utoipa::path(get, path = "/v1/admin/suspended", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = SuspensionList),
        (status = 403, body = ErrorBody, description = "Not a coordinator")))]
pub async fn suspended(
    State(s): State<AppState>,
    _: Coordinator,
) -> ApiResult<Json<SuspensionList>> {
    Ok(Json(SuspensionList { suspended: s.store.suspended(Utc::now().date_naive()).await? }))
}

/// The trail of what coordinators did, newest first, a page at a time.
#[utoipa::path(get, path = "/v1/admin/audit", tag = "admin", security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, body = AuditList),
        (status = 403, body = ErrorBody, description = "Not a coordinator"),
        (status = 422, body = ErrorBody, description = "`limit`")))]
pub async fn audit(
    State(s): State<AppState>,
    _: Coordinator,
    QueryOf(q): QueryOf<AuditQuery>,
) -> ApiResult<Json<AuditList>> {
    let limit = super::limit(q.limit, 50, 200)?;
    let (entries, has_more, users) =
        s.store.audit(q.before, limit, Utc::now().date_naive()).await?;
    Ok(Json(AuditList { entries, users, has_more }))
}

/// The messages held for review, oldest first, with whom each was sent to.
#[utoipa::path(get, path = "/v1/admin/held", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = HeldList),
        (status = 403, body = ErrorBody, description = "Not a coordinator")))]
pub async fn held(State(s): State<AppState>, _: Coordinator) -> ApiResult<Json<HeldList>> {
    Ok(Json(s.store.held(Utc::now().date_naive()).await?))
}

/// Releases a held message: delivered to its conversation now.
#[utoipa::path(post, path = "/v1/admin/held/{id}/release", tag = "admin", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The held message")),
    responses((status = 200, body = Message),
        (status = 403, body = ErrorBody, description = "Not a coordinator"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "Not held")))]
pub async fn release(
    State(s): State<AppState>,
    Coordinator(me): Coordinator,
    Id(id): Id,
) -> ApiResult<Json<Message>> {
    Ok(Json(s.store.review_held(me.user_id, id, true, Utc::now()).await?))
}

/// Rejects a held message: never delivered; its sender sees it rejected.
#[utoipa::path(post, path = "/v1/admin/held/{id}/reject", tag = "admin", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The held message")),
    responses((status = 200, body = Message),
        (status = 403, body = ErrorBody, description = "Not a coordinator"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "Not held")))]
pub async fn reject(
    State(s): State<AppState>,
    Coordinator(me): Coordinator,
    Id(id): Id,
) -> ApiResult<Json<Message>> {
    Ok(Json(s.store.review_held(me.user_id, id, false, Utc::now()).await?))
}

/// The program at a glance: members, requests, mentorships, sessions, feedback, messages and
/// what waits for a coordinator.
#[utoipa::path(get, path = "/v1/admin/stats", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = ProgramStats),
        (status = 403, body = ErrorBody, description = "Not a coordinator")))]
pub async fn stats(State(s): State<AppState>, _: Coordinator) -> ApiResult<Json<ProgramStats>> {
    Ok(Json(s.store.program_stats(Utc::now()).await?))
}
