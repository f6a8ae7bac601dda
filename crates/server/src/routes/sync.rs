//! `GET /v1/sync` and the live `GET /v1/events`.

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use lodestar_protocol::{format_cursor, parse_cursor, Change, ErrorBody, SyncPage, SyncQuery};

use super::limit;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, QueryOf};
use crate::live;
use crate::AppState;

fn since(raw: Option<&str>) -> ApiResult<Option<i64>> {
    raw.map(|s| parse_cursor(s).ok_or_else(|| ApiError::field("since", "invalid"))).transpose()
}

/// The changes the caller may see after `since`, in seq order.
#[utoipa::path(get, path = "/v1/sync", tag = "sync", security(("bearer" = [])), params(SyncQuery),
    responses((status = 200, body = SyncPage), (status = 422, body = ErrorBody)))]
pub async fn sync(
    State(s): State<AppState>,
    caller: Caller,
    QueryOf(q): QueryOf<SyncQuery>,
) -> ApiResult<Json<SyncPage>> {
    let limit = limit(q.limit, 500, 1000)?;
    let since = since(q.since.as_deref())?.unwrap_or(0);
    let (changes, cursor, has_more) = s.store.sync(caller.user_id, since, limit).await?;
    let (changes, cursor, has_more) = fit_page(changes, cursor, has_more);
    let estimated_remaining =
        if has_more { (s.store.latest_seq().await? - cursor).max(0) } else { 0 };
    Ok(Json(SyncPage { changes, cursor: format_cursor(cursor), has_more, estimated_remaining }))
}

/// The most bytes of change data one page or event frame carries: a page of 1,000 maximal
/// messages would be ~40 MB, which a client must hold whole before it can store any of it.
pub const PAGE_BYTES: usize = 1 << 20;

/// Cuts a page of changes (and its cursor) where its data passes [`PAGE_BYTES`]; the first
/// change always stays, so a page always makes progress.
pub(crate) fn fit_page(
    mut changes: Vec<Change>,
    cursor: i64,
    has_more: bool,
) -> (Vec<Change>, i64, bool) {
    let mut total = 0;
    for (i, change) in changes.iter().enumerate() {
        total += approx_json_len(&change.data) + 64;
        if total > PAGE_BYTES && i > 0 {
            let cut = changes[i - 1].seq;
            changes.truncate(i);
            return (changes, cut, true);
        }
    }
    (changes, cursor, has_more)
}

/// About how many bytes `v` takes as JSON (strings and keys counted whole, escapes not).
fn approx_json_len(v: &serde_json::Value) -> usize {
    use serde_json::Value;
    match v {
        Value::Null | Value::Bool(_) | Value::Number(_) => 8,
        Value::String(s) => s.len() + 2,
        Value::Array(a) => 2 + a.iter().map(|x| approx_json_len(x) + 1).sum::<usize>(),
        Value::Object(o) => {
            2 + o.iter().map(|(k, x)| k.len() + 4 + approx_json_len(x)).sum::<usize>()
        }
    }
}

/// The event socket's read buffer: a client's frames are pongs and typing notices (~80 bytes),
/// and a larger one (up to [`MAX_INCOMING`]) only takes more reads. Each idle socket holds it:
/// 4 KiB here measured 11.9 KiB of server memory per socket at 15,000, 1 KiB 9.0.
const READ_BUFFER: usize = 1024;
/// The largest message a client may send on the event socket (a typing notice is ~80 bytes).
const MAX_INCOMING: usize = 16 * 1024;

/// Live changes over a WebSocket: `{"type": "changes", ...}` frames and pings. With `since`,
/// the socket first sends what came after it; without, it starts from now.
#[utoipa::path(get, path = "/v1/events", tag = "sync", security(("bearer" = [])), params(SyncQuery),
    responses((status = 101, description = "Switching to the WebSocket protocol"),
        (status = 401, body = ErrorBody), (status = 400, body = ErrorBody)))]
pub async fn events(
    State(s): State<AppState>,
    caller: Caller,
    QueryOf(q): QueryOf<SyncQuery>,
    ws: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> ApiResult<Response> {
    let ws = ws.map_err(|_| ApiError::BadRequest("this route needs a WebSocket upgrade".into()))?;
    let start = match since(q.since.as_deref())? {
        Some(seq) => seq,
        None => s.store.latest_seq().await?,
    };
    // Clients only answer pings, close, and say they are typing (a few bytes) on this socket, so reads stay tiny: tungstenite
    // zero-fills its whole read buffer on every poll, which at the default 128 KiB cost more
    // CPU than everything else with 1,000 sockets woken per commit, and held 128 KiB per socket.
    let ws = ws
        .read_buffer_size(READ_BUFFER)
        .max_message_size(MAX_INCOMING)
        .max_frame_size(MAX_INCOMING);
    let registration = s.sockets.register(caller.user_id, caller.token_hash);
    Ok(ws.on_upgrade(move |socket| live::serve(socket, s, registration, start)))
}
