//! What a member does to a message after sending it: edit, delete, react (API.md, "Richer
//! messages"). The store checks that the caller takes part in the message's conversation and
//! may do it; a message the caller cannot see is 404 whoever asks.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use lodestar_protocol::{validate, EditMessageRequest, ErrorBody, Message};

use crate::error::{ApiError, ApiResult};
use crate::extract::{parse_id, Body, Caller, Id};
use crate::AppState;

/// Changes the text of one's own message, within 24 hours of sending it.
#[utoipa::path(patch, path = "/v1/messages/{id}", tag = "messages", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The message")), request_body = EditMessageRequest,
    responses((status = 200, body = Message),
        (status = 403, body = ErrorBody, description = "`forbidden`: not the sender, or more than 24 hours after sending; `safeguarding`: contact details between a minor and an adult"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "Deleted, or held for a coordinator"),
        (status = 422, body = ErrorBody)))]
pub async fn edit(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    Body(req): Body<EditMessageRequest>,
) -> ApiResult<Json<Message>> {
    let content = validate::edit(&req)?;
    Ok(Json(s.store.edit_message(caller.user_id, id, content, Utc::now()).await?))
}

/// Deletes a message (its sender, or an owner or admin of its group), leaving a tombstone.
#[utoipa::path(delete, path = "/v1/messages/{id}", tag = "messages", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The message")),
    responses((status = 204), (status = 403, body = ErrorBody, description = "`forbidden`: neither its sender nor a group owner or admin"),
        (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    s.store.delete_message(caller.user_id, id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A reaction's path as given: its segments, or why they could not be read.
type RawPath = Result<Path<(String, String)>, axum::extract::rejection::PathRejection>;

/// The message id and the emoji of a reaction's path.
fn reaction_path(raw: RawPath) -> ApiResult<(uuid::Uuid, String)> {
    let Path(raw) = raw.map_err(|_| ApiError::NotFound("no such message"))?;
    let id = parse_id(&raw.0)?;
    let emoji = validate::emoji(&raw.1).map_err(|code| ApiError::field("emoji", code))?;
    Ok((id, emoji))
}

/// Reacts to a message with one emoji (again: nothing changes).
#[utoipa::path(put, path = "/v1/messages/{id}/reactions/{emoji}", tag = "messages", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The message"), ("emoji" = String, Path, description = "One emoji, URL-encoded")),
    responses((status = 204), (status = 403, body = ErrorBody, description = "`blocked` or `safeguarding`"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "The message was deleted"),
        (status = 422, body = ErrorBody, description = "`emoji: not_an_emoji`")))]
pub async fn react(
    State(s): State<AppState>,
    caller: Caller,
    raw: RawPath,
) -> ApiResult<StatusCode> {
    let (id, emoji) = reaction_path(raw)?;
    s.store.react(caller.user_id, id, &emoji, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes one's reaction back (none: nothing changes).
#[utoipa::path(delete, path = "/v1/messages/{id}/reactions/{emoji}", tag = "messages", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The message"), ("emoji" = String, Path, description = "One emoji, URL-encoded")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn unreact(
    State(s): State<AppState>,
    caller: Caller,
    raw: RawPath,
) -> ApiResult<StatusCode> {
    let (id, emoji) = reaction_path(raw)?;
    s.store.unreact(caller.user_id, id, &emoji).await?;
    Ok(StatusCode::NO_CONTENT)
}
