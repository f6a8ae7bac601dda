//! One WebSocket per connected client: wait for the store's seq to move, pull what this user
//! may see since the socket's cursor, and send it as a frame.
//!
//! A frame is only a shortcut: the client stores the cursor it carries and, after any drop,
//! catches up with `GET /v1/sync`, so a lost frame loses nothing.

use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use futures_util::{SinkExt, StreamExt};
use lodestar_protocol::{format_cursor, EventFrame};
use uuid::Uuid;

use crate::AppState;

/// How often the server pings an idle socket.
const PING_EVERY: Duration = Duration::from_secs(20);
/// Changes per frame.
const FRAME_LIMIT: i64 = 500;

/// Serves one socket until the client leaves, the server shuts down, or a send fails.
pub async fn serve(socket: WebSocket, state: AppState, user: Uuid, mut cursor: i64) {
    let (mut tx, mut rx) = socket.split();
    let mut seqs = state.store.subscribe();
    let mut shutdown = state.shutdown.clone();
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    // Anything after the starting cursor is sent at once.
    seqs.mark_changed();
    loop {
        tokio::select! {
            changed = seqs.changed() => {
                if changed.is_err() {
                    break;
                }
                match push(&state, user, &mut cursor, &mut tx).await {
                    Ok(()) => {}
                    Err(e) => {
                        tracing::debug!(%user, error = %e, "closing socket");
                        break;
                    }
                }
            }
            _ = ping.tick() => {
                if tx.send(Message::Ping(Vec::new().into())).await.is_err() {
                    break;
                }
            }
            incoming = rx.next() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                Some(Ok(_)) => {}
            },
            _ = async { shutdown.wait_for(|v| *v).await.map(|_| ()) } => {
                let _ = tx.send(Message::Close(None)).await;
                break;
            }
        }
    }
}

async fn push<S>(state: &AppState, user: Uuid, cursor: &mut i64, tx: &mut S) -> Result<(), String>
where
    S: SinkExt<Message> + Unpin,
    S::Error: std::fmt::Display,
{
    loop {
        let (changes, next, more) =
            state.store.sync(user, *cursor, FRAME_LIMIT).await.map_err(|e| e.to_string())?;
        *cursor = next;
        if !changes.is_empty() {
            let frame = EventFrame::Changes { changes, cursor: format_cursor(next) };
            let text = serde_json::to_string(&frame).map_err(|e| e.to_string())?;
            tx.send(Message::Text(text.into())).await.map_err(|e| e.to_string())?;
        }
        if !more {
            return Ok(());
        }
    }
}
