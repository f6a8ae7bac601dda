//! Extractors that answer the contract's errors instead of axum's plain-text rejections.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::auth::token_hash;
use crate::error::ApiError;
use crate::AppState;

/// A JSON body: 400 when it is not JSON or a field has the wrong type, 422 naming a missing
/// required field, 413 over the body limit.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::BadRequest("the request body could not be read".into())
            }
        })?;
        parse_json(&bytes).map(Body)
    }
}

/// A JSON body that may be left out (an empty body reads as `T::default()`), for routes whose
/// every field is optional: `POST …/decline` with no reason.
pub struct OptionalBody<T>(pub T);

impl<T: DeserializeOwned + Default> FromRequest<AppState> for OptionalBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::BadRequest("the request body could not be read".into())
            }
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalBody(T::default()));
        }
        parse_json(&bytes).map(OptionalBody)
    }
}

/// Decodes a JSON document into `T` with the contract's statuses.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::BadRequest(format!("the body is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(ApiError::BadRequest("the body must be a JSON object".into()));
    }
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        if let Some(field) = missing_field(&inner) {
            let field = if path == "." { field } else { format!("{path}.{field}") };
            ApiError::field(&field, "required")
        } else if let Some(field) = unknown_field(&inner) {
            ApiError::field(&field, "unknown")
        } else {
            ApiError::BadRequest(format!("field `{path}`: {inner}"))
        }
    })
}

fn backticked(msg: &str, prefix: &str) -> Option<String> {
    let rest = msg.strip_prefix(prefix)?;
    let rest = rest.strip_prefix('`')?;
    rest.split('`').next().map(str::to_owned)
}

fn missing_field(msg: &str) -> Option<String> {
    backticked(msg, "missing field ")
}

fn unknown_field(msg: &str) -> Option<String> {
    backticked(msg, "unknown field ")
}

/// A query string: 400 when a parameter has the wrong type.
pub struct QueryOf<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryOf<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| QueryOf(q.0))
            .map_err(|e| ApiError::BadRequest(format!("bad query parameter: {}", e.body_text())))
    }
}

/// Path ids: a malformed id names nothing, so it answers 404.
pub struct Id(pub Uuid);

/// Parses a path segment as an id.
pub fn parse_id(s: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(s).map_err(|_| ApiError::NotFound("no such id"))
}

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::NotFound("no such id"))?;
        parse_id(&raw).map(Id)
    }
}

/// Two path ids (`/groups/{id}/members/{user_id}`).
pub struct TwoIds(pub Uuid, pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for TwoIds {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path((a, b)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::NotFound("no such id"))?;
        Ok(TwoIds(parse_id(&a)?, parse_id(&b)?))
    }
}

/// The client's address, for login throttling. With `--trust-proxy` it is the last entry of
/// `X-Forwarded-For` (the one the load balancer itself appended; earlier entries are whatever
/// the client claimed), otherwise the peer of the TCP connection.
pub struct ClientIp(pub std::net::IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.trust_proxy {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|v| v.trim().parse::<std::net::IpAddr>().ok())
                .next_back();
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip));
            }
        }
        parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| ClientIp(c.0.ip()))
            .ok_or(ApiError::Internal("the server was started without peer addresses".into()))
    }
}

/// The signed-in caller: a valid, unexpired bearer token.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Who.
    pub user_id: Uuid,
    /// The SHA-256 of the token used, to revoke exactly it.
    pub token_hash: String,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(ApiError::Unauthorized("missing bearer token"))?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::Unauthorized("the Authorization header must be `Bearer <token>`"))?;
        let token_hash = token_hash(token);
        let user_id = state
            .store
            .session_user(&token_hash, chrono::Utc::now())
            .await?
            .ok_or(ApiError::Unauthorized("the token is unknown, revoked or expired"))?;
        Ok(Caller { user_id, token_hash })
    }
}

/// A signed-in coordinator: every admin route takes one, so none can forget the check. Anyone
/// else gets 403 `forbidden`, whatever the route names.
#[derive(Debug, Clone)]
pub struct Coordinator(pub Caller);

impl FromRequestParts<AppState> for Coordinator {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if state.store.is_coordinator(caller.user_id).await? {
            Ok(Coordinator(caller))
        } else {
            Err(ApiError::Forbidden("only the program's coordinators may do that"))
        }
    }
}
