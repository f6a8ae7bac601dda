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

impl App {
    /// Attaches the file at `path` (up to 25 MiB) to a new message with optional text: copied
    /// into the data folder and shown at once, uploaded and sent by the engine (works offline).
    pub async fn attach(
        &self,
        conversation_id: Uuid,
        path: &std::path::Path,
        content: Option<&str>,
    ) -> ClientResult<()> {
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        replica.queue_attachment(me, conversation_id, path, content, Utc::now()).await?;
        drop(client);
        self.queued(&[Topic::Messages, Topic::Conversations], None).await;
        Ok(())
    }

    /// Attaches a file the window holds (chosen, dropped or pasted), its bytes in base64, under
    /// `file_name`: written to a private file in the data folder first, then as
    /// [`App::attach`].
    pub async fn attach_bytes(
        &self,
        conversation_id: Uuid,
        file_name: &str,
        base64: &str,
    ) -> ClientResult<()> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(base64.trim())
            .map_err(|_| crate::ClientError::field("file", "invalid"))?;
        // Only the name's last part, in a folder of its own, so the attachment keeps its name
        // and the name cannot point anywhere else.
        let name = std::path::Path::new(file_name)
            .file_name()
            .map_or_else(|| "attachment".into(), |n| n.to_string_lossy().into_owned());
        let dir = {
            let client = self.client.read().await;
            client.replica()?.files().join(format!("incoming-{}", Uuid::new_v4().simple()))
        };
        let broken = |e: std::io::Error| {
            crate::ClientError::Corrupt(format!("cannot write {}: {e}", dir.display()))
        };
        crate::private::private_dir(&dir).map_err(broken)?;
        let path = dir.join(name);
        crate::private::write_private(&path, &bytes).map_err(broken)?;
        let attached = self.attach(conversation_id, &path, None).await;
        // The attachment has its own copy now.
        let _ = std::fs::remove_dir_all(&dir);
        attached
    }
}
