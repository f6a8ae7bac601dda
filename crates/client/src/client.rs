//! The engine's front door: one method per thing a user does. The `lodestar` CLI and the
//! desktop shell only parse, call one of these, and show the answer.
//!
//! Everything that needs no network works from the replica and the outbox; sending and reading
//! try to reach the server at once and, when it cannot be reached, stay queued for the next
//! sync. Only registering, signing in, the directory, matches and group changes need the server.

use std::path::{Path, PathBuf};

use chrono::Utc;
use lodestar_protocol::{
    AddMemberRequest, CreateGroupRequest, Match, Me, Message, Profile, RegisterRequest,
    UpdateMeRequest, UsersQuery,
};
use uuid::Uuid;

use crate::api::Api;
use crate::error::{ClientError, ClientResult};
use crate::replica::{ConversationItem, Draft, MessageItem, Replica, SearchHit};
use crate::session::{SessionInfo, SessionStore, TokenStorage};
use crate::sync::{pull, push, PullProgress};

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

/// How a conversation is named on the command line: an id, `@username` or `#group-name`.
pub fn parse_conversation_spec(spec: &str) -> ConversationSpec {
    if let Some(user) = spec.strip_prefix('@') {
        ConversationSpec::Direct(user.to_owned())
    } else if let Some(group) = spec.strip_prefix('#') {
        ConversationSpec::Group(group.to_owned())
    } else {
        match Uuid::parse_str(spec) {
            Ok(id) => ConversationSpec::Id(id),
            Err(_) => ConversationSpec::Invalid(spec.to_owned()),
        }
    }
}

/// A parsed conversation name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConversationSpec {
    /// A conversation id.
    Id(Uuid),
    /// The direct conversation with this username.
    Direct(String),
    /// The conversation of the group with this name.
    Group(String),
    /// None of those.
    Invalid(String),
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

    async fn start_session(
        &mut self,
        server: &str,
        me: &Me,
        token: &str,
    ) -> ClientResult<TokenStorage> {
        let info = SessionInfo {
            server: server.to_owned(),
            user_id: me.profile.user_id,
            username: me.profile.username.clone(),
        };
        let storage = self.sessions.save(&info, token)?;
        self.activate(info, token).await?;
        Ok(storage)
    }

    /// Creates an account on `server` and signs in.
    pub async fn register(
        &mut self,
        server: &str,
        req: &RegisterRequest,
    ) -> ClientResult<(Me, TokenStorage)> {
        lodestar_protocol::validate::register(req, Utc::now().date_naive())?;
        let auth = Api::new(server)?.register(req).await?;
        let storage = self.start_session(server, &auth.user, &auth.token).await?;
        Ok((auth.user, storage))
    }

    /// Signs in on `server`.
    pub async fn login(
        &mut self,
        server: &str,
        login: &str,
        password: &str,
    ) -> ClientResult<(Me, TokenStorage)> {
        let auth = Api::new(server)?.login(login, password).await?;
        let storage = self.start_session(server, &auth.user, &auth.token).await?;
        Ok((auth.user, storage))
    }

    /// Signs out: the server revokes the token when it can be reached, and the token is
    /// forgotten here either way. The replica stays unless `forget_replica`.
    pub async fn logout(&mut self, forget_replica: bool) -> ClientResult<()> {
        let active = self.active.take().ok_or(ClientError::NotSignedIn)?;
        if let Err(e) = active.api.logout().await {
            tracing::info!(error = %e, "the server did not hear the logout; the token is forgotten here");
        }
        self.sessions.forget_token()?;
        if forget_replica {
            let path = self.data_dir.join(format!("{}.db", active.info.user_id));
            drop(active);
            for suffix in ["", "-wal", "-shm"] {
                let file = PathBuf::from(format!("{}{suffix}", path.display()));
                if file.exists() {
                    std::fs::remove_file(&file).map_err(|e| {
                        ClientError::Corrupt(format!("cannot remove {}: {e}", file.display()))
                    })?;
                }
            }
        }
        Ok(())
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

    /// The conversation list, from the replica.
    pub async fn conversations(&self) -> ClientResult<Vec<ConversationItem>> {
        let a = self.active()?;
        a.replica.conversations(a.info.user_id).await
    }

    /// The conversation a command-line name designates.
    pub async fn resolve(&self, spec: &str) -> ClientResult<Uuid> {
        let a = self.active()?;
        let found = match parse_conversation_spec(spec) {
            ConversationSpec::Id(id) => a.replica.has_conversation(id).await?.then_some(id),
            ConversationSpec::Direct(name) => match a.replica.user_id(&name).await? {
                Some(other) => {
                    let id = lodestar_protocol::direct_conversation_id(a.info.user_id, other);
                    a.replica.has_conversation(id).await?.then_some(id)
                }
                None => None,
            },
            ConversationSpec::Group(name) => a.replica.group_conversation(&name).await?,
            ConversationSpec::Invalid(s) => {
                let mut e = lodestar_protocol::FieldErrors::default();
                e.add("conversation", "invalid");
                tracing::debug!(spec = %s, "not a conversation name");
                return Err(ClientError::Invalid(e));
            }
        };
        found.ok_or(ClientError::NotFound("conversation (open it first, or sync)"))
    }

    /// Opens (or creates) the direct conversation with a user. Works offline for anyone the
    /// replica knows; the server learns of it at the next push.
    pub async fn open_direct(&self, username: &str) -> ClientResult<Uuid> {
        let a = self.active()?;
        let other = match a.replica.user_id(username).await? {
            Some(id) => id,
            None => {
                let profile = a
                    .api
                    .user_by_username(username.trim_start_matches('@'))
                    .await?
                    .ok_or(ClientError::NotFound("user"))?;
                a.replica.remember_profile(&profile).await?;
                profile.user_id
            }
        };
        if other == a.info.user_id {
            let mut e = lodestar_protocol::FieldErrors::default();
            e.add("username", "self");
            return Err(ClientError::Invalid(e));
        }
        let id = a.replica.open_direct_locally(a.info.user_id, other, Utc::now()).await?;
        // Now if the server answers; otherwise the next push opens it there.
        if push(&a.api, &a.replica).await?.stopped.is_none() {
            pull(&a.api, &a.replica, |_| {}).await?;
        }
        Ok(id)
    }

    /// Queues a message and tries to send it at once; answers it and whether the server has it.
    pub async fn send(
        &self,
        conversation_id: Uuid,
        text: Option<&str>,
        media_url: Option<&str>,
    ) -> ClientResult<(Message, bool)> {
        let a = self.active()?;
        let queued = a
            .replica
            .queue_message(a.info.user_id, conversation_id, text, media_url, Utc::now())
            .await?;
        push(&a.api, &a.replica).await?;
        let delivered =
            !a.replica.outbox().await?.iter().any(|e| e.message_id() == Some(queued.message_id));
        Ok((queued, delivered))
    }

    /// A page of messages, newest last.
    pub async fn messages(
        &self,
        conversation_id: Uuid,
        limit: i64,
    ) -> ClientResult<Vec<MessageItem>> {
        let a = self.active()?;
        a.replica.messages(a.info.user_id, conversation_id, None, limit).await
    }

    /// Older messages, for scrolling back (see [`crate::sync::backfill`]).
    pub async fn older(
        &self,
        conversation_id: Uuid,
        before: i64,
        limit: i64,
    ) -> ClientResult<Vec<MessageItem>> {
        let a = self.active()?;
        crate::sync::backfill(&a.api, &a.replica, a.info.user_id, conversation_id, before, limit)
            .await
    }

    /// Marks a conversation read (locally at once; the server when it can be reached).
    pub async fn read(&self, conversation_id: Uuid) -> ClientResult<usize> {
        let a = self.active()?;
        let n = a.replica.queue_read(a.info.user_id, conversation_id, Utc::now()).await?;
        push(&a.api, &a.replica).await?;
        Ok(n)
    }

    /// The draft of a conversation.
    pub async fn draft(&self, conversation_id: Uuid) -> ClientResult<Option<Draft>> {
        self.active()?.replica.draft(conversation_id).await
    }

    /// Saves the draft of a conversation (an empty one clears it).
    pub async fn set_draft(&self, conversation_id: Uuid, content: &str) -> ClientResult<()> {
        let draft = Draft { content: content.to_owned(), media_url: None };
        self.active()?.replica.set_draft(conversation_id, &draft, Utc::now()).await
    }

    /// Full-text search of the replica.
    pub async fn search(&self, text: &str) -> ClientResult<Vec<SearchHit>> {
        self.active()?.replica.search(text, 50).await
    }

    /// The program's directory (online).
    pub async fn directory(&self, query: &UsersQuery) -> ClientResult<Vec<Profile>> {
        Ok(self.active()?.api.directory(query).await?.users)
    }

    /// Suggested mentors or mentees (online).
    pub async fn matches(&self) -> ClientResult<Vec<Match>> {
        Ok(self.active()?.api.matches(20).await?.matches)
    }

    async fn user_named(&self, username: &str) -> ClientResult<Uuid> {
        let a = self.active()?;
        if let Some(id) = a.replica.user_id(username).await? {
            return Ok(id);
        }
        a.api
            .user_by_username(username.trim_start_matches('@'))
            .await?
            .map(|p| p.user_id)
            .ok_or(ClientError::NotFound("user"))
    }

    async fn group_named(&self, spec: &str) -> ClientResult<Uuid> {
        let a = self.active()?;
        let conversation = self.resolve(&format!("#{}", spec.trim_start_matches('#'))).await?;
        a.replica.group_of(conversation).await?.ok_or(ClientError::NotFound("group"))
    }

    /// Creates a group with members named by username (online); answers its conversation.
    pub async fn group_create(&self, name: &str, members: &[String]) -> ClientResult<Uuid> {
        let a = self.active()?;
        let mut member_ids = Vec::with_capacity(members.len());
        for m in members {
            member_ids.push(self.user_named(m).await?);
        }
        let req = CreateGroupRequest { group_name: name.to_owned(), description: None, member_ids };
        lodestar_protocol::validate::new_group(&req)?;
        let group = a.api.create_group(&req).await?;
        pull(&a.api, &a.replica, |_| {}).await?;
        Ok(group.conversation_id)
    }

    /// Adds a member to a group (online).
    pub async fn group_add(
        &self,
        group: &str,
        username: &str,
        role: Option<&str>,
    ) -> ClientResult<()> {
        let a = self.active()?;
        let group_id = self.group_named(group).await?;
        let user_id = self.user_named(username).await?;
        a.api
            .add_member(group_id, &AddMemberRequest { user_id, role: role.map(str::to_owned) })
            .await?;
        pull(&a.api, &a.replica, |_| {}).await?;
        Ok(())
    }

    /// Removes a member from a group, or leaves it (online).
    pub async fn group_remove(&self, group: &str, username: &str) -> ClientResult<()> {
        let a = self.active()?;
        let group_id = self.group_named(group).await?;
        let user_id = self.user_named(username).await?;
        a.api.remove_member(group_id, user_id).await?;
        pull(&a.api, &a.replica, |_| {}).await?;
        Ok(())
    }

    /// The signed-in user's profile: from the server when it answers, else from the replica.
    pub async fn profile(&self) -> ClientResult<Me> {
        let a = self.active()?;
        match a.api.me().await {
            Ok(me) => Ok(me),
            Err(ClientError::Offline(_)) => a.replica.my_profile(a.info.user_id).await,
            Err(e) => Err(e),
        }
    }

    /// Edits the profile (`FIELD=VALUE` pairs; an empty value clears an optional field): applied
    /// to the replica at once, sent now if the server answers, queued otherwise.
    pub async fn set_profile(&self, fields: &[(String, String)]) -> ClientResult<Me> {
        let a = self.active()?;
        let patch = profile_patch(fields)?;
        a.replica.queue_profile(a.info.user_id, &patch, Utc::now()).await?;
        if push(&a.api, &a.replica).await?.stopped.is_none() {
            pull(&a.api, &a.replica, |_| {}).await?;
        }
        a.replica.my_profile(a.info.user_id).await
    }
}

/// Builds a `PATCH /v1/me` body from `FIELD=VALUE` pairs.
fn profile_patch(fields: &[(String, String)]) -> ClientResult<UpdateMeRequest> {
    let mut object = serde_json::Map::new();
    let mut bad = lodestar_protocol::FieldErrors::default();
    for (field, value) in fields {
        let v = value.trim();
        let json = match field.as_str() {
            _ if v.is_empty() => serde_json::Value::Null,
            "mentor_status" | "mentee_status" => match v {
                "true" | "yes" | "1" => true.into(),
                "false" | "no" | "0" => false.into(),
                _ => {
                    bad.add(field, "invalid");
                    continue;
                }
            },
            "years_of_experience" => match v.parse::<i64>() {
                Ok(n) => n.into(),
                Err(_) => {
                    bad.add(field, "invalid");
                    continue;
                }
            },
            "skills" | "interests" => v
                .split(',')
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .into(),
            _ => v.into(),
        };
        object.insert(field.clone(), json);
    }
    if !bad.is_empty() {
        return Err(ClientError::Invalid(bad));
    }
    serde_json::from_value(serde_json::Value::Object(object)).map_err(|e| {
        let mut bad = lodestar_protocol::FieldErrors::default();
        let field = e.to_string().split('`').nth(1).unwrap_or("profile").to_owned();
        bad.add(&field, "unknown");
        ClientError::Invalid(bad)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversation_names_parse() {
        let id = Uuid::new_v4();
        assert_eq!(parse_conversation_spec(&id.to_string()), ConversationSpec::Id(id));
        assert_eq!(parse_conversation_spec("@ann"), ConversationSpec::Direct("ann".into()));
        assert_eq!(
            parse_conversation_spec("#Rust Circle"),
            ConversationSpec::Group("Rust Circle".into())
        );
        assert_eq!(parse_conversation_spec("ann"), ConversationSpec::Invalid("ann".into()));
    }

    #[test]
    fn profile_fields_become_a_patch() {
        let set = |pairs: &[(&str, &str)]| {
            profile_patch(
                &pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>(),
            )
        };
        let p = set(&[
            ("city", "Austin"),
            ("bio", ""),
            ("mentor_status", "yes"),
            ("skills", "rust, sql"),
        ])
        .unwrap();
        assert_eq!(p.city, Some(Some("Austin".into())));
        assert_eq!(p.bio, Some(None), "an empty value clears");
        assert_eq!(p.mentor_status, Some(Some(true)));
        assert_eq!(p.skills, Some(Some(vec!["rust".into(), "sql".into()])));
        assert_eq!(p.state, None, "absent stays");
        assert!(
            matches!(set(&[("nickname", "x")]), Err(ClientError::Invalid(e)) if e.0.contains_key("nickname"))
        );
        assert!(matches!(set(&[("years_of_experience", "many")]), Err(ClientError::Invalid(_))));
    }
}
