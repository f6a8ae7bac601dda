//! The one error type of the HTTP layer, answering the contract's error body (API.md).

use std::collections::BTreeMap;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use lodestar_protocol::{ErrorBody, ErrorDetail, FieldErrors};

use crate::store::StoreError;

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
}

impl ApiError {
    /// The machine-readable code of API.md.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Conflict { .. } => "conflict",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::Validation(_) => "validation_failed",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Unavailable { .. } => "unavailable",
            ApiError::Timeout => "timeout",
            ApiError::Internal(_) => "internal",
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
            error: ErrorDetail { code: self.code().to_owned(), message: self.to_string(), fields },
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
