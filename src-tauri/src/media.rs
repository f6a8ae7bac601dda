//! The `lodestar-media:` scheme: how the window shows attachments. `<img>` cannot send the
//! session's token, and the page's CSP lets images come only from the app itself, so every
//! attachment and thumbnail is fetched by the core (with the token, cached privately) and
//! handed to the page here; the page never asks a host by itself.
//! `lodestar-media://localhost/ID`, `…/ID/thumbnail`, `…/upload/ID` (a file attached here,
//! before its upload), `…/linked?url=…` (an image a message or profile links to, fetched by the
//! program's server); on Windows the same paths under `http://lodestar-media.localhost`.

use lodestar_client::app::{App, MediaRef};
use tauri::http::{header, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

/// The scheme's name.
pub const SCHEME: &str = "lodestar-media";

/// Answers one request of the scheme.
pub fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: tauri::http::Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = ctx.app_handle().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    tauri::async_runtime::spawn(async move {
        let answer = match MediaRef::parse(&path, query.as_deref()) {
            None => Err((StatusCode::NOT_FOUND, "no such media".to_owned())),
            Some(media) => app.state::<App>().media(media).await.map_err(|e| {
                let status = if e.to_string().contains("no such") {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::BAD_GATEWAY
                };
                (status, e.to_string())
            }),
        };
        let response = match answer {
            Ok((bytes, kind)) => Response::builder()
                .header(header::CONTENT_TYPE, kind)
                .header(header::CACHE_CONTROL, "private, max-age=31536000, immutable")
                .header("X-Content-Type-Options", "nosniff")
                .body(bytes),
            Err((status, why)) => {
                tracing::debug!(%path, %why, "media not shown");
                Response::builder()
                    .status(status)
                    .header(header::CONTENT_TYPE, "text/plain")
                    .body(why.into_bytes())
            }
        };
        match response {
            Ok(r) => responder.respond(r),
            Err(e) => tracing::warn!(error = %e, "cannot answer a media request"),
        }
    });
}
