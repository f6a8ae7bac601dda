//! Mentorship requests (PROGRAM.md): a mentee asks within a mentor's capacity, the mentor
//! accepts or declines, the mentee may withdraw, and a pending request expires after 14 days.
//!
//! Who may do what: only the request's two people see it (anyone else gets 404); only its
//! mentor accepts or declines, only its mentee withdraws (the other one gets 403).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use lodestar_protocol::{
    validate, AcceptResponse, CreateMentorshipRequest, ErrorBody, MentorshipRequest, ReasonRequest,
    RequestList, RequestsQuery,
};

use super::created_or_retried;
use crate::error::ApiResult;
use crate::extract::{Body, Caller, Id, OptionalBody, QueryOf};
use crate::store::NewRequest;
use crate::AppState;

/// Asks a mentor for mentorship: 201 when made now, 200 for the same request again.
#[utoipa::path(post, path = "/v1/mentorship-requests", tag = "mentorship", security(("bearer" = [])),
    request_body = CreateMentorshipRequest,
    responses((status = 201, body = MentorshipRequest), (status = 200, body = MentorshipRequest),
        (status = 403, body = ErrorBody, description = "`blocked`: one of the two has blocked the other"),
        (status = 409, body = ErrorBody, description = "`conflict`: a pending request or an active mentorship with this mentor exists, or the id is taken; `limit_reached`: 5 pending requests; `unavailable`: the mentor has no open slot or is not accepting")))]
pub async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(req): Body<CreateMentorshipRequest>,
) -> ApiResult<(StatusCode, Json<MentorshipRequest>)> {
    let message = validate::new_request(&req.message)?;
    let request = NewRequest { request_id: req.request_id, mentor_id: req.mentor_id, message };
    let (request, created) = s.store.create_request(caller.user_id, request, Utc::now()).await?;
    Ok((created_or_retried(created), Json(request)))
}

/// The caller's requests, newest first: `box=incoming` (as mentor), `outgoing` (as mentee).
#[utoipa::path(get, path = "/v1/mentorship-requests", tag = "mentorship", security(("bearer" = [])),
    params(RequestsQuery),
    responses((status = 200, body = RequestList)))]
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    QueryOf(q): QueryOf<RequestsQuery>,
) -> ApiResult<Json<RequestList>> {
    let filter = validate::requests_query(&q)?;
    Ok(Json(RequestList { requests: s.store.requests(caller.user_id, filter, Utc::now()).await? }))
}

/// The mentor accepts: the mentorship starts and the pair's direct conversation opens.
#[utoipa::path(post, path = "/v1/mentorship-requests/{id}/accept", tag = "mentorship", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The request")),
    responses((status = 200, body = AcceptResponse), (status = 403, body = ErrorBody, description = "The caller is the request's mentee"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`unavailable`: no open slot; `not_pending`: already answered, withdrawn or expired")))]
pub async fn accept(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<AcceptResponse>> {
    let (request, mentorship) = s.store.accept_request(caller.user_id, id, Utc::now()).await?;
    Ok(Json(AcceptResponse { request, mentorship }))
}

/// The mentor declines, with an optional reason the mentee sees.
#[utoipa::path(post, path = "/v1/mentorship-requests/{id}/decline", tag = "mentorship", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The request")), request_body = ReasonRequest,
    responses((status = 200, body = MentorshipRequest), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`not_pending`")))]
pub async fn decline(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    OptionalBody(req): OptionalBody<ReasonRequest>,
) -> ApiResult<Json<MentorshipRequest>> {
    let reason = validate::optional_reason(req.reason.as_deref())?;
    Ok(Json(s.store.decline_request(caller.user_id, id, reason, Utc::now()).await?))
}

/// The mentee withdraws a pending request.
#[utoipa::path(post, path = "/v1/mentorship-requests/{id}/withdraw", tag = "mentorship", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The request")),
    responses((status = 200, body = MentorshipRequest), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`not_pending`")))]
pub async fn withdraw(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<MentorshipRequest>> {
    Ok(Json(s.store.withdraw_request(caller.user_id, id, Utc::now()).await?))
}
