//! Sending messages and read receipts.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use lodestar_protocol::{
    validate, ErrorBody, Message, ReadRequest, ReadsResponse, SendMessageRequest,
};

use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, Caller, Id};
use crate::store::{NewMessage, SendOutcome};
use crate::AppState;

/// The most message ids one read request may name.
const MAX_READ_IDS: usize = 1_000;

/// Sends a message, idempotently by its client-made id.
#[utoipa::path(post, path = "/v1/messages", tag = "messages", security(("bearer" = [])),
    request_body = SendMessageRequest,
    responses((status = 201, body = Message), (status = 200, body = Message, description = "The same request again"),
        (status = 403, body = ErrorBody, description = "`blocked`: a direct conversation whose two people are kept apart by a block"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn send(
    State(s): State<AppState>,
    caller: Caller,
    Body(req): Body<SendMessageRequest>,
) -> ApiResult<(StatusCode, Json<Message>)> {
    let body = validate::message(&req)?;
    // An attachment is sent on by those who may read it: nobody shares media by guessing ids.
    if let Some(id) = body.media_url.as_deref().and_then(validate::attachment_id) {
        if s.store.readable_media(caller.user_id, id).await?.is_none() {
            return Err(ApiError::field("media_url", "not_found"));
        }
    }
    let message = NewMessage {
        message_id: req.message_id,
        conversation_id: req.conversation_id,
        body,
        sent_at: req.sent_at.unwrap_or_else(Utc::now),
        reply_to: req.reply_to,
    };
    match s.messages.send(caller.user_id, message).await? {
        SendOutcome::Created(m) => Ok((StatusCode::CREATED, Json(m))),
        SendOutcome::Existing(m) => Ok((StatusCode::OK, Json(m))),
        SendOutcome::IdConflict => Err(ApiError::Conflict {
            message: "this message id is already used for another message".into(),
            fields: [("message_id".to_owned(), "taken".to_owned())].into(),
        }),
    }
}

/// Marks messages read by the caller; the first `read_at` stands.
#[utoipa::path(post, path = "/v1/read", tag = "messages", security(("bearer" = [])), request_body = ReadRequest,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn read(
    State(s): State<AppState>,
    caller: Caller,
    Body(req): Body<ReadRequest>,
) -> ApiResult<StatusCode> {
    if req.message_ids.len() > MAX_READ_IDS {
        return Err(ApiError::field("message_ids", "too_many"));
    }
    s.store.mark_read(caller.user_id, &req.message_ids, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who has read a message.
#[utoipa::path(get, path = "/v1/messages/{id}/reads", tag = "messages", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The message")),
    responses((status = 200, body = ReadsResponse), (status = 404, body = ErrorBody)))]
pub async fn reads(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<ReadsResponse>> {
    Ok(Json(ReadsResponse { reads: s.store.reads(caller.user_id, id).await? }))
}
