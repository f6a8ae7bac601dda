//! The engine's front door: one method per thing a user does. The `lodestar` CLI and the
//! desktop shell only parse, call one of these, and show the answer.
//!
//! Everything that needs no network works from the replica and the outbox; sending and reading
//! try to reach the server at once and, when it cannot be reached, stay queued for the next
//! sync. Only registering, signing in, the directory, matches and group changes need the server.
//!
//! One file per domain, each an `impl Client` block: `account.rs` (register, sign in, sign
//! out), `conversations.rs` (conversations and their messages), `directory.rs`, `groups.rs`,
//! `mentorship.rs` and `profile.rs`. This file holds the client itself, its session, sync and status; a new domain
//! is a new file here, never more methods in this one.

mod account;
mod conversations;
mod directory;
mod groups;
mod media;
pub mod mentorship;
mod message_actions;
mod profile;
mod safety;
pub mod sessions;

use std::path::{Path, PathBuf};

use chrono::Utc;
use uuid::Uuid;

use crate::api::Api;
use crate::error::{ClientError, ClientResult};
use crate::replica::Replica;
use crate::session::{SessionInfo, SessionStore};
use crate::sync::{pull, push, PullProgress};

pub use conversations::ConversationSpec;
pub use mentorship::Delivery;
pub use safety::{Blocked, NewReport};
pub use sessions::{own_time_zone, wall_clock_to_utc};

/// The server used when none is given or remembered.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:8787";

/// The signed-in part of a client.
struct Active {
    info: SessionInfo,
    api: Api,
    replica: Replica,
}

/// One user's engine over one data folder.
pub struct Client {
    data_dir: PathBuf,
    sessions: SessionStore,
    active: Option<Active>,
}

/// What `sync` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Outbox entries the server now has.
    pub pushed: usize,
    /// Outbox entries refused for good (kept, marked failed).
    pub failed: usize,
    /// Changes applied to the replica.
    pub pulled: u64,
}

/// What `status` tells.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Status {
    /// The signed-in username.
    pub username: String,
    /// The server.
    pub server: String,
    /// Whether the server answered just now.
    pub online: bool,
    /// The sync cursor.
    pub cursor: Option<String>,
    /// Outbox entries waiting.
    pub outbox_pending: i64,
    /// Outbox entries refused.
    pub outbox_failed: i64,
    /// When the last sync ended.
    pub last_sync_at: Option<chrono::DateTime<Utc>>,
}

impl Client {
    /// Opens the client of `data_dir`, signed in if a session was saved there.
    pub async fn open(data_dir: &Path) -> ClientResult<Client> {
        Client::open_with(data_dir, SessionStore::new(data_dir)).await
    }

    /// Like [`Client::open`], keeping the token only in the data folder's 0600 file.
    pub async fn open_file_only(data_dir: &Path) -> ClientResult<Client> {
        Client::open_with(data_dir, SessionStore::with_file_only(data_dir)).await
    }

    async fn open_with(data_dir: &Path, sessions: SessionStore) -> ClientResult<Client> {
        let mut client = Client { data_dir: data_dir.to_owned(), sessions, active: None };
        if let Some((info, token)) = client.sessions.load()? {
            client.activate(info, &token).await?;
        }
        Ok(client)
    }

    async fn activate(&mut self, info: SessionInfo, token: &str) -> ClientResult<()> {
        let api = Api::new(&info.server)?.with_token(token);
        let replica = Replica::open(&self.data_dir.join(format!("{}.db", info.user_id))).await?;
        replica.set_me(info.user_id).await?;
        self.active = Some(Active { info, api, replica });
        Ok(())
    }

    fn active(&self) -> ClientResult<&Active> {
        self.active.as_ref().ok_or(ClientError::NotSignedIn)
    }

    /// The server to talk to: the one given, else the one remembered, else the default.
    pub fn server(&self, given: Option<&str>) -> ClientResult<String> {
        if let Some(s) = given {
            return Ok(s.trim_end_matches('/').to_owned());
        }
        Ok(self.sessions.server()?.unwrap_or_else(|| DEFAULT_SERVER.to_owned()))
    }

    /// The signed-in user's id and name, if any.
    pub fn signed_in(&self) -> Option<(Uuid, &str)> {
        self.active.as_ref().map(|a| (a.info.user_id, a.info.username.as_str()))
    }

    /// The live events URL (`ws://…/v1/events`) and the token to open it with.
    pub fn events_endpoint(&self) -> ClientResult<(String, String)> {
        let a = self.active()?;
        let base = a.info.server.replacen("https://", "wss://", 1).replacen("http://", "ws://", 1);
        let token = a.api.token().ok_or(ClientError::NotSignedIn)?.to_owned();
        Ok((format!("{base}/v1/events"), token))
    }

    /// Starts the background engine of the signed-in user (the desktop app runs one, and so
    /// does the CLI's `sync --watch`).
    pub fn start_engine(&self) -> ClientResult<crate::engine::Engine> {
        let a = self.active()?;
        let (url, token) = self.events_endpoint()?;
        Ok(crate::engine::Engine::start(
            a.api.clone(),
            a.replica.clone(),
            a.info.user_id,
            url,
            token,
        ))
    }

    /// The signed-in user's server client, replica, id and name, for the desktop app's facade.
    pub(crate) fn parts(&self) -> ClientResult<(&Api, &Replica, Uuid, &str)> {
        let a = self.active()?;
        Ok((&a.api, &a.replica, a.info.user_id, a.info.username.as_str()))
    }

    /// The replica, for the app's own queries.
    pub fn replica(&self) -> ClientResult<&Replica> {
        Ok(&self.active()?.replica)
    }

    /// Pushes the outbox and pulls until up to date (then pushes what the pull made possible).
    pub async fn sync(&self, progress: impl FnMut(PullProgress)) -> ClientResult<SyncReport> {
        let a = self.active()?;
        let first = push(&a.api, &a.replica).await?;
        let pulled = pull(&a.api, &a.replica, progress).await?;
        let second = push(&a.api, &a.replica).await?;
        Ok(SyncReport {
            pushed: first.sent + second.sent,
            failed: first.failed + second.failed,
            pulled: pulled.applied,
        })
    }

    /// Whether the server answers, and where sync stands.
    pub async fn status(&self) -> ClientResult<Status> {
        let a = self.active()?;
        let online = a.api.health().await.is_ok();
        let (cursor, last_sync_at) = a.replica.cursor().await?;
        let (outbox_pending, outbox_failed) = a.replica.outbox_counts().await?;
        Ok(Status {
            username: a.info.username.clone(),
            server: a.info.server.clone(),
            online,
            cursor,
            outbox_pending,
            outbox_failed,
            last_sync_at,
        })
    }
}
