//! One's own data (PROGRAM.md, "One's own data"): everything the server holds about the caller
//! as one document, and deleting the account.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::Utc;
use lodestar_protocol::validate::RequestFilter;
use lodestar_protocol::{AccountExport, DeleteAccountRequest, ErrorBody};

use crate::auth::Throttle;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, Caller, ClientIp};
use crate::sockets::Closed;
use crate::AppState;

/// Messages read per page while gathering a conversation's history.
const PAGE: i64 = 500;

/// Everything the server holds about the caller, as one JSON document to save.
#[utoipa::path(get, path = "/v1/me/export", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = AccountExport), (status = 401, body = ErrorBody)))]
pub async fn export(State(s): State<AppState>, caller: Caller) -> ApiResult<impl IntoResponse> {
    let (user, now) = (caller.user_id, Utc::now());
    let today = now.date_naive();
    let store = s.store.as_ref();
    let me = store.me(user, today).await?;
    let conversations = store.conversations(user).await?;
    let mut messages = Vec::new();
    for c in &conversations {
        let id = c.conversation.conversation_id;
        let mut pages = Vec::new();
        let mut before = None;
        loop {
            let (page, more) = store.messages(user, id, before, PAGE).await?;
            before = page.first().map(|m| m.seq);
            pages.push(page);
            if !more || before.is_none() {
                break;
            }
        }
        messages.extend(pages.into_iter().rev().flatten());
    }
    let mut mentorships = Vec::new();
    let mut notes = Vec::new();
    for m in store.mentorships(user, None).await? {
        let detail = store.mentorship(user, m.mentorship_id).await?;
        for session in &detail.sessions {
            let n = store.session_notes(user, session.session_id).await?;
            if !n.text.is_empty() {
                notes.push(n);
            }
        }
        mentorships.push(detail);
    }
    let document = AccountExport {
        exported_at: now,
        reads: store.own_reads(user).await?,
        requests: store.requests(user, RequestFilter::default(), now).await?,
        feedback: store.own_feedback(user).await?,
        blocked: store.blocked(user, today).await?,
        reports: store.filed_reports(user).await?,
        conversations,
        messages,
        mentorships,
        notes,
        me,
    };
    let name = format!("attachment; filename=\"lodestar-{}.json\"", document.me.profile.username);
    Ok(([(header::CONTENT_DISPOSITION, name)], Json(document)))
}

/// Deletes the caller's account, after the password: every token and socket gone, the profile
/// gone from everyone's replica on their next sync, messages kept as from a deleted account.
#[utoipa::path(delete, path = "/v1/me", tag = "me", security(("bearer" = [])),
    request_body = DeleteAccountRequest,
    responses((status = 204), (status = 401, body = ErrorBody, description = "The password is wrong"),
        (status = 429, body = ErrorBody, description = "Too many wrong passwords; see Retry-After")))]
pub async fn delete_me(
    State(s): State<AppState>,
    caller: Caller,
    ClientIp(ip): ClientIp,
    Body(req): Body<DeleteAccountRequest>,
) -> ApiResult<StatusCode> {
    let now = Utc::now();
    // The same budget as a password change: a stolen token cannot guess its way to a delete.
    let attempt =
        Throttle::password_change(caller.user_id, ip).attempt(s.store.as_ref(), now).await?;
    let hash = s.store.password_hash(caller.user_id).await?;
    if !s.hasher.verify(&req.password, Some(&hash)).await? {
        attempt.keep();
        return Err(ApiError::Unauthorized("the password is wrong"));
    }
    attempt.succeeded(s.store.as_ref()).await?;
    s.store.delete_account(caller.user_id, now).await?;
    s.sockets.close_user(caller.user_id, Closed::Revoked);
    Ok(StatusCode::NO_CONTENT)
}
