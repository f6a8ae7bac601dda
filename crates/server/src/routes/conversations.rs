//! Direct conversations, the conversation list and history.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use lodestar_protocol::{
    Conversation, ConversationList, ErrorBody, MessagesPage, MessagesQuery, OpenDirectRequest,
};

use super::created_or_retried;
use super::limit;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, Caller, Id, QueryOf};
use crate::store::StoreError;
use crate::AppState;

/// Opens the direct conversation with a user: 201 when made now, 200 when it existed.
#[utoipa::path(post, path = "/v1/conversations/direct", tag = "conversations", security(("bearer" = [])),
    request_body = OpenDirectRequest,
    responses((status = 201, body = Conversation), (status = 200, body = Conversation),
        (status = 403, body = ErrorBody, description = "`blocked`: one of the two has blocked the other"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn open_direct(
    State(s): State<AppState>,
    caller: Caller,
    Body(req): Body<OpenDirectRequest>,
) -> ApiResult<(StatusCode, Json<Conversation>)> {
    if req.user_id == caller.user_id {
        return Err(ApiError::field("user_id", "self"));
    }
    let opened = s.store.open_direct(caller.user_id, req.user_id, Utc::now()).await.map_err(
        |e| match e {
            StoreError::NotFound => ApiError::NotFound("no such user"),
            other => other.into(),
        },
    )?;
    Ok((created_or_retried(opened.created), Json(opened.conversation)))
}

/// The caller's conversations, most recent first, with the last message and unread count.
#[utoipa::path(get, path = "/v1/conversations", tag = "conversations", security(("bearer" = [])),
    responses((status = 200, body = ConversationList), (status = 401, body = ErrorBody)))]
pub async fn list(State(s): State<AppState>, caller: Caller) -> ApiResult<Json<ConversationList>> {
    Ok(Json(ConversationList { conversations: s.store.conversations(caller.user_id).await? }))
}

/// One conversation the caller takes part in.
#[utoipa::path(get, path = "/v1/conversations/{id}", tag = "conversations", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The conversation")),
    responses((status = 200, body = Conversation), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<Conversation>> {
    Ok(Json(s.store.conversation(caller.user_id, id).await?))
}

/// The newest messages older than `before`, oldest first.
#[utoipa::path(get, path = "/v1/conversations/{id}/messages", tag = "conversations", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The conversation"), MessagesQuery),
    responses((status = 200, body = MessagesPage), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn history(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    QueryOf(q): QueryOf<MessagesQuery>,
) -> ApiResult<Json<MessagesPage>> {
    let limit = limit(q.limit, 50, 200)?;
    if q.before.is_some_and(|b| b < 1) {
        return Err(ApiError::field("before", "out_of_range"));
    }
    let (messages, has_more) = s.store.messages(caller.user_id, id, q.before, limit).await?;
    Ok(Json(MessagesPage { messages, has_more }))
}
