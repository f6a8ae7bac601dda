//! The engine's one error type, with machine-readable codes the app and the CLI switch on.

use std::collections::BTreeMap;

use lodestar_protocol::FieldErrors;

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
        /// The contract's code (`validation_failed`, `not_found`, ...).
        code: String,
        /// For people.
        message: String,
        /// Bad fields, for `validation_failed` and `conflict`.
        fields: BTreeMap<String, String>,
    },
    /// A value breaks a rule; refused before anything was queued.
    #[error("{}", .0.summary())]
    Invalid(FieldErrors),
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
}

impl ClientError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &str {
        match self {
            ClientError::Offline(_) => "offline",
            ClientError::Server { code, .. } => code,
            ClientError::Invalid(_) => "validation_failed",
            ClientError::NotSignedIn => "not_signed_in",
            ClientError::NotFound(_) => "not_found",
            ClientError::Database(_) => "database",
            ClientError::Migrate(_) => "migrate",
            ClientError::Corrupt(_) => "corrupt",
            ClientError::InsecureServer(_) => "insecure_server",
        }
    }

    /// Whether retrying the same request can never succeed: the server refused it for good.
    /// A 401 is not permanent (signing in again fixes it), nor is a 429 (waiting does).
    pub fn is_permanent(&self) -> bool {
        match self {
            ClientError::Server { status, .. } => {
                (400..500).contains(status) && *status != 401 && *status != 429 && *status != 408
            }
            ClientError::Invalid(_) => true,
            _ => false,
        }
    }
}

impl From<FieldErrors> for ClientError {
    fn from(e: FieldErrors) -> Self {
        ClientError::Invalid(e)
    }
}

/// Engine results.
pub type ClientResult<T> = Result<T, ClientError>;
