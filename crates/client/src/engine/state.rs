//! What the engine tells the window of its link to the server, and when the server ended the
//! session instead.

use crate::error::ClientError;

/// Whether the engine can reach the server.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SyncState {
    /// Pulling: `applied` changes of about `estimated_total` (a first sync shows a bar).
    Syncing {
        /// Changes applied in this pull.
        applied: u64,
        /// About how many this pull brings in all.
        estimated_total: u64,
        /// Whether more pages wait.
        more: bool,
    },
    /// Up to date and live.
    Online,
    /// The server cannot be reached; the engine retries by itself.
    Offline {
        /// Why, for people.
        reason: String,
        /// When the next attempt comes, in milliseconds.
        retry_in_ms: u64,
    },
    /// The server ended this session (the token was revoked, or the program's coordinators
    /// suspended the account): the engine stopped; the window signs out and says why.
    SignedOut {
        /// Suspended by the program's coordinators (else the session merely ended).
        suspended: bool,
        /// Why, for people.
        reason: String,
    },
}

/// Whether `e` says the server ended this session, and how to tell the person.
pub(super) fn ended_by_server(e: &ClientError) -> Option<SyncState> {
    match e {
        ClientError::Server { code: lodestar_protocol::ErrorCode::Suspended, message, .. } => {
            Some(SyncState::SignedOut { suspended: true, reason: message.clone() })
        }
        ClientError::Server { status: 401, .. } => Some(SyncState::SignedOut {
            suspended: false,
            reason:
                "this session ended (signed out elsewhere, or the password changed); sign in again"
                    .to_owned(),
        }),
        _ => None,
    }
}
