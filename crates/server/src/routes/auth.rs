//! Register, login, logout.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use lodestar_protocol::{validate, AuthResponse, ErrorBody, LoginRequest, RegisterRequest};
use uuid::Uuid;

use crate::auth::{new_token, token_hash, Throttle, REGISTER_LIMIT, TOKEN_LIFETIME};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, Caller, ClientIp};
use crate::store::NewAccount;
use crate::AppState;

/// Issues a token for `user_id` and stores its hash.
async fn issue(s: &AppState, user_id: Uuid, now: DateTime<Utc>) -> ApiResult<String> {
    let token = new_token();
    s.store.create_session(user_id, &token_hash(&token), now, now + TOKEN_LIFETIME).await?;
    Ok(token)
}

/// Creates an account and signs it in.
#[utoipa::path(post, path = "/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = AuthResponse), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "Too many registrations from this address; see Retry-After"),
        (status = 503, body = ErrorBody, description = "The password hasher is saturated; see Retry-After")))]
pub async fn register(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    Body(req): Body<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<AuthResponse>)> {
    let now = Utc::now();
    let user = validate::register(&req, now.date_naive())?;
    // Everything that can refuse the account without a hash comes before the hash.
    let taken =
        s.store.taken(&user.username, &user.email, user.profile.phone_number.as_deref()).await?;
    if !taken.is_empty() {
        return Err(ApiError::taken(&taken));
    }
    Throttle::register(ip, REGISTER_LIMIT).attempt(s.store.as_ref(), now).await?.keep();
    let password_hash = s.hasher.hash(&user.password).await?;
    let me = s.store.create_user(NewAccount { user, password_hash }, now).await?;
    let token = issue(&s, me.profile.user_id, now).await?;
    Ok((StatusCode::CREATED, Json(AuthResponse { token, user: me })))
}

/// Signs in with a username or email and a password.
#[utoipa::path(post, path = "/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = AuthResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "`suspended`: the program's coordinators suspended the account; the message says why"),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "Too many failures; see Retry-After"),
        (status = 503, body = ErrorBody, description = "The password hasher is saturated; see Retry-After")))]
pub async fn login(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    Body(req): Body<LoginRequest>,
) -> ApiResult<Json<AuthResponse>> {
    let now = Utc::now();
    validate::login(&req)?;
    // Counted before anything is looked up or verified (auth/throttle.rs).
    let attempt = Throttle::login(&req.login, ip).attempt(s.store.as_ref(), now).await?;
    let record = s.store.find_login(&req.login).await?;
    let ok =
        s.hasher.verify(&req.password, record.as_ref().map(|r| r.password_hash.as_str())).await?;
    let Some(record) = record.filter(|_| ok) else {
        attempt.keep();
        return Err(ApiError::Unauthorized("wrong login or password"));
    };
    attempt.succeeded(s.store.as_ref()).await?;
    // Said only to whoever knows the password.
    if let Some(reason) = record.suspended {
        return Err(ApiError::Suspended(reason));
    }
    let token = issue(&s, record.user_id, now).await?;
    let user = s.store.me(record.user_id, now.date_naive()).await?;
    Ok(Json(AuthResponse { token, user }))
}

/// Revokes the token used for this request.
#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(State(s): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    s.store.delete_session(&caller.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}
