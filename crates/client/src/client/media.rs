//! Attachments from the CLI: a file sent (copied and queued, uploaded, then the message), and a
//! file downloaded into a private file.

use std::path::{Path, PathBuf};

use chrono::Utc;
use lodestar_protocol::validate::attachment_url as media_url;
use lodestar_protocol::Message;
use uuid::Uuid;

use super::Client;
use crate::error::{ClientError, ClientResult};
use crate::outbox::{pending_upload, Subject};

use super::mentorship::Delivery;

/// A file saved by [`Client::download`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    /// Where.
    pub path: PathBuf,
    /// Bytes.
    pub size: u64,
    /// What it is.
    pub content_type: String,
}

impl Client {
    /// Sends the file at `path`, with optional text, into a conversation; answers the message
    /// and how it went (sent, waiting in the outbox behind its upload, or refused).
    pub async fn send_file(
        &self,
        conversation_id: Uuid,
        path: &Path,
        text: Option<&str>,
    ) -> ClientResult<(Message, Delivery)> {
        let a = self.active()?;
        let queued = a
            .replica
            .queue_attachment(a.info.user_id, conversation_id, path, text, Utc::now())
            .await?;
        let mut subjects = vec![Subject { kind: "message", id: queued.message_id }];
        subjects.extend(
            pending_upload(queued.media_url.as_deref()).map(|id| Subject { kind: "upload", id }),
        );
        let delivery = self.deliver_all(&subjects).await?;
        Ok((queued, delivery))
    }

    /// Downloads an attachment named by its media id, its `/v1/media/…` URL, or a message
    /// carrying it (its id or the start of it), into `out` (a file, or a folder to put it in;
    /// by default the working folder), never over an existing file.
    pub async fn download(&self, media: &str, out: Option<&Path>) -> ClientResult<Downloaded> {
        let a = self.active()?;
        let (url, name) = self.media_named(media).await?;
        let target = match out {
            Some(p) if p.is_dir() => p.join(&name),
            Some(p) => p.to_owned(),
            None => PathBuf::from(&name),
        };
        if target.exists() {
            return Err(ClientError::field("out", "exists"));
        }
        let (size, content_type) = a.api.download_media(&url, &target).await?;
        Ok(Downloaded { path: target, size, content_type })
    }

    /// The URL of the media an argument names, and a file name for it.
    async fn media_named(&self, arg: &str) -> ClientResult<(String, String)> {
        let arg = arg.trim();
        let id = arg.strip_prefix("/v1/media/").unwrap_or(arg);
        if let Ok(id) = Uuid::parse_str(id) {
            let known = self.active()?.replica.attachment_name(&media_url(id)).await?;
            if let Some(name) = known {
                return Ok((media_url(id), name));
            }
            // Perhaps a message's id rather than a media id.
            if let Some(found) = self.message_media(id).await? {
                return Ok(found);
            }
            return Ok((media_url(id), id.simple().to_string()));
        }
        let message = self.message_named(arg).await?;
        self.message_media(message)
            .await?
            .ok_or(ClientError::NotFound("attachment on that message"))
    }

    /// The media a stored message carries, with a file name.
    async fn message_media(&self, message: Uuid) -> ClientResult<Option<(String, String)>> {
        let replica = &self.active()?.replica;
        let Some(url) = replica.message_media_url(message).await? else { return Ok(None) };
        let Some(id) = lodestar_protocol::validate::attachment_id(&url) else { return Ok(None) };
        let name = replica.attachment_name(&url).await?.unwrap_or_else(|| id.simple().to_string());
        Ok(Some((url, name)))
    }
}
