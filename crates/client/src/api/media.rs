//! Attachments on the wire: uploads streamed from a file with their progress, downloads
//! streamed into a private file.

use std::path::Path;

use futures_util::StreamExt;
use lodestar_protocol::MediaInfo;
use reqwest::Method;
use tokio::io::AsyncWriteExt;

use super::Api;
use crate::error::{ClientError, ClientResult};

/// Bytes read from the file per chunk of an upload.
const CHUNK: usize = 64 * 1024;
/// How long an attachment may take to move: 25 MiB over a slow link, not the 30 s of a
/// request.
const TRANSFER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

impl Api {
    /// `POST /v1/media` of the file at `path`, streamed; `progress` hears the bytes sent so far.
    pub async fn upload_media(
        &self,
        path: &Path,
        progress: impl Fn(u64) + Send + Sync + 'static,
    ) -> ClientResult<MediaInfo> {
        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| ClientError::Corrupt(format!("cannot read {}: {e}", path.display())))?;
        let mut sent: u64 = 0;
        let stream = futures_util::stream::unfold(
            (file, vec![0u8; CHUNK]),
            |(mut file, mut buf)| async move {
                use tokio::io::AsyncReadExt;
                match file.read(&mut buf).await {
                    Ok(0) => None,
                    Ok(n) => Some((
                        Ok::<_, std::io::Error>(bytes::Bytes::copy_from_slice(&buf[..n])),
                        (file, buf),
                    )),
                    Err(e) => Some((Err(e), (file, buf))),
                }
            },
        )
        .map(move |chunk| {
            if let Ok(c) = &chunk {
                sent += c.len() as u64;
                progress(sent);
            }
            chunk
        });
        let (_, bytes) = self
            .send_body(
                Method::POST,
                "/v1/media",
                reqwest::Body::wrap_stream(stream),
                "application/octet-stream",
                TRANSFER_TIMEOUT,
            )
            .await?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Corrupt(format!("/v1/media: {e}")))
    }

    /// `GET` of an attachment (its `/v1/media/…` URL) into a new file at `out`, created private;
    /// answers the bytes written and the content type.
    pub async fn download_media(&self, url: &str, out: &Path) -> ClientResult<(u64, String)> {
        let res = self
            .request(Method::GET, url)
            .timeout(TRANSFER_TIMEOUT)
            .send()
            .await
            .map_err(|e| ClientError::Offline(e.to_string()))?;
        let status = res.status();
        if status.is_server_error() {
            return Err(ClientError::Offline(format!("the server answered {status}")));
        }
        if !status.is_success() {
            let body = res.bytes().await.unwrap_or_default();
            return Err(ClientError::refused(status.as_u16(), &body));
        }
        let content_type = res
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_owned();
        let mut options = tokio::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        options.mode(0o600);
        let mut file = options
            .open(out)
            .await
            .map_err(|e| ClientError::Corrupt(format!("cannot write {}: {e}", out.display())))?;
        let mut written = 0;
        let mut body = res.bytes_stream();
        let failed = |e: std::io::Error| {
            ClientError::Corrupt(format!("cannot write {}: {e}", out.display()))
        };
        while let Some(chunk) = body.next().await {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    drop(file);
                    let _ = tokio::fs::remove_file(out).await;
                    return Err(ClientError::Offline(e.to_string()));
                }
            };
            file.write_all(&chunk).await.map_err(failed)?;
            written += chunk.len() as u64;
        }
        file.sync_all().await.map_err(failed)?;
        Ok((written, content_type))
    }
}
