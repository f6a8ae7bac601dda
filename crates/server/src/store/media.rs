//! Attachments' records: who uploaded what, and who may read it (API.md, "Richer messages").

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreResult;

/// One uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRecord {
    /// Its id (`/v1/media/{id}`).
    pub media_id: Uuid,
    /// Who uploaded it (none once their account is deleted).
    pub uploader_id: Option<Uuid>,
    /// Read from its bytes.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Hex SHA-256.
    pub sha256: String,
    /// Pixels, for images.
    pub width: Option<i32>,
    /// Pixels, for images.
    pub height: Option<i32>,
    /// When it was uploaded.
    pub created_at: DateTime<Utc>,
}

/// The records of uploaded media.
#[async_trait]
pub trait MediaStore: Send + Sync + 'static {
    /// Records an upload.
    async fn create_media(&self, media: &MediaRecord) -> StoreResult<()>;
    /// Media `id`, if `user` may read it: its uploader, or someone taking part in a
    /// conversation where a message they can see (not deleted) names it.
    async fn readable_media(&self, user: Uuid, id: Uuid) -> StoreResult<Option<MediaRecord>>;
    /// Up to `limit` media uploaded before `cutoff` that no message names any more.
    async fn unused_media(&self, cutoff: DateTime<Utc>, limit: i64) -> StoreResult<Vec<Uuid>>;
    /// Forgets media `id` (its object is gone).
    async fn delete_media(&self, id: Uuid) -> StoreResult<()>;
}
