//! Every machine-readable error code: the ones the server's error body carries (API.md) and the
//! ones only the client raises. The server, the client, the CLI and the desktop UI all switch on
//! this one enum; the UI gets it as a string union through the bindings.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What went wrong, as a stable code. On the wire it is the `snake_case` name (`not_found`).
///
/// A code this version does not know (a newer server's) reads as `unknown`, so an older client
/// can always read an error body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not JSON, a field has the wrong type, or the route needs a WebSocket.
    BadRequest,
    /// 401: a missing, unknown, revoked or expired token, or a wrong password.
    Unauthorized,
    /// 403: a member of the group lacks the role for this action.
    Forbidden,
    /// 404: no such thing, or not the caller's to see.
    NotFound,
    /// 405: the route exists but not with this method.
    MethodNotAllowed,
    /// 409: a username, email or phone already taken, or a message id reused for other content.
    Conflict,
    /// 413: the body is over the server's limit.
    PayloadTooLarge,
    /// 422: a value breaks a rule; the body's `fields` names each bad field.
    ValidationFailed,
    /// 429: too many attempts; `Retry-After` says when to retry.
    RateLimited,
    /// 503: the server is saturated; the request did nothing and may be retried. 409: the mentor
    /// is not accepting requests or has no open slot (PROGRAM.md).
    Unavailable,
    /// 408: the request took too long to arrive or to answer.
    Timeout,
    /// 500: a bug or a failing database on the server.
    Internal,
    /// 409: a count rule is hit (five pending mentorship requests).
    LimitReached,
    /// 409: accepting, declining or withdrawing a request that is no longer pending.
    NotPending,
    /// 403: one of the two people has blocked the other.
    Blocked,
    /// 403: a rule protecting minors forbids it.
    Safeguarding,
    /// 403: the account is suspended.
    Suspended,
    /// Client only: the server cannot be reached (or answered 5xx).
    Offline,
    /// Client only: no session; sign in first.
    NotSignedIn,
    /// Client only: the local database failed.
    Database,
    /// Client only: the local database could not be migrated.
    Migrate,
    /// Client only: a stored or received value could not be read.
    Corrupt,
    /// Client only: a plain `http://` server on another machine, not explicitly allowed.
    InsecureServer,
    /// A code this version does not know (sent by a newer server), or an error body that could
    /// not be read.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 24] = [
        ErrorCode::BadRequest,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Conflict,
        ErrorCode::PayloadTooLarge,
        ErrorCode::ValidationFailed,
        ErrorCode::RateLimited,
        ErrorCode::Unavailable,
        ErrorCode::Timeout,
        ErrorCode::Internal,
        ErrorCode::LimitReached,
        ErrorCode::NotPending,
        ErrorCode::Blocked,
        ErrorCode::Safeguarding,
        ErrorCode::Suspended,
        ErrorCode::Offline,
        ErrorCode::NotSignedIn,
        ErrorCode::Database,
        ErrorCode::Migrate,
        ErrorCode::Corrupt,
        ErrorCode::InsecureServer,
        ErrorCode::Unknown,
    ];

    /// The wire name, as serde writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Conflict => "conflict",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Internal => "internal",
            ErrorCode::LimitReached => "limit_reached",
            ErrorCode::NotPending => "not_pending",
            ErrorCode::Blocked => "blocked",
            ErrorCode::Safeguarding => "safeguarding",
            ErrorCode::Suspended => "suspended",
            ErrorCode::Offline => "offline",
            ErrorCode::NotSignedIn => "not_signed_in",
            ErrorCode::Database => "database",
            ErrorCode::Migrate => "migrate",
            ErrorCode::Corrupt => "corrupt",
            ErrorCode::InsecureServer => "insecure_server",
            ErrorCode::Unknown => "unknown",
        }
    }

    /// The code named `s`, or [`ErrorCode::Unknown`]: never fails, like reading the wire.
    pub fn parse(s: &str) -> ErrorCode {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == s).unwrap_or(ErrorCode::Unknown)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::ErrorCode;

    #[test]
    fn every_code_round_trips_as_its_wire_name() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
            assert_eq!(ErrorCode::parse(code.as_str()), code);
            assert_eq!(code.to_string(), code.as_str());
        }
    }

    #[test]
    fn all_lists_each_code_once() {
        let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorCode::ALL.len());
    }

    #[test]
    fn a_code_from_a_newer_server_reads_as_unknown() {
        assert_eq!(
            serde_json::from_str::<ErrorCode>("\"gone_fishing\"").unwrap(),
            ErrorCode::Unknown
        );
        assert_eq!(ErrorCode::parse("gone_fishing"), ErrorCode::Unknown);
        assert_eq!(ErrorCode::parse("NOT_FOUND"), ErrorCode::Unknown);
    }

    #[test]
    fn an_error_body_with_an_unknown_code_is_still_read() {
        let body = r#"{"error":{"code":"gone_fishing","message":"back soon"}}"#;
        let read: crate::ErrorBody = serde_json::from_str(body).unwrap();
        assert_eq!(read.error.code, ErrorCode::Unknown);
        assert_eq!(read.error.message, "back soon");
    }

    #[test]
    fn the_error_body_is_byte_identical_to_the_contract() {
        let body = crate::ErrorBody {
            error: crate::ErrorDetail {
                code: ErrorCode::ValidationFailed,
                message: "username is taken".into(),
                fields: Some([("username".to_owned(), "taken".to_owned())].into()),
            },
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"error":{"code":"validation_failed","message":"username is taken","fields":{"username":"taken"}}}"#
        );
    }
}
