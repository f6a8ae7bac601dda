//! A file attached here (API.md, "Richer messages"): copied into the data folder at once,
//! uploaded in the background as an outbox entry of its own, and the message naming it sent
//! after it (the message waits for the upload and receives its `/v1/media/…` URL). A crash, a
//! restart or a lost network starts the upload again from the copy; a refused file fails the
//! upload with the server's reason, and the message waits behind it until retried or
//! discarded.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use chrono::{DateTime, Utc};
use lodestar_protocol::{validate, MediaInfo, Message};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Action, Lane, OutboxAction, Subject, Summary, Tx};
use crate::api::Api;
use crate::error::{ClientError, ClientResult};
use crate::replica::Replica;

/// The outbox subject of uploads.
pub const SUBJECT: &str = "upload";

/// How a queued message names the upload it waits for, until the server's URL replaces it.
const PENDING: &str = "upload:";

/// The upload a message's media waits for, if it does.
pub fn pending_upload(media_url: Option<&str>) -> Option<Uuid> {
    media_url.and_then(|u| u.strip_prefix(PENDING)).and_then(|id| Uuid::parse_str(id).ok())
}

/// `POST /v1/media` of a file copied into the data folder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Upload {
    /// Made here.
    pub upload_id: Uuid,
    /// The conversation of the message that names it (the lane).
    pub conversation_id: Uuid,
    /// The copy in the data folder.
    pub path: PathBuf,
    /// The file's name, for people.
    pub file_name: String,
    /// Bytes.
    pub size: u64,
}

/// Bytes sent of each upload in flight (this process), for progress bars.
fn progress() -> &'static Mutex<HashMap<Uuid, u64>> {
    static PROGRESS: OnceLock<Mutex<HashMap<Uuid, u64>>> = OnceLock::new();
    PROGRESS.get_or_init(Default::default)
}

/// How many bytes of upload `id` the server has taken so far in this process, if it is in
/// flight.
pub fn uploaded_bytes(id: Uuid) -> Option<u64> {
    progress().lock().unwrap_or_else(PoisonError::into_inner).get(&id).copied()
}

impl Action for Upload {
    type Sent = MediaInfo;

    fn lane(&self) -> Lane {
        Lane::Conversation(self.conversation_id)
    }

    fn subject(&self) -> Subject {
        Subject { kind: SUBJECT, id: self.upload_id }
    }

    /// A conversation opened offline is opened on the server first.
    fn waits_for(&self) -> Option<Subject> {
        Some(Subject { kind: super::direct::SUBJECT, id: self.conversation_id })
    }

    fn summary(&self) -> Summary {
        Summary { title: "Attachment".to_owned(), detail: self.file_name.clone() }
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<MediaInfo> {
        let id = self.upload_id;
        let set = move |n: u64| {
            progress().lock().unwrap_or_else(PoisonError::into_inner).insert(id, n);
        };
        set(0);
        let sent = api.upload_media(&self.path, set).await;
        progress().lock().unwrap_or_else(PoisonError::into_inner).remove(&id);
        sent
    }

    /// The message now names the server's copy.
    async fn acked(&self, tx: &mut Tx, sent: &MediaInfo) -> ClientResult<()> {
        sqlx::query("UPDATE attachments SET media_url = $2 WHERE upload_id = $1")
            .bind(self.upload_id)
            .bind(&sent.url)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "UPDATE messages SET media_url = $2 WHERE media_url = $1 AND message_id IN \
             (SELECT message_id FROM attachments WHERE upload_id = $3)",
        )
        .bind(format!("{PENDING}{}", self.upload_id))
        .bind(&sent.url)
        .bind(self.upload_id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Discarded: the copy goes too (the message waiting for it is discarded with it).
    async fn discarded(&self, tx: &mut Tx) -> ClientResult<()> {
        sqlx::query("DELETE FROM attachments WHERE upload_id = $1")
            .bind(self.upload_id)
            .execute(&mut **tx)
            .await?;
        let _ = std::fs::remove_file(&self.path);
        Ok(())
    }
}

/// The file's name as people know it.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| "file".to_owned(), |n| n.to_string_lossy().into_owned())
}

impl Replica {
    /// Attaches the file at `path` to a new message in a conversation, with optional text:
    /// the file is copied into the data folder and the message shown (pending) at once; its
    /// upload and then the message are queued.
    pub async fn queue_attachment(
        &self,
        me: Uuid,
        conversation_id: Uuid,
        path: &Path,
        content: Option<&str>,
        now: DateTime<Utc>,
    ) -> ClientResult<Message> {
        let size = std::fs::metadata(path)
            .map_err(|e| ClientError::Corrupt(format!("cannot read {}: {e}", path.display())))?
            .len();
        // Refused here before anything is queued, as the server would.
        if size > lodestar_protocol::ATTACHMENT_MAX_BYTES {
            return Err(ClientError::field("file", "too_large"));
        }
        if size == 0 {
            return Err(ClientError::field("file", "empty"));
        }
        let content = match content.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => validate::message_body(Some(c), None)?.content,
            None => None,
        };
        let upload_id = Uuid::new_v4();
        crate::private::private_dir(self.files()).map_err(|e| {
            ClientError::Corrupt(format!("cannot create {}: {e}", self.files().display()))
        })?;
        let copy = self.files().join(upload_id.simple().to_string());
        crate::private::copy_private(path, &copy)
            .map_err(|e| ClientError::Corrupt(format!("cannot copy {}: {e}", path.display())))?;
        let queued = self
            .queue_attachment_copy(
                me,
                conversation_id,
                upload_id,
                &copy,
                file_name(path),
                size,
                content,
                now,
            )
            .await;
        if queued.is_err() {
            let _ = std::fs::remove_file(&copy);
        }
        queued
    }

    #[allow(clippy::too_many_arguments)] // One caller, above; the pieces it checked.
    async fn queue_attachment_copy(
        &self,
        me: Uuid,
        conversation_id: Uuid,
        upload_id: Uuid,
        copy: &Path,
        file_name: String,
        size: u64,
        content: Option<String>,
        now: DateTime<Utc>,
    ) -> ClientResult<Message> {
        let media_url = Some(format!("{PENDING}{upload_id}"));
        let message = super::message::pending(me, conversation_id, content, media_url, None, now);
        let upload = Upload {
            upload_id,
            conversation_id,
            path: copy.to_owned(),
            file_name: file_name.clone(),
            size,
        };
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO attachments (upload_id, message_id, file_name, path, size) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(upload_id)
        .bind(message.message_id)
        .bind(&file_name)
        .bind(copy.display().to_string())
        .bind(i64::try_from(size).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
        // The upload first: the message's send waits for it.
        crate::replica::enqueue(&mut tx, OutboxAction::from(upload), now).await?;
        super::message::show_and_queue(&mut tx, &message, now).await?;
        tx.commit().await?;
        Ok(message)
    }
}
