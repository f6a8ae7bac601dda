//! The signed-in user's own record.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use lodestar_protocol::{validate, ChangePasswordRequest, ErrorBody, Me, UpdateMeRequest};

use crate::auth::Throttle;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, Caller, ClientIp};
use crate::AppState;

/// The caller's full record.
#[utoipa::path(get, path = "/v1/me", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn get_me(State(s): State<AppState>, caller: Caller) -> ApiResult<Json<Me>> {
    Ok(Json(s.store.me(caller.user_id, Utc::now().date_naive()).await?))
}

/// Edits the caller's profile; absent fields stay, `null` clears an optional one.
#[utoipa::path(patch, path = "/v1/me", tag = "me", security(("bearer" = [])), request_body = UpdateMeRequest,
    responses((status = 200, body = Me), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_me(
    State(s): State<AppState>,
    caller: Caller,
    Body(req): Body<UpdateMeRequest>,
) -> ApiResult<Json<Me>> {
    let today = Utc::now().date_naive();
    let patch = validate::profile_patch(&req, today)?;
    Ok(Json(s.store.update_me(caller.user_id, patch, today).await?))
}

/// Changes the password and revokes every other token of the user.
#[utoipa::path(post, path = "/v1/me/password", tag = "me", security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "Too many wrong passwords; see Retry-After"),
        (status = 503, body = ErrorBody, description = "The password hasher is saturated; see Retry-After")))]
pub async fn change_password(
    State(s): State<AppState>,
    caller: Caller,
    ClientIp(ip): ClientIp,
    Body(req): Body<ChangePasswordRequest>,
) -> ApiResult<StatusCode> {
    let now = Utc::now();
    let me = s.store.me(caller.user_id, now.date_naive()).await?;
    let attempt =
        Throttle::password_change(caller.user_id, ip).attempt(s.store.as_ref(), now).await?;
    let current = s.store.password_hash(caller.user_id).await?;
    if !s.hasher.verify(&req.current_password, Some(&current)).await? {
        attempt.keep();
        return Err(ApiError::Unauthorized("the current password is wrong"));
    }
    attempt.succeeded(s.store.as_ref()).await?;
    let mut errors = lodestar_protocol::FieldErrors::default();
    errors.check(
        "new_password",
        validate::password(&req.new_password, &me.profile.username, &me.email),
    );
    errors.finish(|| ())?;
    let hash = s.hasher.hash(&req.new_password).await?;
    s.store.set_password_hash(caller.user_id, &hash, &caller.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}
