//! Edits, deletes, reactions and typing in the window: each shown at once, queued, sent by the
//! engine (works offline like a send).

use chrono::Utc;
use uuid::Uuid;

use super::App;
use crate::engine::Topic;
use crate::error::ClientResult;

impl App {
    /// New text for one of the user's messages.
    pub async fn edit_message(&self, message_id: Uuid, content: &str) -> ClientResult<()> {
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        replica.queue_edit(me, message_id, content, Utc::now()).await?;
        drop(client);
        self.queued(&[Topic::Messages, Topic::Conversations], None).await;
        Ok(())
    }

    /// Deletes a message (one's own, or any in a group the user owns or administers).
    pub async fn delete_message(&self, message_id: Uuid) -> ClientResult<()> {
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        replica.queue_delete(me, message_id, Utc::now()).await?;
        drop(client);
        self.queued(&[Topic::Messages, Topic::Conversations], None).await;
        Ok(())
    }

    /// Adds (`on`) or takes back the user's emoji on a message.
    pub async fn react(&self, message_id: Uuid, emoji: &str, on: bool) -> ClientResult<()> {
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        replica.queue_reaction(me, message_id, emoji, on, Utc::now()).await?;
        drop(client);
        self.queued(&[Topic::Messages], None).await;
        Ok(())
    }

    /// The user is typing in a conversation (the engine tells the others, throttled).
    pub async fn typing(&self, conversation_id: Uuid) {
        if let Some(engine) = self.engine.lock().await.as_ref() {
            engine.typing(conversation_id);
        }
    }
}
