//! Attachments over HTTP (API.md, "Richer messages"): `POST /v1/media` streams the raw body
//! into storage; `GET /v1/media/{id}` (with `Range`) and its `/thumbnail` serve it to its
//! uploader and to the members of a conversation a message naming it was sent in, and answer
//! 404 to anyone else, exactly as for media that does not exist.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use futures_util::TryStreamExt;
use lodestar_protocol::{ErrorBody, MediaInfo};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Id};
use crate::media::{sniff, MediaError};
use crate::store::{media_url, MediaRecord};
use crate::AppState;

impl From<MediaError> for ApiError {
    fn from(e: MediaError) -> Self {
        match e {
            MediaError::TooLarge => ApiError::PayloadTooLarge,
            MediaError::NotAllowed(_) => ApiError::field("file", "type_not_allowed"),
            MediaError::Body(_) => ApiError::BadRequest(e.to_string()),
            MediaError::NoThumbnail(_) => ApiError::NotFound("no thumbnail for this media"),
            MediaError::Storage(object_store::Error::NotFound { .. }) => {
                ApiError::NotFound("no such media")
            }
            MediaError::Storage(_) => ApiError::Unavailable { retry_after: 5 },
        }
    }
}

fn info(m: &MediaRecord) -> MediaInfo {
    MediaInfo {
        media_id: m.media_id,
        url: media_url(m.media_id),
        content_type: m.content_type.clone(),
        size: m.size,
        sha256: m.sha256.clone(),
        width: m.width,
        height: m.height,
    }
}

/// Uploads a file (the raw body, up to 25 MiB; its type is read from its bytes).
#[utoipa::path(post, path = "/v1/media", tag = "media", security(("bearer" = [])),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes"),
    responses((status = 201, body = MediaInfo), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`file: type_not_allowed`: not an image, PDF, document, text, audio or video")))]
pub async fn upload(
    State(s): State<AppState>,
    caller: Caller,
    body: Body,
) -> ApiResult<(StatusCode, Json<MediaInfo>)> {
    let media_id = Uuid::new_v4();
    let up = s.media.upload(media_id, body).await?;
    let record = MediaRecord {
        media_id,
        uploader_id: Some(caller.user_id),
        content_type: up.content_type,
        size: i64::try_from(up.size).unwrap_or(i64::MAX),
        sha256: up.sha256,
        width: up.width.and_then(|w| i32::try_from(w).ok()),
        height: up.height.and_then(|h| i32::try_from(h).ok()),
        created_at: Utc::now(),
    };
    if let Err(e) = s.store.create_media(&record).await {
        let _ = s.media.delete(media_id).await;
        return Err(e.into());
    }
    Ok((StatusCode::CREATED, Json(info(&record))))
}

/// The byte range a `Range` header asks of `size` bytes: `None` for the whole; `Err` when it
/// cannot be satisfied. One range only (`bytes=a-b`, `bytes=a-`, `bytes=-n`).
fn range(headers: &HeaderMap, size: u64) -> Result<Option<std::ops::Range<u64>>, ()> {
    let Some(raw) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    let spec = raw.trim().strip_prefix("bytes=").ok_or(())?;
    if spec.contains(',') {
        return Ok(None);
    }
    let (a, b) = spec.split_once('-').ok_or(())?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: u64 = n.parse().map_err(|_| ())?;
            (size.saturating_sub(n), size)
        }
        (a, "") => (a.parse().map_err(|_| ())?, size),
        (a, b) => (
            a.parse().map_err(|_| ())?,
            b.parse::<u64>().map_err(|_| ())?.saturating_add(1).min(size),
        ),
    };
    if start >= end || start >= size {
        return Err(());
    }
    Ok(Some(start..end))
}

/// Downloads an attachment (its uploader, or a member of a conversation where it was sent).
#[utoipa::path(get, path = "/v1/media/{id}", tag = "media", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The media")),
    responses((status = 200, description = "The bytes"), (status = 206, description = "The range asked for"),
        (status = 404, body = ErrorBody), (status = 416, body = ErrorBody, description = "A range outside the file")))]
pub async fn download(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let m = readable(&s, &caller, id).await?;
    let size = u64::try_from(m.size).unwrap_or(0);
    let Ok(wanted) = range(&headers, size) else {
        // The contract's error body, with the status `Range` asks for.
        let mut r =
            ApiError::BadRequest("the range asked for is outside the file".into()).into_response();
        *r.status_mut() = StatusCode::RANGE_NOT_SATISFIABLE;
        if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
            r.headers_mut().insert(header::CONTENT_RANGE, v);
        }
        return Ok(r);
    };
    let got = s.media.get(id, wanted.clone()).await?;
    let stream = got.into_stream().map_err(std::io::Error::other);
    let mut r = Body::from_stream(stream).into_response();
    let h = r.headers_mut();
    let length = wanted.as_ref().map_or(size, |w| w.end - w.start);
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    media_headers(h, &m);
    if let Some(w) = wanted {
        *r.status_mut() = StatusCode::PARTIAL_CONTENT;
        if let Ok(v) = HeaderValue::from_str(&format!("bytes {}-{}/{size}", w.start, w.end - 1)) {
            r.headers_mut().insert(header::CONTENT_RANGE, v);
        }
    }
    Ok(r)
}

/// Media `id` if the caller may read it; the same 404 as for media that does not exist.
async fn readable(s: &AppState, caller: &Caller, id: Uuid) -> ApiResult<MediaRecord> {
    s.store.readable_media(caller.user_id, id).await?.ok_or(ApiError::NotFound("no such media"))
}

/// The headers every answer of bytes a member handed in carries: its type (never sniffed by the
/// reader), how long it may be kept privately, and a sandbox should it ever be opened as a page.
fn served(h: &mut HeaderMap, content_type: HeaderValue, cache: &'static str) {
    h.insert(header::CONTENT_TYPE, content_type);
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
}

/// Kept for good: the bytes behind a media id never change.
const FOR_GOOD: &str = "private, max-age=31536000, immutable";

/// An attachment's headers: [`served`], and shown in place or saved.
fn media_headers(h: &mut HeaderMap, m: &MediaRecord) {
    let kind = HeaderValue::from_str(&m.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    served(h, kind, FOR_GOOD);
    let disposition = if sniff::inline(&m.content_type) { "inline" } else { "attachment" };
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(disposition));
}

/// A thumbnail of an image attachment, fitting 320×320.
#[utoipa::path(get, path = "/v1/media/{id}/thumbnail", tag = "media", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The media")),
    responses((status = 200, description = "A JPEG or PNG"), (status = 404, body = ErrorBody)))]
pub async fn thumbnail(
    State(s): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Response> {
    let m = readable(&s, &caller, id).await?;
    if !m.content_type.starts_with("image/") {
        return Err(ApiError::NotFound("no thumbnail for this media"));
    }
    let bytes = s.media.thumbnail(id).await?;
    let png = bytes.starts_with(b"\x89PNG");
    let mut r = Body::from(bytes).into_response();
    let kind = HeaderValue::from_static(if png { "image/png" } else { "image/jpeg" });
    served(r.headers_mut(), kind, FOR_GOOD);
    Ok(r)
}

/// An image a message or a profile links to, fetched by the server (once, then kept) so the
/// reader's app never asks a host the sender chose.
#[utoipa::path(get, path = "/v1/images", tag = "media", security(("bearer" = [])),
    params(lodestar_protocol::LinkedImageQuery),
    responses((status = 200, description = "The image (PNG, JPEG, GIF or WebP)"),
        (status = 404, body = ErrorBody, description = "No image there (unreachable, not an image, over 10 MiB)"),
        (status = 422, body = ErrorBody, description = "`url: not_allowed`: not a public http(s) link")))]
pub async fn linked_image(
    State(s): State<AppState>,
    _caller: Caller,
    crate::extract::QueryOf(q): crate::extract::QueryOf<lodestar_protocol::LinkedImageQuery>,
) -> ApiResult<Response> {
    use crate::media::remote::RemoteError;
    let (bytes, kind) = s.remote.get(&s.media, &q.url).await.map_err(|e| match e {
        RemoteError::NotAllowed(_) => ApiError::field("url", "not_allowed"),
        RemoteError::Unavailable(why) => {
            tracing::debug!(%why, "linked image unavailable");
            ApiError::NotFound("no image at this link")
        }
        RemoteError::Media(e) => e.into(),
    })?;
    let mut r = Body::from(bytes).into_response();
    // A day: the server keeps its copy, but a reader's cache need not hold a stranger's picture.
    served(r.headers_mut(), HeaderValue::from_static(kind), "private, max-age=86400");
    Ok(r)
}
