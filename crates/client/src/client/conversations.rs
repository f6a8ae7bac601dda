//! Conversations and their messages: the list, naming one, opening a direct one, sending,
//! reading, drafts and search. All of it works from the replica and the outbox; the server is
//! tried at once and, when it cannot be reached, hears of it at the next sync.

use chrono::Utc;
use lodestar_protocol::Message;
use uuid::Uuid;

use super::Client;
use crate::error::{ClientError, ClientResult};
use crate::replica::{ConversationItem, Draft, MessageItem, SearchHit};
use crate::sync::{pull, push};

/// How a conversation is named (the CLI parses `id`, `@username` and `#group-name` into one).
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
    /// The conversation list, from the replica.
    pub async fn conversations(&self) -> ClientResult<Vec<ConversationItem>> {
        let a = self.active()?;
        a.replica.conversations(a.info.user_id).await
    }

    /// The conversation a name designates.
    pub async fn resolve(&self, spec: ConversationSpec) -> ClientResult<Uuid> {
        let a = self.active()?;
        let found = match spec {
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

    /// The conversation a name designates; `@username` with no conversation yet opens it (as
    /// [`Client::open_direct`] does: online through the directory, offline for anyone the
    /// replica knows), since writing to someone is how a first message starts.
    pub async fn resolve_or_open(&self, spec: ConversationSpec) -> ClientResult<Uuid> {
        let name = match &spec {
            ConversationSpec::Direct(name) => Some(name.clone()),
            _ => None,
        };
        match (self.resolve(spec).await, name) {
            (Err(ClientError::NotFound(_)), Some(name)) => self.open_direct(&name).await,
            (found, _) => found,
        }
    }

    /// Opens (or creates) the direct conversation with a user. Works offline for anyone the
    /// replica knows; the server learns of it at the next push.
    pub async fn open_direct(&self, username: &str) -> ClientResult<Uuid> {
        let a = self.active()?;
        let other = self.user_named(username).await?;
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

    /// Queues a message (a reply when it names the message it answers) and tries to send it at
    /// once; answers it and whether the server has it.
    pub async fn send(
        &self,
        conversation_id: Uuid,
        text: Option<&str>,
        media_url: Option<&str>,
        reply_to: Option<Uuid>,
    ) -> ClientResult<(Message, bool)> {
        let a = self.active()?;
        let queued = a
            .replica
            .queue_message(a.info.user_id, conversation_id, text, media_url, reply_to, Utc::now())
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
}
