//! Blocking (PROGRAM.md, "Safety and the program"): either of two people blocking the other
//! keeps them apart (no new direct conversation, nothing sent into one, no request: 403
//! `blocked`; each absent from the other's directory and matches); groups are unaffected.
//! Only the caller's own blocks are ever named or listed.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use lodestar_protocol::{BlockList, BlockRequest, ErrorBody};

use super::created_or_retried;
use crate::error::ApiResult;
use crate::extract::{Body, Caller, Id};
use crate::AppState;

/// Blocks someone: 201, or 200 when they were blocked already.
#[utoipa::path(post, path = "/v1/blocks", tag = "safety", security(("bearer" = [])),
    request_body = BlockRequest,
    responses((status = 201), (status = 200), (status = 404, body = ErrorBody, description = "No such user"),
        (status = 422, body = ErrorBody, description = "`user_id: self`")))]
pub async fn block(
    State(s): State<AppState>,
    caller: Caller,
    Body(req): Body<BlockRequest>,
) -> ApiResult<StatusCode> {
    let created = s.store.block(caller.user_id, req.user_id, Utc::now()).await?;
    Ok(created_or_retried(created))
}

/// Lifts one's block of someone: 204 (also when there was none).
#[utoipa::path(delete, path = "/v1/blocks/{id}", tag = "safety", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person blocked")),
    responses((status = 204)))]
pub async fn unblock(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    s.store.unblock(caller.user_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whom the caller has blocked.
#[utoipa::path(get, path = "/v1/blocks", tag = "safety", security(("bearer" = [])),
    responses((status = 200, body = BlockList)))]
pub async fn list(State(s): State<AppState>, caller: Caller) -> ApiResult<Json<BlockList>> {
    let blocked = s.store.blocked(caller.user_id, Utc::now().date_naive()).await?;
    Ok(Json(BlockList { blocked }))
}
