//! The window's conversations: the list, messages, sending, reading, drafts, mutes, search.
//!
//! Sending, reading and drafting only touch the replica and then wake the engine: a command
//! never waits on the network for them, so the window stays quick offline.

use chrono::Utc;
use uuid::Uuid;

use super::App;
use crate::engine::Topic;
use crate::error::ClientResult;
use crate::replica::{ConversationItem, Draft, MessageItem, MessageStatus, SearchHit};

/// A blank field is no field.
fn blank(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

impl App {
    /// The conversation list, most recent first.
    pub async fn conversations(&self) -> ClientResult<Vec<ConversationItem>> {
        self.client.read().await.conversations().await
    }

    /// The unread total over conversations that are not muted (for the title and tray).
    pub async fn unread_total(&self) -> ClientResult<i64> {
        Ok(self.conversations().await?.iter().filter(|c| !c.muted).map(|c| c.unread_count).sum())
    }

    /// The newest `limit` messages of a conversation, oldest first.
    pub async fn messages(
        &self,
        conversation_id: Uuid,
        limit: u32,
    ) -> ClientResult<Vec<MessageItem>> {
        self.client.read().await.messages(conversation_id, i64::from(limit)).await
    }

    /// Messages before `before_seq`, oldest first: from the replica, then the server.
    pub async fn older_messages(
        &self,
        conversation_id: Uuid,
        before_seq: i64,
        limit: u32,
    ) -> ClientResult<Vec<MessageItem>> {
        self.client.read().await.older(conversation_id, before_seq, i64::from(limit)).await
    }

    /// Queues a message (shown at once, pending), a reply when it names the message it
    /// answers, and wakes the engine to send it.
    pub async fn send(
        &self,
        conversation_id: Uuid,
        content: Option<&str>,
        media_url: Option<&str>,
        reply_to: Option<Uuid>,
    ) -> ClientResult<MessageItem> {
        let item = {
            let client = self.client.read().await;
            let (_, replica, me, name) = client.parts()?;
            let message = replica
                .queue_message(
                    me,
                    conversation_id,
                    blank(content),
                    blank(media_url),
                    reply_to,
                    Utc::now(),
                )
                .await?;
            replica.set_draft(conversation_id, &Draft::default(), Utc::now()).await?;
            // Read back, so a reply comes with its quote.
            let mut items = replica.messages(me, conversation_id, None, 1).await?;
            match items.pop().filter(|i| i.message.message_id == message.message_id) {
                Some(item) => item,
                None => MessageItem {
                    message,
                    sender_name: Some(name.to_owned()),
                    status: MessageStatus::Pending,
                    reply: None,
                    reactions: Vec::new(),
                    attachment: None,
                },
            }
        };
        self.kick().await;
        self.changed(Topic::Messages.one(conversation_id));
        self.changed(Topic::Conversations.all());
        Ok(item)
    }

    /// Marks everything in a conversation read (locally now, on the server by the engine).
    pub async fn mark_read(&self, conversation_id: Uuid) -> ClientResult<usize> {
        let n = {
            let client = self.client.read().await;
            let (_, replica, me, _) = client.parts()?;
            replica.queue_read(me, conversation_id, Utc::now()).await?
        };
        if n > 0 {
            self.kick().await;
            self.changed(Topic::Conversations.all());
        }
        Ok(n)
    }

    /// The saved draft of a conversation.
    pub async fn draft(&self, conversation_id: Uuid) -> ClientResult<Option<Draft>> {
        self.client.read().await.draft(conversation_id).await
    }

    /// Saves a draft as it is typed (an empty one clears it).
    pub async fn save_draft(&self, conversation_id: Uuid, draft: &Draft) -> ClientResult<()> {
        let client = self.client.read().await;
        client.replica()?.set_draft(conversation_id, draft, Utc::now()).await
    }

    /// Mutes or unmutes a conversation's notifications.
    pub async fn set_muted(&self, conversation_id: Uuid, muted: bool) -> ClientResult<()> {
        self.client.read().await.replica()?.set_muted(conversation_id, muted).await?;
        self.changed(Topic::Conversations.all());
        Ok(())
    }

    /// The conversation the user is looking at in a focused window, for notifications.
    pub async fn focus(&self, conversation_id: Option<Uuid>) {
        if let Some(engine) = self.engine.lock().await.as_ref() {
            engine.set_focus(conversation_id);
        }
    }

    /// Opens (or finds) the direct conversation with a user; works offline for known users.
    pub async fn open_direct(&self, username: &str) -> ClientResult<Uuid> {
        let id = self.client.read().await.open_direct(username).await?;
        self.changed(Topic::Conversations.all());
        Ok(id)
    }

    /// Full-text search of the replica.
    pub async fn search(&self, text: &str) -> ClientResult<Vec<SearchHit>> {
        self.client.read().await.search(text).await
    }
}
