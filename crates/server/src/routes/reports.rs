//! Reports (PROGRAM.md, "Safety and the program"): any member may report someone, perhaps one
//! of their messages; only coordinators read them.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use lodestar_protocol::{validate, ErrorBody, ReportRequest};

use super::created_or_retried;
use crate::error::ApiResult;
use crate::extract::{Body, Caller};
use crate::store::FiledReport;
use crate::AppState;

/// Reports someone: 201, or 200 when this report was filed already.
#[utoipa::path(post, path = "/v1/reports", tag = "safety", security(("bearer" = [])),
    request_body = ReportRequest,
    responses((status = 201), (status = 200),
        (status = 404, body = ErrorBody, description = "No such user"),
        (status = 409, body = ErrorBody, description = "`conflict`: the id is another report's; `limit_reached`: 20 open reports"),
        (status = 422, body = ErrorBody, description = "`reason`, `details`, `user_id: self`, `message_id: not_theirs` (not one of theirs in a conversation the caller takes part in)")))]
pub async fn file(
    State(s): State<AppState>,
    caller: Caller,
    Body(req): Body<ReportRequest>,
) -> ApiResult<StatusCode> {
    let body = validate::report(&req)?;
    let report = FiledReport {
        report_id: req.report_id,
        reporter_id: caller.user_id,
        user_id: req.user_id,
        message_id: req.message_id,
        body,
    };
    Ok(created_or_retried(s.store.file_report(report, Utc::now()).await?))
}
