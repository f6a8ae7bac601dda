//! Attachments and linked images in the window: the bytes for the `lodestar-media:` scheme
//! (fetched from the program's server with the session's token — linked images too, which the
//! server fetches from their host — kept in a private cache so each is fetched once), and a
//! file saved where the user keeps downloads.

use std::path::PathBuf;

use lodestar_protocol::validate::attachment_url;
use uuid::Uuid;

use super::App;
use crate::error::{ClientError, ClientResult};

/// What the window asks of the `lodestar-media:` scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaRef {
    /// Media on the server, whole.
    Media(Uuid),
    /// Its 320×320 thumbnail.
    Thumbnail(Uuid),
    /// A file attached here, before (or after) its upload: the private copy.
    Upload(Uuid),
    /// An image a message or profile links to, fetched by the program's server.
    Linked(String),
}

impl MediaRef {
    /// Reads a scheme path and query: `/ID`, `/ID/thumbnail`, `/upload/ID`, `/linked?url=…`.
    pub fn parse(path: &str, query: Option<&str>) -> Option<MediaRef> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        match parts.as_slice() {
            [id] if *id != "linked" => Uuid::parse_str(id).ok().map(MediaRef::Media),
            [id, "thumbnail"] => Uuid::parse_str(id).ok().map(MediaRef::Thumbnail),
            ["upload", id] => Uuid::parse_str(id).ok().map(MediaRef::Upload),
            ["linked"] => url::form_urlencoded::parse(query?.as_bytes())
                .find(|(k, _)| k == "url")
                .map(|(_, v)| MediaRef::Linked(v.into_owned())),
            _ => None,
        }
    }
}

/// A type read from the bytes by `infer` (as the server read them), for what is served from a
/// cache or a local copy.
fn sniffed(bytes: &[u8]) -> String {
    infer::get(bytes).map_or("application/octet-stream", |k| k.mime_type()).to_owned()
}

impl App {
    /// The bytes and type of what `media` names, from the cache, the attachment's copy, or the
    /// server (then cached, private).
    pub async fn media(&self, media: MediaRef) -> ClientResult<(Vec<u8>, String)> {
        let client = self.client.read().await;
        let (api, replica, _, _) = client.parts()?;
        let read = |p: PathBuf| {
            std::fs::read(&p)
                .map_err(|e| ClientError::Corrupt(format!("cannot read {}: {e}", p.display())))
        };
        let (id, thumbnail) = match media {
            MediaRef::Linked(url) => return self.linked(api, replica.files(), &url).await,
            MediaRef::Upload(id) => {
                let path =
                    replica.upload_path(id).await?.ok_or(ClientError::NotFound("attachment"))?;
                let bytes = read(PathBuf::from(path))?;
                let kind = sniffed(&bytes);
                return Ok((bytes, kind));
            }
            MediaRef::Media(id) => (id, false),
            MediaRef::Thumbnail(id) => (id, true),
        };
        let cache = replica.files().join("cache");
        let name =
            if thumbnail { format!("{}.thumbnail", id.simple()) } else { id.simple().to_string() };
        let cached = cache.join(&name);
        if cached.exists() {
            let bytes = read(cached)?;
            let kind = sniffed(&bytes);
            return Ok((bytes, kind));
        }
        // Sent from here: the copy is the same bytes.
        if !thumbnail {
            if let Some(path) = replica.attachment_path(&attachment_url(id)).await? {
                if let Ok(bytes) = std::fs::read(&path) {
                    let kind = sniffed(&bytes);
                    return Ok((bytes, kind));
                }
            }
        }
        crate::private::private_dir(&cache)
            .map_err(|e| ClientError::Corrupt(format!("cannot create {}: {e}", cache.display())))?;
        let url = if thumbnail {
            format!("{}/thumbnail", attachment_url(id))
        } else {
            attachment_url(id)
        };
        let part = cache.join(format!(".{name}.{}", Uuid::new_v4().simple()));
        let (_, kind) = api.download_media(&url, &part).await?;
        std::fs::rename(&part, &cached)
            .map_err(|e| ClientError::Corrupt(format!("cannot keep {}: {e}", cached.display())))?;
        Ok((read(cached)?, kind))
    }

    /// A linked image, from the cache or through the program's server (never from its host).
    async fn linked(
        &self,
        api: &crate::Api,
        files: &std::path::Path,
        url: &str,
    ) -> ClientResult<(Vec<u8>, String)> {
        use sha2::Digest;
        let cache = files.join("cache");
        let key: String =
            sha2::Sha256::digest(url.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        let cached = cache.join(format!("linked-{key}"));
        if let Ok(bytes) = std::fs::read(&cached) {
            let kind = sniffed(&bytes);
            return Ok((bytes, kind));
        }
        crate::private::private_dir(&cache)
            .map_err(|e| ClientError::Corrupt(format!("cannot create {}: {e}", cache.display())))?;
        let query: String =
            url::form_urlencoded::Serializer::new(String::new()).append_pair("url", url).finish();
        let part = cache.join(format!(".linked-{key}.{}", Uuid::new_v4().simple()));
        let (_, kind) = api.download_media(&format!("/v1/images?{query}"), &part).await?;
        std::fs::rename(&part, &cached)
            .map_err(|e| ClientError::Corrupt(format!("cannot keep {}: {e}", cached.display())))?;
        let bytes = std::fs::read(&cached)
            .map_err(|e| ClientError::Corrupt(format!("cannot read {}: {e}", cached.display())))?;
        Ok((bytes, kind))
    }

    /// Saves an attachment into the user's downloads folder (their home folder when there is
    /// none) under `file_name` (a number added if taken); answers where.
    pub async fn save_attachment(&self, media_url: &str, file_name: &str) -> ClientResult<String> {
        let id = lodestar_protocol::validate::attachment_id(media_url)
            .ok_or(ClientError::NotFound("attachment"))?;
        let (bytes, _) = self.media(MediaRef::Media(id)).await?;
        let dir = directories::UserDirs::new()
            .map(|d| d.download_dir().unwrap_or(d.home_dir()).to_path_buf())
            .unwrap_or_else(std::env::temp_dir);
        let name = std::path::Path::new(file_name)
            .file_name()
            .map_or_else(|| id.simple().to_string(), |n| n.to_string_lossy().into_owned());
        let stem = std::path::Path::new(&name)
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let ext = std::path::Path::new(&name)
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        let mut target = dir.join(&name);
        let mut n = 1;
        while target.exists() {
            target = dir.join(format!("{stem} ({n}){ext}"));
            n += 1;
        }
        std::fs::write(&target, bytes)
            .map_err(|e| ClientError::Corrupt(format!("cannot write {}: {e}", target.display())))?;
        Ok(target.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_paths_name_media_thumbnails_and_uploads() {
        let id = Uuid::new_v4();
        assert_eq!(MediaRef::parse(&format!("/{id}"), None), Some(MediaRef::Media(id)));
        assert_eq!(
            MediaRef::parse(&format!("/{id}/thumbnail"), None),
            Some(MediaRef::Thumbnail(id))
        );
        assert_eq!(MediaRef::parse(&format!("/upload/{id}"), None), Some(MediaRef::Upload(id)));
        assert_eq!(
            MediaRef::parse("/linked", Some("url=https%3A%2F%2Fexample.com%2Fcat.png%3Fa%3D1")),
            Some(MediaRef::Linked("https://example.com/cat.png?a=1".into()))
        );
        for bad in ["/", "/../etc/passwd", &format!("/{id}/../../x"), "/upload/../x", "/linked"] {
            assert_eq!(MediaRef::parse(bad, None), None, "{bad}");
        }
    }
}
