//! The engine's one error type, with machine-readable codes the app and the CLI switch on.

use std::collections::BTreeMap;

use lodestar_protocol::{ErrorBody, ErrorCode, FieldErrors};

/// What an engine operation can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The server could not be reached (or answered 5xx): worth retrying later.
    #[error("the server cannot be reached: {0}")]
    Offline(String),
    /// The server refused the request, with the contract's error body.
    #[error("{message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// The contract's code; [`ErrorCode::Unknown`] for one this version does not know (the
        /// message then names it) or a body that is not the contract's.
        code: ErrorCode,
        /// For people.
        message: String,
        /// Bad fields, for `validation_failed` and `conflict`.
        fields: BTreeMap<String, String>,
    },
    /// A value breaks a rule; refused before anything was queued.
    #[error("{}", .0.summary())]
    Invalid(FieldErrors),
    /// Refused here, before anything was queued, by a rule the server applies too (accepting
    /// a request that is no longer pending, asking a mentor twice).
    #[error("{message}")]
    Rule {
        /// The code the server would answer.
        code: ErrorCode,
        /// For people.
        message: String,
    },
    /// No session: sign in first.
    #[error("not signed in")]
    NotSignedIn,
    /// The thing named is not in the replica.
    #[error("no such {0}")]
    NotFound(&'static str),
    /// The local database failed.
    #[error("local database: {0}")]
    Database(#[from] sqlx::Error),
    /// The local database could not be migrated.
    #[error("local database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored or received value could not be read.
    #[error("unreadable data: {0}")]
    Corrupt(String),
    /// A plain `http://` server on another machine, and the user did not say to allow it.
    #[error(
        "{0} is plain http on another machine: your password and session would cross the \
         network readable by anyone on the way. Use its https:// address, or allow plain http \
         explicitly (the CLI's --allow-insecure-http) if you trust every network in between"
    )]
    InsecureServer(String),
    /// The desktop did not do what was asked (start at login, the clipboard, an update).
    #[error("{0}")]
    Desktop(String),
}

impl ClientError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            ClientError::Offline(_) => ErrorCode::Offline,
            ClientError::Server { code, .. } => *code,
            ClientError::Invalid(_) => ErrorCode::ValidationFailed,
            ClientError::Rule { code, .. } => *code,
            ClientError::NotSignedIn => ErrorCode::NotSignedIn,
            ClientError::NotFound(_) => ErrorCode::NotFound,
            ClientError::Database(_) => ErrorCode::Database,
            ClientError::Migrate(_) => ErrorCode::Migrate,
            ClientError::Corrupt(_) => ErrorCode::Corrupt,
            ClientError::InsecureServer(_) => ErrorCode::InsecureServer,
            ClientError::Desktop(_) => ErrorCode::Unavailable,
        }
    }

    /// The server's refusal: a 4xx `status` and its `body`, read as the contract's error body.
    /// A code from a newer server reads as [`ErrorCode::Unknown`], its name kept in the message
    /// so that a log or the Outbox screen still says what the server meant.
    pub fn refused(status: u16, body: &[u8]) -> Self {
        let Ok(ErrorBody { error }) = serde_json::from_slice::<ErrorBody>(body) else {
            return ClientError::Server {
                status,
                code: ErrorCode::Unknown,
                message: format!("the server answered {status}"),
                fields: BTreeMap::new(),
            };
        };
        let mut message = error.message;
        if error.code == ErrorCode::Unknown {
            let raw = serde_json::from_slice::<serde_json::Value>(body)
                .ok()
                .and_then(|v| v["error"]["code"].as_str().map(str::to_owned));
            if let Some(raw) = raw {
                message = format!("{message} (code {raw})");
            }
        }
        ClientError::Server {
            status,
            code: error.code,
            message,
            fields: error.fields.unwrap_or_default(),
        }
    }

    /// Whether retrying the same request can never succeed: the server refused it for good.
    /// A 401 is not permanent (signing in again fixes it), nor is a 429 (waiting does).
    pub fn is_permanent(&self) -> bool {
        match self {
            ClientError::Server { status, .. } => {
                (400..500).contains(status) && *status != 401 && *status != 429 && *status != 408
            }
            ClientError::Invalid(_) | ClientError::Rule { .. } => true,
            _ => false,
        }
    }
}

impl ClientError {
    /// A rule of the contract refused it here.
    pub fn rule(code: ErrorCode, message: &str) -> Self {
        ClientError::Rule { code, message: message.to_owned() }
    }

    /// One field broke a rule (`starts_at`, `in_the_past`), as the server's 422 would say.
    pub fn field(name: &str, code: &str) -> Self {
        let mut e = FieldErrors::default();
        e.add(name, code);
        ClientError::Invalid(e)
    }
}

impl From<FieldErrors> for ClientError {
    fn from(e: FieldErrors) -> Self {
        ClientError::Invalid(e)
    }
}

/// Engine results.
pub type ClientResult<T> = Result<T, ClientError>;

#[cfg(test)]
mod tests {
    use lodestar_protocol::ErrorCode;

    use super::ClientError;

    fn refused(status: u16, body: &str) -> (ErrorCode, String, Vec<(String, String)>) {
        match ClientError::refused(status, body.as_bytes()) {
            ClientError::Server { code, message, fields, .. } => {
                (code, message, fields.into_iter().collect())
            }
            other => panic!("not a server error: {other:?}"),
        }
    }

    #[test]
    fn a_server_error_body_becomes_its_typed_code() {
        let body = r#"{"error":{"code":"conflict","message":"already taken: email","fields":{"email":"taken"}}}"#;
        assert_eq!(
            refused(409, body),
            (
                ErrorCode::Conflict,
                "already taken: email".to_owned(),
                vec![("email".to_owned(), "taken".to_owned())]
            )
        );
        let err = ClientError::refused(
            404,
            br#"{"error":{"code":"not_found","message":"no such user"}}"#,
        );
        assert_eq!((err.code(), err.to_string().as_str()), (ErrorCode::NotFound, "no such user"));
        assert!(err.is_permanent());
    }

    #[test]
    fn a_newer_servers_code_is_unknown_and_named_in_the_message() {
        let body = r#"{"error":{"code":"gone_fishing","message":"back soon"}}"#;
        assert_eq!(
            refused(418, body),
            (ErrorCode::Unknown, "back soon (code gone_fishing)".to_owned(), vec![])
        );
    }

    #[test]
    fn a_body_that_is_not_the_contracts_is_unknown() {
        assert_eq!(
            refused(400, "<html>bad gateway</html>"),
            (ErrorCode::Unknown, "the server answered 400".to_owned(), vec![])
        );
    }
}
