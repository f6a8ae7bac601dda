//! The one error type of the HTTP layer, answering the contract's error body (API.md).

use std::collections::BTreeMap;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use lodestar_protocol::{ErrorBody, ErrorCode, ErrorDetail, FieldErrors};

use crate::store::{Refusal, StoreError};

/// Every way a request can fail, each with its status and code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// 400: not JSON, or a field of the wrong type.
    #[error("{0}")]
    BadRequest(String),
    /// 401.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// 403: a member without the role.
    #[error("{0}")]
    Forbidden(&'static str),
    /// 404: no such thing, or not the caller's to see.
    #[error("{0}")]
    NotFound(&'static str),
    /// 405.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409, naming the taken fields.
    #[error("{message}")]
    Conflict {
        /// For people.
        message: String,
        /// Field name to `taken` (or another code).
        fields: BTreeMap<String, String>,
    },
    /// 413.
    #[error("request body is larger than 64 KiB")]
    PayloadTooLarge,
    /// 422, naming each bad field.
    #[error("{}", .0.summary())]
    Validation(FieldErrors),
    /// 429.
    #[error("too many failed attempts; retry in {retry_after} seconds")]
    RateLimited {
        /// Seconds until a retry may succeed.
        retry_after: u64,
    },
    /// 503: the server is saturated (the password hasher's queue, requests in flight); the
    /// request did nothing and may be retried after `retry_after` seconds.
    #[error("the server is busy; retry in {retry_after} seconds")]
    Unavailable {
        /// Seconds until a retry may succeed.
        retry_after: u64,
    },
    /// 408: the request (its body included) took longer than the server waits.
    #[error("the request took too long to arrive or to answer; retry")]
    Timeout,
    /// 500: a bug or a failing database. Logged; the client learns only that it failed.
    #[error("internal error")]
    Internal(String),
    /// 403 or 409: a rule of the program refuses the action (PROGRAM.md), with its own code.
    #[error("{0}")]
    Refused(Refusal),
    /// 403 `suspended`: the account is suspended; the text says why.
    #[error("your program's coordinators suspended this account: {0}")]
    Suspended(String),
}

impl ApiError {
    /// The machine-readable code of API.md.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadRequest(_) => ErrorCode::BadRequest,
            ApiError::Unauthorized(_) => ErrorCode::Unauthorized,
            ApiError::Forbidden(_) => ErrorCode::Forbidden,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            ApiError::Conflict { .. } => ErrorCode::Conflict,
            ApiError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            ApiError::Validation(_) => ErrorCode::ValidationFailed,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::Unavailable { .. } => ErrorCode::Unavailable,
            ApiError::Timeout => ErrorCode::Timeout,
            ApiError::Internal(_) => ErrorCode::Internal,
            ApiError::Suspended(_) => ErrorCode::Suspended,
            ApiError::Refused(r) => match r {
                Refusal::AlreadyAsked
                | Refusal::Ended
                | Refusal::Cancelled
                | Refusal::Resolved
                | Refusal::NotHeld
                | Refusal::Deleted
                | Refusal::Held => ErrorCode::Conflict,
                Refusal::TooManyPending | Refusal::TooManyReports => ErrorCode::LimitReached,
                Refusal::MentorUnavailable => ErrorCode::Unavailable,
                Refusal::NotPending => ErrorCode::NotPending,
                Refusal::WrongParty
                | Refusal::OwnProposal
                | Refusal::NotSender
                | Refusal::EditWindow => ErrorCode::Forbidden,
                Refusal::Blocked => ErrorCode::Blocked,
                Refusal::Safeguarding => ErrorCode::Safeguarding,
            },
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Timeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Suspended(_) => StatusCode::FORBIDDEN,
            ApiError::Refused(
                Refusal::WrongParty
                | Refusal::OwnProposal
                | Refusal::NotSender
                | Refusal::EditWindow
                | Refusal::Blocked
                | Refusal::Safeguarding,
            ) => StatusCode::FORBIDDEN,
            ApiError::Refused(_) => StatusCode::CONFLICT,
        }
    }

    /// A 422 for one field.
    pub fn field(field: &str, code: &str) -> Self {
        let mut e = FieldErrors::default();
        e.add(field, code);
        ApiError::Validation(e)
    }

    /// A 409 naming taken fields.
    pub fn taken(fields: &[String]) -> Self {
        let names = fields.join(", ");
        ApiError::Conflict {
            message: format!("already taken: {names}"),
            fields: fields.iter().map(|f| (f.clone(), "taken".to_owned())).collect(),
        }
    }
}

impl From<FieldErrors> for ApiError {
    fn from(e: FieldErrors) -> Self {
        ApiError::Validation(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound("not found"),
            StoreError::Conflict(fields) => ApiError::taken(&fields),
            StoreError::Rule { field, code } => ApiError::field(field, code),
            StoreError::Refused(r) => ApiError::Refused(r),
            other => ApiError::Internal(format!("{} ({})", other, other.code())),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let fields = match &self {
            ApiError::Validation(e) => Some(e.0.clone()),
            ApiError::Conflict { fields, .. } => Some(fields.clone()),
            _ => None,
        };
        let body = ErrorBody {
            error: ErrorDetail { code: self.code(), message: self.to_string(), fields },
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let ApiError::RateLimited { retry_after } | ApiError::Unavailable { retry_after } = self
        {
            if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

/// Handler results.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use axum::response::IntoResponse;

    use super::ApiError;

    async fn wire(e: ApiError) -> (u16, String) {
        let response = e.into_response();
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn the_error_body_is_the_contracts_byte_for_byte() {
        assert_eq!(
            wire(ApiError::field("username", "too_short")).await,
            (
                422,
                r#"{"error":{"code":"validation_failed","message":"invalid fields (username: too_short)","fields":{"username":"too_short"}}}"#
                    .to_owned()
            )
        );
        assert_eq!(
            wire(ApiError::NotFound("no such user")).await,
            (404, r#"{"error":{"code":"not_found","message":"no such user"}}"#.to_owned())
        );
        assert_eq!(
            wire(ApiError::taken(&["email".to_owned()])).await,
            (
                409,
                r#"{"error":{"code":"conflict","message":"already taken: email","fields":{"email":"taken"}}}"#
                    .to_owned()
            )
        );
    }

    #[tokio::test]
    async fn every_code_the_server_sends_is_a_known_code() {
        let all = [
            ApiError::BadRequest("x".into()),
            ApiError::Unauthorized("x"),
            ApiError::Forbidden("x"),
            ApiError::NotFound("x"),
            ApiError::MethodNotAllowed,
            ApiError::Conflict { message: "x".into(), fields: Default::default() },
            ApiError::PayloadTooLarge,
            ApiError::Validation(Default::default()),
            ApiError::RateLimited { retry_after: 1 },
            ApiError::Unavailable { retry_after: 1 },
            ApiError::Refused(crate::store::Refusal::NotPending),
            ApiError::Refused(crate::store::Refusal::TooManyPending),
            ApiError::Timeout,
            ApiError::Internal("x".into()),
        ];
        for e in all {
            let code = e.code();
            assert_ne!(code, lodestar_protocol::ErrorCode::Unknown);
            let (_, body) = wire(e).await;
            let read: lodestar_protocol::ErrorBody = serde_json::from_str(&body).unwrap();
            assert_eq!(read.error.code, code, "{body}");
            assert!(body.contains(&format!(r#""code":"{code}""#)), "{body}");
        }
    }
}
