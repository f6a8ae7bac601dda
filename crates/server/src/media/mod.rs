//! Attachments (API.md, "Richer messages"): uploads streamed into object storage (the local
//! disk by default, an S3-compatible bucket with `--media-store s3://BUCKET`) through
//! `object_store`, never held whole in memory; their type read from their bytes; image
//! thumbnails; and the sweep of media no message names any more.

pub mod remote;
pub mod sniff;
pub mod sweep;
pub mod thumbnail;

use std::sync::Arc;

use axum::body::Body;
use bytes::Bytes;
use futures_util::StreamExt;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, GetResult, ObjectStore, WriteMultipart};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The largest attachment, in bytes (25 MiB).
pub const MAX_BYTES: u64 = lodestar_protocol::ATTACHMENT_MAX_BYTES;
/// Parts of a multipart upload: S3's smallest, so at most a couple of these per upload are
/// in memory at a time.
const PART: usize = 5 * 1024 * 1024;

/// Why an upload or a read failed.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// Over [`MAX_BYTES`].
    #[error("attachments are limited to 25 MiB")]
    TooLarge,
    /// Not a type the program takes (what it is).
    #[error("this kind of file cannot be attached ({0})")]
    NotAllowed(String),
    /// The body broke off.
    #[error("the upload broke off: {0}")]
    Body(String),
    /// The storage failed.
    #[error("media storage: {0}")]
    Storage(#[from] object_store::Error),
    /// Not an image, or an image that cannot be read.
    #[error("no thumbnail: {0}")]
    NoThumbnail(String),
}

impl MediaError {
    /// A machine-readable code for logs.
    pub fn code(&self) -> &'static str {
        match self {
            MediaError::TooLarge => "too_large",
            MediaError::NotAllowed(_) => "not_allowed",
            MediaError::Body(_) => "body",
            MediaError::Storage(_) => "storage",
            MediaError::NoThumbnail(_) => "no_thumbnail",
        }
    }
}

/// What an upload turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uploaded {
    /// Read from its bytes.
    pub content_type: String,
    /// Bytes.
    pub size: u64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// Pixels, for images whose header says.
    pub width: Option<u32>,
    /// Pixels.
    pub height: Option<u32>,
}

/// The media storage; cheap to clone.
#[derive(Clone)]
pub struct Media {
    objects: Arc<dyn ObjectStore>,
    /// Where, for the start-up log line.
    pub place: String,
}

impl Media {
    /// The storage `spec` names: `s3://BUCKET` (endpoint and credentials from the usual AWS
    /// environment variables), a folder, or by default `media/` beside a SQLite database (in
    /// the working folder for PostgreSQL). A folder is created private to this user.
    pub fn open(spec: Option<&str>, database_url: &str) -> Result<Media, String> {
        if let Some(bucket) = spec.and_then(|s| s.strip_prefix("s3://")) {
            let bucket = bucket.trim_end_matches('/');
            let s3 = object_store::aws::AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .build()
                .map_err(|e| format!("--media-store s3://{bucket}: {e}"))?;
            return Ok(Media { objects: Arc::new(s3), place: format!("s3://{bucket}") });
        }
        let dir = match spec {
            Some(dir) => std::path::PathBuf::from(dir),
            None => default_dir(database_url),
        };
        Media::local(&dir)
    }

    /// Media in a folder (created, private, if missing).
    pub fn local(dir: &std::path::Path) -> Result<Media, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        }
        let fs = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Media { objects: Arc::new(fs), place: dir.display().to_string() })
    }

    fn path(id: Uuid) -> Path {
        Path::from(format!("media/{id}"))
    }

    fn thumbnail_path(id: Uuid) -> Path {
        Path::from(format!("thumbnails/{id}"))
    }

    /// Streams `body` into storage as media `id`: its type checked on its first bytes, its
    /// size bounded, its hash taken on the way. Nothing is left behind when it fails.
    pub async fn upload(&self, id: Uuid, body: Body) -> Result<Uploaded, MediaError> {
        let mut stream = body.into_data_stream();
        let mut head: Vec<u8> = Vec::with_capacity(sniff::HEAD);
        let mut pending: Vec<Bytes> = Vec::new();
        // The start decides the type before anything is stored.
        while head.len() < sniff::HEAD {
            match stream.next().await {
                Some(Ok(chunk)) => {
                    head.extend_from_slice(&chunk[..chunk.len().min(sniff::HEAD - head.len())]);
                    pending.push(chunk);
                }
                Some(Err(e)) => return Err(MediaError::Body(e.to_string())),
                None => break,
            }
        }
        let content_type = sniff::content_type(&head).map_err(MediaError::NotAllowed)?;
        let (width, height) = thumbnail::dimensions(&head).unzip();
        let mut upload = WriteMultipart::new_with_chunk_size(
            self.objects.put_multipart(&Self::path(id)).await?,
            PART,
        );
        let mut hash = Sha256::new();
        let mut size: u64 = 0;
        let outcome: Result<(), MediaError> = async {
            let mut next = pending.into_iter().map(Ok).collect::<Vec<_>>().into_iter();
            loop {
                let chunk = match next.next() {
                    Some(c) => c,
                    None => match stream.next().await {
                        Some(c) => c.map_err(|e| MediaError::Body(e.to_string())),
                        None => break,
                    },
                };
                let chunk = chunk?;
                size += chunk.len() as u64;
                if size > MAX_BYTES {
                    return Err(MediaError::TooLarge);
                }
                hash.update(&chunk);
                // Back pressure: one part in flight while the next fills, so memory stays flat.
                upload.wait_for_capacity(1).await?;
                upload.put(chunk);
            }
            Ok(())
        }
        .await;
        match outcome {
            Ok(()) => {
                upload.finish().await?;
            }
            Err(e) => {
                let _ = upload.abort().await;
                return Err(e);
            }
        }
        let sha256 = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Ok(Uploaded { content_type: content_type.to_owned(), size, sha256, width, height })
    }

    /// Media `id`, whole or the byte range asked for.
    pub async fn get(
        &self,
        id: Uuid,
        range: Option<std::ops::Range<u64>>,
    ) -> Result<GetResult, MediaError> {
        let options = GetOptions { range: range.map(GetRange::Bounded), ..Default::default() };
        Ok(self.objects.get_opts(&Self::path(id), options).await?)
    }

    /// The thumbnail of image `id` (made once, then kept).
    pub async fn thumbnail(&self, id: Uuid) -> Result<Bytes, MediaError> {
        if let Ok(kept) = self.objects.get(&Self::thumbnail_path(id)).await {
            return Ok(kept.bytes().await?);
        }
        let whole = self.objects.get(&Self::path(id)).await?.bytes().await?;
        let small = tokio::task::spawn_blocking(move || thumbnail::make(&whole))
            .await
            .map_err(|e| MediaError::NoThumbnail(e.to_string()))??;
        self.objects.put(&Self::thumbnail_path(id), small.clone().into()).await?;
        Ok(small)
    }

    fn remote_path(key: &str) -> Path {
        Path::from(format!("remote/{key}"))
    }

    /// A linked image kept under `key`, if it was fetched before.
    pub async fn kept_remote(&self, key: &str) -> Result<Option<Bytes>, MediaError> {
        match self.objects.get(&Self::remote_path(key)).await {
            Ok(got) => Ok(Some(got.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Keeps a linked image under `key`.
    pub async fn keep_remote(&self, key: &str, bytes: Bytes) -> Result<(), MediaError> {
        self.objects.put(&Self::remote_path(key), bytes.into()).await?;
        Ok(())
    }

    /// Removes media `id` and its thumbnail.
    pub async fn delete(&self, id: Uuid) -> Result<(), MediaError> {
        for path in [Self::thumbnail_path(id), Self::path(id)] {
            match self.objects.delete(&path).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }
}

/// `media/` beside a SQLite database file; the working folder's `media/` otherwise.
fn default_dir(database_url: &str) -> std::path::PathBuf {
    let file =
        database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:"));
    let beside = file
        .map(|f| f.split('?').next().unwrap_or(f))
        .filter(|f| !f.is_empty() && *f != ":memory:")
        .and_then(|f| std::path::Path::new(f).parent().map(std::path::Path::to_path_buf));
    beside.unwrap_or_default().join("media")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_live_beside_a_sqlite_database() {
        assert_eq!(
            default_dir("sqlite:///srv/lodestar/server.db"),
            std::path::Path::new("/srv/lodestar/media")
        );
        assert_eq!(default_dir("sqlite://server.db?mode=rwc"), std::path::Path::new("media"));
        assert_eq!(default_dir("postgres://db/lodestar"), std::path::Path::new("media"));
    }
}
