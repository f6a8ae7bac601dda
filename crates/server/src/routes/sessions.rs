//! Sessions of a mentorship (PROGRAM.md): proposed by one of the two people, confirmed by the
//! other, moved (proposed again) or cancelled; the calendar file; feedback once a confirmed
//! session has ended. Anyone but the two gets 404; an ended mentorship or a cancelled session
//! refuses changes (409).

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::Utc;
use lodestar_protocol::{
    validate, CreateSessionRequest, ErrorBody, Feedback, FeedbackRequest, NotesUpdateRequest,
    ReasonRequest, Session, SessionNotes, UpdateSessionRequest,
};

use super::created_or_retried;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, Caller, Id, OptionalBody};
use crate::AppState;

/// Proposes a session: 201 (`proposed`), or 200 for the same one again.
#[utoipa::path(post, path = "/v1/mentorships/{id}/sessions", tag = "sessions", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The mentorship")), request_body = CreateSessionRequest,
    responses((status = 201, body = Session), (status = 200, body = Session), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The mentorship has ended, or the id is taken"),
        (status = 422, body = ErrorBody, description = "A start in the past, a length outside 15–240 minutes, an unknown time zone")))]
pub async fn propose(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    Body(req): Body<CreateSessionRequest>,
) -> ApiResult<(StatusCode, Json<Session>)> {
    let now = Utc::now();
    let session = validate::new_session(&req, now)?;
    let (session, created) = s.store.propose_session(caller.user_id, id, session, now).await?;
    Ok((created_or_retried(created), Json(session)))
}

/// Edits a session; a new start or length makes it `proposed` again, by the editor.
#[utoipa::path(patch, path = "/v1/sessions/{id}", tag = "sessions", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The session")), request_body = UpdateSessionRequest,
    responses((status = 200, body = Session), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The mentorship has ended or the session was cancelled")))]
pub async fn edit(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    Body(req): Body<UpdateSessionRequest>,
) -> ApiResult<Json<Session>> {
    let now = Utc::now();
    let patch = validate::session_patch(&req, now)?;
    Ok(Json(s.store.edit_session(caller.user_id, id, patch, now).await?))
}

/// Confirms a proposed session: the person who did not propose it.
#[utoipa::path(post, path = "/v1/sessions/{id}/confirm", tag = "sessions", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The session")),
    responses((status = 200, body = Session), (status = 403, body = ErrorBody, description = "The caller proposed it"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn confirm(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<Session>> {
    Ok(Json(s.store.confirm_session(caller.user_id, id, Utc::now()).await?))
}

/// Cancels a session, with an optional reason.
#[utoipa::path(post, path = "/v1/sessions/{id}/cancel", tag = "sessions", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The session")), request_body = ReasonRequest,
    responses((status = 200, body = Session), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    OptionalBody(req): OptionalBody<ReasonRequest>,
) -> ApiResult<Json<Session>> {
    let reason = validate::optional_reason(req.reason.as_deref())?;
    Ok(Json(s.store.cancel_session(caller.user_id, id, reason, Utc::now()).await?))
}

/// The session as one RFC 5545 event: a stable UID, SEQUENCE rising with each change, STATUS
/// following the session.
#[utoipa::path(get, path = "/v1/sessions/{id}/calendar.ics", tag = "sessions", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The session")),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorBody)))]
pub async fn calendar(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<impl IntoResponse> {
    let (session, _) = s.store.mentorship_session(caller.user_id, id).await?;
    let body = session.calendar_file();
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body))
}

/// Gives (or replaces one's own) feedback on a held session: 201, or 200 when replaced.
#[utoipa::path(post, path = "/v1/sessions/{id}/feedback", tag = "sessions", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The session")), request_body = FeedbackRequest,
    responses((status = 201, body = Feedback), (status = 200, body = Feedback), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "Before the session has ended, or a bad rating or fit")))]
pub async fn feedback(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    Body(req): Body<FeedbackRequest>,
) -> ApiResult<(StatusCode, Json<Feedback>)> {
    let feedback = validate::feedback(&req)?;
    let (feedback, created) =
        s.store.give_feedback(caller.user_id, id, feedback, Utc::now()).await?;
    Ok((created_or_retried(created), Json(feedback)))
}

/// A session's shared notes: the merged text, and the document (base64 of a yrs v1 update) a
/// client merges into its own.
#[utoipa::path(get, path = "/v1/sessions/{id}/notes", tag = "sessions", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The session")),
    responses((status = 200, body = SessionNotes), (status = 404, body = ErrorBody)))]
pub async fn notes(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<SessionNotes>> {
    Ok(Json(s.store.session_notes(caller.user_id, id).await?))
}

/// Merges an edit of a session's notes: `update` is base64 of a yrs v1 update of the notes text
/// (what `lodestar-notes` makes from typed text). Merging is idempotent and commutative: an
/// update sent twice, or two people's updates in either order, give the same text. Answers the
/// merged notes; the other person receives them by sync (`session_notes`).
#[utoipa::path(post, path = "/v1/sessions/{id}/notes", tag = "sessions", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The session")), request_body = NotesUpdateRequest,
    responses((status = 200, body = SessionNotes), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The mentorship has ended"),
        (status = 422, body = ErrorBody, description = "`update` is not base64 of a notes update (`invalid`), or the notes would grow past 4 MiB (`too_long`)")))]
pub async fn edit_notes(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    Body(req): Body<NotesUpdateRequest>,
) -> ApiResult<Json<SessionNotes>> {
    let update =
        lodestar_notes::decode(&req.update).map_err(|e| ApiError::field("update", e.code()))?;
    Ok(Json(s.store.merge_notes(caller.user_id, id, update, Utc::now()).await?))
}
